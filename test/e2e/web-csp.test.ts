// The web mode's Content-Security-Policy in a real browser (Debian's Chromium via playwright-core):
// the page's own script runs and reaches the same-origin WebSocket at /api (connect-src 'self'),
// while inline script and a foreign script are blocked. A test page of its own, so this checks the
// server's headers, not the state of the renderer.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src-main/web/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
if (skip) console.warn(`[web CSP e2e] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`web mode CSP in Chromium${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let dir: string;
  let server: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-csp-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><title>csp</title>
<script>window.inlineRan = true;</script>
<script src="https://example.invalid/x.js"></script>
<script type="module" src="/assets/app.js"></script>`,
    );
    writeFileSync(
      join(dir, 'assets', 'app.js'),
      `window.ownRan = true;
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const ws = new WebSocket('ws://' + location.host + '/api');
ws.onopen = () => { ws.send(JSON.stringify({ type: 'auth', token })); ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: null })); };
ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'result') window.apiResult = m.result; };
ws.onerror = () => { window.apiResult = 'error'; };`,
    );
    server = await startWebServer({
      address: { host: '127.0.0.1', port: 0 },
      rendererDir: dir,
      dispatch: async (name) => ({ ok: true, value: { answered: name } }),
      subscribe: () => () => {},
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('own script runs and reaches /api; inline and foreign scripts are blocked', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { apiResult?: unknown }).apiResult !== undefined, undefined, { timeout: 10_000 });
    const state = await page.evaluate(() => {
      const w = window as unknown as { ownRan?: boolean; inlineRan?: boolean; apiResult?: unknown };
      return { own: w.ownRan ?? false, inline: w.inlineRan ?? false, api: w.apiResult };
    });
    expect(state).toEqual({ own: true, inline: false, api: { ok: true, value: { answered: 'app.info' } } });
    expect(violations.some((v) => /inline script/i.test(v))).toBe(true);
    expect(violations.some((v) => v.includes('example.invalid'))).toBe(true);
    expect(violations.filter((v) => /connect-src|\/api/.test(v))).toEqual([]);
    await page.close();
  });
});
