// Pool usage for the status (bound / offered / declined / free per range), from the lease records,
// the live offer holds and the addresses no client can get; and the pools of a saved configuration
// for the stopped state.
import type { UserConfig } from '../config/schema.js';
import { intToIp, ipToInt, isIpv4 } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import type { OfferHold } from '../dhcp/offer-holds.js';
import type { PoolUsage } from '../ipc/contract.js';

export interface PoolSpec {
  subnet: string;
  rangeStart: number;
  rangeEnd: number;
}

/**
 * Pool usage as the allocator sees it (dhcp/allocator.ts `availability`): bound = live leases,
 * declined = running quarantines, offered = live offer holds; `free` also leaves out reserved and
 * excluded addresses (the server's own, routers, DNS servers), which no random client can get.
 */
export function poolUsage(pools: readonly PoolSpec[], leases: Iterable<Lease>, holds: readonly OfferHold[], unavailable: readonly string[], now: number): PoolUsage[] {
  const out = pools.map((p) => ({ p, size: p.rangeEnd - p.rangeStart + 1, bound: 0, offered: 0, declined: 0, taken: new Set<number>() }));
  const find = (n: number) => out.find((o) => n >= o.p.rangeStart && n <= o.p.rangeEnd);
  for (const l of leases) {
    if (l.expiresAt <= now || (l.state !== 'bound' && l.state !== 'declined')) continue;
    const n = ipToInt(l.ip);
    const o = find(n);
    if (!o || o.taken.has(n)) continue;
    o.taken.add(n);
    if (l.state === 'bound') o.bound++;
    else o.declined++;
  }
  for (const h of holds) {
    const n = ipToInt(h.ip);
    const o = find(n);
    if (!o || o.taken.has(n)) continue;
    o.taken.add(n);
    o.offered++;
  }
  for (const ip of unavailable) {
    if (!isIpv4(ip)) continue;
    const n = ipToInt(ip);
    find(n)?.taken.add(n);
  }
  return out.map((o) => ({
    subnet: o.p.subnet,
    range: `${intToIp(o.p.rangeStart)}-${intToIp(o.p.rangeEnd)}`,
    size: o.size,
    bound: o.bound,
    offered: o.offered,
    declined: o.declined,
    free: Math.max(0, o.size - o.taken.size),
  }));
}

function rangeOf(range: string): [number, number] | undefined {
  const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(range);
  if (!m || !isIpv4(m[1]!) || !isIpv4(m[2]!)) return undefined;
  return [ipToInt(m[1]!), ipToInt(m[2]!)];
}

/** The pools and never-assignable addresses of a valid user configuration (stopped state). */
export function poolsOfConfig(cfg: UserConfig, serverId?: string): { pools: PoolSpec[]; unavailable: string[] } {
  const pools: PoolSpec[] = [];
  for (const s of cfg.subnets) {
    const r = rangeOf(s.range);
    if (r) pools.push({ subnet: s.subnet, rangeStart: r[0], rangeEnd: r[1] });
  }
  const unavailable = [...cfg.reservations.map((r) => r.ip), ...cfg.subnets.flatMap((s) => [...(s.router ?? []), ...(s.dns ?? [])]), ...(serverId ? [serverId] : [])];
  return { pools, unavailable };
}
