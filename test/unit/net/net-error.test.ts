import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  NetError,
  describeErrno,
  netErrorFromErrno,
  netErrorFromNode,
  noIpv4Message,
  noSuchInterfaceMessage,
  portInUseMessage,
  privilegeMessage,
  type MessageContext,
} from '../../../src-main/net/net-error.js';
import type { PortHolder } from '../../../src-main/net/port-holder.js';

const E = constants.errno;
const linux: MessageContext = { ifname: 'eth1', port: 67, platform: 'linux', execPath: '/usr/bin/node' };

const holder = (over: Partial<PortHolder>): PortHolder => ({
  proto: 'udp',
  localAddress: '0.0.0.0',
  port: 67,
  inode: 1,
  uid: 0,
  ...over,
});

describe('portInUseMessage', () => {
  it('names a known DHCP server and how to stop it', () => {
    expect(portInUseMessage(linux, [holder({ pid: 1234, command: 'dnsmasq' })])).toBe(
      'Port 67 on eth1 is already in use by dnsmasq (pid 1234) — stop that DHCP server (e.g. "sudo systemctl stop dnsmasq") or choose another interface.',
    );
    expect(portInUseMessage(linux, [holder({ pid: 7, command: 'dhcpd' })])).toContain('"sudo systemctl stop isc-dhcp-server"');
    expect(portInUseMessage(linux, [holder({ pid: 7, command: 'kea-dhcp4' })])).toContain('"sudo systemctl stop kea-dhcp4-server"');
  });

  it('recognises NetworkManager connection sharing', () => {
    const m = portInUseMessage(linux, [
      holder({ pid: 900, command: 'dnsmasq', cmdline: ['/usr/sbin/dnsmasq', '--conf-file=/dev/null', '--pid-file=/run/nm-dnsmasq-eth1.pid', '--listen-address=10.42.0.1', '--conf-dir=/etc/NetworkManager/dnsmasq-shared.d'] }),
    ]);
    expect(m).toMatch(/^Port 67 on eth1 is already in use by dnsmasq \(pid 900\) — turn off connection sharing in NetworkManager/);
  });

  it('names any other program with a kill hint', () => {
    expect(portInUseMessage(linux, [holder({ pid: 55, command: 'python3' })])).toBe(
      'Port 67 on eth1 is already in use by python3 (pid 55) — stop that program (e.g. "sudo kill 55") or choose another interface.',
    );
  });

  it('lists each holder once (forked children share the socket)', () => {
    const m = portInUseMessage(linux, [
      holder({ pid: 1, command: 'dnsmasq' }),
      holder({ pid: 1, command: 'dnsmasq' }),
      holder({ pid: 2, command: 'udhcpd', inode: 2 }),
    ]);
    expect(m).toContain('in use by dnsmasq (pid 1) and udhcpd (pid 2) —');
  });

  it('does not blame sockets bound to another device: they cannot conflict', () => {
    const m = portInUseMessage(linux, [holder({ pid: 9, command: 'dnsmasq', device: 'wlan0' })]);
    expect(m).toBe(
      `Port 67 on eth1 is already in use by another program ("sudo ss -ulpn 'sport = :67'" shows which) — stop it or choose another interface.`,
    );
    expect(portInUseMessage(linux, [holder({ pid: 9, command: 'dnsmasq', device: 'eth1' })])).toContain('dnsmasq (pid 9)');
  });

  it('without root the owner is invisible: say whose socket it is and how to find out', () => {
    expect(portInUseMessage(linux, [holder({ uid: 101, user: 'dnsmasq' })])).toBe(
      `Port 67 on eth1 is already in use by a program of user dnsmasq ("sudo ss -ulpn 'sport = :67'" shows which) — stop it or choose another interface.`,
    );
  });

  it('gives the platform tool to find the holder elsewhere', () => {
    expect(portInUseMessage({ ...linux, platform: 'darwin' }, [])).toContain('"sudo lsof -nP -iUDP:67"');
    expect(portInUseMessage({ ...linux, platform: 'win32' }, [])).toContain('Get-NetUDPEndpoint -LocalPort 67');
  });
});

describe('other messages', () => {
  it('privileges: the exact setcap command for the running binary', () => {
    expect(privilegeMessage(linux)).toBe(
      'Binding UDP port 67 needs privileges: run as root, or grant the capability once: sudo setcap cap_net_bind_service=+ep "/usr/bin/node"',
    );
    const { execPath: _omit, ...noPath } = linux;
    expect(privilegeMessage(noPath)).toBe(
      'Binding UDP port 67 needs privileges: run as root, or grant the capability once: sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(which node)")"',
    );
    expect(privilegeMessage({ ...linux, platform: 'win32', address: '192.0.2.1' })).toMatch(/Internet Connection Sharing/);
  });

  it('missing interface and missing address', () => {
    expect(noSuchInterfaceMessage('eth9')).toBe('Interface "eth9" does not exist — pick one from "pocket-dhcp interfaces".');
    expect(noIpv4Message('eth1')).toBe('eth1 has no IPv4 address — set a static address first (Interface → Static address).');
    expect(noIpv4Message('eth1', true)).toMatch(/only has a link-local address \(169\.254\.x\.x\)/);
  });
});

describe('netErrorFromErrno', () => {
  const base = { ...linux, action: 'open the DHCP socket' };

  it('maps errnos to codes and actionable messages', () => {
    const inUse = netErrorFromErrno({ ...base, errno: E.EADDRINUSE, syscall: 'bind', holders: [holder({ pid: 3, command: 'dnsmasq' })] });
    expect(inUse).toBeInstanceOf(NetError);
    expect(inUse).toBeInstanceOf(Error);
    expect(inUse).toMatchObject({ name: 'NetError', code: 'EADDRINUSE', errno: E.EADDRINUSE, syscall: 'bind', ifname: 'eth1', port: 67 });
    expect(inUse.holders).toHaveLength(1);
    expect(inUse.message).toContain('dnsmasq (pid 3)');

    expect(netErrorFromErrno({ ...base, errno: E.EACCES, syscall: 'bind' }).message).toBe(privilegeMessage(linux));
    expect(netErrorFromErrno({ ...base, errno: E.ENODEV, syscall: 'setsockopt(SO_BINDTODEVICE)' }).message).toBe(
      noSuchInterfaceMessage('eth1'),
    );
    expect(netErrorFromErrno({ ...base, errno: E.ENODEV, syscall: 'send' }).message).toMatch(/^Interface "eth1" has disappeared/);
    expect(netErrorFromErrno({ ...base, errno: E.EPERM, syscall: 'setsockopt(SO_BINDTODEVICE)' }).message).toMatch(
      /needs CAP_NET_RAW on this Linux kernel \(older than 5\.7\).*cap_net_raw,cap_net_bind_service=\+ep "\/usr\/bin\/node"/,
    );
    expect(netErrorFromErrno({ ...base, errno: E.EPERM, syscall: 'send', destination: '255.255.255.255:68' }).message).toMatch(
      /^A firewall rule blocked sending to 255\.255\.255\.255:68 on eth1/,
    );
    expect(netErrorFromErrno({ ...base, errno: E.ENETDOWN, syscall: 'send' }).code).toBe('ENETDOWN');
    expect(netErrorFromErrno({ ...base, errno: E.ENETUNREACH, syscall: 'send' }).code).toBe('ENETUNREACH');
  });

  it('never yields a bare errno, even for the unexpected', () => {
    for (const errno of [E.EMFILE, E.EINVAL, E.EIO, E.ENOMEM, 9999]) {
      const e = netErrorFromErrno({ ...base, errno, syscall: 'socket' });
      expect(e.code).toBe('UNKNOWN');
      expect(e.message).toMatch(/^Could not open the DHCP socket on eth1: .+ \(.+ in socket\) — try again/);
      expect(e.errno).toBe(errno);
    }
    expect(netErrorFromErrno({ ...base, errno: E.EMFILE, syscall: 'socket' }).errnoName).toBe('EMFILE');
  });

  it('describeErrno uses the host table', () => {
    expect(describeErrno(E.ENODEV)).toEqual({ name: 'ENODEV', text: 'no such device' });
    expect(describeErrno(987654).name).toBe('errno 987654');
  });
});

describe('netErrorFromNode', () => {
  it('converts a Node system error (negative libuv errno, string code)', () => {
    const err = Object.assign(new Error('send ENODEV'), { code: 'ENODEV', errno: -E.ENODEV, syscall: 'send' });
    const e = netErrorFromNode(err, { ...linux, action: 'send a reply', destination: '198.18.10.2:68' });
    expect(e).toMatchObject({ code: 'ENODEV', errno: E.ENODEV, errnoName: 'ENODEV', syscall: 'send' });
    expect(e.cause).toBe(err);
    expect(e.message).toMatch(/^Interface "eth1" has disappeared/);
  });
  it('maps a send on a closed socket to CLOSED', () => {
    const err = Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
    expect(netErrorFromNode(err, { ...linux, action: 'send a reply' }).code).toBe('CLOSED');
  });
  it('keeps a NetError as is, and wraps anything else', () => {
    const ne = new NetError('ENODEV', 'x');
    expect(netErrorFromNode(ne, { ...linux, action: 'a' })).toBe(ne);
    const other = netErrorFromNode('weird', { ...linux, action: 'receive' });
    expect(other.code).toBe('UNKNOWN');
    expect(other.message).toMatch(/^Could not receive on eth1: weird/);
  });
  it('serialises for IPC', () => {
    const e = new NetError('EADDRINUSE', 'msg', { errno: 98, ifname: 'eth1', port: 67, holders: [] });
    expect(JSON.parse(JSON.stringify(e))).toEqual({ name: 'NetError', code: 'EADDRINUSE', message: 'msg', errno: 98, ifname: 'eth1', port: 67, holders: [] });
  });
});
