// The wire codec: bytes ⇄ DhcpPacket. Decode validates every read against the buffer length before
// making it and reports problems through exactly one error type, DecodeError (field + offset);
// anything else thrown from here is a bug. Encode is deterministic: option 53 first, 82 last
// (RFC 3046 §2.1), long options split (RFC 3396), overload into file/sname when the client's
// maximum message size demands it (RFC 2131 §4.1, RFC 2132 §9.3), padded to the 300-byte BOOTP
// minimum (RFC 1542 §2.1).
import { readIp, writeIp, ZERO_IP, type Ipv4 } from './ip.js';
import { decodeLatin1, type OptionMap } from './options.js';
import type { DhcpPacket } from './packet.js';

export const MAGIC_COOKIE = 0x63825363;
const HEADER_LEN = 236;
const OPTIONS_START = 240;
const SNAME_OFF = 44;
const SNAME_LEN = 64;
const FILE_OFF = 108;
const FILE_LEN = 128;
/** RFC 1542 §2.1: some relay agents drop BOOTP messages shorter than 300 octets. */
export const BOOTP_MIN_LEN = 300;
/** RFC 2131 §2: a client must accept options of at least 312 octets: 236 + 312 = 548. */
export const DEFAULT_MAX_MESSAGE = 548;
const OPT_PAD = 0;
const OPT_END = 255;
const OPT_OVERLOAD = 52;
const OPT_MESSAGE_TYPE = 53;
const OPT_RELAY_AGENT = 82;

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    /** Which part of the message was wrong: 'header', 'magic-cookie', 'hlen', 'options', 'file', 'sname'. */
    readonly field: string,
    /** Byte offset in the UDP payload where the problem is. */
    readonly offset: number,
    detail: string,
  ) {
    super(`${field} at offset ${offset}: ${detail}`);
  }
}


function readText(buf: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && buf[end] !== 0) end++;
  return end === off ? '' : decodeLatin1(buf.subarray(off, end));
}

/**
 * Parses one options area into `options`. Each value is a copy (never a view of the receive
 * buffer); a code seen again is appended to what is there (RFC 3396 §5 concatenation, in the
 * order the areas are parsed; the map keeps the position of the first occurrence).
 * Returns the overload value if `allowOverload` and option 52 was present.
 */
function parseArea(
  buf: Uint8Array,
  start: number,
  end: number,
  field: string,
  options: OptionMap,
  allowOverload: boolean,
  repeats: Map<number, Uint8Array[]>,
): number {
  let overload = 0;
  let p = start;
  while (p < end) {
    const code = buf[p]!;
    if (code === OPT_PAD) {
      p++;
      continue;
    }
    if (code === OPT_END) return overload;
    if (p + 1 >= end) throw new DecodeError(field, p, `option ${code} has no length octet`);
    const len = buf[p + 1]!;
    if (p + 2 + len > end) throw new DecodeError(field, p, `option ${code} (length ${len}) runs past the end of the ${field} area`);
    if (code === OPT_OVERLOAD) {
      // RFC 2132 §9.3: only honoured in the options field; one inside file/sname would let a
      // packet point at itself, so it is ignored there.
      if (allowOverload) {
        const value = buf[p + 2]!;
        if (len !== 1 || value < 1 || value > 3) throw new DecodeError(field, p, `option 52 must be one octet 1–3`);
        overload = value;
      }
    } else {
      const earlier = options.get(code);
      // slice() of the plain Uint8Array view: the copy, without a view made first.
      if (earlier === undefined) options.set(code, buf.slice(p + 2, p + 2 + len));
      else {
        // Joined once at the end (joinRepeats): appending here would copy the value again per
        // fragment, quadratic in a hostile message of thousands of 1-byte fragments of one code.
        const data = buf.subarray(p + 2, p + 2 + len);
        const list = repeats.get(code);
        if (list) list.push(data);
        else repeats.set(code, [earlier, data]);
      }
    }
    p += 2 + len;
  }
  // A missing END option is tolerated when the area is simply exhausted (some embedded clients).
  return overload;
}

const REPEATS = new Map<number, Uint8Array[]>();

/** RFC 3396 §5 concatenation of the codes that came in several fragments; keeps each code's map position. */
function joinRepeats(options: OptionMap, repeats: Map<number, Uint8Array[]>): void {
  for (const [code, parts] of repeats) {
    let total = 0;
    for (const part of parts) total += part.length;
    const joined = new Uint8Array(total);
    let off = 0;
    for (const part of parts) {
      joined.set(part, off);
      off += part.length;
    }
    options.set(code, joined);
  }
}

/** Most header addresses of a request are 0.0.0.0: share one string rather than build four. */
function readAddress(buf: Uint8Array, off: number): Ipv4 {
  return buf[off] === 0 && buf[off + 1] === 0 && buf[off + 2] === 0 && buf[off + 3] === 0 ? ZERO_IP : readIp(buf, off);
}

export function decode(input: Uint8Array): DhcpPacket {
  // A Node Buffer's slice() is a view, not a copy: decoded from one, chaddr and every option would
  // alias the receive buffer. Work on a plain Uint8Array view so slice() copies.
  const buf = Buffer.isBuffer(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : input;
  if (buf.length < HEADER_LEN) throw new DecodeError('header', buf.length, `message is ${buf.length} bytes, shorter than the ${HEADER_LEN}-byte BOOTP header`);
  if (buf.length < OPTIONS_START) throw new DecodeError('magic-cookie', HEADER_LEN, 'message ends before the magic cookie');
  const cookie = ((buf[236]! << 24) | (buf[237]! << 16) | (buf[238]! << 8) | buf[239]!) >>> 0;
  if (cookie !== MAGIC_COOKIE) throw new DecodeError('magic-cookie', HEADER_LEN, `0x${cookie.toString(16).padStart(8, '0')} is not the DHCP magic cookie 0x63825363`);
  const hlen = buf[2]!;
  if (hlen > 16) throw new DecodeError('hlen', 2, `hardware address length ${hlen} exceeds the 16-byte chaddr field`);

  const options: OptionMap = new Map();
  // Scratch shared by every call (decode is synchronous): no allocation for the common message
  // without repeated codes. Emptied at the start of every call and after a successful one.
  const repeats = REPEATS;
  repeats.clear();
  const overload = parseArea(buf, OPTIONS_START, buf.length, 'options', options, true, repeats);
  // RFC 3396 §5: concatenate in the order options, file, sname.
  if (overload & 1) parseArea(buf, FILE_OFF, FILE_OFF + FILE_LEN, 'file', options, false, repeats);
  if (overload & 2) parseArea(buf, SNAME_OFF, SNAME_OFF + SNAME_LEN, 'sname', options, false, repeats);
  if (repeats.size > 0) {
    joinRepeats(options, repeats);
    repeats.clear();
  }
  // Option 52 is framing, consumed here; encode derives it again when needed.

  return {
    op: buf[0]!,
    htype: buf[1]!,
    hlen,
    hops: buf[3]!,
    xid: ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0,
    secs: (buf[8]! << 8) | buf[9]!,
    flags: (buf[10]! << 8) | buf[11]!,
    ciaddr: readAddress(buf, 12),
    yiaddr: readAddress(buf, 16),
    siaddr: readAddress(buf, 20),
    giaddr: readAddress(buf, 24),
    chaddr: buf.slice(28, 44),
    sname: overload & 2 ? '' : readText(buf, SNAME_OFF, SNAME_LEN),
    file: overload & 1 ? '' : readText(buf, FILE_OFF, FILE_LEN),
    options,
  };
}

export interface EncodeOptions {
  /** Largest UDP payload the receiver accepts (from the client's option 57 minus IP+UDP headers). */
  maxSize?: number;
}

export interface EncodeResult {
  bytes: Uint8Array;
  /** Options that did not fit even with overload, in the order they were dropped. */
  omitted: number[];
}

export class EncodeError extends Error {
  override name = 'EncodeError';
}

/** One option split into ≤255-byte fragments (RFC 3396 §6). A zero-length option stays one fragment. */
function fragments(code: number, data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  do {
    const len = Math.min(255, data.length - off);
    const frag = new Uint8Array(2 + len);
    frag[0] = code;
    frag[1] = len;
    frag.set(data.subarray(off, off + len), 2);
    out.push(frag);
    off += len;
  } while (off < data.length);
  return out;
}

function encodedLength(frags: Uint8Array[]): number {
  let n = 0;
  for (const f of frags) n += f.length;
  return n;
}

/** Options in deterministic wire order: 53 first, then insertion order, 82 last; 52 is derived. */
function orderedOptions(options: OptionMap): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  const first = options.get(OPT_MESSAGE_TYPE);
  if (first) out.push([OPT_MESSAGE_TYPE, first]);
  for (const [code, data] of options) {
    if (code === OPT_MESSAGE_TYPE || code === OPT_RELAY_AGENT || code === OPT_OVERLOAD || code === OPT_PAD || code === OPT_END) continue;
    out.push([code, data]);
  }
  const last = options.get(OPT_RELAY_AGENT);
  if (last) out.push([OPT_RELAY_AGENT, last]);
  return out;
}

/**
 * Splits one option over the areas' remaining room, in area order (RFC 3396 lets a long option be
 * cut anywhere; the receiver concatenates in options, file, sname order). null when it cannot fit.
 */
function planFragments(code: number, data: Uint8Array, room: number[]): { area: number; frag: Uint8Array }[] | null {
  // An option that fits whole in one area goes there unsplit: RFC 3396 §4 splits only what must be
  // split, and clients that predate RFC 3396 would otherwise see two half options.
  if (data.length <= 255) {
    const whole = room.findIndex((r) => r >= 2 + data.length);
    if (whole >= 0) {
      room[whole]! -= 2 + data.length;
      return [{ area: whole, frag: fragments(code, data)[0]! }];
    }
  }
  const plan: { area: number; frag: Uint8Array }[] = [];
  let off = 0;
  let area = 0;
  do {
    while (area < room.length && room[area]! < 2 + Math.min(1, data.length - off)) area++;
    if (area === room.length) return null;
    const len = Math.min(255, room[area]! - 2, data.length - off);
    const frag = new Uint8Array(2 + len);
    frag[0] = code;
    frag[1] = len;
    frag.set(data.subarray(off, off + len), 2);
    plan.push({ area, frag });
    room[area]! -= frag.length;
    off += len;
  } while (off < data.length);
  return plan;
}

/**
 * Options a reply cannot lose when space runs out: RFC 2131 §4.3.1 table 3 "MUST" (53, 54, 51),
 * RFC 6842 §3 (61: "MUST return … unaltered"), RFC 3046 §2.2 (82: "SHALL echo").
 */
const ESSENTIAL = new Set([OPT_MESSAGE_TYPE, 54, 51, 61, OPT_RELAY_AGENT]);

function writeHeader(buf: Uint8Array, p: DhcpPacket, useFile: boolean, useSname: boolean): void {
  buf[0] = p.op;
  buf[1] = p.htype;
  buf[2] = p.hlen;
  buf[3] = p.hops;
  buf[4] = p.xid >>> 24;
  buf[5] = (p.xid >>> 16) & 255;
  buf[6] = (p.xid >>> 8) & 255;
  buf[7] = p.xid & 255;
  buf[8] = p.secs >>> 8;
  buf[9] = p.secs & 255;
  buf[10] = p.flags >>> 8;
  buf[11] = p.flags & 255;
  // The buffer is zero-filled: 0.0.0.0 and empty names need no writing.
  if (p.ciaddr !== ZERO_IP) writeIp(buf, 12, p.ciaddr);
  if (p.yiaddr !== ZERO_IP) writeIp(buf, 16, p.yiaddr);
  if (p.siaddr !== ZERO_IP) writeIp(buf, 20, p.siaddr);
  if (p.giaddr !== ZERO_IP) writeIp(buf, 24, p.giaddr);
  buf.set(p.chaddr.length > 16 ? p.chaddr.subarray(0, 16) : p.chaddr, 28);
  if (!useSname && p.sname !== '') writeText(buf, SNAME_OFF, SNAME_LEN, p.sname, 'sname');
  if (!useFile && p.file !== '') writeText(buf, FILE_OFF, FILE_LEN, p.file, 'file');
  buf[236] = 0x63;
  buf[237] = 0x82;
  buf[238] = 0x53;
  buf[239] = 0x63;
}

function writeText(buf: Uint8Array, off: number, len: number, text: string, field: string): void {
  const bytes = Buffer.from(text, 'latin1');
  // Keep room for a terminating NUL: clients treat these as C strings.
  if (bytes.length > len - 1) throw new EncodeError(`${field} "${text}" is longer than ${len - 1} characters`);
  buf.set(bytes, off);
}

/** Wire length of one option split into ≤255-byte fragments (RFC 3396 §6); a zero-length option is one fragment. */
function fragmentedLength(dataLength: number): number {
  return dataLength + 2 * Math.max(1, Math.ceil(dataLength / 255));
}

/** Whether an option takes part in the encoding order at all (52 is derived; 0 and 255 are framing). */
function isEncodable(code: number): boolean {
  return code !== OPT_OVERLOAD && code !== OPT_PAD && code !== OPT_END;
}

/** Writes one option in place, split as fragments() would split it; returns the new offset. */
function writeOption(buf: Uint8Array, off: number, code: number, data: Uint8Array): number {
  let pos = 0;
  do {
    const len = Math.min(255, data.length - pos);
    buf[off] = code;
    buf[off + 1] = len;
    buf.set(len === data.length ? data : data.subarray(pos, pos + len), off + 2);
    off += 2 + len;
    pos += len;
  } while (pos < data.length);
  return off;
}

// Encoded messages are views of a shared slab rather than an ArrayBuffer each: a fresh ArrayBuffer
// of a few hundred bytes is an off-heap allocation the garbage collector has to track and free
// (~1 µs, measured), a view of the slab ~0.1 µs. A slab is fresh memory (zero-filled, as the
// header writer expects) and no byte of it is handed out twice; once used up, the next one is
// made, and the old one lives as long as views of it do (a reply: until its datagram is sent).
const SLAB_BYTES = 64 * 1024;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/** `new Uint8Array(n)` (zero-filled, owned by the caller), cut from the slab. */
function zeroedBytes(n: number): Uint8Array {
  if (n > SLAB_BYTES / 8) return new Uint8Array(n);
  if (slabUsed + n > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed += (n + 7) & ~7;
  return out;
}

export function encodeWithReport(p: DhcpPacket, opts: EncodeOptions = {}): EncodeResult {
  const maxSize = Math.max(DEFAULT_MAX_MESSAGE, opts.maxSize ?? DEFAULT_MAX_MESSAGE);

  // Common case: everything fits in the options field. Written straight into the one buffer, in
  // the order orderedOptions() defines (53 first, then insertion order, 82 last).
  // (Keys and get(), not entries: iterating a Map's entries allocated a [code, data] pair per
  // option, ~1 KB per reply, measured.)
  let total = 0;
  for (const code of p.options.keys()) if (isEncodable(code)) total += fragmentedLength(p.options.get(code)!.length);
  if (OPTIONS_START + total + 1 <= maxSize) {
    const buf = zeroedBytes(Math.max(BOOTP_MIN_LEN, OPTIONS_START + total + 1));
    writeHeader(buf, p, false, false);
    let off = OPTIONS_START;
    const first = p.options.get(OPT_MESSAGE_TYPE);
    if (first) off = writeOption(buf, off, OPT_MESSAGE_TYPE, first);
    for (const code of p.options.keys()) {
      if (code === OPT_MESSAGE_TYPE || code === OPT_RELAY_AGENT || !isEncodable(code)) continue;
      off = writeOption(buf, off, code, p.options.get(code)!);
    }
    const last = p.options.get(OPT_RELAY_AGENT);
    if (last) off = writeOption(buf, off, OPT_RELAY_AGENT, last);
    buf[off] = OPT_END;
    return { bytes: buf, omitted: [] };
  }

  const entries = orderedOptions(p.options).map(([code, data]) => ({ code, data, frags: fragments(code, data) }));
  const omitted: number[] = [];

  // Overload: fill the options field (keeping room for 52 and END), then file, then sname — the
  // order in which RFC 3396 §5 tells the receiver to concatenate. A field already carrying a boot
  // file or server name is not available.
  const areas: { start: number; cap: number; used: Uint8Array[] }[] = [
    { start: OPTIONS_START, cap: maxSize - OPTIONS_START - 3 - 1, used: [] },
  ];
  const fileFree = p.file === '';
  const snameFree = p.sname === '';
  if (fileFree) areas.push({ start: FILE_OFF, cap: FILE_LEN - 1, used: [] });
  if (snameFree) areas.push({ start: SNAME_OFF, cap: SNAME_LEN - 1, used: [] });
  const relay = entries.at(-1)?.code === OPT_RELAY_AGENT ? entries.pop()! : undefined;
  if (relay) areas[0]!.cap -= encodedLength(relay.frags);
  const essential = entries.filter((e) => ESSENTIAL.has(e.code));
  const optional = entries.filter((e) => !ESSENTIAL.has(e.code));
  const fill = (list: typeof entries) => {
    for (const e of list) {
      const plan = planFragments(e.code, e.data, areas.map((a) => a.cap - encodedLength(a.used)));
      if (!plan) {
        omitted.push(e.code);
        continue;
      }
      for (const { area, frag } of plan) areas[area]!.used.push(frag);
    }
  };
  fill(essential);
  if (omitted.length) throw new EncodeError(`essential options ${omitted.join(', ')} do not fit in ${maxSize} bytes`);
  fill(optional);

  // Keep the caller's option order within each area: sort by the original entry index.
  const order = new Map(entries.map((e, i) => [e.code, i]));
  for (const a of areas) a.used.sort((x, y) => order.get(x[0]!)! - order.get(y[0]!)!);

  const useFile = fileFree && areas.some((a) => a.start === FILE_OFF && a.used.length);
  const useSname = snameFree && areas.some((a) => a.start === SNAME_OFF && a.used.length);
  const main = areas[0]!;
  const mainLen = encodedLength(main.used) + (useFile || useSname ? 3 : 0) + (relay ? encodedLength(relay.frags) : 0) + 1;
  const buf = zeroedBytes(Math.max(BOOTP_MIN_LEN, OPTIONS_START + mainLen));
  writeHeader(buf, p, useFile, useSname);
  let off = OPTIONS_START;
  // 53 first, then 52 (RFC 2131 §4.1: 52 MUST be in the options field; a packet without 53 still
  // needs it), then the rest.
  const put = (f: Uint8Array) => {
    buf.set(f, off);
    off += f.length;
  };
  for (const f of main.used) if (f[0] === OPT_MESSAGE_TYPE) put(f);
  if (useFile || useSname) put(Uint8Array.of(OPT_OVERLOAD, 1, (useFile ? 1 : 0) | (useSname ? 2 : 0)));
  for (const f of main.used) if (f[0] !== OPT_MESSAGE_TYPE) put(f);
  if (relay) for (const f of relay.frags) (buf.set(f, off), (off += f.length));
  buf[off] = OPT_END;
  for (const a of areas.slice(1)) {
    if (!a.used.length) continue;
    let o = a.start;
    for (const f of a.used) (buf.set(f, o), (o += f.length));
    buf[o] = OPT_END;
  }
  return { bytes: buf, omitted };
}

export function encode(p: DhcpPacket, opts: EncodeOptions = {}): Uint8Array {
  return encodeWithReport(p, opts).bytes;
}

/** RFC 2132 §9.10 counts the whole IP datagram; the UDP payload is 28 bytes less (IP 20 + UDP 8). */
export function maxPayloadFromOption57(value: number | undefined): number {
  if (value === undefined || value < 576) return DEFAULT_MAX_MESSAGE;
  return value - 28;
}
