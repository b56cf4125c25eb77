import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeProcAddress,
  findPortHolders,
  parseCmdline,
  parsePasswd,
  parseProcNet,
  parseSocketLink,
  parseSsSockets,
} from '../../../src-main/net/port-holder.js';

// Captured on Debian 12 / kernel 6.18 (x86_64) inside a namespace with: a socket bound to
// 0.0.0.0:67 with SO_BINDTODEVICE va, a wildcard :6767 and an IPv6 [::]:5353 socket.
const PROC_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
 2396: 00000000:0043 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 10804 2 000000003de3711a 0         
 9096: 00000000:1A6F 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 10805 2 00000000de4d9fcd 0         
 1234: 0100007F:0035 0A12C6C6:0044 01 00000000:00000000 00:00000000 00000000     0        0 10809 2 00000000de4d9fcd 0         
`;
const PROC_UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 7682: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 10806 2 00000000fc5f8d7a 0
`;
const SS = `UNCONN 0      0      0.0.0.0%va:67   0.0.0.0:* ino:10804 sk:1 cgroup:unreachable:1 <->
UNCONN 0      0         0.0.0.0:6767 0.0.0.0:* ino:10805 sk:2 cgroup:unreachable:1 <->
UNCONN 0      0               *:5353       *:* ino:10806 sk:3 cgroup:unreachable:1 v6only:0 <->
UNCONN 0      0      [::]%eth1:547   [::]:* ino:10807 sk:4 <->
UNCONN 0      0      [fe80::1%eth0]:546   [::]:* ino:10808 sk:5 <->
`;

describe('decodeProcAddress', () => {
  it('reverses the bytes of each word on little-endian hosts', () => {
    expect(decodeProcAddress('0100007F', 'LE')).toBe('127.0.0.1');
    expect(decodeProcAddress('0A12C6C6', 'LE')).toBe('198.198.18.10');
    expect(decodeProcAddress('00000000', 'LE')).toBe('0.0.0.0');
  });
  it('reads words as they are on big-endian hosts', () => {
    expect(decodeProcAddress('7F000001', 'BE')).toBe('127.0.0.1');
  });
  it('formats IPv6 per RFC 5952', () => {
    expect(decodeProcAddress('00000000000000000000000000000000', 'LE')).toBe('::');
    expect(decodeProcAddress('00000000000000000000000001000000', 'LE')).toBe('::1');
    expect(decodeProcAddress('000080FE000000000000000001000000', 'LE')).toBe('fe80::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F', 'LE')).toBe('::ffff:127.0.0.1');
  });
  it('rejects garbage', () => {
    expect(decodeProcAddress('XYZ', 'LE')).toBeUndefined();
    expect(decodeProcAddress('0100', 'LE')).toBeUndefined();
  });
});

describe('parseProcNet', () => {
  it('parses ports, addresses, state, uid and inode, skipping the header', () => {
    expect(parseProcNet(PROC_UDP, 'LE')).toEqual([
      { localAddress: '0.0.0.0', localPort: 67, remoteAddress: '0.0.0.0', remotePort: 0, state: 7, uid: 0, inode: 10804 },
      { localAddress: '0.0.0.0', localPort: 6767, remoteAddress: '0.0.0.0', remotePort: 0, state: 7, uid: 101, inode: 10805 },
      { localAddress: '127.0.0.1', localPort: 53, remoteAddress: '198.198.18.10', remotePort: 68, state: 1, uid: 0, inode: 10809 },
    ]);
    expect(parseProcNet(PROC_UDP6, 'LE')).toEqual([
      { localAddress: '::', localPort: 5353, remoteAddress: '::', remotePort: 0, state: 7, uid: 0, inode: 10806 },
    ]);
  });
  it('skips truncated and malformed lines', () => {
    expect(parseProcNet('  0: 00000000:0043\n  1: zz:0043 00000000:0000 07 0 0 0 0 0 1\n', 'LE')).toEqual([]);
  });
});

describe('parseSsSockets', () => {
  it('extracts the device binding that /proc/net/udp does not show', () => {
    expect(parseSsSockets(SS)).toEqual([
      { localAddress: '0.0.0.0', port: 67, device: 'va', inode: 10804 },
      { localAddress: '0.0.0.0', port: 6767, inode: 10805 },
      { localAddress: '*', port: 5353, inode: 10806 },
      { localAddress: '::', port: 547, device: 'eth1', inode: 10807 },
      // A scope id inside the brackets is part of the address, not a device binding.
      { localAddress: 'fe80::1%eth0', port: 546, inode: 10808 },
    ]);
  });
});

describe('small parsers', () => {
  it('parseSocketLink', () => {
    expect(parseSocketLink('socket:[10804]')).toBe(10804);
    expect(parseSocketLink('pipe:[10804]')).toBeUndefined();
    expect(parseSocketLink('/dev/null')).toBeUndefined();
  });
  it('parseCmdline', () => {
    expect(parseCmdline('dnsmasq\0--no-daemon\0--port=0\0')).toEqual(['dnsmasq', '--no-daemon', '--port=0']);
    expect(parseCmdline('')).toEqual([]);
  });
  it('parsePasswd', () => {
    const m = parsePasswd('root:x:0:0:root:/root:/bin/bash\ndnsmasq:x:101:65534:dnsmasq,,,:/var/lib/misc:/usr/sbin/nologin\n#bad\n');
    expect(m.get(0)).toBe('root');
    expect(m.get(101)).toBe('dnsmasq');
    expect(m.size).toBe(2);
  });
});

describe('findPortHolders on a fixture /proc', () => {
  const root = mkdtempSync(join(tmpdir(), 'pd-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'net'));
  writeFileSync(join(root, 'net', 'udp'), PROC_UDP.replace('00000000:1A6F', '00000000:0043')); // two sockets on :67
  writeFileSync(join(root, 'net', 'udp6'), PROC_UDP6);
  const proc = (pid: number, comm: string, cmdline: string, fds: Record<string, string>) => {
    mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
    writeFileSync(join(root, String(pid), 'comm'), `${comm}\n`);
    writeFileSync(join(root, String(pid), 'cmdline'), cmdline);
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, String(pid), 'fd', fd));
  };
  proc(4242, 'dnsmasq', 'dnsmasq\0--keep-in-foreground\0', { '0': '/dev/null', '4': 'socket:[10804]' });
  proc(4243, 'dnsmasq', 'dnsmasq\0--keep-in-foreground\0', { '4': 'socket:[10804]' }); // forked child shares it
  proc(77, 'sshd', 'sshd\0', { '3': 'socket:[555]' });
  const passwdFile = join(root, 'passwd');
  writeFileSync(passwdFile, 'root:x:0:0:root:/root:/bin/bash\n');

  it('maps the socket inode to every process holding it, with comm and cmdline', () => {
    const holders = findPortHolders(67, 'udp', { procRoot: root, useSs: false, platform: 'linux', passwdFile });
    const withPid = holders.filter((h) => h.pid !== undefined).sort((a, b) => a.pid! - b.pid!);
    expect(withPid).toEqual([
      expect.objectContaining({ proto: 'udp', localAddress: '0.0.0.0', port: 67, inode: 10804, uid: 0, user: 'root', pid: 4242, command: 'dnsmasq', cmdline: ['dnsmasq', '--keep-in-foreground'] }),
      expect.objectContaining({ pid: 4243, command: 'dnsmasq' }),
    ]);
    // The second :67 socket (inode 10805, uid 101) has no visible owner: still reported.
    expect(holders.find((h) => h.inode === 10805)).toEqual({ proto: 'udp', localAddress: '0.0.0.0', port: 67, inode: 10805, uid: 101 });
  });

  it('looks at udp6 too, and returns nothing for a free port', () => {
    expect(findPortHolders(5353, 'udp', { procRoot: root, useSs: false, platform: 'linux' })).toEqual([
      expect.objectContaining({ proto: 'udp6', localAddress: '::', port: 5353, inode: 10806 }),
    ]);
    expect(findPortHolders(68, 'udp', { procRoot: root, useSs: false, platform: 'linux' })).toEqual([]);
  });

  it('returns [] without throwing on other platforms or a missing /proc', () => {
    expect(findPortHolders(67, 'udp', { platform: 'darwin' })).toEqual([]);
    expect(findPortHolders(67, 'udp', { platform: 'win32' })).toEqual([]);
    expect(findPortHolders(67, 'udp', { procRoot: join(root, 'nope'), useSs: false, platform: 'linux' })).toEqual([]);
  });
});
