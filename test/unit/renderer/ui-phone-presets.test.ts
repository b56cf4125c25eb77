// Device templates in the built renderer (Debian's Chromium, the real web-mode server, the fake
// engine): "Phone preset…" beside the option picker of the scope and of a reservation adds the
// preset's options (one option per code: a second preset for option 66 replaces the first) with
// their bytes on the wire, and says what the phones read; the option 43 editor lists the Mitel
// phone template. The catalog's Korean names show when the browser asks for Korean.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigDraft } from '../../../src-main/ipc/contract.js';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { browserSkip, CHROMIUM, CHROMIUM_ARGS, FakeEngine, leaseRows, RENDERER } from '../../helpers/ui-fake-engine.js';

const skip = browserSkip;
if (skip) console.warn(`[renderer browser test, phone presets] skipped: ${skip}`);

const DRAFT = {
  interface: 'lab0',
  subnets: [{ subnet: '10.20.0.0/16', range: '10.20.0.10-10.20.0.199', router: ['10.20.0.1'] }],
  reservations: [{ mac: 'b8:27:eb:00:00:01', ip: '10.20.0.201', hostname: 'desk-phone' }],
} as ConfigDraft;

describe.skipIf(skip !== undefined)(`renderer in Chromium: IP phone presets and the Mitel 43 template${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let engine: FakeEngine;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const lastSave = () => engine.saves.at(-1) as Record<string, any> | undefined;
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    engine = new FakeEngine();
    engine.leases = leaseRows(5);
    engine.draft = structuredClone(DRAFT);
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(engine.handlers), subscribe: engine.subscribe as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=lease-row]');
    await page.click('#step-advanced .toggle');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a scope preset adds its option with the bytes on the wire; another preset for the same option replaces it', async () => {
    const scope = page.locator('#step-advanced [data-testid=phone-preset]').first();
    await scope.selectOption('polycom');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options).toEqual({ 'tftp-server-name': 'http://198.18.0.10/polycom/' });
    await expect.poll(() => tid('phone-preset-hint').first().innerText()).toMatch(/^Polycom phones fetch <MAC>\.cfg and 000000000000\.cfg/);
    const editor = page.locator('[data-testid=option-editor][data-code="66"]');
    await expect.poll(() => editor.locator('[data-testid=option-hex] code').textContent()).toMatch(/^42:1b:68:74:74:70:3a/);
    await scope.selectOption('yealink');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options).toEqual({ 'tftp-server-name': 'http://198.18.0.10/yealink/' });
    await expect.poll(() => page.locator('#step-advanced [data-testid=option-editor][data-code="66"]').count()).toBe(1);
    // The select goes back to its prompt: the same preset can be chosen again.
    await expect(scope.inputValue()).resolves.toBe('');
    await editor.locator('[data-testid=option-remove]').click();
    await expect.poll(() => lastSave()?.subnets?.[0]?.options).toBeUndefined();
  });

  it('a reservation\'s own options take a preset too (Avaya 242 as text, Cisco 150)', async () => {
    await tid('reservation-options-toggle').first().click();
    const own = tid('reservation-options');
    await own.locator('[data-testid=phone-preset]').selectOption('avaya-h323');
    await own.locator('[data-testid=phone-preset]').selectOption('cisco-phone');
    await expect.poll(() => lastSave()?.reservations?.[0]?.options).toEqual({ 'avaya-ip-phone': 'MCIPADD=198.18.0.10,MCPORT=1719,HTTPSRVR=198.18.0.11', 'tftp-server-address': ['198.18.0.10'] });
    await expect.poll(() => own.locator('[data-testid=option-editor][data-code="150"] [data-testid=option-hex] code').textContent()).toBe('96:04:c6:12:00:0a');
    await expect.poll(() => own.locator('[data-testid=option-editor][data-code="242"] [data-testid=option-hex] code').textContent()).toMatch(/^f2:34:4d:43:49:50:41:44:44:3d/);
    for (const code of ['242', '150']) await own.locator(`[data-testid=option-editor][data-code="${code}"] [data-testid=option-remove]`).click();
    await expect.poll(() => lastSave()?.reservations?.[0]?.options).toBeUndefined();
    await tid('reservation-options-toggle').first().click();
  });

  it('the option 43 editor offers the Mitel phone template: text with the call and TFTP servers', async () => {
    await page.locator('#step-advanced [data-testid=option-search]').first().fill('43');
    await page.keyboard.press('Enter');
    const vendor = page.locator('[data-testid=option-editor][data-code="43"]');
    await expect.poll(() => vendor.locator('[data-testid=vendor-template] option').allInnerTexts()).toContain('Mitel IP phones: call server and TFTP server (text)');
    await vendor.locator('[data-testid=vendor-template]').selectOption('mitel');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options?.['vendor-encapsulated-options']).toEqual({ text: 'id:ipphone.mitel.com;sw_tftp=198.18.0.10;call_srv=198.18.0.10' });
    await vendor.locator('[data-testid=option-remove]').click();
  });

  it('in Korean, the presets and their hints come from the catalog', async () => {
    const ko = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ko-KR' });
    try {
      const p = await ko.newPage();
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(server.url);
      await p.waitForSelector('[data-testid=lease-row]');
      await p.click('#step-advanced .toggle');
      const select = p.locator('#step-advanced [data-testid=phone-preset]').first();
      await expect.poll(() => select.locator('option').allInnerTexts()).toEqual(['전화기 프리셋…', 'Avaya 96x1 H.323 전화기: 콜 서버와 파일 서버 (242)', 'Cisco IP 전화기: TFTP 서버 (150)', 'Polycom 전화기: 프로비저닝 서버 (66)', 'Yealink 전화기: 프로비저닝 서버 URL (66)']);
      await select.selectOption('cisco-phone');
      await expect.poll(() => p.locator('[data-testid=phone-preset-hint]').first().innerText()).toMatch(/^Cisco 전화기는/);
    } finally {
      await ko.close();
    }
  });

  it('threw no page errors', () => expect(errors).toEqual([]));
});
