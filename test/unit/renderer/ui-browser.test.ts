// The built renderer (out/renderer) in Debian's Chromium, served by the real web-mode server
// (startWebServer: CSP, token, WebSocket protocol, contract validation of every request) in front of
// a fake engine. No root and no network namespace needed: this checks the UI's own behaviour —
// setup flow, live validation, reservations, the virtualized lease table with 10,000 rows,
// keyboard navigation, refusals linked to their field, pushed updates, the log filter, exports.
// Real DHCP clients against the real engine are the e2e tests' job.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { intToIp, ipToInt } from '../../../src-main/dhcp/ip.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { FakeEngine } from '../../helpers/ui-fake-engine.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RENDERER = resolve('out/renderer');
const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : !existsSync(resolve(RENDERER, 'index.html')) ? 'out/renderer is not built (npm run build)' : undefined;
if (skip) console.warn(`[renderer browser test] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`renderer in Chromium against a fake engine${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let engine: FakeEngine;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const lastSave = () => engine.saves[engine.saves.length - 1] as Record<string, any>;

  beforeAll(async () => {
    engine = new FakeEngine();
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(engine.handlers), subscribe: engine.subscribe as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=interface-row]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('connects with the token from the fragment, then removes it from the address bar', async () => {
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.locator('[data-testid=interface-row]').count()).toBe(3);
    await expect(page.locator('[data-testid=getting-started]').count()).resolves.toBe(1);
  });

  it('picking an interface moves the scope onto its network and saves the draft', async () => {
    await page.click('[data-testid=interface-row][data-name=wlan0]');
    await expect.poll(() => page.locator('[data-testid=interface-warning]').textContent()).toMatch(/someone else’s network/);
    await page.click('[data-testid=interface-row][data-name=lab0]');
    await expect.poll(() => lastSave()?.interface).toBe('lab0');
    await expect.poll(() => lastSave()?.subnets?.[0]).toEqual({ subnet: '10.20.0.0/16', range: '10.20.0.100-10.20.0.199' });
    await expect(page.locator('[data-testid=range-size]').textContent()).resolves.toMatch(/100 addresses/);
    await expect(page.locator('[data-testid=start-button]').isEnabled()).resolves.toBe(true);
  });

  it('validates the range live and keeps Start disabled while it is wrong', async () => {
    await page.fill('[data-testid=range-end]', '10.21.0.5');
    await expect.poll(() => page.locator('[data-testid=range-error]').first().textContent()).toMatch(/10\.21\.0\.5 is outside the network 10\.20\.0\.0\/16/);
    await expect(page.locator('[data-testid=start-button]').isDisabled()).resolves.toBe(true);
    await page.fill('[data-testid=range-start]', '10.20.0.1');
    await expect.poll(() => page.locator('[data-testid=range-error]').allTextContents()).toContainEqual(expect.stringMatching(/this computer's address 10\.20\.0\.1/));
    await page.fill('[data-testid=range-start]', '10.20.0.100');
    await page.fill('[data-testid=range-end]', '10.20.0.150');
    await expect.poll(() => page.locator('[data-testid=range-size]').textContent()).toMatch(/51 addresses/);
    await expect.poll(() => lastSave()?.subnets?.[0]?.range).toBe('10.20.0.100-10.20.0.150');
  });

  it('adds a reservation in any MAC notation, saved normalised; catches the same MAC written differently', async () => {
    await page.click('[data-testid=reservation-add]');
    await page.fill('[data-testid=reservation-mac]', 'B8-27-EB-00-00-01');
    await page.fill('[data-testid=reservation-ip]', '10.20.0.21');
    await page.fill('[data-testid=reservation-hostname]', 'pi-01');
    await page.click('[data-testid=reservation-save]');
    await expect.poll(() => lastSave()?.reservations).toEqual([{ mac: 'b8:27:eb:00:00:01', ip: '10.20.0.21', hostname: 'pi-01' }]);
    await page.click('[data-testid=reservation-add]');
    await page.fill('[data-testid=reservation-mac]', 'b827.eb00.0001');
    await page.fill('[data-testid=reservation-ip]', '10.20.0.21');
    await expect.poll(() => page.locator('[data-testid=reservation-mac-error]').textContent()).toMatch(/b8:27:eb:00:00:01 is already reserved/);
    await expect(page.locator('[data-testid=reservation-ip-error]').textContent()).resolves.toMatch(/already reserved/);
    await page.click('[data-testid=reservation-cancel]');
  });

  it('bulk paste previews every line and adds only the good ones', async () => {
    await page.click('[data-testid=reservation-bulk]');
    await page.fill('[data-testid=bulk-input]', 'b8:27:eb:00:00:02 10.20.0.22 pi-02\nB8-27-EB-00-00-03,10.20.0.23\nb8:27:eb:00:00:04 10.99.0.1\n');
    await expect.poll(() => page.locator('[data-testid=bulk-line]').count()).toBe(3);
    await expect(page.locator('[data-testid=bulk-line-error]').allTextContents()).resolves.toEqual([expect.stringMatching(/outside the network/)]);
    await expect(page.locator('[data-testid=bulk-apply]').textContent()).resolves.toMatch(/Add 2 reservations/);
    await page.click('[data-testid=bulk-apply]');
    await expect.poll(() => lastSave()?.reservations?.map((r: { mac: string }) => r.mac)).toEqual(['b8:27:eb:00:00:01', 'b8:27:eb:00:00:02', 'b8:27:eb:00:00:03']);
    await expect(page.locator('[data-testid=reservation-row]').count()).resolves.toBe(3);
  });

  it('adds a typed DHCP option from the table by name and validates it', async () => {
    await page.click('#step-advanced .toggle');
    await page.fill('[data-testid=option-search]', 'ntp');
    await page.keyboard.press('Enter');
    const editor = page.locator('[data-testid=option-editor][data-code="42"]');
    await expect.poll(() => editor.count()).toBe(1);
    await editor.locator('[data-testid=option-value]').fill('10.20.0.1, 10.20.0');
    await expect.poll(() => page.locator('[data-testid=start-button]').isDisabled()).toBe(true);
    await editor.locator('[data-testid=option-value]').fill('10.20.0.1, 10.20.0.2');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options).toEqual({ 'ntp-servers': ['10.20.0.1', '10.20.0.2'] });
    await expect.poll(() => page.locator('[data-testid=start-button]').isEnabled()).toBe(true);
  });

  it('option builders: 43 from a template with a live hex preview, a vendor class, the PXE section, a reservation’s own option', async () => {
    // Option 43: the UniFi template, then the controller address; the preview is the server's encoder.
    await page.fill('[data-testid=option-search]', '43');
    await page.keyboard.press('Enter');
    const vendor = page.locator('[data-testid=option-editor][data-code="43"]');
    await vendor.locator('[data-testid=vendor-template]').selectOption('unifi');
    await expect.poll(() => vendor.locator('[data-testid=option-hex] code').textContent()).toBe('2b:06:01:04:c6:12:00:0a');
    await vendor.locator('[data-testid=vendor-sub-value]').fill('10.20.0.5');
    await expect.poll(() => vendor.locator('[data-testid=option-hex] code').textContent()).toBe('2b:06:01:04:0a:14:00:05');
    await expect.poll(() => lastSave()?.subnets?.[0]?.options?.['vendor-encapsulated-options']).toEqual([{ code: 1, type: 'ip', value: '10.20.0.5' }]);
    await vendor.locator('[data-testid=vendor-sub-value]').fill('10.20.0');
    await expect.poll(() => vendor.locator('[data-testid=vendor-error]').textContent()).toMatch(/Sub-option 1: "10\.20\.0" is not an IPv4 address/);
    await expect.poll(() => page.locator('[data-testid=start-button]').isDisabled()).toBe(true);
    await vendor.locator('[data-testid=option-remove]').click();

    // A vendor class with its own option.
    await page.click('[data-testid=class-add]');
    const cls = page.locator('[data-testid=vendor-class]');
    await cls.locator('[data-testid=class-vendor]').fill('MSFT 5.0');
    await cls.locator('[data-testid=option-search]').fill('netbios node');
    await page.keyboard.press('Enter');
    await cls.locator('[data-testid=option-editor][data-code="46"] [data-testid=option-value]').fill('8');
    await cls.locator('[data-testid=option-editor][data-code="46"] [data-testid=option-value]').blur();
    await expect.poll(() => lastSave()?.classes).toEqual([{ name: 'class-1', vendorClass: 'MSFT 5.0', match: 'exact', options: { 'netbios-node-type': 8 } }]);
    await cls.locator('[data-testid=class-remove]').click();
    await expect.poll(() => lastSave()?.classes).toBeUndefined();

    // PXE: a boot file without a TFTP server is refused with a field-named message.
    await page.fill('[data-testid=pxe-uefiX64]', 'ipxe.efi');
    await expect.poll(() => page.locator('[data-testid=pxe-settings] [data-testid=field-error]').allTextContents()).toEqual([expect.stringMatching(/TFTP server/)]);
    await page.fill('[data-testid=pxe-tftpServer]', '10.20.0.1');
    await expect.poll(() => lastSave()?.pxe).toEqual({ uefiX64: 'ipxe.efi', tftpServer: '10.20.0.1' });
    await page.fill('[data-testid=pxe-uefiX64]', '');
    await page.fill('[data-testid=pxe-tftpServer]', '');
    await expect.poll(() => lastSave()?.pxe).toBeUndefined();

    // A reservation's own option (wins over classes and the scope).
    await page.locator('[data-testid=reservation-options-toggle]').first().click();
    const own = page.locator('[data-testid=reservation-options]');
    await own.locator('[data-testid=option-search]').fill('wpad');
    await page.keyboard.press('Enter');
    await own.locator('[data-testid=option-editor][data-code="252"] [data-testid=option-value]').fill('http://10.20.0.1/wpad.dat');
    await expect.poll(() => lastSave()?.reservations?.[0]?.options).toEqual({ 'wpad-url': 'http://10.20.0.1/wpad.dat' });
    await expect(own.locator('[data-testid=option-hex] code').textContent()).resolves.toMatch(/^fc:19:68:74:74:70/);
    await own.locator('[data-testid=option-remove]').click();
    await expect.poll(() => lastSave()?.reservations?.[0]?.options).toBeUndefined();
    await page.locator('[data-testid=reservation-options-toggle]').first().click();
  });

  it('virtualizes 10,000 leases: few rows in the DOM, keyboard reaches the last one', async () => {
    await expect.poll(() => page.locator('[data-testid=lease-count]').textContent()).toMatch(/10,000 leases/);
    const rendered = await page.locator('[data-testid=lease-row]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);
    await page.locator('[data-testid=lease-table]').focus();
    await page.keyboard.press('End');
    const last = page.locator('[data-testid=lease-row][data-ip="10.20.39.25"]');
    await expect.poll(() => last.isVisible()).toBe(true);
    await expect(page.locator('[data-testid=lease-table]').getAttribute('aria-activedescendant')).resolves.toBe('lease-10.20.39.25');
    await page.keyboard.press('ArrowUp');
    await expect(page.locator('[data-testid=lease-table]').getAttribute('aria-activedescendant')).resolves.toBe('lease-10.20.39.24');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=lease-details]').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    // node-990, node-9900 … node-9990; sorted by host name, node-990 first and node-9990 last.
    await page.fill('[data-testid=lease-filter]', 'node-99');
    await expect.poll(() => page.locator('[data-testid=lease-count]').textContent()).toMatch(/^11 matches of 10,000/);
    await page.click('[data-testid=sort-hostname]');
    const ipOf = (i: number) => intToIp(ipToInt('10.20.0.10') + i);
    const order = await page.locator('[data-testid=lease-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ip')));
    expect(order).toHaveLength(11);
    expect([order[0], order[1], order[10]]).toEqual([ipOf(990), ipOf(9900), ipOf(9990)]);
    await page.fill('[data-testid=lease-filter]', '');
  });

  it('reserve this device: from a lease to a prefilled reservation form', async () => {
    await page.fill('[data-testid=lease-filter]', 'node-20 ');
    await page.locator('[data-testid=lease-row][data-ip="10.20.0.30"]').dblclick();
    await page.click('[data-testid=reserve-device]');
    await expect.poll(() => page.locator('[data-testid=reservation-mac]').inputValue()).toBe('02:00:00:00:00:14');
    await expect(page.locator('[data-testid=reservation-ip]').inputValue()).resolves.toBe('10.20.0.30');
    await expect(page.locator('[data-testid=reservation-hostname]').inputValue()).resolves.toBe('node-20');
    await page.click('[data-testid=reservation-cancel]');
    await page.fill('[data-testid=lease-filter]', '');
  });

  it('shows a start refusal with its message and a link to the field', async () => {
    engine.nextStart = (s) => ({ ...s, state: 'stopped', error: { code: 'foreign-network', message: 'interface lab0 got its address from DHCP: another server runs this network.', field: 'interface' } });
    await page.click('[data-testid=start-button]');
    await expect.poll(() => page.locator('[data-testid=start-error]').getAttribute('data-code')).toBe('foreign-network');
    await expect(page.locator('[data-testid=start-error-message]').textContent()).resolves.toMatch(/^Interface lab0 got its address from DHCP/);
    await page.click('[data-testid=start-error-field]');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-interface');
    await page.click('[data-testid=start-anyway]');
    await expect.poll(() => engine.starts).toEqual([null, { allowForeignNetwork: true }]);

    // Past that check, another DHCP server answers the probe: "Start anyway" skips it too and
    // keeps the override the user already gave.
    engine.nextStart = (s) => ({ ...s, state: 'stopped', error: { code: 'foreign-server', message: 'Another DHCP server answers on lab0: 10.20.0.254 offered 10.20.0.77 (network 10.20.0.0/16). Serving here would hand out conflicting addresses — stop that server or pick another interface. Start anyway only if you are sure.' } });
    await page.click('[data-testid=start-anyway]');
    await expect.poll(() => page.locator('[data-testid=start-error]').getAttribute('data-code')).toBe('foreign-server');
    await expect(page.locator('[data-testid=start-error] h3').textContent()).resolves.toBe('Another DHCP server answers on this link');
    await expect(page.locator('[data-testid=start-error-message]').textContent()).resolves.toMatch(/^Another DHCP server answers on lab0: 10\.20\.0\.254 offered 10\.20\.0\.77/);
    await page.click('[data-testid=start-anyway]');
    await expect.poll(() => engine.starts.at(-1)).toEqual({ allowForeignNetwork: true, allowOtherServer: true });
  });

  it('while the start-up check listens, the status line counts down "Checking for other DHCP servers… (N s)"', async () => {
    engine.push('status', { ...engine.status, state: 'starting', probe: { interface: 'lab0', timeoutMs: 4000, startedAt: Date.now() } });
    await expect.poll(() => page.locator('[data-testid=server-status-text]').textContent()).toMatch(/^Checking for other DHCP servers… \([34] s\)$/);
    await expect(page.locator('[data-testid=state-pill]').textContent()).resolves.toMatch(/Checking…/);
    engine.push('status', { ...engine.status, state: 'stopped' });
    await expect.poll(() => page.locator('[data-testid=state-pill]').getAttribute('data-state')).toBe('stopped');
  });

  it('starts, then follows pushed status, leases and log', async () => {
    engine.nextStart = (s) => ({ ...s, state: 'running', interface: 'lab0', serverId: '10.20.0.1', prefix: 16, startedAt: Date.now() - 12.5 * 60_000, error: undefined });
    await page.click('[data-testid=start-button]');
    await expect.poll(() => page.locator('[data-testid=state-pill]').getAttribute('data-state')).toBe('running');
    await expect(page.locator('[data-testid=server-status-text]').textContent()).resolves.toBe('Serving on lab0 · 10.20.0.1 · up 12 min');
    expect(engine.saves.length).toBeGreaterThan(0);

    engine.push('status', { ...engine.status, counters: { ...engine.status.counters, offers: 7, acks: 5, drops: { 'wrong-server-id': 2 } } });
    await expect.poll(() => page.locator('[data-testid=counter-acks]').textContent()).toBe('5');
    await page.click('[data-testid=counter-drops]');
    await expect(page.locator('[data-testid=drop-reasons]').textContent()).resolves.toMatch(/2\s*client selected another DHCP server/);

    const fresh: LeaseRow = { ...engine.leases[0]!, ip: '10.20.200.1', mac: 'aa:bb:cc:00:00:99', clientId: '01:aa:bb:cc:00:00:99', hostname: 'newcomer' };
    engine.push('leases', { upserts: [fresh], removed: ['10.20.0.10'] });
    await page.fill('[data-testid=lease-filter]', 'newcomer');
    await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBe(1);
    await page.fill('[data-testid=lease-filter]', '');
    await expect.poll(() => page.locator('[data-testid=lease-count]').textContent()).toMatch(/10,000 leases/);

    engine.push('log', [
      { id: 1, at: Date.now(), level: 'info', kind: 'ack', mac: 'aa:bb:cc:00:00:99', ip: '10.20.200.1', text: 'ACK 10.20.200.1 to aa:bb:cc:00:00:99' },
      { id: 2, at: Date.now(), level: 'warn', kind: 'drop', mac: '02:00:00:00:00:01', reason: 'wrong-server-id', text: 'DROP client selected another DHCP server' },
    ]);
    await page.fill('[data-testid=lease-filter]', 'newcomer');
    await page.click('[data-testid=lease-row] [data-testid=lease-mac]');
    await expect.poll(() => page.locator('[data-testid=log-entry]').count()).toBe(1);
    await expect(page.locator('[data-testid=log-mac-filter]').inputValue()).resolves.toBe('aa:bb:cc:00:00:99');
    await page.fill('[data-testid=log-mac-filter]', 'AABB.CC00.0099');
    await expect.poll(() => page.locator('[data-testid=log-entry]').count()).toBe(1);
    await page.click('[data-testid=log-mac-clear]');
    await expect.poll(() => page.locator('[data-testid=log-entry]').count()).toBe(2);
    await page.click('[data-testid=tab-leases]');
    await page.fill('[data-testid=lease-filter]', '');
  });

  it('pool exhaustion is a banner that says what happens and what to do', async () => {
    engine.push('status', { ...engine.status, exhausted: true, pools: [{ subnet: '10.20.0.0/16', range: '10.20.0.100-10.20.0.150', size: 51, bound: 51, offered: 0, declined: 0, free: 0 }] });
    await expect.poll(() => page.locator('[data-testid=pool-exhausted]').textContent()).toMatch(/169\.254\.x\.x/);
  });

  it('warns when another DHCP server answers on the link', async () => {
    engine.push('log', [{ id: 3, at: Date.now(), level: 'warn', kind: 'foreign-server', mac: '02:00:00:00:00:05', text: 'another DHCP server is answering on this link (server id 10.20.0.254)' }]);
    await expect.poll(() => page.locator('[data-testid=foreign-server]').textContent()).toMatch(/server id 10\.20\.0\.254/);
  });

  it('exports the lease table as a browser download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    expect(download.suggestedFilename()).toBe('leases.csv');
    await expect.poll(() => page.locator('[data-testid=toast]').first().textContent()).toMatch(/Downloaded leases\.csv/);
  });

  it('edits while running ask for a restart', async () => {
    await page.fill('[data-testid=range-end]', '10.20.0.160');
    await expect.poll(() => page.locator('[data-testid=restart-needed]').count()).toBe(1);
  });

  it('imports reservations from a dnsmasq file: preview with conflicts, only the included rows applied', async () => {
    await page.click('[data-testid=import-open-reservations]');
    const conf = [
      '# from the old lab box',
      'dhcp-host=02:00:00:00:aa:01,10.20.0.31,imp-1',
      'dhcp-host=b8-27-eb-00-00-01,10.20.0.32',
      'dhcp-host=02:00:00:00:aa:03,192.0.2.5',
      'dhcp-host=02-00-00-00-AA-01,10.20.0.33',
    ].join('\r\n');
    await page.setInputFiles('[data-testid=import-file]', { name: 'dnsmasq.conf', mimeType: 'text/plain', buffer: Buffer.from(conf) });
    await expect.poll(() => page.locator('[data-testid=import-row]').count()).toBe(4);
    const flat = async (sel: string) => ((await page.locator(sel).textContent()) ?? '').replace(/\s+/g, ' ');
    await expect(flat('[data-testid=import-summary]')).resolves.toMatch(/dnsmasq \(recognised\): 4 reservations, 0 leases, 2 blocked/);
    const conflicts = (await page.locator('[data-testid=import-conflict]').allTextContents()).map((c) => c.replace(/\s+/g, ' '));
    expect(conflicts.join(' | ')).toMatch(/leased to 02:00:00:00:00:15.*\| .*reserved at 10\.20\.0\.21 now.*\| .*outside every configured subnet.*\| .*already in this file \(line 2\)/);
    await expect(page.locator('[data-testid=import-count]').textContent()).resolves.toBe('1 row selected');
    await page.screenshot({ path: resolve('test-results/screenshots/import-preview-light.png') });
    await page.click('[data-testid=import-apply]');
    await expect.poll(() => lastSave()?.reservations?.map((r: { mac: string; ip: string }) => `${r.mac}=${r.ip}`)).toEqual(['b8:27:eb:00:00:01=10.20.0.21', 'b8:27:eb:00:00:02=10.20.0.22', 'b8:27:eb:00:00:03=10.20.0.23', '02:00:00:00:aa:01=10.20.0.31']);
    await expect.poll(() => page.locator('[data-testid=import-dialog][open]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=reservation-row]').count()).toBe(4);
  });

  it('a bad file names its line and nothing can be applied', async () => {
    const before = engine.saves.length;
    await page.click('[data-testid=import-open-leases]');
    await page.setInputFiles('[data-testid=import-file]', { name: 'leases.csv', mimeType: 'text/csv', buffer: Buffer.from('ip,mac\n10.20.0.40,02:00:00:00:aa:09\n10.20.0.41,zz\n') });
    await expect.poll(async () => ((await page.locator('[data-testid=import-problems]').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/line 3 mac "zz" is not a MAC address/);
    await expect(page.locator('[data-testid=import-apply]').isDisabled()).resolves.toBe(true);
    await page.click('[data-testid=import-dialog] header button');
    expect(engine.saves.length).toBe(before);
  });

  it('bulk paste of plain MACs: the device\'s current address, else the next free one', async () => {
    await page.click('[data-testid=reservation-bulk]');
    // 02:00:00:00:00:5f holds 10.20.0.105 (in the range); the rest of the range is leased.
    await page.fill('[data-testid=bulk-input]', '02-00-00-00-00-5F cam-5f\n02:00:00:00:ff:01\n');
    await expect.poll(() => page.locator('[data-testid=bulk-line]').count()).toBe(2);
    await expect(page.locator('[data-testid=bulk-line]').first().textContent()).resolves.toMatch(/10\.20\.0\.105\s*next free/);
    await expect(page.locator('[data-testid=bulk-line-error]').allTextContents()).resolves.toEqual([expect.stringMatching(/no free address left/)]);
    await page.click('[data-testid=bulk-dialog] footer .btn.ghost');
  });

  it('static address: the exact commands first, then applied and verified; restore puts it back', async () => {
    await page.click('[data-testid=stop-button]');
    await expect.poll(() => page.locator('[data-testid=state-pill]').getAttribute('data-state')).toBe('stopped');
    await page.click('[data-testid=interface-row][data-name=eth1]');
    await page.fill('[data-testid=static-address-input]', '10.30.0.1');
    await page.fill('[data-testid=static-prefix-input]', '24');
    await expect.poll(() => page.locator('[data-testid=static-apply]').isEnabled()).toBe(true);
    expect(await page.locator('[data-testid=static-address-later]').count()).toBe(0);
    await page.click('[data-testid=static-apply]');
    const confirm = page.locator('[data-testid=static-apply-confirm]');
    await expect.poll(() => confirm.locator('[data-testid=nic-command] pre').textContent()).toBe('$ ip addr add 10.30.0.1/24 dev eth1\n$ ip link set eth1 up');
    await expect(confirm.locator('[data-testid=static-apply-steps] li').allTextContents()).resolves.toEqual([expect.stringMatching(/ip addr add 10\.30\.0\.1\/24 dev eth1\s*— gives eth1 the address/), expect.stringMatching(/ip link set eth1 up/)]);
    expect(engine.applies).toEqual([]);
    await page.click('[data-testid=static-apply-run]');
    await expect.poll(() => engine.applies).toEqual([{ interface: 'eth1', address: '10.30.0.1', prefix: 24, expect: ['ip addr add 10.30.0.1/24 dev eth1', 'ip link set eth1 up'] }]);
    await expect.poll(() => page.locator('[data-testid=static-apply-result]').getAttribute('data-verified')).toBe('true');
    await expect.poll(() => page.locator('[data-testid=static-address-ok]').textContent()).toMatch(/10\.30\.0\.1\/24 on eth1 — a fixed address\..*Set by Pocket DHCP \(web\) on/);
    await expect(page.locator('[data-testid=static-saved]').textContent()).resolves.toMatch(/Before Pocket DHCP changed it, eth1 had no IPv4 address, disabled/);
    await expect(page.locator('[data-testid=restore-on-stop]').isChecked()).resolves.toBe(true);
    await page.click('[data-testid=static-restore]');
    await expect.poll(() => page.locator('[data-testid=restore-confirm] [data-testid=nic-command] pre').textContent()).toBe('$ ip addr del 10.30.0.1/24 dev eth1');
    await page.click('[data-testid=restore-run]');
    await expect.poll(() => engine.restores).toEqual([{ interface: 'eth1', expect: ['ip addr del 10.30.0.1/24 dev eth1'] }]);
    await expect.poll(() => page.locator('[data-testid=static-saved]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=static-apply]').count()).toBe(1);
  });

  it('where the engine cannot change the network, the commands are shown with the reason instead', async () => {
    engine.canApply = false;
    engine.push('engine', { engine: 'in-process' }); // the page reloads everything
    await page.fill('[data-testid=static-address-input]', '10.30.0.2');
    await expect.poll(() => page.locator('[data-testid=static-address-later]').textContent()).toMatch(/runs without the right to change network settings/);
    expect(await page.locator('[data-testid=static-apply]').count()).toBe(0);
    engine.canApply = true;
  });

  it('after a crash: offers to restore what an earlier session changed; "keep" is remembered', async () => {
    engine.nicSaved = [{ interface: 'usb7', address: '10.40.0.1', prefix: 24, method: 'ip', appliedAt: Date.now() - 3_600_000, by: 'app', complete: true, previous: '10.9.0.5/24 (DHCP), enabled' }];
    engine.push('nic', engine.nicSaved);
    await expect.poll(() => page.locator('[data-testid=restore-offer]').textContent()).toMatch(/usb7 still has 10\.40\.0\.1\/24, set by Pocket DHCP in an earlier session that ended without putting back its previous settings \(10\.9\.0\.5\/24 \(DHCP\), enabled\)/);
    await page.click('[data-testid=restore-offer-keep]');
    await expect.poll(() => page.locator('[data-testid=restore-offer]').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('[data-testid=interface-row]');
    await expect.poll(() => page.locator('[data-testid=interface-row]').count()).toBe(3);
    expect(await page.locator('[data-testid=restore-offer]').count()).toBe(0);
    engine.nicSaved = [{ ...engine.nicSaved[0]!, appliedAt: Date.now() - 60_000 }];
    engine.push('nic', engine.nicSaved);
    await page.click('[data-testid=restore-offer-restore]');
    await page.click('[data-testid=restore-confirm] [data-testid=restore-run]');
    await expect.poll(() => engine.restores.at(-1)).toEqual({ interface: 'usb7', expect: ['ip addr del 10.40.0.1/24 dev usb7'] });
    await expect.poll(() => page.locator('[data-testid=restore-offer]').count()).toBe(0);
  });

  it('missing privileges are said before Start, with the fixes; a refusal for privileges shows them too', async () => {
    engine.privileges = {
      platform: 'linux',
      canServe: false,
      canConfigureNic: false,
      problems: [{ what: 'port-67', text: 'DHCP servers answer on UDP port 67, and ports below 1024 need the CAP_NET_BIND_SERVICE capability (root has it).' }],
      fixes: [{ id: 'sysctl', title: 'Allow port 67 for everyone (until reboot)', text: 'Makes ports from 67 up unprivileged.', command: 'sudo sysctl -w net.ipv4.ip_unprivileged_port_start=67' }],
      summary: 'Serving needs UDP port 67, which this process is not allowed to use.',
    };
    engine.push('engine', { engine: 'in-process' });
    await expect.poll(() => page.locator('[data-testid=privileges-notice]').textContent()).toMatch(/Serving needs UDP port 67/);
    await page.click('[data-testid=privileges-details]');
    await expect(page.locator('[data-testid=privileges-fix][data-id=sysctl]').textContent()).resolves.toMatch(/sudo sysctl -w net\.ipv4\.ip_unprivileged_port_start=67/);
    await page.click('[data-testid=interface-row][data-name=lab0]');
    engine.nextStart = (s) => ({ ...s, state: 'stopped', error: { code: 'privileges', message: 'Binding UDP port 67 needs privileges: run as root, or grant the capability once' } });
    await expect.poll(() => page.locator('[data-testid=start-button]').isEnabled()).toBe(true);
    await page.click('[data-testid=start-button]');
    await expect.poll(() => page.locator('[data-testid=start-error]').getAttribute('data-code')).toBe('privileges');
    await expect(page.locator('[data-testid=start-error] [data-testid=privileges-panel]').textContent()).resolves.toMatch(/CAP_NET_BIND_SERVICE/);
    expect(await page.locator('[data-testid=elevate-start]').count()).toBe(0); // web mode: no helper to start
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
