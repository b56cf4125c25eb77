// The static-address plan per OS: the exact commands a technician would type, and no way to smuggle
// a second command in through an interface or service name.
import { describe, expect, it } from 'vitest';
import { buildNicPlan, dottedMask, NicPlanError, parseMacServiceOrder, parseNmcliDeviceStatus } from '../../../src-main/net/nic-plan.js';

describe('buildNicPlan', () => {
  it('Linux without NetworkManager: ip addr add + ip link set up', () => {
    const p = buildNicPlan({ platform: 'linux', interface: 'enx00e04c680001', address: '192.168.77.1', prefix: 24 });
    expect(p.commands).toEqual(['sudo ip addr add 192.168.77.1/24 dev enx00e04c680001', 'sudo ip link set enx00e04c680001 up']);
    expect(p.note).toContain('sudo ip addr del 192.168.77.1/24 dev enx00e04c680001');
    expect(p).toMatchObject({ interface: 'enx00e04c680001', address: '192.168.77.1', prefix: 24 });
    expect(buildNicPlan({ platform: 'linux', interface: 'eth1', address: '10.1.2.3', prefix: 16, networkManager: 'unmanaged' }).commands[0]).toBe('sudo ip addr add 10.1.2.3/16 dev eth1');
  });

  it('Linux with NetworkManager: a temporary in-memory profile, whatever the device state', () => {
    for (const state of ['connected', 'disconnected', 'unavailable', 'connecting (getting IP configuration)']) {
      const p = buildNicPlan({ platform: 'linux', interface: 'eth1', address: '192.168.77.1', prefix: 24, networkManager: state });
      expect(p.commands, state).toEqual([
        'sudo nmcli connection add save no type ethernet con-name pocket-dhcp-eth1 ifname eth1 connection.autoconnect no ipv4.method manual ipv4.addresses 192.168.77.1/24 ipv6.method ignore',
        'sudo nmcli --wait 20 connection up id pocket-dhcp-eth1 ifname eth1',
      ]);
      expect(p.note).toContain('sudo nmcli connection delete id pocket-dhcp-eth1');
    }
    // NetworkManager only watching (an address set by hand) or not managing: plain iproute2.
    expect(buildNicPlan({ platform: 'linux', interface: 'eth1', address: '192.168.77.1', prefix: 24, networkManager: 'connected (externally)' }).commands[0]).toBe('sudo ip addr add 192.168.77.1/24 dev eth1');
  });

  it('macOS: networksetup -setmanual with the service name and a dotted mask', () => {
    const p = buildNicPlan({ platform: 'darwin', interface: 'en7', address: '192.168.77.1', prefix: 24, macService: 'USB 10/100/1000 LAN' });
    expect(p.commands).toEqual(["sudo networksetup -setmanual 'USB 10/100/1000 LAN' 192.168.77.1 255.255.255.0"]);
    expect(p.note).toContain("networksetup -setdhcp 'USB 10/100/1000 LAN'");
    expect(buildNicPlan({ platform: 'darwin', interface: 'en0', address: '10.0.0.1', prefix: 20 }).commands).toEqual(['sudo networksetup -setmanual en0 10.0.0.1 255.255.240.0']);
  });

  it('Windows: netsh with the connection name (spaces allowed) and a dotted mask', () => {
    const p = buildNicPlan({ platform: 'win32', interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 });
    expect(p.commands).toEqual(['netsh interface ipv4 set address name="Ethernet 2" static 192.168.77.1 255.255.255.0']);
    expect(p.note).toContain('netsh interface ipv4 set address name="Ethernet 2" source=dhcp');
    expect(buildNicPlan({ platform: 'win32', interface: 'Ethernet', address: '10.1.0.1', prefix: 16 }).commands).toEqual(['netsh interface ipv4 set address name=Ethernet static 10.1.0.1 255.255.0.0']);
  });

  it('quotes a Linux name that needs it', () => {
    expect(buildNicPlan({ platform: 'linux', interface: 'my nic', address: '192.168.77.1', prefix: 24 }).commands[0]).toBe("sudo ip addr add 192.168.77.1/24 dev 'my nic'");
  });

  it('refuses names that could break out of the command, and impossible addresses', () => {
    for (const name of ['eth1; reboot', 'eth1"', "eth1'", '$(id)', '`id`', 'a\\b', 'eth\n1', 'a|b', 'a&b', '']) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        expect(() => buildNicPlan({ platform, interface: name, address: '192.168.77.1', prefix: 24 }), `${platform} ${JSON.stringify(name)}`).toThrow(NicPlanError);
      }
    }
    expect(() => buildNicPlan({ platform: 'darwin', interface: 'en0', address: '192.168.77.1', prefix: 24, macService: 'x" ; rm -rf / "' })).toThrow(NicPlanError);
    expect(() => buildNicPlan({ platform: 'linux', interface: 'eth1', address: '999.1.1.1', prefix: 24 })).toThrow(/not an IPv4 address/);
    expect(() => buildNicPlan({ platform: 'linux', interface: 'eth1', address: '192.168.77.0', prefix: 24 })).toThrow(/network address .* 192\.168\.77\.1/);
    expect(() => buildNicPlan({ platform: 'linux', interface: 'eth1', address: '192.168.77.255', prefix: 24 })).toThrow(/broadcast address/);
    expect(() => buildNicPlan({ platform: 'linux', interface: 'eth1', address: '192.168.77.1', prefix: 31 })).toThrow(/between/);
    expect(() => buildNicPlan({ platform: 'freebsd', interface: 'em0', address: '192.168.77.1', prefix: 24 })).toThrow(/not supported on freebsd/);
  });

  it('dotted masks', () => {
    expect([8, 16, 23, 24, 30].map(dottedMask)).toEqual(['255.0.0.0', '255.255.0.0', '255.255.254.0', '255.255.255.0', '255.255.255.252']);
  });
});

describe('machine lookups (parsers)', () => {
  it('macOS service order → device to service', () => {
    const text = [
      'An asterisk (*) denotes that a network service is disabled.',
      '(1) Wi-Fi',
      '(Hardware Port: Wi-Fi, Device: en0)',
      '',
      '(2) USB 10/100/1000 LAN',
      '(Hardware Port: USB 10/100/1000 LAN, Device: en7)',
      '',
      '(*) Thunderbolt Bridge',
      '(Hardware Port: Thunderbolt Bridge, Device: bridge0)',
      '(3) iPhone USB',
      '(Hardware Port: iPhone USB, Device: )',
    ].join('\n');
    const m = parseMacServiceOrder(text);
    expect([...m]).toEqual([
      ['en0', 'Wi-Fi'],
      ['en7', 'USB 10/100/1000 LAN'],
      ['bridge0', 'Thunderbolt Bridge'],
    ]);
  });

  it('nmcli -t device status → device to state (escaped colons)', () => {
    const m = parseNmcliDeviceStatus('eth0:connected\nveth1:unmanaged\nenx\\:1:disconnected\nwlan0:unavailable\n\n');
    expect(m.get('eth0')).toBe('connected');
    expect(m.get('veth1')).toBe('unmanaged');
    expect(m.get('enx:1')).toBe('disconnected');
    expect(m.get('wlan0')).toBe('unavailable');
  });
});
