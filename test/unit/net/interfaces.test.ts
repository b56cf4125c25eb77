import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fromNodeInterfaces,
  parseIpAddrJson,
  pickServerAddress,
  sysfsHints,
  type NetInterface,
} from '../../../src-main/net/interfaces.js';
import { NetError } from '../../../src-main/net/net-error.js';

// `ip -j -d addr show` on Debian 12 (iproute2 6.1), trimmed: loopback, a physical NIC with a
// static address, a DHCP lease (finite lifetime, "dynamic"), a veth without carrier, a bridge.
const IP_JSON = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00',
    addr_info: [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ] },
  { ifindex: 4, ifname: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1400, operstate: 'UP', link_type: 'ether', address: '02:FC:00:00:00:01',
    addr_info: [{ family: 'inet', local: '192.0.2.2', prefixlen: 24, broadcast: '192.0.2.255', scope: 'global', label: 'eth0', valid_life_time: 4294967295, preferred_life_time: 4294967295 }] },
  { ifindex: 5, ifname: 'wlp2s0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: 'a4:c3:f0:11:22:33',
    addr_info: [
      { family: 'inet', local: '10.1.2.3', prefixlen: 22, scope: 'global', dynamic: true, noprefixroute: true, label: 'wlp2s0', valid_life_time: 85612, preferred_life_time: 85612 },
      { family: 'inet', local: '10.9.9.9', prefixlen: 32, scope: 'global', label: 'wlp2s0', valid_life_time: 600, preferred_life_time: 600 },
    ] },
  { ifindex: 3, link: 'vb', ifname: 'va', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN'], operstate: 'LOWERLAYERDOWN', link_type: 'ether', address: '66:c7:fd:c9:cf:d1',
    linkinfo: { info_kind: 'veth' }, addr_info: [] },
  { ifindex: 6, ifname: 'br0', flags: ['BROADCAST', 'MULTICAST'], operstate: 'DOWN', link_type: 'ether', address: '12:34:56:78:9a:bc', linkinfo: { info_kind: 'bridge' }, addr_info: [] },
  { ifindex: 7, ifname: 'tun0', flags: ['POINTOPOINT', 'UP', 'LOWER_UP'], operstate: 'UNKNOWN', link_type: 'none', addr_info: [{ family: 'inet', local: '10.8.0.2', prefixlen: 24 }] },
]);

describe('parseIpAddrJson', () => {
  const hints = (name: string) => (name === 'eth0' ? { virtual: false, wireless: false } : name === 'wlp2s0' ? { virtual: false, wireless: true } : {});
  const list = parseIpAddrJson(IP_JSON, hints);
  const by = new Map(list.map((i) => [i.name, i]));

  it('keeps order and reads name, index, mac, kind', () => {
    expect(list.map((i) => i.name)).toEqual(['lo', 'eth0', 'wlp2s0', 'va', 'br0', 'tun0']);
    expect(by.get('eth0')).toEqual({
      name: 'eth0',
      index: 4,
      mac: '02:fc:00:00:00:01',
      ipv4: [{ address: '192.0.2.2', prefix: 24, dynamic: false }],
      adminUp: true,
      up: true,
      loopback: false,
      virtual: false,
      wireless: false,
      kind: undefined,
      source: 'ip',
    } satisfies NetInterface);
  });

  it('flags DHCP-obtained addresses by the dynamic flag or a finite lifetime', () => {
    expect(by.get('wlp2s0')!.ipv4).toEqual([
      { address: '10.1.2.3', prefix: 22, dynamic: true },
      { address: '10.9.9.9', prefix: 32, dynamic: true },
    ]);
    expect(by.get('wlp2s0')!.wireless).toBe(true);
  });

  it('derives up from admin state and carrier', () => {
    expect(by.get('va')).toMatchObject({ adminUp: true, up: false, kind: 'veth', virtual: true });
    expect(by.get('br0')).toMatchObject({ adminUp: false, up: false, kind: 'bridge', virtual: true });
    expect(by.get('tun0')).toMatchObject({ adminUp: true, up: true, mac: undefined }); // operstate UNKNOWN + LOWER_UP
    expect(by.get('lo')).toMatchObject({ loopback: true, up: true, mac: undefined, virtual: true });
  });

  it('ignores IPv6 and throws on non-JSON', () => {
    expect(by.get('lo')!.ipv4).toEqual([{ address: '127.0.0.1', prefix: 8, dynamic: false }]);
    expect(() => parseIpAddrJson('1: lo: <LOOPBACK>')).toThrow();
    expect(() => parseIpAddrJson('{}')).toThrow(/array/);
  });
});

describe('fromNodeInterfaces', () => {
  const info = (o: Omit<Partial<NetworkInterfaceInfo>, 'family'> & { address: string; family: string }): NetworkInterfaceInfo =>
    ({ netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal: false, cidr: null, ...o }) as unknown as NetworkInterfaceInfo;
  it('maps the os view, marking what it cannot know', () => {
    const list = fromNodeInterfaces({
      lo: [info({ address: '127.0.0.1', family: 'IPv4', netmask: '255.0.0.0', internal: true, cidr: '127.0.0.1/8' })],
      'Ethernet 2': [
        info({ address: '198.18.10.1', family: 'IPv4', mac: 'AA:BB:CC:00:11:22', cidr: '198.18.10.1/24' }),
        info({ address: 'fe80::1', family: 'IPv6', mac: 'AA:BB:CC:00:11:22', cidr: 'fe80::1/64' }),
      ],
      old: [info({ address: '198.18.20.1', family: 4 as unknown as string, netmask: '255.255.252.0' })],
    });
    expect(list).toEqual([
      { name: 'lo', index: undefined, mac: undefined, ipv4: [{ address: '127.0.0.1', prefix: 8, dynamic: false }], adminUp: true, up: true, loopback: true, virtual: true, wireless: undefined, kind: undefined, source: 'os' },
      { name: 'Ethernet 2', index: undefined, mac: 'aa:bb:cc:00:11:22', ipv4: [{ address: '198.18.10.1', prefix: 24, dynamic: false }], adminUp: true, up: true, loopback: false, virtual: undefined, wireless: undefined, kind: undefined, source: 'os' },
      { name: 'old', index: undefined, mac: undefined, ipv4: [{ address: '198.18.20.1', prefix: 22, dynamic: false }], adminUp: true, up: true, loopback: false, virtual: undefined, wireless: undefined, kind: undefined, source: 'os' },
    ]);
  });
});

describe('pickServerAddress', () => {
  const itf = (name: string, ipv4: NetInterface['ipv4'], source: 'ip' | 'os' = 'ip'): NetInterface => ({
    name, index: 2, mac: undefined, ipv4, adminUp: true, up: true, loopback: false, virtual: undefined, wireless: undefined, kind: undefined, source,
  });

  it('prefers a static address over a DHCP one', () => {
    const l = [itf('eth1', [{ address: '10.0.0.5', prefix: 24, dynamic: true }, { address: '198.18.10.1', prefix: 24, dynamic: false }])];
    expect(pickServerAddress(l, 'eth1')).toEqual({ ifname: 'eth1', index: 2, address: '198.18.10.1', prefix: 24, dynamic: false });
  });
  it('returns a DHCP address flagged dynamic when it is all there is', () => {
    expect(pickServerAddress([itf('eth1', [{ address: '10.0.0.5', prefix: 24, dynamic: true }])], 'eth1').dynamic).toBe(true);
  });
  it('skips link-local addresses', () => {
    const l = [itf('eth1', [{ address: '169.254.3.4', prefix: 16, dynamic: false }, { address: '198.18.1.1', prefix: 24, dynamic: false }])];
    expect(pickServerAddress(l, 'eth1').address).toBe('198.18.1.1');
  });
  const err = (f: () => unknown): NetError => {
    try {
      f();
    } catch (e) {
      return e as NetError;
    }
    throw new Error('expected a NetError');
  };
  it('explains a missing interface, a missing address and a link-local-only one', () => {
    const missing = err(() => pickServerAddress([itf('eth1', [])], 'eth9'));
    expect(missing).toBeInstanceOf(NetError);
    expect(missing).toMatchObject({ code: 'ENODEV', message: 'Interface "eth9" does not exist — pick one from "pocket-dhcp interfaces".' });
    expect(err(() => pickServerAddress([itf('eth1', [])], 'eth1'))).toMatchObject({
      code: 'NO_IPV4',
      message: 'eth1 has no IPv4 address — set a static address first (Interface → Static address).',
    });
    expect(err(() => pickServerAddress([itf('eth1', [{ address: '169.254.3.4', prefix: 16, dynamic: false }])], 'eth1')).message).toMatch(
      /^eth1 only has a link-local address/,
    );
  });
  it('with the os view a missing name may just lack an address, so it says both', () => {
    expect(err(() => pickServerAddress([itf('lo', [], 'os')], 'Ethernet 3'))).toMatchObject({
      code: 'NO_IPV4',
      message: 'Interface "Ethernet 3" does not exist or has no IPv4 address — pick one from "pocket-dhcp interfaces" and set a static address first.',
    });
  });
});

describe('sysfsHints', () => {
  const root = mkdtempSync(join(tmpdir(), 'pd-sys-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'eth0', 'device'), { recursive: true });
  mkdirSync(join(root, 'wlan0', 'device'), { recursive: true });
  mkdirSync(join(root, 'wlan0', 'phy80211'), { recursive: true });
  mkdirSync(join(root, 'veth0'), { recursive: true });
  writeFileSync(join(root, 'veth0', 'address'), '');
  it('reads device and wireless markers', () => {
    expect(sysfsHints('eth0', root)).toEqual({ virtual: false, wireless: false });
    expect(sysfsHints('wlan0', root)).toEqual({ virtual: false, wireless: true });
    expect(sysfsHints('veth0', root)).toEqual({ virtual: true, wireless: false });
    expect(sysfsHints('nope', root)).toEqual({});
  });
});
