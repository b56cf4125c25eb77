// The lease table's rows and their change feed (src-main/server/lease-rows.ts), on the real
// in-memory lease index: offers over stored records, only changed rows per flush, offer rows that
// vanish with their hold or with the whole engine (stop), and nothing kept when nobody listens.
import { describe, expect, it } from 'vitest';
import type { OfferHold } from '../../../src-main/dhcp/offer-holds.js';
import { LeaseIndex } from '../../../src-main/leases/lease-index.js';
import { LeaseRowFeed } from '../../../src-main/server/lease-rows.js';
import { T0, mkLease } from '../leases/fixtures.js';

function world() {
  const index = new LeaseIndex();
  const feed = new LeaseRowFeed({ all: () => [...index.values()], view: index } as never);
  return { index, feed };
}
const hold = (i: number, over: Partial<OfferHold> = {}): OfferHold => {
  const l = mkLease(i);
  return { clientId: l.clientId, mac: l.mac, ip: l.ip, subnet: l.subnet, expiresAt: T0 + 60_000, ...over };
};

describe('LeaseRowFeed', () => {
  it('rows: stored records with identity, offers on free or lapsed addresses, never over a live binding', () => {
    const { index, feed } = world();
    index.set(mkLease(1));
    index.set(mkLease(2, { state: 'expired', expiresAt: T0 - 1 }));
    feed.offered(mkLease(3).ip, 'printer', T0 - 5);
    const rows = feed.rows([hold(1, { clientId: 'other' }), hold(2), hold(3)], T0);
    const byIp = new Map(rows.map((r) => [r.ip, r]));
    expect(rows).toHaveLength(3);
    expect(byIp.get(mkLease(1).ip)?.state).toBe('bound'); // the binding wins over a stray hold
    expect(byIp.get(mkLease(2).ip)?.state).toBe('offered');
    expect(byIp.get(mkLease(3).ip)).toMatchObject({ state: 'offered', hostname: 'printer', startsAt: T0 - 5 });
    expect(byIp.get(mkLease(1).ip)).toHaveProperty('randomMac');
  });

  it('flush: only the changed rows, offers that vanished become removals or the stored row again, nothing when nothing changed', () => {
    const { index, feed } = world();
    index.set(mkLease(5, { state: 'expired', expiresAt: T0 - 1 }));
    // A new hold shows up without an event of its own: flush finds it.
    let out = feed.flush([hold(4), hold(5)], T0)!;
    expect(out.upserts.map((r) => [r.ip, r.state])).toEqual([[mkLease(4).ip, 'offered'], [mkLease(5).ip, 'offered']]);
    expect(feed.flush([hold(4), hold(5)], T0)).toBeUndefined();
    // The holds lapse: the free address goes, the expired record shows again.
    out = feed.flush([], T0 + 61_000)!;
    expect(out.removed).toEqual([mkLease(4).ip]);
    expect(out.upserts.map((r) => [r.ip, r.state])).toEqual([[mkLease(5).ip, 'expired']]);
    // A stored change is pushed once, however often it was marked.
    index.set(mkLease(6));
    feed.changed(mkLease(6).ip);
    feed.changed(mkLease(6).ip);
    expect(feed.flush([], T0)!.upserts).toHaveLength(1);
  });

  it('holdsGone (the server stopped): every offer row shown is pushed again as what it is now, and old OFFER details are forgotten', () => {
    const { index, feed } = world();
    index.set(mkLease(11, { state: 'released' }));
    expect(feed.flush([hold(7), hold(11)], T0)!.upserts).toHaveLength(2);
    feed.offered(mkLease(10).ip, 'old-host', T0); // never shown: no flush since
    feed.holdsGone();
    const out = feed.flush([], T0)!;
    expect(out.removed).toEqual([mkLease(7).ip]);
    expect(out.upserts.map((r) => [r.ip, r.state])).toEqual([[mkLease(11).ip, 'released']]);
    // The next server offers the same address to another client: no hostname from before.
    const again = feed.rows([hold(10, { clientId: 'new', mac: '02:00:00:00:99:99' })], T0).find((r) => r.ip === mkLease(10).ip);
    expect(again).toMatchObject({ state: 'offered', clientId: 'new' });
    expect(again!.hostname).toBeUndefined();
  });

  it('discard (nobody listens): nothing kept, and offer details whose hold is gone are dropped', () => {
    const { feed } = world();
    feed.offered(mkLease(8).ip, 'kept', T0);
    feed.offered(mkLease(9).ip, 'dropped', T0);
    feed.changed(mkLease(8).ip);
    const holds = { onIp: (ip: string) => (ip === mkLease(8).ip ? hold(8) : undefined) };
    feed.discard(holds as never, T0);
    expect(feed.flush([], T0)).toBeUndefined();
    const rows = feed.rows([hold(8), hold(9)], T0);
    expect(rows.find((r) => r.ip === mkLease(8).ip)?.hostname).toBe('kept');
    expect(rows.find((r) => r.ip === mkLease(9).ip)?.hostname).toBeUndefined();
  });
});
