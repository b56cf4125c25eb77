// ServerController with a real LeaseStore in a temp dir, the real engine and service; only the socket
// is in memory and the interface list is given. Settings persistence, refusals as status, lease rows
// and pushes, exports, the log, pool usage and the exhausted flag, and batching under load.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../src-main/dhcp/codec.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { exportFilename, type ControllerOptions } from '../../../src-main/server/controller.js';
import { describeEvent } from '../../../src-main/server/event-format.js';
import { controllerLab, TEST_DRAFT as DRAFT } from '../../helpers/controller-lab.js';
import { clientMessage, fakeInterface, macOf, MemoryTransport, MessageType, setOption, until } from '../../helpers/memory-transport.js';

const lab = controllerLab('pd-ctl-');
const setup = (over: Partial<ControllerOptions> = {}, dir?: string) => lab.setup({ statusMinIntervalMs: 50, ...over }, dir);
const closeAndForget = lab.closeAndForget;

/** DISCOVER → OFFER → REQUEST → ACK for client `n`; returns the address. */
async function dora(t: MemoryTransport, n: number, hostname?: string): Promise<string> {
  const before = t.sent.length;
  t.deliver(clientMessage(MessageType.DISCOVER, n, (p) => hostname && setOption(p.options, 12, hostname)));
  await until(() => t.sent.length > before, 2000, 'OFFER');
  const offer = decode(t.sent[t.sent.length - 1]!.buf);
  t.deliver(
    clientMessage(MessageType.REQUEST, n, (p) => {
      setOption(p.options, 50, offer.yiaddr);
      setOption(p.options, 54, '198.18.10.1');
      if (hostname) setOption(p.options, 12, hostname);
    }),
  );
  await until(() => t.sent.length > before + 1, 2000, 'ACK');
  return offer.yiaddr;
}

describe('settings', () => {
  it('are saved as is — even invalid — and read back by a new controller', async () => {
    const { dir, c, of } = await setup();
    expect(c.getSettings()).toMatchObject({ draft: {} });
    const bad = { interface: 'test0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.150-198.18.10.100' }], note: 'typed by hand' };
    const state = await c.saveSettings(bad);
    expect(state.draft).toEqual(bad);
    expect(state.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['subnets[0].range', '']));
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual(bad);
    await until(() => of('settings').length === 1, 1000, 'settings event');
    await closeAndForget(c);

    const again = await setup({}, dir);
    expect(again.c.getSettings()).toEqual(state);
    const fixed = await again.c.saveSettings(DRAFT);
    expect(fixed.problems).toEqual([]);
  });

  it('a broken settings.json is a problem, not a crash, until the user saves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-ctl-'));
    writeFileSync(join(dir, 'settings.json'), '{ "interface": "test0", ');
    const { c } = await setup({}, dir);
    const s = c.getSettings();
    expect(s.draft).toEqual({});
    expect(s.problems[0]!.message).toMatch(/settings\.json is not valid JSON at line 1/);
    expect((await c.saveSettings(DRAFT)).problems).toEqual([]);
  });

  it('a command-line draft is shown and used, but settings.json stays untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-ctl-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ interface: 'saved0' }));
    const { c } = await setup({ draftOverride: DRAFT }, dir);
    expect(c.getSettings()).toEqual({ draft: DRAFT, problems: [] });
    expect((await c.start()).state).toBe('running');
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ interface: 'saved0' });
  });
});

describe('start and stop', () => {
  it('an invalid draft makes start return status.error naming the field — no exception', async () => {
    const { c, of } = await setup();
    await c.saveSettings({ ...DRAFT, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.150-198.18.10.100' }] });
    const st = await c.start();
    expect(st.state).toBe('stopped');
    expect(st.error).toMatchObject({ code: 'config', field: 'subnets[0].range' });
    expect(st.error!.message).toMatch(/^subnets\[0\]\.range: starts after it ends/);
    expect(c.recentLog().some((e) => e.level === 'error' && e.text.startsWith('START REFUSED subnets[0].range'))).toBe(true);
    await until(() => of('status').some((s) => s.error?.field === 'subnets[0].range'), 1000, 'status push');
  });

  it('an empty draft, a missing interface, a DHCP address: each a clear refusal', async () => {
    const { c } = await setup({ listInterfaces: async () => [fakeInterface('eth9', [{ address: '198.18.10.1', prefix: 24, dynamic: true }])] });
    expect((await c.start()).error).toMatchObject({ code: 'config', field: 'interface' });
    await c.saveSettings(DRAFT);
    expect((await c.start()).error).toMatchObject({ code: 'interface', field: 'interface' });
    await c.saveSettings({ ...DRAFT, interface: 'eth9' });
    const foreign = await c.start();
    expect(foreign.error).toMatchObject({ code: 'foreign-network' });
    expect(foreign.error!.message).toContain('Allow foreign network');
    const allowed = await c.start({ allowForeignNetwork: true });
    expect(allowed.state).toBe('running');
    expect(allowed.error).toBeUndefined();
  });

  it('runs stopped → starting → running → stopping → stopped, pushing each state', async () => {
    const { c, transport, of } = await setup();
    await c.saveSettings(DRAFT);
    const st = await c.start();
    expect(st).toMatchObject({ state: 'running', interface: 'test0', serverId: '198.18.10.1', prefix: 24 });
    expect(st.pools).toEqual([{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', size: 51, bound: 0, offered: 0, declined: 0, free: 51 }]);
    expect((await c.start()).state).toBe('running'); // idempotent
    await dora(transport, 1);
    const stopped = await c.stop();
    expect(stopped.state).toBe('stopped');
    expect(stopped.counters.acks).toBe(1); // the last run's counters stay visible
    expect(transport.closed).toBe(true);
    expect(of('status').map((s) => s.state)).toEqual(expect.arrayContaining(['starting', 'running', 'stopping', 'stopped']));
    const states = of('status').map((s) => s.state).filter((s, i, a) => s !== a[i - 1]);
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(c.recentLog().map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^RUNNING listening on test0 198\.18\.10\.1\/24:67/), 'STOPPING', 'STOPPED']));
  });
});

describe('leases', () => {
  it('rows show offers then bindings; pushes carry only what changed; export has the lease', async () => {
    const { c, transport, of } = await setup();
    await c.saveSettings(DRAFT);
    await c.start();
    transport.deliver(clientMessage(MessageType.DISCOVER, 7, (p) => setOption(p.options, 12, 'pi-kitchen')));
    await until(() => of('leases').some((l) => l.upserts.some((r) => r.state === 'offered')), 1000, 'offered push');
    const offered = c.leaseRows().find((r) => r.state === 'offered')!;
    expect(offered).toMatchObject({ mac: macOf(7), hostname: 'pi-kitchen', subnet: '198.18.10.0/24' });
    expect(c.status().pools[0]!.offered).toBe(1);

    const ip = await dora(transport, 8);
    await until(() => of('leases').some((l) => l.upserts.some((r) => r.ip === ip && r.state === 'bound')), 1000, 'bound push');
    const rows = c.leaseRows();
    expect(rows.find((r) => r.ip === ip)).toMatchObject({ state: 'bound', mac: macOf(8) });
    expect(of('leases').every((l) => l.upserts.length + l.removed.length <= 2)).toBe(true);

    await c.stop();
    // The offer went with the engine: its row disappears (the address has no stored record).
    await until(() => of('leases').some((l) => l.removed.includes(offered.ip)), 1000, 'offer removal');
    expect(c.leaseRows().map((r) => r.ip)).toEqual([ip]); // still shown while stopped

    const csv = c.exportLeases('csv');
    expect(csv.mime).toBe('text/csv');
    expect(csv.filename).toMatch(/^pocket-dhcp-leases-\d{4}-\d{2}-\d{2}T\d{4}\.csv$/);
    const lines = csv.content.trim().split('\r\n');
    expect(lines[0]).toBe('ip,mac,clientId,hostname,state,subnet,startsAt,expiresAt,firstSeen,lastSeen,vendorClass,relay,circuitId,remoteId,paramRequest,vendor,randomMac,fingerprint,clientGuess');
    expect(lines[1]).toMatch(new RegExp(`^${ip.replace(/\./g, '\\.')},${macOf(8)},.*,bound,198\\.18\\.10\\.0/24,`));
    const json = JSON.parse(c.exportLeases('json').content) as { ip: string; state: string }[];
    expect(json).toEqual([expect.objectContaining({ ip, state: 'bound', mac: macOf(8) })]);
  });

  it('export file names use local time', () => {
    const at = new Date(2026, 10, 23, 9, 30, 12).getTime();
    expect(exportFilename('csv', at)).toBe('pocket-dhcp-leases-2026-11-23T0930.csv');
    expect(exportFilename('json', at)).toBe('pocket-dhcp-leases-2026-11-23T0930.json');
  });

  it('flags pool exhaustion and clears it when an address frees up', async () => {
    const { c, transport } = await setup();
    await c.saveSettings({ ...DRAFT, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.101' }] });
    await c.start();
    const first = await dora(transport, 1);
    await dora(transport, 2);
    expect(c.status().exhausted).toBe(false);
    transport.deliver(clientMessage(MessageType.DISCOVER, 3));
    const st = c.status();
    expect(st.exhausted).toBe(true);
    expect(st.pools[0]).toMatchObject({ size: 2, bound: 2, offered: 0, free: 0 });
    expect(c.recentLog().some((e) => e.kind === 'pool-exhausted' && e.level === 'warn' && e.mac === macOf(3))).toBe(true);
    expect(c.status().exhausted).toBe(true); // stays until something frees up
    transport.deliver(
      clientMessage(MessageType.RELEASE, 1, (p) => {
        p.ciaddr = first;
        setOption(p.options, 54, '198.18.10.1');
      }),
    );
    await until(() => c.status().pools[0]!.bound === 1, 2000, 'release');
    const later = c.status();
    expect(later.pools[0]).toMatchObject({ bound: 1, free: 1 });
    expect(later.exhausted).toBe(false);
  });

  it('offers lapse from the rows when their hold expires', async () => {
    let now = Date.now();
    const { c, transport, of } = await setup({ now: () => now });
    await c.saveSettings({ ...DRAFT, offerHoldSeconds: 30 });
    await c.start();
    transport.deliver(clientMessage(MessageType.DISCOVER, 1));
    await until(() => of('leases').some((l) => l.upserts.some((r) => r.state === 'offered')), 1000, 'offer row');
    const ip = c.leaseRows()[0]!.ip;
    now += 31_000;
    await until(() => of('leases').some((l) => l.removed.includes(ip)), 1000, 'offer row removed');
    expect(c.leaseRows()).toEqual([]);
    expect(c.status().pools[0]!.offered).toBe(0);
  });
});

describe('static address plan', () => {
  it('asks the machine about the NIC and builds the command for this OS', async () => {
    const asked: string[] = [];
    const nicRun = async () => ({ code: 1, stdout: '', stderr: 'not in a unit test' });
    const { c } = await setup({ platform: 'linux', nicContext: async (i) => (asked.push(i), { networkManager: 'connected' }), nicRun });
    const plan = await c.nicPlan({ interface: 'eth1', address: '192.168.77.1', prefix: 24 });
    expect(asked).toEqual(['eth1']);
    expect(plan.commands).toEqual([
      'sudo nmcli connection add save no type ethernet con-name pocket-dhcp-eth1 ifname eth1 connection.autoconnect no ipv4.method manual ipv4.addresses 192.168.77.1/24 ipv6.method ignore',
      'sudo nmcli --wait 20 connection up id pocket-dhcp-eth1 ifname eth1',
    ]);
    const win = await setup({ platform: 'win32', nicContext: async () => ({}), nicRun });
    expect((await win.c.nicPlan({ interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 })).commands[0]).toBe('netsh interface ipv4 set address name="Ethernet 2" static 192.168.77.1 255.255.255.0');
    await expect(c.nicPlan({ interface: 'eth1', address: '192.168.77.255', prefix: 24 })).rejects.toThrow(/broadcast address/);
  });

  it('applies through its NicManager and pushes the saved records as a nic event', async () => {
    const { FakeMachine } = await import('../../helpers/fake-nic.js');
    const m = new FakeMachine().link('eth1', false);
    const { c, of } = await setup({ platform: 'linux', nicContext: async () => ({}), nicRun: (a, o) => m.run(a, o), nicElevation: { kind: 'direct' }, nicBy: 'web' });
    const r = await c.nic.apply({ interface: 'eth1', address: '192.168.77.1', prefix: 24 });
    expect(r).toMatchObject({ ok: true, verified: true });
    await until(() => of('nic').some((s) => s.length === 1 && s[0]!.by === 'web'), 1000, 'nic event');
    await c.nic.restore({});
    await until(() => of('nic').some((s) => s.length === 0), 1000, 'nic event after restore');
    expect(m.links.get('eth1')).toEqual({ up: false, addrs: [] });
  });

  it('refuses to change or restore the address of the interface it is serving', async () => {
    const { c } = await setup({ nicRun: async () => ({ code: 1, stdout: '', stderr: 'no' }), nicElevation: { kind: 'direct' } });
    await c.saveSettings(DRAFT);
    await c.start();
    const served = c.status().interface!;
    await expect(c.nicApply({ interface: served, address: '198.18.99.1', prefix: 24 })).rejects.toThrow(new RegExp(`${served} is being served: stop the server before you change its address`));
    await expect(c.nicRestore({ interface: served })).rejects.toThrow(/stop the server before you restore/);
    await expect(c.nicRestore({})).rejects.toThrow(/stop the server before you restore/);
    expect(await c.nicRestore({ interface: served, forget: true })).toEqual([]);
    await c.stop();
    expect(await c.nicRestore({})).toEqual([]);
  });
});

describe('log', () => {
  it('keeps every event with the CLI wording, bounded, filterable by MAC', async () => {
    const { c, transport, of } = await setup({ logCapacity: 25 });
    await c.saveSettings(DRAFT);
    await c.start();
    const ip = await dora(transport, 3, 'printer');
    const log = c.recentLog({ mac: macOf(3) });
    const kinds = log.map((e) => e.kind);
    expect(kinds).toEqual(['in', 'offer', 'out', 'in', 'ack', 'out']);
    const ack = log.find((e) => e.kind === 'ack')!;
    expect(ack).toMatchObject({ ip, level: 'info', mac: macOf(3) });
    expect(ack.text).toMatch(new RegExp(`^ACK ${ip.replace(/\./g, '\\.')} to ${macOf(3)} "printer" \\(selecting, expires in 600 s\\)$`));
    // …and its code and values, for the UI's other languages (LogEntry.msg).
    expect(ack.msg).toEqual({ code: 'ack', params: { ip, mac: macOf(3), hostname: 'printer', state: 'selecting', expiresIn: '600' } });
    expect(log.filter((e) => e.kind === 'in').map((e) => e.msg?.code)).toEqual(['packet-in', 'packet-in']);
    for (let i = 10; i < 20; i++) await dora(transport, i);
    const all = c.recentLog({ limit: 10_000 });
    expect(all).toHaveLength(25);
    expect(all.every((e, i) => i === 0 || e.id > all[i - 1]!.id)).toBe(true);
    expect(c.recentLog({ limit: 3 })).toEqual(all.slice(-3));
    await until(() => of('log').flat().length >= 60, 1000, 'log pushes');
    const pushed = of('log').flat();
    expect(new Set(pushed.map((e) => e.id)).size).toBe(pushed.length);
    // One wording: the controller's text is event-format's line without the timestamp.
    expect(describeEvent({ kind: 'warning', at: 0, code: 'x', message: 'hello' })).toBe('WARNING hello');
  });

  it('a damaged leases.db: the controller opens, and the log has a warning naming the quarantine file the bad line went to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-ctl-'));
    const now = Date.now();
    const rec = { _id: '198.18.10.120', ip: '198.18.10.120', clientId: '01:02:00:00:00:00:07', mac: '02:00:00:00:00:07', state: 'bound', subnet: '198.18.10.0/24', startsAt: now, expiresAt: now + 3_600_000, firstSeen: now, lastSeen: now };
    const rec2 = { ...rec, _id: '198.18.10.121', ip: '198.18.10.121', clientId: '01:02:00:00:00:00:08', mac: '02:00:00:00:00:08' };
    writeFileSync(join(dir, 'leases.db'), `${JSON.stringify(rec)}\n@@ not a record @@\n${JSON.stringify(rec2)}\n`);
    const { c } = await setup({}, dir);
    const warnings = c.recentLog({ limit: 100 }).filter((e) => e.level === 'warn');
    const moved = warnings.find((e) => /quarantine/.test(e.text));
    expect(moved, warnings.map((e) => e.text).join('\n')).toBeDefined();
    const qfile = /(\S+leases\.db\.quarantine-\d{8}T\d{6}Z)/.exec(moved!.text)?.[1];
    expect(qfile, moved!.text).toBeDefined();
    expect(qfile!.startsWith(dir)).toBe(true);
    expect(moved!.text).toMatch(/line 2 \(not valid JSON\)/);
    expect(readdirSync(dir)).toContain(qfile!.slice(dir.length + 1));
    expect(readFileSync(qfile!, 'utf8')).toContain('@@ not a record @@');
    // The good records around it survived.
    expect(c.leaseRows().map((r) => r.ip).sort()).toEqual(['198.18.10.120', '198.18.10.121']);
  });
});

describe('without a UI (ui: false, the plain command line)', () => {
  it('keeps no log ring, timelines or offer rows per event, but counts, flags exhaustion and passes every event on', async () => {
    const { c, transport } = await lab.openController({ ui: false });
    const seen: string[] = [];
    c.onServiceEvent((e) => seen.push(e.kind === 'dhcp' ? e.event.type : e.kind));
    await c.saveSettings({ ...DRAFT, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.101' }] });
    await c.start();
    await dora(transport, 1, 'printer');
    await dora(transport, 2);
    transport.deliver(clientMessage(MessageType.DISCOVER, 3));
    expect(seen).toEqual(expect.arrayContaining(['offer', 'ack', 'lease', 'pool-exhausted', 'drop']));
    const st = c.status();
    expect(st.counters).toMatchObject({ offers: 2, acks: 2 });
    expect(st.exhausted).toBe(true);
    expect(c.recentLog()).toEqual([]);
    expect(c.deviceTimeline(macOf(1)).entries).toEqual([]);
    // Stored leases still show (the rows come from the store, not from per-event bookkeeping).
    expect(c.leaseRows().map((r) => r.state)).toEqual(['bound', 'bound']);
  });
});

describe('under load', () => {
  it('10,000 stored leases and 500 new ones: small batched pushes, never the whole table', async () => {
    const ifaces = [fakeInterface('test0', [{ address: '198.18.0.1', prefix: 16 }])];
    const { c, transport, of } = await setup({ flushIntervalMs: 250, statusMinIntervalMs: 500, listInterfaces: async () => ifaces });
    const base = { interface: 'test0', leaseTime: 3600, maxOfferHolds: 10_000, subnets: [{ subnet: '198.18.0.0/16', range: '198.18.0.100-198.18.255.200' }] };
    await c.saveSettings(base);
    const now = Date.now();
    const old: Lease[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ip = `198.18.${100 + Math.floor(i / 200)}.${i % 200}`;
      const mac = `02:11:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      old.push({ ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.0.0/16', startsAt: now, expiresAt: now + 3_600_000, firstSeen: now, lastSeen: now });
    }
    await c.store.apply(old);
    expect(c.leaseRows()).toHaveLength(10_000);
    expect((await c.start()).state).toBe('running');
    const t0 = Date.now();
    const pushesBefore = of('leases').length;
    for (let n = 1; n <= 500; n++) transport.deliver(clientMessage(MessageType.DISCOVER, n));
    const offers = transport.sent.map((s) => decode(s.buf));
    expect(offers).toHaveLength(500);
    for (let n = 1; n <= 500; n++) {
      transport.deliver(
        clientMessage(MessageType.REQUEST, n, (p) => {
          setOption(p.options, 50, offers[n - 1]!.yiaddr);
          setOption(p.options, 54, '198.18.0.1');
        }),
      );
    }
    await until(() => c.status().counters.acks === 500, 10_000, '500 ACKs');
    const rowsOf = (ls: { upserts: LeaseRow[] }[]) => new Map(ls.flatMap((l) => l.upserts).map((r) => [r.ip, r.state]));
    await until(() => [...rowsOf(of('leases')).values()].filter((s) => s === 'bound').length >= 500, 3000, 'bound rows pushed');
    const elapsed = Date.now() - t0;
    const pushes = of('leases').slice(pushesBefore);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    for (const p of pushes) expect(p.upserts.length + p.removed.length).toBeLessThanOrEqual(500);
    expect(pushes.some((p) => p.reset)).toBe(false);
    const statusPushes = of('status').filter((s) => s.state === 'running').length;
    expect(statusPushes).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 3);
    expect(c.status().pools[0]!.bound).toBe(10_500);
  });
});
