// The allocator proposes an address; the engine decides. Order (ARCHITECTURE.md): reservation →
// this client's previous lease → the address it asked for (option 50) → the address it was just
// offered (a retransmitted DISCOVER) → a stable pick (hash of the client identity into the
// range) → the first never-used address from there → the address released or expired longest
// ago. Never: the server's own or other excluded addresses, the subnet's network/broadcast
// address, another client's reservation, a live lease or offer of another client, a quarantined
// (declined) address.
//
// Speed: a DISCOVER must not cost a walk over the whole range. The lease view may carry the set of
// addresses that have a record (`RecordedAddresses`, kept by the server's lease index) and the
// offer holds keep the set of held addresses; the first never-used address is then found 32
// addresses per step, and the reuse pick looks only at addresses that have a record. Without that
// set (a plain LeaseView, as in tests) the same order is walked address by address.
import { cidrBroadcast, intToIp, ipToInt, type Ipv4 } from './ip.js';
import type { Lease, LeaseView } from './lease.js';
import type { OfferHolds } from './offer-holds.js';
import { inRange, rangeSize, type EngineConfig, type ReservationPolicy, type SubnetPolicy } from './policy.js';

export class Reservations {
  private readonly byMac = new Map<string, ReservationPolicy>();
  private readonly byClientId = new Map<string, ReservationPolicy>();
  private readonly byIp = new Map<Ipv4, ReservationPolicy>();

  constructor(list: readonly ReservationPolicy[]) {
    for (const r of list) {
      if (r.mac) this.byMac.set(r.mac, r);
      if (r.clientId) this.byClientId.set(r.clientId, r);
      this.byIp.set(r.ip, r);
    }
  }

  /** RFC 2131 §4.2 identifies by client id; many admins only know the MAC, so either matches. */
  forClient(clientId: string, mac: string): ReservationPolicy | undefined {
    return this.byClientId.get(clientId) ?? this.byMac.get(mac);
  }

  onIp(ip: Ipv4): ReservationPolicy | undefined {
    return this.byIp.get(ip);
  }

  get size(): number {
    return this.byIp.size;
  }
}

export interface Client {
  clientId: string;
  mac: string;
}

export interface AllocationState {
  config: EngineConfig;
  leases: LeaseView;
  holds: OfferHolds;
  reservations: Reservations;
  excluded: ReadonlySet<number>;
  now: number;
}

/**
 * free        — never leased (or no record): take it.
 * mine        — this client's own record, or its reservation.
 * reusable    — another client's expired/released record (history kept for stickiness) or an ended quarantine.
 * taken       — another client's live lease.
 * held        — offered to another client moments ago.
 * quarantined — declined, quarantine still running.
 * reserved    — reserved for another client.
 * excluded    — the server's own address, a router/DNS address, network or broadcast address.
 * outside     — not in this subnet's pool (and not this client's reservation).
 */
export type Availability = 'free' | 'mine' | 'reusable' | 'taken' | 'held' | 'quarantined' | 'reserved' | 'excluded' | 'outside';

export function isAssignable(a: Availability): boolean {
  return a === 'free' || a === 'mine' || a === 'reusable';
}

export function isLive(l: Lease, now: number): boolean {
  return (l.state === 'bound' || l.state === 'declined') && l.expiresAt > now;
}

export function availability(ipText: Ipv4, client: Client, subnet: SubnetPolicy, st: AllocationState): Availability {
  return availabilityAt(ipToInt(ipText), ipText, client, subnet, st);
}

/** availability() for an address the caller has in both forms (a scan has the number first). */
function availabilityAt(ip: number, ipText: Ipv4, client: Client, subnet: SubnetPolicy, st: AllocationState): Availability {
  if (((ip & subnet.cidr.mask) >>> 0) !== subnet.cidr.network) return 'outside';
  // /31 and /32 have no network/broadcast address (RFC 3021).
  if (subnet.cidr.prefix < 31 && (ip === subnet.cidr.network || ip === cidrBroadcast(subnet.cidr))) return 'excluded';
  if (st.excluded.has(ip)) return 'excluded';
  const res = st.reservations.onIp(ipText);
  const mineByReservation = res !== undefined && res === st.reservations.forClient(client.clientId, client.mac);
  if (res && !mineByReservation) return 'reserved';
  if (!mineByReservation && !inRange(subnet, ip)) return 'outside';
  const hold = st.holds.onIp(ipText, st.now);
  if (hold && hold.clientId !== client.clientId) return 'held';
  const lease = st.leases.byIp(ipText);
  if (!lease) return mineByReservation ? 'mine' : 'free';
  if (lease.state === 'declined' && lease.expiresAt > st.now) return 'quarantined';
  if (lease.clientId === client.clientId) return 'mine';
  if (lease.state === 'bound' && lease.expiresAt > st.now) return 'taken';
  return mineByReservation ? 'mine' : 'reusable';
}

/** FNV-1a: cheap, stable across runs and platforms, spreads similar MACs apart. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export type Proposal = { ip: Ipv4; source: 'reservation' | 'previous' | 'requested' | 'stable' | 'first-free' | 'reuse' };

export function proposeAddress(client: Client, subnet: SubnetPolicy, requested: Ipv4 | undefined, st: AllocationState): Proposal | undefined {
  const res = st.reservations.forClient(client.clientId, client.mac);
  if (res && availability(res.ip, client, subnet, st) === 'mine') return { ip: res.ip, source: 'reservation' };
  // A reserved client whose reserved address is unusable (declined, wrong subnet) falls through to the pool.

  const prev = st.leases.byClient(client.clientId);
  if (prev && prev.subnet === subnet.id && prev.state !== 'declined' && availability(prev.ip, client, subnet, st) === 'mine') {
    return { ip: prev.ip, source: 'previous' };
  }

  if (requested && isAssignable(availability(requested, client, subnet, st))) return { ip: requested, source: 'requested' };

  // The address offered to this client moments ago (a retransmitted DISCOVER) — after option 50:
  // an offer is the server's own proposal, the client's explicit wish comes first.
  const held = st.holds.forClient(client.clientId, st.now);
  if (held && held.subnet === subnet.id && isAssignable(availability(held.ip, client, subnet, st))) return { ip: held.ip, source: 'previous' };

  // Stable pick, then linear probe (wrapping) for an address nobody has ever had: a device that
  // comes back after its record was recycled tends to land on the same address again.
  const start = subnet.rangeStart + (hash32(client.clientId) % rangeSize(subnet));
  const recorded = recordedAddresses(st.leases);
  const free = recorded
    ? (firstFree(start, subnet.rangeEnd, client, subnet, st, recorded) ?? firstFree(subnet.rangeStart, start - 1, client, subnet, st, recorded))
    : firstFreeByWalk(start, client, subnet, st);
  if (free !== undefined) return { ip: intToIp(free), source: free === start ? 'stable' : 'first-free' };

  // Every address has a history: reuse the one whose previous holder has been gone longest (the
  // lowest such address on a tie). Addresses without a record cannot be reusable, so only
  // recorded ones need looking at.
  let best: Ipv4 | undefined;
  let bestTime = Infinity;
  const consider = (n: number) => {
    const ip = intToIp(n);
    const l = st.leases.byIp(ip);
    // Another client's live lease is never reusable (availability() says 'taken' or worse): in a
    // full pool that is nearly every address, so it is ruled out before the other lookups.
    if (l !== undefined && l.state === 'bound' && l.expiresAt > st.now && l.clientId !== client.clientId) return;
    if (availabilityAt(n, ip, client, subnet, st) !== 'reusable') return;
    const t = l ? Math.max(l.expiresAt, l.lastSeen) : 0;
    if (t < bestTime) {
      best = ip;
      bestTime = t;
    }
  };
  if (recorded) recorded.forEachIn(subnet.rangeStart, subnet.rangeEnd, consider);
  else for (let n = subnet.rangeStart; n <= subnet.rangeEnd; n++) consider(n);
  return best ? { ip: best, source: 'reuse' } : undefined;
}

/**
 * The lowest address in [from, to] that is 'free' for this client, skipping recorded addresses
 * (and held ones, when the holds' bitmap is exact now) 32 at a time.
 */
function firstFree(from: number, to: number, client: Client, subnet: SubnetPolicy, st: AllocationState, recorded: AddressBitmap): number | undefined {
  const held = st.holds.heldAt(st.now);
  for (let n = from; n <= to; n++) {
    n = recorded.nextAbsent(n, to, held);
    if (n < 0) return undefined;
    // Neither recorded nor held: still excluded, reserved, network/broadcast addresses to rule out.
    if (availabilityAt(n, intToIp(n), client, subnet, st) === 'free') return n;
  }
  return undefined;
}

/** The same search without a set of recorded addresses: one address at a time, wrapping. */
function firstFreeByWalk(start: number, client: Client, subnet: SubnetPolicy, st: AllocationState): number | undefined {
  const size = rangeSize(subnet);
  const offset = start - subnet.rangeStart;
  for (let i = 0; i < size; i++) {
    const n = subnet.rangeStart + ((offset + i) % size);
    if (availabilityAt(n, intToIp(n), client, subnet, st) === 'free') return n;
  }
  return undefined;
}

/**
 * An optional capability of a LeaseView: the set of addresses that have a record, in any state
 * (the server's LeaseIndex keeps one). It must change exactly when byIp() starts or stops
 * returning a record.
 */
export interface RecordedAddresses {
  readonly recorded: AddressBitmap;
}

function recordedAddresses(view: LeaseView): AddressBitmap | undefined {
  const r = (view as Partial<RecordedAddresses>).recorded;
  return r instanceof AddressBitmap ? r : undefined;
}

/** A word with the lowest k bits set (0 ≤ k ≤ 31). */
function lowBits(k: number): number {
  return k === 0 ? 0 : 0xffffffff >>> (32 - k);
}

const PAGE_BITS = 16;
const PAGE_WORDS = (1 << PAGE_BITS) / 32;

/**
 * A set of IPv4 addresses (as unsigned 32-bit numbers) kept as a sparse bitmap: one 8 KB page per
 * /16 that has members. Finding the next address that is in neither of two sets — "never leased
 * and not offered" — tests 32 addresses per step.
 */
export class AddressBitmap {
  private readonly pages = new Map<number, Uint32Array>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(ip: number): boolean {
    const page = this.pages.get(ip >>> PAGE_BITS);
    return page !== undefined && (page[(ip >>> 5) & (PAGE_WORDS - 1)]! & (1 << (ip & 31))) !== 0;
  }

  add(ip: number): void {
    const key = ip >>> PAGE_BITS;
    let page = this.pages.get(key);
    if (!page) this.pages.set(key, (page = new Uint32Array(PAGE_WORDS)));
    const w = (ip >>> 5) & (PAGE_WORDS - 1);
    const bit = 1 << (ip & 31);
    if ((page[w]! & bit) === 0) {
      page[w] = page[w]! | bit;
      this.count++;
    }
  }

  delete(ip: number): void {
    const key = ip >>> PAGE_BITS;
    const page = this.pages.get(key);
    if (!page) return;
    const w = (ip >>> 5) & (PAGE_WORDS - 1);
    const bit = 1 << (ip & 31);
    if ((page[w]! & bit) === 0) return;
    page[w] = page[w]! & ~bit;
    this.count--;
    // Pages are kept once made: a pool's page is reused as soon as the next lease arrives.
  }

  clear(): void {
    this.pages.clear();
    this.count = 0;
  }

  /** The lowest address in [from, to] that is in neither this set nor `other`; -1 when there is none. */
  nextAbsent(from: number, to: number, other?: AddressBitmap): number {
    let n = from >>> 0;
    const end = to >>> 0;
    while (n <= end) {
      const key = n >>> PAGE_BITS;
      const a = this.pages.get(key);
      const b = other?.pages.get(key);
      if (!a && !b) return n;
      const pageEnd = Math.min(end, ((key << PAGE_BITS) | 0xffff) >>> 0);
      while (n <= pageEnd) {
        const w = (n >>> 5) & (PAGE_WORDS - 1);
        // Bits below n's position count as taken.
        const taken = ((a ? a[w]! : 0) | (b ? b[w]! : 0) | lowBits(n & 31)) >>> 0;
        if (taken !== 0xffffffff) {
          const freeBits = ~taken >>> 0;
          // (n & ~31) is a signed 32-bit value: back to unsigned before adding and comparing.
          const hit = ((n & ~31) >>> 0) + (31 - Math.clz32(freeBits & -freeBits));
          return hit <= pageEnd ? hit : -1;
        }
        n = ((n | 31) + 1) >>> 0;
        if (n === 0) return -1; // wrapped past 255.255.255.255
      }
    }
    return -1;
  }

  /** Calls fn for every member in [from, to], ascending. */
  forEachIn(from: number, to: number, fn: (ip: number) => void): void {
    let n = from >>> 0;
    const end = to >>> 0;
    while (n <= end) {
      const key = n >>> PAGE_BITS;
      const pageEnd = Math.min(end, ((key << PAGE_BITS) | 0xffff) >>> 0);
      const page = this.pages.get(key);
      if (page) {
        while (n <= pageEnd) {
          let word = page[(n >>> 5) & (PAGE_WORDS - 1)]! & ~lowBits(n & 31);
          const base = (n & ~31) >>> 0;
          while (word !== 0) {
            const ip = base + (31 - Math.clz32(word & -word));
            if (ip > pageEnd) break;
            fn(ip);
            word &= word - 1;
          }
          n = ((n | 31) + 1) >>> 0;
          if (n === 0) return;
        }
      }
      if (pageEnd === 0xffffffff) return;
      n = pageEnd + 1;
    }
  }
}
