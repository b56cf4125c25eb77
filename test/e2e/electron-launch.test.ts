// The desktop app as built (out/main/index.js + out/preload/index.cjs + out/renderer), launched by
// playwright-core's `_electron`: one window titled "Pocket DHCP" showing the renderer from
// app://renderer, `window.api` with exactly the contract's calls (plus `on`), no Node in the page
// (no require, no process), the CSP header on our own protocol and in force (inline script refused), new
// windows denied, and the contract answering over IPC from the real engine.
//
// Skips with one line when the Electron binary is absent — detected without require('electron'),
// which would try to download it (test/helpers/e2e-electron.ts) — or, on Linux, when there is no
// display to open a window on.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../src-main/ipc/contract.js';
import { RENDERER_CSP } from '../../src-main/web/headers.js';
import { displayMissing, findElectronBinary } from '../helpers/e2e-electron.js';
import { REPO_ROOT } from '../helpers/server-lab.js';

const electron = findElectronBinary();
const MAIN = join(REPO_ROOT, 'out/main/index.js');
const skip = !electron.ok ? electron.reason : !existsSync(MAIN) ? `the app is not built (${MAIN} missing) — run "npm run build"` : displayMissing();
if (skip) console.warn(`[electron launch e2e] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`Electron app launch${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let dir: string;
  let app: ElectronApplication;
  let win: Page;

  beforeAll(async () => {
    if (!electron.ok) return;
    dir = mkdtempSync(join(tmpdir(), 'pd-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    app = await _electron.launch({
      executablePath: electron.path,
      // Root cannot run Chromium's sandbox; the app's own renderer sandbox setting stays on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), REPO_ROOT],
      cwd: REPO_ROOT,
      env: {
        ...env,
        // A data directory and an Electron profile of its own: never the user's leases, and no
        // single-instance clash with a Pocket DHCP the user has open.
        POCKET_DHCP_DATA_DIR: join(dir, 'data'),
        XDG_CONFIG_HOME: join(dir, 'config'),
        ELECTRON_ENABLE_LOGGING: '1',
      },
      timeout: 30_000,
    });
    win = await app.firstWindow();
    await win.waitForLoadState('domcontentloaded');
  }, 60_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens one window titled "Pocket DHCP" showing app://renderer', async () => {
    expect(await win.title()).toBe('Pocket DHCP');
    expect(win.url()).toBe('app://renderer/index.html');
    const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.getTitle()));
    expect(titles).toEqual(['Pocket DHCP']);
    await win.locator('[data-testid=interface-picker]').waitFor({ timeout: 15_000 });
  });

  it('window.api has exactly the contract’s calls (plus on), frozen', async () => {
    const shape = await win.evaluate(() => {
      const api = (window as unknown as { api?: Record<string, unknown> }).api;
      if (!api) return undefined;
      return { keys: Object.keys(api).sort(), functions: Object.values(api).every((v) => typeof v === 'function'), frozen: Object.isFrozen(api) };
    });
    expect(shape).toEqual({ keys: [...CALL_NAMES, 'on'].sort(), functions: true, frozen: true });
  });

  it('the page has no Node: no require, no process, no module', async () => {
    const exposed = await win.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      module: typeof (globalThis as Record<string, unknown>).module,
      inWindow: ['require', 'process', 'module', 'electron', 'ipcRenderer'].filter((k) => k in window),
    }));
    expect(exposed).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', inWindow: [] });
  });

  it('the CSP comes with our protocol’s responses and is in force (inline script refused)', async () => {
    const csp = await win.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
    expect(csp).toBe(RENDERER_CSP);
    // An inline script added to the DOM: refused by script-src 'self'. (eval() cannot show it from
    // here: DevTools' Runtime.evaluate lifts the eval restriction for the code it runs.)
    const inline = await win.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__pdInlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return { ran: (window as unknown as { __pdInlineRan?: boolean }).__pdInlineRan === true, violations: [...new Set(violations)] };
    });
    expect(inline).toEqual({ ran: false, violations: ['script-src-elem'] });
  });

  it('window.open is denied: no new window appears', async () => {
    const opened = await win.evaluate(() => [window.open('https://example.invalid/') === null, window.open('app://renderer/index.html') === null, window.open('about:blank') === null]);
    expect(opened).toEqual([true, true, true]);
    await win.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('the contract answers over IPC from the real engine, on the test’s data directory', async () => {
    const info = await win.evaluate(() => (window as unknown as { api: Record<string, (r?: unknown) => Promise<unknown>> }).api['app.info']!());
    expect(info).toMatchObject({ mode: 'electron', nativeSave: true, dataDir: join(dir, 'data') });
    const status = await win.evaluate(() => (window as unknown as { api: Record<string, (r?: unknown) => Promise<unknown>> }).api['server.status']!());
    expect(status).toMatchObject({ state: 'stopped' });
    // An invalid request is refused by the main process's validation, as data.
    const refused = await win.evaluate(async () => {
      try {
        await (window as unknown as { api: Record<string, (r?: unknown) => Promise<unknown>> }).api['leases.export']!({ format: 'xml' });
        return 'accepted';
      } catch (e) {
        return (e as Error & { code?: string }).code;
      }
    });
    expect(refused).toBe('invalid-request');
    expect(await win.locator('[data-testid=connection-banner]').count()).toBe(0);
  });
});
