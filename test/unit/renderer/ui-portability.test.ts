// Import, export and the tools around them in the built renderer (Debian's Chromium, the real
// web-mode server, the fake engine of test/helpers/ui-fake-engine.ts with the real exporters,
// preview and planner behind it): "Export ▾" in every format with each download parsed back by the
// engine's own parsers, "Export to Kea…" with High Availability (the request the engine gets, both
// files, the notes as toasts), the pool sweep listing what answered, the journal's CSV download,
// the option 121 editor's warning without a default route, and a lease import that is applied.
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigDraft, RequestOf } from '../../../src-main/ipc/contract.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { journalEntryOf, journalToCsv, matchesJournal } from '../../../src-main/devices/journal.js';
import type { JournalEntry } from '../../../src-main/devices/journal-types.js';
import { parseMac } from '../../../src-main/dhcp/ip.js';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import { parseText } from '../../../src-main/portability/codecs.js';
import type { FormatId } from '../../../src-main/portability/registry.js';
import { configOf, exportFile, exportKea, planImport } from '../../../src-main/portability/service.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { browserSkip, CHROMIUM, CHROMIUM_ARGS, FakeEngine, leaseRows, RENDERER } from '../../helpers/ui-fake-engine.js';

const skip = browserSkip;
if (skip) console.warn(`[renderer browser test, portability] skipped: ${skip}`);

const DRAFT: ConfigDraft = {
  interface: 'lab0',
  subnets: [{ subnet: '10.20.0.0/16', range: '10.20.0.10-10.20.0.199', router: ['10.20.0.1'] }],
  reservations: [{ mac: 'b8:27:eb:00:00:01', ip: '10.20.0.201', hostname: 'pi-01' }],
} as ConfigDraft;

describe.skipIf(skip !== undefined)(`renderer in Chromium: import, export, Kea, sweep, journal${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let engine: FakeEngine;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const keaRequests: RequestOf<'export.kea'>[] = [];
  const sweeps: unknown[] = [];
  const journalQueries: unknown[] = [];
  const applied: { leases: number[]; reservations: number[] }[] = [];
  let journal: JournalEntry[] = [];
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const text = async (d: Download): Promise<string> => readFileSync((await d.path())!, 'utf8');
  const toasts = () => tid('toast').allInnerTexts();

  beforeAll(async () => {
    engine = new FakeEngine();
    engine.leases = leaseRows(40);
    engine.draft = structuredClone(DRAFT);
    const stored = () => engine.leases.filter((l) => l.state !== 'offered') as Lease[];
    // The real exporters, preview and planner over the fake's draft and leases.
    engine.handlers['export.file'] = async ({ what, format }) => exportFile(what, format, { draft: engine.draft, leases: stored(), now: Date.now() });
    engine.handlers['export.kea'] = async (req) => {
      keaRequests.push(structuredClone(req));
      return exportKea(configOf(engine.draft)!, stored(), req);
    };
    engine.handlers['pool.sweep'] = async (req) => {
      sweeps.push(req ?? null);
      return {
        interface: 'lab0',
        range: '10.20.0.10-10.20.0.199',
        probed: 190,
        durationMs: 4800,
        ratePerSecond: 50,
        hits: [
          { ip: '10.20.0.10', mac: '02:00:00:00:00:00', kind: 'ours', noteCode: 'leased-ours', note: 'leased to this device (node-0)', hostname: 'node-0' },
          { ip: '10.20.0.150', mac: '02:bb:00:00:00:01', kind: 'static', noteCode: 'static', note: 'a device with a fixed address inside the pool — exclude it from the range or reserve it for this MAC' },
          { ip: '10.20.0.11', mac: '02:bb:00:00:00:02', kind: 'conflict', expectedMac: '02:00:00:00:00:01', noteCode: 'leased-conflict', note: 'leased to 02:00:00:00:00:01, but 02:bb:00:00:00:02 answers too — two devices on one address' },
        ],
      };
    };
    const now = Date.now();
    journal = [journalEntryOf(now - 60_000, 'bind', stored()[0]!), journalEntryOf(now - 30_000, 'bind', stored()[1]!), journalEntryOf(now - 10_000, 'release', stored()[0]!)];
    // As the handlers pass a query on (any MAC notation → the colon form).
    const query = (q: { mac?: string } | undefined) => ({ ...q, ...(q?.mac ? { mac: parseMac(q.mac)! } : {}) });
    engine.handlers['journal.search'] = async (q) => ({ entries: journal.filter((e) => matchesJournal(e, query(q))), omitted: 0, unreadable: 0 });
    engine.handlers['journal.export'] = async (q) => {
      journalQueries.push(q ?? null);
      return { filename: 'pocket-dhcp-journal.csv', mime: 'text/csv', content: journalToCsv(journal.filter((e) => matchesJournal(e, query(q)))) };
    };
    // Applied as the controller does: reservations into the draft, leases into the store (pushed).
    engine.handlers['import.apply'] = async (req) => {
      applied.push({ leases: req.leases, reservations: req.reservations });
      const { plan } = planImport(req, { leases: req.leases, reservations: req.reservations }, engine.draft, stored(), Date.now());
      if (plan.reservations) engine.draft = { ...engine.draft, reservations: plan.reservations };
      engine.leases = [...engine.leases.filter((l) => !plan.leases.some((n) => n.ip === l.ip)), ...plan.leases];
      engine.push('leases', { upserts: plan.leases, removed: [] });
      return { added: plan.added, replaced: plan.replaced, skipped: plan.skipped, applied: plan.leases.length, restartNeeded: false, settings: { draft: engine.draft, problems: engine.problems(engine.draft) } };
    };
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(engine.handlers), subscribe: engine.subscribe as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=lease-row]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Clicks a menu item of "Export ▾" and returns the download it starts. */
  async function exportVia(what: 'leases' | 'reservations', format: FormatId): Promise<Download> {
    const menu = tid(`export-menu-${what}`);
    await menu.locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), tid(`export-${what}-${format}`).click()]);
    // The menu closes after a choice.
    await expect.poll(() => menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    return download;
  }

  it('Export ▾ offers every format that can hold leases; each download parses back to the same leases', async () => {
    await tid('export-menu-leases').locator('summary').click();
    const offered = await tid('export-menu-leases').locator('[role=menuitem]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid')));
    // CSV and JSON are buttons of their own next to the menu.
    expect(offered).toEqual(['export-leases-dnsmasq', 'export-leases-isc-dhcpd', 'export-leases-kea', 'export-leases-tftpd64', 'export-kea-open']);
    await page.keyboard.press('Escape');
    const macs = engine.leases.map((l) => l.mac).sort();
    const names: Record<string, RegExp> = { dnsmasq: /^dnsmasq\.leases$/, 'isc-dhcpd': /^dhcpd\.leases$/, kea: /^kea-leases4\.csv$/, tftpd64: /^tftpd32\.ini$/ };
    for (const format of ['dnsmasq', 'isc-dhcpd', 'kea', 'tftpd64'] as const) {
      const d = await exportVia('leases', format);
      expect(d.suggestedFilename(), format).toMatch(names[format]!);
      const parsed = parseText(format, await text(d), Date.now());
      expect(parsed.problems, format).toEqual([]);
      expect(parsed.leases.map((l) => l.mac).sort(), format).toEqual(macs);
      expect(parsed.leases.find((l) => l.ip === '10.20.0.10'), format).toMatchObject({ mac: '02:00:00:00:00:00', state: 'bound' });
    }
    await expect.poll(toasts).toContainEqual(expect.stringMatching(/Downloaded tftpd32\.ini/));
  });

  it('Export ▾ of the reservations: every format’s file holds the reservation', async () => {
    for (const format of ['csv', 'json', 'dnsmasq', 'isc-dhcpd', 'kea'] as const) {
      const d = await exportVia('reservations', format);
      const parsed = parseText(format, await text(d), Date.now());
      expect(parsed.problems, format).toEqual([]);
      expect(parsed.reservations.map((r) => [r.mac, r.ip, r.hostname]), format).toEqual([['b8:27:eb:00:00:01', '10.20.0.201', 'pi-01']]);
    }
  });

  it('Export to Kea…: the High Availability fields become the export.kea request; both files download; the notes are toasts', async () => {
    await tid('export-menu-leases').locator('summary').click();
    await tid('export-menu-leases').locator('[data-testid=export-kea-open]').click();
    const dialog = tid('kea-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await tid('kea-interface').fill('eth7');
    await tid('kea-ha').check();
    await tid('kea-ha-mode').selectOption('load-balancing');
    const names = tid('kea-peer-name');
    const urls = tid('kea-peer-url');
    await names.nth(0).fill('kea-a');
    await names.nth(1).fill('kea-b');
    await urls.nth(0).fill('http://198.18.0.1:8000/');
    // A URL that is not one: said at once, nothing can be exported.
    await urls.nth(1).fill('198.18.0.2');
    await expect.poll(() => tid('kea-problem').innerText()).toBe('Peer kea-b: "198.18.0.2" is not a URL like http://192.0.2.1:8000/.');
    await expect(tid('kea-export').isDisabled()).resolves.toBe(true);
    await urls.nth(1).fill('http://198.18.0.2:8000');
    await tid('kea-ha-this').selectOption('kea-b');
    await expect.poll(() => tid('kea-problem').count()).toBe(0);

    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await tid('kea-export').click();
    await expect.poll(() => downloads.length).toBe(2);
    expect(keaRequests).toEqual([
      { interface: 'eth7', leaseFile: '/var/lib/kea/kea-leases4.csv', ha: { mode: 'load-balancing', thisServer: 'kea-b', peers: [{ name: 'kea-a', url: 'http://198.18.0.1:8000/' }, { name: 'kea-b', url: 'http://198.18.0.2:8000' }] } },
    ]);
    expect(downloads.map((d) => d.suggestedFilename())).toEqual(['kea-dhcp4.conf', 'kea-leases4.csv']);
    const conf = JSON.parse(await text(downloads[0]!)) as { Dhcp4: Record<string, any> };
    expect(conf.Dhcp4['interfaces-config']).toEqual({ interfaces: ['eth7'] });
    expect(conf.Dhcp4['lease-database'].name).toBe('/var/lib/kea/kea-leases4.csv');
    const ha = conf.Dhcp4['hooks-libraries'].find((h: { library: string }) => h.library.endsWith('libdhcp_ha.so')).parameters['high-availability'][0];
    expect(ha).toMatchObject({ 'this-server-name': 'kea-b', mode: 'load-balancing', peers: [{ name: 'kea-a', role: 'primary' }, { name: 'kea-b', url: 'http://198.18.0.2:8000/', role: 'secondary' }] });
    expect(conf.Dhcp4.subnet4[0].reservations).toEqual([{ 'hw-address': 'b8:27:eb:00:00:01', 'ip-address': '10.20.0.201', hostname: 'pi-01' }]);
    const leases = parseText('kea', await text(downloads[1]!), Date.now());
    expect(leases.problems).toEqual([]);
    expect(leases.leases).toHaveLength(40);
    // The dialog closes; the engine's notes stay a while as toasts, below the two downloads.
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(toasts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Downloaded kea-dhcp4\.conf/),
        expect.stringMatching(/^Downloaded kea-leases4\.csv/),
        expect.stringMatching(/^kea-dhcp4\.conf expects the lease file at \/var\/lib\/kea\/kea-leases4\.csv: copy kea-leases4\.csv there/),
        expect.stringMatching(/^High Availability: each Kea server needs kea-ctrl-agent listening at its peer URL/),
      ]),
    );
  });

  it('the pool sweep lists the addresses that answered: ours, a fixed address, a conflict', async () => {
    await tid('pool-sweep-run').click();
    await expect.poll(() => tid('pool-sweep-row').count()).toBe(3);
    expect(sweeps).toEqual([{}]);
    await expect(tid('pool-sweep-summary').innerText()).resolves.toBe('3 of 190 addresses answered in 4.8 s.');
    const rows = await tid('pool-sweep-row').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-ip'), r.getAttribute('data-kind'), ...[...r.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim())]));
    expect(rows).toEqual([
      ['10.20.0.10', 'ours', '10.20.0.10', '02:00:00:00:00:00', 'our client node-0', 'leased to this device (node-0)'],
      ['10.20.0.150', 'static', '10.20.0.150', '02:bb:00:00:00:01', 'fixed address', 'a device with a fixed address inside the pool — exclude it from the range or reserve it for this MAC'],
      ['10.20.0.11', 'conflict', '10.20.0.11', '02:bb:00:00:00:02', 'conflict', 'leased to 02:00:00:00:00:01, but 02:bb:00:00:00:02 answers too — two devices on one address'],
    ]);
    await expect(tid('pool-sweep-run').innerText()).resolves.toBe('Check again');
  });

  it('the journal exports what the search names as a CSV download', async () => {
    await tid('tab-journal').click();
    await expect.poll(() => tid('journal-row').count()).toBe(3);
    await tid('journal-mac').fill('02-00-00-00-00-00');
    const [download] = await Promise.all([page.waitForEvent('download'), tid('journal-export').click()]);
    expect(journalQueries).toEqual([{ mac: '02-00-00-00-00-00' }]);
    expect(download.suggestedFilename()).toBe('pocket-dhcp-journal.csv');
    const lines = (await text(download)).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^at,event,ip,mac/);
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 4).join(' '))).toEqual(['bind 10.20.0.10 02:00:00:00:00:00', 'release 10.20.0.10 02:00:00:00:00:00']);
    await expect.poll(toasts).toContainEqual(expect.stringMatching(/Downloaded pocket-dhcp-journal\.csv/));
    await tid('tab-leases').click();
  });

  it('option 121 without 0.0.0.0/0 while a router is set: the editor warns; a default route clears it', async () => {
    await page.click('#step-advanced .toggle');
    await tid('option-search').first().fill('121');
    await page.keyboard.press('Enter');
    const editor = page.locator('[data-testid=option-editor][data-code="121"]');
    await expect.poll(() => editor.count()).toBe(1);
    await editor.getByLabel('Destination 1').fill('10.30.0.0/16');
    await editor.getByLabel('Router 1').fill('10.20.0.1');
    await expect.poll(() => editor.locator('[data-testid=routes-warning]').innerText()).toBe(
      'Option 121 has no default route (0.0.0.0/0) while a router is set: clients that use option 121 ignore the router option (RFC 3442), so add 0.0.0.0/0 → your router.',
    );
    await expect.poll(() => (engine.saves.at(-1) as Record<string, any>)?.subnets?.[0]?.options?.['classless-static-route']).toEqual([{ destination: '10.30.0.0/16', router: '10.20.0.1' }]);
    await editor.getByRole('button', { name: 'Add row' }).click();
    await editor.getByLabel('Destination 2').fill('0.0.0.0/0');
    await editor.getByLabel('Router 2').fill('10.20.0.1');
    await expect.poll(() => editor.locator('[data-testid=routes-warning]').count()).toBe(0);
    await expect(editor.locator('[data-testid=option-hex] code').innerText()).resolves.toBe('79:0c:10:0a:1e:0a:14:00:01:00:0a:14:00:01');
    await editor.locator('[data-testid=option-remove]').click();
    await page.click('#step-advanced .toggle');
  });

  it('a lease import is applied: the new leases reach the engine and show in the lease table', async () => {
    const exp = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const csv = `ip,mac,hostname,state,expiresAt\n10.20.0.160,02:cc:00:00:00:01,imported-a,bound,${exp}\n10.20.0.161,02:cc:00:00:00:02,imported-b,bound,${exp}\n`;
    await tid('import-open-leases').click();
    await page.setInputFiles('[data-testid=import-file]', { name: 'leases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => tid('import-row').count()).toBe(2);
    await expect(tid('import-summary').innerText()).resolves.toMatch(/^CSV \(Pocket DHCP\) \(recognised\): 0 reservations, 2 leases$/);
    await expect(tid('import-count').innerText()).resolves.toBe('2 rows selected');
    await tid('import-apply').click();
    await expect.poll(() => applied).toEqual([{ leases: [0, 1], reservations: [] }]);
    await expect.poll(() => page.locator('[data-testid=import-dialog][open]').count()).toBe(0);
    await expect.poll(toasts).toContainEqual(expect.stringMatching(/^Imported 2 leases/));
    expect(engine.leases.find((l) => l.ip === '10.20.0.161')).toMatchObject({ mac: '02:cc:00:00:00:02', hostname: 'imported-b', state: 'bound' });
    await page.fill('[data-testid=lease-filter]', 'imported');
    await expect.poll(() => page.locator('[data-testid=lease-row]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-ip')).sort())).toEqual(['10.20.0.160', '10.20.0.161']);
    await page.fill('[data-testid=lease-filter]', '');
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
