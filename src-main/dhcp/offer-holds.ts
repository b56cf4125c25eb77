// Addresses set aside between DHCPOFFER and DHCPREQUEST. RFC 2131 §4.3.1 lets a server reserve an
// offered address ("the server need not reserve the offered address, although it SHOULD make an
// effort"); Kea and dnsmasq keep no hold at all, which lets two clients be offered the same
// address at once. Holds live in memory only (an OFFER is a proposal, not a commitment), expire
// after a short time, and are capped: under a DISCOVER flood from random MACs the oldest hold is
// given up rather than the pool starving.
import { AddressBitmap } from './allocator.js';
import { ipToInt, type Ipv4 } from './ip.js';

export interface OfferHold {
  clientId: string;
  mac: string;
  ip: Ipv4;
  subnet: string;
  expiresAt: number;
}

export class OfferHolds {
  // Map iteration order is insertion order; refresh() re-inserts, so the first entry is the oldest.
  private readonly byClient = new Map<string, OfferHold>();
  private readonly byIp = new Map<Ipv4, OfferHold>();
  /** The held addresses as numbers (expired holds stay in until dropped): see heldAt(). */
  private readonly held = new AddressBitmap();
  /** The instant at which `held` was last made exact (every expired hold dropped), if still valid. */
  private exactAt: number | undefined;
  /** Whether the holds, in put() order, expire in that order (true while the clock runs forward). */
  private ordered = true;
  private lastExpiry = -Infinity;

  constructor(private readonly capacity: number) {}

  /**
   * The held addresses as a bitmap — only when it is exact at `now`, that is when dropExpired(now)
   * ran at this very instant (the engine calls it before every allocation); otherwise undefined,
   * and the allocator asks onIp() per address instead.
   */
  heldAt(now: number): AddressBitmap | undefined {
    return this.exactAt === now ? this.held : undefined;
  }

  get size(): number {
    return this.byClient.size;
  }

  forClient(clientId: string, now: number): OfferHold | undefined {
    const h = this.byClient.get(clientId);
    return h && h.expiresAt > now ? h : undefined;
  }

  /** The live hold on an address, if any. */
  onIp(ip: Ipv4, now: number): OfferHold | undefined {
    const h = this.byIp.get(ip);
    return h && h.expiresAt > now ? h : undefined;
  }

  /** Holds `hold.ip` for its client, replacing that client's previous hold. Returns the hold evicted to make room, if any. */
  put(hold: OfferHold, now: number): OfferHold | undefined {
    this.release(hold.clientId);
    const other = this.byIp.get(hold.ip);
    if (other) this.release(other.clientId);
    let evicted: OfferHold | undefined;
    if (this.byClient.size >= this.capacity) {
      this.prune(now);
      if (this.byClient.size >= this.capacity) {
        evicted = this.byClient.values().next().value;
        if (evicted) this.release(evicted.clientId);
      }
    }
    this.byClient.set(hold.clientId, hold);
    this.byIp.set(hold.ip, hold);
    this.held.add(ipToInt(hold.ip));
    if (hold.expiresAt < this.lastExpiry) this.ordered = false;
    this.lastExpiry = Math.max(this.lastExpiry, hold.expiresAt);
    if (this.exactAt !== undefined && hold.expiresAt <= this.exactAt) this.exactAt = undefined;
    return evicted;
  }

  release(clientId: string): OfferHold | undefined {
    const h = this.byClient.get(clientId);
    if (!h) return undefined;
    this.byClient.delete(clientId);
    if (this.byIp.get(h.ip) === h) {
      this.byIp.delete(h.ip);
      this.held.delete(ipToInt(h.ip));
    }
    return h;
  }

  /**
   * Drops every expired hold, cheaply enough for every DISCOVER: holds are kept in put() order and
   * all last the same time, so while the clock runs forward the expired ones are at the front and
   * this is O(expired). After the clock went back (or holds of different lengths) it is a full
   * prune() until the order is restored.
   */
  dropExpired(now: number): void {
    if (this.ordered) {
      for (const h of this.byClient.values()) {
        if (h.expiresAt > now) break;
        this.release(h.clientId);
      }
    } else {
      this.prune(now);
    }
    this.exactAt = now;
  }

  /** The oldest live hold in a subnet other than `clientId`'s (the one to give up when the pool is full). */
  oldestInSubnet(subnet: string, exceptClient: string, now: number): OfferHold | undefined {
    for (const h of this.byClient.values()) {
      if (h.subnet === subnet && h.clientId !== exceptClient && h.expiresAt > now) return h;
    }
    return undefined;
  }

  /** Drops expired holds; returns how many. */
  prune(now: number): number {
    let n = 0;
    let ordered = true;
    let last = -Infinity;
    for (const h of this.byClient.values()) {
      if (h.expiresAt <= now) {
        this.release(h.clientId);
        n++;
      } else {
        if (h.expiresAt < last) ordered = false;
        last = h.expiresAt;
      }
    }
    this.ordered = ordered;
    this.lastExpiry = last;
    return n;
  }

  all(now: number): OfferHold[] {
    return [...this.byClient.values()].filter((h) => h.expiresAt > now);
  }

  clear(): void {
    this.byClient.clear();
    this.byIp.clear();
    this.held.clear();
    this.ordered = true;
    this.lastExpiry = -Infinity;
  }
}
