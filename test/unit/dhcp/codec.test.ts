// Hand-built codec cases: the BOOTP header layout, option framing (pad/end, RFC 3396 long
// options, RFC 2131 §4.1 overload), deterministic encode order and size limits (option 57), and
// the one error type decode may throw.
import { describe, expect, it } from 'vitest';
import { BOOTP_MIN_LEN, decode, DecodeError, DEFAULT_MAX_MESSAGE, encode, EncodeError, encodeWithReport, MAGIC_COOKIE, maxPayloadFromOption57 } from '../../../src-main/dhcp/codec.js';
import { getOption, setOption, type OptionMap } from '../../../src-main/dhcp/options.js';
import { BOOTREPLY, emptyPacket, type DhcpPacket } from '../../../src-main/dhcp/packet.js';

/** A 240-byte header (op=1, htype=1, hlen=6, cookie) followed by `options` verbatim. */
function raw(options: number[], edit?: (b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(240 + options.length);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.set([0x63, 0x82, 0x53, 0x63], 236);
  b.set(options, 240);
  edit?.(b);
  return b;
}

const text = (s: string) => [...Buffer.from(s, 'latin1')];

/** Wire option codes of the options field, in order (stops at END). */
function wireCodes(bytes: Uint8Array, start = 240, end = bytes.length): number[] {
  const codes: number[] = [];
  for (let p = start; p < end; ) {
    const c = bytes[p]!;
    if (c === 0) {
      p++;
      continue;
    }
    if (c === 255) break;
    codes.push(c);
    p += 2 + bytes[p + 1]!;
  }
  return codes;
}

function expectDecodeError(bytes: Uint8Array, field: string, offset: number): DecodeError {
  let err: unknown;
  try {
    decode(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DecodeError);
  const de = err as DecodeError;
  expect(de.field).toBe(field);
  expect(de.offset).toBe(offset);
  expect(de.message).toContain(`${field} at offset ${offset}`);
  return de;
}

function packet(options: [number, number[] | Uint8Array][] = [], over: Partial<DhcpPacket> = {}): DhcpPacket {
  const p = emptyPacket();
  for (const [code, data] of options) p.options.set(code, Uint8Array.from(data));
  return { ...p, ...over };
}

describe('codec: BOOTP header layout (RFC 2131 §2, figure 1)', () => {
  const p: DhcpPacket = {
    op: BOOTREPLY,
    htype: 6,
    hlen: 6,
    hops: 3,
    xid: 0xdeadbeef,
    secs: 0x1234,
    flags: 0x8000,
    ciaddr: '198.18.1.2',
    yiaddr: '198.18.3.4',
    siaddr: '198.18.5.6',
    giaddr: '198.18.7.8',
    chaddr: Uint8Array.from([0x02, 0, 0x5e, 0x10, 0, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99]),
    sname: 'srv',
    file: 'pxelinux.0',
    options: new Map([[53, Uint8Array.of(2)]]),
  };

  it('writes every field at its offset', () => {
    const b = encode(p);
    expect(b[0]).toBe(2);
    expect(b[1]).toBe(6);
    expect(b[2]).toBe(6);
    expect(b[3]).toBe(3);
    expect([...b.subarray(4, 8)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect([...b.subarray(8, 10)]).toEqual([0x12, 0x34]);
    expect([...b.subarray(10, 12)]).toEqual([0x80, 0x00]);
    expect([...b.subarray(12, 16)]).toEqual([198, 18, 1, 2]);
    expect([...b.subarray(16, 20)]).toEqual([198, 18, 3, 4]);
    expect([...b.subarray(20, 24)]).toEqual([198, 18, 5, 6]);
    expect([...b.subarray(24, 28)]).toEqual([198, 18, 7, 8]);
    expect([...b.subarray(28, 44)]).toEqual([...p.chaddr]);
    expect(Buffer.from(b.subarray(44, 47)).toString('latin1')).toBe('srv');
    expect(b.subarray(47, 108).every((x) => x === 0)).toBe(true);
    expect(Buffer.from(b.subarray(108, 118)).toString('latin1')).toBe('pxelinux.0');
    expect(b.subarray(118, 236).every((x) => x === 0)).toBe(true);
    expect([...b.subarray(236, 240)]).toEqual([0x63, 0x82, 0x53, 0x63]);
    expect(MAGIC_COOKIE).toBe(0x63825363);
    expect([...b.subarray(240, 244)]).toEqual([53, 1, 2, 255]);
  });

  it('reads every field from its offset', () => {
    const b = raw([53, 1, 1, 255], (x) => {
      x[0] = 1;
      x[1] = 1;
      x[2] = 6;
      x[3] = 4;
      x.set([1, 2, 3, 4], 4);
      x.set([0xff, 0xfe], 8);
      x.set([0x80, 0x01], 10);
      x.set([10, 0, 0, 1], 12);
      x.set([10, 0, 0, 2], 16);
      x.set([10, 0, 0, 3], 20);
      x.set([10, 0, 0, 4], 24);
      x.set([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff], 28);
      x.set(text('host\0junk'), 44);
      x.set(text('boot/file'), 108);
    });
    const d = decode(b);
    expect(d).toMatchObject({ op: 1, htype: 1, hlen: 6, hops: 4, xid: 0x01020304, secs: 0xfffe, flags: 0x8001, ciaddr: '10.0.0.1', yiaddr: '10.0.0.2', siaddr: '10.0.0.3', giaddr: '10.0.0.4', sname: 'host', file: 'boot/file' });
    expect([...d.chaddr]).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(d.chaddr).toHaveLength(16);
    expect(d.xid).toBeGreaterThan(0); // unsigned, even with the top bit set:
    expect(decode(raw([53, 1, 1], (x) => x.set([0xff, 0, 0, 1], 4))).xid).toBe(0xff000001);
  });

  it('does not alias a Node Buffer it decodes from (Buffer.slice is a view)', () => {
    const b = Buffer.from(raw([53, 1, 1, 12, 3, ...text('abc'), 255], (x) => x.set([0x02, 1, 2, 3, 4, 5], 28)));
    const d = decode(b);
    b.fill(0x41);
    expect(d.chaddr[0]).toBe(0x02);
    expect(Buffer.from(d.options.get(12)!).toString()).toBe('abc');
    expect(d.options.get(12)).not.toBeInstanceOf(Buffer);
  });
});

describe('codec: option framing on decode', () => {
  it('skips pads, stops at END and ignores whatever follows it', () => {
    const d = decode(raw([0, 0, 53, 1, 3, 0, 12, 2, ...text('pi'), 0, 255, 12, 200, 1, 2]));
    expect([...d.options.keys()]).toEqual([53, 12]);
    expect(getOption(d.options, 12)).toBe('pi');
    expect(d.options.has(0)).toBe(false);
    expect(d.options.has(255)).toBe(false);
  });

  it('tolerates a missing END when the options simply run out', () => {
    const d = decode(raw([53, 1, 1, 61, 7, 1, 2, 0, 0, 0, 0, 9]));
    expect(getOption(d.options, 53)).toBe(1);
    expect(getOption(d.options, 61)).toEqual({ type: 1, id: Uint8Array.from([2, 0, 0, 0, 0, 9]) });
  });

  it('accepts a message with no options at all (just the cookie)', () => {
    expect(decode(raw([])).options.size).toBe(0);
  });

  it('concatenates repeated options (RFC 3396 §6), even when not adjacent', () => {
    const d = decode(raw([119, 4, 3, ...text('eng'), 53, 1, 5, 119, 2, 0, 0, 255]));
    expect([...d.options.get(119)!]).toEqual([3, ...text('eng'), 0, 0]);
    expect([...d.options.keys()]).toEqual([119, 53]);
  });

  it.each([
    [1, 'file only', { file: '', sname: 'keep-me' }],
    [2, 'sname only', { file: 'keep/me', sname: '' }],
    [3, 'both', { file: '', sname: '' }],
  ] as const)('overload 52 = %i (%s) reads the fields as options, in the order options, file, sname', (value, _label, fields) => {
    const b = raw([53, 1, 2, 52, 1, value, 12, 2, ...text('ab'), 255], (x) => {
      // file: more of option 12, then END; sname: more of option 12, then END. A field that is not
      // overloaded holds plain text instead.
      if (value & 1) x.set([12, 2, ...text('cd'), 255], 108);
      else x.set(text('keep/me'), 108);
      if (value & 2) x.set([12, 2, ...text('ef'), 255], 44);
      else x.set(text('keep-me'), 44);
    });
    const d = decode(b);
    expect(d).toMatchObject(fields);
    const expected = 'ab' + (value & 1 ? 'cd' : '') + (value & 2 ? 'ef' : '');
    expect(getOption(d.options, 12)).toBe(expected);
    expect(d.options.has(52)).toBe(false); // framing, consumed
  });

  it('ignores option 52 inside file or sname (no self-reference, no loop)', () => {
    const b = raw([53, 1, 2, 52, 1, 1, 255], (x) => {
      x.set([52, 1, 2, 6, 4, 10, 0, 0, 1, 255], 108); // file claims sname is overloaded too
      x.set(text('plain-name'), 44);
    });
    const d = decode(b);
    expect(d.sname).toBe('plain-name');
    expect(getOption(d.options, 6)).toEqual(['10.0.0.1']);
    expect(d.options.has(52)).toBe(false);
  });

  it('does not read file/sname as options without option 52', () => {
    const d = decode(raw([53, 1, 1, 255], (x) => x.set([6, 4, 1, 2, 3, 4, 255], 108)));
    expect(d.options.has(6)).toBe(false);
    expect(d.file).toBe('\x06\x04\x01\x02\x03\x04\xff');
  });
});

describe('codec: DecodeError, and only DecodeError, with field and offset', () => {
  it('short header', () => {
    expectDecodeError(new Uint8Array(100), 'header', 100);
    expectDecodeError(new Uint8Array(0), 'header', 0);
  });
  it('ends before / inside the magic cookie', () => {
    expectDecodeError(raw([]).subarray(0, 238), 'magic-cookie', 236);
  });
  it('bad magic cookie (e.g. plain BOOTP with vendor area zeros)', () => {
    const de = expectDecodeError(raw([53, 1, 1], (x) => x.set([0, 0, 0, 0], 236)), 'magic-cookie', 236);
    expect(de.message).toContain('0x00000000');
  });
  it('hlen > 16', () => {
    expectDecodeError(raw([53, 1, 1, 255], (x) => (x[2] = 17)), 'hlen', 2);
    expect(decode(raw([53, 1, 1, 255], (x) => (x[2] = 16))).hlen).toBe(16);
  });
  it('option length past the end of the options', () => {
    expectDecodeError(raw([53, 1, 1, 12, 10, 65, 66]), 'options', 243);
  });
  it('option without its length octet', () => {
    expectDecodeError(raw([53, 1, 1, 12]), 'options', 243);
  });
  it.each([
    [[52, 1, 0], 'value 0'],
    [[52, 1, 4], 'value 4'],
    [[52, 2, 1, 1], 'two octets'],
    [[52, 0], 'empty'],
  ])('bad option 52 (%j, %s)', (opt) => {
    expectDecodeError(raw([53, 1, 1, ...opt, 255]), 'options', 243);
  });
  it('malformed option inside an overloaded file / sname field names that field', () => {
    expectDecodeError(
      raw([53, 1, 1, 52, 1, 1, 255], (x) => x.set([12, 200], 108)),
      'file',
      108,
    );
    expectDecodeError(
      raw([53, 1, 1, 52, 1, 2, 255], (x) => x.set([0, 0, 12, 100, 1], 44)),
      'sname',
      46,
    );
    // The last byte of sname is a code with no room for its length octet.
    expectDecodeError(
      raw([53, 1, 1, 52, 1, 2, 255], (x) => {
        x.fill(0, 44, 107);
        x[107] = 12;
      }),
      'sname',
      107,
    );
  });
});

describe('codec: encode', () => {
  it('puts 53 first and 82 last, the rest in insertion order; 52, 0 and 255 never copied', () => {
    const p = packet([
      [82, [1, 2, 0, 7]],
      [12, text('pi')],
      [52, [3]],
      [53, [5]],
      [0, []],
      [6, [1, 1, 1, 1]],
      [255, []],
      [3, [10, 0, 0, 1]],
    ]);
    const b = encode(p);
    expect(wireCodes(b)).toEqual([53, 12, 6, 3, 82]);
    expect([...decode(b).options.keys()]).toEqual([53, 12, 6, 3, 82]);
  });

  it('pads a short message to 300 bytes with zeros after END (RFC 1542 §2.1)', () => {
    const b = encode(packet([[53, [1]]]));
    expect(b.length).toBe(BOOTP_MIN_LEN);
    expect([...b.subarray(240, 244)]).toEqual([53, 1, 1, 255]);
    expect(b.subarray(244).every((x) => x === 0)).toBe(true);
  });

  it('does not pad a message already longer than 300 bytes', () => {
    const b = encode(packet([[53, [1]], [43, new Uint8Array(100)]]));
    expect(b.length).toBe(240 + 3 + 102 + 1);
    expect(b.at(-1)).toBe(255);
  });

  it('splits an option longer than 255 bytes (RFC 3396 §6) and decode concatenates it back', () => {
    const data = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    const b = encode(packet([[53, [5]], [43, data], [1, [255, 255, 255, 0]]]), { maxSize: 1500 });
    expect(wireCodes(b)).toEqual([53, 43, 43, 43, 1]);
    expect([b[243 + 1], b[243 + 2 + 255 + 1], b[243 + 2 * 257 + 1]]).toEqual([255, 255, 90]);
    expect(decode(b).options.get(43)).toEqual(data);
  });

  it('keeps a zero-length option as one empty option', () => {
    const b = encode(packet([[53, [3]], [80, []]]));
    expect([...b.subarray(240, 246)]).toEqual([53, 1, 3, 80, 0, 255]);
    expect(decode(b).options.get(80)).toEqual(new Uint8Array(0));
  });

  it('rejects sname/file text that does not fit (with its NUL) with EncodeError', () => {
    expect(() => encode(packet([[53, [2]]], { sname: 'x'.repeat(64) }))).toThrow(EncodeError);
    expect(() => encode(packet([[53, [2]]], { file: 'x'.repeat(128) }))).toThrow(EncodeError);
    expect(decode(encode(packet([[53, [2]]], { file: 'x'.repeat(127) }))).file).toBe('x'.repeat(127));
  });
});

describe('codec: the client maximum message size (option 57, RFC 2132 §9.10)', () => {
  /** A big reply: 53, 54, 51, 61, 82 (essential) and ten 40-byte options. */
  function bigReply(extra: [number, number[] | Uint8Array][] = []): DhcpPacket {
    const opts: [number, number[] | Uint8Array][] = [
      [53, [5]],
      [54, [198, 18, 10, 1]],
      [51, [0, 0, 14, 16]],
      [61, [1, 2, 0, 0, 0, 0, 1]],
    ];
    for (let c = 100; c < 110; c++) opts.push([c, new Uint8Array(40).fill(c)]);
    opts.push(...extra, [82, [1, 4, 0, 0, 0, 7, 2, 2, 0xab, 0xcd]]);
    return packet(opts, { op: BOOTREPLY });
  }

  it('maps option 57 to a UDP payload size (minus IP and UDP headers), never below 576', () => {
    expect(maxPayloadFromOption57(undefined)).toBe(DEFAULT_MAX_MESSAGE);
    expect(maxPayloadFromOption57(300)).toBe(548);
    expect(maxPayloadFromOption57(576)).toBe(548);
    expect(maxPayloadFromOption57(1500)).toBe(1472);
  });

  it('fits everything without overload when the client allows it', () => {
    const p = bigReply();
    const { bytes, omitted } = encodeWithReport(p, { maxSize: 1472 });
    expect(omitted).toEqual([]);
    expect(bytes.length).toBeLessThanOrEqual(1472);
    expect(wireCodes(bytes)).not.toContain(52);
    expect(decode(bytes).options).toEqual(p.options);
  });

  it('overloads file and sname at 548 bytes, marks it with 52 right after 53, keeps 82 last', () => {
    const p = bigReply();
    const { bytes, omitted } = encodeWithReport(p, { maxSize: 548 });
    expect(bytes.length).toBeLessThanOrEqual(548);
    const codes = wireCodes(bytes);
    expect(codes.slice(0, 2)).toEqual([53, 52]);
    expect(codes.at(-1)).toBe(82);
    const d = decode(bytes);
    for (const code of p.options.keys()) if (!omitted.includes(code)) expect(d.options.get(code)).toEqual(p.options.get(code));
    expect([...d.options.keys()].sort()).toEqual([...p.options.keys()].filter((c) => !omitted.includes(c)).sort());
    // Options field: 548 − 240 − 3 (52) − 1 (END) − 12 (82) = 292 → essentials (24) + six 42-byte
    // options; file (127 with END) takes three more, sname (63) the last one: nothing dropped.
    expect(omitted).toEqual([]);
    expect(wireCodes(bytes, 108, 236)).toEqual([106, 107, 108]);
    expect(wireCodes(bytes, 44, 108)).toEqual([109]);
    expect(bytes[240 + 3 + 2]).toBe(3); // 52 = 3: file and sname
    expect(d.file).toBe('');
    expect(d.sname).toBe('');
  });

  it('never drops the essential options (53, 54, 51, 61, 82) and reports what it dropped', () => {
    const extra: [number, Uint8Array][] = Array.from({ length: 20 }, (_, i) => [120 + i, new Uint8Array(60).fill(i)]);
    const p = bigReply(extra);
    const { bytes, omitted } = encodeWithReport(p, { maxSize: 548 });
    expect(bytes.length).toBeLessThanOrEqual(548);
    for (const code of [53, 54, 51, 61, 82]) expect(omitted).not.toContain(code);
    const d = decode(bytes);
    for (const code of [53, 54, 51, 61, 82]) expect(d.options.get(code)).toEqual(p.options.get(code));
    for (const code of omitted) expect(d.options.has(code)).toBe(false);
    // Every option is either in the decoded message or reported as omitted.
    for (const code of p.options.keys()) expect(d.options.has(code) !== omitted.includes(code)).toBe(true);
    // Options are kept in the caller's order of preference (the reply builder puts the client's
    // requested options first): what is dropped is the tail.
    const keptOptional = [...d.options.keys()].filter((c) => c >= 100);
    expect(Math.min(...omitted)).toBeGreaterThan(Math.max(...keptOptional));
  });

  it('does not use a file or sname field that carries text', () => {
    const p = { ...bigReply(), file: 'pxelinux.0', sname: 'tftp' };
    const { bytes } = encodeWithReport(p, { maxSize: 548 });
    const d = decode(bytes);
    expect(d.file).toBe('pxelinux.0');
    expect(d.sname).toBe('tftp');
    expect(wireCodes(bytes)).not.toContain(52);
  });

  it('writes 52 even when the message has no option 53 (data in file/sname must not be lost)', () => {
    const p = packet(Array.from({ length: 8 }, (_, i): [number, Uint8Array] => [100 + i, new Uint8Array(40).fill(i)]));
    const { bytes, omitted } = encodeWithReport(p);
    expect(omitted).toEqual([]);
    expect(wireCodes(bytes)[0]).toBe(52);
    expect(decode(bytes).options).toEqual(p.options);
  });

  it('moves a short option whole into file/sname rather than splitting it across fields', () => {
    const p = bigReply();
    const { bytes } = encodeWithReport(p, { maxSize: 548 });
    const inMain = wireCodes(bytes);
    const inFile = wireCodes(bytes, 108, 236);
    const inSname = wireCodes(bytes, 44, 108);
    const all = [...inMain, ...inFile, ...inSname].filter((c) => c !== 52);
    expect(new Set(all).size).toBe(all.length); // each ≤255-byte option appears exactly once
  });

  it('a long option may still be split across fields when that is the only way it fits', () => {
    const big = new Uint8Array(400).fill(7);
    const p = packet([[53, [5]], [54, [1, 2, 3, 4]], [43, big]], { op: BOOTREPLY });
    const { bytes, omitted } = encodeWithReport(p, { maxSize: 548 });
    expect(omitted).toEqual([]);
    expect(bytes.length).toBeLessThanOrEqual(548);
    expect(decode(bytes).options.get(43)).toEqual(big);
    expect(wireCodes(bytes, 108, 236)).toContain(43);
  });

  it('throws EncodeError rather than send a reply without its essential options', () => {
    const p = packet([[53, [5]], [54, [1, 2, 3, 4]], [61, new Uint8Array(600)]], { op: BOOTREPLY });
    expect(() => encodeWithReport(p, { maxSize: 548 })).toThrow(EncodeError);
  });

  it('clamps a smaller maxSize to the 548-byte minimum every client accepts', () => {
    const p = bigReply();
    expect(encodeWithReport(p, { maxSize: 100 }).bytes.length).toBeLessThanOrEqual(548);
    expect(encodeWithReport(p, { maxSize: 100 })).toEqual(encodeWithReport(p, { maxSize: 548 }));
  });
});

describe('codec: encoded bytes are the caller’s own', () => {
  it('each message is its own zero-filled bytes, though many share one allocation', () => {
    const p = emptyPacket();
    p.op = BOOTREPLY;
    p.chaddr.set([2, 0, 0, 0, 0, 1]);
    setOption(p.options, 53, 2);
    setOption(p.options, 54, '198.18.10.1');
    const first = encode(p);
    const copy = Uint8Array.from(first);
    // Enough messages to use up several shared blocks; scribbling over each must not reach the others.
    const all = Array.from({ length: 2000 }, (_, i) => {
      p.xid = i;
      return encode(p);
    });
    for (const b of all) b.fill(0xee, 0, 4);
    expect(first).toEqual(copy);
    for (let i = 0; i < all.length; i += 97) {
      const b = all[i]!;
      expect(b.length).toBe(BOOTP_MIN_LEN);
      expect(decode(Uint8Array.from(b).fill(1, 0, 1).fill(1, 1, 2).fill(6, 2, 3).fill(0, 3, 4)).xid).toBe(i);
      // Zero-filled beyond END (RFC 1542 padding), not leftovers of other messages.
      const end = b.indexOf(255, 240);
      expect(b.subarray(end + 1).every((x) => x === 0)).toBe(true);
    }
    // slice() copies, as for any Uint8Array.
    const s = first.slice();
    s[0] = 9;
    expect(first[0]).toBe(BOOTREPLY);
  });
});

describe('codec: typed options through the wire', () => {
  it('setOption values survive encode/decode', () => {
    const opts: OptionMap = new Map();
    setOption(opts, 53, 5);
    setOption(opts, 1, '255.255.255.0');
    setOption(opts, 3, ['198.18.10.1']);
    setOption(opts, 121, [{ destination: '10.0.0.0/8', router: '198.18.10.1' }]);
    setOption(opts, 119, ['lab.test', 'corp.lab.test']);
    const d = decode(encode({ ...emptyPacket(), options: opts }));
    expect(getOption(d.options, 121)).toEqual([{ destination: '10.0.0.0/8', router: '198.18.10.1' }]);
    expect(getOption(d.options, 119)).toEqual(['lab.test', 'corp.lab.test']);
    expect(getOption(d.options, 1)).toBe('255.255.255.0');
  });
});
