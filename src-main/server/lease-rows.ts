// The lease table as the front ends see it: every stored record plus the live offers (an offer
// shows on an address unless that address is bound), each with its device identity — and the
// bookkeeping for pushing only what changed. The controller marks addresses whose row may have
// changed; flush() turns them into upserts and removals, and also catches offer rows that
// vanished without an event of their own (a hold expired or was given up). A row is computed when
// it is pushed, from the store and the holds as they are then, so a burst of events for one
// address costs one row.
import type { Lease } from '../dhcp/lease.js';
import type { OfferHold, OfferHolds } from '../dhcp/offer-holds.js';
import type { LeaseRow } from '../ipc/contract.js';
import type { LeaseStore } from '../leases/lease-store.js';
import { identify } from '../devices/identity.js';

/** A lease record as a table row, with the device identity (vendor, random MAC, fingerprint). */
export function withIdentity(l: Lease): LeaseRow {
  return { ...l, ...identify(l) };
}

export class LeaseRowFeed {
  /** Addresses whose row may have changed since the last flush. */
  private readonly dirty = new Set<string>();
  /** The offer rows the listeners currently show (ip → clientId). */
  private readonly shownOffers = new Map<string, string>();
  /** What an OFFER event said that the hold does not keep (hostname, when). */
  private readonly offerInfo = new Map<string, { hostname?: string; at: number }>();

  constructor(private readonly store: Pick<LeaseStore, 'all' | 'view'>) {}

  /** The row of `ip` may have changed. */
  changed(ip: string): void {
    this.dirty.add(ip);
  }

  /** An OFFER went out for `ip`. */
  offered(ip: string, hostname: string | undefined, at: number): void {
    this.offerInfo.set(ip, { ...(hostname ? { hostname } : {}), at });
  }

  /**
   * The service stopped and its offer holds went with its engine. The offer rows shown change
   * back or go at the next flush (it compares them with the holds, now none); what the OFFER
   * events said must not reach a later server's offers on the same addresses.
   */
  holdsGone(): void {
    this.offerInfo.clear();
  }

  /** Every stored record plus live offers. */
  rows(holds: readonly OfferHold[], now: number): LeaseRow[] {
    const rows = new Map<string, LeaseRow>();
    for (const l of this.store.all()) rows.set(l.ip, withIdentity(l));
    for (const h of holds) {
      const row = this.offerRow(h, rows.get(h.ip), now);
      if (row) rows.set(h.ip, row);
    }
    return [...rows.values()];
  }

  /**
   * Nobody listens (the plain CLI): keep nothing for later — a listener that subscribes asks for
   * the full table first — and drop offer details whose hold is gone.
   */
  discard(holds: OfferHolds | undefined, now: number): void {
    this.dirty.clear();
    this.shownOffers.clear();
    for (const ip of this.offerInfo.keys()) if (!holds?.onIp(ip, now)) this.offerInfo.delete(ip);
  }

  /** The rows that changed since the last flush, or undefined when none did. */
  flush(holds: readonly OfferHold[], now: number): { upserts: LeaseRow[]; removed: string[] } | undefined {
    const current = new Map<string, OfferHold>();
    for (const h of holds) {
      current.set(h.ip, h);
      if (this.shownOffers.get(h.ip) !== h.clientId) this.dirty.add(h.ip);
    }
    for (const [ip, clientId] of this.shownOffers) {
      if (current.get(ip)?.clientId !== clientId) this.dirty.add(ip);
    }
    if (this.dirty.size === 0) return undefined;
    const upserts: LeaseRow[] = [];
    const removed: string[] = [];
    for (const ip of this.dirty) {
      const hold = current.get(ip);
      const row = this.rowFor(ip, hold, now);
      if (row) upserts.push(row);
      else removed.push(ip);
      if (row?.state === 'offered' && hold) this.shownOffers.set(ip, hold.clientId);
      else {
        this.shownOffers.delete(ip);
        if (!hold) this.offerInfo.delete(ip);
      }
    }
    this.dirty.clear();
    return { upserts, removed };
  }

  private offerRow(h: OfferHold, stored: Lease | undefined, now: number): LeaseRow | undefined {
    if (stored && stored.state === 'bound' && stored.expiresAt > now) return undefined;
    const info = this.offerInfo.get(h.ip);
    const prior = this.store.view.byClient(h.clientId);
    const at = info?.at ?? now;
    const hostname = info?.hostname ?? prior?.hostname;
    return {
      ip: h.ip,
      clientId: h.clientId,
      mac: h.mac,
      state: 'offered',
      subnet: h.subnet,
      startsAt: at,
      expiresAt: h.expiresAt,
      firstSeen: prior?.firstSeen ?? at,
      lastSeen: at,
      ...(hostname ? { hostname } : {}),
      ...identify({ mac: h.mac, vendorClass: prior?.vendorClass, paramRequest: prior?.paramRequest }),
    };
  }

  private rowFor(ip: string, hold: OfferHold | undefined, now: number): LeaseRow | undefined {
    const stored = this.store.view.byIp(ip);
    return (hold && this.offerRow(hold, stored, now)) ?? (stored && withIdentity(stored));
  }
}
