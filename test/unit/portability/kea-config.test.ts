// "Export to Kea": the kea-dhcp4 configuration built from ours (kea-dhcp4 -t itself runs in
// test/integration/portability/tool-checks.test.ts).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/schema.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { optionFromJson } from '../../../src-main/dhcp/option-json.js';
import { allOptionDefs } from '../../../src-main/dhcp/options.js';
import { buildKeaConfig, keaOptionData, poolRanges } from '../../../src-main/portability/formats/kea-config.js';
import { exportKea } from '../../../src-main/portability/service.js';

const cfg = parseConfig({
  interface: 'eth1',
  leaseTime: 600,
  knownClientsOnly: false,
  subnets: [
    { subnet: '198.18.10.0/24', range: '198.18.10.1-198.18.10.150', router: '198.18.10.1', dns: ['198.18.10.53'], domain: 'lab.test.', options: { 'ntp-servers': ['198.18.10.1'], 'tftp-server-address': ['198.18.10.5'], 'root-path': 'a,b', 'ip-forwarding': true } },
    { subnet: '198.18.50.0/24', range: '198.18.50.100-198.18.50.110', leaseTime: 1200, renewalTime: 500 },
  ],
  reservations: [
    { mac: 'B8-27-EB-00-00-01', ip: '198.18.10.20', hostname: 'pi', options: { 'boot-file-name': 'pi.bin' } },
    { mac: '02:00:00:00:00:02', ip: '198.18.50.5' },
  ],
});
const relayLease: Lease = { ip: '198.18.50.101', mac: '02:00:00:00:00:03', clientId: '01:02:00:00:00:00:03', state: 'bound', subnet: '198.18.50.0/24', startsAt: 0, expiresAt: 1, firstSeen: 0, lastSeen: 0, relay: '198.18.1.1' };

type Obj = Record<string, any>;

describe('kea-dhcp4.conf', () => {
  const { config, notes } = buildKeaConfig(cfg, [relayLease], { leaseFile: '/var/lib/kea/kea-leases4.csv' });
  const d4 = (config as Obj).Dhcp4 as Obj;

  it('global settings: interface, memfile lease database, timers', () => {
    expect(d4['interfaces-config']).toEqual({ interfaces: ['eth1'] });
    expect(d4['lease-database']).toEqual({ type: 'memfile', persist: true, name: '/var/lib/kea/kea-leases4.csv', 'lfc-interval': 3600 });
    expect([d4['valid-lifetime'], d4['renew-timer'], d4['rebind-timer']]).toEqual([600, 300, 525]);
    expect(d4.authoritative).toBe(true);
    expect(d4['hooks-libraries']).toBeUndefined();
  });

  it('subnets keep their order as ids, pools leave out routers and DNS servers, per-subnet timers', () => {
    const [a, b] = d4.subnet4 as Obj[];
    expect(a!.id).toBe(1);
    expect(a!.pools).toEqual([{ pool: '198.18.10.2 - 198.18.10.52' }, { pool: '198.18.10.54 - 198.18.10.150' }]);
    expect(b).toMatchObject({ id: 2, subnet: '198.18.50.0/24', pools: [{ pool: '198.18.50.100 - 198.18.50.110' }], 'valid-lifetime': 1200, 'renew-timer': 500, 'rebind-timer': 1050 });
  });

  it('options by Kea name in its text syntax; raw bytes where Kea has no definition or text would be ambiguous', () => {
    const opts = (d4.subnet4[0].option_data ?? d4.subnet4[0]['option-data']) as Obj[];
    expect(opts).toEqual([
      { name: 'routers', code: 3, data: '198.18.10.1' },
      { name: 'domain-name-servers', code: 6, data: '198.18.10.53' },
      { name: 'domain-name', code: 15, data: 'lab.test' },
      { name: 'ntp-servers', code: 42, data: '198.18.10.1' },
      { code: 150, space: 'dhcp4', 'csv-format': false, data: 'C6120A05' },
      { name: 'root-path', code: 17, 'csv-format': false, data: '612C62' },
      { name: 'ip-forwarding', code: 19, data: 'true' },
    ]);
  });

  it('reservations by hw-address with host name and options; relayed subnet lists the relays seen', () => {
    expect(d4.subnet4[0].reservations).toEqual([{ 'hw-address': 'b8:27:eb:00:00:01', 'ip-address': '198.18.10.20', hostname: 'pi', 'option-data': [{ name: 'boot-file-name', code: 67, data: 'pi.bin' }] }]);
    expect(d4.subnet4[1].reservations).toEqual([{ 'hw-address': '02:00:00:00:00:02', 'ip-address': '198.18.50.5' }]);
    expect(d4.subnet4[1].relay).toEqual({ 'ip-addresses': ['198.18.1.1'] });
    expect(notes).toEqual([]);
  });

  it('High Availability, load balancing: two peers, lease_cmds + ha hooks, pools split by HA_ classes', () => {
    const { config: c, notes: n } = buildKeaConfig(cfg, [], { ha: { mode: 'load-balancing', thisServer: 'b', peers: [{ name: 'a', url: 'http://198.18.0.1:8000' }, { name: 'b', url: 'http://198.18.0.2:8000/' }] }, hooksDir: '/opt/kea/hooks/' });
    const h = (c as Obj).Dhcp4 as Obj;
    expect(h['hooks-libraries'].map((x: Obj) => x.library)).toEqual(['/opt/kea/hooks/libdhcp_lease_cmds.so', '/opt/kea/hooks/libdhcp_ha.so']);
    const ha = h['hooks-libraries'][1].parameters['high-availability'][0];
    expect(ha).toMatchObject({ 'this-server-name': 'b', mode: 'load-balancing' });
    expect(ha.peers).toEqual([
      { name: 'a', url: 'http://198.18.0.1:8000/', role: 'primary', 'auto-failover': true },
      { name: 'b', url: 'http://198.18.0.2:8000/', role: 'secondary', 'auto-failover': true },
    ]);
    expect(h.subnet4[1].pools).toEqual([
      { pool: '198.18.50.100 - 198.18.50.105', 'client-class': 'HA_a' },
      { pool: '198.18.50.106 - 198.18.50.110', 'client-class': 'HA_b' },
    ]);
    expect(h['control-socket']).toEqual({ 'socket-type': 'unix', 'socket-name': '/run/kea/kea4-ctrl-socket' });
    expect(n.join(' ')).toMatch(/kea-ctrl-agent/);
  });

  it('hot standby: primary and standby roles, pools unsplit; a bad peer list is refused', () => {
    const { config: c } = buildKeaConfig(cfg, [], { ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'http://198.18.0.1:8000/' }, { name: 'b', url: 'http://198.18.0.2:8000/' }] } });
    const ha = (c as Obj).Dhcp4['hooks-libraries'][1].parameters['high-availability'][0];
    expect(ha.peers.map((p: Obj) => p.role)).toEqual(['primary', 'standby']);
    expect(() => buildKeaConfig(cfg, [], { ha: { mode: 'hot-standby', thisServer: 'c', peers: [{ name: 'a', url: 'http://x:1/' }, { name: 'b', url: 'http://y:1/' }] } })).toThrow(/not one of the peers/);
    expect(() => buildKeaConfig(cfg, [], { ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'ftp://x/' }, { name: 'b', url: 'http://y:1/' }] } })).toThrow(/not a URL/);
  });

  it('"known clients only" becomes the KNOWN class on every pool', () => {
    const { config: c } = buildKeaConfig(parseConfig({ ...cfg, knownClientsOnly: true }), []);
    expect((c as Obj).Dhcp4.subnet4[1].pools).toEqual([{ pool: '198.18.50.100 - 198.18.50.110', 'client-class': 'KNOWN' }]);
  });

  it('the bundle: the configuration names the lease file written beside it, with our subnet ids', () => {
    const lease: Lease = { ...relayLease, expiresAt: 2_000_000_000_000, startsAt: 1_999_999_400_000 };
    const b = exportKea(cfg, [lease], { leaseFile: '/srv/kea/leases.csv' });
    expect(b.files.map((f) => f.filename)).toEqual(['kea-dhcp4.conf', 'leases.csv']);
    expect(JSON.parse(b.files[0]!.content).Dhcp4['lease-database'].name).toBe('/srv/kea/leases.csv');
    expect(b.files[1]!.content.split('\n')[1]).toBe('198.18.50.101,02:00:00:00:00:03,01:02:00:00:00:00:03,600,2000000000,2,0,0,,0,');
  });
});

describe('keaOptionData', () => {
  it('every option of our table can be written (text or raw bytes)', () => {
    for (const d of allOptionDefs()) {
      const sample = d.kind === 'ip' || d.kind === 'mask' ? '255.255.255.0' : d.kind === 'ips' ? ['198.18.0.1'] : d.kind === 'string' ? 'x' : ['u8', 'u16', 'u32'].includes(d.kind) ? 1 : d.kind === 'i32' ? -1 : d.kind === 'bool' ? true : undefined;
      if (sample === undefined) continue;
      const { code, data } = optionFromJson(d.name, sample);
      const o = keaOptionData(code, data);
      expect(o.code).toBe(d.code);
      expect(typeof o.data).toBe('string');
    }
  });
  it('unknown codes travel as raw hex in the dhcp4 space', () => {
    expect(keaOptionData(224, Uint8Array.of(1, 2, 3))).toEqual({ code: 224, space: 'dhcp4', 'csv-format': false, data: '010203' });
  });
  it('pool ranges skip excluded addresses at the edges too', () => {
    expect(poolRanges('198.18.10.1-198.18.10.3', ['198.18.10.1', '198.18.10.3', '198.18.99.1'])).toEqual([[ (198 << 24 >>> 0) + (18 << 16) + (10 << 8) + 2, (198 << 24 >>> 0) + (18 << 16) + (10 << 8) + 2 ]]);
  });
});

describe('kea-dhcp4.conf client classes (vendor classes and the PXE section)', () => {
  const withClasses = parseConfig({
    interface: 'eth1',
    subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', options: { 'netbios-node-type': 8 } }],
    pxe: { tftpServer: '198.18.10.5', uefiX64: 'ipxe.efi', ipxeScript: 'http://198.18.10.5/boot.ipxe' },
    classes: [{ name: 'busybox', vendorClass: "udhcp 'x'", match: 'prefix', options: { 'netbios-node-type': 2, 'vendor-encapsulated-options': [{ code: 1, type: 'ip', value: '198.18.10.10' }] } }],
  });
  const { config, notes } = buildKeaConfig(withClasses, []);
  const classes = (config as Obj).Dhcp4['client-classes'] as Obj[];

  it('writes one class per class, in match order, each excluding the earlier ones (our first-match rule)', () => {
    expect(classes.map((c) => c.name)).toEqual(['pxe-ipxe', 'pxe-uefiX64', 'busybox']);
    expect(classes[0]).toMatchObject({ test: 'option[77].hex == 0x69505845', 'boot-file-name': 'http://198.18.10.5/boot.ipxe' });
    expect(classes[1]).toMatchObject({ test: "(option[93].hex == 0x0007 or option[93].hex == 0x0009) and not member('pxe-ipxe')", 'next-server': '198.18.10.5', 'boot-file-name': 'ipxe.efi' });
    // Text is matched as hex bytes, so quotes in a vendor class cannot break the expression.
    expect(classes[2]!.test).toBe(`substring(option[60].hex, 0, 9) == 0x${Buffer.from("udhcp 'x'").toString('hex')} and not member('pxe-ipxe') and not member('pxe-uefiX64')`);
    expect(classes[2]!['option-data']).toEqual([
      { name: 'netbios-node-type', code: 46, data: '2' },
      { name: 'vendor-encapsulated-options', code: 43, 'csv-format': false, data: '0104C6120A0A' },
    ]);
  });

  it('notes options Kea will take from the subnet instead of the class', () => {
    expect(notes.join('\n')).toMatch(/class "busybox": Kea prefers subnet options over class options, so option 46/);
  });
});
