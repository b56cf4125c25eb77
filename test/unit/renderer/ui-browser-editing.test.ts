// More of the built renderer in Debian's Chromium, behind the real web-mode server and the fake
// engine of ui-browser.test.ts (test/helpers/ui-fake-engine.ts): the interface list refreshed by a
// push (the configured NIC unplugged and back), reservations edited and deleted (also while another
// row's form is open), the live countdown in the lease table, the vendor class column beside the
// OUI vendor, a raw option code outside the table with its hex editor and wire preview, the JSON
// export as a parsed download, the import size limit of web mode, and light/dark backgrounds.
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { MAX_MESSAGE_BYTES } from '../../../src-main/web/protocol.js';
import { exportFile } from '../../../src-main/portability/service.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { browserSkip, CHROMIUM, CHROMIUM_ARGS, FakeEngine, leaseRows, RENDERER } from '../../helpers/ui-fake-engine.js';
import { luminance } from '../../helpers/e2e-ui.js';

const skip = browserSkip;
if (skip) console.warn(`[renderer browser test, editing] skipped: ${skip}`);

/** "59:58" or "1:00:00" → seconds. */
function countdownSeconds(text: string): number {
  const parts = text.trim().split(':').map(Number);
  if (parts.length < 2 || parts.some((n) => !Number.isInteger(n))) throw new Error(`not a countdown: "${text}"`);
  return parts.reduce((s, n) => s * 60 + n, 0);
}

describe.skipIf(skip !== undefined)(`renderer in Chromium: editing, refresh, countdown, raw options${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let engine: FakeEngine;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const lastSave = () => engine.saves[engine.saves.length - 1] as Record<string, any>;
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const resvRow = (mac: string) => page.locator(`[data-testid=reservation-row][data-mac="${mac}"]`);
  const savedResv = () => (lastSave()?.reservations as { mac: string; ip: string; hostname?: string }[] | undefined)?.map((r) => `${r.mac}=${r.ip}`);

  beforeAll(async () => {
    engine = new FakeEngine();
    // 40 leases; the first is a Siemens PLC: its MAC's maker is known AND it sends a vendor class.
    engine.leases = leaseRows(40).map((l, i) => (i === 0 ? { ...l, hostname: 'plc-s7', vendor: 'Siemens AG', vendorClass: 'SIEMENS S7-1200' } : i === 1 ? { ...l, vendorClass: 'MSFT 5.0' } : l));
    // The real exporter over the fake's draft and leases (file names and content as the engine makes them).
    engine.handlers['export.file'] = async ({ what, format }) => exportFile(what, format, { draft: engine.draft, leases: engine.leases as Lease[], now: Date.now() });
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(engine.handlers), subscribe: engine.subscribe as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=interface-row]');
    await page.click('[data-testid=interface-row][data-name=lab0]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=range-end]') as HTMLInputElement | null)?.value === '10.20.0.199');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the configured interface unplugged (an `interfaces` push without it): the banner says so; plugged back, it goes', async () => {
    await expect.poll(() => lastSave()?.subnets?.[0]?.range).toBe('10.20.0.100-10.20.0.199');
    expect(await tid('interface-missing').count()).toBe(0);
    const all = engine.interfaces;
    engine.push('interfaces', all.filter((n) => n.name !== 'lab0'));
    await expect.poll(() => tid('interface-missing').textContent()).toMatch(/^\s*lab0 is not on this computer right now/);
    expect(await page.locator('[data-testid=interface-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['eth1', 'wlan0']);
    expect(await page.locator('#step-interface .summary').textContent()).not.toBe('lab0');
    // A new address on another interface shows up with the same push.
    engine.push('interfaces', all.map((n) => (n.name === 'eth1' ? { ...n, ipv4: [{ address: '10.30.0.1', prefix: 24, dynamic: false }] } : n)));
    await expect.poll(() => tid('interface-missing').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=interface-row][data-name=eth1]').textContent()).toContain('10.30.0.1/24');
    expect(await page.locator('[data-testid=interface-row][data-name=lab0]').getAttribute('aria-checked')).toBe('true');
    engine.push('interfaces', all);
    await expect.poll(() => page.locator('[data-testid=interface-row][data-name=eth1]').textContent()).toContain('no IPv4 address');
  });

  it('reservations: edit changes the address in the row and the saved draft; delete removes row and entry', async () => {
    await tid('reservation-bulk').click();
    await tid('bulk-input').fill('02:00:00:aa:00:01 10.20.1.21 dev-a\n02:00:00:aa:00:02 10.20.1.22 dev-b\n02:00:00:aa:00:03 10.20.1.23 dev-c\n');
    await expect.poll(() => page.locator('[data-testid=bulk-line][data-ok=true]').count()).toBe(3);
    await tid('bulk-apply').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:01=10.20.1.21', '02:00:00:aa:00:02=10.20.1.22', '02:00:00:aa:00:03=10.20.1.23']);

    // Edit B: the form opens with B's values; a new address is saved in B's place.
    await resvRow('02:00:00:aa:00:02').locator('[data-testid=reservation-edit]').click();
    await expect.poll(() => tid('reservation-ip').inputValue()).toBe('10.20.1.22');
    expect(await tid('reservation-mac').inputValue()).toBe('02:00:00:aa:00:02');
    await tid('reservation-ip').fill('10.20.1.52');
    await tid('reservation-save').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:01=10.20.1.21', '02:00:00:aa:00:02=10.20.1.52', '02:00:00:aa:00:03=10.20.1.23']);
    expect(lastSave().reservations[1]).toEqual({ mac: '02:00:00:aa:00:02', ip: '10.20.1.52', hostname: 'dev-b' });
    expect((await resvRow('02:00:00:aa:00:02').locator('td').allTextContents()).slice(0, 3)).toEqual(['02:00:00:aa:00:02', '10.20.1.52', 'dev-b']);
    expect(await tid('reservation-form').count()).toBe(0);

    // Delete C: gone from the table and the draft.
    await resvRow('02:00:00:aa:00:03').locator('[data-testid=reservation-delete]').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:01=10.20.1.21', '02:00:00:aa:00:02=10.20.1.52']);
    expect(await resvRow('02:00:00:aa:00:03').count()).toBe(0);
    expect(await page.locator('[data-testid=reservation-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mac')))).toEqual(['02:00:00:aa:00:01', '02:00:00:aa:00:02']);
  });

  it('editing row B while deleting row A above it: the form stays, with what was typed, and saves into B', async () => {
    await tid('reservation-add').click();
    await tid('reservation-mac').fill('02:00:00:aa:00:03');
    await tid('reservation-ip').fill('10.20.1.23');
    await tid('reservation-save').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:01=10.20.1.21', '02:00:00:aa:00:02=10.20.1.52', '02:00:00:aa:00:03=10.20.1.23']);

    // Open C (index 2), type, then delete A (index 0): C is now index 1, B must stay as it is.
    await resvRow('02:00:00:aa:00:03').locator('[data-testid=reservation-edit]').click();
    await tid('reservation-ip').fill('10.20.1.63');
    await tid('reservation-hostname').fill('dev-c2');
    await resvRow('02:00:00:aa:00:01').locator('[data-testid=reservation-delete]').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:02=10.20.1.52', '02:00:00:aa:00:03=10.20.1.23']);
    expect(await tid('reservation-form').count()).toBe(1);
    expect(await tid('reservation-ip').inputValue()).toBe('10.20.1.63');
    expect(await resvRow('02:00:00:aa:00:03').getAttribute('class')).toMatch(/\bediting\b/);
    await tid('reservation-save').click();
    await expect.poll(() => lastSave()?.reservations).toEqual([
      { mac: '02:00:00:aa:00:02', ip: '10.20.1.52', hostname: 'dev-b' },
      { mac: '02:00:00:aa:00:03', ip: '10.20.1.63', hostname: 'dev-c2' },
    ]);

    // Deleting the row being edited closes its form; deleting one below leaves the form alone.
    await resvRow('02:00:00:aa:00:02').locator('[data-testid=reservation-edit]').click();
    await expect.poll(() => tid('reservation-ip').inputValue()).toBe('10.20.1.52');
    await resvRow('02:00:00:aa:00:03').locator('[data-testid=reservation-delete]').click();
    await expect.poll(savedResv).toEqual(['02:00:00:aa:00:02=10.20.1.52']);
    expect(await tid('reservation-ip').inputValue()).toBe('10.20.1.52');
    await resvRow('02:00:00:aa:00:02').locator('[data-testid=reservation-delete]').click();
    await expect.poll(() => lastSave()?.reservations ?? []).toEqual([]);
    expect(await tid('reservation-form').count()).toBe(0);
  });

  it('the expires column counts down live', async () => {
    const cell = page.locator('[data-testid=lease-row][data-ip="10.20.0.10"] [data-testid=lease-expires]');
    const before = countdownSeconds((await cell.textContent()) ?? '');
    expect(before).toBeGreaterThan(3000);
    await page.waitForTimeout(1200);
    const after = countdownSeconds((await cell.textContent()) ?? '');
    expect(after).toBeLessThan(before);
    expect(before - after).toBeLessThanOrEqual(2);
  });

  it('a lease whose MAC maker is known and which sends a vendor class shows both, in their own columns; the column sorts', async () => {
    const plc = page.locator('[data-testid=lease-row][data-ip="10.20.0.10"]');
    expect(await plc.locator('[data-testid=lease-vendor]').textContent()).toBe('Siemens AG');
    expect(await plc.locator('[data-testid=lease-vendor-class]').textContent()).toBe('SIEMENS S7-1200');
    expect(await plc.locator('[data-testid=lease-vendor-class]').isVisible()).toBe(true);
    expect(await tid('sort-vendorClass').textContent()).toMatch(/Vendor class/);
    await tid('sort-vendorClass').click();
    await expect.poll(() => page.locator('[data-testid=lease-row]').first().getAttribute('data-ip')).toBe('10.20.0.11'); // "MSFT 5.0" < "SIEMENS S7-1200"
    await tid('sort-vendorClass').click();
    await expect.poll(() => page.locator('[data-testid=lease-row]').first().getAttribute('data-ip')).toBe('10.20.0.10');
    await tid('lease-filter').fill('s7-1200');
    await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBe(1);
    await tid('lease-filter').fill('');
    await tid('sort-ip').click();
  });

  it('Escape in the lease table clears the selected row', async () => {
    await page.locator('[data-testid=lease-row][data-ip="10.20.0.12"]').click();
    await expect.poll(() => page.locator('[data-testid=lease-row].selected').getAttribute('data-ip')).toBe('10.20.0.12');
    expect(await tid('lease-table').getAttribute('aria-activedescendant')).toBe('lease-10.20.0.12');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=lease-row].selected').count()).toBe(0);
    expect(await tid('lease-table').getAttribute('aria-activedescendant')).toBeNull();
    // The arrows start over from the top.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => tid('lease-table').getAttribute('aria-activedescendant')).toBe('lease-10.20.0.10');
    await page.keyboard.press('Escape');
  });

  it('a raw option code outside the table (224): hex typed, saved as typed, shown as on the wire; bad hex blocks Start with a message', async () => {
    await page.click('#step-advanced .toggle');
    const search = page.locator('#step-advanced [data-testid=option-search]').first();
    await search.fill('224');
    await page.keyboard.press('Enter');
    const editor = page.locator('[data-testid=option-editor][data-code="224"]');
    await expect.poll(() => editor.count()).toBe(1);
    await editor.locator('[data-testid=option-value]').fill('de:ad:be:ef');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options).toEqual({ '224': 'de:ad:be:ef' });
    await expect.poll(() => editor.locator('[data-testid=option-hex] code').textContent()).toBe('e0:04:de:ad:be:ef');
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);

    // Odd length: not a whole number of bytes.
    await editor.locator('[data-testid=option-value]').fill('de:ad:be:e');
    await expect.poll(() => tid('start-button').isDisabled()).toBe(true);
    await expect.poll(() => editor.locator('[data-testid=field-error]').textContent()).toMatch(/hex/i);
    expect(await editor.locator('[data-testid=field-error]').isVisible()).toBe(true);
    expect(await editor.locator('[data-testid=option-hex]').count()).toBe(0);
    // Not hex at all.
    await editor.locator('[data-testid=option-value]').fill('zz:01');
    await expect.poll(() => editor.locator('[data-testid=field-error]').textContent()).toMatch(/hex/i);
    expect(await tid('start-button').isDisabled()).toBe(true);
    // Fixed: Start is back.
    await editor.locator('[data-testid=option-value]').fill('DEADBEEF01');
    await expect.poll(() => editor.locator('[data-testid=option-hex] code').textContent()).toBe('e0:05:de:ad:be:ef:01');
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
    expect(await editor.locator('[data-testid=field-error]').count()).toBe(0);
  });

  it('per-device rate limits (Advanced, open from the test above): a typed number is saved as the config field, empty removes it, a non-number or one out of range is not accepted and says so', async () => {
    const discover = tid('discover-rate-limit');
    const request = tid('request-rate-limit');
    expect(await discover.getAttribute('placeholder')).toBe('10');
    await discover.fill('4');
    await expect.poll(() => lastSave()?.discoverRateLimit).toBe(4);
    await request.fill('0');
    await expect.poll(() => lastSave()?.requestRateLimit).toBe(0);
    // Not a number: not saved, and said so next to the field.
    await request.fill('fast');
    await expect.poll(() => page.locator('#step-advanced .rates .field-error').textContent()).toMatch(/whole number/);
    expect(lastSave()?.requestRateLimit).toBe(0);
    // Out of the schema's range: saved as typed (drafts may be invalid), the schema's problem shown, Start blocked.
    await request.fill('200000');
    await expect.poll(() => lastSave()?.requestRateLimit).toBe(200000);
    await expect.poll(() => page.locator('#step-advanced .rates [data-testid=field-error]').count()).toBe(1);
    await expect.poll(() => tid('start-button').isDisabled()).toBe(true);
    // Emptied: the field leaves the draft (the default applies), Start is back.
    await request.fill('');
    await discover.fill('');
    await expect.poll(() => Object.keys(lastSave() ?? {}).filter((k) => k.endsWith('RateLimit'))).toEqual([]);
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
  });

  it('exports the lease table as JSON: a browser download that parses, with every lease', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), tid('export-json').click()]);
    expect(download.suggestedFilename()).toMatch(/^pocket-dhcp-leases-.*\.json$/);
    const parsed = JSON.parse(readFileSync(await download.path(), 'utf8')) as unknown;
    const list = (Array.isArray(parsed) ? parsed : (parsed as { leases?: unknown[] }).leases) as Record<string, unknown>[];
    expect(Array.isArray(list)).toBe(true);
    expect(list).toHaveLength(40);
    expect(list.find((l) => l.mac === '02:00:00:00:00:00')).toMatchObject({ ip: '10.20.0.10', hostname: 'plc-s7', state: 'bound' });
    await expect.poll(() => tid('toast').first().textContent()).toMatch(/Downloaded pocket-dhcp-leases-.*\.json/);
  });

  it('web mode refuses an import file larger than its connection carries, before reading it', async () => {
    await tid('import-open-leases').click();
    await page.setInputFiles('[data-testid=import-file]', { name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(MAX_MESSAGE_BYTES, 'a') });
    await expect.poll(() => tid('import-error').textContent()).toMatch(/^huge\.csv is 1\.0 MiB; this connection takes files up to 960 KiB/);
    expect(await tid('import-row').count()).toBe(0);
    await page.click('[data-testid=import-dialog] header button');
  });

  it('light and dark follow the colour scheme: different backgrounds, the dark one dark', async () => {
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await bg();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(bg).not.toBe(light);
    const dark = await bg();
    await page.emulateMedia({ colorScheme: 'light' });
    expect(luminance(light)).toBeGreaterThan(0.8);
    expect(luminance(dark)).toBeLessThan(0.05);
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
