// The allocator's fast path: AddressBitmap, the offer holds' bitmap, and proposeAddress() over a
// view that knows its recorded addresses (the server's LeaseIndex) against the address-by-address
// walk over a plain LeaseView — same proposals, in every state fast-check can think of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressBitmap, proposeAddress, Reservations, type AllocationState, type Client } from '../../../src-main/dhcp/allocator.js';
import { Engine } from '../../../src-main/dhcp/engine.js';
import { intToIp, ipToInt, type Ipv4 } from '../../../src-main/dhcp/ip.js';
import type { Lease, LeaseState, LeaseView } from '../../../src-main/dhcp/lease.js';
import { OfferHolds } from '../../../src-main/dhcp/offer-holds.js';
import type { ReservationPolicy } from '../../../src-main/dhcp/policy.js';
import { LeaseIndex } from '../../../src-main/leases/lease-index.js';
import { FakeClient, labConfig, nextMac, subnet, World } from '../../helpers/fake-dhcp.js';

describe('AddressBitmap', () => {
  it('adds, deletes, counts, and answers has()', () => {
    const b = new AddressBitmap();
    for (const ip of [0, 31, 32, 65535, 65536, 0xffffffff, ipToInt('198.18.1.7')]) b.add(ip);
    b.add(31);
    expect(b.size).toBe(7);
    expect(b.has(31)).toBe(true);
    expect(b.has(30)).toBe(false);
    expect(b.has(0xffffffff)).toBe(true);
    b.delete(31);
    b.delete(31);
    b.delete(12345);
    expect(b.size).toBe(6);
    expect(b.has(31)).toBe(false);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.has(0)).toBe(false);
  });

  it('nextAbsent skips members of both sets, across word and page boundaries, and says -1 when full', () => {
    const a = new AddressBitmap();
    const h = new AddressBitmap();
    for (let ip = 65500; ip < 65600; ip++) (ip % 2 ? a : h).add(ip);
    expect(a.nextAbsent(65500, 70000, h)).toBe(65600);
    expect(a.nextAbsent(65500, 65599, h)).toBe(-1);
    expect(a.nextAbsent(65500, 70000)).toBe(65500 + (65500 % 2 ? 1 : 0));
    expect(a.nextAbsent(10, 20, h)).toBe(10);
    // Above 128.0.0.0 (every 198.18.x address): nothing absent in [n, n] must not report n + 1.
    const high = new AddressBitmap();
    const n = ipToInt('198.18.255.225');
    high.add(n);
    expect(high.nextAbsent(n, n)).toBe(-1);
    expect(high.nextAbsent(n, n + 1)).toBe(n + 1);
    const top = new AddressBitmap();
    top.add(0xfffffffe);
    top.add(0xffffffff);
    expect(top.nextAbsent(0xfffffffe, 0xffffffff)).toBe(-1);
    expect(top.nextAbsent(0xfffffff0, 0xffffffff)).toBe(0xfffffff0);
  });

  it('agrees with a plain Set on nextAbsent and forEachIn (property)', () => {
    const base = 0xc6120000 + 65536 - 200; // a range that straddles a page boundary
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (xs, ys, f, t) => {
          const a = new AddressBitmap();
          const b = new AddressBitmap();
          const sa = new Set<number>();
          const sb = new Set<number>();
          for (const x of xs) (a.add(base + x), sa.add(base + x));
          for (const y of ys) (b.add(base + y), sb.add(base + y));
          for (const x of xs.slice(0, xs.length >> 1)) (a.delete(base + x), sa.delete(base + x));
          const [from, to] = [base + Math.min(f, t), base + Math.max(f, t)];
          let expected = -1;
          for (let n = from; n <= to; n++) if (!sa.has(n) && !sb.has(n)) {
            expected = n;
            break;
          }
          expect(a.nextAbsent(from, to, b)).toBe(expected);
          const seen: number[] = [];
          a.forEachIn(from, to, (n) => seen.push(n));
          expect(seen).toEqual([...sa].filter((n) => n >= from && n <= to).sort((p, q) => p - q));
          expect(a.size).toBe(sa.size);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('OfferHolds: held addresses and dropExpired', () => {
  const hold = (clientId: string, ip: Ipv4, expiresAt: number) => ({ clientId, mac: clientId, ip, subnet: 's', expiresAt });

  it('keeps the held bitmap in step with put, re-put, release, eviction and clear', () => {
    const h = new OfferHolds(2);
    h.put(hold('a', '198.18.0.10', 100), 0);
    h.put(hold('b', '198.18.0.11', 100), 0);
    h.dropExpired(0);
    const held = h.heldAt(0)!;
    expect(held.size).toBe(2);
    h.put(hold('a', '198.18.0.12', 100), 0); // a moves: .10 is free again
    expect(held.has(ipToInt('198.18.0.10'))).toBe(false);
    expect(held.has(ipToInt('198.18.0.12'))).toBe(true);
    h.put(hold('c', '198.18.0.11', 100), 0); // c takes b's address: b's hold goes
    expect(h.forClient('b', 0)).toBeUndefined();
    expect(held.has(ipToInt('198.18.0.11'))).toBe(true);
    const evicted = h.put(hold('d', '198.18.0.13', 100), 0); // over capacity: the oldest goes
    expect(evicted?.clientId).toBe('a');
    expect(held.has(ipToInt('198.18.0.12'))).toBe(false);
    expect(held.size).toBe(h.size);
    expect(h.heldAt(1), 'exact only at the instant of dropExpired').toBeUndefined();
    h.clear();
    expect(held.size).toBe(0);
  });

  it('dropExpired releases the expired holds from the oldest end and keeps live ones', () => {
    const h = new OfferHolds(10);
    h.put(hold('a', '198.18.0.10', 100), 0);
    h.put(hold('b', '198.18.0.11', 200), 0);
    h.put(hold('c', '198.18.0.12', 300), 0);
    h.dropExpired(200);
    expect(h.size).toBe(1);
    expect(h.forClient('c', 200)?.ip).toBe('198.18.0.12');
    expect(h.heldAt(200)!.size).toBe(1);
  });

  it('after the clock went back (holds out of expiry order) dropExpired still drops every expired hold', () => {
    const h = new OfferHolds(10);
    h.put(hold('a', '198.18.0.10', 500), 0);
    h.put(hold('b', '198.18.0.11', 100), 0); // put later, expires earlier
    h.put(hold('c', '198.18.0.12', 600), 0);
    h.dropExpired(200);
    expect(h.forClient('b', 0)).toBeUndefined();
    expect(h.size).toBe(2);
    expect(h.heldAt(200)!.has(ipToInt('198.18.0.11'))).toBe(false);
    h.dropExpired(550);
    expect(h.size).toBe(1);
  });

  it('a hold put already expired makes the bitmap inexact until the next dropExpired', () => {
    const h = new OfferHolds(10);
    h.dropExpired(100);
    h.put(hold('a', '198.18.0.10', 100), 100);
    expect(h.heldAt(100)).toBeUndefined();
    h.dropExpired(100);
    expect(h.heldAt(100)!.size).toBe(0);
  });
});

/** A LeaseView without the recorded-addresses capability: the allocator walks address by address. */
class PlainView implements LeaseView {
  constructor(private readonly inner: LeaseIndex) {}
  byIp(ip: Ipv4) {
    return this.inner.byIp(ip);
  }
  byClient(id: string) {
    return this.inner.byClient(id);
  }
}

describe('proposeAddress: bitmap scan = address-by-address walk', () => {
  const sub = subnet('198.18.10.0/26', '198.18.10.2-198.18.10.62');
  const NOW = 1_000_000;
  const STATES: LeaseState[] = ['bound', 'expired', 'released', 'declined'];
  const client = (n: number): Client => ({ clientId: `01:02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, mac: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}` });

  it('gives the same proposal for random leases, holds, reservations and exclusions (property)', () => {
    const entry = fc.record({
      offset: fc.integer({ min: 0, max: 63 }),
      owner: fc.integer({ min: 0, max: 20 }),
      state: fc.constantFrom(...STATES),
      live: fc.boolean(),
      age: fc.integer({ min: 0, max: 5000 }),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 70 }),
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 63 }), owner: fc.integer({ min: 0, max: 20 }), live: fc.boolean() }), { maxLength: 70 }),
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 63 }), owner: fc.integer({ min: 0, max: 20 }) }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }),
        fc.boolean(),
        (leases, holds, reserved, excluded, who, requested, dropFirst) => {
          const index = new LeaseIndex();
          for (const l of leases) {
            const c = client(l.owner);
            const rec: Lease = {
              ip: intToIp(sub.cidr.network + l.offset),
              clientId: c.clientId,
              mac: c.mac,
              state: l.state,
              subnet: sub.id,
              startsAt: NOW - l.age,
              expiresAt: l.live ? NOW + 1000 : NOW - l.age,
              firstSeen: NOW - l.age,
              lastSeen: NOW - l.age,
            };
            index.set(rec);
          }
          const h = new OfferHolds(1000);
          for (const x of holds) h.put({ clientId: client(x.owner).clientId, mac: client(x.owner).mac, ip: intToIp(sub.cidr.network + x.offset), subnet: sub.id, expiresAt: x.live ? NOW + 1 : NOW }, NOW - 10);
          // As the engine does before every allocation (then the holds' bitmap is used too).
          if (dropFirst) h.dropExpired(NOW);
          const seenIp = new Set<string>();
          const seenMac = new Set<string>();
          const res: ReservationPolicy[] = [];
          for (const r of reserved) {
            const ip = intToIp(sub.cidr.network + r.offset);
            const mac = client(r.owner).mac;
            if (seenIp.has(ip) || seenMac.has(mac)) continue;
            seenIp.add(ip);
            seenMac.add(mac);
            res.push({ ip, mac });
          }
          const config = labConfig({ subnets: [sub], reservations: res });
          const st = (leasesView: LeaseView): AllocationState => ({
            config,
            leases: leasesView,
            holds: h,
            reservations: new Reservations(res),
            excluded: new Set(excluded.map((o) => sub.cidr.network + o)),
            now: NOW,
          });
          const req = requested === undefined ? undefined : intToIp(sub.cidr.network + requested);
          const fast = proposeAddress(client(who), sub, req, st(index));
          const walk = proposeAddress(client(who), sub, req, st(new PlainView(index)));
          expect(fast).toEqual(walk);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('Engine over the server\'s LeaseIndex (the bitmap path)', () => {
  /** World with a LeaseIndex instead of the test's MemoryLeases. */
  function indexWorld(config = labConfig()) {
    const w = new World(config);
    const index = new LeaseIndex();
    // World.send applies writes to w.leases; route them into the index as the store would.
    (w as unknown as { leases: LeaseView & { apply(ws: Lease[]): void } }).leases = Object.assign(index, {
      apply: (ws: Lease[]) => ws.forEach((l) => index.set(l)),
      all: () => [...index.values()],
    });
    return { w, index };
  }

  it('a random-MAC flood on a small pool keeps offering (oldest offer given up); a reserved client still gets its address', () => {
    const lab = labConfig().subnets[0]!;
    const { w } = indexWorld(labConfig({ subnets: [{ ...lab, rangeEnd: lab.rangeStart + 9 }], reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }] }));
    for (let i = 0; i < 200; i++) {
      const d = new FakeClient(w, nextMac()).discover();
      expect(d.reply, `DISCOVER ${i}`).toBeDefined();
      w.advance(0.01);
    }
    const reserved = new FakeClient(w, '02:00:00:00:00:aa').dora();
    expect(reserved.reply!.packet.yiaddr).toBe('198.18.10.20');
  });

  it('a full pool of live leases says pool-exhausted; an expired lease is then reused, oldest first', () => {
    const lab = labConfig().subnets[0]!;
    const { w } = indexWorld(labConfig({ subnets: [{ ...lab, rangeEnd: lab.rangeStart + 4, leaseTime: 60 }] }));
    const clients = Array.from({ length: 5 }, () => new FakeClient(w, nextMac()));
    for (const c of clients) {
      expect(c.dora().reply).toBeDefined();
      w.advance(1);
    }
    const late = new FakeClient(w, nextMac());
    expect(late.discover().drop).toBe('pool-exhausted');
    w.advance(60); // the first client's lease (granted 5 s before the last) has run out
    const d = late.discover();
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', source: 'reuse', ip: clients[0]!.ip }));
  });
});
