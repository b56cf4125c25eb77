// Import problems, import notes, preview conflicts and the Kea export's notes in the UI language.
// Driven by the engine's own parsers, preview and Kea builder on bad and odd inputs, so every code
// the engine emits is checked: its English catalog entry, filled with the engine's values, must be
// the engine's sentence exactly (the CLI prints that sentence; the UI's English shows it as is),
// and its Korean is Korean and keeps the names, addresses and numbers. Both ways: every catalog
// entry of these families is reached by some input here.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/schema.js';
import { ipToInt, parseCidr } from '../../../src-main/dhcp/ip.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { parseText } from '../../../src-main/portability/codecs.js';
import type { Problem, TextCode } from '../../../src-main/portability/model.js';
import { buildPreview, type Conflict, type ImportState } from '../../../src-main/portability/preview.js';
import type { FormatId } from '../../../src-main/portability/registry.js';
import { exportKea, previewImport } from '../../../src-main/portability/service.js';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { setLocale, translate } from '../../../src-renderer/src/i18n/index.js';
import { conflictText, importErrorText, keaNotes, noteText, problemText } from '../../../src-renderer/src/lib/portability-text.js';

const HANGUL = /[\uac00-\ud7a3]/;
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const EXP = '2026-06-01T00:00:00Z';
const KEA_HEAD = 'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context';
const A = '02:00:00:00:00:0a';

/** Bad or odd files, by format: each reaches one or more problem or note codes. */
const FILES: [FormatId, string][] = [
  ['csv', 'ip,mac\n"198.18.0.1,aa\n'],
  ['csv', 'ip,mac\n"a"b,c\n'],
  ['csv', ''],
  ['csv', 'foo,bar\n1,2\n'],
  ['csv', `mac,ip\n${A},\n,198.18.0.1\n${A},zz\n${A},198.18.0.2,host,zz\n`],
  ['csv', `ip,mac,expiresAt\nzz,${A},${EXP}\n198.18.0.1,zz,${EXP}\n198.18.0.1,${A},nope\n`],
  ['csv', `ip,mac,expiresAt,state,clientId,startsAt,relay,paramRequest\n198.18.0.1,${A},${EXP},weird,,,,\n198.18.0.1,${A},${EXP},bound,zz,,,\n198.18.0.1,${A},${EXP},bound,,nope,,\n198.18.0.1,${A},${EXP},bound,,,nope,\n198.18.0.1,${A},${EXP},bound,,,,300\n`],
  ['json', '{'],
  ['json', '{"x": 1}'],
  ['json', '5'],
  ['json', '[5]'],
  ['json', `{"reservations": [5, {"mac": "${A}", "ip": "198.18.0.1", "options": {"constructor": 1}}, {"mac": "${A}"}]}`],
  ['dnsmasq', `abc\n1795431315 ${A} 999.1.1.1 host *\n1795431315 zz 198.18.0.1 host *\n1795431315 ${A} 198.18.0.1 host zz\n1795431315 ${A} fd00::1 host *\n`],
  ['dnsmasq', `port=0\ndhcp-host=198.18.0.5,foo\ndhcp-host=${A},ignore\ndhcp-host=02:00:00:*:*:*,198.18.0.5\ndhcp-host=${A},foo\n`],
  ['dnsmasq', '# nothing here\n'],
  ['isc-dhcpd', 'lease 198.18.0.1 { client-hostname "abc'],
  ['isc-dhcpd', '}'],
  ['isc-dhcpd', 'lease 198.18.0.1 {'],
  ['isc-dhcpd', 'lease 198.18.0.1 { starts 1 2026/01/01 00:00:00 }'],
  ['isc-dhcpd', `lease foo { }\nlease 198.18.0.1 { starts bogus; hardware ethernet zz; }\nlease 198.18.0.2 { binding state weird; hardware ethernet ${A}; ends never; }\nlease 198.18.0.3 { binding state active; hardware ethernet ${A}; }\nhost a { hardware ethernet zz; }\n`],
  ['isc-dhcpd', `ia-na "x" { }\nhost b { hardware ethernet ${A}; fixed-address foo.example; }\nhost c { fixed-address 198.18.0.1; }\nhost d { hardware ethernet ${A}; }\n`],
  ['kea', 'address,hwaddr\n'],
  ['kea', `${KEA_HEAD}\nzz,${A},,3600,1795431315,1,0,0,,0,\n198.18.0.1,zz,,3600,1795431315,1,0,0,,0,\n198.18.0.2,${A},,x,1795431315,1,0,0,,0,\n198.18.0.3,${A},,3600,1795431315,1,0,0,,7,\n198.18.0.4,,,3600,1795431315,1,0,0,,0,\n198.18.0.5,${A},zz,3600,1795431315,1,0,0,,0,\nfd00::1,${A},,3600,1795431315,1,0,0,,0,\n`],
  ['kea', '{"Dhcp4": {'],
  ['kea', '{"x": 1}'],
  ['kea', `{"Dhcp4": {"reservations": [5, {"hw-address": "zz", "ip-address": "198.18.0.1"}, {"hw-address": "${A}", "ip-address": 5}, {"duid": "01:02", "ip-address": "198.18.0.1"}, {"hw-address": "${A}"}]}}`],
  ['tftpd64', '[DHCP]\nnokeyvalue\n'],
  ['tftpd64', 'x=1\n'],
  ['tftpd64', '[DHCP]\nLease_NumLeases=x\n'],
  ['tftpd64', `[DHCP]\nLease_NumLeases=4\nLease_1_MAC=zz\nLease_1_IP=198.18.0.1\nLease_2_MAC=${A}\nLease_2_IP=zz\nLease_3_MAC=${A}\nLease_3_IP=198.18.0.3\n`],
  ['tftpd64', `[DHCP]\nLease_NumLeases=1\nLease_0_MAC=${A}\nLease_0_IP=198.18.0.1\nLease_0_LeaseStartTime=13/45/2026/99:00:00\n`],
  ['mac-list', `zz\n${A} host extra\n`],
];

const parsed = FILES.map(([format, text]) => {
  const r = format === 'dnsmasq' && text.startsWith('#') ? previewImport({ text, format }, {}, [], NOW) : parseText(format, text, NOW);
  return { format, text, problems: r.problems, notes: r.notes, noteCodes: r.noteCodes };
});
const problems: Problem[] = parsed.flatMap((p) => p.problems);
const notes: { message: string; code: TextCode }[] = parsed.flatMap((p) => p.notes.map((message, i) => ({ message, code: p.noteCodes?.[i] as TextCode })));

// ---- the preview's conflicts, against a state that has one of everything ----

const subnet = { subnet: '198.18.0.0/24', cidr: parseCidr('198.18.0.0/24')!, range: [ipToInt('198.18.0.100'), ipToInt('198.18.0.101')] as [number, number], hosts: ['198.18.0.1'] };
const lease = (ip: string, mac: string, state: Lease['state'], expiresAt: number): Lease => ({ ip, mac, clientId: `01:${mac}`, state, subnet: subnet.subnet, startsAt: NOW - 1000, expiresAt, firstSeen: NOW - 1000, lastSeen: NOW - 1000 });
const STATE: ImportState = {
  now: NOW,
  subnets: [subnet],
  reservations: [
    { mac: A, ip: '198.18.0.10', hostname: 'cam' },
    { mac: '02:00:00:00:00:0b', ip: '198.18.0.11' },
  ],
  leases: [lease('198.18.0.20', '02:00:00:00:00:0c', 'bound', NOW + 3_600_000), lease('198.18.0.21', '', 'declined', NOW + 3_600_000), lease('198.18.0.22', '02:00:00:00:00:0d', 'expired', NOW - 10)],
  leaseTime: 3600,
};
const m = (n: number) => `02:00:00:00:01:${n.toString(16).padStart(2, '0')}`;
const full = buildPreview(
  {
    problems: [],
    notes: [],
    reservations: [
      { mac: m(1), ip: '198.18.0.30', line: 1 },
      { mac: m(1), ip: '198.18.0.31', line: 2 },
      { mac: m(2), ip: '198.18.0.30', line: 3 },
      { mac: m(3), ip: '198.18.0.40' },
      { mac: m(3), ip: '198.18.0.41' },
      { mac: m(4), ip: '198.18.0.40' },
      { mac: m(5), ip: '198.18.0.42', hostname: 'bad name' },
      { mac: m(6), ip: '10.0.0.1' },
      { mac: m(7), ip: '198.18.0.0' },
      { mac: m(8), ip: '198.18.0.1' },
      { mac: m(9), ip: '198.18.0.10' },
      { mac: m(10), ip: '198.18.0.11' },
      { mac: m(11), ip: '198.18.0.20' },
      { mac: A, ip: '198.18.0.43' },
      { mac: m(12) },
      { mac: m(13) },
      { mac: m(14) },
    ],
    leases: [
      { ip: '198.18.0.50', mac: m(20), state: 'expired', expiresAt: NOW - 1, line: 5 },
      { ip: '198.18.0.50', mac: m(21), state: 'expired', expiresAt: NOW - 1, line: 6 },
      { ip: '198.18.0.51', mac: m(20), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.51', mac: m(21), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.52', mac: m(22), state: 'bound', expiresAt: NOW + 1000, line: 7 },
      { ip: '198.18.0.53', mac: m(22), state: 'bound', expiresAt: NOW + 1000, line: 8 },
      { ip: '198.18.0.54', mac: m(23), state: 'bound', expiresAt: NOW + 1000 },
      { ip: '198.18.0.55', mac: m(23), state: 'bound', expiresAt: NOW + 1000 },
      { ip: '10.0.0.2', mac: m(24), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.255', mac: m(25), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.10', mac: m(26), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.60', mac: A, state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.21', mac: m(27), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.20', mac: m(28), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.22', mac: m(29), state: 'expired', expiresAt: NOW - 1 },
      { ip: '198.18.0.61', mac: '02:00:00:00:00:0c', state: 'bound', expiresAt: NOW + 1000 },
    ],
  },
  STATE,
  'csv',
  false,
);
const empty = buildPreview(
  {
    problems: [],
    notes: [],
    reservations: [{ mac: m(30), ip: '198.18.0.5' }, { mac: m(31) }],
    leases: [
      { ip: '198.18.0.5', mac: m(32), state: 'expired', expiresAt: NOW - 1, subnet: '198.18.0.0/24' },
      { ip: '198.18.0.6', mac: m(33), state: 'expired', expiresAt: NOW - 1 },
    ],
  },
  { ...STATE, subnets: [], reservations: [], leases: [] },
  'csv',
  false,
);
const conflicts: Conflict[] = [full, empty].flatMap((p) => [...p.reservations, ...p.leases].flatMap((r) => r.conflicts));

// ---- the Kea export's notes ----

const keaCfg = parseConfig({
  interface: 'eth1',
  knownClientsOnly: true,
  subnets: [
    { subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1', options: { 'netbios-node-type': 8, 'ntp-servers': ['198.18.10.1'] } },
    { subnet: '198.18.50.0/24', range: '198.18.50.100-198.18.50.110' },
  ],
  reservations: [{ mac: A, ip: '198.18.10.20' }],
  classes: [
    { name: 'one', vendorClass: 'MSFT 5.0', options: { 'netbios-node-type': 2 } },
    { name: 'many', vendorClass: 'udhcp', match: 'prefix', options: { 'netbios-node-type': 2, 'ntp-servers': ['198.18.10.2'] } },
  ],
});
const kea = exportKea(keaCfg, [], { leaseFile: '/var/lib/kea/leases.csv', ha: { mode: 'load-balancing', thisServer: 'a', peers: [{ name: 'a', url: 'http://198.18.0.1:8000/' }, { name: 'b', url: 'http://198.18.0.2:8000/' }] } });

// ---- every sentence with its catalog key ----

interface Sentence {
  key: string;
  english: string;
  params: Record<string, string | number>;
  shown: () => string;
}
const sentences: Sentence[] = [
  ...problems.map((p) => ({ key: `import.problem.${p.code}`, english: p.message, params: p.params ?? {}, shown: () => problemText(p) })),
  ...notes.map((n, i) => ({ key: `import.note.${n.code?.code}`, english: n.message, params: n.code?.params ?? {}, shown: () => noteText('import', notes.map((x) => x.message), notes.map((x) => x.code), i) })),
  ...conflicts.map((c) => ({ key: `import.conflictText.${c.text?.code}`, english: c.message, params: c.text?.params ?? {}, shown: () => conflictText(c) })),
  ...kea.notes.map((n, i) => ({ key: `kea.note.${kea.noteCodes[i]?.code}`, english: n, params: kea.noteCodes[i]?.params ?? {}, shown: () => keaNotes(kea)[i]! })),
];

afterEach(() => setLocale('en'));

describe('import and Kea export sentences in the UI language', () => {
  it('every problem, note, conflict and Kea note the engine built has a code', () => {
    expect(problems.filter((p) => !p.code).map((p) => p.message)).toEqual([]);
    expect(notes.filter((n) => !n.code).map((n) => n.message)).toEqual([]);
    expect(conflicts.filter((c) => !c.text).map((c) => c.message)).toEqual([]);
    expect(kea.notes.length).toBe(kea.noteCodes.length);
    expect(kea.noteCodes.filter((c) => !c)).toEqual([]);
  });

  it('every code reached here has a catalog entry, and every catalog entry of these families is reached', () => {
    const keys = new Set(sentences.map((s) => s.key));
    const families = /^(import\.problem|import\.note|import\.conflictText|kea\.note)\./;
    expect([...keys].filter((k) => !(k in en)).sort()).toEqual([]);
    expect(Object.keys(en).filter((k) => families.test(k) && !keys.has(k)).sort()).toEqual([]);
  });

  it('English: the catalog mirrors the engine’s sentence exactly, and the UI shows the engine’s sentence', () => {
    const wrong: string[] = [];
    for (const s of sentences) {
      const filled = translate('en', s.key as never, s.params);
      if (filled !== s.english) wrong.push(`${s.key}\n  engine:  ${s.english}\n  catalog: ${filled}`);
      expect(s.shown()).toBe(s.english);
    }
    expect(wrong).toEqual([]);
  });

  it('Korean: every sentence is Korean and keeps its values (addresses, MACs, names, line numbers)', () => {
    setLocale('ko');
    const english: string[] = [];
    for (const s of sentences) {
      const shown = s.shown();
      if (!HANGUL.test(shown)) english.push(`${s.key}: ${shown}`);
      for (const [name, v] of Object.entries(s.params)) if (name !== 'state' && String(v) !== '') expect(shown, `${s.key} {${name}}`).toContain(String(v));
      expect(ko[s.key as keyof typeof ko], s.key).toBeTruthy();
    }
    expect(english).toEqual([]);
    // Examples: a line problem, a note, a conflict with the kind first, a Kea note.
    expect(problemText(problems.find((p) => p.code === 'field-mac')!)).toBe('mac "zz"은(는) MAC 주소가 아닙니다');
    expect(conflictText(conflicts.find((c) => c.text?.code === 'history')!)).toBe('다른 장치의 기록을 대체: 198.18.0.22의 02:00:00:00:00:0d 기록(만료됨)을 대체합니다');
    expect(keaNotes(kea)[0]).toBe('kea-dhcp4.conf는 임대 파일이 /var/lib/kea/leases.csv에 있다고 봅니다: Kea를 시작하기 전에 leases.csv을(를) 그 위치에 복사하세요 (소유자는 Kea를 실행하는 사용자, Debian에서는 _kea).');
  });

  it('a sentence without a code, or with a code this renderer does not know, stays the engine’s English', () => {
    setLocale('ko');
    expect(problemText({ line: 3, message: 'a newer problem' })).toBe('a newer problem');
    expect(problemText({ line: 3, message: 'from a newer engine', code: 'not-in-the-catalog', params: {} })).toBe('from a newer engine');
    expect(noteText('import', ['plain note'], undefined, 0)).toBe('plain note');
    expect(keaNotes({ notes: ['old engine note'] })).toEqual(['old engine note']);
  });

  it('the preview error for an unrecognised file is worded from the file name', () => {
    let message = '';
    try {
      previewImport({ text: 'hello\nworld\n', filename: 'notes.txt' }, {}, [], NOW);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^cannot tell which format "notes\.txt" is in/);
    expect(importErrorText(message, 'notes.txt')).toBe(message);
    setLocale('ko');
    expect(importErrorText(message, 'notes.txt')).toBe('"notes.txt"의 형식을 알 수 없습니다: 형식을 직접 고르세요 (csv, json, dnsmasq, isc-dhcpd, kea, tftpd64, mac-list)');
    expect(importErrorText('the connection was lost', undefined)).toBe('the connection was lost');
  });
});
