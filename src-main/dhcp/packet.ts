// The decoded DHCP message: the fixed BOOTP header (RFC 951, RFC 2131 §2 fig. 1) and the options
// as raw bytes. Pure data; the codec turns bytes into this and back.
import { formatHw, type Ipv4 } from './ip.js';
import type { OptionMap } from './options.js';

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
/** RFC 2131 §2: the leftmost bit of `flags`. */
export const FLAG_BROADCAST = 0x8000;
export const HTYPE_ETHERNET = 1;

export interface DhcpPacket {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: Ipv4;
  yiaddr: Ipv4;
  siaddr: Ipv4;
  giaddr: Ipv4;
  /** Always 16 bytes, as on the wire; the hardware address is the first `hlen` of them. */
  chaddr: Uint8Array;
  /** Server host name field, text up to the first NUL ('' when the field carries overloaded options). */
  sname: string;
  /** Boot file name field, likewise. */
  file: string;
  /** Options in wire order; repeated codes already concatenated (RFC 3396); 0 and 255 never appear. */
  options: OptionMap;
}

export function emptyPacket(): DhcpPacket {
  return {
    op: BOOTREQUEST,
    htype: HTYPE_ETHERNET,
    hlen: 6,
    hops: 0,
    xid: 0,
    secs: 0,
    flags: 0,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr: new Uint8Array(16),
    sname: '',
    file: '',
    options: new Map(),
  };
}

/** The client's hardware address bytes (chaddr cut to hlen, at most 16). */
export function hwAddressBytes(p: DhcpPacket): Uint8Array {
  return p.chaddr.subarray(0, Math.min(p.hlen, 16));
}

/** aa:bb:cc:dd:ee:ff for Ethernet; colon hex of hlen bytes otherwise. */
export function hwAddress(p: DhcpPacket): string {
  return formatHw(hwAddressBytes(p));
}

/**
 * Client identity, RFC 2131 §4.2: option 61 when present, else htype + chaddr. Both forms are
 * written as colon hex of "type, bytes…", so a client that sends 61 = 01:<its MAC> (dhclient,
 * Windows) and one that sends no 61 (udhcpc default) are the same identity — the same device
 * swapping its DHCP client keeps its address.
 */
export function clientKey(p: DhcpPacket): string {
  const id = p.options.get(61);
  if (id !== undefined && id.length >= 2) return formatHw(id);
  return formatHw(hwAddressBytes(p), p.htype);
}

export function isBroadcastFlag(p: DhcpPacket): boolean {
  return (p.flags & FLAG_BROADCAST) !== 0;
}
