// IPv4 and MAC helpers. Addresses travel through the core as dotted-quad strings (readable in
// events, JSON and the lease file); arithmetic (ranges, subnets, hashing) uses unsigned 32-bit numbers.

export type Ipv4 = string;

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4_RE.test(s);
}

/** Dotted quad → unsigned 32-bit. Callers pass validated addresses; parsed by char codes because it is on every packet's path (split() showed up at 4 % of server CPU). */
export function ipToInt(ip: Ipv4): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = (n << 8) | octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return ((n << 8) | octet) >>> 0;
}

export function intToIp(n: number): Ipv4 {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function readIp(buf: Uint8Array, off: number): Ipv4 {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

export function writeIp(buf: Uint8Array, off: number, ip: Ipv4): void {
  const n = ipToInt(ip);
  buf[off] = n >>> 24;
  buf[off + 1] = (n >>> 16) & 255;
  buf[off + 2] = (n >>> 8) & 255;
  buf[off + 3] = n & 255;
}

export const ZERO_IP: Ipv4 = '0.0.0.0';
export const BROADCAST_IP: Ipv4 = '255.255.255.255';

export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function maskToPrefix(mask: number): number | undefined {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined; // not contiguous ones then zeros
  let prefix = 0;
  for (let m = mask; m !== 0; m = (m << 1) >>> 0) prefix++;
  return prefix;
}

export interface Cidr {
  network: number;
  prefix: number;
  mask: number;
}

/** Parses "a.b.c.d/n". Host bits must be zero unless `allowHostBits`. */
export function parseCidr(s: string, allowHostBits = false): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m || !isIpv4(m[1]!)) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  const mask = prefixToMask(prefix);
  const addr = ipToInt(m[1]!);
  if (!allowHostBits && (addr & ~mask) >>> 0 !== 0) return undefined;
  return { network: (addr & mask) >>> 0, prefix, mask };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ((ip & c.mask) >>> 0) === c.network;
}

export function cidrBroadcast(c: Cidr): number {
  return (c.network | (~c.mask >>> 0)) >>> 0;
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.network)}/${c.prefix}`;
}

// ---- MAC addresses ----

/** Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabbccddeeff (any case). */
export function parseMac(s: string): string | undefined {
  const hex = s.trim().toLowerCase().replace(/[:\-.\s]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  const t = s.trim();
  const ok =
    /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(t) ||
    /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(t) ||
    /^[0-9a-f]{12}$/i.test(t);
  if (!ok) return undefined;
  return hex.match(/../g)!.join(':');
}

/** ASCII codes of "0123456789abcdef". */
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/**
 * Scratch text of formatHw: colon hex of up to 256 bytes (every MAC and client identifier). Made at
 * the first use: the renderer imports this module too, and a browser has no Buffer.
 */
let hwText: Buffer | undefined;

/**
 * Colon hex ("aa:bb:cc"), optionally with a leading byte `first` (a client key's hardware type).
 * Runs per packet (MAC and client identity): written into a scratch buffer and read out as one
 * flat string, instead of two small strings and a concatenation per byte.
 */
export function formatHw(bytes: Uint8Array, first?: number): string {
  const n = bytes.length + (first === undefined ? 0 : 1);
  if (n === 0) return '';
  if (n > 256 || typeof Buffer === 'undefined') {
    let out = first === undefined ? '' : hexByte(first);
    for (let i = 0; i < bytes.length; i++) out += out ? `:${hexByte(bytes[i]!)}` : hexByte(bytes[i]!);
    return out;
  }
  const text = (hwText ??= Buffer.alloc(256 * 3));
  let o = 0;
  if (first !== undefined) {
    text[0] = HEX_CODES[first >>> 4]!;
    text[1] = HEX_CODES[first & 15]!;
    o = 2;
  }
  for (let i = 0; i < bytes.length; i++) {
    if (o) text[o++] = 58; // ':'
    const b = bytes[i]!;
    text[o++] = HEX_CODES[b >>> 4]!;
    text[o++] = HEX_CODES[b & 15]!;
  }
  return text.toString('latin1', 0, o);
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
