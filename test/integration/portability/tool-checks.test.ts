// The real tools accept what we export: `kea-dhcp4 -t` on the Kea configuration (with every kind
// of option our table has, reservations, a relayed subnet, and both High Availability modes),
// `dnsmasq --test` on the dhcp-host lines, `dhcpd -t -cf` on the host blocks and `dhcpd -T` on the
// exported dhcpd.leases. Each runs inside a network namespace that has the interface the
// configuration names (Kea checks that it exists), with every file in a temp dir.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type UserConfig } from '../../../src-main/config/schema.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { NEVER_EXPIRES } from '../../../src-main/dhcp/policy.js';
import { exportText } from '../../../src-main/portability/codecs.js';
import { buildKeaConfig, DEFAULT_KEA_HOOKS_DIR, type HaOptions } from '../../../src-main/portability/formats/kea-config.js';
import { draftReservations } from '../../../src-main/portability/service.js';
import { createLab, netnsAvailable, readLines, systemBinary, type Lab } from '../../helpers/netns.js';
import { TempDirs } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[tool checks] skipped: ${avail.reason}`);
const KEA = systemBinary('kea-dhcp4');
const DNSMASQ = systemBinary('dnsmasq');
const DHCPD = systemBinary('dhcpd');
const missing = (bin: string, pkg: string) => (existsSync(bin) ? undefined : `${bin.split('/').pop()} is not installed (apt-get install ${pkg})`);

const NOW = Date.now();
const H = 3_600_000;

const DRAFT = {
  interface: 'sv0',
  leaseTime: 600,
  declineQuarantineSeconds: 300,
  subnets: [
    {
      subnet: '198.18.10.0/24',
      range: '198.18.10.1-198.18.10.150',
      router: ['198.18.10.1'],
      dns: ['198.18.10.53', '198.18.10.54'],
      domain: 'lab.test',
      options: {
        'ntp-servers': ['198.18.10.1'],
        'time-offset': -3600,
        'interface-mtu': 1400,
        'ip-forwarding': false,
        'static-routes': [['198.18.20.0', '198.18.10.2']],
        'netbios-node-type': 8,
        'domain-search': ['lab.test', 'corp.test'],
        'classless-static-route': [{ destination: '198.18.30.0/24', router: '198.18.10.3' }, { destination: '0.0.0.0/0', router: '198.18.10.1' }],
        'tftp-server-address': ['198.18.10.5'],
        'tftp-server-name': 'boot.lab.test',
        'boot-file-name': 'pxelinux.0',
        'vendor-encapsulated-options': '01:04:c6:12:0a:05',
        'pxelinux-configfile': 'pxelinux.cfg/default',
        'wpad-url': 'http://wpad.lab.test/wpad.dat',
        'root-path': 'a,b',
        // Avaya's site-specific 242 (a phone preset): Kea has no definition, so raw bytes by code.
        'avaya-ip-phone': 'MCIPADD=198.18.10.9,MCPORT=1719,HTTPSRVR=198.18.10.5',
        '224': '01:02:03',
      },
    },
    { subnet: '198.18.50.0/24', range: '198.18.50.100-198.18.50.110', router: '198.18.50.1', leaseTime: 1200 },
  ],
  reservations: [
    { mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer', options: { 'boot-file-name': 'printer.bin' } },
    { mac: 'B8-27-EB-00-00-01', ip: '198.18.10.160' },
    { mac: '02:00:00:00:00:cc', ip: '198.18.50.5', hostname: 'relayed-cam', clientId: '00:63:61:6d' },
  ],
  // Client classes (vendor class exact/prefix, with a quote in the text) and the PXE section's classes.
  pxe: { tftpServer: '198.18.10.5', bios: 'undionly.kpxe', uefiX64: 'ipxe.efi', arm64: 'ipxe-arm64.efi', ipxeScript: 'http://198.18.10.5/boot.ipxe' },
  classes: [
    { name: 'windows', vendorClass: 'MSFT 5.0', options: { 'netbios-node-type': 2 } },
    { name: 'busybox', vendorClass: "udhcp 'x'", match: 'prefix', nextServer: '198.18.10.6', bootFile: 'bb.bin', options: { 'vendor-encapsulated-options': [{ code: 241, type: 'ips', value: ['198.18.10.7'] }] } },
  ],
};

function lease(i: number, over: Partial<Lease> = {}): Lease {
  const mac = `02:00:5e:00:01:${(0x10 + i).toString(16)}`;
  return { ip: `198.18.10.${100 + i}`, clientId: `01:${mac}`, mac, state: 'bound', subnet: '198.18.10.0/24', startsAt: NOW - H, expiresAt: NOW + H, firstSeen: NOW - 2 * H, lastSeen: NOW - H, ...over };
}

const LEASES: Lease[] = [
  lease(0, { hostname: 'pi-01', vendorClass: 'udhcp 1.35.0' }),
  lease(1, { hostname: 'wohnzimmer-tv', clientId: 'ff:00:00:00:01:00:01:00:01:2b:3c:4d:5e:02:00:5e:00:01:11' }),
  lease(2, { hostname: 'küche "quote"', state: 'expired', expiresAt: NOW - H / 2 }),
  lease(3, { state: 'released', expiresAt: NOW - H / 2 }),
  lease(4, { state: 'declined', expiresAt: NOW + H / 2 }),
  lease(5, { ip: '198.18.50.101', subnet: '198.18.50.0/24', relay: '198.18.50.1' }),
  // Lease time 0xffffffff (the engine's expiry for it): Kea gets valid_lifetime 4294967295, dhcpd "ends never".
  lease(6, { hostname: 'forever', expiresAt: NEVER_EXPIRES }),
];

describe.skipIf(!avail.ok)(`exports accepted by the real tools${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('tools');
  let dir: string;
  let cfg: UserConfig;

  beforeAll(async () => {
    lab = await createLab('toolchk');
    await lab.addNamespace('s');
    await lab.link('s', 'sv0', '198.18.10.1/24', 's', 'sv0p', null);
    dir = tmp.make('x');
    cfg = parseConfig(DRAFT);
  });

  afterAll(async () => {
    await lab?.cleanup();
    tmp.cleanup();
  });

  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  const keaCheck = async (name: string, ha?: HaOptions) => {
    const conf = write(name, `${JSON.stringify(buildKeaConfig(cfg, LEASES, { leaseFile: join(dir, 'kea-leases4.csv'), hooksDir: DEFAULT_KEA_HOOKS_DIR, ...(ha ? { ha } : {}) }).config, null, 2)}\n`);
    const r = await lab.exec('s', KEA, ['-t', conf], { timeoutMs: 20_000, env: { ...process.env, KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir } });
    return { ...r, conf };
  };

  describe.skipIf(missing(KEA, 'kea-dhcp4-server') !== undefined)(`Kea${missing(KEA, 'kea-dhcp4-server') ? ` — skipped: ${missing(KEA, 'kea-dhcp4-server')}` : ''}`, () => {
    it('kea-dhcp4 -t accepts the configuration: every option kind, reservations, a relayed subnet', async () => {
      write('kea-leases4.csv', exportText({ what: 'leases', format: 'kea', leases: LEASES, reservations: [], config: cfg, now: NOW }));
      const r = await keaCheck('kea-dhcp4.conf');
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    });

    it('kea-dhcp4 loads the exported lease file (every state, UTF-8 and quoted host names) without a row error', async () => {
      const { conf } = await keaCheck('kea-run.conf');
      const env = { ...process.env, KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir };
      const child = lab.spawn('s', 'sh', ['-c', `exec stdbuf -oL -eL '${KEA}' -c '${conf}' 2>&1`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = readLines(child.stdout!);
      try {
        await out.waitFor(/DHCP4_STARTED|DHCP4_INIT_FAIL|DHCP4_CONFIG_LOAD_FAIL/, { timeoutMs: 15_000 });
      } finally {
        await lab.kill(child, 2000);
      }
      const log = out.lines.join('\n');
      expect(log).toMatch(/DHCPSRV_MEMFILE_LEASE_FILE_LOAD loading leases from file/);
      expect(log).toMatch(/DHCP4_STARTED/);
      expect(log).not.toMatch(/ROW_ERROR|LEASE_LOAD_ROW|DHCP4_INIT_FAIL/);
    });

    const noHaHook = existsSync(join(DEFAULT_KEA_HOOKS_DIR, 'libdhcp_ha.so')) ? undefined : `no ${DEFAULT_KEA_HOOKS_DIR}/libdhcp_ha.so (apt-get install kea-common)`;
    for (const mode of ['load-balancing', 'hot-standby'] as const) {
      it.skipIf(noHaHook !== undefined)(`kea-dhcp4 -t accepts High Availability (${mode}) with the libdhcp_ha.so hook${noHaHook ? ` — skipped: ${noHaHook}` : ''}`, async () => {
        const r = await keaCheck(`kea-ha-${mode}.conf`, { mode, thisServer: 'lab-b', peers: [{ name: 'lab-a', url: 'http://198.18.0.1:8000/' }, { name: 'lab-b', url: 'http://198.18.0.2:8000/' }] });
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      });
    }
  });

  it.skipIf(missing(DNSMASQ, 'dnsmasq-base') !== undefined)(`dnsmasq --test accepts the dhcp-host lines${missing(DNSMASQ, 'dnsmasq-base') ? ` — skipped: ${missing(DNSMASQ, 'dnsmasq-base')}` : ''}`, async () => {
    const conf = write('dnsmasq.conf', `port=0\ninterface=sv0\ndhcp-range=198.18.10.100,198.18.10.150,10m\n${exportText({ what: 'reservations', format: 'dnsmasq', leases: [], reservations: draftReservations(DRAFT), now: NOW })}`);
    const r = await lab.exec('s', DNSMASQ, ['--test', `--conf-file=${conf}`], { timeoutMs: 10_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/syntax check OK/);
  });

  describe.skipIf(missing(DHCPD, 'isc-dhcp-server') !== undefined)(`ISC dhcpd${missing(DHCPD, 'isc-dhcp-server') ? ` — skipped: ${missing(DHCPD, 'isc-dhcp-server')}` : ''}`, () => {
    it('dhcpd -t -cf accepts the host blocks', async () => {
      const hosts = write('dhcpd-reservations.conf', exportText({ what: 'reservations', format: 'isc-dhcpd', leases: [], reservations: draftReservations(DRAFT), now: NOW }));
      const r = await lab.exec('s', DHCPD, ['-4', '-t', '-cf', hosts, '-pf', join(dir, 'dhcpd.pid')], { timeoutMs: 10_000 });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    });

    it('dhcpd -T reads the exported dhcpd.leases (and the host blocks next to a subnet)', async () => {
      const leases = write('dhcpd.leases', exportText({ what: 'leases', format: 'isc-dhcpd', leases: LEASES, reservations: [], now: NOW }));
      write('dhcpd-reservations.conf', exportText({ what: 'reservations', format: 'isc-dhcpd', leases: [], reservations: draftReservations(DRAFT), now: NOW }));
      const conf = write(
        'dhcpd.conf',
        `subnet 198.18.10.0 netmask 255.255.255.0 { range 198.18.10.100 198.18.10.150; }\nsubnet 198.18.50.0 netmask 255.255.255.0 { range 198.18.50.100 198.18.50.110; }\ninclude "${join(dir, 'dhcpd-reservations.conf')}";\n`,
      );
      const r = await lab.exec('s', DHCPD, ['-4', '-T', '-cf', conf, '-lf', leases, '-pf', join(dir, 'dhcpd.pid')], { timeoutMs: 10_000 });
      const said = `${r.stdout}\n${r.stderr}`;
      expect(r.code, said).toBe(0);
      // dhcpd -T exits 0 even on a corrupt lease file: what it says is the test.
      expect(said).not.toMatch(/Corrupt lease file|possible data loss/i);
      expect(said).toMatch(new RegExp(`Wrote ${LEASES.length} leases to leases file`));
    });
  });
});
