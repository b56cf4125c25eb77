// The whole product in a browser, end to end: the built CLI's headless web mode
// (`pocket-dhcp serve --web 127.0.0.1:PORT --data-dir DIR`, idle, no configuration flags) with the
// REAL engine, driven through the built Svelte UI in Debian's Chromium (playwright-core), serving
// REAL DHCP clients (dhclient, busybox udhcpc, dhcpcd) in another network namespace.
//
//   S: sv0 198.18.40.1/24, usb0 (no address), uplink0 (198.19.40.23/24 with a lifetime, as if
//      from DHCP: someone else's network) ── veth ── C: cl0, cl1, cl2
//      server (web UI on S's 127.0.0.1:8080) + Chromium (inside S, see e2e-lab.ts)
//
// The token from the printed URL; a wrong and a missing token refused; picking the interface; an
// invalid range blocking Start; the scope (range, router, DNS, domain, lease time) and a
// reservation typed in another MAC notation; Start; dhclient's lease row on screen within 2 s of
// the server's ACK; "reserve this device" from that row (UI and settings.json); CSV export as a
// browser download; Stop silencing the server (a DISCOVER gets no answer); settings surviving a
// restart of the process. Also: the interface list following an address added and removed in the
// namespace (pushed, no reload); a device with a known MAC maker and a vendor class (udhcpc -V)
// showing both columns. Screenshots of the main screens, light and dark (their backgrounds
// compared), with the real leases go to test-results/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../src-main/leases/export.js';
import { browserE2eMissing, eventTime, launchChromiumIn, startWebServe, type NetnsBrowser, type WebServeHandle } from '../helpers/e2e-lab.js';
import { luminance, measureLeaseTableUi, parseCsv, recordWebSockets, rowSeenAt, shoot, watchLeaseRows } from '../helpers/e2e-ui.js';
import { createLab, netnsAvailable, readLines, type Lab } from '../helpers/netns.js';
import { ipInRange, probe, runDhcpcd, runUdhcpc, setMac, spawnDhclient, TempDirs, type LogEvent } from '../helpers/server-lab.js';

const avail = netnsAvailable();
const skip = !avail.ok ? avail.reason : browserE2eMissing();
if (skip) console.warn(`[web UI e2e] skipped: ${skip}`);

const PORT = 8080; // on the server namespace's own loopback: nothing else can hold it
const NET = '198.18.40';
const SERVER = `${NET}.1`;
const RANGE = [`${NET}.100`, `${NET}.150`] as const;
const LAPTOP_MAC = '02:00:5e:40:00:01'; // dhclient
const LAPTOP_HOST = 'e2e-laptop';
/** Reserved before Start, typed as B8-27-EB-4A-00-21 and expected back as the colon form. */
const PI = { typed: 'B8-27-EB-4A-00-21', mac: 'b8:27:eb:4a:00:21', ip: `${NET}.21`, hostname: 'pi-gateway' };
const VIEWPORT = { width: 1440, height: 900 };
/** The rest of the bench, as busybox udhcpc clients: MAC, host name, vendor class (option 60). */
const BENCH: readonly [string, string, string?][] = [
  ['3c:22:fb:90:12:ab', 'macbook-lab'],
  ['00:1b:21:3a:4f:10', 'plc-siemens-s7', 'SIEMENS S7-1200'],
  ['94:c6:91:08:3e:21', 'printer-floor2', 'HP LaserJet'],
  ['e4:5f:01:aa:bb:cc', 'pi5-cam'],
  ['70:b3:d5:0e:40:01', 'scope-rigol'],
  ['00:15:5d:01:02:03', 'win-tester', 'MSFT 5.0'],
  ['b8:27:eb:4a:00:22', 'raspberrypi'],
  ['b8:27:eb:4a:00:23', 'raspberrypi'],
  ['00:0c:29:5e:7a:01', 'ubuntu-vm'],
  ['24:0a:c4:12:34:56', 'esp32-sensor', 'espressif'],
  ['00:c0:b7:00:10:20', 'ups-apc', 'APC'],
  ['f0:9f:c2:aa:10:01', 'ap-unifi', 'ubnt'],
  ['a4:83:e7:77:01:02', 'ipad-tech'],
  ['00:1d:9c:c8:03:e1', 'robot-arm-1', 'FANUC R-30iB'],
  ['00:e0:4c:68:01:99', 'usb-nic-test'],
];
/** dhclient + the reserved Pi + BENCH + dhcpcd. */
const TOTAL = 2 + BENCH.length + 1;

describe.skipIf(skip !== undefined)(`web UI against the real engine, real clients${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('webui');
  let dataDir: string;
  let srv: WebServeHandle;
  let nb: NetnsBrowser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** While the server process is deliberately down, the page's reconnect attempts fail (and log). */
  let serverDown = false;
  let laptopIp = '';
  let laptopAck = 0;

  const settingsFile = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, any>;
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const isDhcp = (type: string, mac: string) => (e: LogEvent) => e.kind === 'dhcp' && (e.event as { type?: string; mac?: string }).type === type && (e.event as { mac?: string }).mac === mac;

  async function openPage(ctx: BrowserContext, url: string): Promise<Page> {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (serverDown && /WebSocket connection to .* failed/.test(m.text())) return;
      pageErrors.push(`console: ${m.text()}`);
    });
    await p.goto(url);
    return p;
  }

  /** A DHCPDISCOVER from a fresh MAC on cl0; the replies within `listenMs`. */
  const discover = (mac: string, listenMs: number) =>
    probe(lab, 'c', {
      bind: ['0.0.0.0', 68],
      device: 'cl0',
      sends: [{ to: ['255.255.255.255', 67], packet: { xid: 0x5eed0000 + Math.floor(Math.random() * 0xffff), chaddr: mac, flags: 0x8000, options: [[53, '01'], [55, '0103060f']] } }],
      listenMs,
      stopAfter: 1,
    });

  beforeAll(async () => {
    lab = await createLab('webui');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', `${SERVER}/24`, 'c', 'cl0', null);
    // Two more ports, so picking the right interface is a real choice: one without an address, one
    // whose address has a lifetime (what a DHCP client sets: the UI must flag it as foreign).
    await lab.link('s', 'usb0', null, 'c', 'cl1', null);
    await lab.link('s', 'uplink0', null, 'c', 'cl2', null);
    await lab.ip('s', 'addr', 'add', '198.19.40.23/24', 'dev', 'uplink0', 'valid_lft', '3600', 'preferred_lft', '3600');
    dataDir = join(tmp.make('srv'), 'data');
    mkdirSync(dataDir, { recursive: true });
    srv = await startWebServe(lab, 's', { dataDir, port: PORT });
    nb = await launchChromiumIn(lab, 's', tmp.make('chromium'));
    context = await nb.browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', acceptDownloads: true });
  }, 60_000);

  afterAll(async () => {
    await nb?.close();
    if (srv) await srv.stop();
    await lab?.cleanup();
    tmp.cleanup();
  }, 60_000);

  it('opens the printed URL: the token is accepted and then removed from the address bar', async () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${PORT}/#token=[0-9a-f]{32}$`));
    page = await openPage(context, srv.url);
    await expect.poll(() => page.locator('[data-testid=interface-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['sv0', 'uplink0', 'usb0']);
    expect(await page.locator('[data-testid=interface-row][data-name=uplink0]').textContent()).toMatch(/198\.19\.40\.23\/24\s*DHCP/);
    expect(await page.locator('[data-testid=interface-row][data-name=usb0]').textContent()).toContain('no IPv4 address');
    expect(page.url()).toBe(`${srv.origin}/`);
    expect(await tid('connection-banner').count()).toBe(0);
    expect(await tid('getting-started').count()).toBe(1);
    expect(await tid('state-pill').getAttribute('data-state')).toBe('stopped');
    await watchLeaseRows(page);
    await shoot(page, 'first-run-light');
  });

  it('the interface list follows the system without a reload: an address added to usb0 shows, removed it goes', async () => {
    const usb0 = page.locator('[data-testid=interface-row][data-name=usb0]');
    expect(await usb0.textContent()).toContain('no IPv4 address');
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    // The engine's watcher polls every 2 s and pushes `interfaces` when the list changed.
    const added = Date.now();
    await lab.ip('s', 'addr', 'add', '198.18.42.1/24', 'dev', 'usb0');
    await expect.poll(() => usb0.textContent(), { timeout: 5000, interval: 100 }).toContain('198.18.42.1/24');
    const shownAfter = Date.now() - added;
    expect(await usb0.textContent()).not.toContain('no IPv4 address');
    await lab.ip('s', 'addr', 'del', '198.18.42.1/24', 'dev', 'usb0');
    await expect.poll(() => usb0.textContent(), { timeout: 5000, interval: 100 }).toContain('no IPv4 address');
    expect(await usb0.textContent()).not.toContain('198.18.42.1');
    console.log(`[web UI e2e] an address added to usb0 was on screen after ${shownAfter} ms (watcher period 2 s)`);
    // Pushed into the open page, not a reload.
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    expect(page.url()).toBe(`${srv.origin}/`);
  });

  it('a wrong token is refused: the banner says so and no API call succeeds', async () => {
    const ctx = await nb.browser.newContext({ viewport: VIEWPORT });
    try {
      const p = await ctx.newPage();
      const ws = recordWebSockets(p);
      await p.goto(`${srv.origin}/#token=${'0'.repeat(32)}`);
      await expect.poll(() => p.locator('[data-testid=connection-banner]').getAttribute('data-state'), { timeout: 10_000 }).toBe('unauthorized');
      expect(await p.locator('[data-testid=connection-banner]').textContent()).toMatch(/refused this page’s access token/);
      expect(ws.opened).toEqual([`ws://127.0.0.1:${PORT}/api`]);
      // The page sent the token (its calls wait for auth-ok); the server answered nothing.
      expect(ws.sent).toEqual([{ type: 'auth', token: '0'.repeat(32) }]);
      expect(ws.received.filter((m) => (m as { type?: string }).type === 'auth-ok' || (m as { type?: string }).type === 'result' || (m as { type?: string }).type === 'event')).toEqual([]);
      expect(await p.locator('[data-testid=interface-row]').count()).toBe(0);
      expect(await p.locator('[data-testid=start-button]').isDisabled()).toBe(true);
      // It does not keep knocking either: still one socket a moment later.
      await p.waitForTimeout(800);
      expect(ws.opened).toHaveLength(1);
    } finally {
      await ctx.close();
    }
    // A client that does not wait for auth-ok gets nothing either: its call right behind a wrong
    // token is not answered, the socket is closed as a policy violation, the server stays idle.
    const bridge = lab.spawnNode('s', ['test/helpers/ws-bridge.ts', `${srv.origin}/#token=${'f'.repeat(32)}`]);
    const lines = readLines(bridge.stdout!);
    bridge.stdin!.end(`${JSON.stringify({ id: 1, name: 'server.start', payload: null })}\n`);
    await lines.waitFor(/"type":"closed"/, { timeoutMs: 15_000 });
    await lab.kill(bridge);
    const msgs = lines.lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: { type: string; code?: number } }).msg);
    expect(msgs).toEqual([{ type: 'closed', code: 1008, reason: 'authentication failed' }]);
    expect(srv.events().filter((e) => e.kind === 'started')).toEqual([]);
  });

  it('no token at all is refused too: the page asks for the printed address and opens no socket', async () => {
    const ctx = await nb.browser.newContext({ viewport: VIEWPORT });
    try {
      const p = await ctx.newPage();
      const ws = recordWebSockets(p);
      await p.goto(`${srv.origin}/`);
      await expect.poll(() => p.locator('[data-testid=connection-banner]').getAttribute('data-state')).toBe('no-token');
      expect(await p.locator('[data-testid=connection-banner]').textContent()).toMatch(/needs its access token/);
      expect(ws.opened).toEqual([]);
      expect(await p.locator('[data-testid=interface-row]').count()).toBe(0);
      // Nothing reached the engine: it never left the idle state.
      expect(srv.events().filter((e) => e.kind === 'started')).toEqual([]);
      // Doing what the banner says in the same tab — only the fragment changes, so the browser
      // does not reload by itself — connects.
      await p.goto(srv.url);
      await expect.poll(() => p.locator('[data-testid=interface-row]').count(), { timeout: 10_000 }).toBe(3);
      expect(await p.locator('[data-testid=connection-banner]').count()).toBe(0);
      expect(ws.opened).toEqual([`ws://127.0.0.1:${PORT}/api`]);
    } finally {
      await ctx.close();
    }
  });

  it('picking the veth puts the scope on its network', async () => {
    await page.click('[data-testid=interface-row][data-name=sv0]');
    await expect.poll(() => tid('scope-subnet').inputValue()).toBe(`${NET}.0/24`);
    expect(await page.locator('[data-testid=interface-row][data-name=sv0]').getAttribute('aria-checked')).toBe('true');
    expect(await tid('static-address-ok').textContent()).toContain(`${SERVER}/24`);
    await expect.poll(() => settingsFile().interface, { timeout: 5000 }).toBe('sv0');
  });

  it('an invalid range shows the inline error and Start stays disabled', async () => {
    await page.fill('[data-testid=range-start]', `${NET}.100`);
    await page.fill('[data-testid=range-end]', '198.18.41.20');
    await expect.poll(() => tid('range-error').first().textContent()).toMatch(/198\.18\.41\.20 is outside the network 198\.18\.40\.0\/24/);
    expect(await tid('start-button').isDisabled()).toBe(true);
    expect(await tid('server-status-text').textContent()).toMatch(/^Setup incomplete/);

    await page.fill('[data-testid=range-start]', SERVER);
    await page.fill('[data-testid=range-end]', `${NET}.50`);
    await expect.poll(() => tid('range-error').allTextContents()).toContainEqual(expect.stringMatching(new RegExp(`contains this computer's address ${SERVER.replace(/\./g, '\\.')}`)));
    expect(await tid('start-button').isDisabled()).toBe(true);
    await expect.poll(() => tid('save-state').getAttribute('data-state')).toBe('saved');
    // Saved as typed (nothing typed is lost), yet not startable.
    await expect.poll(() => settingsFile().subnets[0].range).toBe(`${SERVER}-${NET}.50`);
    await shoot(page, 'range-error-light');
  });

  it('configures the scope: range, router, DNS, domain, lease time — saved as typed', async () => {
    await page.fill('[data-testid=range-start]', RANGE[0]);
    await page.fill('[data-testid=range-end]', RANGE[1]);
    await expect.poll(() => tid('range-size').textContent()).toMatch(/51 addresses/);
    await page.fill('[data-testid=scope-router]', SERVER);
    await page.fill('[data-testid=scope-dns]', `${SERVER}, ${NET}.53`);
    await page.fill('[data-testid=scope-domain]', 'bench.test');
    await page.selectOption('[data-testid=lease-time-unit]', 'min');
    await page.fill('[data-testid=lease-time]', '30');
    await expect.poll(() => tid('lease-timers').textContent()).toMatch(/renew after 15/);
    await expect.poll(() => tid('save-state').getAttribute('data-state')).toBe('saved');
    await expect.poll(() => settingsFile(), { timeout: 5000 }).toMatchObject({
      interface: 'sv0',
      leaseTime: 1800,
      subnets: [{ subnet: `${NET}.0/24`, range: `${RANGE[0]}-${RANGE[1]}`, router: [SERVER], dns: [SERVER, `${NET}.53`], domain: 'bench.test' }],
    });
    expect(await tid('range-error').count()).toBe(0);
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
    expect(await tid('server-status-text').textContent()).toBe('Ready to start');
  });

  it('adds a reservation typed in another MAC notation: shown and saved normalised', async () => {
    await tid('reservation-add').click();
    await page.fill('[data-testid=reservation-mac]', PI.typed);
    await page.fill('[data-testid=reservation-ip]', PI.ip);
    await page.fill('[data-testid=reservation-hostname]', PI.hostname);
    expect(await tid('reservation-form').textContent()).toContain(`Saved as ${PI.mac}`);
    await tid('reservation-save').click();
    const row = page.locator(`[data-testid=reservation-row][data-mac="${PI.mac}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual([PI.mac, PI.ip, PI.hostname]);
    await expect.poll(() => settingsFile().reservations, { timeout: 5000 }).toEqual([{ mac: PI.mac, ip: PI.ip, hostname: PI.hostname }]);
  });

  it('Start: the engine serves sv0 and the status says so', async () => {
    await tid('start-button').click();
    await expect.poll(() => tid('state-pill').getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
    expect(await tid('server-status-text').textContent()).toMatch(new RegExp(`^Serving on sv0 · ${SERVER.replace(/\./g, '\\.')}( · up .*)?$`));
    const started = await srv.waitEvent((e) => e.kind === 'started', { timeoutMs: 5000 });
    expect(started).toMatchObject({ interface: 'sv0', serverId: SERVER });
    expect(await tid('stop-button').isEnabled()).toBe(true);
  });

  it('dhclient gets a lease with the scope from the UI; its row is on screen within 2 s of the ACK', async () => {
    await setMac(lab, 'c', 'cl0', LAPTOP_MAC);
    const dh = spawnDhclient(lab, 'c', 'cl0', {
      dir: tmp.make('dhclient'),
      conf: `timeout 10;
retry 1;
initial-interval 1;
send host-name "${LAPTOP_HOST}";
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name, dhcp-lease-time, dhcp-renewal-time, dhcp-rebinding-time;
`,
    });
    let bound: Record<string, string>;
    try {
      bound = await dh.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
    } finally {
      await dh.stop();
    }
    laptopIp = bound.new_ip_address!;
    expect(ipInRange(laptopIp, RANGE[0], RANGE[1])).toBe(true);
    // What the UI configured is what the client got.
    expect(bound).toMatchObject({ new_subnet_mask: '255.255.255.0', new_routers: SERVER, new_domain_name_servers: `${SERVER} ${NET}.53`, new_domain_name: 'bench.test', new_dhcp_lease_time: '1800' });

    const ack = await srv.waitEvent(isDhcp('ack', LAPTOP_MAC), { timeoutMs: 5000 });
    laptopAck = eventTime(ack);
    const seen = await rowSeenAt(page, LAPTOP_MAC, 'bound', 5000);
    const latency = seen - laptopAck;
    console.log(`[web UI e2e] lease row on screen ${latency} ms after the server's ACK (dhclient ${LAPTOP_MAC} → ${laptopIp})`);
    expect(latency).toBeLessThan(2000);
    expect(latency).toBeGreaterThan(-50); // the row cannot show a bound lease before the ACK (same clock)

    const row = page.locator(`[data-testid=lease-row][data-ip="${laptopIp}"]`);
    expect(await row.getAttribute('data-state')).toBe('bound');
    expect(await row.locator('[data-testid=lease-mac]').textContent()).toBe(LAPTOP_MAC);
    expect(await row.textContent()).toContain(LAPTOP_HOST);
    await expect.poll(() => tid('counter-acks').textContent()).toBe('1');
  });

  it('the device panel shows the dhclient\'s identity and its DISCOVER → OFFER → REQUEST → ACK timeline; the journal tab has its bind', async () => {
    await page.locator(`[data-testid=lease-row][data-ip="${laptopIp}"]`).dblclick();
    await tid('lease-details').waitFor();
    // 02:… is locally administered: flagged, no vendor.
    await tid('details-random-mac').waitFor();
    expect(await tid('details-vendor').count()).toBe(0);
    // Option 55 exactly as the dhclient.conf above asks: subnet-mask, broadcast, routers, domain, DNS, host-name, 51, 58, 59.
    expect(await tid('details-fingerprint').textContent()).toBe('1,28,3,15,6,12,51,58,59');
    const kinds = async () => (await tid('timeline-steps').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).reverse();
    await expect.poll(async () => (await kinds()).at(-1), { timeout: 5000 }).toBe('ack');
    const seq = await kinds();
    const at = (k: string) => seq.lastIndexOf(k);
    expect(at('discover')).toBeGreaterThanOrEqual(0);
    expect(at('discover') < at('offer') && at('offer') < at('request') && at('request') < at('ack'), seq.join(' ')).toBe(true);
    // Relative timings between the steps: every step but the first has one.
    const deltas = await tid('timeline-steps').locator('.delta').allTextContents();
    expect(deltas.filter((d) => /^\+<?\d/.test(d)).length).toBe(seq.length - 1);
    expect(await tid('timeline-hints').count()).toBe(0); // a clean DORA: nothing to hint
    await shoot(page, 'device-panel-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, 'device-panel-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await expect.poll(() => tid('lease-details').isVisible()).toBe(false);

    await tid('tab-journal').click();
    await tid('journal-mac').fill(LAPTOP_MAC.toUpperCase());
    await tid('journal-search').click();
    const bind = page.locator(`[data-testid=journal-row][data-mac="${LAPTOP_MAC}"][data-event=bind]`);
    await bind.waitFor({ timeout: 5000 });
    expect(await bind.textContent()).toContain(laptopIp);
    await shoot(page, 'journal-light');
    await tid('tab-leases').click();
    await tid('lease-table').waitFor();
  });

  it('"reserve this device" from the lease row: the reservation list and settings.json have it', async () => {
    await page.locator(`[data-testid=lease-row][data-ip="${laptopIp}"]`).dblclick();
    await expect.poll(() => tid('lease-details').isVisible()).toBe(true);
    await tid('reserve-device').click();
    await expect.poll(() => tid('reservation-mac').inputValue()).toBe(LAPTOP_MAC);
    expect(await tid('reservation-ip').inputValue()).toBe(laptopIp);
    expect(await tid('reservation-hostname').inputValue()).toBe(LAPTOP_HOST);
    await tid('reservation-save').click();
    const row = page.locator(`[data-testid=reservation-row][data-mac="${LAPTOP_MAC}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual([LAPTOP_MAC, laptopIp, LAPTOP_HOST]);
    await expect.poll(() => settingsFile().reservations, { timeout: 5000 }).toEqual([
      { mac: PI.mac, ip: PI.ip, hostname: PI.hostname },
      { mac: LAPTOP_MAC, ip: laptopIp, hostname: LAPTOP_HOST },
    ]);
    // The lease now carries the reserved pin; the running server was started without it, so the
    // UI offers a restart — which stops and starts the real engine with the saved settings.
    expect(await page.locator(`[data-testid=lease-row][data-ip="${laptopIp}"] .pin`).count()).toBe(1);
    expect(await tid('restart-needed').count()).toBe(1);
    const from = srv.out.lines.length;
    await tid('restart-button').click();
    await srv.waitEvent((e) => e.kind === 'stopped', { from, timeoutMs: 10_000 });
    await srv.waitEvent((e) => e.kind === 'started', { from, timeoutMs: 10_000 });
    await expect.poll(() => tid('state-pill').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    await expect.poll(() => tid('restart-needed').count()).toBe(0);
    // The lease survived the restart of the engine.
    expect(await page.locator(`[data-testid=lease-row][data-ip="${laptopIp}"]`).getAttribute('data-state')).toBe('bound');
  });

  it('more real clients: the device reserved in the UI gets its address; udhcpc and dhcpcd show up', async () => {
    const dir = tmp.make('clients');
    // The reservation typed before Start, served by the engine.
    await setMac(lab, 'c', 'cl0', PI.mac);
    const pi = await runUdhcpc(lab, 'c', 'cl0', { dir, name: 'pi', args: ['-x', `hostname:${PI.hostname}`] });
    expect(pi.result.code, pi.result.stderr).toBe(0);
    expect((await pi.rec.waitFor(['bound'], { timeoutMs: 1000 })).ip).toBe(PI.ip);
    for (const [mac, host, vendor] of BENCH) {
      await setMac(lab, 'c', 'cl0', mac);
      const r = await runUdhcpc(lab, 'c', 'cl0', { dir, name: host, args: ['-x', `hostname:${host}`, ...(vendor ? ['-V', vendor] : [])] });
      expect(r.result.code, `${host}: ${r.result.stderr}`).toBe(0);
    }
    await setMac(lab, 'c', 'cl0', 'dc:a6:32:11:22:33');
    const dc = await runDhcpcd(lab, 'c', 'cl0', { dir, name: 'dhcpcd', extraArgs: ['-h', 'octopi'] });
    expect(dc.result.code, dc.result.stderr).toBe(0);
    await expect.poll(() => tid('lease-count').textContent(), { timeout: 5000 }).toBe(`${TOTAL} leases · ${TOTAL} active`);
    await expect.poll(() => page.locator(`[data-testid=lease-row][data-ip="${PI.ip}"]`).getAttribute('data-state')).toBe('bound');
    expect(await page.locator(`[data-testid=lease-row][data-ip="${PI.ip}"]`).textContent()).toContain(PI.hostname);
  });

  it('a device whose MAC maker is known and which sends a vendor class (udhcpc -V) shows both, each in its column', async () => {
    const plc = page.locator('[data-testid=lease-row]', { hasText: 'plc-siemens-s7' });
    try {
      await tid('lease-filter').fill('plc-siemens-s7');
      await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBe(1);
      // 00:1b:21 is an Intel prefix (the PLC's network card); option 60 says what the device is.
      expect(await plc.locator('[data-testid=lease-vendor]').textContent()).toBe('Intel Corporate');
      expect(await plc.locator('[data-testid=lease-vendor-class]').textContent()).toBe('SIEMENS S7-1200');
      expect(await plc.locator('[data-testid=lease-vendor-class]').isVisible()).toBe(true);
      expect(await tid('sort-vendorClass').isVisible()).toBe(true);
      expect((await tid('sort-vendorClass').textContent())?.trim()).toBe('Vendor class');
      // The vendor class is searchable on its own.
      await tid('lease-filter').fill('S7-1200');
      await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBe(1);
    } finally {
      await tid('lease-filter').fill('');
    }
    await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBeGreaterThan(1);
    await tid('sort-vendorClass').click();
    // udhcpc sends "udhcp 1.x" without -V, dhcpcd "dhcpcd-…", dhclient nothing: "APC" sorts first.
    await expect.poll(() => page.locator('[data-testid=lease-row]').first().locator('[data-testid=lease-vendor-class]').textContent()).toBe('APC');
    await tid('sort-ip').click();
    await expect.poll(() => tid('sort-ip').locator('..').getAttribute('aria-sort')).toBe('ascending');
  });

  it('exports CSV as a browser download with the header and the dhclient row', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), tid('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^pocket-dhcp-leases-\d{4}-\d{2}-\d{2}T\d{4}\.csv$/);
    const file = await download.path();
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const laptop = rows.filter((r) => r[col('mac')] === LAPTOP_MAC);
    expect(laptop).toHaveLength(1);
    expect([laptop[0]![col('ip')], laptop[0]![col('hostname')], laptop[0]![col('state')], laptop[0]![col('subnet')]]).toEqual([laptopIp, LAPTOP_HOST, 'bound', `${NET}.0/24`]);
    expect(Date.parse(laptop[0]![col('expiresAt')]!) - laptopAck).toBeGreaterThan(1790_000);
    expect(rows.slice(1).filter((r) => r.length > 1)).toHaveLength(TOTAL);
    await expect.poll(() => tid('toast').first().textContent()).toMatch(/Downloaded pocket-dhcp-leases-.*\.csv/);
  });

  it('screenshots of the main screens, light and dark, with the real leases', async () => {
    // Light: the lease table, a lease's details, the event log.
    for (const b of await page.locator('[data-testid=toast] button').all()) await b.click();
    await page.locator('aside.sidebar').evaluate((el) => (el.scrollTop = 0));
    // No selected row in the hero shot: Escape in the table clears it (then no focus ring either).
    await tid('lease-table').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=lease-row][aria-selected=true]').count()).toBe(0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await shoot(page, 'leases-light');
    const printerIp = await page.locator('[data-testid=lease-row]', { hasText: 'printer-floor2' }).getAttribute('data-ip');
    await page.locator(`[data-testid=lease-row][data-ip="${printerIp}"]`).dblclick();
    await tid('lease-details').waitFor();
    await shoot(page, 'lease-details-light');
    await page.keyboard.press('Escape');
    await tid('tab-log').click();
    await tid('event-log').waitFor();
    await shoot(page, 'event-log-light');
    await tid('tab-leases').click();

    // Dark: a second tab on the same server (the token is still the printed one).
    const dark = await nb.browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' });
    try {
      const p = await openPage(dark, srv.url);
      await expect.poll(() => p.locator('[data-testid=lease-row][data-state=bound]').count()).toBe(TOTAL);
      expect(await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      // Light and dark really differ: the dark page's background is dark, the light one's light.
      const bg = (x: Page) => x.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [light, darkBg] = [await bg(page), await bg(p)];
      expect(darkBg).not.toBe(light);
      expect(luminance(light)).toBeGreaterThan(0.8);
      expect(luminance(darkBg)).toBeLessThan(0.05);
      await p.mouse.move(0, 0);
      await shoot(p, 'leases-dark');
      await p.locator('[data-testid=tab-log]').click();
      await p.locator('[data-testid=event-log]').waitFor();
      await shoot(p, 'event-log-dark');
      await p.locator('[data-testid=tab-leases]').click();
    } finally {
      await dark.close();
    }
  });

  it('UI timings of the lease table (measured, reported, not asserted)', async () => {
    const m = await measureLeaseTableUi(page);
    console.log(`[web UI e2e] lease table with ${m.rows} rows: filter ${m.filter.map((f) => `"${f.query}" ${f.ms.toFixed(1)} ms`).join(', ')}; scroll frames p50 ${m.scroll.p50Ms.toFixed(1)} / p95 ${m.scroll.p95Ms.toFixed(1)} ms`);
    expect(m.rows).toBe(TOTAL);
    expect(m.filter.map((f) => f.query)).toEqual(['02:00', '198.18.', 'bound', 'no-such-device-zz', '']);
    expect(m.filter.find((f) => f.query === 'no-such-device-zz')!.matches).toBe(`0 matches of ${TOTAL}`);
    expect(await tid('lease-count').textContent()).toBe(`${TOTAL} leases · ${TOTAL} active`);
  });

  it('Stop: the state is stopped and a DISCOVER gets no answer', async () => {
    // The probe itself works: while running, a DISCOVER is answered with an OFFER.
    const answered = await discover('02:00:5e:40:00:99', 3000);
    expect(answered.map((r) => r.packet.options.find(([c]) => c === 53)?.[1])).toEqual(['02']);

    await tid('stop-button').click();
    await expect.poll(() => tid('state-pill').getAttribute('data-state'), { timeout: 10_000 }).toBe('stopped');
    await srv.waitEvent((e) => e.kind === 'stopped', { timeoutMs: 5000 });
    expect(await tid('server-status-text').textContent()).not.toMatch(/Serving/);
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
    expect(await discover('02:00:5e:40:00:9a', 2500)).toEqual([]);
    // The table stays (history), the bound leases are still there.
    expect(await page.locator('[data-testid=lease-row][data-state=bound]').count()).toBe(TOTAL);
  });

  it('settings survive a restart of the server process', async () => {
    serverDown = true;
    const st = await srv.stop();
    expect(st).toEqual({ code: 0, signal: null });
    expect(srv.err.lines.filter((l) => /error|unexpected/i.test(l))).toEqual([]);
    const oldToken = srv.token;
    srv = await startWebServe(lab, 's', { dataDir, port: PORT });
    expect(srv.token).not.toBe(oldToken);
    // The open tab reconnects on its own and is refused: the old token died with the process.
    await expect.poll(() => tid('connection-banner').getAttribute('data-state'), { timeout: 15_000 }).toBe('unauthorized');
    serverDown = false;
    // What the banner says: open the newly printed address (in the same tab: a fragment change).
    await page.goto(srv.url);
    // The page reloads itself for the new token, reads it and takes it out of the address bar.
    await expect.poll(() => page.url(), { timeout: 10_000 }).toBe(`${srv.origin}/`);
    await expect.poll(() => tid('interface-row').count(), { timeout: 10_000 }).toBe(3);
    expect(await tid('connection-banner').count()).toBe(0);
    await expect.poll(() => tid('scope-subnet').inputValue(), { timeout: 10_000 }).toBe(`${NET}.0/24`);
    expect(await page.locator('[data-testid=interface-row][data-name=sv0]').getAttribute('aria-checked')).toBe('true');
    expect([await tid('range-start').inputValue(), await tid('range-end').inputValue()]).toEqual([...RANGE]);
    expect(await tid('scope-router').inputValue()).toBe(SERVER);
    expect(await tid('scope-dns').inputValue()).toBe(`${SERVER}, ${NET}.53`);
    expect(await tid('scope-domain').inputValue()).toBe('bench.test');
    expect([await tid('lease-time').inputValue(), await tid('lease-time-unit').inputValue()]).toEqual(['30', 'min']);
    expect(await page.locator('[data-testid=reservation-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mac')))).toEqual([PI.mac, LAPTOP_MAC]);
    // The lease history came back from the lease file too, and the server is idle until Start.
    await expect.poll(() => page.locator('[data-testid=lease-row]').count()).toBe(TOTAL);
    expect(await tid('state-pill').getAttribute('data-state')).toBe('stopped');
    await expect.poll(() => tid('start-button').isEnabled()).toBe(true);
  });

  it('the page threw no errors', () => {
    // The refused-token pages run in their own contexts (a refused socket logs to their console).
    expect(pageErrors).toEqual([]);
  });
});
