// Durability (ARCHITECTURE.md: "an ACKed lease survives a crash"): the server is killed with
// SIGKILL right after an ACK — at different moments after the ACK shows up in its log — and
// restarted on the same data directory. Whenever the client got its ACK, the lease must be in the
// lease file (read with `pocket-dhcp leases` while the server is dead, and again after the
// restart), and the same client coming back with its lease file (INIT-REBOOT, RFC 2131 §4.3.2) is
// ACKed with the same address. Each restart also takes over the dead server's lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import {
  TempDirs,
  and,
  describeEvent,
  flushClient,
  isDhcp,
  isPacket,
  labConfig,
  readLeases,
  setMac,
  sleep,
  spawnDhclient,
  startServer,
  type LeaseJson,
  type LogEvent,
  type ServerHandle,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server crash/restart integration] skipped: ${avail.reason}`);

interface Moment {
  name: string;
  /** The log line after which the server is killed. */
  at: (mac: string) => (e: LogEvent) => boolean;
  delayMs: number;
  /** The "lease" line is printed only once the record is on disk: from then on the file must hold it. */
  durable: boolean;
  /** When the kill comes after the ACK left the socket, the client must have it. */
  ackSent: boolean;
}

const MOMENTS: Moment[] = [
  // The engine's decision: logged before the lease is written and before the ACK is sent.
  { name: 'on the "ack" decision line', at: (mac) => isDhcp('ack', mac), delayMs: 0, durable: false, ackSent: false },
  // The lease record is durable (emitted after the group commit, just before the send).
  { name: 'on the "lease" line', at: (mac) => (e) => e.kind === 'lease' && (e.lease as LeaseJson).mac === mac && (e.lease as LeaseJson).state === 'bound', delayMs: 0, durable: true, ackSent: false },
  // The ACK datagram left the socket.
  { name: 'on the outgoing DHCPACK packet line', at: (mac) => isPacket('out', 'DHCPACK', mac), delayMs: 0, durable: true, ackSent: true },
  { name: '30 ms after the outgoing DHCPACK packet line', at: (mac) => isPacket('out', 'DHCPACK', mac), delayMs: 30, durable: true, ackSent: true },
];

describe.skipIf(!avail.ok)(`kill -9 right after an ACK, then restart${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('crash');
  let dataDir: string;
  let srvDir: string;
  const servers: ServerHandle[] = [];
  const start = async (): Promise<ServerHandle> => {
    const s = await startServer(lab, 's', { config: labConfig({ leaseTime: 600 }), dir: srvDir, dataDir });
    servers.push(s);
    return s;
  };

  beforeAll(async () => {
    lab = await createLab('srvcrash');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    srvDir = tmp.make('srv');
    dataDir = `${srvDir}/data`;
  });

  afterAll(async () => {
    for (const s of servers) await s.kill9();
    await lab?.cleanup();
    tmp.cleanup();
  });

  MOMENTS.forEach((m, i) => {
    it(`SIGKILL ${m.name}: the ACKed lease survives and the client's INIT-REBOOT is ACKed with the same address`, async () => {
      const mac = `02:00:5e:10:08:0${i + 1}`;
      await setMac(lab, 'c', 'cl0', mac);
      const dir = tmp.make(`dh${i}`);

      const first = await start();
      const from = first.mark();
      const run = spawnDhclient(lab, 'c', 'cl0', { dir, timeoutSec: 30 });
      let second: ServerHandle | undefined;
      let reboot: ReturnType<typeof spawnDhclient> | undefined;
      try {
        await first.waitEvent(m.at(mac), { from, timeoutMs: 15_000 });
        if (m.delayMs) await sleep(m.delayMs);
        const status = await first.kill9();
        expect(status.signal).toBe('SIGKILL');
        const logged = first.events().slice(from).map(describeEvent);

        // Did the client get its ACK from the killed server?
        let bound = await run.rec.waitFor(['BOUND'], { timeoutMs: 2500 }).catch(() => undefined);
        console.log(`[crash] kill ${m.name}: client ${bound ? `bound to ${bound.new_ip_address} by the killed server` : 'not bound (retries against the restarted server)'}; log before the kill: ${logged.join(', ')}`);
        if (m.ackSent) expect(bound, 'the ACK left before the kill: the client must be bound').toBeDefined();
        // Read the lease file while no server runs: whatever was ACKed is there.
        const offline = await readLeases(lab, 's', dataDir);
        const ackedIp = first.events().slice(from).find(isDhcp('ack', mac))?.event.ip;
        if (m.durable) {
          const l = offline.find((x) => x.mac === mac && x.state === 'bound');
          expect(l?.ip, `durable lease of ${mac} after SIGKILL: ${JSON.stringify(offline)}`).toBe(ackedIp);
        }
        if (bound) {
          const l = offline.find((x) => x.mac === mac && x.state === 'bound');
          expect(l?.ip, `lease of ${mac} after SIGKILL: ${JSON.stringify(offline)}`).toBe(bound.new_ip_address);
        }

        // Restart on the same data directory (takes over the dead server's lock).
        second = await start();
        // A client whose ACK died with the server retries and is served by the new one.
        bound ??= await run.rec.waitFor(['BOUND'], { timeoutMs: 20_000 });
        const ip = bound.new_ip_address!;
        const after = await readLeases(lab, 's', dataDir);
        expect(after.filter((x) => x.mac === mac && x.state === 'bound').map((x) => x.ip)).toEqual([ip]);
        await run.stop();

        // The same client (same lease file) comes back: INIT-REBOOT → ACK for the same address.
        const from2 = second.mark();
        const recFrom = run.rec.records().length;
        reboot = spawnDhclient(lab, 'c', 'cl0', { dir, name: 'dhclient-again', timeoutSec: 20, leaseFile: run.leaseFile });
        const again = await reboot.rec.waitFor(['REBOOT', 'BOUND'], { timeoutMs: 15_000 });
        expect(recFrom).toBeGreaterThan(0);
        expect(again.reason).toBe('REBOOT');
        expect(again.new_ip_address).toBe(ip);
        const ack = await second.waitEvent(isDhcp('ack', mac), { from: from2, timeoutMs: 2000 });
        expect(ack.event.state).toBe('init-reboot');
        expect(ack.event.ip).toBe(ip);
        expect(second.events().slice(from2).some(isDhcp('nak', mac))).toBe(false);
      } finally {
        await run.stop();
        await reboot?.stop();
        await first.kill9();
        if (second) expect((await second.stop()).code).toBe(0);
      }
    });
  });

  // The restart must not merely accept the client back at INIT-REBOOT: a running client that never
  // noticed the crash RENEWs at T1 by unicast to the restarted server, which must ACK it as
  // RENEWING, unicast to ciaddr:68 (RFC 2131 §4.3.2, §4.1). Not authoritative, a server without a
  // record of the client stays silent ("no-record"): there a RENEWING ACK proves the lease came
  // from the file and not from re-granting a free address.
  const RENEW_LEASE = 24;
  const RENEW_T1 = 6;
  const RENEW_T2 = 18;
  for (const [i, authoritative] of [true, false].entries()) {
    it(`kill -9 right after the ACK, restart${authoritative ? '' : ' with authoritative: false'}: the client's RENEW at T1 is ACKed as RENEWING, unicast to ip:68`, async () => {
      const mac = `02:00:5e:10:09:0${i + 1}`;
      await setMac(lab, 'c', 'cl0', mac);
      const dir = tmp.make(`renew${i}`);
      const config = labConfig({ leaseTime: RENEW_LEASE, subnet: { renewalTime: RENEW_T1, rebindingTime: RENEW_T2 }, top: { authoritative } });
      const runServer = async (): Promise<ServerHandle> => {
        const s = await startServer(lab, 's', { config, dir, dataDir: `${dir}/data` });
        servers.push(s);
        return s;
      };
      const first = await runServer();
      const from = first.mark();
      // configure: the leased address goes on cl0, so the renewal can be unicast (and answered).
      const run = spawnDhclient(lab, 'c', 'cl0', { dir, configure: true, timeoutSec: 30 });
      let second: ServerHandle | undefined;
      try {
        await first.waitEvent(isPacket('out', 'DHCPACK', mac), { from, timeoutMs: 15_000 });
        expect((await first.kill9()).signal).toBe('SIGKILL');
        const bound = await run.rec.waitFor(['BOUND'], { timeoutMs: 2500 });
        const boundAt = Date.now();
        const ip = bound.new_ip_address!;
        expect(bound.new_dhcp_renewal_time).toBe(String(RENEW_T1));

        second = await runServer();
        const from2 = second.mark();
        // Nothing has happened to the client: it renews at T1 (dhclient fuzzes it to 3/4–1 × T1).
        const renew = await run.rec.waitFor(['RENEW'], { timeoutMs: RENEW_T2 * 1000 - (Date.now() - boundAt) });
        expect(renew.new_ip_address).toBe(ip);
        const req = await second.waitEvent(and(isPacket('in', 'DHCPREQUEST', mac), (e) => e.packet.ip === ip), { from: from2, timeoutMs: 2000 });
        expect(req.packet.peer).toBe(`${ip}:68`);
        const after = second.events().indexOf(req) + 1;
        const ack = await second.waitEvent(isDhcp('ack', mac), { from: after, timeoutMs: 2000 });
        expect(ack.event.state).toBe('renewing');
        expect(ack.event.ip).toBe(ip);
        const out = await second.waitEvent(isPacket('out', 'DHCPACK', mac), { from: after, timeoutMs: 2000 });
        expect(out.packet.xid).toBe(req.packet.xid);
        expect(out.packet.peer).toBe(`${ip}:68`);
        expect(second.events().slice(from2).filter((e) => isDhcp('nak', mac)(e) || (isDhcp('drop', mac)(e) && e.event.reason === 'no-record'))).toEqual([]);
        const leases = (await readLeases(lab, 's', `${dir}/data`)).filter((l) => l.mac === mac && l.state === 'bound');
        expect(leases.map((l) => l.ip)).toEqual([ip]);
      } finally {
        await run.stop();
        await flushClient(lab, 'c', 'cl0'); // the leased address the recorder put on cl0
        await first.kill9();
        if (second) expect((await second.stop()).code).toBe(0);
      }
    }, 60_000);
  }

  it('kill -9 under perfdhcp load (group commit): every ACK that left the server is in the lease file (3 kills)', async () => {
    // perfdhcp in C acts as a relay from 198.18.50.2 (a second subnet, selected by giaddr).
    await lab.ip('c', 'addr', 'add', '198.18.50.2/24', 'dev', 'cl0');
    await lab.ip('s', 'route', 'add', '198.18.50.0/24', 'dev', 'sv0');
    await lab.ip('c', 'route', 'add', '198.18.10.0/24', 'dev', 'cl0');
    const loadDir = tmp.make('load');
    const loadData = `${loadDir}/data`;
    const config = labConfig({ leaseTime: 600, extraSubnets: [{ subnet: '198.18.48.0/21', range: '198.18.48.10-198.18.55.250' }] });
    const acked = new Map<string, string>(); // mac → ip, from "packet out DHCPACK" lines before each kill
    try {
      for (const [round, killAfter] of [150, 400, 700].entries()) {
        const srv = await startServer(lab, 's', { config, dir: loadDir, dataDir: loadData });
        servers.push(srv);
        const perf = lab.spawn('c', 'perfdhcp', ['-4', '-l', 'cl0', '-r', '800', '-R', '1500', '-n', '8000', '-p', '8', '-d', '1', '-g', 'single', '-s', String(round + 1), '198.18.10.1'], {
          stdio: ['ignore', 'ignore', 'ignore'],
        });
        try {
          let acks = 0;
          await srv.waitEvent((e) => isPacket('out', 'DHCPACK')(e) && ++acks >= killAfter, { timeoutMs: 20_000 });
          await sleep(round * 3); // 0, 3, 6 ms later: somewhere inside the next batch
          expect((await srv.kill9()).signal).toBe('SIGKILL');
        } finally {
          await lab.kill(perf, 1000);
        }
        const before = acked.size;
        for (const e of srv.events()) if (isPacket('out', 'DHCPACK')(e) && e.packet.ip) acked.set(e.packet.mac, e.packet.ip);
        expect(acked.size).toBeGreaterThan(before);
        // Offline, while nothing runs: every client that got an ACK has its lease.
        const offline = new Map((await readLeases(lab, 's', loadData)).filter((l) => l.state === 'bound').map((l) => [l.mac, l.ip]));
        const missing = [...acked].filter(([mac, ip]) => offline.get(mac) !== ip);
        expect(missing, `ACKed but not in the lease file after kill #${round + 1}`).toEqual([]);
        console.log(`[crash] load kill #${round + 1} after ${killAfter} ACKs: ${acked.size} ACKed clients so far, all ${offline.size >= acked.size ? 'present' : 'MISSING'} in ${offline.size} bound records`);
      }
      // The last kill left the file as it was: a restart loads it and still has everyone.
      const srv = await startServer(lab, 's', { config, dir: loadDir, dataDir: loadData });
      servers.push(srv);
      const after = new Map((await readLeases(lab, 's', loadData)).filter((l) => l.state === 'bound').map((l) => [l.mac, l.ip]));
      expect([...acked].filter(([mac, ip]) => after.get(mac) !== ip)).toEqual([]);
      expect((await srv.stop()).code).toBe(0);
    } finally {
      await lab.ip('c', 'addr', 'del', '198.18.50.2/24', 'dev', 'cl0');
    }
  });

  it('after all the kills the lease file holds every client, each bound to the address it was given', async () => {
    const leases = await readLeases(lab, 's', dataDir);
    const ours = leases.filter((l) => l.mac.startsWith('02:00:5e:10:08:'));
    expect(ours.filter((l) => l.state === 'bound')).toHaveLength(MOMENTS.length);
    expect(new Set(ours.map((l) => l.ip)).size).toBe(ours.length);
  });
});
