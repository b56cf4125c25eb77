import { describe, expect, it } from 'vitest';
import {
  DARWIN_ABI,
  checkIfname,
  cmsgHeaderSize,
  cmsgSpace,
  decodeIfname,
  decodeSockaddrIn,
  encodePktinfoCmsg,
  encodeSockaddrIn,
  ifnameBuffer,
  linuxAbi,
  parseCmsgs,
  pktinfoIfindex,
} from '../../../src-main/net/abi.js';

const LINUX = linuxAbi(8);

describe('sockaddr_in', () => {
  it('Linux: u16 family, then port and address in network order', () => {
    expect(encodeSockaddrIn(LINUX, '0.0.0.0', 67).toString('hex')).toBe('0200004300000000' + '0000000000000000');
    expect(encodeSockaddrIn(LINUX, '198.18.10.1', 68).toString('hex')).toBe('02000044c6120a01' + '0000000000000000');
  });
  it('Darwin: sin_len byte, then a one-byte family', () => {
    expect(encodeSockaddrIn(DARWIN_ABI, '198.18.10.1', 67).toString('hex')).toBe('10020043c6120a01' + '0000000000000000');
  });
  it('round-trips and refuses other families', () => {
    for (const abi of [LINUX, DARWIN_ABI]) {
      expect(decodeSockaddrIn(abi, encodeSockaddrIn(abi, '198.18.20.2', 68))).toEqual({ address: '198.18.20.2', port: 68 });
    }
    expect(decodeSockaddrIn(LINUX, Buffer.from('0a000044', 'hex'))).toBeUndefined();
    expect(decodeSockaddrIn(LINUX, Buffer.from('0a0000440000000000000000', 'hex'))).toBeUndefined(); // AF_INET6
  });
  it('rejects non-addresses', () => {
    expect(() => encodeSockaddrIn(LINUX, '1.2.3', 67)).toThrow(RangeError);
    expect(() => encodeSockaddrIn(LINUX, '1.2.3.256', 67)).toThrow(RangeError);
  });
});

describe('control messages', () => {
  it('header sizes follow CMSG_ALIGN of each ABI', () => {
    expect(cmsgHeaderSize(LINUX)).toBe(16);
    expect(cmsgSpace(LINUX, 12)).toBe(32);
    expect(cmsgHeaderSize(linuxAbi(4))).toBe(12);
    expect(cmsgHeaderSize(DARWIN_ABI)).toBe(12);
    expect(cmsgSpace(DARWIN_ABI, 12)).toBe(24);
  });

  it('parses an IP_PKTINFO message captured from recvmsg on Linux x86_64', () => {
    // cmsg_len 28, level IPPROTO_IP, type IP_PKTINFO(8), ifindex 1, spec_dst 127.0.0.1, addr 127.0.0.1
    const raw = Buffer.from('1c000000000000000000000008000000010000007f0000017f00000100000000', 'hex');
    const msgs = parseCmsgs(LINUX, raw, 32);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ level: 0, type: 8 });
    expect(msgs[0]!.data.toString('hex')).toBe('010000007f0000017f000001');
    expect(pktinfoIfindex(LINUX, msgs)).toBe(1);
  });

  it('walks several messages and stops at a malformed one', () => {
    const a = encodePktinfoCmsg(LINUX, 7);
    const bogus = Buffer.alloc(16);
    bogus.writeBigUInt64LE(4n, 0); // cmsg_len smaller than the header
    const buf = Buffer.concat([a, a, bogus]);
    expect(parseCmsgs(LINUX, buf, buf.length)).toHaveLength(2);
    expect(parseCmsgs(LINUX, buf, 10)).toHaveLength(0); // controllen says nothing complete arrived
  });

  it('builds the pktinfo message sendmsg needs, on both ABIs', () => {
    const l = encodePktinfoCmsg(LINUX, 3);
    expect(l.toString('hex')).toBe('1c00000000000000' + '00000000' + '08000000' + '03000000' + '00000000' + '00000000' + '00000000');
    const d = encodePktinfoCmsg(DARWIN_ABI, 5);
    // xnu's udp_check_pktinfo requires cmsg_len == CMSG_LEN(sizeof(struct in_pktinfo)) == 24
    expect(d.toString('hex')).toBe('18000000' + '00000000' + '1a000000' + '05000000' + '00000000' + '00000000');
    expect(pktinfoIfindex(DARWIN_ABI, parseCmsgs(DARWIN_ABI, d, d.length))).toBe(5);
    expect(pktinfoIfindex(LINUX, parseCmsgs(LINUX, l, l.length))).toBe(3);
  });

  it('ignores messages of other types', () => {
    const d = encodePktinfoCmsg(DARWIN_ABI, 5);
    d.writeInt32LE(20, 8); // IP_RECVIF
    expect(pktinfoIfindex(DARWIN_ABI, parseCmsgs(DARWIN_ABI, d, d.length))).toBeUndefined();
  });
});

describe('interface names', () => {
  it('checkIfname enforces IFNAMSIZ and Linux dev_valid_name()', () => {
    expect(checkIfname('eth0')).toBe('ok');
    expect(checkIfname('enx00e04c680001')).toBe('ok'); // 15 bytes: the longest allowed
    expect(checkIfname('enx00e04c6800012')).toBe('too_long');
    expect(checkIfname('')).toBe('invalid');
    expect(checkIfname('..')).toBe('invalid');
    expect(checkIfname('eth0:1')).toBe('invalid');
    expect(checkIfname('my nic')).toBe('invalid');
    expect(checkIfname('a/b')).toBe('invalid');
  });
  it('SO_BINDTODEVICE buffers carry the NUL; getsockopt returns it counted in the length', () => {
    expect(ifnameBuffer('eth1')).toEqual(Buffer.from('eth1\0'));
    const out = Buffer.alloc(16);
    out.write('eth1\0');
    expect(decodeIfname(out, 5)).toBe('eth1');
    expect(decodeIfname(out, 0)).toBe(''); // not bound
  });
});
