// Reading what tcpdump -w wrote, independently of the code under test: a pcap reader (classic
// libpcap format, Ethernet, IPv4, UDP) and a minimal DHCP reply parser (header fields plus options
// 53, 54, 61). Not src-main's codec on purpose: the captures are the clients' ground truth.
import { readFileSync } from 'node:fs';

export interface UdpDatagram {
  /** Capture time, microseconds since the epoch. */
  tsUs: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Buffer;
}

const ip = (b: Buffer, o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** Every IPv4/UDP datagram in a pcap file (Ethernet link type; other frames skipped). */
export function readPcapUdp(path: string): UdpDatagram[] {
  const f = readFileSync(path);
  if (f.length < 24) return [];
  const magic = f.readUInt32LE(0);
  let le: boolean;
  let nanos = false;
  if (magic === 0xa1b2c3d4) le = true;
  else if (magic === 0xd4c3b2a1) le = false;
  else if (magic === 0xa1b23c4d) (le = true), (nanos = true);
  else if (magic === 0x4d3cb2a1) (le = false), (nanos = true);
  else throw new Error(`${path}: not a pcap file (magic 0x${magic.toString(16)})`);
  const u32 = (o: number) => (le ? f.readUInt32LE(o) : f.readUInt32BE(o));
  const linkType = u32(20);
  if (linkType !== 1) throw new Error(`${path}: link type ${linkType}, expected Ethernet (1)`);
  const out: UdpDatagram[] = [];
  let o = 24;
  while (o + 16 <= f.length) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const incl = u32(o + 8);
    const start = o + 16;
    o = start + incl;
    if (o > f.length) break; // a record cut by the end of the capture
    let p = start;
    let etherType = f.readUInt16BE(p + 12);
    p += 14;
    if (etherType === 0x8100) {
      etherType = f.readUInt16BE(p + 2);
      p += 4;
    }
    if (etherType !== 0x0800 || p + 20 > o) continue;
    const ihl = (f[p]! & 0x0f) * 4;
    if (f[p + 9] !== 17) continue; // UDP only
    const fragOff = f.readUInt16BE(p + 6) & 0x1fff;
    if (fragOff !== 0) continue;
    const src = ip(f, p + 12);
    const dst = ip(f, p + 16);
    const u = p + ihl;
    if (u + 8 > o) continue;
    const len = f.readUInt16BE(u + 4);
    out.push({
      tsUs: sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac),
      src,
      dst,
      sport: f.readUInt16BE(u),
      dport: f.readUInt16BE(u + 2),
      payload: f.subarray(u + 8, Math.min(o, u + len)),
    });
  }
  return out;
}

export interface DhcpSeen {
  op: number;
  xid: number;
  yiaddr: string;
  giaddr: string;
  /** chaddr cut to hlen, colon hex. */
  mac: string;
  /** Option 53, or undefined. */
  type: number | undefined;
  serverId: string | undefined;
  /** Option 61 as colon hex, or undefined. */
  clientId: string | undefined;
}

/** The fields of a DHCP message this test needs; undefined for anything that is not one. */
export function parseDhcp(b: Buffer): DhcpSeen | undefined {
  if (b.length < 240 || b.readUInt32BE(236) !== 0x63825363) return undefined;
  const hlen = Math.min(b[2]!, 16);
  const seen: DhcpSeen = {
    op: b[0]!,
    xid: b.readUInt32BE(4),
    yiaddr: ip(b, 16),
    giaddr: ip(b, 24),
    mac: [...b.subarray(28, 28 + hlen)].map((x) => x.toString(16).padStart(2, '0')).join(':'),
    type: undefined,
    serverId: undefined,
    clientId: undefined,
  };
  let p = 240;
  while (p < b.length) {
    const code = b[p]!;
    if (code === 0) {
      p++;
      continue;
    }
    if (code === 255 || p + 1 >= b.length) break;
    const len = b[p + 1]!;
    const v = b.subarray(p + 2, p + 2 + len);
    if (code === 53 && len === 1) seen.type = v[0];
    else if (code === 54 && len === 4) seen.serverId = ip(v, 0);
    else if (code === 61) seen.clientId = [...v].map((x) => x.toString(16).padStart(2, '0')).join(':');
    p += 2 + len;
  }
  return seen;
}
