// Round trips per format (format → parse → the same data, in the fields the format carries) and
// real-looking files: comments, blank lines, Windows line endings, UTF-8 host names, bad lines.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/schema.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { NEVER_EXPIRES } from '../../../src-main/dhcp/policy.js';
import { detectFormat, exportText, parseText } from '../../../src-main/portability/codecs.js';
import type { PortableLease, PortableReservation } from '../../../src-main/portability/model.js';
import { FORMATS, formatInfo, type FormatId } from '../../../src-main/portability/registry.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const H = 3_600_000;

function lease(i: number, over: Partial<Lease> = {}): Lease {
  const mac = `02:00:5e:00:00:${(0x10 + i).toString(16)}`;
  return {
    ip: `198.18.10.${100 + i}`,
    clientId: `01:${mac}`,
    mac,
    state: 'bound',
    subnet: '198.18.10.0/24',
    startsAt: NOW - H,
    expiresAt: NOW + 2 * H,
    firstSeen: NOW - 5 * H,
    lastSeen: NOW - H,
    ...over,
  };
}

const LEASES: Lease[] = [
  lease(0, { hostname: 'pi-01' }),
  lease(1, { hostname: 'tëst-ünïcode', clientId: 'ff:00:00:00:01:00:01:00:01:2b:3c:4d:5e:02:00:5e:00:00:11', vendorClass: 'udhcp 1.35.0' }),
  lease(2),
  // Lease time 0xffffffff: the engine's expiry for a lease that never ends (policy.ts leaseExpiry).
  lease(6, { hostname: 'forever', expiresAt: NEVER_EXPIRES }),
];
const HISTORY: Lease[] = [
  lease(3, { state: 'expired', startsAt: NOW - 3 * H, expiresAt: NOW - 2 * H }),
  lease(4, { state: 'released', startsAt: NOW - 4 * H, expiresAt: NOW - 3 * H }),
  lease(5, { state: 'declined', expiresAt: NOW + H, hostname: 'dup' }),
];

const CONFIG = parseConfig({
  interface: 'sv0',
  leaseTime: 600,
  subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1', dns: ['198.18.10.53'], domain: 'lab.test' }],
  reservations: [],
});

const RESERVATIONS: PortableReservation[] = [
  { mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer' },
  { mac: '02:00:00:00:00:bb', ip: '198.18.10.21' },
  { mac: '02:00:00:00:00:cc', ip: '198.18.10.22', hostname: 'cam-1', clientId: '00:63:61:6d:31' },
];

function pick<T extends object>(x: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => (x as Record<string, unknown>)[k] !== undefined).map((k) => [k, (x as Record<string, unknown>)[k]])) as Partial<T>;
}

const exportLeases = (format: FormatId, leases: Lease[]) => exportText({ what: 'leases', format, leases, reservations: [], config: CONFIG, now: NOW });

describe('lease round trips: format → parse gives the same data', () => {
  for (const f of FORMATS.filter((x) => x.exports.leases)) {
    it(`${f.id}: ${f.carries.leases!.join(', ')}`, () => {
      const all = [...LEASES, ...HISTORY];
      const text = exportLeases(f.id, all);
      const back = parseText(f.id, text, NOW);
      expect(back.problems).toEqual([]);
      // What each format keeps: dnsmasq only live leases, Tftpd64 no declined ones.
      const expected = f.id === 'dnsmasq' ? LEASES : f.id === 'tftpd64' ? all.filter((l) => l.state !== 'declined') : all;
      expect(back.leases.map((l) => l.ip).sort()).toEqual(expected.map((l) => l.ip).sort());
      for (const want of expected) {
        const got = back.leases.find((l) => l.ip === want.ip)!;
        let keys = f.carries.leases!.filter((k) => k !== 'subnet' || f.id === 'csv' || f.id === 'json');
        if (f.id === 'tftpd64') keys = keys.filter((k) => k !== 'expiresAt');
        const norm = (l: Partial<PortableLease>) => ({ ...pick(l, keys), ...(keys.includes('state') ? { state: l.state === 'released' && f.id === 'kea' ? 'expired' : l.state } : {}) });
        expect(norm(got), `${f.id} ${want.ip}`).toEqual(norm(want as PortableLease));
      }
    });
  }
  it('a lease that never expires is written as each tool writes one and read back as never expiring', () => {
    const forever = LEASES.find((l) => l.hostname === 'forever')!;
    const written: Partial<Record<FormatId, RegExp>> = {
      // null in JSON, an empty cell in CSV (leases/export.ts)
      json: /"expiresAt": null/,
      csv: /,forever,bound,198\.18\.10\.0\/24,[^,]+,,/,
      // kea-dhcp4's own infinite lease: valid_lifetime 0xffffffff, expire = cltt + valid_lifetime
      kea: new RegExp(`^198\\.18\\.10\\.106,[^,]+,[^,]*,4294967295,${Math.floor(forever.startsAt / 1000) + 0xffffffff},`, 'm'),
      'isc-dhcpd': /lease 198\.18\.10\.106 \{[^}]*ends never;/,
      dnsmasq: /^0 02:00:5e:00:00:16 198\.18\.10\.106 /m,
    };
    for (const [format, re] of Object.entries(written) as [FormatId, RegExp][]) {
      const text = exportLeases(format, [forever]);
      expect(text, format).toMatch(re);
      const back = parseText(format, text, NOW);
      expect(back.problems, format).toEqual([]);
      expect(back.leases[0], format).toMatchObject({ ip: forever.ip, state: 'bound', expiresAt: NEVER_EXPIRES });
    }
  });

  it('our CSV and JSON read an empty, null or "never" expiresAt as never expiring', () => {
    const csv = parseText('csv', 'ip,mac,state,expiresAt\r\n198.18.10.100,02:00:00:00:00:01,bound,\r\n198.18.10.101,02:00:00:00:00:02,bound,never\r\n198.18.10.102,02:00:00:00:00:03,bound,Never\r\n', NOW);
    expect(csv.problems).toEqual([]);
    expect(csv.leases.map((l) => l.expiresAt)).toEqual([NEVER_EXPIRES, NEVER_EXPIRES, NEVER_EXPIRES]);
    const json = parseText('json', '[{ "ip": "198.18.10.100", "mac": "02:00:00:00:00:01", "expiresAt": null }, { "ip": "198.18.10.101", "mac": "02:00:00:00:00:02", "expiresAt": "never" }]', NOW);
    expect(json.problems).toEqual([]);
    expect(json.leases.map((l) => [l.state, l.expiresAt])).toEqual([['bound', NEVER_EXPIRES], ['bound', NEVER_EXPIRES]]);
    // A date that is not one is still refused, with its line.
    expect(parseText('json', '[\n{ "ip": "198.18.10.100", "mac": "02:00:00:00:00:01", "expiresAt": "tomorrow" }]', NOW).problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/"tomorrow" is not a date/) })]);
  });

  it('tftpd64: the expiry is the start plus "Lease (minutes)"', () => {
    const back = parseText('tftpd64', exportLeases('tftpd64', LEASES), NOW);
    for (const l of back.leases) expect(l.expiresAt - l.startsAt!).toBe(600_000);
  });
});

describe('reservation round trips', () => {
  for (const f of FORMATS.filter((x) => x.exports.reservations)) {
    it(`${f.id}: ${f.carries.reservations!.join(', ')}`, () => {
      const cfg = parseConfig({ ...CONFIG, reservations: RESERVATIONS });
      const text = exportText({ what: 'reservations', format: f.id, leases: [], reservations: RESERVATIONS, config: cfg, now: NOW });
      const back = parseText(f.id, text, NOW);
      expect(back.problems).toEqual([]);
      const keys = f.carries.reservations!;
      expect(back.reservations.map((r) => pick(r, keys))).toEqual(RESERVATIONS.map((r) => pick(r, keys)));
    });
  }
});

describe('auto-detection', () => {
  for (const f of FORMATS.filter((x) => x.exports.leases)) {
    it(`recognises our ${f.id} lease export`, () => expect(detectFormat(exportLeases(f.id, LEASES))).toBe(f.id));
  }
  for (const f of FORMATS.filter((x) => x.exports.reservations)) {
    it(`recognises our ${f.id} reservation export`, () => {
      const cfg = parseConfig({ ...CONFIG, reservations: RESERVATIONS });
      expect(detectFormat(exportText({ what: 'reservations', format: f.id, leases: [], reservations: RESERVATIONS, config: cfg, now: NOW }))).toBe(f.id);
    });
  }
  it('recognises a MAC list and refuses to guess random text', () => {
    expect(detectFormat('b8:27:eb:12:34:56\r\nB8-27-EB-65-43-21 pi-2\n# c\nb827.eb00.aa01\n')).toBe('mac-list');
    expect(detectFormat('hello world\n')).toBeUndefined();
  });
});

describe('real-looking files', () => {
  it('ISC dhcpd.leases as dhcpd 4.4.3 writes it (octal uid, server-duid, set, superseded declarations, CRLF)', () => {
    const text = [
      '# The format of this file is documented in the dhcpd.leases(5) manual page.',
      '# This lease file was written by isc-dhcp-4.4.3-P1',
      '',
      '# authoring-byte-order entry is generated, DO NOT DELETE',
      'authoring-byte-order little-endian;',
      '',
      'server-duid "\\000\\001\\000\\0012\\226\\325\\2522\\030\\0200 f";',
      '',
      'lease 198.18.10.100 {',
      '  starts 1 2026/11/23 09:00:00;',
      '  ends 1 2026/11/23 09:10:00;',
      '  binding state free;',
      '  hardware ethernet 1a:56:da:ad:47:73;',
      '}',
      'lease 198.18.10.100 {',
      '  starts 1 2026/11/23 10:45:01;',
      '  ends 1 2026/11/23 22:45:01;',
      '  cltt 1 2026/11/23 10:45:01;',
      '  binding state active;',
      '  next binding state free;',
      '  rewind binding state free;',
      '  hardware ethernet 1a:56:da:ad:47:73;',
      '  uid "\\001\\032V\\332\\255Gs";',
      '  set vendor-class-identifier = "udhcp 1.35.0";',
      '  client-hostname "k\\303\\274che";',
      '}',
      'lease 198.18.10.101 {',
      '  starts 1 2026/11/23 08:00:00;',
      '  ends 1 2026/11/23 08:10:00;',
      '  binding state abandoned;',
      '  hardware ethernet 02:00:00:00:00:01;',
      '}',
      'lease 198.18.10.102 {',
      '  starts 1 2026/11/23 08:00:00;',
      '  ends 1 2026/11/23 08:10:00;',
      '  binding state free;',
      '}',
      'host printer { dynamic; hardware ethernet 02:00:00:00:00:aa; fixed-address 198.18.10.20; }',
      'host printer { dynamic; deleted; }',
      'host cam { hardware ethernet 02:00:00:00:00:bb; fixed-address 198.18.10.21; }',
    ].join('\r\n');
    expect(detectFormat(text)).toBe('isc-dhcpd');
    const r = parseText('isc-dhcpd', text, NOW);
    expect(r.problems).toEqual([]);
    expect(r.leases).toHaveLength(2);
    const l = r.leases.find((x) => x.ip === '198.18.10.100')!;
    expect(l).toMatchObject({ mac: '1a:56:da:ad:47:73', clientId: '01:1a:56:da:ad:47:73', hostname: 'küche', vendorClass: 'udhcp 1.35.0', state: 'bound', line: 15 });
    expect(l.expiresAt).toBe(Date.UTC(2026, 10, 23, 22, 45, 1));
    expect(r.leases.find((x) => x.ip === '198.18.10.101')!.state).toBe('declined');
    expect(r.reservations).toEqual([{ mac: '02:00:00:00:00:bb', ip: '198.18.10.21', hostname: 'cam', line: 40 }]);
  });

  it('ISC: a broken block names its line', () => {
    const r = parseText('isc-dhcpd', 'lease 198.18.10.100 {\n  starts 1 2026/11/23 10:45:01;\n  ends 1 2026/13/45\n}\n', NOW);
    expect(r.problems[0]).toMatchObject({ line: 3 });
    expect(parseText('isc-dhcpd', 'lease 198.18.10.100 {\n  starts 1 2026/11/23 10:45:01;\n', NOW).problems[0]!.message).toMatch(/never closed/);
  });

  it('dnsmasq lease file as dnsmasq 2.90 writes it, with an IPv6 part and a bad line', () => {
    const text = '1795431315 ba:ce:1e:48:96:e6 198.18.10.146 labhost2 01:ba:ce:1e:48:96:e6\n0 02:00:00:00:00:02 198.18.10.147 * *\nduid 00:01:00:01:2b:3c:4d:5e:02:00:00:00:00:01\n1795431315 1234 2001:db8::5 * 00:01:00:01\n\n1795431315 zz:zz 198.18.10.148 x *\n';
    expect(detectFormat(text)).toBe('dnsmasq');
    const r = parseText('dnsmasq', text, NOW);
    expect(r.problems).toMatchObject([{ line: 6, message: expect.stringMatching(/zz:zz/) }]);
    expect(r.leases[0]).toMatchObject({ ip: '198.18.10.146', mac: 'ba:ce:1e:48:96:e6', hostname: 'labhost2', clientId: '01:ba:ce:1e:48:96:e6', expiresAt: 1795431315000, state: 'bound', line: 1 });
    expect(r.leases[1]!.state).toBe('bound'); // 0 = infinite
    expect(r.notes).toContain('1 IPv6 lease line(s) skipped');
  });

  it('dnsmasq.conf: dhcp-host in its many shapes, other settings ignored', () => {
    const text = [
      '# lab dnsmasq',
      'interface=eth1',
      'bind-interfaces',
      'dhcp-range=198.18.10.100,198.18.10.150,12h',
      'dhcp-host=02:00:00:00:00:aa,198.18.10.20,printer,infinite',
      'dhcp-host=02-00-00-00-00-BB,set:lab,198.18.10.21',
      'dhcp-host=id:01:02:00:00:00:00:cc,198.18.10.22,cam',
      'dhcp-host=02:00:00:00:00:dd,ignore',
      'dhcp-host=laptop,198.18.10.23',
    ].join('\n');
    const r = parseText('dnsmasq', text, NOW);
    expect(r.reservations.map((x) => [x.mac, x.ip, x.hostname])).toEqual([
      ['02:00:00:00:00:aa', '198.18.10.20', 'printer'],
      ['02:00:00:00:00:bb', '198.18.10.21', undefined],
      ['02:00:00:00:00:cc', '198.18.10.22', 'cam'],
    ]);
    expect(r.problems).toMatchObject([{ line: 9, message: expect.stringMatching(/no Ethernet MAC/) }]);
  });

  it('Kea lease CSV as kea-dhcp4 2.2 writes it (escaped comma, declined without hwaddr, pool_id column of 2.4)', () => {
    const text = [
      'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id',
      '198.18.10.100,06:7e:03:79:be:10,01:06:7e:03:79:be:10,600,1795431291,1,0,0,a&#x2cb,0,,0',
      '198.18.10.101,,,86400,1795431291,1,0,0,,1,,0',
      '198.18.10.102,06:7e:03:79:be:1,,600,17954x,1,0,0,,0,,0',
    ].join('\r\n');
    const r = parseText('kea', text, NOW);
    expect(r.leases[0]).toMatchObject({ ip: '198.18.10.100', hostname: 'a,b', startsAt: (1795431291 - 600) * 1000, line: 2 });
    expect(r.leases[1]).toMatchObject({ mac: '', state: 'declined' });
    expect(r.problems).toMatchObject([{ line: 4, message: expect.stringMatching(/expire/) }]);
  });

  it('Kea configuration with comments: global, subnet and shared-network reservations', () => {
    const text = `// kea-dhcp4.conf
{ "Dhcp4": {
  # global
  "reservations": [ { "hw-address": "02:00:00:00:00:01", "ip-address": "198.18.10.30", "hostname": "glob" } ],
  "subnet4": [ { "id": 1, "subnet": "198.18.10.0/24",
    /* per subnet */
    "reservations": [
      { "hw-address": "02:00:00:00:00:02", "ip-address": "198.18.10.31" },
      { "client-id": "01:02:00:00:00:00:03", "ip-address": "198.18.10.32" },
      { "duid": "00:01:02", "ip-address": "198.18.10.33" },
      { "hw-address": "nope", "ip-address": "198.18.10.34" }
    ] } ],
  "shared-networks": [ { "name": "x", "subnet4": [ { "subnet": "198.18.20.0/24", "reservations": [ { "hw-address": "02:00:00:00:00:05", "ip-address": "198.18.20.5" } ] } ] } ]
} }`;
    const r = parseText('kea', text, NOW);
    expect(r.reservations.map((x) => [x.mac, x.ip, x.line])).toEqual([
      ['02:00:00:00:00:01', '198.18.10.30', 4],
      ['02:00:00:00:00:02', '198.18.10.31', 8],
      ['02:00:00:00:00:03', '198.18.10.32', 9],
      ['02:00:00:00:00:05', '198.18.20.5', 13],
    ]);
    expect(r.problems).toMatchObject([{ line: 11, message: expect.stringMatching(/nope/) }]);
    expect(r.notes.join()).toMatch(/duid/);
  });

  it('Tftpd64 ini with CRLF, a freed slot and a bad time', () => {
    const text = '[DHCP]\r\nIP_Pool=198.18.10.100\r\nPoolSize=50\r\nLease (minutes)=60\r\nLease_NumLeases=3\r\nLease_0_MAC=02:00:00:00:00:0A\r\nLease_0_IP=198.18.10.100\r\nLease_0_InitialOfferTime=11/23/2026/09:00:00\r\nLease_0_LeaseStartTime=11/23/2026/09:30:00\r\nLease_1_MAC=00:00:00:00:00:00\r\nLease_1_IP=198.18.10.101\r\nLease_2_MAC=02:00:00:00:00:0C\r\nLease_2_IP=198.18.10.102\r\nLease_2_LeaseStartTime=99/99/2026/09:30:00\r\n[TFTPD32]\r\nBaseDirectory=.\r\n';
    const r = parseText('tftpd64', text, NOW);
    expect(r.leases[0]).toMatchObject({ ip: '198.18.10.100', mac: '02:00:00:00:00:0a', startsAt: new Date(2026, 10, 23, 9, 30).getTime(), expiresAt: new Date(2026, 10, 23, 10, 30).getTime() });
    expect(r.problems).toMatchObject([{ line: 14, message: expect.stringMatching(/not a Tftpd64 time/) }]);
  });

  it('our CSV: formula escaping undone, quoted UTF-8, bad row named by line', () => {
    const text = 'ip,mac,hostname,state,expiresAt\r\n198.18.10.100,02:00:00:00:00:01,"\'=HYPERLINK(1)",bound,2026-11-23T12:00:00.000Z\r\n198.18.10.101,02:00:00:00:00:02,"Wohn, zimmer",bound,2026-11-23T12:00:00Z\r\n198.18.10.999,02:00:00:00:00:03,,bound,2026-11-23T12:00:00Z\r\n';
    const r = parseText('csv', text, NOW);
    expect(r.leases.map((l) => l.hostname)).toEqual(['=HYPERLINK(1)', 'Wohn, zimmer']);
    expect(r.problems).toMatchObject([{ line: 4, message: expect.stringMatching(/198\.18\.10\.999/) }]);
  });

  it('our JSON: syntax error and bad item name their lines', () => {
    expect(parseText('json', '[\n {"ip": "198.18.10.1",\n "mac": }\n]', NOW).problems[0]!.line).toBe(3);
    const r = parseText('json', '{\n  "reservations": [\n    { "mac": "02:00:00:00:00:01", "ip": "198.18.10.20" },\n    { "mac": "02:00:00:00:00:02", "ip": "x" }\n  ]\n}\n', NOW);
    expect(r.problems).toMatchObject([{ line: 4, message: expect.stringMatching(/"x"/) }]);
  });

  it('our JSON: reservation options with a prototype key are refused', () => {
    const r = parseText('json', '{ "reservations": [\n { "mac": "02:00:00:00:00:01", "ip": "198.18.10.20", "options": { "__proto__": { "x": 1 } } }\n] }', NOW);
    expect(r.problems).toMatchObject([{ line: 2, message: expect.stringMatching(/forbidden key/) }]);
  });

  it('our JSON: reservation options go through the server\'s encoder; a bad one is named with its line', () => {
    const text = '{ "reservations": [\n { "mac": "02:00:00:00:00:01", "ip": "198.18.10.20", "options": { "ntp-servers": ["198.18.10.1"], "vendor-encapsulated-options": [{ "code": 1, "type": "ip", "value": "198.18.10.5" }], "150": ["198.18.10.5"] } },\n { "mac": "02:00:00:00:00:02", "ip": "198.18.10.21", "options": { "ntp-servers": "nope", "no-such-option": 5 } },\n { "mac": "02:00:00:00:00:03", "ip": "198.18.10.22", "options": { "dhcp-server-identifier": "198.18.10.1" } },\n { "mac": "02:00:00:00:00:04", "ip": "198.18.10.23", "options": ["ntp-servers"] }\n] }';
    const r = parseText('json', text, NOW);
    expect(r.reservations.map((x) => x.mac)).toEqual(['02:00:00:00:00:01']);
    expect(r.reservations[0]!.options).toEqual({ 'ntp-servers': ['198.18.10.1'], 'vendor-encapsulated-options': [{ code: 1, type: 'ip', value: '198.18.10.5' }], '150': ['198.18.10.5'] });
    expect(r.problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/^options\.ntp-servers: option 42 \(ntp-servers\): expected a non-empty list of IPv4 addresses; options\.no-such-option: unknown option "no-such-option"/) }),
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^options\.dhcp-server-identifier: option 54 \(dhcp-server-identifier\) is filled in by the server for each message and cannot be configured/) }),
      expect.objectContaining({ line: 5, message: expect.stringMatching(/options must be an object/) }),
    ]);
  });

  it('MAC list: every notation, names, comments; a bad line named', () => {
    const r = parseText('mac-list', 'b8:27:eb:12:34:56\r\nB8-27-EB-65-43-21 pi-2\n# comment\nb827.eb00.aa01\n\nb827eb00aa02\nnot-a-mac\n', NOW);
    expect(r.reservations.map((x) => x.mac)).toEqual(['b8:27:eb:12:34:56', 'b8:27:eb:65:43:21', 'b8:27:eb:00:aa:01', 'b8:27:eb:00:aa:02']);
    expect(r.problems).toMatchObject([{ line: 7, message: expect.stringMatching(/not-a-mac/) }]);
  });
});

describe('registry', () => {
  it('every format says what it carries and has notes', () => {
    for (const f of FORMATS) {
      expect(f.notes.length).toBeGreaterThan(20);
      for (const w of f.imports) expect(f.carries[w], `${f.id} ${w}`).toBeDefined();
    }
    expect(formatInfo('kea').exports.reservations!.filename).toBe('kea-dhcp4.conf');
  });
});
