// The UI language in the built renderer (out/renderer) in Debian's Chromium, served by the real
// web-mode server in front of a minimal fake engine: the language picker switches the visible text
// of the top bar and the Setup column to Korean, the choice survives a reload, "automatic" follows
// the browser language, and a browser whose language is Korean starts in Korean. In Korean, the
// lease table, device panel, log, scope form, static-address step and status strip speak Korean.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import type { ConfigDraft, Handlers, LeaseRow, LogEntry, ServerStatus } from '../../../src-main/ipc/contract.js';
import type { DeviceTimeline } from '../../../src-main/devices/timeline-types.js';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { startWebServer, type WebServer } from '../../../src-main/web/server.js';
import { eventLine } from '../../../src-main/server/event-format.js';
import { configOf, exportKea, previewImport } from '../../../src-main/portability/service.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';

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
/** A log entry as the controller makes it: the engine's English line and its code + values (eventLine). */
function logEntry(id: number, e: ServiceEvent, extra: Pick<LogEntry, 'level' | 'kind' | 'mac' | 'ip' | 'reason'>): LogEntry {
  const line = eventLine(e)!;
  return { id, at: e.at, ...extra, text: line.text, ...(line.msg ? { msg: line.msg } : {}) };
}
const LOG: LogEntry[] = [
  logEntry(1, { kind: 'dhcp', at: NOW - 3000, event: { type: 'offer', ip: LEASE.ip, mac: LEASE.mac, clientId: LEASE.clientId, subnet: LEASE.subnet, hostname: 'pi-01', source: 'first-free' } }, { level: 'info', kind: 'offer', mac: LEASE.mac, ip: LEASE.ip }),
  logEntry(2, { kind: 'dhcp', at: NOW - 2000, event: { type: 'drop', reason: 'wrong-server-id', mac: LEASE.mac, clientId: LEASE.clientId } }, { level: 'warn', kind: 'drop', mac: LEASE.mac, reason: 'wrong-server-id' }),
  logEntry(3, { kind: 'state', at: NOW - 1000, state: 'running', detail: 'listening on lab0 198.18.20.1:67' }, { level: 'info', kind: 'state' }),
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

/**
 * Serving on lab0 while lab1 (no address yet) is being set up: the static-address step with the
 * engine's plan (English step texts, elevated through pkexec) and a status strip with counters,
 * pool usage and drops.
 */
const LAB1: NetInterface = { ...LAB0, name: 'lab1', index: 3, mac: '02:aa:00:00:00:03', ipv4: [], adminUp: false };
const SETTING_UP: ConfigDraft = { interface: 'lab1', subnets: [{ subnet: '198.18.30.0/24', range: '198.18.30.100-198.18.30.199' }] } as ConfigDraft;
const RUNNING: ServerStatus = {
  state: 'running',
  interface: 'lab0',
  serverId: '198.18.20.1',
  prefix: 24,
  startedAt: NOW - 90_000,
  counters: { received: 1234, offers: 40, acks: 38, naks: 1, informs: 0, declines: 0, releases: 2, expired: 0, drops: { 'wrong-server-id': 3 }, sent: 80 },
  pools: [{ subnet: '198.18.20.0/24', range: '198.18.20.100-198.18.20.199', size: 100, bound: 10, offered: 2, declined: 0, free: 88 }],
  exhausted: false,
};

/** Just the calls the first screen makes; anything else fails loudly (and would show as a page error). */
function fakeHandlers(variant: 'fresh' | 'configured' | 'setting-up' = 'fresh'): Handlers {
  const configured = variant === 'configured';
  let draft: ConfigDraft = configured ? structuredClone(CONFIGURED) : variant === 'setting-up' ? structuredClone(SETTING_UP) : {};
  const info = { version: 'test', mode: 'web' as const, platform: 'linux' as const, dataDir: '/tmp/x', nativeSave: false, canApplyStaticAddress: false };
  const known: Partial<Handlers> = {
    'app.ready': async () => info,
    'app.info': async () => info,
    'interfaces.list': async () => (variant === 'setting-up' ? [LAB0, LAB1] : [LAB0]),
    'settings.get': async () => ({ draft, problems: [] }),
    'settings.save': async (r) => ({ draft: (draft = r.draft), problems: [] }),
    'server.status': async () => (variant === 'setting-up' ? RUNNING : STOPPED),
    'nic.plan': async (r) => ({
      interface: r.interface,
      address: r.address,
      prefix: r.prefix,
      commands: [`sudo ip addr add ${r.address}/${r.prefix} dev ${r.interface}`, `sudo ip link set ${r.interface} up`],
      note: 'Undo with ip addr del.',
      apply: {
        method: 'ip',
        elevation: 'pkexec',
        available: true,
        commands: [`pkexec /usr/lib/pocket-dhcp/nic-helper ${r.interface} ${r.address}/${r.prefix}`],
        // The engine's own sentences (src-main/net/nic-plan.ts), worded again in Korean from their form.
        steps: [
          { command: `ip addr add ${r.address}/${r.prefix} dev ${r.interface}`, why: `gives ${r.interface} the address ${r.address}/${r.prefix}` },
          { command: `ip link set ${r.interface} up`, why: `enables ${r.interface}` },
        ],
        restore: [`ip addr del ${r.address}/${r.prefix} dev ${r.interface}`],
        current: 'no IPv4 address, disabled',
      },
    }),
    'leases.list': async () => (configured ? [LEASE] : []),
    'log.recent': async () => (configured ? LOG : []),
    'devices.timeline': async () => TIMELINE,
    'journal.search': async () => ({ entries: [], omitted: 0, unreadable: 0 }) as never,
    // The real import preview and Kea export over this draft and lease (their sentences are the engine's).
    'import.preview': async (req) => previewImport(req, draft, configured ? [LEASE as Lease] : [], Date.now()),
    'export.kea': async (req) => exportKea(configOf(draft)!, configured ? [LEASE as Lease] : [], req),
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
  let settingUp: WebServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(fakeHandlers()), subscribe: (() => () => undefined) as never });
    configured = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(fakeHandlers('configured')), subscribe: (() => () => undefined) as never });
    settingUp = await startWebServer({ address: { host: '127.0.0.1', port: 0 }, rendererDir: RENDERER, dispatch: createDispatcher(fakeHandlers('setting-up')), subscribe: (() => () => undefined) as never });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await configured?.close();
    await settingUp?.close();
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
    // Each line worded in Korean from its code and values; addresses, MACs and OFFER kept.
    const lines = await page.locator('[data-testid=log-text]').allInnerTexts();
    expect(lines).toEqual([
      '서버 실행 중 — listening on lab0 198.18.20.1:67',
      '무시 02:aa:00:00:00:10: 클라이언트가 다른 DHCP 서버를 선택함',
      'OFFER 198.18.20.100 → 02:aa:00:00:00:10 "pi-01" (첫 빈 주소)',
    ]);
    // The text search finds the words shown, and the engine's English ones too.
    const search = page.locator('[data-testid=log-search]');
    await search.fill('빈 주소');
    await expect.poll(() => page.locator('[data-testid=log-text]').allInnerTexts()).toEqual(['OFFER 198.18.20.100 → 02:aa:00:00:00:10 "pi-01" (첫 빈 주소)']);
    await search.fill('selected another');
    await expect.poll(() => page.locator('[data-testid=log-text]').allInnerTexts()).toEqual(['무시 02:aa:00:00:00:10: 클라이언트가 다른 DHCP 서버를 선택함']);
    await search.fill('');
    // The MAC filter (a click on a line's MAC) keeps that device's lines.
    await page.locator('[data-testid=log-entry] .mac button').first().click();
    await expect.poll(() => page.locator('[data-testid=log-entry]').count()).toBe(2);
    await page.locator('[data-testid=log-mac-clear]').click();
    await expect.poll(() => page.locator('[data-testid=log-entry]').count()).toBe(3);

    // Scope form (step 3 of the Setup column).
    const scope = await page.locator('#field-subnets').innerText();
    expect(scope).toMatch(/네트워크[\s\S]*시작 주소[\s\S]*끝 주소[\s\S]*라우터\(게이트웨이\)[\s\S]*DNS 서버[\s\S]*도메인[\s\S]*임대 시간/);
    expect(scope).toMatch(/주소 100개/);
    expect(scope).not.toMatch(/\b(Network|First address|Last address|Router|Domain|addresses)\b/);
    await context.close();
  });

  it('in Korean, the static-address step and the status strip speak Korean; commands and addresses stay as they are', async () => {
    const { context, page } = await open('ko-KR', settingUp.url);

    // Step 2 for an interface without an address: the form, the plan and the confirmation.
    const step = page.locator('[data-testid=static-address]');
    await expect.poll(() => step.innerText()).toMatch(/lab1에 IPv4 주소가 없습니다/);
    // The engine's plan arrives (debounced): then the button can run it.
    await expect.poll(() => page.locator('[data-testid=static-apply]').isEnabled()).toBe(true);
    const form = await step.innerText();
    expect(form).toMatch(/주소[\s\S]*프리픽스/);
    expect(form).toMatch(/마스크 255\.255\.255\.0 · 네트워크 198\.18\.30\.0\/24/);
    expect(form).toMatch(/또는 터미널에서 직접 실행/);
    await expect(page.locator('[data-testid=static-apply]').innerText()).resolves.toMatch(/^lab1에 198\.18\.30\.\d+\/24 설정…$/);
    await page.click('[data-testid=static-apply]');
    const confirm = page.locator('[data-testid=static-apply-confirm]');
    await confirm.waitFor();
    const text = await confirm.innerText();
    expect(text).toMatch(/Pocket DHCP가 다음 명령을 관리자 권한으로 \(시스템이 암호를 묻습니다\) 실행합니다:/);
    expect(text).toMatch(/암호 입력 후 실행됨[\s\S]*복사/);
    expect(text).toMatch(/실제로 실행되는 명령:/);
    expect(text).toMatch(/lab1의 현재 설정: no IPv4 address, disabled\. 이 설정을 먼저 저장합니다\. 되돌릴 때 실행: ip addr del/);
    // Each step: the command as it is, what it does worded from the engine's sentence.
    const steps = await confirm.locator('[data-testid=static-apply-steps] li').allInnerTexts();
    expect(steps).toEqual([expect.stringMatching(/^ip addr add 198\.18\.30\.\d+\/24 dev lab1\s*— lab1에 주소 198\.18\.30\.\d+\/24 설정$/), expect.stringMatching(/^ip link set lab1 up\s*— lab1 활성화$/)]);
    await expect(confirm.locator('[data-testid=nic-command] pre').innerText()).resolves.toMatch(/^\$ pkexec \/usr\/lib\/pocket-dhcp\/nic-helper lab1/);
    await expect(page.locator('[data-testid=static-apply-run]').innerText()).resolves.toBe('실행');
    await expect(page.locator('[data-testid=static-apply-cancel]').innerText()).resolves.toBe('취소');
    expect(text).not.toMatch(/\b(will run|Runs after|Copy|which run|has now|gives|enables)\b/);
    expect(form).not.toMatch(/\b(Address|Prefix|Mask|network|has no IPv4|Or run it)\b/);

    // The status strip: counter labels, pool usage, legend, and the drop reasons from their codes.
    const strip = page.locator('[data-testid=status-strip]');
    const stripText = await strip.innerText();
    expect(stripText).toMatch(/40\s*OFFER[\s\S]*38\s*ACK[\s\S]*1\s*NAK[\s\S]*3\s*무시됨/);
    expect(stripText).toMatch(/1,234\s*\/\s*80\s*수신 \/ 송신/);
    expect(stripText).toMatch(/주소 100개 중 12개 사용 중/);
    expect(stripText).toMatch(/88개 남음/);
    expect(stripText).toMatch(/임대됨 10[\s\S]*제안됨 2/);
    expect(stripText).not.toMatch(/\b(Offers|ACKs|Dropped|Declines|Releases|addresses in use|free|bound|offered)\b/);
    await expect(page.locator('[data-testid=pool-usage] .bar').getAttribute('aria-label')).resolves.toBe('임대됨 10, 제안됨 2, 거부됨 0, 남음 88');
    await expect(strip.getAttribute('aria-label')).resolves.toBe('서버 상태');
    await page.click('[data-testid=counter-drops]');
    await expect(page.locator('[data-testid=drop-reasons]').innerText()).resolves.toMatch(/3\s*클라이언트가 다른 DHCP 서버를 선택함/);
    await context.close();
  });

  it('in Korean, the import dialog words a bad file’s problems, the skipped lines and the conflicts in Korean', async () => {
    const { context, page } = await open('ko-KR', configured.url);
    await page.waitForSelector('[data-testid=lease-row]');
    await page.click('[data-testid=import-open-leases]');
    const dialog = page.locator('[data-testid=import-dialog]');
    await expect.poll(() => dialog.isVisible()).toBe(true);

    // A file in no known format: the engine cannot tell, and says so in Korean with the file's name.
    await page.setInputFiles('[data-testid=import-file]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\nworld\n') });
    await expect.poll(() => page.locator('[data-testid=import-error]').innerText()).toBe('"notes.txt"의 형식을 알 수 없습니다: 형식을 직접 고르세요 (csv, json, dnsmasq, isc-dhcpd, kea, tftpd64, mac-list)');

    // A bad CSV: every line problem in Korean, with its line number, value and nothing English.
    const bad = 'ip,mac,expiresAt\n198.18.20.50,zz,2030-01-01T00:00:00Z\n198.18.20.51,02:aa:00:00:00:11,nope\n198.18.20.52,02:aa:00:00:00:12,2030-01-01T00:00:00Z,x\n';
    await page.setInputFiles('[data-testid=import-file]', { name: 'leases.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const problems = page.locator('[data-testid=import-problems]');
    await expect.poll(() => problems.isVisible()).toBe(true);
    const items = await problems.locator('li').allInnerTexts();
    expect(items).toEqual(['2번째 줄 mac "zz"은(는) MAC 주소가 아닙니다', '3번째 줄 expiresAt "nope"은(는) 날짜가 아닙니다 (ISO 8601, 예: 2026-11-23T10:00:00Z)']);
    const all = await problems.innerText();
    expect(all).toMatch(/이 파일은 가져올 수 없습니다/);
    expect(all).not.toMatch(/\b(is not|a date|line \d|problem|MAC address)\b/);
    await expect(page.locator('[data-testid=import-apply]').isDisabled()).resolves.toBe(true);

    // A dnsmasq.conf with a skipped line and rows that conflict: notes and conflicts in Korean.
    const conf = 'dhcp-host=02:aa:00:00:00:20,ignore\ndhcp-host=02:aa:00:00:00:21,192.0.2.5\ndhcp-host=02:aa:00:00:00:22,198.18.20.100\n';
    await page.setInputFiles('[data-testid=import-file]', { name: 'dnsmasq.conf', mimeType: 'text/plain', buffer: Buffer.from(conf) });
    await expect.poll(() => page.locator('[data-testid=import-row]').count()).toBe(2);
    await expect(page.locator('[data-testid=import-note]').allInnerTexts()).resolves.toEqual(['1번째 줄: "ignore"가 붙은 dhcp-host(dnsmasq가 응답하면 안 되는 장치)를 건너뛰었습니다']);
    const conflicts = (await page.locator('[data-testid=import-conflict]').allInnerTexts()).map((c) => c.trim());
    expect(conflicts).toEqual([
      '✗ 서브넷 밖의 주소: 192.0.2.5은(는) 설정된 어느 서브넷(198.18.20.0/24)에도 속하지 않습니다',
      expect.stringMatching(/^! 다른 장치에 임대됨: 198\.18\.20\.100은\(는\) .+까지 02:aa:00:00:00:10에 임대되어 있습니다\. 그 장치는 임대가 끝날 때까지 이 주소를 씁니다$/),
    ]);
    expect(await dialog.innerText()).not.toMatch(/\b(skipped|outside every|is leased to|keeps it)\b/);
    await page.keyboard.press('Escape');
    await context.close();
  });

  it('in Korean, "Export to Kea…" shows the engine’s notes as Korean toasts', async () => {
    const { context, page } = await open('ko-KR', configured.url);
    await page.waitForSelector('[data-testid=lease-row]');
    await page.locator('[data-testid=export-menu-leases] summary').click();
    await page.locator('[data-testid=export-menu-leases] [data-testid=export-kea-open]').click();
    await page.locator('[data-testid=kea-dialog]').waitFor();
    await page.check('[data-testid=kea-ha]');
    await page.locator('[data-testid=kea-peer-url]').nth(1).fill('http://192.0.2.2:8000/');
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.click('[data-testid=kea-export]');
    await expect.poll(() => downloads).toEqual(['kea-dhcp4.conf', 'kea-leases4.csv']);
    const toasts = page.locator('[data-testid=toast]');
    await expect.poll(() => toasts.count()).toBe(4);
    const texts = await toasts.allInnerTexts();
    expect(texts).toEqual([
      'kea-dhcp4.conf을(를) 내려받았습니다',
      'kea-leases4.csv을(를) 내려받았습니다',
      'kea-dhcp4.conf는 임대 파일이 /var/lib/kea/kea-leases4.csv에 있다고 봅니다: Kea를 시작하기 전에 kea-leases4.csv을(를) 그 위치에 복사하세요 (소유자는 Kea를 실행하는 사용자, Debian에서는 _kea).',
      expect.stringMatching(/^고가용성\(HA\): 각 Kea 서버의 피어 URL에서 kea-ctrl-agent가 실행되며 \/run\/kea\/\S+로 전달해야 합니다\./),
    ]);
    expect(texts.join('\n')).not.toMatch(/\b(expects|Downloaded|High Availability|each Kea server|export once)\b/);
    await context.close();
  });

  it('in Korean, a settings problem the engine finds is Korean beside its field, in the things to fix and in the Kea export', async () => {
    // Last in this file: the edits are saved into the fake engine's draft.
    const { context, page } = await open('ko-KR', configured.url);
    await page.waitForSelector('[data-testid=lease-row]');
    const fieldErrors = page.locator('[data-testid=setup] [data-testid=field-error]');

    // A router outside the subnet: a cross-field check of parseConfig (cfg.router-outside).
    await page.fill('[data-testid=scope-router]', '198.18.99.1');
    const router = '198.18.99.1은(는) 서브넷 198.18.20.0/24에 없습니다: 게이트웨이는 클라이언트와 같은 네트워크에 있어야 합니다';
    await expect.poll(() => fieldErrors.allInnerTexts()).toEqual([router]);
    const blocking = page.locator('[data-testid=blocking-problems]');
    await expect.poll(() => blocking.innerText()).toMatch(/198\.18\.99\.1은\(는\) 서브넷 198\.18\.20\.0\/24에 없습니다/);
    expect(await blocking.innerText()).not.toMatch(/is not in subnet|gateway/);
    // "Export to Kea…" refuses with the same problem, in Korean.
    await page.locator('[data-testid=export-menu-leases] summary').click();
    await page.locator('[data-testid=export-menu-leases] [data-testid=export-kea-open]').click();
    await expect.poll(() => page.locator('[data-testid=kea-blocked]').innerText()).toBe(`먼저 설정을 고치세요: subnets[0].router: ${router}`);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=kea-dialog]').waitFor({ state: 'hidden' });

    // A field's own check (cfg.domain) and a value of the wrong shape for the router (cfg.not-ipv4).
    await page.fill('[data-testid=scope-router]', '198.18.20.1');
    await page.fill('[data-testid=scope-domain]', 'bad domain');
    await expect.poll(() => fieldErrors.allInnerTexts()).toEqual(['올바른 도메인 이름이 아닙니다']);
    await page.fill('[data-testid=scope-domain]', '');
    await page.fill('[data-testid=scope-router]', '198.18.20');
    await expect.poll(() => fieldErrors.allInnerTexts()).toEqual(['198.18.10.1 같은 IPv4 주소가 아닙니다']);
    expect((await page.locator('[data-testid=setup]').innerText())).not.toMatch(/is not an IPv4|not a valid domain/);
    await page.fill('[data-testid=scope-router]', '198.18.20.1');
    await expect.poll(() => fieldErrors.count()).toBe(0);
    await context.close();
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
