// The allocator proposes an address; the engine decides. Order (ARCHITECTURE.md): reservation →
// this client's previous lease → the address it asked for (option 50) → the address it was just
// offered (a retransmitted DISCOVER) → a stable pick (hash of the client identity into the
// range) → the first never-used address from there → the address released or expired longest
// ago. Never: the server's own or other excluded addresses, the subnet's network/broadcast
// address, another client's reservation, a live lease or offer of another client, a quarantined
// (declined) address.
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
  const ip = ipToInt(ipText);
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

  // Stable pick, then linear probe for an address nobody has ever had: a device that comes back
  // after its record was recycled tends to land on the same address again.
  const size = rangeSize(subnet);
  const start = hash32(client.clientId) % size;
  for (let i = 0; i < size; i++) {
    const ip = intToIp(subnet.rangeStart + ((start + i) % size));
    if (availability(ip, client, subnet, st) === 'free') return { ip, source: i === 0 ? 'stable' : 'first-free' };
  }

  // Every address has a history: reuse the one whose previous holder has been gone longest.
  let best: Ipv4 | undefined;
  let bestTime = Infinity;
  for (let n = subnet.rangeStart; n <= subnet.rangeEnd; n++) {
    const ip = intToIp(n);
    if (availability(ip, client, subnet, st) !== 'reusable') continue;
    const l = st.leases.byIp(ip);
    const t = l ? Math.max(l.expiresAt, l.lastSeen) : 0;
    if (t < bestTime) {
      best = ip;
      bestTime = t;
    }
  }
  return best ? { ip: best, source: 'reuse' } : undefined;
}
