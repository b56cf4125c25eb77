// Property tests (fast-check) for the codec and, through it, the engine's robustness:
//  - decode throws nothing but DecodeError, on random bytes and on mutated real messages;
//  - decode(encode(x)) equals x for generated valid packets (with the codec's normalisations:
//    sname/file are text up to the first NUL, option 52 is framing and consumed, codes 0 and 255
//    never appear in the map, repeated codes are concatenated, 53 is first and 82 last);
//  - encode∘decode is idempotent after one normalisation;
//  - the engine never throws on anything decode accepts.
// Run counts add up to > 50,000 and finish in a few seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, DecodeError, encode, EncodeError, encodeWithReport } from '../../../src-main/dhcp/codec.js';
import { Engine } from '../../../src-main/dhcp/engine.js';
import { DROP_REASONS } from '../../../src-main/dhcp/events.js';
import { intToIp } from '../../../src-main/dhcp/ip.js';
import { emptyPacket, type DhcpPacket } from '../../../src-main/dhcp/packet.js';
import { PACKETS } from '../../fixtures/packets.js';
import { PUBLIC_PACKETS } from '../../fixtures/public-packets.js';
import { labConfig, MemoryLeases, subnet, syntheticPackets } from '../../helpers/fake-dhcp.js';

/** Real captured messages plus hand-built ones (an overloaded reply, a relayed request with 82). */
const SEEDS: Uint8Array[] = [...syntheticPackets(), ...[...PACKETS, ...PUBLIC_PACKETS].map((f) => Uint8Array.from(Buffer.from(f.hex, 'hex')))];

/** decode, turning "anything but DecodeError" into a test failure with the input attached. */
function decodeOrDecodeError(bytes: Uint8Array): DhcpPacket | undefined {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) {
      // Plain checks rather than expect(): these run 50,000 times.
      if (typeof e.field !== 'string' || !(e.offset >= 0 && e.offset <= bytes.length)) throw new Error(`DecodeError without a usable field/offset: ${e.message}`);
      return undefined;
    }
    throw new Error(`decode threw ${String(e)} on ${Buffer.from(bytes).toString('hex')}`);
  }
}

function wellFormed(p: DhcpPacket): void {
  if (p.chaddr.length !== 16 || p.hlen > 16) throw new Error(`bad header fields: chaddr ${p.chaddr.length}, hlen ${p.hlen}`);
  for (const code of p.options.keys()) if (code === 0 || code === 52 || code === 255) throw new Error(`option ${code} in the decoded map`);
}

type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; byte: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'delete'; pos: number; n: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), pos: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(seed: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const m of ms) {
    const pos = m.pos % Math.max(1, b.length);
    switch (m.kind) {
      case 'flip':
        if (b.length) b[pos] = b[pos]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length) b[pos] = m.byte;
        break;
      case 'truncate':
        b = b.slice(0, m.pos % (b.length + 1));
        break;
      case 'insert': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, pos));
        out.set(m.bytes, pos);
        out.set(b.subarray(pos), pos + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const out = new Uint8Array(Math.max(0, b.length - Math.min(m.n, b.length - pos)));
        out.set(b.subarray(0, pos));
        out.set(b.subarray(pos + m.n), pos);
        b = out;
        break;
      }
    }
  }
  return b;
}

/**
 * A BOOTP header with the cookie (random op/htype/flags/addresses/chaddr, and sname/file that may
 * hold option bytes), followed by arbitrary option bytes.
 */
const headerThenJunk = fc
  .tuple(fc.uint8Array({ minLength: 44, maxLength: 44 }), fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 16 }))
  .map(([fixed, inFields, tail, hlen]) => {
    const b = new Uint8Array(240 + tail.length);
    b.set(fixed);
    b[2] = hlen;
    b.set(inFields, inFields.length % 2 ? 44 : 108);
    b.set([0x63, 0x82, 0x53, 0x63], 236);
    b.set(tail, 240);
    return b;
  });

const seedMutation = fc.tuple(fc.integer({ min: 0, max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => mutate(SEEDS[i]!, ms));

// ---- generated valid packets ---------------------------------------------------------------

const ip = fc.integer({ min: 0, max: 0xffffffff }).map(intToIp);
/** Text without NUL, one character per byte (sname/file are latin1 C strings). */
const cText = (max: number) => fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: max }).map((cs) => String.fromCharCode(...cs));
const optionData = fc.oneof({ weight: 8, arbitrary: fc.uint8Array({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 200, maxLength: 700 }) });

function optionsArb(codes: fc.Arbitrary<number>, maxLength: number, data = optionData): fc.Arbitrary<Map<number, Uint8Array>> {
  return fc.uniqueArray(fc.tuple(codes, data), { selector: (t) => t[0], maxLength }).map((list) => new Map(list));
}

function packetArb(options: fc.Arbitrary<Map<number, Uint8Array>>, text = true): fc.Arbitrary<DhcpPacket> {
  return fc.record({
    op: fc.integer({ min: 0, max: 255 }),
    htype: fc.integer({ min: 0, max: 255 }),
    hlen: fc.integer({ min: 0, max: 16 }),
    hops: fc.integer({ min: 0, max: 255 }),
    xid: fc.integer({ min: 0, max: 0xffffffff }),
    secs: fc.integer({ min: 0, max: 0xffff }),
    flags: fc.integer({ min: 0, max: 0xffff }),
    ciaddr: ip,
    yiaddr: ip,
    siaddr: ip,
    giaddr: ip,
    chaddr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    sname: text ? cText(63) : fc.constant(''),
    file: text ? cText(127) : fc.constant(''),
    options,
  });
}

const anyCode = fc.integer({ min: 1, max: 254 }).filter((c) => c !== 52);

function expectedOrder(p: DhcpPacket): number[] {
  const keys = [...p.options.keys()];
  return [...keys.filter((c) => c === 53), ...keys.filter((c) => c !== 53 && c !== 82), ...keys.filter((c) => c === 82)];
}

describe('codec properties', () => {
  it('decode throws only DecodeError on arbitrary bytes (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (b) => {
        const p = decodeOrDecodeError(b);
        if (p) wellFormed(p);
      }),
      { numRuns: 10_000 },
    );
  });

  it('decode throws only DecodeError on a valid header followed by random options (15,000 runs)', () => {
    let decoded = 0;
    fc.assert(
      fc.property(headerThenJunk, (b) => {
        const p = decodeOrDecodeError(b);
        if (p) {
          decoded++;
          wellFormed(p);
        }
      }),
      { numRuns: 15_000 },
    );
    expect(decoded).toBeGreaterThan(100); // the generator does reach the option parser's success paths
  });

  it(`decode throws only DecodeError on mutated real messages (${SEEDS.length} seeds, 20,000 runs)`, () => {
    let decoded = 0;
    fc.assert(
      fc.property(seedMutation, (b) => {
        const p = decodeOrDecodeError(b);
        if (p) {
          decoded++;
          wellFormed(p);
        }
      }),
      { numRuns: 20_000 },
    );
    expect(decoded).toBeGreaterThan(1000);
  });

  it('decode(encode(x)) equals x for generated packets, 53 first and 82 last (2,000 runs)', () => {
    fc.assert(
      fc.property(packetArb(optionsArb(anyCode, 12)), (x) => {
        const { bytes, omitted } = encodeWithReport(x, { maxSize: 0xffff });
        expect(omitted).toEqual([]);
        expect(bytes.length).toBeGreaterThanOrEqual(300);
        const y = decode(bytes);
        expect(y).toEqual(x);
        expect([...y.options.keys()]).toEqual(expectedOrder(x));
      }),
      { numRuns: 2_000 },
    );
  });

  it('at the 548-byte default, overloaded packets decode to x minus what encode reports as omitted (2,000 runs)', () => {
    const essentialFree = fc.integer({ min: 1, max: 254 }).filter((c) => ![51, 52, 53, 54, 61, 82].includes(c));
    const options = fc
      .tuple(optionsArb(essentialFree, 16, fc.uint8Array({ maxLength: 90 })), fc.integer({ min: 1, max: 8 }))
      .map(([m, type]) => new Map([[53, Uint8Array.of(type)], [54, Uint8Array.of(198, 18, 0, 1)], ...m]));
    fc.assert(
      fc.property(packetArb(options, false), (x) => {
        const { bytes, omitted } = encodeWithReport(x);
        expect(bytes.length).toBeLessThanOrEqual(548);
        expect(omitted).not.toContain(53);
        expect(omitted).not.toContain(54);
        const y = decode(bytes);
        const expected = new Map([...x.options].filter(([c]) => !omitted.includes(c)));
        expect(y.options).toEqual(expected);
        expect({ ...y, options: undefined }).toEqual({ ...x, options: undefined });
      }),
      { numRuns: 2_000 },
    );
  });

  it('encode∘decode is idempotent after one normalisation, for mutated messages that decode (3,000 runs)', () => {
    let checked = 0;
    fc.assert(
      fc.property(seedMutation, (b) => {
        const p = decodeOrDecodeError(b);
        // A received sname/file may fill its field with no NUL; encode keeps room for one, so such
        // a message is not re-encodable as is (the engine never echoes them).
        if (!p || p.sname.length > 63 || p.file.length > 127) return;
        const once = encode(p, { maxSize: 0xffff });
        const twice = encode(decode(once), { maxSize: 0xffff });
        expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
        expect(decode(once)).toEqual(p);
        checked++;
      }),
      { numRuns: 3_000 },
    );
    expect(checked).toBeGreaterThan(300);
  });

  it('the engine never throws on a decodable message, and every drop has a named reason (4,000 runs)', () => {
    const relayed = subnet('198.18.50.0/24', '198.18.50.10-198.18.50.20');
    const engine = new Engine(labConfig({ subnets: [...labConfig().subnets, relayed], maxOfferHolds: 50 }));
    const leases = new MemoryLeases();
    let replies = 0;
    const drops = new Set<string>();
    // Well-framed requests whose option *contents* are random (the options the engine reads, at
    // odd lengths) and whose addresses often fall in our subnets, plus mutated real messages.
    const ours = fc.constantFrom('0.0.0.0', '198.18.10.1', '198.18.10.100', '198.18.10.120', '198.18.10.255', '198.18.50.1', '198.18.50.15', '10.9.9.9');
    const interesting = fc.constantFrom(50, 54, 61, 55, 57, 82, 118, 12, 81, 60, 51, 1, 3, 6, 119, 121);
    const request = fc
      .record({
        type: fc.integer({ min: 0, max: 12 }),
        hlen: fc.integer({ min: 0, max: 16 }),
        flags: fc.constantFrom(0, 0x8000),
        ciaddr: ours,
        giaddr: ours,
        mac: fc.integer({ min: 0, max: 20 }),
        options: fc.array(fc.tuple(fc.oneof(interesting, fc.integer({ min: 1, max: 254 })), fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constantFrom(Uint8Array.of(198, 18, 10, 1), Uint8Array.of(198, 18, 10, 120), Uint8Array.of(1, 2, 0, 0, 0, 0, 1)))), { maxLength: 8 }),
      })
      .map((r) => {
        const p = emptyPacket();
        p.hlen = r.hlen;
        p.flags = r.flags;
        p.ciaddr = r.ciaddr;
        p.giaddr = r.giaddr;
        p.chaddr[0] = 2;
        p.chaddr[5] = r.mac;
        if (r.type) p.options.set(53, Uint8Array.of(r.type));
        for (const [code, data] of r.options) if (code !== 52 && code !== 53) p.options.set(code, data);
        return encode(p, { maxSize: 0xffff });
      });
    fc.assert(
      fc.property(fc.oneof(seedMutation, request), (b) => {
        const p = decodeOrDecodeError(b);
        if (!p) return;
        // A relayed message arrives from its relay agent's port 67 (anything else is a spoofed relay).
        const source = p.giaddr !== '0.0.0.0' ? { address: p.giaddr, port: 67 } : { address: '198.18.10.77', port: 68 };
        const d = engine.decide({ packet: p, source }, { now: 1_800_000_000_000, leases });
        leases.apply(d.writes);
        if (d.drop !== undefined) {
          drops.add(d.drop);
          expect(Object.keys(DROP_REASONS)).toContain(d.drop);
          expect(d.reply).toBeUndefined();
        }
        if (d.reply) {
          replies++;
          try {
            const { bytes } = encodeWithReport(d.reply.packet, { maxSize: d.reply.maxSize });
            expect(bytes.length).toBeLessThanOrEqual(Math.max(548, d.reply.maxSize));
          } catch (e) {
            // Only a client's own oversized option 61/82 (echoed, essential) can make a reply unencodable.
            if (!(e instanceof EncodeError)) throw e;
          }
        }
      }),
      { numRuns: 4_000 },
    );
    expect(replies).toBeGreaterThan(200);
    // The generator reaches the engine's validation paths, not just the first check.
    for (const reason of ['malformed-option', 'not-a-request', 'no-message-type', 'bad-message-type', 'wrong-server-id', 'not-our-subnet'] as const) expect(drops).toContain(reason);
  });
});
