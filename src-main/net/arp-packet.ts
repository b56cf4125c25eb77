// ARP frames for address-conflict detection, pure (no I/O): the Ethernet + ARP request we send to
// probe an address and the parser for what comes back.
//
// The probe follows RFC 5227 §2.1.1: an ARP *request* (RFC 826) broadcast on the link, sender
// hardware address = our MAC, **sender protocol address = 0.0.0.0**, target hardware address = 0,
// target protocol address = the candidate. With a zero sender IP no host adds or updates an ARP
// cache entry from it (RFC 5227 §2.1.1 "so as to avoid polluting ARP caches"), so probing an address
// never moves traffic anywhere. A host that holds the address answers with an ARP reply (Linux's
// arp_process() answers such "DAD" probes by unicast to our MAC, with tpa 0.0.0.0).
//
// Also counted as "in use" (RFC 5227 §2.1.1, last paragraphs): any ARP packet whose *sender* IP is
// the candidate (the holder announcing or asking), and another host's probe for the same address
// (sender IP 0, target the candidate) — that host is about to take it.
import { readIp, writeIp, type Ipv4 } from '../dhcp/ip.js';

export const ETH_P_ARP = 0x0806;
export const ETH_P_IP = 0x0800;
export const ETH_HEADER = 14;
/** Ethernet/IPv4 ARP payload: 8 header octets + 2 × (6 + 4). */
export const ARP_PAYLOAD = 28;
/** Shortest Ethernet frame without FCS: the NIC pads anyway, but padding here keeps the frame deterministic. */
export const MIN_FRAME = 60;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

export type Mac = string;

/** "aa:bb:cc:dd:ee:ff" → 6 bytes; throws RangeError for anything else. */
export function parseMac(mac: Mac): Uint8Array {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(mac.trim());
  if (!m) throw new RangeError(`not an Ethernet MAC address: ${mac}`);
  return Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16)));
}

export function formatMac(b: Uint8Array, off = 0): Mac {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + (b[off + i]! < 16 ? '0' : '') + b[off + i]!.toString(16);
  return s;
}

/** Ethernet broadcast frame carrying an RFC 5227 ARP probe for `target` from `ourMac`. */
export function buildArpProbe(ourMac: Uint8Array, target: Ipv4): Buffer {
  if (ourMac.length !== 6) throw new RangeError('an ARP probe needs a 6-byte Ethernet address');
  const f = Buffer.alloc(MIN_FRAME);
  f.fill(0xff, 0, 6); // destination: broadcast
  f.set(ourMac, 6); // source
  f.writeUInt16BE(ETH_P_ARP, 12);
  const a = ETH_HEADER;
  f.writeUInt16BE(1, a); // htype: Ethernet
  f.writeUInt16BE(ETH_P_IP, a + 2); // ptype: IPv4
  f[a + 4] = 6; // hlen
  f[a + 5] = 4; // plen
  f.writeUInt16BE(ARPOP_REQUEST, a + 6);
  f.set(ourMac, a + 8); // sha
  // spa 0.0.0.0 (a+14..17) and tha 00:00:00:00:00:00 (a+18..23) stay zero
  writeIp(f, a + 24, target); // tpa
  return f;
}

export interface ArpMessage {
  op: number;
  senderMac: Mac;
  senderIp: Ipv4;
  targetMac: Mac;
  targetIp: Ipv4;
}

/** Parses an Ethernet frame holding an Ethernet/IPv4 ARP message; undefined for anything else. */
export function parseArpFrame(frame: Uint8Array): ArpMessage | undefined {
  if (frame.length < ETH_HEADER + ARP_PAYLOAD) return undefined;
  let a = ETH_HEADER;
  let type = (frame[12]! << 8) | frame[13]!;
  if (type === 0x8100) {
    // 802.1Q tag (the kernel usually strips it into metadata, but a raw socket may see it)
    if (frame.length < ETH_HEADER + 4 + ARP_PAYLOAD) return undefined;
    type = (frame[16]! << 8) | frame[17]!;
    a += 4;
  }
  if (type !== ETH_P_ARP) return undefined;
  const htype = (frame[a]! << 8) | frame[a + 1]!;
  const ptype = (frame[a + 2]! << 8) | frame[a + 3]!;
  if (htype !== 1 || ptype !== ETH_P_IP || frame[a + 4] !== 6 || frame[a + 5] !== 4) return undefined;
  return {
    op: (frame[a + 6]! << 8) | frame[a + 7]!,
    senderMac: formatMac(frame, a + 8),
    senderIp: readIp(frame, a + 14),
    targetMac: formatMac(frame, a + 18),
    targetIp: readIp(frame, a + 24),
  };
}

/**
 * The MAC that shows `probed` is in use, or undefined when this ARP message says nothing about it.
 * `ourMac` filters our own probes (a packet socket also sees outgoing frames).
 */
export function conflictingMac(msg: ArpMessage, probed: Ipv4, ourMac: Mac): Mac | undefined {
  if (msg.senderMac === ourMac) return undefined;
  if (msg.senderIp === probed) return msg.senderMac; // a reply, or the holder's own request/announcement
  // Another host probing the same address right now (RFC 5227 §2.1.1: a simultaneous probe is a conflict).
  if (msg.op === ARPOP_REQUEST && msg.senderIp === '0.0.0.0' && msg.targetIp === probed) return msg.senderMac;
  return undefined;
}

/** struct sockaddr_ll (Linux packet(7)): family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]. */
export const SOCKADDR_LL_SIZE = 20;
export const AF_PACKET = 17;
export const PACKET_OUTGOING = 4;

export function encodeSockaddrLl(ifindex: number, protocol = ETH_P_ARP, addr?: Uint8Array): Buffer {
  const b = Buffer.alloc(SOCKADDR_LL_SIZE);
  b.writeUInt16LE(AF_PACKET, 0); // host order; our Linux targets are little-endian
  b.writeUInt16BE(protocol, 2);
  b.writeInt32LE(ifindex, 4);
  if (addr) {
    b[11] = addr.length;
    b.set(addr.subarray(0, 8), 12);
  }
  return b;
}

export function decodeSockaddrLl(b: Uint8Array): { ifindex: number; pkttype: number; protocol: number } | undefined {
  if (b.length < 12) return undefined;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.readUInt16LE(0) !== AF_PACKET) return undefined;
  return { protocol: buf.readUInt16BE(2), ifindex: buf.readInt32LE(4), pkttype: buf[10]! };
}
