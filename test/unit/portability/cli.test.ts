// `pocket-dhcp export` and `pocket-dhcp import` in-process: outputs, files, exit codes (0 ok,
// 1 runtime — the data directory is in use, 2 bad file or usage, with the line number).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/index.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { LeaseStore } from '../../../src-main/leases/lease-store.js';
import { runCli } from '../../helpers/cli-run.js';

const H = 3_600_000;
const SETTINGS = {
  interface: 'sv0',
  leaseTime: 600,
  subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1' }],
  reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer' }],
};

let dir: string;
let out = '';
let err = '';

async function run(...args: string[]): Promise<number> {
  const r = await runCli(main, args);
  out = r.out;
  err = r.err;
  return r.code;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-port-cli-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(SETTINGS));
  const store = await LeaseStore.open(dir);
  const now = Date.now();
  const l = (ip: string, mac: string, over: Partial<Lease> = {}): Lease => ({ ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: now - H, expiresAt: now + H, firstSeen: now - H, lastSeen: now - H, ...over });
  await store.apply([l('198.18.10.100', '02:00:00:00:00:01', { hostname: 'pi-01' }), l('198.18.10.101', '02:00:00:00:00:02', { state: 'expired', expiresAt: now - 1000 })]);
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pocket-dhcp export', () => {
  it('writes leases in another tool\'s format to stdout or a file', async () => {
    expect(await run('export', '-d', dir, '-f', 'dnsmasq')).toBe(0);
    expect(out).toMatch(/^\d+ 02:00:00:00:00:01 198\.18\.10\.100 pi-01 01:02:00:00:00:00:01\n$/);
    expect(await run('export', '-d', dir, '-f', 'isc-dhcpd', '-o', join(dir, 'dhcpd.leases'))).toBe(0);
    expect(readFileSync(join(dir, 'dhcpd.leases'), 'utf8')).toMatch(/lease 198\.18\.10\.101 \{[^}]*binding state free;/);
    expect(await run('export', '-d', dir, '-f', 'csv', '-w', 'reservations')).toBe(0);
    expect(out).toBe('mac,ip,hostname,clientId\r\n02:00:00:00:00:aa,198.18.10.20,printer,\r\n');
  });

  it('--format kea writes kea-dhcp4.conf and the lease file it names into -o DIR, with --ha', async () => {
    const k = join(dir, 'kea');
    expect(await run('export', '-d', dir, '-f', 'kea', '-o', k, '--ha-mode', 'hot-standby', '--ha-peer', 'a=http://198.18.0.1:8000/', '--ha-peer', 'b=http://198.18.0.2:8000/', '--ha-this', 'b')).toBe(0);
    const conf = JSON.parse(readFileSync(join(k, 'kea-dhcp4.conf'), 'utf8'));
    expect(conf.Dhcp4['lease-database'].name).toBe(join(k, 'kea-leases4.csv'));
    expect(conf.Dhcp4['hooks-libraries'][1].parameters['high-availability'][0]['this-server-name']).toBe('b');
    expect(readFileSync(join(k, 'kea-leases4.csv'), 'utf8')).toMatch(/^address,hwaddr,/);
    expect(err).toMatch(/kea-dhcp4 -t/);
  });

  it('usage mistakes exit 2 with a sentence', async () => {
    expect(await run('export', '-d', dir, '-f', 'kea')).toBe(2);
    expect(err).toMatch(/give the directory with -o DIR/);
    expect(await run('export', '-d', dir, '-f', 'tftpd64', '-w', 'reservations')).toBe(2);
    expect(err).toMatch(/cannot hold reservations/);
    expect(await run('export', '-d', dir, '-f', 'kea', '-o', join(dir, 'k'), '--ha-mode', 'hot-standby', '--ha-peer', 'a=http://x:1/')).toBe(2);
    expect(err).toMatch(/exactly two --ha-peer/);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ interface: 'sv0' }));
    expect(await run('export', '-d', dir, '-f', 'kea', '-o', join(dir, 'k2'))).toBe(2);
    expect(err).toMatch(/not a complete configuration/);
    expect(existsSync(join(dir, 'k2'))).toBe(false);
  });
});

describe('pocket-dhcp import', () => {
  it('prints the preview and applies nothing without --yes', async () => {
    writeFileSync(join(dir, 'macs.txt'), 'b8:27:eb:00:00:01 pi-1\r\nB8-27-EB-00-00-02\r\n');
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(await run('import', join(dir, 'macs.txt'), '-d', dir)).toBe(0);
    expect(out).toMatch(/format: MAC list \(detected\)/);
    expect(out).toMatch(/apply +reservation +add +b8:27:eb:00:00:01 → 198\.18\.10\.10\d \(next free\) pi-1 +\(line 1\)/);
    expect(out).toMatch(/nothing applied \(add --yes to apply\): 2 row\(s\) would be applied/);
    expect(await run('import', join(dir, 'macs.txt'), '-d', dir, '--dry-run', '--yes')).toBe(0);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('--yes applies reservations to the settings and leases to the lease store', async () => {
    writeFileSync(join(dir, 'hosts.conf'), 'host cam { hardware ethernet 02:00:00:00:00:cc; fixed-address 198.18.10.30; }\n');
    expect(await run('import', join(dir, 'hosts.conf'), '-d', dir, '--yes')).toBe(0);
    expect(out).toMatch(/applied: 1 reservation\(s\) added/);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).reservations).toEqual([...SETTINGS.reservations, { mac: '02:00:00:00:00:cc', ip: '198.18.10.30', hostname: 'cam' }]);

    const exp = Math.floor(Date.now() / 1000) + 3600;
    writeFileSync(join(dir, 'kea.csv'), `address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context\n198.18.10.120,02:00:00:00:00:07,,600,${exp},1,0,0,k&#x2cx,0,\n`);
    expect(await run('import', join(dir, 'kea.csv'), '-d', dir, '-f', 'kea', '--yes')).toBe(0);
    expect(await run('leases', '-d', dir, '-f', 'json')).toBe(0);
    const l = (JSON.parse(out) as { ip: string; hostname: string; state: string; clientId: string }[]).find((x) => x.ip === '198.18.10.120');
    expect(l).toMatchObject({ hostname: 'k,x', state: 'bound', clientId: '01:02:00:00:00:00:07' });
  });

  it('a bad file exits 2 naming file and line; nothing changes', async () => {
    writeFileSync(join(dir, 'bad.leases'), '1795431315 02:00:00:00:00:05 198.18.10.105 a *\n\n1795431315 nope 198.18.10.106 b *\n');
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(await run('import', join(dir, 'bad.leases'), '-d', dir, '--yes')).toBe(2);
    expect(err).toContain(`${join(dir, 'bad.leases')}:3: "nope" is not an Ethernet MAC address`);
    expect(err).toMatch(/nothing was imported/);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(await run('leases', '-d', dir, '-f', 'json')).toBe(0);
    expect((JSON.parse(out) as unknown[]).length).toBe(2);
  });

  it('reservation options that the server could not send exit 2 naming file and line, before any preview', async () => {
    writeFileSync(join(dir, 'res.json'), '{\n  "reservations": [\n    { "mac": "02:00:00:00:00:cc", "ip": "198.18.10.30", "options": { "ntp-servers": "nope", "no-such-option": 5 } }\n  ]\n}\n');
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(await run('import', join(dir, 'res.json'), '-d', dir, '--yes')).toBe(2);
    expect(err).toContain(`${join(dir, 'res.json')}:3: options.ntp-servers: option 42 (ntp-servers): expected a non-empty list of IPv4 addresses; options.no-such-option: unknown option "no-such-option"`);
    expect(err).toMatch(/nothing was imported/);
    expect(out).not.toMatch(/apply +reservation/);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('an unrecognisable file or a missing one exits 2', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    expect(await run('import', join(dir, 'notes.txt'), '-d', dir)).toBe(2);
    expect(err).toMatch(/cannot tell which format/);
    expect(await run('import', join(dir, 'missing.csv'), '-d', dir)).toBe(2);
    expect(await run('import', join(dir, 'notes.txt'), '-d', dir, '-f', 'xml')).toBe(2);
  });

  it('--yes while a server holds the data directory exits 1 and says what to do', async () => {
    writeFileSync(join(dir, 'macs.txt'), 'b8:27:eb:00:00:09\n');
    const store = await LeaseStore.open(dir);
    try {
      expect(await run('import', join(dir, 'macs.txt'), '-d', dir, '--yes')).toBe(1);
      expect(err).toMatch(/a Pocket DHCP server is using .*: stop it, or import through its UI/);
    } finally {
      await store.close();
    }
  });
});
