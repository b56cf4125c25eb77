// A per-client message rate limit for the engine (pure: the caller passes the time). A real client
// sends a DHCPDISCOVER every few seconds at most (RFC 2131 §4.1: retransmissions back off from 4 s);
// one MAC sending dozens a second is a broken or hostile client, and each of its DISCOVERs would
// cost an allocation, an offer hold and a reply. The engine keeps a second instance for DHCPREQUEST,
// DHCPINFORM and DHCPDECLINE together (config requestRateLimit): a real client sends a few a minute,
// while each accepted REQUEST may rewrite its lease record on disk. Excess messages are dropped with
// the counted reason 'rate-limited' (dhcp/events.ts) and their message type.
//
// Fixed one-second windows: a count per client for the current window, all forgotten when the
// window turns. Memory is bounded by the distinct clients seen in one second (a random-MAC flood
// adds one small entry per MAC, cleared a second later), and by `maxTracked` beyond that: clients
// not tracked are not limited (a random-MAC flood is capped by the offer holds instead).
export class ClientRateLimit {
  private readonly counts = new Map<string, number>();
  private window = -1;

  constructor(
    /** Messages allowed per client per window; 0 = no limit. */
    readonly perWindow: number,
    readonly windowMs = 1000,
    readonly maxTracked = 100_000,
  ) {}

  /** Counts one message of `key` at `now`; false when it is over the limit (drop it). */
  allow(key: string, now: number): boolean {
    if (this.perWindow <= 0) return true;
    const w = Math.floor(now / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    if (n === 1 && this.counts.size >= this.maxTracked) return true;
    this.counts.set(key, n);
    return n <= this.perWindow;
  }

  /** Clients tracked in the current window (memory check in tests). */
  get tracked(): number {
    return this.counts.size;
  }
}
