// The built renderer in Debian's Chromium, behind the real web-mode server and the fake engine of
// ui-browser.test.ts (test/helpers/ui-fake-engine.ts; its server.stop follows the engine's real
// restore-on-stop rule, net/nic-options.ts): what Stop and Restart do to an interface whose address
// Pocket DHCP set (exactly one restore — by the engine — on Stop, none on Restart or with the
// preference off), the restore confirmation with its exact command (Step 2 and the after-crash
// offer), and Start without privileges in the desktop app (the privileged-helper dialog).
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NicSavedInfo } from '../../../src-main/ipc/contract.js';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { browserSkip, CHROMIUM, CHROMIUM_ARGS, FakeEngine, RENDERER } from '../../helpers/ui-fake-engine.js';

const skip = browserSkip;
if (skip) console.warn(`[renderer browser test, static address and privileges] skipped: ${skip}`);

const HELPER_COMMAND = "/usr/bin/pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 '/opt/Pocket DHCP/pocket-dhcp' '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js' helper --stdio --data-dir /home/u/.config/pocket-dhcp";

describe.skipIf(skip !== undefined)(`renderer in Chromium: stop/restart and the address, restore confirmation, the helper dialog${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let engine: FakeEngine;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** The calls the page made that matter here, in order (a restore the engine does inside server.stop is not one). */
  const calls: string[] = [];
  const WATCHED = new Set(['server.start', 'server.stop', 'nic.restore', 'engine.elevate']);
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const state = () => tid('state-pill').getAttribute('data-state');
  /** lab0's address, set by Pocket DHCP in this session (so no after-crash offer). */
  const lab0Saved = (): NicSavedInfo => ({ interface: 'lab0', address: '10.20.0.1', prefix: 16, method: 'ip', appliedAt: Date.now(), by: 'web', complete: true, previous: 'no IPv4 address, disabled' });
  /** lab0 has its address again and Pocket DHCP's record of it. */
  function lab0Applied(): void {
    engine.interfaces = engine.interfaces.map((n) => (n.name === 'lab0' ? { ...n, ipv4: [{ address: '10.20.0.1', prefix: 16, dynamic: false }] } : n));
    engine.push('interfaces', engine.interfaces);
    engine.nicSaved = [lab0Saved()];
    engine.push('nic', engine.nicSaved);
  }
  async function startServing(): Promise<void> {
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
    await tid('start-button').click();
    await expect.poll(state).toBe('running');
  }

  beforeAll(async () => {
    engine = new FakeEngine();
    // Serves on the interface the draft names.
    engine.nextStart = (s) => ({ ...s, state: 'running', interface: String(engine.draft.interface), serverId: '10.20.0.1', prefix: 16, startedAt: Date.now() });
    const dispatch = createDispatcher(engine.handlers);
    server = await startWebServer({
      address: { host: '127.0.0.1', port: 0 },
      rendererDir: RENDERER,
      dispatch: (name, payload) => {
        if (typeof name === 'string' && WATCHED.has(name)) calls.push(name);
        return dispatch(name, payload);
      },
      subscribe: engine.subscribe as never,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=interface-row]');
    await page.click('[data-testid=interface-row][data-name=lab0]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=range-end]') as HTMLInputElement | null)?.value === '10.20.0.199');
    lab0Applied();
    await page.waitForSelector('[data-testid=static-saved]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('Restart (settings changed while serving) keeps the address: no restore, and it serves again', async () => {
    await startServing();
    await page.fill('[data-testid=range-end]', '10.20.0.150');
    await expect.poll(() => tid('restart-button').count()).toBe(1);
    calls.length = 0;
    await tid('restart-button').click();
    await expect.poll(() => calls).toEqual(['server.stop', 'server.start']);
    await expect.poll(state).toBe('running');
    expect(engine.stops.at(-1)).toEqual({ restore: false });
    expect(engine.restores).toEqual([]);
    expect(engine.nicSaved.map((s) => s.interface)).toEqual(['lab0']);
    await expect.poll(() => tid('restart-needed').count()).toBe(0);
  });

  it('Stop: the engine restores the served interface — exactly once — and the page shows the outcome', async () => {
    calls.length = 0;
    await tid('stop-button').click();
    await expect.poll(state).toBe('stopped');
    await expect.poll(() => tid('static-apply-result').textContent()).toMatch(/lab0 is back to no IPv4 address, disabled\./);
    // The engine restored (inside server.stop); the page does not restore on its own as well — that
    // would be a second password prompt, and the tray's Stop would not do it at all.
    await new Promise((r) => setTimeout(r, 400));
    expect(calls).toEqual(['server.stop']);
    expect(engine.stops.at(-1)).toBeNull();
    expect(engine.restores).toEqual([{ interface: 'lab0' }]);
    await expect.poll(() => tid('static-saved').count()).toBe(0);
  });

  it('"Restore when serving stops" unticked: the engine keeps it (a reload shows it) and Stop restores nothing', async () => {
    lab0Applied();
    await expect.poll(() => tid('restore-on-stop').isChecked()).toBe(true);
    await tid('restore-on-stop').uncheck();
    await expect.poll(() => engine.nicOptions).toEqual({ restoreOnStop: false });
    await page.reload();
    await page.waitForSelector('[data-testid=interface-row]');
    await expect.poll(() => tid('restore-on-stop').count()).toBe(1);
    await expect.poll(() => tid('restore-on-stop').isChecked()).toBe(false);
    await startServing();
    const before = engine.restores.length;
    calls.length = 0;
    await tid('stop-button').click();
    await expect.poll(state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 400));
    expect(calls).toEqual(['server.stop']);
    expect(engine.restores.length).toBe(before);
    expect(engine.nicSaved.map((s) => s.interface)).toEqual(['lab0']);
    await tid('restore-on-stop').check();
    await expect.poll(() => engine.nicOptions).toEqual({ restoreOnStop: true });
  });

  it('Restore previous settings: the exact command first; Cancel runs nothing, Run it runs what was shown', async () => {
    const before = engine.restores.length;
    await tid('static-restore').click();
    const confirm = tid('restore-confirm');
    await expect.poll(() => confirm.locator('[data-testid=nic-command] pre').textContent()).toBe('$ ip addr del 10.20.0.1/16 dev lab0');
    await expect(confirm.textContent()).resolves.toMatch(/Pocket DHCP will run this command:/);
    await confirm.locator('[data-testid=restore-cancel]').click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(engine.restores.length).toBe(before);

    await tid('static-restore').click();
    await expect.poll(() => confirm.locator('[data-testid=nic-command] pre').textContent()).toBe('$ ip addr del 10.20.0.1/16 dev lab0');
    await confirm.locator('[data-testid=restore-run]').click();
    await expect.poll(() => engine.restores.slice(before)).toEqual([{ interface: 'lab0', expect: ['ip addr del 10.20.0.1/16 dev lab0'] }]);
    await expect.poll(() => tid('static-saved').count()).toBe(0);
  });

  it('after a crash: the offer to restore shows the command before it runs, too', async () => {
    engine.nicSaved = [{ interface: 'usb7', address: '10.40.0.1', prefix: 24, method: 'ip', appliedAt: Date.now() - 3_600_000, by: 'app', complete: true, previous: '10.9.0.5/24 (DHCP), enabled' }];
    engine.push('nic', engine.nicSaved);
    const before = engine.restores.length;
    await tid('restore-offer-restore').click();
    const confirm = tid('restore-offer').locator('[data-testid=restore-confirm]');
    await expect.poll(() => confirm.locator('[data-testid=nic-command] pre').textContent()).toBe('$ ip addr del 10.40.0.1/24 dev usb7');
    await confirm.locator('[data-testid=restore-cancel]').click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(engine.restores.length).toBe(before);
    await tid('restore-offer-restore').click();
    await confirm.locator('[data-testid=restore-run]').click();
    await expect.poll(() => engine.restores.slice(before)).toEqual([{ interface: 'usb7', expect: ['ip addr del 10.40.0.1/24 dev usb7'] }]);
    await expect.poll(() => tid('restore-offer').count()).toBe(0);
  });

  it('desktop app without the privileges to serve: Start shows the exact helper command; Cancel does nothing, Continue elevates, then starts', async () => {
    lab0Applied(); // restored above: give it its address back so Start is possible
    engine.appInfo = { mode: 'electron', engine: 'in-process', canElevate: true };
    engine.privileges = {
      platform: 'linux',
      canServe: false,
      canConfigureNic: false,
      problems: [{ what: 'port-67', text: 'DHCP servers answer on UDP port 67, and ports below 1024 need the CAP_NET_BIND_SERVICE capability (root has it).' }],
      fixes: [],
      summary: 'Serving needs UDP port 67, which this process is not allowed to use.',
      elevate: { available: true, command: HELPER_COMMAND },
    };
    engine.push('engine', { engine: 'in-process' }); // the page loads everything again
    await expect.poll(() => tid('privileges-notice').count()).toBe(1);
    const startsBefore = engine.starts.length;
    calls.length = 0;
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
    await tid('start-button').click();
    const dialog = page.locator('[data-testid=elevate-dialog][open]');
    await expect.poll(() => dialog.count()).toBe(1);
    await expect(dialog.locator('[data-testid=nic-command] pre').textContent()).resolves.toBe(`$ ${HELPER_COMMAND}`);
    await tid('elevate-cancel').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([]);
    expect([engine.elevations, engine.starts.length]).toEqual([0, startsBefore]);
    await expect(state()).resolves.toBe('stopped');

    await tid('start-button').click();
    await expect.poll(() => dialog.count()).toBe(1);
    await tid('elevate-confirm').click();
    await expect.poll(state).toBe('running');
    expect(calls).toEqual(['engine.elevate', 'server.start']);
    expect([engine.elevations, engine.starts.length]).toEqual([1, startsBefore + 1]);
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
