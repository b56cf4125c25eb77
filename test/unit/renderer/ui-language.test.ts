// The UI language in the built renderer (out/renderer) in Debian's Chromium, served by the real
// web-mode server in front of a minimal fake engine: the language picker switches the visible text
// of the top bar and the Setup column to Korean, the choice survives a reload, "automatic" follows
// the browser language, and a browser whose language is Korean starts in Korean.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import type { ConfigDraft, Handlers, LeaseRow, LogEntry, ServerStatus } from '../../../src-main/ipc/contract.js';
import type { DeviceTimeline } from '../../../src-main/devices/timeline-types.js';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RENDERER = resolve('out/renderer');
const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : !existsSync(resolve(RENDERER, 'index.html')) ? 'out/renderer is not built (npm run build)' : undefined;
if (skip) console.warn(`[renderer language test] skipped: ${skip}`);

const STOPPED: ServerStatus = { state: 'stopped', counters: { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 }, pools: [], exhausted: false };
const LAB0: NetInterface = { name: 'lab0', index: 2, mac: '02:aa:00:00:00:02', ipv4: [{ address: '198.18.20.1', prefix: 24, dynamic: false }], adminUp: true, up: true, loopback: false, virtual: false, wireless: false, kind: undefined, source: 'ip' };

const NOW = Date.now();
/** A configured engine with one lease, log lines of several kinds and a stalled device timeline. */
const CONFIGURED: ConfigDraft = { interface: 'lab0', subnets: [{ subnet: '198.18.20.0/24', range: '198.18.20.100-198.18.20.199', router: ['198.18.20.1'] }] } as ConfigDraft;
const LEASE: LeaseRow = { ip: '198.18.20.100', mac: '02:aa:00:00:00:10', clientId: '01:02:aa:00:00:00:10', state: 'bound', subnet: '198.18.20.0/24', startsAt: NOW - 60_000, expiresAt: NOW + 3_600_000, firstSeen: NOW - 60_000, lastSeen: NOW - 5_000, hostname: 'pi-01' } as LeaseRow;
const LOG: LogEntry[] = [
  { id: 1, at: NOW - 3000, level: 'info', kind: 'offer', mac: LEASE.mac, ip: LEASE.ip, text: `OFFER ${LEASE.ip} to ${LEASE.mac}` },
  { id: 2, at: NOW - 2000, level: 'warn', kind: 'drop', mac: LEASE.mac, reason: 'wrong-server-id', text: `DROP ${LEASE.mac}: client selected another DHCP server` },
  { id: 3, at: NOW - 1000, level: 'info', kind: 'state', text: 'server started' },
];
const TIMELINE: DeviceTimeline = {
  mac: LEASE.mac,
  entries: [
    { at: NOW - 3000, kind: 'discover' },
    { at: NOW - 2990, kind: 'offer', ip: LEASE.ip },
    { at: NOW - 1000, kind: 'drop', reason: 'wrong-server-id', detail: 'selected 198.18.20.2' },
  ],
  hints: [{ code: 'other-server', level: 'warn', text: 'REQUEST for another server’s offer (English fallback)', params: { server: '198.18.20.2' } }],
  identity: {},
  truncated: false,
};

/** Just the calls the first screen makes; anything else fails loudly (and would show as a page error). */
function fakeHandlers(configured = false): Handlers {
  let draft: ConfigDraft = configured ? structuredClone(CONFIGURED) : {};
  const info = { version: 'test', mode: 'web' as const, platform: 'linux' as const, dataDir: '/tmp/x', nativeSave: false, canApplyStaticAddress: false };
  const known: Partial<Handlers> = {
    'app.ready': async () => info,
    'app.info': async () => info,
    'interfaces.list': async () => [LAB0],
    'settings.get': async () => ({ draft, problems: [] }),
    'settings.save': async (r) => ({ draft: (draft = r.draft), problems: [] }),
    'server.status': async () => STOPPED,
    'leases.list': async () => (configured ? [LEASE] : []),
    'log.recent': async () => (configured ? LOG : []),
    'devices.timeline': async () => TIMELINE,
    'journal.search': async () => ({ entries: [], omitted: 0, unreadable: 0 }) as never,
    'nic.saved': async () => [],
    'privileges.check': async () => ({ platform: 'linux', canServe: true, canConfigureNic: false, problems: [], fixes: [], summary: 'ok' }),
  };
  return new Proxy(known, {
    get: (target, name: string) => target[name as keyof Handlers] ?? (async () => Promise.reject(new Error(`${name} is not part of this test`))),
  }) as Handlers;
}

describe.skipIf(skip !== undefined)(`UI language in Chromium${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let server: WebServer;
  let configured: WebServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(fakeHandlers()), subscribe: (() => () => undefined) as never });
    configured = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(fakeHandlers(true)), subscribe: (() => () => undefined) as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await configured?.close();
  });

  async function open(locale: string, url = server.url): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('[data-testid=interface-row]');
    return { context, page };
  }

  const topBar = (page: Page) => page.locator('header.bar').innerText();
  const setup = (page: Page) => page.locator('[data-testid=setup]').innerText();

  it('an English browser starts in English; the picker switches to Korean, which survives a reload', async () => {
    const { context, page } = await open('en-US');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(page.locator('[data-testid=start-button]').innerText()).resolves.toBe('Start');
    expect(await topBar(page)).toMatch(/Stopped/);
    expect(await setup(page)).toMatch(/Interface[\s\S]*Address[\s\S]*Reservations/);

    await page.selectOption('[data-testid=language-picker]', 'ko');
    await expect.poll(() => page.locator('[data-testid=start-button]').innerText()).toBe('시작');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ko');
    const bar = await topBar(page);
    expect(bar).toMatch(/중지됨/);
    expect(bar).not.toMatch(/Stopped|Start\b/);
    const column = await setup(page);
    expect(column).toMatch(/인터페이스[\s\S]*주소[\s\S]*예약[\s\S]*고급/);
    expect(column).not.toMatch(/\bReservations\b|\bAdvanced\b/);
    // Technical tokens stay as they are.
    expect(column).toMatch(/lab0/);
    expect(column).toMatch(/198\.18\.20\.1\/24/);

    await page.reload();
    await page.waitForSelector('[data-testid=interface-row]');
    await expect(page.locator('[data-testid=start-button]').innerText()).resolves.toBe('시작');
    await expect(page.locator('[data-testid=language-picker]').inputValue()).resolves.toBe('ko');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ko');

    // Automatic: back to the browser's language.
    await page.selectOption('[data-testid=language-picker]', 'auto');
    await expect.poll(() => page.locator('[data-testid=start-button]').innerText()).toBe('Start');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await context.close();
  });

  it('a browser whose language is Korean starts in Korean without a choice', async () => {
    const { context, page } = await open('ko-KR');
    await expect(page.evaluate(() => navigator.language)).resolves.toBe('ko-KR');
    await expect(page.locator('[data-testid=start-button]').innerText()).resolves.toBe('시작');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ko');
    await expect(page.locator('[data-testid=language-picker]').inputValue()).resolves.toBe('auto');
    expect(await setup(page)).toMatch(/인터페이스/);
    expect(await page.locator('[data-testid=getting-started]').innerText()).toMatch(/세 단계/);
    await context.close();
  });

  it('in Korean, the lease table, the device panel, the event log and the scope form speak Korean', async () => {
    const { context, page } = await open('ko-KR', configured.url);
    await page.waitForSelector('[data-testid=lease-row]');

    // Lease table: headers, state, counts, toolbar.
    const table = await page.locator('[data-testid=lease-table]').innerText();
    expect(table).toMatch(/IP 주소[\s\S]*MAC[\s\S]*호스트 이름[\s\S]*상태[\s\S]*만료/);
    expect(table).toMatch(/임대됨/);
    expect(table).not.toMatch(/\b(Host name|State|Expires|First seen|bound)\b/);
    await expect(page.locator('[data-testid=lease-count]').innerText()).resolves.toMatch(/임대 1개 · 활성 1개/);
    await expect(page.locator('[data-testid=lease-filter]').getAttribute('placeholder')).resolves.toMatch(/호스트 이름/);

    // Device panel with its timeline and the stall hint worded from its code.
    await page.locator('[data-testid=lease-row]').dblclick();
    const details = page.locator('[data-testid=lease-details]');
    await details.waitFor();
    await page.locator('[data-testid=timeline-hints]').waitFor();
    const panel = await details.innerText();
    expect(panel).toMatch(/서브넷[\s\S]*임대 시작[\s\S]*처음 확인[\s\S]*마지막 확인/);
    expect(panel).toMatch(/타임라인/);
    expect(panel).toMatch(/다른 DHCP 서버\(198\.18\.20\.2\)를 선택했습니다/);
    expect(panel).toMatch(/클라이언트가 다른 DHCP 서버를 선택함/); // the drop reason, from its code
    expect(panel).toMatch(/이 장치 예약/);
    expect(panel).not.toMatch(/English fallback|\b(Subnet|Timeline|Reserve this device|client selected)\b/);
    expect(panel).toMatch(/OFFER[\s\S]*DISCOVER/); // message names stay as they are (newest first)
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });

    // Event log: tabs, filter groups and kind labels.
    await page.locator('[data-testid=tab-log]').click();
    await page.waitForSelector('[data-testid=log-entry]');
    await expect(page.locator('[data-testid=tab-log]').innerText()).resolves.toMatch(/이벤트 로그/);
    const kinds = await page.locator('[data-testid=log-entry] .kind').allInnerTexts();
    expect(kinds).toEqual(expect.arrayContaining(['무시', '서버', 'OFFER']));
    await expect(page.locator('[data-testid=log-group-problems]').innerText()).resolves.toBe('무시·경고');

    // Scope form (step 3 of the Setup column).
    const scope = await page.locator('#field-subnets').innerText();
    expect(scope).toMatch(/네트워크[\s\S]*시작 주소[\s\S]*끝 주소[\s\S]*라우터\(게이트웨이\)[\s\S]*DNS 서버[\s\S]*도메인[\s\S]*임대 시간/);
    expect(scope).toMatch(/주소 100개/);
    expect(scope).not.toMatch(/\b(Network|First address|Last address|Router|Domain|addresses)\b/);
    await context.close();
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
