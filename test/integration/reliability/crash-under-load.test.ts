// Crash safety under load: perfdhcp (as a relay, like relay-perf.test.ts) keeps DORAing a fixed set
// of 600 clients while the real server is killed with SIGKILL at random moments — ≥ 20 times, a few
// of them while it is still starting (lock takeover, repair, load) — and restarted on the same data
// directory. tcpdump in the clients' namespace writes every datagram the clients saw to a pcap; the
// DHCPACKs in it (parsed by pcap.ts, not by our codec) are the ground truth:
//   - every ACKed lease is in `leases --format json` after the last restart, bound to its client;
//   - no address was ever ACKed to two clients (all leases outlive the test, so that would be two
//     clients holding one address), and no client was ever moved to another address (a server that
//     forgot a lease would hand out a new one);
//   - the data file loads after every kill (`leases` while the server is dead, then the restart),
//     and a crash never turns a line into garbage (nothing quarantined).
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 198.18.50.2/24 (perfdhcp -l cl0 = relay, giaddr .50.2)
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, readLines, systemBinary, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { TempDirs, cliMissing, isPacket, labConfig, readLeases, sleep, spawnServer, startServer, type LeaseJson, type ServerHandle } from '../../helpers/server-lab.js';
import { parseDhcp, readPcapUdp } from './pcap.js';

const avail = netnsAvailable();
const missing = avail.ok ? cliMissing() : undefined;
const skip = !avail.ok ? avail.reason : missing;
if (skip) console.warn(`[crash under load integration] skipped: ${skip}`);

const KILLS = Number(process.env.POCKET_DHCP_CRASH_KILLS ?? 24);
/** Every 6th kill lands while the server is still starting. */
const EARLY_EVERY = 6;
const RELAY = '198.18.50.2';
const CLIENTS = 600;

describe.skipIf(Boolean(skip))(`kill -9 under perfdhcp load, ${KILLS} times${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('crashload');
  const servers: ServerHandle[] = [];

  beforeAll(async () => {
    lab = await createLab('relcrash');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', `${RELAY}/24`);
    await lab.ip('s', 'route', 'add', '198.18.48.0/21', 'dev', 'sv0');
    await lab.ip('c', 'route', 'add', '198.18.10.0/24', 'dev', 'cl0');
  });

  afterAll(async () => {
    for (const s of servers) await s.kill9();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it(`every ACK the clients saw survives ${KILLS} SIGKILLs; no address ACKed to two clients; the file loads every time`, { timeout: 240_000 }, async () => {
    const dir = tmp.make('srv');
    const dataDir = join(dir, 'data');
    const pcap = join(tmp.make('pcap'), 'clients.pcap');
    const config = labConfig({ leaseTime: 3600, extraSubnets: [{ subnet: '198.18.48.0/21', range: '198.18.48.10-198.18.55.250' }] });

    // Bounded: at most 400,000 packets and 240 s; -U writes every packet as it comes.
    const tcpdump = lab.spawn('c', 'timeout', ['-s', 'INT', '240', systemBinary('tcpdump'), '-i', 'cl0', '-n', '-U', '-s', '0', '-c', '400000', '-w', pcap, 'udp port 67']);
    const tcpdumpErr = readLines(tcpdump.stderr!);
    await tcpdumpErr.waitFor(/listening on/, { timeoutMs: 10_000 });

    const log: string[] = [];
    const repairs: string[] = [];
    let offlineReads = 0;
    let early = 0;
    const t0 = Date.now();
    for (let k = 1; k <= KILLS; k++) {
      const perfSeed = String(1000 + k);
      if (k % EARLY_EVERY === 0) {
        // While it is starting: opening the store, taking over the lock, repairing, binding.
        const srv = spawnServer(lab, 's', { config, dir, dataDir });
        servers.push(srv);
        const after = 30 + Math.floor(Math.random() * 600);
        await sleep(after);
        const started = srv.events().some((e) => e.kind === 'started');
        expect((await srv.kill9()).signal).toBe('SIGKILL');
        early++;
        log.push(`kill ${k}: ${after} ms after spawn (${started ? 'already serving' : 'still starting'})`);
      } else {
        const srv = await startServer(lab, 's', { config, dir, dataDir, bannerTimeoutMs: 20_000 });
        servers.push(srv);
        for (const e of srv.events()) if (e.kind === 'warning' && e.code === 'lease-file') repairs.push(String(e.message));
        const perf = startPerf(lab, perfSeed);
        try {
          await srv.waitEvent(isPacket('out', 'DHCPACK'), { timeoutMs: 15_000 });
          const after = Math.floor(Math.random() * 900);
          await sleep(after);
          const acks = srv.events().filter(isPacket('out', 'DHCPACK')).length;
          expect((await srv.kill9()).signal).toBe('SIGKILL');
          log.push(`kill ${k}: ${after} ms after the first ACK, ${acks} ACKs logged by this run`);
        } finally {
          await lab.kill(perf, 500);
        }
      }
      // While nothing runs: the file reads (what a restart would load).
      await readLeases(lab, 's', dataDir);
      offlineReads++;
    }

    // The last restart: it must load, and then it is stopped cleanly.
    const last = await startServer(lab, 's', { config, dir, dataDir, bannerTimeoutMs: 20_000 });
    servers.push(last);
    for (const e of last.events()) if (e.kind === 'warning' && e.code === 'lease-file') repairs.push(String(e.message));
    const final = await readLeases(lab, 's', dataDir);
    expect((await last.stop()).code).toBe(0);
    const loadSeconds = (Date.now() - t0) / 1000;
    await sleep(300);
    await lab.kill(tcpdump, 3000);

    // ---- what the clients saw ----
    const acks = readPcapUdp(pcap)
      .filter((d) => d.src === '198.18.10.1' && d.sport === 67 && d.dst === RELAY)
      .map((d) => ({ t: d.tsUs, m: parseDhcp(d.payload) }))
      .filter((x) => x.m?.op === 2 && x.m.type === 5)
      .map((x) => ({ t: x.t, mac: x.m!.mac, ip: x.m!.yiaddr }));
    const dropped = /(\d+) packets? dropped by kernel/.exec(tcpdumpErr.lines.join('\n'));
    expect(Number(dropped?.[1] ?? 0), 'tcpdump dropped packets: the capture would be incomplete').toBe(0);
    expect(acks.length).toBeGreaterThan(KILLS * 20);

    const ipsOfClient = new Map<string, Set<string>>();
    const clientsOfIp = new Map<string, Set<string>>();
    for (const a of acks) {
      (ipsOfClient.get(a.mac) ?? ipsOfClient.set(a.mac, new Set()).get(a.mac)!).add(a.ip);
      (clientsOfIp.get(a.ip) ?? clientsOfIp.set(a.ip, new Set()).get(a.ip)!).add(a.mac);
    }
    const doubles = [...clientsOfIp].filter(([, macs]) => macs.size > 1).map(([ip, macs]) => `${ip}: ${[...macs].join(', ')}`);
    const moved = [...ipsOfClient].filter(([, ips]) => ips.size > 1).map(([mac, ips]) => `${mac}: ${[...ips].join(', ')}`);
    const bound = new Map(final.filter((l: LeaseJson) => l.state === 'bound').map((l) => [l.mac, l]));
    const lost = [...ipsOfClient].filter(([mac, ips]) => bound.get(mac)?.ip !== [...ips].at(-1)).map(([mac, ips]) => `${mac} ACKed ${[...ips].join('/')}, file has ${bound.get(mac)?.ip ?? 'nothing'}`);
    const quarantined = repairs.filter((m) => /unreadable/.test(m));

    console.log(
      `[crash under load] ${KILLS} kills (${early} while starting) in ${loadSeconds.toFixed(0)} s; ${acks.length} ACKs in the capture for ${ipsOfClient.size} clients; ` +
        `${final.length} records after the last restart; ${repairs.length} repair messages at restarts:\n  ${[...new Set(repairs.map((m) => m.replace(/\d+/g, 'N')))].join('\n  ')}\n  ${log.join('\n  ')}`,
    );
    expect(lost, 'ACKed leases missing from the lease file').toEqual([]);
    expect(doubles, 'addresses ACKed to two clients').toEqual([]);
    expect(moved, 'clients given another address after a restart (an ACKed lease was forgotten)').toEqual([]);
    expect(quarantined, 'a crash made lines unreadable').toEqual([]);
    expect(offlineReads).toBe(KILLS);
    recordProof(
      'crash safety',
      `${KILLS} kills survived (${early} during start-up), ${acks.length.toLocaleString('en-US')} ACKs seen by clients for ${ipsOfClient.size} leases checked: 0 missing, 0 addresses on two clients, 0 clients moved; ` +
        `the file loaded after every kill (${offlineReads} offline reads + ${KILLS - early + 1} restarts), ${repairs.filter((m) => /^Cut off/.test(m)).length} torn or unfinished batches cut, ` +
        `${repairs.filter((m) => /stale lock/.test(m)).length} stale locks taken over, 0 lines quarantined`,
    );
  });
});

/** perfdhcp as a relay over the same 600 clients every round (fixed base MAC, random picks), bounded in rate, count and time. */
function startPerf(lab: Lab, seed: string): ChildProcess {
  return lab.spawn('c', 'perfdhcp', ['-4', '-l', 'cl0', '-r', '400', '-R', String(CLIENTS), '-b', 'mac=02:00:5e:77:00:00', '-n', '20000', '-p', '20', '-d', '1', '-g', 'single', '-s', seed, '198.18.10.1'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
}
