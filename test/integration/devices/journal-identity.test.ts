// Device identity and the lease journal with real clients against the real server (the built CLI)
// in network namespaces:
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 (no address)
// Debian's dhclient with its stock request list and a Raspberry Pi MAC binds, renews by restart
// and releases; busybox udhcpc binds with a random (locally administered) MAC. Then
// `pocket-dhcp leases --format json` must carry the vendor, the random-MAC flag and the option 55
// fingerprint (the one measured here is the one in src-main/devices/fingerprint.ts), and
// `pocket-dhcp journal` must show the bind and the release, filtered by MAC, IP and time.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { TempDirs, dhclientRelease, flushClient, isDhcp, labConfig, readLeases, runCli, runUdhcpc, setMac, sleep, spawnDhclient, startServer, type ServerHandle } from '../../helpers/server-lab.js';
import { KNOWN_FINGERPRINTS } from '../../../src-main/devices/fingerprint.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[journal/identity integration] skipped: ${avail.reason}`);

const PI_MAC = 'b8:27:eb:44:00:01'; // Raspberry Pi Foundation (MA-L b8:27:eb)
const RANDOM_MAC = '3a:00:5e:44:00:02'; // bit 0x02 of 0x3a set: locally administered
const HOST = 'journal-laptop';

/** Debian's stock dhclient.conf request list, with short timeouts for the lab and a host name. */
function stockDhclientConf(): string {
  let stock = '';
  try {
    stock = readFileSync('/etc/dhcp/dhclient.conf', 'utf8').replace(/^send host-name.*$/m, '');
  } catch {
    stock = 'request subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers, domain-search, host-name, netbios-name-servers, netbios-scope, interface-mtu, ntp-servers;\n';
  }
  return `timeout 10;\nretry 1;\ninitial-interval 1;\nbackoff-cutoff 2;\nreboot 5;\nsend host-name "${HOST}";\n${stock}`;
}

describe.skipIf(!avail.ok)(`device identity and lease journal with real clients${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('journal');
  let piIp = '';
  let t0 = 0;

  const journal = async (args: string[]) => {
    const r = await runCli(lab, 's', ['journal', '--data-dir', srv.dataDir, ...args]);
    return r;
  };
  /** The journal is appended once a second: poll until `pred` holds (at most 5 s). */
  async function journalUntil(args: string[], pred: (entries: Array<Record<string, string>>) => boolean): Promise<Array<Record<string, string>>> {
    const until = Date.now() + 5000;
    for (;;) {
      const r = await journal([...args, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const entries = JSON.parse(r.stdout) as Array<Record<string, string>>;
      if (pred(entries) || Date.now() > until) return entries;
      await sleep(250);
    }
  }

  beforeAll(async () => {
    lab = await createLab('journal');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    srv = await startServer(lab, 's', { config: labConfig({ leaseTime: 600 }), dir: tmp.make('srv') });
    t0 = Date.now();
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('dhclient (stock Debian request list, Raspberry Pi MAC): vendor and fingerprint in `leases --format json`', async () => {
    await setMac(lab, 'c', 'cl0', PI_MAC);
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dhclient'), conf: stockDhclientConf() });
    try {
      const env = await run.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      piIp = env.new_ip_address!;
      await srv.waitEvent(isDhcp('ack', PI_MAC));
    } finally {
      await run.stop();
    }
    const l = (await readLeases(lab, 's', srv.dataDir)).find((x) => x.mac === PI_MAC)!;
    expect(l).toBeDefined();
    expect(l.vendor).toBe('Raspberry Pi Foundation');
    expect(l.randomMac).toBe(false);
    expect(l.hostname).toBe(HOST);
    const fp = l.fingerprint as string;
    expect(fp).toBe((l.paramRequest as number[]).join(','));
    console.log(`[journal/identity] dhclient 4.4 stock fingerprint: ${fp}`);
    // The table's dhclient entry is this measured list.
    expect(KNOWN_FINGERPRINTS[fp]).toBe('ISC dhclient (Debian/Ubuntu Linux)');
    expect(l.clientGuess).toBe('ISC dhclient (Debian/Ubuntu Linux)');
  });

  it('udhcpc with a random MAC: flagged, no vendor; the fingerprint guess says BusyBox', async () => {
    await setMac(lab, 'c', 'cl0', RANDOM_MAC);
    const { result } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc') });
    expect(result.code, result.stderr).toBe(0);
    const l = (await readLeases(lab, 's', srv.dataDir)).find((x) => x.mac === RANDOM_MAC)!;
    expect(l.randomMac).toBe(true);
    expect(l.vendor).toBeNull();
    expect(l.fingerprint).toBe('1,3,6,12,15,28,42');
    expect(l.clientGuess).toBe('BusyBox udhcpc (embedded Linux)');
    const table = await runCli(lab, 's', ['leases', '--data-dir', srv.dataDir]);
    expect(table.stdout).toMatch(new RegExp(`${RANDOM_MAC}\\s+private/random MAC`));
    expect(table.stdout).toMatch(new RegExp(`${PI_MAC}\\s+Raspberry Pi Foundation`));
  });

  it('`pocket-dhcp journal --mac` shows the bind, then the release; filters by IP and time; CSV', async () => {
    let entries = await journalUntil(['--mac', PI_MAC.toUpperCase().replace(/:/g, '-')], (e) => e.some((x) => x.event === 'bind'));
    expect(entries.map((e) => [e.event, e.ip, e.mac, e.hostname])).toEqual([['bind', piIp, PI_MAC, HOST]]);
    expect(Date.parse(entries[0]!.at!)).toBeGreaterThanOrEqual(t0 - 1000);

    // dhclient -r: DHCPRELEASE → a 'release' line. configure: the address goes on cl0, because
    // dhclient unicasts the RELEASE from it.
    await setMac(lab, 'c', 'cl0', PI_MAC);
    const from = srv.mark();
    const run = spawnDhclient(lab, 'c', 'cl0', { dir: tmp.make('dhclient2'), conf: stockDhclientConf(), configure: true });
    try {
      await run.rec.waitFor(['BOUND', 'REBOOT'], { timeoutMs: 15_000 });
      const rel = await dhclientRelease(lab, 'c', 'cl0', run);
      expect(rel.code, rel.stderr).toBe(0);
    } finally {
      await run.stop();
    }
    await srv.waitEvent(isDhcp('release', PI_MAC), { from, timeoutMs: 5000 });
    await flushClient(lab, 'c', 'cl0');
    entries = await journalUntil(['--mac', PI_MAC], (e) => e.some((x) => x.event === 'release'));
    expect(entries.map((e) => e.event)).toEqual(['bind', 'bind', 'release']);

    const byIp = await journalUntil(['--ip', piIp], () => true);
    expect(byIp.every((e) => e.ip === piIp)).toBe(true);
    const future = await journal(['--since', new Date(Date.now() + 3600_000).toISOString(), '--format', 'json']);
    expect(JSON.parse(future.stdout)).toEqual([]);
    const both = await journalUntil(['--since', new Date(t0 - 1000).toISOString()], () => true);
    expect(new Set(both.map((e) => e.mac))).toEqual(new Set([PI_MAC, RANDOM_MAC]));

    const csv = await journal(['--mac', PI_MAC, '--format', 'csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('at,event,ip,mac,hostname,clientId,expiresAt,subnet');
    expect(lines).toHaveLength(4);
    const tableOut = await journal(['--mac', PI_MAC]);
    expect(tableOut.stdout.split('\n')[0]).toMatch(/^TIME\s+EVENT\s+IP\s+MAC\s+HOSTNAME$/);
    recordProof('lease journal', `dhclient's bind and release reached \`pocket-dhcp journal\` (filtered by MAC, IP and time); vendor, random-MAC flag and fingerprint in \`leases --format json\``);
  });

  it('bad filters get a clear error and exit code 2', async () => {
    const bad = await journal(['--mac', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a MAC address');
    const badTime = await journal(['--since', 'yesterday-ish']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('ISO 8601');
  });
});
