// dnsmasq loads the lease file we export (--dhcp-leasefile): a second device asking for a leased
// address gets another one, and the device itself gets its address back. (`dnsmasq --test` only
// checks configuration syntax; this shows the lease file is understood too.)
//   S: sv0 198.18.10.1/24 (dnsmasq, DHCP only: --port=0) ──veth── C: cl0 (busybox udhcpc)
// dnsmasq runs only inside the namespace, with --conf-file=/dev/null and every file in a temp dir.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { exportText } from '../../../src-main/portability/codecs.js';
import { createLab, netnsAvailable, readLines, systemBinary, type Lab } from '../../helpers/netns.js';
import { runUdhcpc, setMac, TempDirs } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const DNSMASQ = systemBinary('dnsmasq');
const skip = !avail.ok ? avail.reason : !existsSync(DNSMASQ) ? 'dnsmasq is not installed (apt-get install dnsmasq-base)' : undefined;
if (skip) console.warn(`[dnsmasq run integration] skipped: ${skip}`);

const MAC_A = '02:00:5e:10:0c:01';
const IP_A = '198.18.10.120';

describe.skipIf(skip !== undefined)(`dnsmasq serves from our exported lease file${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('dnsm');

  beforeAll(async () => {
    lab = await createLab('dnsmrun');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
  });

  afterAll(async () => {
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('the leased address is kept for its device', async () => {
    const dir = tmp.make('x');
    const now = Date.now();
    const lease: Lease = { ip: IP_A, mac: MAC_A, clientId: `01:${MAC_A}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: now - 60_000, expiresAt: now + 3_600_000, firstSeen: now - 60_000, lastSeen: now - 60_000, hostname: 'kept' };
    const file = join(dir, 'dnsmasq.leases');
    writeFileSync(file, exportText({ what: 'leases', format: 'dnsmasq', leases: [lease], reservations: [], now }));

    const child = lab.spawn('s', DNSMASQ, [
      '--no-daemon',
      '--port=0',
      '--conf-file=/dev/null',
      '--interface=sv0',
      '--bind-interfaces',
      '--dhcp-authoritative',
      '--dhcp-range=198.18.10.100,198.18.10.150,10m',
      `--dhcp-leasefile=${file}`,
      `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    ]);
    const err = readLines(child.stderr!);
    readLines(child.stdout!);
    try {
      await err.waitFor(/DHCP, IP range 198\.18\.10\.100/, { timeoutMs: 10_000 });

      await setMac(lab, 'c', 'cl0', '02:00:5e:10:0c:99');
      const other = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('b'), args: ['-r', IP_A], tries: 5 });
      expect(other.result.code, other.result.stderr).toBe(0);
      const otherIp = other.rec.records().find((r) => r.ARG1 === 'bound')?.ip;
      expect(otherIp).toMatch(/^198\.18\.10\.\d+$/);
      expect(otherIp).not.toBe(IP_A);

      await setMac(lab, 'c', 'cl0', MAC_A);
      const mine = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('a'), tries: 5 });
      expect(mine.result.code, mine.result.stderr).toBe(0);
      expect(mine.rec.records().find((r) => r.ARG1 === 'bound')?.ip).toBe(IP_A);
    } finally {
      await lab.kill(child, 2000);
    }
  });
});
