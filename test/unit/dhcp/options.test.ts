// The option table, table-driven: every kind round-trips through setOption/getOption and through
// the JSON forms (optionFromJson/optionToJson), invalid values are refused with an
// OptionValueError naming the option, and the wire encodings match the RFCs' own examples.
import { describe, expect, it } from 'vitest';
import { optionFromJson, optionToJson, parseHex } from '../../../src-main/dhcp/option-json.js';
import {
  allOptionDefs,
  decodeDomainList,
  decodeOptionValue,
  encodeOptionValue,
  getOption,
  getOptionLenient,
  messageTypeName,
  optionDef,
  optionName,
  OptionValueError,
  OPTION_TABLE,
  routesCoverDefault,
  setOption,
  subOptionName,
  type KindValues,
  type OptionKind,
  type OptionMap,
} from '../../../src-main/dhcp/options.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

function expectOptionError(fn: () => unknown, code: number): OptionValueError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected an OptionValueError for option ${code}`).toBeInstanceOf(OptionValueError);
  const oe = err as OptionValueError;
  expect(oe.code).toBe(code);
  expect(oe.message).toContain(`option ${code} (${optionName(code)})`);
  return oe;
}

interface KindCase<K extends OptionKind> {
  kind: K;
  code: number;
  value: KindValues[K];
  wire: Uint8Array;
  /** The value's JSON form (config files, the UI) when it differs from `value`. */
  json?: unknown;
  invalid: unknown[];
  /** JSON values optionFromJson must refuse, where the JSON form differs from the typed one. */
  invalidJson?: unknown[];
  /** Raw data a decoder must refuse. */
  badWire?: Uint8Array[];
}

// One row per kind: a valid value, its exact encoding, and values that must be refused.
const KINDS: { [K in OptionKind]: KindCase<K> } = {
  ip: { kind: 'ip', code: 54, value: '198.18.10.1', wire: bytes(198, 18, 10, 1), invalid: ['198.18.10.256', '198.18.10', '', 3321, ['198.18.10.1'], null], badWire: [bytes(1, 2, 3), bytes(1, 2, 3, 4, 5)] },
  mask: { kind: 'mask', code: 1, value: '255.255.254.0', wire: bytes(255, 255, 254, 0), invalid: ['255.0.255.0', '255.255.255.1', '0.255.255.255', '/33', '255.255.255.256', 24], badWire: [bytes(255, 255, 255)] },
  ips: { kind: 'ips', code: 6, value: ['198.18.10.53', '198.18.10.54'], wire: bytes(198, 18, 10, 53, 198, 18, 10, 54), invalid: [[], '198.18.10.53', ['198.18.10.53', 'dns.example'], [null]], badWire: [bytes(), bytes(1, 2, 3, 4, 5)] },
  ipPairs: { kind: 'ipPairs', code: 21, value: [['10.0.0.0', '255.0.0.0']], wire: bytes(10, 0, 0, 0, 255, 0, 0, 0), invalid: [[], [['10.0.0.0']], [['10.0.0.0', '255.0.0.0', '1.1.1.1']], ['10.0.0.0']], badWire: [bytes(1, 2, 3, 4)] },
  u8: { kind: 'u8', code: 23, value: 64, wire: bytes(64), invalid: [256, -1, 1.5, '256', true, NaN], badWire: [bytes(), bytes(1, 2)] },
  u16: { kind: 'u16', code: 26, value: 1500, wire: bytes(0x05, 0xdc), invalid: [65536, -1, 2.5, '70000'], badWire: [bytes(1)] },
  u32: { kind: 'u32', code: 51, value: 0xffffffff, wire: bytes(255, 255, 255, 255), invalid: [2 ** 32, -1, 0.5, '4294967296'], badWire: [bytes(0, 0, 1)] },
  i32: { kind: 'i32', code: 2, value: -3600, wire: bytes(0xff, 0xff, 0xf1, 0xf0), invalid: [2 ** 31, -(2 ** 31) - 1, 'x'], badWire: [bytes(0, 0)] },
  bool: { kind: 'bool', code: 19, value: true, wire: bytes(1), invalid: [1, 'yes', null], badWire: [bytes(), bytes(1, 1)] },
  u8s: { kind: 'u8s', code: 55, value: [1, 3, 6, 15, 119, 121], wire: bytes(1, 3, 6, 15, 119, 121), invalid: [[256], [-1], 'x', [1.5]] },
  u16s: { kind: 'u16s', code: 93, value: [0, 7, 9], wire: bytes(0, 0, 0, 7, 0, 9), invalid: [[], [65536], 7], badWire: [bytes(0), bytes()] },
  string: { kind: 'string', code: 15, value: 'lab.test', wire: bytes(...ascii('lab.test')), invalid: ['', 'a\0b', 12, ['lab.test']], badWire: [bytes()] },
  bytes: { kind: 'bytes', code: 43, value: bytes(1, 4, 198, 18, 0, 9), wire: bytes(1, 4, 198, 18, 0, 9), json: '01:04:c6:12:00:09', invalid: ['01:04', [1, 4]], invalidJson: ['xyz', '012', 5, [1, 4]] },
  clientId: {
    kind: 'clientId',
    code: 61,
    value: { type: 1, id: bytes(2, 0, 0x5e, 0x10, 0, 0x11) },
    wire: bytes(1, 2, 0, 0x5e, 0x10, 0, 0x11),
    json: '01:02:00:5e:10:00:11',
    invalid: [{ type: 1, id: bytes() }, { type: 256, id: bytes(1) }, { type: 1 }, 'x'],
    invalidJson: ['01', '', 'zz:01', 5],
    badWire: [bytes(1), bytes()],
  },
  routes: {
    kind: 'routes',
    code: 121,
    value: [
      { destination: '0.0.0.0/0', router: '198.18.10.1' },
      { destination: '10.17.0.0/16', router: '198.18.10.254' },
    ],
    wire: bytes(0, 198, 18, 10, 1, 16, 10, 17, 198, 18, 10, 254),
    invalid: [[], [{ destination: '10.0.0.1/8', router: '198.18.10.1' }], [{ destination: '10.0.0.0/33', router: '198.18.10.1' }], [{ destination: '10.0.0.0', router: '198.18.10.1' }], [{ destination: '10.0.0.0/8', router: 'gw' }], [null]],
    badWire: [bytes(33, 1, 2, 3, 4, 5, 6, 7, 8), bytes(24, 10, 0, 0, 1, 2, 3), bytes(8)],
  },
  domains: {
    kind: 'domains',
    code: 119,
    value: ['eng.apple.com', 'marketing.apple.com'],
    // RFC 3397 §3's own example, with the pointer to "apple.com" at offset 4.
    wire: bytes(3, ...ascii('eng'), 5, ...ascii('apple'), 3, ...ascii('com'), 0, 9, ...ascii('marketing'), 0xc0, 0x04),
    invalid: [[], [''], ['a'.repeat(64) + '.test'], ['a..b'], ['-bad.test'], ['under score.test'], [Array.from({ length: 5 }, (_, i) => String.fromCharCode(97 + i).repeat(60)).join('.')], [42], 'lab.test'],
    badWire: [bytes(3, ...ascii('eng')), bytes(0xc0, 0x00), bytes(64, ...new Array<number>(64).fill(97), 0), bytes(3, ...ascii('eng'), 0xc0)],
  },
  subOptions: {
    kind: 'subOptions',
    code: 82,
    value: [
      { code: 1, data: bytes(0, 4, 0, 1) },
      { code: 2, data: bytes(0xab, 0xcd) },
    ],
    wire: bytes(1, 4, 0, 4, 0, 1, 2, 2, 0xab, 0xcd),
    json: [
      { code: 1, hex: '00:04:00:01' },
      { code: 2, hex: 'ab:cd' },
    ],
    invalid: [[{ code: 256, data: bytes(1) }], [{ code: 1, data: new Uint8Array(256) }], 'x'],
    invalidJson: [[{ code: 256, hex: '01' }], [{ code: 1, hex: 'zz' }], [{ code: 1, hex: '00'.repeat(256) }], [{ hex: '01' }], 'x'],
    badWire: [bytes(1), bytes(1, 5, 0, 0)],
  },
  fqdn: {
    kind: 'fqdn',
    code: 81,
    value: { flags: 0x05, rcode1: 0, rcode2: 0, name: 'pi.lab.test' },
    wire: bytes(5, 0, 0, 2, ...ascii('pi'), 3, ...ascii('lab'), 4, ...ascii('test'), 0),
    invalid: [{ flags: 16, rcode1: 0, rcode2: 0, name: 'x' }, { flags: 4, rcode1: 0, rcode2: 0, name: 'a..b' }, { flags: 0, rcode1: 256, rcode2: 0, name: 'x' }, { flags: 0 }],
    badWire: [bytes(5, 0), bytes(4, 0, 0, 0xc0, 0)],
  },
  empty: { kind: 'empty', code: 80, value: true, wire: bytes(), invalid: [], badWire: [bytes(0)] },
};

describe('option table: one row per kind', () => {
  for (const c of Object.values(KINDS) as KindCase<OptionKind>[]) {
    describe(`${c.kind} (option ${c.code}, ${optionName(c.code)})`, () => {
      it('the table gives this option that kind', () => {
        expect(optionDef(c.code)?.kind).toBe(c.kind);
      });

      it('encodes to the exact wire bytes and reads back the same value (setOption/getOption)', () => {
        const opts: OptionMap = new Map();
        setOption(opts, c.code as 54, c.value as never);
        expect(opts.get(c.code)).toEqual(c.wire);
        expect(getOption(opts, c.code as 54)).toEqual(c.value);
      });

      it('round-trips through its JSON form (optionFromJson/optionToJson)', () => {
        const json = c.json ?? c.value;
        const { code, data } = optionFromJson(optionName(c.code), json);
        expect(code).toBe(c.code);
        expect(data).toEqual(c.wire);
        const back = optionToJson(c.code, data);
        expect(back).toEqual(json);
        // By code, as a number and as a numeric string, too.
        expect(optionFromJson(c.code, back).data).toEqual(c.wire);
        expect(optionFromJson(String(c.code), back).data).toEqual(c.wire);
      });

      it.each(c.invalid.map((v) => [v]))('refuses %j with an OptionValueError naming the option', (v) => {
        expectOptionError(() => encodeOptionValue(c.code, v), c.code);
        if (!c.invalidJson) expectOptionError(() => optionFromJson(optionName(c.code), v), c.code);
      });

      it.each((c.invalidJson ?? []).map((v) => [v]))('refuses the JSON value %j with an OptionValueError naming the option', (v) => {
        expectOptionError(() => optionFromJson(optionName(c.code), v), c.code);
      });

      it.each((c.badWire ?? []).map((b) => [Buffer.from(b).toString('hex'), b] as const))('refuses malformed wire data %s on a strict read; lenient reads give undefined', (_hex, wire) => {
        const opts: OptionMap = new Map([[c.code, wire]]);
        expectOptionError(() => getOption(opts, c.code as 54), c.code);
        expect(getOptionLenient(opts, c.code as 54)).toBeUndefined();
        // A malformed value still survives as hex for display and export.
        expect(optionToJson(c.code, wire)).toBe(Array.from(wire, (x) => x.toString(16).padStart(2, '0')).join(':'));
      });
    });
  }

  it('every kind in the table is covered above', () => {
    const kinds = new Set(allOptionDefs().map((d) => d.kind));
    expect([...kinds].sort()).toEqual(Object.keys(KINDS).sort());
  });
});

describe('option table: contents', () => {
  it.each([
    [1, 'mask'],
    [3, 'ips'],
    [6, 'ips'],
    [12, 'string'],
    [15, 'string'],
    [28, 'ip'],
    [42, 'ips'],
    [43, 'bytes'],
    [50, 'ip'],
    [51, 'u32'],
    [53, 'u8'],
    [54, 'ip'],
    [55, 'u8s'],
    [57, 'u16'],
    [58, 'u32'],
    [59, 'u32'],
    [60, 'string'],
    [61, 'clientId'],
    [66, 'string'],
    [67, 'string'],
    [81, 'fqdn'],
    [82, 'subOptions'],
    [93, 'u16s'],
    [119, 'domains'],
    [121, 'routes'],
    [150, 'ips'],
  ] as const)('option %i is in the table as %s', (code, kind) => {
    expect(optionDef(code)).toMatchObject({ code, kind });
  });

  it('codes and names are unique, codes are 1–254, names are kebab-case, labels are present', () => {
    const defs = allOptionDefs();
    expect(new Set(defs.map((d) => d.code)).size).toBe(defs.length);
    expect(new Set(defs.map((d) => d.name)).size).toBe(defs.length);
    for (const d of defs) {
      expect(d.code).toBeGreaterThanOrEqual(1);
      expect(d.code).toBeLessThanOrEqual(254);
      expect(d.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.label.length).toBeGreaterThan(0);
    }
    expect(defs.map((d) => d.code)).toEqual([...defs.map((d) => d.code)].sort((a, b) => a - b));
    expect(OPTION_TABLE.length).toBe(defs.length);
  });

  it('looks options up by code, by name (any case) and by numeric string', () => {
    expect(optionDef(150)?.name).toBe('tftp-server-address');
    expect(optionDef('150')?.code).toBe(150);
    expect(optionDef('Domain-Name-Servers')?.code).toBe(6);
    expect(optionDef('no-such-option')).toBeUndefined();
    expect(optionDef(224)).toBeUndefined();
    expect(optionName(224)).toBe('option-224');
    expect(messageTypeName(3)).toBe('DHCPREQUEST');
    expect(messageTypeName(undefined)).toBe('BOOTP');
    expect(messageTypeName(99)).toBe('DHCP-type-99');
  });

  it('a sample value of each row\'s kind is accepted by every row of that kind', () => {
    for (const d of allOptionDefs()) {
      const sample = KINDS[d.kind];
      expect(() => encodeOptionValue(d.code, sample.value), `option ${d.code}`).not.toThrow();
      expect(decodeOptionValue(d.code, encodeOptionValue(d.code, sample.value))).toEqual(sample.value);
    }
  });

  it('unknown codes travel as bytes; codes outside 1–254 are refused', () => {
    expect(optionFromJson(224, '01:02').data).toEqual(bytes(1, 2));
    expect(optionFromJson('224', '0x0102').data).toEqual(bytes(1, 2));
    expect(optionToJson(224, bytes(0xde, 0xad))).toBe('de:ad');
    expect(decodeOptionValue(224, bytes(1))).toEqual(bytes(1));
    expectOptionError(() => encodeOptionValue(0, bytes()), 0);
    expectOptionError(() => encodeOptionValue(255, bytes()), 255);
    expect(() => optionFromJson('no-such-option', 1)).toThrow(OptionValueError);
    expect(() => optionFromJson('no-such-option', 1)).toThrow(/unknown option "no-such-option"/);
    expect(() => optionFromJson(300, '01')).toThrow(OptionValueError);
  });

  it('JSON conveniences: numbers as strings, hex with or without separators', () => {
    expect(optionFromJson('dhcp-lease-time', '3600').data).toEqual(bytes(0, 0, 14, 16));
    expect(optionFromJson('default-ip-ttl', ' 64 ').data).toEqual(bytes(64));
    expect(parseHex('01:02:0A')).toEqual(bytes(1, 2, 10));
    expect(parseHex('0x01020a')).toEqual(bytes(1, 2, 10));
    expect(parseHex('01-02 0a')).toEqual(bytes(1, 2, 10));
    expect(parseHex('012')).toBeUndefined();
    expect(parseHex('zz')).toBeUndefined();
    expect(optionFromJson('rapid-commit', null).data).toEqual(bytes());
  });
});

describe('option 119, domain search (RFC 3397)', () => {
  it('decodes RFC 3397 §3\'s example split over three options after RFC 3396 concatenation', () => {
    // The RFC shows it as three 9-octet options; the codec concatenates them before this decoder runs.
    expect(decodeDomainList(119, KINDS.domains.wire)).toEqual(['eng.apple.com', 'marketing.apple.com']);
  });

  it('follows chains of backward pointers, and a pointer in the middle of a name', () => {
    const data = bytes(3, ...ascii('com'), 0, 4, ...ascii('test'), 0xc0, 0, 2, ...ascii('pi'), 0xc0, 5);
    expect(decodeDomainList(119, data)).toEqual(['com', 'test.com', 'pi.test.com']);
  });

  it('compresses shared suffixes on encode (case-insensitively) and decodes back', () => {
    const names = ['lab.test', 'corp.lab.test', 'eng.corp.lab.test', 'LAB.test'];
    const data = encodeOptionValue(119, names);
    expect(data.length).toBe(10 + 7 + 6 + 2);
    expect(decodeDomainList(119, data)).toEqual(['lab.test', 'corp.lab.test', 'eng.corp.lab.test', 'lab.test']);
  });

  it('refuses forward pointers, self pointers and pointer loops', () => {
    expectOptionError(() => decodeDomainList(119, bytes(0xc0, 2, 3, ...ascii('com'), 0)), 119); // forward
    expectOptionError(() => decodeDomainList(119, bytes(0xc0, 0)), 119); // to itself
    const loop = bytes(1, ...ascii('a'), 0xc0, 0); // "a" then back to "a" then back…
    const e = expectOptionError(() => decodeDomainList(119, loop), 119);
    expect(e.message).toMatch(/too many compression pointers/);
  });

  it('refuses labels longer than 63 octets and names that run past the end', () => {
    expectOptionError(() => encodeOptionValue(119, [`${'x'.repeat(64)}.test`]), 119);
    expect(() => encodeOptionValue(119, [`${'x'.repeat(63)}.test`])).not.toThrow();
    expectOptionError(() => decodeDomainList(119, bytes(5, ...ascii('abc'))), 119);
  });
});

describe('option 121, classless static routes (RFC 3442)', () => {
  // RFC 3442 §2's table of destination descriptors.
  it.each([
    ['0.0.0.0/0', [0]],
    ['10.0.0.0/8', [8, 10]],
    ['10.0.0.0/24', [24, 10, 0, 0]],
    ['10.17.0.0/16', [16, 10, 17]],
    ['10.27.129.0/24', [24, 10, 27, 129]],
    ['10.229.0.128/25', [25, 10, 229, 0, 128]],
    ['10.198.122.47/32', [32, 10, 198, 122, 47]],
  ])('%s is encoded as the descriptor %j', (destination, descriptor) => {
    const data = encodeOptionValue(121, [{ destination, router: '198.18.10.1' }]);
    expect([...data]).toEqual([...descriptor, 198, 18, 10, 1]);
    expect(decodeOptionValue(121, data)).toEqual([{ destination, router: '198.18.10.1' }]);
  });

  it('names the fix when host bits are set', () => {
    const e = expectOptionError(() => encodeOptionValue(121, [{ destination: '10.229.0.129/25', router: '198.18.10.1' }]), 121);
    expect(e.message).toContain('10.229.0.128/25');
  });

  it('the Microsoft twin (249) uses the same encoding; routesCoverDefault spots a default route', () => {
    const routes = [{ destination: '10.0.0.0/8', router: '198.18.10.1' }];
    expect(encodeOptionValue(249, routes)).toEqual(encodeOptionValue(121, routes));
    expect(routesCoverDefault(routes)).toBe(false);
    expect(routesCoverDefault([...routes, { destination: '0.0.0.0/0', router: '198.18.10.1' }])).toBe(true);
  });
});

describe('option 81, client FQDN (RFC 4702)', () => {
  it('E flag set: canonical wire format, fully qualified', () => {
    expect(decodeOptionValue(81, KINDS.fqdn.wire)).toEqual({ flags: 5, rcode1: 0, rcode2: 0, name: 'pi.lab.test' });
  });

  it('E flag set: a partial name (no root label, as dhclient/dhcpcd send a bare host name)', () => {
    expect(decodeOptionValue(81, bytes(0x05, 0, 0, 4, ...ascii('host')))).toEqual({ flags: 5, rcode1: 0, rcode2: 0, name: 'host' });
    expect(decodeOptionValue(81, bytes(0x04, 0, 0, 2, ...ascii('pi'), 3, ...ascii('lab')))).toMatchObject({ name: 'pi.lab' });
  });

  it('E flag set: compression is not allowed, nor data after the root label', () => {
    expectOptionError(() => decodeOptionValue(81, bytes(0x04, 0, 0, 2, ...ascii('pi'), 0xc0, 3)), 81);
    expectOptionError(() => decodeOptionValue(81, bytes(0x04, 0, 0, 2, ...ascii('pi'), 0, 1)), 81);
  });

  it('E flag clear: deprecated ASCII form; the RCODEs are kept', () => {
    const data = bytes(0x01, 255, 255, ...ascii('laptop.lab.test'));
    expect(decodeOptionValue(81, data)).toEqual({ flags: 1, rcode1: 255, rcode2: 255, name: 'laptop.lab.test' });
    expect(encodeOptionValue(81, { flags: 1, rcode1: 255, rcode2: 255, name: 'laptop.lab.test' })).toEqual(data);
  });

  it('an empty name is allowed in both forms (a client asking the server to choose)', () => {
    expect(decodeOptionValue(81, bytes(0x04, 0, 0))).toMatchObject({ name: '' });
    expect(encodeOptionValue(81, { flags: 4, rcode1: 0, rcode2: 0, name: '' })).toEqual(bytes(4, 0, 0));
  });
});

describe('option 82, relay agent information (RFC 3046, RFC 3527)', () => {
  it('decodes circuit-id, remote-id and link-selection sub-options, with names', () => {
    const data = bytes(1, 4, 0, 4, 0, 1, 2, 6, 0x02, 0, 0x5e, 0, 0, 1, 5, 4, 198, 18, 50, 0);
    const subs = getOption(new Map([[82, data]]), 82)!;
    expect(subs.map((s) => [s.code, subOptionName(82, s.code)])).toEqual([
      [1, 'circuit-id'],
      [2, 'remote-id'],
      [5, 'link-selection'],
    ]);
    expect(subs[2]!.data).toEqual(bytes(198, 18, 50, 0));
    expect(subOptionName(82, 99)).toBe('sub-option-99');
    expect(encodeOptionValue(82, subs)).toEqual(data);
  });

  it('an empty option 82 and empty sub-options are legal', () => {
    expect(getOption(new Map([[82, bytes()]]), 82)).toEqual([]);
    expect(getOption(new Map([[82, bytes(1, 0)]]), 82)).toEqual([{ code: 1, data: bytes() }]);
  });
});

describe('option 61, client identifier (RFC 2132 §9.14, RFC 4361)', () => {
  it.each([
    ['type 1, Ethernet MAC', bytes(1, 2, 0, 0, 0, 0, 0xaa), 1, 6],
    ['type 0, opaque text', bytes(0, ...ascii('printer-7')), 0, 9],
    ['type 255, IAID + DUID (RFC 4361 §6.1)', bytes(255, 0, 0, 0, 1, 0, 1, 0, 1, 0x2a, 0xb1, 0x4c, 0x00, 2, 0, 0, 0, 0, 0xaa), 255, 18],
  ])('%s', (_label, data, type, idLength) => {
    const v = getOption(new Map([[61, data]]), 61)!;
    expect(v.type).toBe(type);
    expect(v.id).toHaveLength(idLength);
    expect(optionToJson(61, data)).toBe(Array.from(data, (x) => x.toString(16).padStart(2, '0')).join(':'));
    expect(optionFromJson(61, optionToJson(61, data)).data).toEqual(data);
  });
});

describe('string options', () => {
  it('tolerates trailing NULs from clients and reads UTF-8 host names', () => {
    expect(getOption(new Map([[12, bytes(...ascii('pi'), 0, 0)]]), 12)).toBe('pi');
    expect(getOption(new Map([[12, Uint8Array.from(Buffer.from('kühlschrank'))]]), 12)).toBe('kühlschrank');
  });
});
