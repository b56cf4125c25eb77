// The one-click pool sweep: ARP-probe every address of a range (rate-limited, net/arp-probe.ts)
// and say, for each address that answered, whether that is one of our clients, or a device with a
// fixed address inside the pool that should be excluded or reserved. Works whether the server is
// running or not (its own packet socket; the DHCP socket is not involved).
import { intToIp, ipToInt, isIpv4, type Ipv4 } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import { MAX_SWEEP_ADDRESSES, sweepAddresses, type SweepHit } from '../net/arp-probe.js';
import { openArpSocket, type ArpTransport } from '../net/arp-socket.js';

/**
 * ours     — we leased (or reserved) the address to the device that answered.
 * conflict — we leased or reserved it to another device: two devices may share one address.
 * static   — no lease: a device with a fixed address inside the pool. Exclude it from the range,
 *            or reserve it for that MAC, so that it is never handed to anybody else.
 */
export type SweepKind = 'ours' | 'conflict' | 'static';

export interface PoolSweepHit {
  ip: Ipv4;
  /** The MAC that answered. */
  mac: string;
  /** Further MACs that answered for the same address (already a duplicate on the wire). */
  others?: string[];
  kind: SweepKind;
  /** One sentence: what it is and what to do (English; logs, CLI, the UI's fallback). */
  note: string;
  /**
   * Which sentence `note` is, so the UI can word it in its own language from the hit's fields
   * (mac, others, expectedMac, hostname, leaseState).
   */
  noteCode?: 'leased-ours' | 'leased-conflict' | 'reserved-ours' | 'reserved-conflict' | 'lease-ended' | 'static';
  /** The ended lease's state (noteCode 'lease-ended'). */
  leaseState?: string;
  /** Our lease or reservation's MAC when it differs (kind 'conflict'). */
  expectedMac?: string;
  hostname?: string;
}

export interface PoolSweepResult {
  interface: string;
  range: string;
  probed: number;
  durationMs: number;
  ratePerSecond: number;
  hits: PoolSweepHit[];
}

export interface SweepContext {
  byIp(ip: Ipv4): Lease | undefined;
  reservations: readonly { ip: string; mac?: string; hostname?: string }[];
  now: number;
}

/** "A-B" → every address from A to B; throws a RangeError that says what is wrong. */
export function rangeAddresses(range: string): Ipv4[] {
  const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(range);
  if (!m || !isIpv4(m[1]!) || !isIpv4(m[2]!)) throw new RangeError(`"${range}" is not a range like 198.18.10.100-198.18.10.200`);
  const lo = ipToInt(m[1]!);
  const hi = ipToInt(m[2]!);
  if (hi < lo) throw new RangeError(`"${range}" ends before it starts`);
  const n = hi - lo + 1;
  if (n > MAX_SWEEP_ADDRESSES) throw new RangeError(`"${range}" has ${n} addresses; a sweep probes at most ${MAX_SWEEP_ADDRESSES} at a time — split the range`);
  const out: Ipv4[] = [];
  for (let i = lo; i <= hi; i++) out.push(intToIp(i));
  return out;
}

/** Pure: what each answering address means for this server. */
export function classifySweep(hits: readonly SweepHit[], ctx: SweepContext): PoolSweepHit[] {
  const resByIp = new Map(ctx.reservations.map((r) => [r.ip, r]));
  return hits.map((h) => {
    const base = { ip: h.ip, mac: h.mac, ...(h.others?.length ? { others: h.others } : {}) };
    const all = [h.mac, ...(h.others ?? [])];
    const lease = ctx.byIp(h.ip);
    const live = lease && lease.state === 'bound' && lease.expiresAt > ctx.now ? lease : undefined;
    const res = resByIp.get(h.ip);
    const host = live?.hostname ?? res?.hostname;
    const withHost = host ? { hostname: host } : {};
    if (live) {
      if (all.includes(live.mac) && all.length === 1) return { ...base, ...withHost, kind: 'ours', noteCode: 'leased-ours', note: `leased to this device${host ? ` (${host})` : ''}` };
      return { ...base, ...withHost, kind: 'conflict', expectedMac: live.mac, noteCode: 'leased-conflict', note: `leased to ${live.mac}, but ${all.filter((m) => m !== live.mac).join(', ')} answers too — two devices on one address` };
    }
    if (res?.mac) {
      if (all.includes(res.mac) && all.length === 1) return { ...base, ...withHost, kind: 'ours', noteCode: 'reserved-ours', note: `reserved for this device${host ? ` (${host})` : ''}` };
      return { ...base, ...withHost, kind: 'conflict', expectedMac: res.mac, noteCode: 'reserved-conflict', note: `reserved for ${res.mac}, but ${all.filter((m) => m !== res.mac).join(', ')} answers — fix the reservation or the device` };
    }
    if (lease && lease.mac === h.mac && lease.state !== 'declined') {
      return { ...base, kind: 'static', noteCode: 'lease-ended', leaseState: lease.state, note: `its lease ended (${lease.state}) but the device still uses the address — reserve it for this MAC or exclude it from the range` };
    }
    return { ...base, kind: 'static', noteCode: 'static', note: 'a device with a fixed address inside the pool — exclude it from the range or reserve it for this MAC' };
  });
}

export interface PoolSweepOptions {
  interface: string;
  range: string;
  ratePerSecond?: number;
  waitMs?: number;
  context?: SweepContext;
  open?: (ifname: string) => Promise<ArpTransport>;
  signal?: AbortSignal;
}

/** Opens a packet socket on the interface, sweeps the range, closes. Rejects with the socket's message (no CAP_NET_RAW, not Linux). */
export async function runPoolSweep(opts: PoolSweepOptions): Promise<PoolSweepResult> {
  const ips = rangeAddresses(opts.range);
  const rate = opts.ratePerSecond ?? 50;
  const t = await (opts.open ?? ((i: string) => openArpSocket(i)))(opts.interface);
  const t0 = Date.now();
  try {
    const hits = await sweepAddresses(t, ips, { ratePerSecond: rate, ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    const ctx = opts.context ?? { byIp: () => undefined, reservations: [], now: Date.now() };
    return { interface: opts.interface, range: opts.range.replace(/\s+/g, ''), probed: ips.length, durationMs: Date.now() - t0, ratePerSecond: rate, hits: classifySweep(hits, ctx) };
  } finally {
    t.close();
  }
}
