// The in-memory lease index: authoritative while the server runs (the engine decides from it,
// the disk is the journal). Pure data structure, no I/O.
import { AddressBitmap, type RecordedAddresses } from '../dhcp/allocator.js';
import { ipToInt, type Ipv4 } from '../dhcp/ip.js';
import type { Lease, LeaseView } from '../dhcp/lease.js';

/** A client with records on several addresses (one address: the map holds the Lease itself). */
class MultiEntry {
  constructor(
    public best: Lease,
    /** Nearly always two addresses: an array is a fraction of a Set's memory. */
    public ips: Ipv4[],
  ) {}
}

/**
 * Which of two records of one client is "the most recent". lastSeen first; on a tie a bound
 * record wins, because the engine writes a new binding and the superseded one (marked expired)
 * with the same lastSeen in one decision, and stickiness must follow the live binding.
 */
export function isMoreRecent(a: Lease, b: Lease): boolean {
  if (a.lastSeen !== b.lastSeen) return a.lastSeen > b.lastSeen;
  const ab = a.state === 'bound';
  if (ab !== (b.state === 'bound')) return ab;
  return a.startsAt >= b.startsAt;
}

export class LeaseIndex implements LeaseView, RecordedAddresses {
  private readonly ips = new Map<Ipv4, Lease>();
  /** Every address that has a record: lets the allocator skip used addresses 32 at a time. */
  readonly recorded = new AddressBitmap();
  // A client can own several records (an old address it moved away from, history on another
  // subnet); byClient must still answer in O(1) and fall back correctly when one is reassigned.
  // Nearly every client has one record, held directly (at 100,000 clients, 100,000 small
  // objects and arrays fewer than an entry per client).
  private readonly clients = new Map<string, Lease | MultiEntry>();
  private nonBound = 0;

  get size(): number {
    return this.ips.size;
  }

  /** Records not in state bound: the ones history pruning may drop. */
  get nonBoundCount(): number {
    return this.nonBound;
  }

  byIp(ip: Ipv4): Lease | undefined {
    return this.ips.get(ip);
  }

  byClient(clientId: string): Lease | undefined {
    const e = this.clients.get(clientId);
    return e instanceof MultiEntry ? e.best : e;
  }

  values(): IterableIterator<Lease> {
    return this.ips.values();
  }

  /** Inserts or replaces the record for lease.ip; returns the previous one. */
  set(lease: Lease): Lease | undefined {
    const prev = this.ips.get(lease.ip);
    this.ips.set(lease.ip, lease);
    if (!prev) this.recorded.add(ipToInt(lease.ip));
    if (prev && prev.state !== 'bound') this.nonBound--;
    if (lease.state !== 'bound') this.nonBound++;
    if (prev && prev.clientId !== lease.clientId) this.detach(prev.clientId, lease.ip);
    this.attach(lease);
    return prev;
  }

  delete(ip: Ipv4): Lease | undefined {
    const prev = this.ips.get(ip);
    if (!prev) return undefined;
    this.ips.delete(ip);
    this.recorded.delete(ipToInt(ip));
    if (prev.state !== 'bound') this.nonBound--;
    this.detach(prev.clientId, ip);
    return prev;
  }

  private attach(lease: Lease): void {
    const entry = this.clients.get(lease.clientId);
    if (entry === undefined || (!(entry instanceof MultiEntry) && entry.ip === lease.ip)) {
      this.clients.set(lease.clientId, lease);
      return;
    }
    if (!(entry instanceof MultiEntry)) {
      this.clients.set(lease.clientId, new MultiEntry(isMoreRecent(lease, entry) ? lease : entry, [entry.ip, lease.ip]));
      return;
    }
    if (!entry.ips.includes(lease.ip)) entry.ips.push(lease.ip);
    if (entry.best.ip === lease.ip) {
      // The best record itself changed; it may now be older than another record of this client.
      if (isMoreRecent(lease, entry.best)) entry.best = lease;
      else this.recompute(entry);
    } else if (isMoreRecent(lease, entry.best)) {
      entry.best = lease;
    }
  }

  private detach(clientId: string, ip: Ipv4): void {
    const entry = this.clients.get(clientId);
    if (entry === undefined) return;
    if (!(entry instanceof MultiEntry)) {
      if (entry.ip === ip) this.clients.delete(clientId);
      return;
    }
    const at = entry.ips.indexOf(ip);
    if (at !== -1) {
      entry.ips[at] = entry.ips[entry.ips.length - 1]!;
      entry.ips.pop();
    }
    if (entry.ips.length === 1) {
      const only = this.ips.get(entry.ips[0]!);
      if (only) this.clients.set(clientId, only);
      else this.clients.delete(clientId);
    } else if (entry.ips.length === 0) this.clients.delete(clientId);
    else if (entry.best.ip === ip) this.recompute(entry);
  }

  private recompute(entry: MultiEntry): void {
    let best: Lease | undefined;
    for (const ip of entry.ips) {
      const l = this.ips.get(ip);
      if (l && (!best || isMoreRecent(l, best))) best = l;
    }
    if (best) entry.best = best;
  }
}
