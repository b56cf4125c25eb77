// The start-up check for other DHCP servers, seen in the browser against the real engine: with
// dnsmasq answering on the link, Start shows "Checking for other DHCP servers… (N s)", then a refusal
// banner naming dnsmasq's address; "Start anyway" re-sends server.start with allowOtherServer and the
// server runs (state pill "Serving", dnsmasq's replies then raise the foreign-server banner).
//
//   S  sv0 198.18.10.1/24  ─┐
//   R  rg0 198.18.10.2/24  ─┼─ bridge in SW        web UI + Chromium inside S (e2e-lab.ts)
//   C  cl0                 ─┘
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserE2eMissing, openWebUi, type NetnsBrowser, type WebServeHandle } from '../helpers/e2e-lab.js';
import { bridgeSegment, createLab, netnsAvailable, type Lab } from '../helpers/netns.js';
import { shoot } from '../helpers/e2e-ui.js';
import { ROGUE_IP as ROGUE, runUdhcpc, startRogueDnsmasq, TempDirs } from '../helpers/server-lab.js';

const avail = netnsAvailable();
const skip = !avail.ok ? avail.reason : browserE2eMissing();
if (skip) console.warn(`[web rogue-server e2e] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`another DHCP server on the link, from the web UI${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('webrogue');
  let srv: WebServeHandle;
  let nb: NetnsBrowser;
  let page: Page;
  let dnsmasq: ChildProcess | undefined;
  /** dnsmasq's veth (rg0) MAC: the refusal and the banner must name it. */
  let rogueMac = '';
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    lab = await createLab('webrogue');
    for (const ns of ['s', 'r', 'c', 'sw']) await lab.addNamespace(ns);
    await bridgeSegment(lab, 'sw', [['s', 'sv0', '198.18.10.1/24'], ['r', 'rg0', `${ROGUE}/24`], ['c', 'cl0', null]]);
    rogueMac = (await lab.exec('r', 'cat', ['/sys/class/net/rg0/address'])).stdout.trim();
    dnsmasq = (await startRogueDnsmasq(lab, 'r', 'rg0', tmp.make('dnsmasq'))).child;
    ({ srv, nb, page } = await openWebUi(lab, 's', { data: join(tmp.make('srv'), 'data'), chromium: tmp.make('chromium') }, {
      // Saved settings, as the UI would have saved them: the page opens ready to start.
      settings: { interface: 'sv0', leaseTime: 600, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] },
      // The product's default listening time (the lab's 200 ms would miss dnsmasq's 3 s ping-first OFFER).
      args: ['--probe-timeout', '4000'],
    }));
  }, 60_000);

  afterAll(async () => {
    await nb?.close();
    if (srv) await srv.stop();
    if (dnsmasq) await lab.kill(dnsmasq, 1000);
    await lab?.cleanup();
    tmp.cleanup();
  }, 60_000);

  it('Start: "Checking for other DHCP servers… (N s)", then a refusal naming dnsmasq; "Start anyway" serves', async () => {
    await page.locator('[data-testid=start-button]:not([disabled])').click();
    await expect.poll(() => tid('server-status-text').textContent(), { timeout: 3000 }).toMatch(/^Checking for other DHCP servers… \([1-4] s\)$/);
    expect(await tid('state-pill').textContent()).toMatch(/Checking…/);
    await shoot(page, 'start-probing-light');
    const banner = page.locator('[data-testid=start-error][data-code=foreign-server]');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.locator('h3').textContent()).toBe('Another DHCP server answers on this link');
    const message = (await tid('start-error-message').textContent()) ?? '';
    expect(rogueMac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(message).toMatch(
      new RegExp(`^Another DHCP server answers on sv0: ${ROGUE.replace(/\./g, '\\.')} \\(MAC ${rogueMac}\\) offered 198\\.18\\.10\\.(5\\d|60) \\(network 198\\.18\\.10\\.0/24, router ${ROGUE.replace(/\./g, '\\.')}\\)`),
    );
    expect(message).not.toMatch(/--allow-other-server/);
    expect(await tid('state-pill').getAttribute('data-state')).toBe('stopped');
    await shoot(page, 'start-refused-other-server-light');

    await tid('start-anyway').click();
    await expect.poll(() => tid('state-pill').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    expect(await page.locator('[data-testid=start-error]').count()).toBe(0);
    const warned = srv.events().find((e) => e.kind === 'warning' && e.code === 'other-server-allowed');
    expect(warned, 'the engine logged that it serves next to another server').toBeDefined();

    // While serving, dnsmasq answering a client raises the foreign-server banner.
    const run = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc'), args: ['-B'], tries: 3 });
    expect(run.result.code, run.result.stderr).toBe(0);
    await tid('foreign-server').waitFor({ timeout: 10_000 });
    const bannerText = (await tid('foreign-server').textContent()) ?? '';
    expect(bannerText).toContain(`server id ${ROGUE}, MAC ${rogueMac}, `);
    expect(bannerText).toMatch(/; network 198\.18\.10\.0\/24, router 198\.18\.10\.2\)/);
    await shoot(page, 'foreign-server-while-serving-light');
  });
});
