// The fuzzing loop behind fuzz.test.ts, importable from a child process (no vitest here).
//
// Inputs come from a fast seeded PRNG (xorshift32), so one child does hundreds of thousands of
// cases a second and a failing case is reproducible from (seed, case index):
//   - mutations of the 43 real captured packets (byte/bit edits, cuts, growth, inserted or deleted
//     bytes, rewritten length octets, option TLVs spliced in at option boundaries);
//   - structured messages: a real header with hostile fields (hlen 0/17/255, op 2, spoofed giaddr)
//     and an options area built from interesting codes at boundary lengths, option 52 overload with
//     TLVs in file/sname (including 52 again, pointing at itself), RFC 3396 fragments, no END;
//   - random bytes behind a valid or broken magic cookie; and big messages (up to 64 KB).
// Every input goes through decode; anything but DecodeError is a failure. Whatever decodes goes
// through Engine.decide with an in-memory lease view that applies the writes like the repository
// does; the engine must not throw, every drop must name a reason, a reply must encode (or fail
// only with EncodeError for an echoed oversized option) and decode again, and no write may bind
// an address that another client holds. encode∘decode must be stable on what decodes.
import { decode, DecodeError, encode, encodeWithReport, EncodeError } from '../../../src-main/dhcp/codec.js';
import { parseConfig } from '../../../src-main/config/schema.js';
import { resolveConfig } from '../../../src-main/config/resolve.js';
import { Engine } from '../../../src-main/dhcp/engine.js';
import { DROP_REASONS } from '../../../src-main/dhcp/events.js';
import { ipToInt, type Ipv4 } from '../../../src-main/dhcp/ip.js';
import type { Lease, LeaseView } from '../../../src-main/dhcp/lease.js';
import type { DhcpPacket } from '../../../src-main/dhcp/packet.js';
import { PACKETS } from '../../fixtures/packets.js';

export interface FuzzStats {
  seed: number;
  cases: number;
  decodeCalls: number;
  decoded: number;
  decodeErrors: Record<string, number>;
  decided: number;
  replies: Record<string, number>;
  drops: Record<string, number>;
  roundTrips: number;
  replyEncodeErrors: number;
  maxDecodeMs: number;
  maxDecideMs: number;
  /** Input size of the slowest decode. */
  slowestDecodeBytes: number;
  /** The input of the slowest Engine.decide (hex), for a look when it is slow. */
  slowestDecide: { case: number; hex: string };
  failures: { case: number; what: string; hex: string }[];
  ms: number;
}

// ---- PRNG ----------------------------------------------------------------------------------

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    this.fill(b, 0, n);
    return b;
  }
  /** Random bytes into b[off, off + n). */
  fill(b: Uint8Array, off: number, n: number): void {
    const end = off + n;
    for (let i = off; i < end; i += 4) {
      const r = this.next();
      b[i] = r;
      if (i + 1 < end) b[i + 1] = r >>> 8;
      if (i + 2 < end) b[i + 2] = r >>> 16;
      if (i + 3 < end) b[i + 3] = r >>> 24;
    }
  }
}

// ---- inputs --------------------------------------------------------------------------------

const SEEDS: Uint8Array[] = PACKETS.map((f) => Uint8Array.from(Buffer.from(f.hex, 'hex')));
const INTERESTING_CODES = [1, 3, 6, 12, 15, 43, 50, 51, 52, 53, 54, 55, 57, 60, 61, 81, 82, 116, 118, 119, 121, 0, 255];
const BOUNDARY_LENGTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 64, 127, 128, 254, 255];
const ADDRESSES = [
  [0, 0, 0, 0],
  [198, 18, 10, 1], // the server
  [198, 18, 10, 7],
  [198, 18, 10, 120],
  [198, 18, 10, 255],
  [198, 18, 50, 1], // the relayed subnet
  [198, 18, 50, 15],
  [198, 18, 60, 1], // no subnet
  [255, 255, 255, 255],
];

/** Offsets of the option TLVs in the options field (stops at END or at a broken length). */
function optionOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  let p = 240;
  while (p < b.length) {
    out.push(p);
    const c = b[p]!;
    if (c === 255) break;
    if (c === 0) {
      p++;
      continue;
    }
    if (p + 1 >= b.length) break;
    p += 2 + b[p + 1]!;
  }
  return out;
}

/**
 * One option TLV written at `off` into `out` (which has room for 257 bytes there); returns its size.
 * The declared length and the bytes behind it disagree now and then (length past the end).
 */
function writeTlv(rng: Rng, out: Uint8Array, off: number): number {
  const code = rng.int(3) === 0 ? rng.int(256) : rng.pick(INTERESTING_CODES);
  const len = rng.int(3) === 0 ? rng.int(256) : rng.pick(BOUNDARY_LENGTHS);
  const actual = rng.int(8) === 0 ? rng.int(len + 1) : len;
  out[off] = code;
  out[off + 1] = len;
  const v = off + 2;
  if (code === 53 && actual >= 1) out[v] = rng.int(4) === 0 ? rng.int(256) : 1 + rng.int(8);
  else if (code === 52 && actual >= 1) out[v] = rng.int(5);
  else if (code === 82) writeSubOptions(rng, out, v, actual);
  else if ((code === 50 || code === 54 || code === 118) && actual === 4) out.set(rng.pick(ADDRESSES), v);
  else rng.fill(out, v, actual);
  return 2 + actual;
}

const TLV_SCRATCH = new Uint8Array(257);

function tlv(rng: Rng): Uint8Array {
  TLV_SCRATCH.fill(0);
  return TLV_SCRATCH.slice(0, writeTlv(rng, TLV_SCRATCH, 0));
}

/** Option 82 content into out[off, off + n): sub-options 1, 2, 5 (link selection), 19 (relay port), some broken. */
function writeSubOptions(rng: Rng, out: Uint8Array, off: number, n: number): void {
  let p = 0;
  while (p + 2 <= n) {
    const code = rng.pick([1, 2, 5, 19, rng.int(256)]);
    const len = code === 5 && rng.int(2) === 0 ? 4 : rng.int(Math.min(12, n - p));
    out[off + p] = code;
    out[off + p + 1] = len;
    if (code === 5 && len === 4 && p + 6 <= n) out.set(rng.pick(ADDRESSES), off + p + 2);
    p += 2 + len;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function mutateSeed(rng: Rng): Uint8Array {
  let b: Uint8Array = rng.pick(SEEDS).slice();
  const n = 1 + rng.int(6);
  for (let k = 0; k < n; k++) {
    const pos = rng.int(Math.max(1, b.length));
    switch (rng.int(9)) {
      case 0:
      case 1:
        if (b.length) b[pos] = rng.next() & 255;
        break;
      case 2:
        if (b.length) b[pos] = b[pos]! ^ (1 << rng.int(8));
        break;
      case 3:
        b = b.slice(0, rng.int(b.length + 1));
        break;
      case 4:
        b = concat([b, rng.bytes(1 + rng.int(300))]);
        break;
      case 5: {
        const at = Math.min(pos, b.length);
        b = concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]);
        break;
      }
      case 6: {
        const cut = 1 + rng.int(8);
        b = concat([b.subarray(0, pos), b.subarray(Math.min(b.length, pos + cut))]);
        break;
      }
      case 7: {
        // Rewrite the length octet of a real option.
        const offs = optionOffsets(b).filter((o) => b[o] !== 0 && b[o] !== 255 && o + 1 < b.length);
        if (offs.length) b[rng.pick(offs) + 1] = rng.int(2) ? rng.pick(BOUNDARY_LENGTHS) : rng.int(256);
        break;
      }
      case 8: {
        // Splice an option in at an option boundary.
        const offs = optionOffsets(b);
        const at = offs.length ? rng.pick(offs) : Math.min(pos, b.length);
        b = concat([b.subarray(0, at), tlv(rng), b.subarray(at)]);
        break;
      }
    }
  }
  return b;
}

function fillArea(rng: Rng, b: Uint8Array, start: number, len: number): void {
  let p = start;
  const end = start + len;
  while (p < end) {
    const r = rng.int(10);
    if (r === 0) {
      b[p] = 255; // END
      return;
    }
    if (r === 1) {
      // 52 inside file/sname: an overload pointing at itself (must be ignored there).
      if (p + 3 > end) return;
      b.set([52, 1, 1 + rng.int(3)], p);
      p += 3;
      continue;
    }
    const t = tlv(rng);
    const room = Math.min(t.length, end - p);
    b.set(t.subarray(0, room), p);
    p += room;
  }
}

const STRUCTURED_SCRATCH = new Uint8Array(8192);
/** Bytes of the scratch the last message used (zeroed again before the next one). */
let structuredUsed = 0;

function structured(rng: Rng): Uint8Array {
  const header = rng.pick(SEEDS).slice(0, 240);
  if (header.length < 240) return header;
  header.set([0x63, 0x82, 0x53, 0x63], 236);
  if (rng.int(6) === 0) header[0] = rng.pick([2, 0, 3, rng.int(256)]);
  if (rng.int(5) === 0) header[2] = rng.pick([0, 1, 6, 16, 17, 20, 255]);
  if (rng.int(3) === 0) header.set(rng.pick(ADDRESSES), 24); // giaddr
  if (rng.int(4) === 0) header.set(rng.pick(ADDRESSES), 12); // ciaddr
  if (rng.int(4) === 0) header.set(rng.bytes(6), 28); // chaddr: another client
  else header[33] = rng.int(16); // one of 16 clients of this seed
  // Written into one zeroed scratch buffer (at most 240 + 6 + 11 × 7 × 41 + 12 × 257 + 1 bytes),
  // copied out once: no array per option.
  const w = STRUCTURED_SCRATCH;
  w.fill(0, 0, structuredUsed);
  w.set(header, 0);
  let o = 240;
  if (rng.int(3) !== 0) {
    w.set([53, 1, rng.int(5) === 0 ? rng.int(256) : 1 + rng.int(8)], o);
    o += 3;
  }
  const overload = rng.int(4) === 0 ? rng.pick([1, 2, 3, 0, 4, 255]) : -1;
  if (overload >= 0) {
    w.set([52, 1, overload], o);
    o += 3;
  }
  const n = rng.int(12);
  for (let i = 0; i < n; i++) {
    if (rng.int(8) === 0) {
      // RFC 3396: one code in several fragments.
      const code = rng.pick([12, 55, 61, 81, 82, 43, 121]);
      const k = 2 + rng.int(6);
      for (let j = 0; j < k; j++) {
        const len = rng.int(40);
        w[o] = code;
        w[o + 1] = len;
        if (code === 82) writeSubOptions(rng, w, o + 2, len);
        else rng.fill(w, o + 2, len);
        o += 2 + len;
      }
    } else o += writeTlv(rng, w, o);
  }
  if (rng.int(5) !== 0) w[o++] = 255;
  structuredUsed = o;
  let b = w.slice(0, o);
  if (overload >= 0) {
    if (overload & 1) fillArea(rng, b, 108, 128);
    if (overload & 2) fillArea(rng, b, 44, 64);
  }
  if (rng.int(10) === 0) b = b.slice(0, 236 + rng.int(Math.max(1, b.length - 235)));
  return b;
}

function randomBytes(rng: Rng): Uint8Array {
  const b = rng.bytes(200 + rng.int(500));
  if (b.length >= 240 && rng.int(3) !== 0) b.set([0x63, 0x82, 0x53, 0x63], 236);
  if (b.length > 2 && rng.int(2) === 0) b[2] = rng.int(17);
  return b;
}

/** Up to 64 KB: long runs of small fragments of one code, pads, or random TLVs. */
function big(rng: Rng): Uint8Array {
  const size = rng.int(4) === 0 ? 65_000 + rng.int(507) : 600 + rng.int(8000);
  const b = new Uint8Array(size);
  b.set(rng.pick(SEEDS).subarray(0, 236));
  b.set([0x63, 0x82, 0x53, 0x63], 236);
  b.set([53, 1, 1], 240);
  let p = 243;
  const code = rng.pick([12, 61, 82, 55, 0]);
  const frag = rng.int(4);
  while (p + 2 + frag < size - 1) {
    if (code === 0) {
      p++;
      continue;
    }
    b[p] = code;
    b[p + 1] = frag;
    p += 2 + frag;
  }
  b[p] = 255;
  return b;
}

export function generate(rng: Rng): Uint8Array {
  const r = rng.int(1000);
  if (r < 560) return mutateSeed(rng);
  if (r < 860) return structured(rng);
  if (r < 998) return randomBytes(rng);
  return big(rng);
}

// ---- the engine under fuzz ---------------------------------------------------------------------

class CheckedLeases implements LeaseView {
  readonly ips = new Map<Ipv4, Lease>();
  readonly clients = new Map<string, Lease>();
  byIp(ip: Ipv4): Lease | undefined {
    return this.ips.get(ip);
  }
  byClient(id: string): Lease | undefined {
    return this.clients.get(id);
  }
  /** Applies writes like LeaseIndex; returns a complaint if a write binds an address another client still holds. */
  apply(writes: Lease[], now: number): string | undefined {
    let problem: string | undefined;
    for (const l of writes) {
      const cur = this.ips.get(l.ip);
      if (l.state === 'bound' && cur && cur.state === 'bound' && cur.expiresAt > now && cur.clientId !== l.clientId) {
        problem ??= `bound ${l.ip} to ${l.clientId} while ${cur.clientId} holds it until ${cur.expiresAt}`;
      }
      this.ips.set(l.ip, l);
      const c = this.clients.get(l.clientId);
      if (!c || c.ip === l.ip || l.lastSeen >= c.lastSeen) this.clients.set(l.clientId, l);
    }
    return problem;
  }
  all(): Lease[] {
    return [...this.ips.values()];
  }
}

export function fuzzEngine(): Engine {
  const cfg = parseConfig({
    interface: 'sv0',
    leaseTime: 600,
    maxOfferHolds: 40,
    subnets: [
      { subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1', dns: '198.18.10.53', domain: 'lab.test', options: { 'ntp-servers': ['198.18.10.1'], 'tftp-server-name': 'boot.lab.test' } },
      { subnet: '198.18.50.0/24', range: '198.18.50.10-198.18.50.20', router: '198.18.50.1' },
    ],
    reservations: [
      { mac: '02:00:5e:10:00:42', ip: '198.18.10.42', hostname: 'reserved-box' },
      { mac: '00:00:00:00:00:00', ip: '198.18.10.43' },
    ],
  });
  return new Engine(resolveConfig(cfg, { address: '198.18.10.1', prefix: 24 }));
}

const POOLS: [number, number][] = [
  [ipToInt('198.18.10.100'), ipToInt('198.18.10.150')],
  [ipToInt('198.18.50.10'), ipToInt('198.18.50.20')],
];
const RESERVED = new Set(['198.18.10.42', '198.18.10.43']);
const MESSAGE_NAMES = ['?', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

function addressable(ip: Ipv4): boolean {
  if (RESERVED.has(ip)) return true;
  const n = ipToInt(ip);
  return POOLS.some(([a, b]) => n >= a && n <= b);
}

function sourceFor(rng: Rng, p: DhcpPacket): { address: string; port: number } {
  if (p.giaddr !== '0.0.0.0' && rng.int(5) !== 0) return { address: p.giaddr, port: 67 };
  if (p.ciaddr !== '0.0.0.0' && rng.int(2) === 0) return { address: p.ciaddr, port: 68 };
  return rng.int(2) === 0 ? { address: '0.0.0.0', port: 68 } : { address: `198.18.10.${rng.int(256)}`, port: rng.pick([68, 67, 1234]) };
}

const inc = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

/** Calls slower than this are timed again (best of 3). */
const RETIME_MS = 20;

function retime(f: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    try {
      f();
    } catch {
      // timing only
    }
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function decodeQuietly(b: Uint8Array): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    decode(b);
  } catch {
    // timing only
  } finally {
    Error.stackTraceLimit = limit;
  }
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * Runs inputs from `seed` until `decodeBudget` decode calls have been made (inputs, re-decoded
 * encodings and our own replies). Pure CPU; returns counts and at most 10 failures.
 */
export function runFuzz(seed: number, decodeBudget: number): FuzzStats {
  const rng = new Rng(seed);
  const engine = fuzzEngine();
  const leases = new CheckedLeases();
  let now = Date.UTC(2026, 10, 23, 9, 0, 0);
  const s: FuzzStats = {
    seed, cases: 0, decodeCalls: 0, decoded: 0, decodeErrors: {}, decided: 0, replies: {}, drops: {}, roundTrips: 0,
    replyEncodeErrors: 0, maxDecodeMs: 0, maxDecideMs: 0, slowestDecodeBytes: 0, slowestDecide: { case: -1, hex: '' }, failures: [], ms: 0,
  };
  const fail = (i: number, what: string, b: Uint8Array): void => {
    if (s.failures.length < 10) s.failures.push({ case: i, what, hex: hex(b) });
  };
  const t0 = performance.now();
  const stackLimit = Error.stackTraceLimit;
  for (let i = 0; s.decodeCalls < decodeBudget; i++) {
    s.cases++;
    const input = generate(rng);
    let p: DhcpPacket;
    const td = performance.now();
    try {
      s.decodeCalls++;
      // Three in four inputs end in a DecodeError; its stack trace is most of the cost of a call
      // and is not needed (a failure is reproduced from the seed and the case number).
      Error.stackTraceLimit = 0;
      p = decode(input);
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        fail(i, `decode threw ${String(e)}`, input);
        continue;
      }
      if (!(e.offset >= 0 && e.offset <= input.length)) fail(i, `DecodeError offset ${e.offset} outside the ${input.length}-byte input`, input);
      inc(s.decodeErrors, e.field);
      continue;
    } finally {
      Error.stackTraceLimit = stackLimit;
      let dt = performance.now() - td;
      // A slow call on a busy machine is usually a GC pause or the scheduler: time the same input
      // again and keep the best, so that only an input that is slow every time counts.
      if (dt > RETIME_MS) dt = Math.min(dt, retime(() => decodeQuietly(input)));
      if (dt > s.maxDecodeMs) {
        s.maxDecodeMs = dt;
        s.slowestDecodeBytes = input.length;
      }
    }
    s.decoded++;

    // encode∘decode: one normalisation, then a fixed point (sname/file that fill their field
    // without a NUL cannot be re-encoded as they are: the engine never echoes them).
    if (p.sname.length <= 63 && p.file.length <= 127) {
      try {
        const once = encode(p, { maxSize: 0xffff });
        s.decodeCalls++;
        const again = decode(once);
        const twice = encode(again, { maxSize: 0xffff });
        if (!Buffer.from(once).equals(Buffer.from(twice))) fail(i, 'encode∘decode is not stable', input);
        s.roundTrips++;
      } catch (e) {
        fail(i, `round trip threw ${String(e)}`, input);
      }
    }

    // The engine, with the source a real network would show for such a message.
    now += rng.int(3) === 0 ? rng.int(120_000) : 10;
    const te = performance.now();
    let problem: string | undefined;
    try {
      const d = engine.decide({ packet: p, source: sourceFor(rng, p) }, { now, leases });
      s.decided++;
      problem = leases.apply(d.writes, now);
      if (d.drop !== undefined) {
        inc(s.drops, d.drop);
        if (!(d.drop in DROP_REASONS)) problem ??= `unnamed drop reason ${d.drop}`;
        if (d.reply) problem ??= `drop ${d.drop} with a reply`;
        if (!d.events.some((e) => e.type === 'drop' && e.reason === d.drop)) problem ??= `drop ${d.drop} without its drop event`;
      }
      if (d.reply) {
        const rp = d.reply.packet;
        const type = rp.options.get(53)?.[0] ?? 0;
        inc(s.replies, MESSAGE_NAMES[type] ?? String(type));
        if (rp.yiaddr !== '0.0.0.0' && !addressable(rp.yiaddr)) problem ??= `${MESSAGE_NAMES[type]} of ${rp.yiaddr}, outside every pool and reservation`;
        if (rp.yiaddr === '198.18.10.1') problem ??= "offered the server's own address";
        try {
          const { bytes } = encodeWithReport(rp, { maxSize: d.reply.maxSize });
          // RFC 3046 §2.2: option 82 is echoed whole, whatever its size; the relay agent (or the
          // snooping switch, when giaddr is 0) strips it before the client sees the reply.
          const relay = rp.options.get(82);
          const echoed = relay ? relay.length + 2 * Math.max(1, Math.ceil(relay.length / 255)) : 0;
          if (bytes.length - echoed > Math.max(548, d.reply.maxSize)) problem ??= `reply of ${bytes.length} bytes (${echoed} of them echoed option 82) exceeds ${d.reply.maxSize}`;
          s.decodeCalls++;
          decode(bytes); // a client must be able to read what we send
        } catch (e) {
          if (e instanceof EncodeError) s.replyEncodeErrors++;
          else problem ??= `reply did not survive encode/decode: ${String(e)}`;
        }
      }
    } catch (e) {
      problem = `engine threw ${(e as Error)?.stack ?? String(e)}`;
    }
    let de = performance.now() - te;
    if (de > RETIME_MS) de = Math.min(de, retime(() => engine.decide({ packet: p, source: { address: '0.0.0.0', port: 68 } }, { now, leases })));
    if (de > s.maxDecideMs) {
      s.maxDecideMs = de;
      s.slowestDecide = { case: i, hex: hex(input) };
    }
    if (rng.int(500) === 0) {
      try {
        const sw = engine.sweep({ now, leases }, leases.all());
        problem ??= leases.apply(sw.writes, now);
      } catch (e) {
        problem ??= `sweep threw ${(e as Error)?.stack ?? String(e)}`;
      }
    }
    if (problem) fail(i, problem, input);
  }
  s.ms = Math.round(performance.now() - t0);
  return s;
}
