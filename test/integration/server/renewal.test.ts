// Renewal by unicast (RFC 2131 §4.3.2 RENEWING, §4.1 reply addressing): with a short lease and T1 of
// a few seconds, dhclient renews from its leased address straight to the server; the REQUEST
// carries ciaddr, the ACK goes back unicast to ciaddr:68 (not broadcast), and the lease's expiry
// moves forward. Evidence from both sides: the server's JSON packet log and tcpdump on sv0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import {
  ISO_8601,
  TempDirs,
  and,
  isDhcp,
  isPacket,
  labConfig,
  macOf,
  readLeases,
  setMac,
  spawnDhclient,
  startCapture,
  startServer,
  type ServerHandle,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server renewal integration] skipped: ${avail.reason}`);

const LEASE = 20;
const T1 = 5;
const T2 = 15;

describe.skipIf(!avail.ok)(`renewal by unicast${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('ren');

  beforeAll(async () => {
    lab = await createLab('srvrenew');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    srv = await startServer(lab, 's', {
      config: labConfig({ leaseTime: LEASE, subnet: { renewalTime: T1, rebindingTime: T2 } }),
      dir: tmp.make('srv'),
    });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it(`dhclient renews at T1 (${T1} s of a ${LEASE} s lease) by unicast; the ACK is unicast to ciaddr and the expiry moves`, async () => {
    const mac = '02:00:5e:10:05:01';
    await setMac(lab, 'c', 'cl0', mac);
    const serverMac = await macOf(lab, 's', 'sv0');
    const cap = await startCapture(lab, 's', 'sv0', 'udp and (port 67 or port 68)', { seconds: 40, maxPackets: 200 });
    const from = srv.mark();
    // configure: the leased address goes on cl0 so that the unicast exchange can happen (ARP, UDP).
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dh'), configure: true });
    let lines: string[] = [];
    try {
      const bound = await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      const boundAt = Date.now();
      const ip = bound.new_ip_address!;
      expect(bound.new_dhcp_lease_time).toBe(String(LEASE));
      expect(bound.new_dhcp_renewal_time).toBe(String(T1));
      expect(bound.new_dhcp_rebinding_time).toBe(String(T2));
      const first = (await readLeases(lab, 's', srv.dataDir)).find((l) => l.mac === mac && l.state === 'bound');
      expect(first?.ip).toBe(ip);
      expect(first!.expiresAt).toMatch(ISO_8601);

      const renew = await run.rec.waitFor(['RENEW'], { timeoutMs: (T2 - 1) * 1000 });
      const renewedAfter = (Date.now() - boundAt) / 1000;
      expect(renew.new_ip_address).toBe(ip);
      // dhclient fuzzes T1 down to 3/4 (dhclient.c dhcpack()); it must renew before T2.
      expect(renewedAfter).toBeGreaterThan(T1 * 0.75 - 1);
      expect(renewedAfter).toBeLessThan(T2);

      // Server log: the REQUEST came from the client's address with ciaddr set…
      const req = await srv.waitEvent(and(isPacket('in', 'DHCPREQUEST', mac), (e) => e.packet.ip === ip), { from, timeoutMs: 2000 });
      expect(req.packet.peer).toBe(`${ip}:68`);
      // dhclient keeps its xid from the DORA: look only at what follows the renewal REQUEST.
      const after = srv.events().indexOf(req) + 1;
      // …was classified RENEWING and ACKed…
      const ack = await srv.waitEvent(isDhcp('ack', mac), { from: after, timeoutMs: 2000 });
      expect(ack.event.state).toBe('renewing');
      expect(ack.event.ip).toBe(ip);
      // …and the ACK went unicast to ciaddr:68.
      const out = await srv.waitEvent(isPacket('out', 'DHCPACK', mac), { from: after, timeoutMs: 2000 });
      expect(out.packet.xid).toBe(req.packet.xid);
      expect(out.packet.peer).toBe(`${ip}:68`);

      // The expiry moved forward by about the time between the two ACKs.
      const second = (await readLeases(lab, 's', srv.dataDir)).find((l) => l.mac === mac && l.state === 'bound');
      expect(second?.ip).toBe(ip);
      const moved = (Date.parse(second!.expiresAt) - Date.parse(first!.expiresAt)) / 1000;
      expect(moved).toBeGreaterThan(T1 * 0.75 - 1.5);
      expect(moved).toBeLessThan(T2);
      lines = await cap.stop();

      // On the wire (tcpdump -e in the server namespace): the renewal REQUEST is a unicast frame
      // to the server's MAC from ip:68, and the ACK a unicast frame to the client's MAC at ip:68.
      const reqLine = lines.find((l) => l.includes(`${ip}.68 > 198.18.10.1.67`));
      expect(reqLine, lines.join('\n')).toBeDefined();
      expect(reqLine).toMatch(new RegExp(`^\\S+ ${mac} > ${serverMac},`));
      const ackLine = lines.find((l) => l.includes(`198.18.10.1.67 > ${ip}.68`));
      expect(ackLine, lines.join('\n')).toBeDefined();
      expect(ackLine).toMatch(new RegExp(`^\\S+ ${serverMac} > ${mac},`));
      // Positive control: the initial DORA replies were broadcasts (the client had no address yet).
      expect(lines.some((l) => l.includes('198.18.10.1.67 > 255.255.255.255.68') && l.includes('> ff:ff:ff:ff:ff:ff'))).toBe(true);
    } finally {
      await run.stop();
      if (!lines.length) await cap.stop();
    }
  });

  // REBINDING (RFC 2131 §4.3.2): when its unicast renewals go unanswered, the client broadcasts its
  // REQUEST at T2 (ciaddr set). The server must tell that from RENEWING — only the IP destination
  // differs (net/bound-socket.ts: a second socket bound to the server's address) — and still
  // unicast the ACK to ciaddr:68 (§4.1). The renewals are stopped by a blackhole route to the
  // server in the client's namespace: its unicasts go nowhere, its broadcasts (raw socket) still leave.
  it(`dhclient whose renewals are lost rebinds by broadcast at T2 (${T2} s): ACKed as REBINDING, unicast to ciaddr:68`, async () => {
    const mac = '02:00:5e:10:05:02';
    await setMac(lab, 'c', 'cl0', mac);
    const cap = await startCapture(lab, 's', 'sv0', 'udp and (port 67 or port 68)', { seconds: 40, maxPackets: 200 });
    const from = srv.mark();
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dhrebind'), configure: true });
    let blocked = false;
    let lines: string[] = [];
    try {
      const bound = await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      const boundAt = Date.now();
      const ip = bound.new_ip_address!;
      await lab.ip('c', 'route', 'add', 'blackhole', '198.18.10.1/32');
      blocked = true;
      const afterBound = srv.mark();

      // ISC dhclient stays in its RENEWING state and only broadcasts once T2 has passed
      // (dhclient.c send_request()), so its script says RENEW for the rebind too: when it came is the evidence.
      const rebind = await run.rec.waitFor(['RENEW', 'REBIND'], { timeoutMs: LEASE * 1000 - (Date.now() - boundAt) });
      const rebindAfter = (Date.now() - boundAt) / 1000;
      expect(rebind.new_ip_address).toBe(ip);
      expect(rebindAfter).toBeGreaterThan(T2 - 1.5);

      // Server log: one REQUEST after the block — the broadcast rebind, from ip:68 — ACKed as REBINDING…
      const req = await srv.waitEvent(and(isPacket('in', 'DHCPREQUEST', mac), (e) => e.packet.ip === ip), { from: afterBound, timeoutMs: 2000 });
      expect(req.packet.peer).toBe(`${ip}:68`);
      const after = srv.events().indexOf(req) + 1;
      const ack = await srv.waitEvent(isDhcp('ack', mac), { from: after, timeoutMs: 2000 });
      expect(ack.event.state).toBe('rebinding');
      expect(ack.event.ip).toBe(ip);
      // …and the ACK went unicast to ciaddr:68.
      const out = await srv.waitEvent(isPacket('out', 'DHCPACK', mac), { from: after, timeoutMs: 2000 });
      expect(out.packet.xid).toBe(req.packet.xid);
      expect(out.packet.peer).toBe(`${ip}:68`);
      expect(srv.events().slice(from).filter((e) => isDhcp('ack', mac)(e) && e.event.state === 'renewing')).toEqual([]);
      lines = await cap.stop();

      // On the wire: the rebind REQUEST was a broadcast from ip:68, and no unicast REQUEST reached sv0.
      expect(lines.some((l) => l.includes(`${ip}.68 > 255.255.255.255.67`)), lines.join('\n')).toBe(true);
      expect(lines.some((l) => l.includes(`${ip}.68 > 198.18.10.1.67`)), lines.join('\n')).toBe(false);
      expect(lines.some((l) => l.includes(`198.18.10.1.67 > ${ip}.68`)), lines.join('\n')).toBe(true);
    } finally {
      await run.stop();
      if (blocked) await lab.ip('c', 'route', 'del', 'blackhole', '198.18.10.1/32');
      if (!lines.length) await cap.stop();
    }
  }, 60_000);
});
