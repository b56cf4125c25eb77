// Real DHCP clients against the real server (the built CLI) in network namespaces:
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 (no address)
// dhclient, busybox udhcpc and dhcpcd each do a full DORA; every option they hand their script is
// checked, and the lease must show up in `pocket-dhcp leases --format json`. Then a reserved MAC
// gets its reserved address, and DHCPRELEASE (dhclient -r, udhcpc -R) turns the lease "released".
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import {
  ISO_8601,
  RESERVED_IP,
  RESERVED_MAC,
  TempDirs,
  dhclientRelease,
  hex,
  ipHex,
  optionOf,
  probe,
  flushClient,
  ipInRange,
  isDhcp,
  isPacket,
  labConfig,
  readLeases,
  runDhcpcd,
  runUdhcpc,
  setMac,
  spawnDhclient,
  spawnUdhcpc,
  startServer,
  type DhcpEvent,
  type LeaseJson,
  type ServerHandle,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server clients integration] skipped: ${avail.reason}`);

const LEASE = 600;
const FIRST = '198.18.10.100';
const LAST = '198.18.10.150';

const byMac = (leases: LeaseJson[], mac: string): LeaseJson[] => leases.filter((l) => l.mac.toLowerCase() === mac);

/** The lease of `mac` as the CLI reports it: exactly one bound record with a sane ISO expiry. */
function expectBound(leases: LeaseJson[], mac: string, ip: string, leaseSeconds = LEASE): LeaseJson {
  const mine = byMac(leases, mac).filter((l) => l.state === 'bound');
  expect(mine, `bound leases of ${mac} in ${JSON.stringify(leases)}`).toHaveLength(1);
  const l = mine[0]!;
  expect(l.ip).toBe(ip);
  expect(l.expiresAt).toMatch(ISO_8601);
  const left = (Date.parse(l.expiresAt) - Date.now()) / 1000;
  expect(left).toBeGreaterThan(leaseSeconds - 60);
  expect(left).toBeLessThanOrEqual(leaseSeconds + 2);
  return l;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.skipIf(!avail.ok)(`real clients against pocket-dhcp serve${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('cli');

  beforeAll(async () => {
    lab = await createLab('srvclients');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    srv = await startServer(lab, 's', { config: labConfig({ leaseTime: LEASE }), dir: tmp.make('srv') });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('dhclient: DORA with address, mask, router, DNS, domain, lease time, T1/T2 and server id; the lease is in `leases --format json`', async () => {
    const mac = '02:00:5e:10:01:01';
    await setMac(lab, 'c', 'cl0', mac);
    const from = srv.mark();
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dhclient') });
    try {
      const env = await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      expect(env.interface).toBe('cl0');
      expect(ipInRange(env.new_ip_address!, FIRST, LAST), `${env.new_ip_address} in ${FIRST}-${LAST}`).toBe(true);
      expect(env.new_subnet_mask).toBe('255.255.255.0');
      expect(env.new_broadcast_address).toBe('198.18.10.255');
      expect(env.new_routers).toBe('198.18.10.1');
      expect(env.new_domain_name_servers).toBe('198.18.10.53');
      expect(env.new_domain_name).toBe('lab.test');
      expect(env.new_dhcp_lease_time).toBe(String(LEASE));
      // RFC 2131 §4.4.5 defaults: T1 = 0.5, T2 = 0.875 × lease.
      expect(env.new_dhcp_renewal_time).toBe(String(LEASE / 2));
      expect(env.new_dhcp_rebinding_time).toBe(String(Math.floor(LEASE * 0.875)));
      expect(env.new_dhcp_server_identifier).toBe('198.18.10.1');
      expect(env.new_dhcp_message_type).toBe('5');

      // The server's view: one OFFER and one ACK (SELECTING) for this MAC, sent as broadcasts.
      const ack = await srv.waitEvent(isDhcp('ack', mac), { from });
      expect(ack.event.ip).toBe(env.new_ip_address);
      expect(ack.event.state).toBe('selecting');
      const out = await srv.waitEvent(isPacket('out', 'DHCPACK', mac), { from });
      expect(out.packet.ip).toBe(env.new_ip_address);
      expect(out.packet.peer).toBe('255.255.255.255:68');

      const l = expectBound(await readLeases(lab, 's', srv.dataDir), mac, env.new_ip_address!);
      // dhclient sends no option 61 by default: identity is htype 1 + chaddr.
      expect(l.clientId.toLowerCase()).toBe(`01:${mac}`);
    } finally {
      await run.stop();
    }
  });

  it('busybox udhcpc: DORA with ip, subnet, router, dns, domain, lease, serverid', async () => {
    const mac = '02:00:5e:10:01:02';
    await setMac(lab, 'c', 'cl0', mac);
    const from = srv.mark();
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc') });
    expect(result.code, result.stderr).toBe(0);
    const env = await rec.waitFor(['bound'], { timeoutMs: 1000 });
    expect(env.interface).toBe('cl0');
    expect(ipInRange(env.ip!, FIRST, LAST), `${env.ip} in ${FIRST}-${LAST}`).toBe(true);
    expect(env.subnet).toBe('255.255.255.0');
    expect(env.mask).toBe('24');
    expect(env.router).toBe('198.18.10.1');
    expect(env.dns).toBe('198.18.10.53');
    expect(env.domain).toBe('lab.test');
    expect(env.lease).toBe(String(LEASE));
    expect(env.serverid).toBe('198.18.10.1');
    expect(result.stderr).toContain(`lease of ${env.ip} obtained from 198.18.10.1`);

    const ack = await srv.waitEvent(isDhcp('ack', mac), { from });
    expect(ack.event.ip).toBe(env.ip);
    const l = expectBound(await readLeases(lab, 's', srv.dataDir), mac, env.ip!);
    // udhcpc sends option 61 = 01:<mac>: the same identity form as a client without 61.
    expect(l.clientId.toLowerCase()).toBe(`01:${mac}`);
  });

  it('dhcpcd: DORA; the lease is keyed by its DUID-based client id (RFC 4361), not by the MAC', async () => {
    const mac = '02:00:5e:10:01:03';
    await setMac(lab, 'c', 'cl0', mac);
    const resolvBefore = sha('/etc/resolv.conf');
    const stateBefore = readdirSync('/var/lib/dhcpcd').sort();
    const from = srv.mark();
    const { result, rec, duid } = await runDhcpcd(lab, 'c', 'cl0', { dir: tmp.make('dhcpcd') });
    try {
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const env = await rec.waitFor(['BOUND'], { timeoutMs: 1000 });
      expect(ipInRange(env.new_ip_address!, FIRST, LAST)).toBe(true);
      expect(env.new_subnet_cidr).toBe('24');
      expect(env.new_routers).toBe('198.18.10.1');
      expect(env.new_domain_name_servers).toBe('198.18.10.53');
      expect(env.new_domain_name).toBe('lab.test');
      expect(env.new_dhcp_lease_time).toBe(String(LEASE));
      expect(env.new_dhcp_server_identifier).toBe('198.18.10.1');

      // DUID-LL (-D ll) = 00:03 (type) 00:01 (Ethernet) <mac>; IAID = last 4 bytes of the MAC;
      // option 61 = ff <IAID> <DUID> (RFC 4361 §6.1).
      expect(duid).toBe(`00:03:00:01:${mac}`);
      const iaid = mac.split(':').slice(2).join(':');
      const expectedClientId = `ff:${iaid}:${duid}`;
      const ack = await srv.waitEvent(isDhcp('ack', mac), { from });
      expect((ack.event as DhcpEvent['event'] & { clientId: string }).clientId).toBe(expectedClientId);
      const l = expectBound(await readLeases(lab, 's', srv.dataDir), mac, env.new_ip_address!);
      expect(l.clientId.toLowerCase()).toBe(expectedClientId);
      expect(l.clientId.toLowerCase()).not.toBe(`01:${mac}`);
    } finally {
      // Host state untouched: resolv.conf and dhcpcd's state dir (dhcpcd ran on tmpfs copies).
      expect(sha('/etc/resolv.conf')).toBe(resolvBefore);
      expect(readdirSync('/var/lib/dhcpcd').sort()).toEqual(stateBefore);
      await flushClient(lab, 'c', 'cl0');
    }
  });

  it('reservation: the reserved MAC gets the reserved address (and its host name)', async () => {
    await setMac(lab, 'c', 'cl0', RESERVED_MAC);
    const from = srv.mark();
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('reserved') });
    expect(result.code, result.stderr).toBe(0);
    const env = await rec.waitFor(['bound'], { timeoutMs: 1000 });
    expect(env.ip).toBe(RESERVED_IP);
    expect(env.hostname).toBe('reserved-box');
    const offer = await srv.waitEvent(isDhcp('offer', RESERVED_MAC), { from });
    expect(offer.event.ip).toBe(RESERVED_IP);
    expect((offer.event as Record<string, unknown>).source).toBe('reservation');
    expectBound(await readLeases(lab, 's', srv.dataDir), RESERVED_MAC, RESERVED_IP);
  });

  it('INIT-REBOOT with an address from another network: NAK (broadcast), then a fresh DORA', async () => {
    const mac = '02:00:5e:10:01:05';
    await setMac(lab, 'c', 'cl0', mac);
    const dir = tmp.make('nak');
    // A lease this client got on another network, still valid: dhclient starts in INIT-REBOOT.
    writeFileSync(
      join(dir, 'dhclient.leases'),
      `lease {
  interface "cl0";
  fixed-address 198.18.99.5;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 198.18.99.1;
  option dhcp-lease-time 86400;
  renew 4 2099/01/01 00:00:00;
  rebind 4 2099/01/01 00:00:00;
  expire 4 2099/01/01 00:00:00;
}
`,
    );
    const from = srv.mark();
    const run = spawnDhclient(lab, 'c', 'cl0', { dir });
    try {
      const env = await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      expect(ipInRange(env.new_ip_address!, FIRST, LAST)).toBe(true);
      const nak = await srv.waitEvent(isDhcp('nak', mac), { from });
      expect(nak.event.ip).toBe('198.18.99.5');
      expect(nak.event.state).toBe('init-reboot');
      expect(nak.event.reason).toContain('not on network 198.18.10.0/24');
      const out = await srv.waitEvent(isPacket('out', 'DHCPNAK', mac), { from });
      expect(out.packet.peer).toBe('255.255.255.255:68');
      expect(run.err.lines.join('\n')).toMatch(/DHCPNAK from 198\.18\.10\.1/);
      expectBound(await readLeases(lab, 's', srv.dataDir), mac, env.new_ip_address!);
    } finally {
      await run.stop();
    }
  });

  it('DHCPINFORM (RFC 2131 §4.3.5): options without a lease, unicast to ciaddr, nothing persisted', async () => {
    // (dhcpcd --inform would be the real client, but dhcpcd 9.4.1 segfaults with --inform and -1.)
    const mac = '02:00:5e:10:01:08';
    await setMac(lab, 'c', 'cl0', mac);
    await lab.ip('c', 'addr', 'add', '198.18.10.77/24', 'dev', 'cl0');
    const from = srv.mark();
    try {
      const replies = await probe(lab, 'c', {
        bind: ['198.18.10.77', 68],
        device: 'cl0',
        sends: [{ to: ['255.255.255.255', 67], packet: { xid: 0x1f0a0001, chaddr: mac, ciaddr: '198.18.10.77', options: [[53, '08'], [55, '0103060f33']] } }],
        listenMs: 3000,
        stopAfter: 1,
      });
      expect(replies).toHaveLength(1);
      const { from: src, packet: p } = replies[0]!;
      expect(src).toEqual(['198.18.10.1', 67]);
      expect(optionOf(p, 53)).toBe('05');
      expect(p.yiaddr).toBe('0.0.0.0');
      expect(p.ciaddr).toBe('198.18.10.77');
      expect(optionOf(p, 51)).toBeUndefined(); // no lease time in an INFORM reply (table 3)
      expect(optionOf(p, 54)).toBe(ipHex('198.18.10.1'));
      expect(optionOf(p, 1)).toBe(ipHex('255.255.255.0'));
      expect(optionOf(p, 3)).toBe(ipHex('198.18.10.1'));
      expect(optionOf(p, 6)).toBe(ipHex('198.18.10.53'));
      expect(optionOf(p, 15)).toBe(hex('lab.test'));
      const inf = await srv.waitEvent(isDhcp('inform', mac), { from });
      expect(inf.event.ip).toBe('198.18.10.77');
      const out = await srv.waitEvent(isPacket('out', 'DHCPACK', mac), { from });
      expect(out.packet.peer).toBe('198.18.10.77:68');
      expect(byMac(await readLeases(lab, 's', srv.dataDir), mac)).toEqual([]);
    } finally {
      await flushClient(lab, 'c', 'cl0');
    }
  });

  it('release: `dhclient -r` turns the lease "released"', async () => {
    const mac = '02:00:5e:10:01:06';
    await setMac(lab, 'c', 'cl0', mac);
    const from = srv.mark();
    // configure: the address goes on cl0, because dhclient unicasts the RELEASE from it.
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dhrel'), configure: true });
    let ip: string;
    try {
      ip = (await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 })).new_ip_address!;
      expectBound(await readLeases(lab, 's', srv.dataDir), mac, ip);
      const r = await dhclientRelease(lab, 'c', 'cl0', run);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await run.stop();
    }
    const rel = await srv.waitEvent(isDhcp('release', mac), { from, timeoutMs: 5000 });
    expect(rel.event.ip).toBe(ip);
    await srv.waitEvent((e) => e.kind === 'lease' && (e.lease as LeaseJson).mac === mac && (e.lease as LeaseJson).state === 'released', { from });
    const mine = byMac(await readLeases(lab, 's', srv.dataDir), mac);
    expect(mine.map((l) => [l.ip, l.state])).toEqual([[ip, 'released']]);
    await flushClient(lab, 'c', 'cl0');
  });

  it('the server runs with a 4 MB young generation, in the very process that was started (bin/pocket-dhcp.js re-executes itself)', () => {
    // Same PID: the one the lab spawned (ip netns exec → node) is the server itself.
    const argv = readFileSync(`/proc/${srv.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=4');
    expect(argv).toContain('serve');
    const env = readFileSync(`/proc/${srv.pid}/environ`, 'utf8').split('\0');
    expect(env).toContain('POCKET_DHCP_NO_REEXEC=1');
  });

  it('release: `udhcpc -R` turns the lease "released" when it is stopped', async () => {
    const mac = '02:00:5e:10:01:07';
    await setMac(lab, 'c', 'cl0', mac);
    const from = srv.mark();
    // -R: release on exit; configure: udhcpc unicasts the RELEASE from its leased address.
    const ud = spawnUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udrel'), args: ['-R'], configure: true });
    let ip: string;
    try {
      ip = (await ud.rec.waitFor(['bound'], { timeoutMs: 10_000 })).ip!;
      expectBound(await readLeases(lab, 's', srv.dataDir), mac, ip);
    } finally {
      await ud.stop();
    }
    expect(ud.err.lines.join('\n')).toMatch(/unicasting a release/);
    const rel = await srv.waitEvent(isDhcp('release', mac), { from, timeoutMs: 5000 });
    expect(rel.event.ip).toBe(ip);
    await srv.waitEvent((e) => e.kind === 'lease' && (e.lease as LeaseJson).mac === mac && (e.lease as LeaseJson).state === 'released', { from });
    const mine = byMac(await readLeases(lab, 's', srv.dataDir), mac);
    expect(mine.map((l) => [l.ip, l.state])).toEqual([[ip, 'released']]);
    await flushClient(lab, 'c', 'cl0');
  });
});
