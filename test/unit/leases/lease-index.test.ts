import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { LeaseIndex, isMoreRecent } from '../../../src-main/leases/lease-index.js';
import { T0, mkLease } from './fixtures.js';

describe('LeaseIndex', () => {
  it('byClient follows the most recent record and falls back when an address is reassigned', () => {
    const ix = new LeaseIndex();
    const old = mkLease(1, { clientId: 'A', state: 'expired', lastSeen: T0 });
    const cur = mkLease(2, { clientId: 'A', lastSeen: T0 + 10 });
    ix.set(old);
    ix.set(cur);
    expect(ix.byClient('A')).toBe(cur);
    // .2 goes to client B: A's best is its older record again.
    ix.set(mkLease(2, { clientId: 'B', lastSeen: T0 + 20 }));
    expect(ix.byClient('A')).toBe(old);
    expect(ix.byClient('B')!.ip).toBe('198.18.0.2');
    ix.delete(old.ip);
    expect(ix.byClient('A')).toBeUndefined();
    expect(ix.size).toBe(1);
  });

  it('on a lastSeen tie the bound record wins (new binding + superseded one in one decision)', () => {
    const ix = new LeaseIndex();
    const bound = mkLease(5, { clientId: 'C', lastSeen: T0 + 5 });
    const superseded = mkLease(4, { clientId: 'C', state: 'expired', lastSeen: T0 + 5 });
    ix.set(bound);
    ix.set(superseded);
    expect(ix.byClient('C')).toBe(bound);
  });

  it('matches a brute-force model under random operations', () => {
    const op = fc.record({
      ip: fc.integer({ min: 0, max: 7 }),
      client: fc.constantFrom('A', 'B', 'C'),
      lastSeen: fc.integer({ min: 0, max: 5 }),
      state: fc.constantFrom<Lease['state']>('bound', 'expired', 'released'),
      del: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ix = new LeaseIndex();
        const model = new Map<string, Lease>();
        for (const o of ops) {
          const l = mkLease(o.ip, { clientId: o.client, lastSeen: T0 + o.lastSeen, state: o.state });
          if (o.del) {
            ix.delete(l.ip);
            model.delete(l.ip);
          } else {
            ix.set(l);
            model.set(l.ip, l);
          }
          for (const c of ['A', 'B', 'C']) {
            const mine = [...model.values()].filter((x) => x.clientId === c);
            const got = ix.byClient(c);
            if (mine.length === 0) expect(got).toBeUndefined();
            else expect(mine.some((x) => isMoreRecent(x, got!) && !isMoreRecent(got!, x))).toBe(false);
            if (got) expect(model.get(got.ip)).toBe(got);
          }
          expect(ix.size).toBe(model.size);
          expect(ix.nonBoundCount).toBe([...model.values()].filter((x) => x.state !== 'bound').length);
        }
      }),
    );
  });
});
