// Import preview: conflicts of every kind against the current reservations, leases and subnets,
// defaults for "include", and what applying a selection does. Pure.
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { ImportRefused, planApply } from '../../../src-main/portability/apply.js';
import { parseText } from '../../../src-main/portability/codecs.js';
import { buildPreview, importStateFromDraft, type Conflict } from '../../../src-main/portability/preview.js';
import { planImport, previewImport, UnknownFormat } from '../../../src-main/portability/service.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const H = 3_600_000;
const DRAFT = {
  interface: 'sv0',
  leaseTime: 600,
  subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.110', router: '198.18.10.1', dns: ['198.18.10.53'] }],
  reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer', options: { 'boot-file-name': 'p.bin' } }],
};
const mk = (ip: string, mac: string, over: Partial<Lease> = {}): Lease => ({ ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: NOW - H, expiresAt: NOW + H, firstSeen: NOW - H, lastSeen: NOW - H, ...over });
const STORE: Lease[] = [
  mk('198.18.10.100', '02:00:00:00:00:01'),
  mk('198.18.10.101', '02:00:00:00:00:02', { state: 'expired', expiresAt: NOW - H }),
  mk('198.18.10.102', '02:00:00:00:00:03', { state: 'declined', expiresAt: NOW + H }),
];
const codes = (cs: Conflict[]) => cs.map((c) => `${c.code}${c.blocking ? '!' : ''}`);

describe('reservation conflicts', () => {
  const text = [
    'dhcp-host=02:00:00:00:00:aa,198.18.10.21,printer', // same MAC, other IP
    'dhcp-host=02:00:00:00:00:bb,198.18.10.20', // IP reserved for another MAC
    'dhcp-host=02:00:00:00:00:cc,192.0.2.9', // outside every subnet
    'dhcp-host=02:00:00:00:00:dd,198.18.10.1', // the router
    'dhcp-host=02:00:00:00:00:ee,198.18.10.100,ok-name', // leased to another device: warning only
    'dhcp-host=02-00-00-00-00-EE,198.18.10.30', // same MAC in another notation
    'dhcp-host=02:00:00:00:00:ff,198.18.10.30', // fine
    'dhcp-host=02:00:00:00:00:11,198.18.10.30', // IP given twice in the file
    'dhcp-host=02:00:00:00:00:aa,198.18.10.20,printer', // duplicate MAC in file (first row already took it)
  ].join('\n');
  const p = previewImport({ text, format: 'dnsmasq' }, DRAFT, STORE, NOW);

  it('flags each row with its conflicts and keeps blocked rows out', () => {
    expect(p.reservations.map((r) => [r.line, r.action, codes(r.conflicts), r.include])).toEqual([
      [1, 'replace', ['same-mac-other-ip'], false],
      [2, 'add', ['ip-reserved-for-other!'], false],
      [3, 'add', ['outside-subnets!'], false],
      [4, 'add', ['not-assignable!'], false],
      [5, 'add', ['leased-to-other'], true],
      [6, 'add', ['duplicate-in-file!'], false],
      [7, 'add', [], true],
      [8, 'add', ['duplicate-in-file!'], false],
      [9, 'add', ['duplicate-in-file!'], false],
    ]);
    expect(p.counts).toMatchObject({ reservations: 9, blocked: 6, warnings: 2, included: 2 });
    expect(p.reservations[5]!.conflicts[0]!.message).toMatch(/02:00:00:00:00:ee is already in this file \(line 5\), perhaps written another way/);
  });

  it('applies the defaults: adds the good rows, keeps the rest of the list verbatim', () => {
    const { plan } = planImport({ text, format: 'dnsmasq' }, {}, DRAFT, STORE, NOW);
    expect(plan.reservations).toEqual([
      DRAFT.reservations[0],
      { mac: '02:00:00:00:00:ee', ip: '198.18.10.100', hostname: 'ok-name' },
      { mac: '02:00:00:00:00:ff', ip: '198.18.10.30' },
    ]);
    expect(plan.added.reservations).toBe(2);
  });

  it('an opted-in replacement moves the reservation and keeps its options; asking for a blocked row only reports it', () => {
    const { plan } = planImport({ text, format: 'dnsmasq' }, { reservations: [0, 1], leases: [] }, DRAFT, STORE, NOW);
    expect(plan.reservations).toEqual([{ mac: '02:00:00:00:00:aa', ip: '198.18.10.21', hostname: 'printer', options: { 'boot-file-name': 'p.bin' } }]);
    expect(plan.replaced.reservations).toBe(1);
    expect(plan.skipped).toEqual([{ kind: 'reservation', id: 1, line: 2, reason: expect.stringMatching(/already reserved for 02:00:00:00:00:aa/) }]);
  });

  it('an invalid host name is dropped with a warning, not a refusal', () => {
    const q = previewImport({ text: 'dhcp-host=02:00:00:00:00:12,198.18.10.31,bad_name', format: 'dnsmasq' }, DRAFT, [], NOW);
    expect(codes(q.reservations[0]!.conflicts)).toEqual(['hostname-dropped']);
    expect(q.reservations[0]!.item.hostname).toBeUndefined();
    expect(q.reservations[0]!.include).toBe(true);
  });
});

describe('MAC lists: reserved at the next free address', () => {
  it('skips reserved, router/DNS, leased and already-picked addresses; keeps a device on its current address', () => {
    const draft = { ...DRAFT, subnets: [{ ...DRAFT.subnets[0]!, range: '198.18.10.100-198.18.10.106' }], reservations: [...DRAFT.reservations, { mac: '02:00:00:00:00:ab', ip: '198.18.10.103' }] };
    const text = 'b8:27:eb:00:00:01 pi-1\n02:00:00:00:00:01\nB827.EB00.0002\n02:00:00:00:00:aa\nb8:27:eb:00:00:03\nb8:27:eb:00:00:04\nb8:27:eb:00:00:05\n';
    const p = previewImport({ text }, draft, STORE, NOW);
    expect(p.format).toBe('mac-list');
    expect(p.detected).toBe(true);
    expect(p.reservations.map((r) => [r.item.mac, r.item.ip, r.action, r.blocked])).toEqual([
      ['b8:27:eb:00:00:01', '198.18.10.101', 'add', false], // .100 leased to :01, .101 is only history
      ['02:00:00:00:00:01', '198.18.10.100', 'add', false], // its own current lease
      ['b8:27:eb:00:00:02', '198.18.10.104', 'add', false], // .102 in decline quarantine, .103 reserved
      ['02:00:00:00:00:aa', '198.18.10.20', 'unchanged', false], // already reserved
      ['b8:27:eb:00:00:03', '198.18.10.105', 'add', false],
      ['b8:27:eb:00:00:04', '198.18.10.106', 'add', false],
      ['b8:27:eb:00:00:05', undefined, 'add', true], // range full
    ]);
    expect(p.reservations[6]!.conflicts[0]!.message).toMatch(/no free address left in 198\.18\.10\.100-198\.18\.10\.106/);
    expect(p.reservations.slice(0, 3).every((r) => r.item.auto || r.item.mac === '02:00:00:00:00:01')).toBe(true);
  });
});

describe('lease conflicts (the live-binding rule)', () => {
  const csv = [
    'ip,mac,state,expiresAt',
    `198.18.10.100,02:00:00:00:00:09,bound,${new Date(NOW + H).toISOString()}`, // live binding of another client
    `198.18.10.101,02:00:00:00:00:0a,bound,${new Date(NOW + H).toISOString()}`, // history of another client: replaced
    `198.18.10.102,02:00:00:00:00:08,bound,${new Date(NOW + H).toISOString()}`, // decline quarantine
    `198.18.10.103,02:00:00:00:00:01,bound,${new Date(NOW + H).toISOString()}`, // client bound elsewhere here
    `198.18.10.100,02:00:00:00:00:01,bound,${new Date(NOW + 2 * H).toISOString()}`, // duplicate IP in the file
    `198.18.10.20,02:00:00:00:00:07,expired,${new Date(NOW - H).toISOString()}`, // reserved for another MAC
    `192.0.2.1,02:00:00:00:00:06,bound,${new Date(NOW + H).toISOString()}`, // outside
    `198.18.10.104,02:00:00:00:00:aa,bound,${new Date(NOW + H).toISOString()}`, // the printer, reserved at .20: warning
    `198.18.10.105,02:00:00:00:00:05,bound,${new Date(NOW - 1000).toISOString()}`, // ended: imported as expired
  ].join('\r\n');
  const p = previewImport({ text: csv, format: 'csv' }, DRAFT, STORE, NOW);

  it('refuses rows that would override a live binding, replaces history, warns about reservations', () => {
    expect(p.leases.map((r) => [r.line, r.action, codes(r.conflicts)])).toEqual([
      [2, 'add', ['live-binding!']],
      [3, 'replace', ['history-of-other-client']],
      [4, 'add', ['live-binding!']],
      [5, 'add', ['live-binding!']],
      [6, 'add', ['duplicate-in-file!']],
      [7, 'add', ['ip-reserved-for-other!']],
      [8, 'add', ['outside-subnets!']],
      [9, 'add', ['same-mac-other-ip']],
      [10, 'add', []],
    ]);
  });

  it('builds full lease records for the store', () => {
    const state = importStateFromDraft(DRAFT, STORE, NOW);
    const plan = planApply(p, {}, state, DRAFT.reservations);
    expect(plan.leases.map((l) => [l.ip, l.state, l.clientId, l.subnet])).toEqual([
      ['198.18.10.101', 'bound', '01:02:00:00:00:00:0a', '198.18.10.0/24'],
      ['198.18.10.104', 'bound', '01:02:00:00:00:00:aa', '198.18.10.0/24'],
      ['198.18.10.105', 'expired', '01:02:00:00:00:00:05', '198.18.10.0/24'],
    ]);
    // A file without start times: the lease time of the configuration is assumed.
    expect(plan.leases[0]!.startsAt).toBe(NOW);
    expect(plan.leases[2]!.startsAt).toBe(NOW - 1000 - 600_000);
    expect(plan.replaced.leases).toBe(1);
    expect(plan.reservations).toBeUndefined();
  });
});

describe('a bad file changes nothing', () => {
  it('refuses to plan while the file has problems, naming the line', () => {
    const text = '1795431315 02:00:00:00:00:01 198.18.10.105 a *\nthis is not a lease\n';
    const p = previewImport({ text, format: 'dnsmasq' }, DRAFT, STORE, NOW);
    expect(p.problems).toMatchObject([{ line: 2, message: expect.any(String) }]);
    expect(p.counts.included).toBe(0);
    expect(() => planImport({ text, format: 'dnsmasq' }, {}, DRAFT, STORE, NOW)).toThrow(ImportRefused);
    expect(() => planImport({ text, format: 'dnsmasq' }, {}, DRAFT, STORE, NOW)).toThrow(/line 2/);
  });

  it('says so when the format cannot be recognised', () => {
    expect(() => previewImport({ text: 'hello\nworld\n', filename: 'notes.txt' }, DRAFT, STORE, NOW)).toThrow(UnknownFormat);
  });

  it('without any subnet, reservations are importable with a warning and leases are not', () => {
    const p = buildPreview(parseText('csv', `mac,ip\n02:00:00:00:00:01,198.18.10.5\n`, NOW), importStateFromDraft({}, [], NOW), 'csv', false);
    expect(codes(p.reservations[0]!.conflicts)).toEqual(['no-subnets']);
    expect(p.reservations[0]!.include).toBe(true);
  });
});
