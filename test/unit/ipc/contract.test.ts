// The contract's runtime gate: every call's schema accepts what the renderer legitimately sends and
// refuses the rest (wrong types, unknown keys, oversized or poisoned drafts, unknown call names).
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, CALLS, EVENT_NAMES, EVENTS, isCallName, parseRequest, type CallName } from '../../../src-main/ipc/contract.js';
import { CALL_NAME_LIST, EVENT_NAME_LIST } from '../../../src-main/ipc/names.js';

const goodDraft = { interface: 'eth1', subnets: [{ subnet: '192.168.77.0/24', range: '192.168.77.100-192.168.77.200' }] };

/** For every call: payloads that must pass, and payloads that must fail. */
const CASES: Record<CallName, { good: unknown[]; bad: unknown[] }> = {
  'app.ready': { good: [undefined, null, {}], bad: [{ x: 1 }, 'ready', 1, []] },
  'app.info': { good: [undefined, null, {}], bad: [{ verbose: true }, true] },
  'interfaces.list': { good: [undefined, {}], bad: [{ all: true }, 'eth0'] },
  'settings.get': { good: [undefined, {}], bad: [{ draft: {} }] },
  'settings.save': {
    good: [{ draft: goodDraft }, { draft: {} }, { draft: { interface: 42, subnets: 'nonsense' } }],
    bad: [
      undefined,
      {},
      { draft: 'x' },
      { draft: [] },
      { draft: goodDraft, extra: 1 },
      { draft: { ['a'.repeat(65)]: 1 } },
      { draft: { blob: 'x'.repeat(513 * 1024) } },
      { draft: JSON.parse('{"__proto__": {"polluted": true}}') },
      { draft: { subnets: [JSON.parse('{"constructor": {"prototype": {"x": 1}}}')] } },
      { draft: { a: { prototype: 1 } } },
    ],
  },
  'server.start': { good: [undefined, {}, { allowForeignNetwork: true }, { allowOtherServer: true, allowForeignNetwork: true }], bad: [{ allowForeignNetwork: 'yes' }, { allowOtherServer: 1 }, { force: true }, 5] },
  'server.stop': { good: [undefined, null, {}, { restore: false }, { restore: true }], bad: [{ now: true }, { restore: 'no' }] },
  'server.status': { good: [undefined, {}], bad: [[]] },
  'leases.list': { good: [undefined, {}], bad: [{ limit: 5 }] },
  'leases.export': { good: [{ format: 'csv' }, { format: 'json' }], bad: [undefined, {}, { format: 'xml' }, { format: 'csv', path: '/etc/passwd' }] },
  'export.file': {
    good: [{ what: 'leases', format: 'dnsmasq' }, { what: 'reservations', format: 'kea' }],
    bad: [undefined, { what: 'leases' }, { what: 'config', format: 'kea' }, { what: 'leases', format: 'xml' }, { what: 'leases', format: 'csv', path: '/etc/passwd' }],
  },
  'export.kea': {
    good: [{}, { interface: 'eth1', leaseFile: '/var/lib/kea/kea-leases4.csv' }, { ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'http://198.18.0.1:8000/' }, { name: 'b', url: 'http://198.18.0.2:8000' }] } }],
    bad: [
      undefined,
      { leaseFile: 'relative.csv' },
      { leaseFile: '/tmp/x\n' },
      { interface: 'eth1; reboot' },
      { ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'http://198.18.0.1:8000/' }] } },
      { ha: { mode: 'mirror', thisServer: 'a', peers: [{ name: 'a', url: 'http://x/' }, { name: 'b', url: 'http://y/' }] } },
      { ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'javascript:alert(1)' }, { name: 'b', url: 'http://y/' }] } },
    ],
  },
  'import.preview': {
    good: [{ text: '' }, { text: 'x', format: 'auto', filename: 'a.csv' }, { text: 'x', format: 'tftpd64' }],
    bad: [undefined, {}, { text: 5 }, { text: 'x', format: 'xml' }, { text: 'x'.repeat(16 * 1024 * 1024 + 1) }, { text: 'x', apply: true }],
  },
  'import.apply': {
    good: [{ text: 'x', leases: [], reservations: [0, 1] }],
    bad: [{ text: 'x' }, { text: 'x', leases: [-1], reservations: [] }, { text: 'x', leases: ['0'], reservations: [] }],
  },
  'log.recent': {
    good: [undefined, {}, { limit: 10 }, { limit: 10_000, mac: '02:00:00:00:00:01' }],
    bad: [{ limit: 0 }, { limit: 10_001 }, { limit: 1.5 }, { limit: '10' }, { mac: 'x'.repeat(65) }, { since: 1 }],
  },
  'nic.plan': {
    good: [
      { interface: 'eth1', address: '192.168.77.1', prefix: 24 },
      { interface: 'Ethernet 2', address: '10.0.0.1', prefix: 8 },
    ],
    bad: [
      undefined,
      { interface: 'eth1', address: '192.168.77.1' },
      { interface: '', address: '192.168.77.1', prefix: 24 },
      { interface: 'eth1; rm -rf /', address: '192.168.77.1', prefix: 24 },
      { interface: 'eth1"', address: '192.168.77.1', prefix: 24 },
      { interface: 'a/b', address: '192.168.77.1', prefix: 24 },
      { interface: '$(reboot)', address: '192.168.77.1', prefix: 24 },
      { interface: 'eth1', address: 'host.example', prefix: 24 },
      { interface: 'eth1', address: '192.168.77.1', prefix: 31 },
      { interface: 'eth1', address: '192.168.77.1', prefix: 24, apply: true },
    ],
  },
  'nic.apply': {
    good: [
      { interface: 'eth1', address: '192.168.77.1', prefix: 24 },
      { interface: 'Ethernet 2', address: '10.0.0.1', prefix: 8, expect: ['netsh interface ipv4 set address name="Ethernet 2" static 10.0.0.1 255.0.0.0'] },
    ],
    bad: [
      undefined,
      { interface: 'eth1' },
      { interface: 'eth1; reboot', address: '192.168.77.1', prefix: 24 },
      { interface: 'eth1', address: '192.168.77.1', prefix: 24, expect: 'sudo ip addr add' },
      { interface: 'eth1', address: '192.168.77.1', prefix: 24, expect: Array(17).fill('x') },
      { interface: 'eth1', address: '192.168.77.1', prefix: 24, sudo: true },
    ],
  },
  'nic.restorePlan': { good: [undefined, null, {}, { interface: 'eth1' }, { interface: 'Ethernet 2' }], bad: [{ interface: '$(id)' }, { interface: '' }, { forget: true }, 'eth1'] },
  'nic.restore': {
    good: [undefined, {}, { interface: 'eth1' }, { interface: 'eth1', forget: true }, { interface: 'eth1', expect: ['ip addr del 192.168.77.1/24 dev eth1'] }, { expect: [] }],
    bad: [{ interface: '$(id)' }, { interface: '' }, { forget: 'yes' }, { all: true }, 'eth1', { expect: 'ip addr del' }, { expect: Array(17).fill('x') }],
  },
  'nic.options': { good: [undefined, null, {}, { restoreOnStop: false }, { restoreOnStop: true }], bad: [{ restoreOnStop: 'no' }, { other: true }, 'off'] },
  'nic.saved': { good: [undefined, {}], bad: [{ interface: 'eth1' }] },
  'privileges.check': { good: [undefined, {}], bad: [{ fix: true }] },
  'engine.elevate': { good: [undefined, {}], bad: [{ password: 'hunter2' }, 'now'] },
  'devices.timeline': { good: [{ mac: 'aa:bb:cc:dd:ee:ff' }, { mac: 'AA-BB-CC-DD-EE-FF' }], bad: [undefined, {}, { mac: '' }, { mac: 'x'.repeat(65) }, { mac: 'aa:bb;rm -rf' }, { mac: 'aa:bb:cc:dd:ee:ff', extra: 1 }] },
  'journal.search': {
    good: [undefined, {}, { mac: 'aa:bb:cc:dd:ee:ff', ip: '198.18.0.9', hostname: 'laptop', since: 0, until: 1_900_000_000_000, limit: 50 }],
    bad: [{ ip: 'nope' }, { since: -1 }, { since: 1.5 }, { limit: 0 }, { limit: 1e9 }, { mac: 5 }, { path: '/etc' }],
  },
  'journal.export': { good: [undefined, {}, { hostname: 'a' }], bad: [{ limit: 5 }, { until: 'yesterday' }] },
  'pool.sweep': {
    good: [undefined, {}, { interface: 'eth1' }, { range: '198.18.10.100-198.18.10.200' }, { interface: 'eth1', range: ' 198.18.10.1 - 198.18.10.9 ' }],
    bad: [{ range: '198.18.10.100' }, { range: 'x-y' }, { interface: 'eth1; reboot' }, { range: '198.18.10.1-198.18.10.9', rate: 1000 }, 'eth1'],
  },
  'file.save': {
    good: [{ filename: 'leases.csv', content: 'ip,mac\r\n' }],
    bad: [undefined, { filename: '', content: '' }, { filename: 'a'.repeat(256), content: '' }, { filename: 'x.csv' }, { filename: 'x.csv', content: 5 }],
  },
  'app.language': { good: [{ language: 'en' }, { language: 'ko' }], bad: [undefined, {}, { language: 'fr' }, { language: 'ko-KR' }, { language: 'ko', extra: 1 }, 'ko'] },
};

describe('contract request schemas', () => {
  it('has a test case for every call', () => {
    expect(Object.keys(CASES).sort()).toEqual([...CALL_NAMES].sort());
  });

  for (const name of Object.keys(CASES) as CallName[]) {
    it(`${name}: accepts good payloads, rejects bad ones`, () => {
      for (const p of CASES[name].good) {
        const r = parseRequest(name, p);
        expect(r.ok, `${name} should accept ${JSON.stringify(p)?.slice(0, 80)}: ${JSON.stringify(r)}`).toBe(true);
      }
      for (const p of CASES[name].bad) {
        const r = parseRequest(name, p);
        expect(r.ok, `${name} should reject ${JSON.stringify(p)?.slice(0, 80)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-request');
          expect(r.error.message.startsWith(`${name}:`)).toBe(true);
        }
      }
    });
  }

  it('names the forbidden key and the size limit', () => {
    const poisoned = parseRequest('settings.save', { draft: JSON.parse('{"__proto__": {"x": 1}}') });
    expect(!poisoned.ok && poisoned.error.message).toContain('"__proto__"');
    const big = parseRequest('settings.save', { draft: { blob: 'x'.repeat(600 * 1024) } });
    expect(!big.ok && big.error.message).toMatch(/512 KiB/);
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it('refuses unknown call names, including inherited property names', () => {
    for (const n of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 42, null, undefined]) {
      expect(isCallName(n), String(n)).toBe(false);
    }
    const r = parseRequest('toString' as CallName, undefined);
    expect(r).toEqual({ ok: false, error: { code: 'unknown-call', message: 'unknown call "toString"' } });
  });

  it('the preload name lists are exactly the contract keys', () => {
    expect([...CALL_NAME_LIST]).toEqual(Object.keys(CALLS));
    expect([...EVENT_NAME_LIST]).toEqual(Object.keys(EVENTS));
    expect(EVENT_NAMES).toEqual(Object.keys(EVENTS));
  });
});
