// The outgrow path for real: a client gets a lease from Pocket DHCP, the server stops, `pocket-dhcp
// export --format kea` writes kea-dhcp4.conf and the lease file, kea-dhcp4 -t accepts them, a real
// kea-dhcp4 starts on them in the namespace, and the same client (same dhclient lease file) does
// INIT-REBOOT and Kea ACKs the same address. A second device asking for that address does not get
// it: Kea loaded our lease, it did not just find the address free. Meanwhile client B, bound by
// Pocket DHCP with a short lease just before the switch, keeps running: at T1 it RENEWs by unicast
// to the server address, and Kea ACKs the address it got from us.
//   S: sv0 198.18.10.1/24 ──┐
//   C: cl0 ─────────────── br0 (W)
//   B: bl0 ─────────────────┘
// Kea runs only inside the namespace, with its pid/lock files and the lease file in a temp dir,
// raw sockets on sv0, bounded in time and killed by PID at the end.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeSegment, createLab, netnsAvailable, readLines, systemBinary, type Lab, type LineReader } from '../../helpers/netns.js';
import { cliMissing, labConfig, macOf, runCli, runUdhcpc, setMac, spawnDhclient, startCapture, startServer, TempDirs, writeConfig, type Capture, type DhclientRun } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const kea = systemBinary('kea-dhcp4');
const skip = !avail.ok ? avail.reason : !existsSync(kea) ? 'kea-dhcp4 is not installed (apt-get install kea-dhcp4-server)' : cliMissing();
if (skip) console.warn(`[kea run integration] skipped: ${skip}`);

/** Short enough that client B renews (T1 = 20 s) within the test, long enough for the switch to Kea. */
const LEASE = 40;
const MAC_B = '02:00:5e:10:0b:42';

describe.skipIf(skip !== undefined)(`Export to Kea, then Kea serves our lease${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('kea');
  let keaChild: ChildProcess | undefined;
  let keepB: DhclientRun | undefined;
  let capture: Capture | undefined;

  beforeAll(async () => {
    lab = await createLab('kearun');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.addNamespace('b');
    await lab.addNamespace('w');
    await bridgeSegment(lab, 'w', [['s', 'sv0', '198.18.10.1/24'], ['c', 'cl0', null], ['b', 'bl0', null]]);
    await setMac(lab, 'b', 'bl0', MAC_B);
  });

  afterAll(async () => {
    await keepB?.stop();
    await capture?.stop();
    if (keaChild) await lab.kill(keaChild, 2000);
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('kea-dhcp4 -t accepts the export; Kea ACKs the INIT-REBOOT of a client we leased to and the unicast RENEW at T1 of one still bound', async () => {
    const srvDir = tmp.make('srv');
    const dataDir = join(srvDir, 'data');
    const config = labConfig({ leaseTime: LEASE, subnet: { options: { 'ntp-servers': ['198.18.10.1'], 'tftp-server-address': ['198.18.10.5'] } } });
    const macA = await macOf(lab, 'c', 'cl0');

    // 1. Pocket DHCP leases an address to client A.
    const srv = await startServer(lab, 's', { config, dir: srvDir, dataDir });
    const dhDir = tmp.make('dh');
    const first = spawnDhclient(lab, 'c', 'cl0', { dir: dhDir, timeoutSec: 20 });
    let ip: string;
    // Client B stays bound across the switch; its script puts the address on bl0 so it can renew by unicast.
    let ipB = '';
    let boundB = 0;
    try {
      const bound = await first.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      ip = bound.new_ip_address!;
      expect(ip).toMatch(/^198\.18\.10\.1\d\d$/);
      keepB = spawnDhclient(lab, 'b', 'bl0', { dir: tmp.make('dhb'), name: 'dhclient-b', configure: true, timeoutSec: 20 });
      const b = await keepB.rec.waitFor(['BOUND'], { timeoutMs: 15_000 });
      boundB = Date.now();
      ipB = b.new_ip_address!;
      expect(b.new_dhcp_lease_time).toBe(String(LEASE));
      expect(b.new_dhcp_renewal_time).toBe(String(LEASE / 2));
    } finally {
      await first.stop();
      expect((await srv.stop()).code).toBe(0);
    }

    // 2. Export to Kea (the built CLI, on the stopped server's data directory).
    const keaDir = tmp.make('out');
    const cfgPath = writeConfig(srvDir, { ...config, dataDir }, 'export-config.json');
    const ex = await runCli(lab, 's', ['export', '--format', 'kea', '--config', cfgPath, '--data-dir', dataDir, '-o', keaDir]);
    expect(ex.code, ex.stderr).toBe(0);
    const conf = join(keaDir, 'kea-dhcp4.conf');
    const csv = readFileSync(join(keaDir, 'kea-leases4.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context');
    expect(csv).toContain(`${ip},${macA},01:${macA},${LEASE},`);
    expect(csv).toContain(`${ipB},${MAC_B},01:${MAC_B},${LEASE},`);

    const env = { ...process.env, KEA_PIDFILE_DIR: keaDir, KEA_LOCKFILE_DIR: keaDir };
    const check = await lab.exec('s', kea, ['-t', conf], { timeoutMs: 20_000, env });
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);

    // 3. Kea starts on the exported files (while B's lease runs: T1 is still ahead).
    // Watch the server address for B's renewal: a REQUEST from B's own address, not a broadcast.
    capture = await startCapture(lab, 's', 'sv0', `udp dst port 67 and src host ${ipB} and dst host 198.18.10.1`, { seconds: 90, maxPackets: 20 });
    // stdbuf: Kea's log lines would sit in a block buffer on a pipe.
    // Kea logs to both streams: one pipe, and `exec` keeps the PID Kea's.
    keaChild = lab.spawn('s', 'sh', ['-c', `exec stdbuf -oL -eL '${kea}' -c '${conf}' 2>&1`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: LineReader = readLines(keaChild.stdout!);
    await out.waitFor(/DHCP4_STARTED/, { timeoutMs: 15_000 });
    // Kea read our lease file: one lease loaded into subnet 1.
    expect(out.lines.join('\n')).not.toMatch(/DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR/);

    // 4. Another device asking for A's address gets a different one: the lease is Kea's now.
    await setMac(lab, 'c', 'cl0', '02:00:5e:10:0b:99');
    const other = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud'), args: ['-r', ip] });
    expect(other.result.code, other.result.stderr).toBe(0);
    const otherIp = other.rec.records().find((r) => r.ARG1 === 'bound')?.ip;
    expect(otherIp).toBeDefined();
    expect(otherIp).not.toBe(ip);

    // 5. Client A comes back with its dhclient lease file: INIT-REBOOT, and Kea ACKs the same address.
    await setMac(lab, 'c', 'cl0', macA);
    const from = out.lines.length;
    const again = spawnDhclient(lab, 'c', 'cl0', { dir: dhDir, name: 'dhclient-kea', timeoutSec: 20, leaseFile: first.leaseFile });
    try {
      const r = await again.rec.waitFor(['REBOOT', 'BOUND'], { timeoutMs: 20_000 });
      expect(r.reason).toBe('REBOOT');
      expect(r.new_ip_address).toBe(ip);
      expect(r.new_routers).toBe('198.18.10.1');
      expect(r.new_domain_name).toBe('lab.test');
      const ack = await out.waitFor((l) => l.includes('DHCP4_LEASE_ALLOC') && l.includes(macA) && l.includes(ip), { from, timeoutMs: 5000 });
      expect(ack).toContain(ip);
    } finally {
      await again.stop();
    }

    // 6. Client B renews at T1 (LEASE / 2 after its bind) by unicast, and Kea ACKs its address.
    try {
      const renew = await keepB!.rec.waitFor(['RENEW'], { timeoutMs: Math.max(5000, boundB + LEASE * 1000 - Date.now()) });
      const after = (Date.now() - boundB) / 1000;
      expect(renew.new_ip_address).toBe(ipB);
      expect(renew.new_dhcp_server_identifier).toBe('198.18.10.1');
      expect(after).toBeGreaterThanOrEqual(LEASE / 2 - 1);
      expect(after).toBeLessThan(LEASE * 0.875);
      const renewAck = await out.waitFor((l) => l.includes('DHCP4_LEASE_ALLOC') && l.includes(MAC_B) && l.includes(ipB), { timeoutMs: 5000 });
      expect(renewAck).toContain(`${LEASE} seconds`);
      const seen = await capture.stop();
      capture = undefined;
      expect(seen.some((l) => l.includes(`${ipB}.68 > 198.18.10.1.67`)), seen.join('\n')).toBe(true);
    } finally {
      await keepB?.stop();
      keepB = undefined;
    }
  });
});
