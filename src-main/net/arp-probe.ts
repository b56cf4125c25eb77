// Address-conflict probes over an ArpTransport: one address before an OFFER (ArpProber: short,
// cached, bounded), or a whole range (sweepAddresses: rate-limited). The transport is injected, so
// the timing, cache and concurrency logic is unit-tested without sockets.
//
// Timing, and why: a host that holds an address answers an ARP request within a millisecond or two
// on a wired LAN (measured on veth: 0.4–2 ms); a Wi-Fi station in power save may take a beacon
// interval or three (~100–300 ms). A DHCP client retransmits its DISCOVER only after ~4 s (RFC 2131
// §4.1), so an OFFER delayed by 500 ms costs the client nothing, while ISC dhcpd's 1 s ping-check
// and dnsmasq's 3 s ping (both ICMP, which firewalls drop silently) are slower and miss hosts that
// filter ICMP — every IPv4 host must answer ARP. A second probe at half the timeout covers one lost
// frame. Results are cached (dnsmasq does the same) so a burst of fresh clients costs one probe per
// address, not one per DISCOVER.
import type { Ipv4 } from '../dhcp/ip.js';
import { conflictingMac, type Mac } from './arp-packet.js';
import type { ArpTransport } from './arp-socket.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 500;
export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_MAX_CONCURRENT = 32;
const CACHE_CAPACITY = 4096;

export type ProbeOutcome = 'free' | 'in-use' | 'unchecked';

export interface ProbeResult {
  ip: Ipv4;
  outcome: ProbeOutcome;
  /** The MAC that answered for the address (outcome 'in-use'). */
  inUseBy?: Mac;
  /** Answered from the cache (no frame sent). */
  cached: boolean;
  /** Why no probe was made (outcome 'unchecked'). */
  reason?: string;
  /** Time from the probe until the answer or the timeout. */
  ms: number;
}

export interface ProberStats {
  probes: number;
  conflicts: number;
  cacheHits: number;
  /** Fresh allocations offered without a probe: too many probes in flight, or the socket failed. */
  unchecked: number;
}

export interface ProberOptions {
  /** Opens (and after a failure re-opens) the packet socket. */
  open: () => Promise<ArpTransport>;
  timeoutMs?: number;
  cacheTtlMs?: number;
  maxConcurrent?: number;
  clock?: () => number;
}

interface Pending {
  promise: Promise<ProbeResult>;
  finish: (inUseBy: Mac | undefined) => void;
  abort: (why: string) => void;
}

/** Probes candidate addresses before they are offered; see the module comment for timing. */
export class ArpProber {
  readonly timeoutMs: number;
  readonly cacheTtlMs: number;
  readonly maxConcurrent: number;
  readonly stats: ProberStats = { probes: 0, conflicts: 0, cacheHits: 0, unchecked: 0 };
  private readonly clock: () => number;
  private readonly cache = new Map<Ipv4, { inUseBy: Mac | undefined; at: number }>();
  private readonly pending = new Map<Ipv4, Pending>();
  private transport: ArpTransport | undefined;
  private opening: Promise<ArpTransport> | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  /** The last reason the socket could not be used ('' while it works). */
  lastError = '';

  constructor(private readonly opts: ProberOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.cacheTtlMs = opts.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.maxConcurrent = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.clock = opts.clock ?? Date.now;
  }

  /** Opens the socket now (start-up): rejects with the reason the check is unavailable. */
  async ready(): Promise<void> {
    await this.socket();
  }

  /** A probe of `ip` already under way (a retransmitted DISCOVER must wait for it, not skip it). */
  inFlight(ip: Ipv4): Promise<ProbeResult> | undefined {
    return this.pending.get(ip)?.promise;
  }

  /** The cached verdict, if fresh. */
  cached(ip: Ipv4): ProbeResult | undefined {
    const c = this.cache.get(ip);
    if (!c) return undefined;
    if (this.clock() - c.at >= this.cacheTtlMs) {
      this.cache.delete(ip);
      return undefined;
    }
    return { ip, outcome: c.inUseBy ? 'in-use' : 'free', ...(c.inUseBy ? { inUseBy: c.inUseBy } : {}), cached: true, ms: 0 };
  }

  /** Forgets what is known about `ip` (a DECLINE says the cache was wrong). */
  forget(ip: Ipv4): void {
    this.cache.delete(ip);
  }

  /**
   * Probes `ip` (or answers from the cache unless `fresh`). Never rejects: a failure is outcome
   * 'unchecked' with a reason, and the caller serves as if no check existed.
   */
  probe(ip: Ipv4, opts: { fresh?: boolean } = {}): Promise<ProbeResult> {
    const running = this.pending.get(ip);
    if (running) return running.promise;
    if (!opts.fresh) {
      const hit = this.cached(ip);
      if (hit) {
        this.stats.cacheHits++;
        return Promise.resolve(hit);
      }
    }
    if (this.closed) return Promise.resolve(this.unchecked(ip, 'the conflict check was stopped'));
    if (this.pending.size >= this.maxConcurrent) return Promise.resolve(this.unchecked(ip, `more than ${this.maxConcurrent} probes in flight`));
    return this.start(ip);
  }

  private unchecked(ip: Ipv4, reason: string): ProbeResult {
    this.stats.unchecked++;
    return { ip, outcome: 'unchecked', cached: false, reason, ms: 0 };
  }

  private start(ip: Ipv4): Promise<ProbeResult> {
    const t0 = this.clock();
    let finish!: (inUseBy: Mac | undefined) => void;
    let failed: string | undefined;
    const timers: NodeJS.Timeout[] = [];
    const promise = new Promise<ProbeResult>((resolve) => {
      let done = false;
      finish = (inUseBy) => {
        if (done) return;
        done = true;
        for (const t of timers) clearTimeout(t);
        this.pending.delete(ip);
        const ms = this.clock() - t0;
        if (failed !== undefined) return resolve(this.unchecked(ip, failed));
        this.remember(ip, inUseBy);
        if (inUseBy) this.stats.conflicts++;
        resolve({ ip, outcome: inUseBy ? 'in-use' : 'free', ...(inUseBy ? { inUseBy } : {}), cached: false, ms });
      };
    });
    const fail = (why: string) => {
      failed = why;
      finish(undefined);
    };
    this.pending.set(ip, { promise, finish, abort: fail });
    this.stats.probes++;
    this.socket().then(
      (t) => {
        if (!this.pending.has(ip)) return;
        const send = () => {
          try {
            t.sendProbe(ip);
          } catch (e) {
            this.dropSocket((e as Error).message);
            fail((e as Error).message);
          }
        };
        send();
        timers.push(setTimeout(send, Math.floor(this.timeoutMs / 2)));
        timers.push(setTimeout(() => finish(undefined), this.timeoutMs));
      },
      (e: Error) => fail(e.message),
    );
    return promise;
  }

  private remember(ip: Ipv4, inUseBy: Mac | undefined): void {
    this.cache.delete(ip);
    if (this.cache.size >= CACHE_CAPACITY) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(ip, { inUseBy, at: this.clock() });
  }

  private onArp(t: ArpTransport): (m: import('./arp-packet.js').ArpMessage) => void {
    return (m) => {
      // Only addresses we are probing matter; anything else on the wire is ignored.
      for (const ip of [m.senderIp, m.targetIp]) {
        const p = this.pending.get(ip);
        if (!p) continue;
        const mac = conflictingMac(m, ip, t.mac);
        if (mac) p.finish(mac);
      }
    };
  }

  private async socket(): Promise<ArpTransport> {
    if (this.closed) throw new Error('the conflict check was stopped');
    const t = this.transport;
    if (t && t.isHealthy()) return t;
    if (t) this.dropSocket(`interface ${t.ifname} went away`);
    if (!this.opening) {
      this.opening = this.opts.open().then(
        (fresh) => {
          this.opening = undefined;
          if (this.closed) {
            fresh.close();
            throw new Error('the conflict check was stopped');
          }
          this.transport = fresh;
          this.unsubscribe = fresh.onArp(this.onArp(fresh));
          this.lastError = '';
          return fresh;
        },
        (e: Error) => {
          this.opening = undefined;
          this.lastError = e.message;
          throw e;
        },
      );
    }
    return this.opening;
  }

  private dropSocket(why: string): void {
    this.lastError = why;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.transport?.close();
    this.transport = undefined;
  }

  /** Ends every probe (as 'unchecked') and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending.values()]) p.abort('the conflict check was stopped');
    this.dropSocket('');
    this.cache.clear();
  }
}

export interface SweepOptions {
  /** Probes per second; default 50 (a polite rate: ~3 kB/s of broadcasts). */
  ratePerSecond?: number;
  /** How long to listen after the last probe; default 1 s. */
  waitMs?: number;
  /** Called after each probe sent (progress). */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SweepHit {
  ip: Ipv4;
  mac: Mac;
  /** More than one MAC answered: a duplicate address on the wire already. */
  others?: Mac[];
}

export const MAX_SWEEP_ADDRESSES = 4096;
export const MAX_SWEEP_RATE = 200;

/** Probes every address in `ips` at a bounded rate and returns those that answered, in order. */
export async function sweepAddresses(t: ArpTransport, ips: readonly Ipv4[], opts: SweepOptions = {}): Promise<SweepHit[]> {
  if (ips.length > MAX_SWEEP_ADDRESSES) throw new RangeError(`a sweep probes at most ${MAX_SWEEP_ADDRESSES} addresses; this range has ${ips.length}`);
  const rate = Math.min(MAX_SWEEP_RATE, Math.max(1, opts.ratePerSecond ?? 50));
  const wanted = new Set(ips);
  const found = new Map<Ipv4, Set<Mac>>();
  const off = t.onArp((m) => {
    for (const ip of [m.senderIp, m.targetIp]) {
      if (!wanted.has(ip)) continue;
      const mac = conflictingMac(m, ip, t.mac);
      if (!mac) continue;
      let s = found.get(ip);
      if (!s) found.set(ip, (s = new Set()));
      s.add(mac);
    }
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      opts.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  try {
    const gap = 1000 / rate;
    const t0 = Date.now();
    for (let i = 0; i < ips.length; i++) {
      if (opts.signal?.aborted) break;
      t.sendProbe(ips[i]!);
      opts.onProgress?.(i + 1, ips.length);
      // Paced against the start time, so timer slack does not add up over a long range.
      const next = t0 + (i + 1) * gap - Date.now();
      if (next > 0 && i + 1 < ips.length) await sleep(next);
    }
    if (!opts.signal?.aborted) await sleep(opts.waitMs ?? 1000);
  } finally {
    off();
  }
  return ips
    .filter((ip) => found.has(ip))
    .map((ip) => {
      const [mac, ...others] = [...found.get(ip)!];
      return { ip, mac: mac!, ...(others.length ? { others } : {}) };
    });
}
