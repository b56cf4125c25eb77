// Reading what an interface has before it is changed: real output of `ip -j addr`, nmcli -t,
// networksetup -getinfo and the PowerShell snapshot, including the shapes that trip parsers.
import { describe, expect, it } from 'vitest';
import { describePrevious, nmcliSnapshot, parseIpDevice, parseNetworksetupInfo, parseNmcliConnections, parseWindowsSnapshot, SnapshotError } from '../../../src-main/net/nic-snapshot.js';

// `ip -j addr show dev nsm0` (iproute2 6.1) with a static, a DHCP-style (finite lifetime) and an IPv6 address.
const IP_JSON = JSON.stringify([
  {
    ifindex: 5,
    ifname: 'nsm0',
    flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
    mtu: 1500,
    operstate: 'DOWN',
    addr_info: [
      { family: 'inet', local: '198.18.61.5', prefixlen: 24, broadcast: '198.18.61.255', scope: 'global', label: 'nsm0', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet', local: '198.19.61.7', prefixlen: 24, scope: 'global', dynamic: true, label: 'nsm0', valid_life_time: 3599, preferred_life_time: 3599 },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ],
  },
]);

describe('Linux', () => {
  it('ip -j addr: admin state, IPv4 addresses, DHCP ones marked, broadcast kept', () => {
    expect(parseIpDevice(IP_JSON, 'nsm0')).toEqual({
      adminUp: true,
      addresses: [
        { address: '198.18.61.5', prefix: 24, dynamic: false, broadcast: '198.18.61.255' },
        { address: '198.19.61.7', prefix: 24, dynamic: true },
      ],
    });
    expect(parseIpDevice(JSON.stringify([{ ifname: 'x', flags: ['BROADCAST'], addr_info: [] }]), 'x')).toEqual({ adminUp: false, addresses: [] });
    expect(() => parseIpDevice('[]', 'nsm0')).toThrow(SnapshotError);
    expect(() => parseIpDevice('Device "x" does not exist.', 'x')).toThrow(/no JSON/);
  });

  it('nmcli -t connections (escaped colons), the active one on the device, our leftover profile', () => {
    const all = 'Wired connection 1:5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f:802-3-ethernet:eth1\nhome\\:wifi:11111111-2222-3333-4444-555555555555:802-11-wireless:wlan0\npocket-dhcp-eth1:99999999-2222-3333-4444-555555555555:802-3-ethernet:--\n';
    expect(parseNmcliConnections(all)[1]).toEqual({ name: 'home:wifi', uuid: '11111111-2222-3333-4444-555555555555', type: '802-11-wireless', device: 'wlan0' });
    expect(parseNmcliConnections(all)[2]).toEqual({ name: 'pocket-dhcp-eth1', uuid: '99999999-2222-3333-4444-555555555555', type: '802-3-ethernet' });
    const active = 'Wired connection 1:5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f:eth1\nhome\\:wifi:11111111-2222-3333-4444-555555555555:wlan0\n';
    const ip = JSON.stringify([{ ifname: 'eth1', flags: ['UP', 'LOWER_UP'], addr_info: [{ family: 'inet', local: '10.0.0.23', prefixlen: 24, dynamic: true, valid_life_time: 80000 }] }]);
    expect(nmcliSnapshot('eth1', ip, all, active, 'pocket-dhcp-eth1')).toEqual({
      method: 'nmcli',
      adminUp: true,
      addresses: [{ address: '10.0.0.23', prefix: 24, dynamic: true }],
      activeConnection: { name: 'Wired connection 1', uuid: '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f' },
      profileExists: true,
    });
    // Our own profile active is never "the previous connection".
    expect(nmcliSnapshot('eth1', ip, '', 'pocket-dhcp-eth1:99999999-2222-3333-4444-555555555555:eth1\n', 'pocket-dhcp-eth1').activeConnection).toBeUndefined();
  });
});

describe('macOS networksetup -getinfo', () => {
  const s = 'USB 10/100/1000 LAN';
  it('DHCP, manual (with and without router), BOOTP, manual with DHCP router, IPv4 off', () => {
    expect(parseNetworksetupInfo('DHCP Configuration\nIP address: 192.168.1.23\nSubnet mask: 255.255.255.0\nRouter: 192.168.1.1\nClient ID: \nIPv6: Automatic\nIPv6 IP address: none\nIPv6 Router: none\nEthernet Address: a0:ce:c8:00:00:01\n', s).config).toEqual({ kind: 'dhcp' });
    expect(parseNetworksetupInfo('Manual Configuration\nIP address: 10.0.0.5\nSubnet mask: 255.255.255.0\nRouter: 10.0.0.1\n', s).config).toEqual({ kind: 'manual', address: '10.0.0.5', mask: '255.255.255.0', router: '10.0.0.1' });
    expect(parseNetworksetupInfo('Manual Configuration\nIP address: 10.0.0.5\nSubnet mask: 255.255.255.0\nRouter: none\n', s).config).toEqual({ kind: 'manual', address: '10.0.0.5', mask: '255.255.255.0' });
    expect(parseNetworksetupInfo('BOOTP Configuration\nIP address: 10.0.0.5\n', s).config).toEqual({ kind: 'bootp' });
    expect(parseNetworksetupInfo('Manually Using DHCP Router Configuration\nIP address: 10.0.0.5\nSubnet mask: 255.255.255.0\n', s).config).toEqual({ kind: 'manual-dhcp-router', address: '10.0.0.5' });
    expect(parseNetworksetupInfo('IPv6: Automatic\nIPv6 IP address: none\nEthernet Address: a0:ce:c8:00:00:01\n', s).config).toEqual({ kind: 'off' });
  });
  it('refuses output it cannot place (never guesses what to restore)', () => {
    expect(() => parseNetworksetupInfo('Weird Mode\nIP address: 10.0.0.5\n', s)).toThrow(/not changing it/);
    expect(() => parseNetworksetupInfo('Bluetooth PAN is not a recognized network service.\n** Error: The parameters were not valid.\n', 'Bluetooth PAN')).toThrow(/not a network service/);
  });
});

describe('Windows snapshot JSON', () => {
  it('DHCP state, addresses (manual vs DHCP/APIPA), gateway; one-element arrays flattened by PowerShell', () => {
    expect(parseWindowsSnapshot('{"dhcp":"Disabled","addresses":[{"address":"10.0.0.5","prefix":24,"origin":"Manual"},{"address":"169.254.3.4","prefix":16,"origin":"WellKnown"}],"gateways":["10.0.0.1"]}', 'Ethernet 2')).toEqual({
      method: 'netsh',
      dhcp: false,
      addresses: [
        { address: '10.0.0.5', prefix: 24, dynamic: false },
        { address: '169.254.3.4', prefix: 16, dynamic: true },
      ],
      gateway: '10.0.0.1',
    });
    expect(parseWindowsSnapshot('{"dhcp":"Enabled","addresses":{"address":"192.168.1.40","prefix":24,"origin":"Dhcp"},"gateways":"192.168.1.1"}\r\n', 'Ethernet')).toEqual({ method: 'netsh', dhcp: true, addresses: [{ address: '192.168.1.40', prefix: 24, dynamic: true }], gateway: '192.168.1.1' });
    expect(parseWindowsSnapshot('{"dhcp":"Enabled","addresses":[],"gateways":null}', 'x')).toEqual({ method: 'netsh', dhcp: true, addresses: [] });
    expect(() => parseWindowsSnapshot('Get-NetIPInterface : No MSFT_NetIPInterface objects found', 'x')).toThrow(/not changing it/);
  });
});

describe('describePrevious', () => {
  it('one line a user understands', () => {
    expect(describePrevious({ method: 'ip', adminUp: false, addresses: [] })).toBe('no IPv4 address, disabled');
    expect(describePrevious({ method: 'ip', adminUp: true, addresses: [{ address: '10.0.0.5', prefix: 24, dynamic: true }] })).toBe('10.0.0.5/24 (DHCP), enabled');
    expect(describePrevious({ method: 'nmcli', adminUp: true, addresses: [], activeConnection: { name: 'Wired connection 1', uuid: 'x' }, profileExists: false })).toBe('NetworkManager connection "Wired connection 1" (no IPv4 address)');
    expect(describePrevious({ method: 'networksetup', service: 'x', config: { kind: 'dhcp' } })).toBe('DHCP');
    expect(describePrevious({ method: 'netsh', dhcp: false, addresses: [{ address: '10.0.0.5', prefix: 24, dynamic: false }], gateway: '10.0.0.1' })).toBe('static 10.0.0.5/24 gateway 10.0.0.1');
  });
});
