// The static address from the browser against the real engine: `pocket-dhcp serve --web` runs as
// root inside a namespace (a headless lab box), so "Set … on usb0" runs the commands directly —
// shown first, then run, then read back — and "Restore previous settings" puts the interface back.
// Checked with `ip -j addr` in the namespace, not only on screen.
//
//   S: usb0 (no address) ──veth── C: cl0        web UI + Chromium inside S (e2e-lab.ts)
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserE2eMissing, openWebUi, type NetnsBrowser, type WebServeHandle } from '../helpers/e2e-lab.js';
import { createLab, netnsAvailable, type Lab } from '../helpers/netns.js';
import { TempDirs } from '../helpers/server-lab.js';

const avail = netnsAvailable();
const skip = !avail.ok ? avail.reason : browserE2eMissing();
if (skip) console.warn(`[web static address e2e] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`static address from the web UI, real engine as root${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('webnic');
  let srv: WebServeHandle;
  let nb: NetnsBrowser;
  let page: Page;

  beforeAll(async () => {
    lab = await createLab('webnic');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'usb0', null, 'c', 'cl0', null);
    ({ srv, nb, page } = await openWebUi(lab, 's', { data: join(tmp.make('srv'), 'data'), chromium: tmp.make('chromium') }));
  }, 60_000);

  afterAll(async () => {
    await nb?.close();
    if (srv) await srv.stop();
    await lab?.cleanup();
    tmp.cleanup();
  }, 60_000);

  const addrs = async () => {
    const [l] = JSON.parse(await lab.ip('s', '-j', 'addr', 'show', 'dev', 'usb0')) as Array<{ addr_info: Array<{ family: string; local: string; prefixlen: number }> }>;
    return l!.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
  };

  it('first run opens on the interface picker with the one-screen explanation', async () => {
    await page.waitForSelector('[data-testid=getting-started]');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.name)).toBe('usb0');
    expect(await page.locator('[data-testid=getting-started]').textContent()).toMatch(/sets it for you/);
  });

  it('shows the exact command, runs it without a prompt (root), verifies; restore puts usb0 back', async () => {
    await page.click('[data-testid=interface-row][data-name=usb0]');
    await page.fill('[data-testid=static-address-input]', '198.18.90.1');
    await page.fill('[data-testid=static-prefix-input]', '24');
    await page.locator('[data-testid=static-apply]:not([disabled])').click();
    const shown = await page.locator('[data-testid=static-apply-confirm] [data-testid=nic-command] pre').textContent();
    expect(shown).toBe('$ ip addr add 198.18.90.1/24 dev usb0');
    expect(await addrs()).toEqual([]);
    await page.click('[data-testid=static-apply-run]');
    await page.waitForSelector('[data-testid=static-apply-result][data-verified=true]');
    expect(await addrs()).toEqual(['198.18.90.1/24']);
    await expect.poll(() => page.locator('[data-testid=static-address-ok]').textContent()).toMatch(/198\.18\.90\.1\/24 on usb0/);
    expect(await page.locator('[data-testid=static-saved]').textContent()).toMatch(/usb0 had no IPv4 address, enabled/);
    await page.click('[data-testid=static-restore]');
    // The restore's exact command first (nic.restorePlan), then run as shown.
    await expect.poll(() => page.locator('[data-testid=restore-confirm] [data-testid=nic-command] pre').textContent()).toBe('$ ip addr del 198.18.90.1/24 dev usb0');
    expect(await addrs()).toEqual(['198.18.90.1/24']);
    await page.click('[data-testid=restore-run]');
    await page.waitForSelector('[data-testid=static-apply]');
    expect(await addrs()).toEqual([]);
    expect(await page.locator('[data-testid=static-saved]').count()).toBe(0);
  });
});
