// The lease table's incremental order (lib/lease-view.ts over lib/lease-rows.ts) against the plain
// definition: after any sequence of pushed batches, query and sort changes, the view shows exactly
// filterLeases + sortLeases of the current rows, in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { filterLeases, LEASE_COLUMNS, leaseComparator, sortLeases, type SortSpec } from '../../../src-renderer/src/lib/lease-table.js';
import { LeaseRows } from '../../../src-renderer/src/lib/lease-rows.js';
import { indexOfSorted, LeaseView, patchSorted } from '../../../src-renderer/src/lib/lease-view.js';

const STATES = ['bound', 'offered', 'declined', 'released', 'expired'] as const;
const HOSTS = [undefined, '', 'pi', 'Pi-2', 'printer', 'laptop', 'zebra'];
const VENDORS = [undefined, 'Raspberry Pi', 'Apple', 'apple'];

/** A row at 198.18.0.<n>; small value ranges so that sort keys tie often (the IP breaks ties). */
const rowArb = (n: number): fc.Arbitrary<LeaseRow> =>
  fc.record({
    state: fc.constantFrom(...STATES),
    host: fc.constantFrom(...HOSTS),
    vendor: fc.constantFrom(...VENDORS),
    vendorClass: fc.constantFrom(undefined, 'MSFT 5.0', 'msft 5.0', 'udhcp 1.36'),
    randomMac: fc.boolean(),
    mac: fc.integer({ min: 0, max: 5 }),
    t: fc.integer({ min: 0, max: 4 }),
  }).map(({ state, host, vendor, vendorClass, randomMac, mac, t }) => {
    const m = `02:00:00:00:0${mac}:${n.toString(16).padStart(2, '0')}`;
    return {
      ip: `198.18.${n >> 8}.${n & 255}`,
      mac: m,
      clientId: `01:${m}`,
      state,
      subnet: '198.18.0.0/15',
      startsAt: 0,
      expiresAt: t * 1000,
      firstSeen: t,
      lastSeen: 4 - t,
      ...(host !== undefined ? { hostname: host } : {}),
      ...(vendor !== undefined ? { vendor } : {}),
      ...(vendorClass !== undefined ? { vendorClass } : {}),
      ...(randomMac ? { randomMac: true } : {}),
    } satisfies LeaseRow;
  });

const IP_SPACE = 300;
const batchArb = fc.record({
  upserts: fc.array(fc.integer({ min: 0, max: IP_SPACE - 1 }).chain(rowArb), { maxLength: 12 }),
  removed: fc.array(fc.integer({ min: 0, max: IP_SPACE - 1 }).map((n) => `198.18.${n >> 8}.${n & 255}`), { maxLength: 6 }),
  reset: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});
const sortArb: fc.Arbitrary<SortSpec> = fc.record({ column: fc.constantFrom(...LEASE_COLUMNS), dir: fc.constantFrom('asc' as const, 'desc' as const) });
const queryArb: fc.Arbitrary<string> = fc.constantFrom('', '', 'pi', 'bound', '198.18.0.1', '02:00:00:00:03', 'apple', 'expired 198', 'zz');

type Step = { kind: 'batch'; batch: { upserts: LeaseRow[]; removed: string[]; reset: boolean } } | { kind: 'query'; query: string } | { kind: 'sort'; sort: SortSpec } | { kind: 'skip'; batches: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: batchArb.map((batch) => ({ kind: 'batch' as const, batch })) },
  { weight: 1, arbitrary: queryArb.map((query) => ({ kind: 'query' as const, query })) },
  { weight: 1, arbitrary: sortArb.map((sort) => ({ kind: 'sort' as const, sort })) },
  // The view not read for a few batches (the leases tab hidden): it catches up from the journal.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((batches) => ({ kind: 'skip' as const, batches })) },
);

const ips = (rows: readonly LeaseRow[]) => rows.map((r) => r.ip);

describe('LeaseView (incremental sort and filter)', () => {
  it('always shows what a full filter and sort of the current rows shows', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: IP_SPACE - 1 }), { maxLength: 80 }).chain((ns) => fc.tuple(fc.tuple(...[...new Set(ns)].map(rowArb)), fc.array(stepArb, { maxLength: 40 }), sortArb, queryArb)), ([initial, steps, sort0, query0]) => {
        const source = new LeaseRows();
        source.load(initial);
        const view = new LeaseView();
        let sort = sort0;
        let query = query0;
        let skip = 0;
        const check = () => {
          const shown = view.rows(source, query, sort);
          const expected = sortLeases(filterLeases(source.all(), query), sort);
          expect(ips(shown)).toEqual(ips(expected));
          // The very row objects of the table, not stale ones.
          for (const r of shown) expect(source.get(r.ip)).toBe(r);
          for (const r of expected) expect(view.indexOf(r)).toBe(shown.indexOf(r));
        };
        check();
        for (const s of steps) {
          if (s.kind === 'batch') source.apply(s.batch);
          else if (s.kind === 'query') query = s.query;
          else if (s.kind === 'sort') sort = s.sort;
          else skip = s.batches;
          if (skip > 0 && s.kind === 'batch') skip--;
          else check();
        }
        check();
      }),
      { numRuns: 300 },
    );
  });

  it('returns the same array while nothing it shows changed', () => {
    const source = new LeaseRows();
    source.load(fc.sample(fc.integer({ min: 0, max: 99 }).chain(rowArb), 50));
    const view = new LeaseView();
    const sort: SortSpec = { column: 'hostname', dir: 'asc' };
    const a = view.rows(source, '', sort);
    expect(view.rows(source, '', { ...sort })).toBe(a);
    source.apply({ upserts: [], removed: ['10.9.9.9'] }); // not in the table: no new version
    expect(view.rows(source, '', sort)).toBe(a);
    expect(view.rows(source, 'pi', sort)).not.toBe(a);
  });

  it('sorts again when the UI language changes (translated sort keys)', () => {
    const source = new LeaseRows();
    source.load(fc.sample(fc.integer({ min: 0, max: 99 }).chain(rowArb), 30));
    const view = new LeaseView();
    const sort: SortSpec = { column: 'vendor', dir: 'asc' };
    const en = view.rows(source, '', sort, 'en');
    expect(view.rows(source, '', sort, 'en')).toBe(en);
    expect(view.rows(source, '', sort, 'ko')).not.toBe(en);
  });

  it('patches 10,000 rows with batches of 100 changes without sorting them again', () => {
    const rows: LeaseRow[] = Array.from({ length: 10_000 }, (_, i) => {
      const mac = `02:42:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      return { ip: `198.18.${i >> 8}.${i & 255}`, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.0.0/15', startsAt: 0, expiresAt: i, firstSeen: 0, lastSeen: 0, hostname: `host-${(i * 7919) % 10_000}` };
    });
    const source = new LeaseRows();
    source.load(rows);
    const view = new LeaseView();
    const sort: SortSpec = { column: 'clientId', dir: 'asc' };
    view.rows(source, '', sort);
    expect(view.fullSorts).toBe(1);
    for (let b = 0; b < 20; b++) {
      const upserts = Array.from({ length: 100 }, (_, i) => ({ ...rows[(b * 997 + i * 89) % rows.length]!, clientId: `ff:${b}:${i}`, lastSeen: b }));
      source.apply({ upserts, removed: [] });
      view.rows(source, '', sort);
      // Speed is the benchmark's business (bench/lib/ui-bench.ts); here: each batch was a patch.
      expect(view.fullSorts).toBe(1);
      expect(ips(view.rows(source, '', sort))).toEqual(ips(sortLeases(source.all(), sort)));
    }
  });
});

describe('patchSorted', () => {
  it('equals a full sort of the list with the rows swapped', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { maxLength: 60 }), fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { maxLength: 20 }), sortArb, fc.integer(), (base, change, sort, seed) => {
        const cmp = leaseComparator(sort);
        const rows = new Map(base.map((n) => [n, fc.sample(rowArb(n), { numRuns: 1, seed: seed + n })[0]!]));
        const sorted = sortLeases([...rows.values()], sort);
        const removed: LeaseRow[] = [];
        const added: LeaseRow[] = [];
        for (const n of change) {
          const old = rows.get(n);
          if (old) removed.push(old);
          if (n % 3 !== 0) {
            const row = fc.sample(rowArb(n), { numRuns: 1, seed: seed - n })[0]!;
            rows.set(n, row);
            added.push(row);
          } else rows.delete(n);
        }
        const patched = patchSorted(sorted, removed, added, cmp);
        expect(patched).toEqual(sortLeases([...rows.values()], sort));
        for (const [i, r] of patched.entries()) expect(indexOfSorted(patched, r, cmp)).toBe(i);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores rows that are not in the list and leaves its input alone', () => {
    const sort: SortSpec = { column: 'ip', dir: 'asc' };
    const rows = [0, 1, 2].map((n) => fc.sample(rowArb(n), 1)[0]!);
    const stranger = fc.sample(rowArb(7), 1)[0]!;
    const copy = rows.slice();
    expect(patchSorted(rows, [stranger, rows[1]!, rows[1]!], [], leaseComparator(sort))).toEqual([rows[0], rows[2]]);
    expect(rows).toEqual(copy);
  });
});

describe('LeaseRows (the table with its journal of changes)', () => {
  const r = (n: number, state: LeaseRow['state'] = 'bound') => ({ ...fc.sample(rowArb(n), 1)[0]!, state });

  it('counts rows and bound rows as batches arrive', () => {
    const t = new LeaseRows();
    t.load([r(1), r(2, 'offered'), r(3)]);
    expect([t.size, t.active]).toEqual([3, 2]);
    t.apply({ upserts: [r(2), r(4, 'expired')], removed: ['10.9.9.9', '198.18.0.3'] });
    expect([t.size, t.active]).toEqual([3, 2]);
    t.apply({ upserts: [], removed: [], reset: true });
    expect([t.size, t.active]).toEqual([0, 0]);
  });

  it('merges the changes of several batches per address', () => {
    const t = new LeaseRows();
    const a0 = r(1);
    t.load([a0]);
    const v = t.version;
    const a1 = r(1, 'expired');
    const b1 = r(2);
    t.apply({ upserts: [a1, b1], removed: [] });
    const a2 = r(1, 'bound');
    t.apply({ upserts: [a2], removed: ['198.18.0.2'] });
    expect(t.changesSince(v)).toEqual({ removed: [a0], added: [a2] });
    expect(t.changesSince(t.version)).toEqual({ removed: [], added: [] });
  });

  it('forgets old changes: a reader far behind starts over', () => {
    const t = new LeaseRows();
    t.load([]);
    const v = t.version;
    for (let i = 0; i < 600; i++) t.apply({ upserts: [r(i % 200), r(200 + (i % 50))], removed: [] });
    expect(t.changesSince(v)).toBeUndefined();
    expect(t.changesSince(t.version - 1)?.added).toHaveLength(2);
  });

  it('a reset or a load starts over', () => {
    const t = new LeaseRows();
    t.load([r(1)]);
    const v = t.version;
    t.apply({ upserts: [r(2)], removed: [], reset: true });
    expect(t.changesSince(v)).toBeUndefined();
    expect(t.all().map((x) => x.ip)).toEqual(['198.18.0.2']);
  });
});
