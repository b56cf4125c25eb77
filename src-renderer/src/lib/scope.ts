// Address arithmetic for the Setup column: the network of an address, the range check with its
// size, and sensible suggestions (a static address for a bare interface, a range for a network).
// Built on the engine's own IP helpers so the UI and the server agree on every edge.
import { cidrBroadcast, cidrContains, intToIp, ipToInt, isIpv4, parseCidr, prefixToMask, type Cidr } from '../../../src-main/dhcp/ip.js';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { asList, type Draft, type DraftSubnet } from './draft.js';
import { t } from '../i18n/index.js';


export const DEFAULT_STATIC = { address: '192.168.77.1', prefix: 24 } as const;

/** "192.168.77.1", 24 → "192.168.77.0/24"; undefined for invalid input. */
export function networkOf(address: string, prefix: number): string | undefined {
  if (!isIpv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const network = (ipToInt(address) & prefixToMask(prefix)) >>> 0;
  return `${intToIp(network)}/${prefix}`;
}

/** "a-b" → its two halves as typed (trimmed); missing halves are empty strings. */
export function splitRange(range: unknown): { start: string; end: string } {
  if (typeof range !== 'string') return { start: '', end: '' };
  const i = range.indexOf('-');
  if (i < 0) return { start: range.trim(), end: '' };
  return { start: range.slice(0, i).trim(), end: range.slice(i + 1).trim() };
}

export function joinRange(start: string, end: string): string {
  return `${start.trim()}-${end.trim()}`;
}

export interface RangeContext {
  /** The scope's network, "192.168.77.0/24". */
  subnet?: string;
  /** This computer's address on the interface: never inside the range. */
  serverAddress?: string;
  /** Router and DNS addresses: real hosts the server never hands out. */
  excluded?: readonly string[];
}

export interface RangeInfo {
  /** Addresses from start to end inclusive, when both parse and start ≤ end. */
  size?: number;
  /** Of those, how many the server can actually lease (excluded hosts held back). */
  leasable?: number;
  /** Excluded addresses that fall inside the range. */
  heldBack: string[];
  /** Blocking problems with the range, as sentences. */
  problems: string[];
}

export function checkRange(start: string, end: string, ctx: RangeContext = {}): RangeInfo {
  const problems: string[] = [];
  const heldBack: string[] = [];
  const a = start.trim();
  const b = end.trim();
  if (!a || !b) {
    problems.push(!a && !b ? t('range.enterBoth') : !a ? t('range.enterFirst') : t('range.enterLast'));
    return { heldBack, problems };
  }
  if (!isIpv4(a)) problems.push(t('range.notIpv4', { value: a }));
  if (!isIpv4(b)) problems.push(t('range.notIpv4', { value: b }));
  if (problems.length) return { heldBack, problems };
  const lo = ipToInt(a);
  const hi = ipToInt(b);
  if (lo > hi) {
    problems.push(t('range.reversed', { start: a, end: b }));
    return { heldBack, problems };
  }
  const size = hi - lo + 1;
  const c: Cidr | undefined = ctx.subnet ? parseCidr(ctx.subnet) : undefined;
  if (c) {
    for (const [addr, n] of [[a, lo], [b, hi]] as const) {
      if (!cidrContains(c, n)) problems.push(t('range.outside', { address: addr, subnet: ctx.subnet ?? '' }));
    }
    const bcast = cidrBroadcast(c);
    if (c.prefix < 31 && cidrContains(c, lo) && cidrContains(c, hi)) {
      if (lo <= c.network) problems.push(t('range.hasNetwork', { network: intToIp(c.network), first: intToIp(c.network + 1) }));
      if (hi >= bcast) problems.push(t('range.hasBroadcast', { broadcast: intToIp(bcast), last: intToIp(bcast - 1) }));
    }
  }
  if (ctx.serverAddress && isIpv4(ctx.serverAddress)) {
    const s = ipToInt(ctx.serverAddress);
    if (s >= lo && s <= hi) problems.push(t('range.hasServer', { address: ctx.serverAddress }));
  }
  for (const x of new Set(ctx.excluded ?? [])) {
    if (isIpv4(x) && x !== ctx.serverAddress) {
      const n = ipToInt(x);
      if (n >= lo && n <= hi) heldBack.push(x);
    }
  }
  return { size, leasable: size - heldBack.length, heldBack, problems };
}

/**
 * A range for a network, keeping clear of the server's address: up to 100 addresses starting at
 * host .100 when the network is large enough (192.168.77.100–199 for a /24), otherwise the larger
 * side of the server's address.
 */
export function suggestRange(serverAddress: string, prefix: number): { start: string; end: string } | undefined {
  const net = networkOf(serverAddress, prefix);
  const c = net ? parseCidr(net) : undefined;
  if (!c || c.prefix > 30) return undefined;
  const first = c.network + 1;
  const last = cidrBroadcast(c) - 1;
  const s = ipToInt(serverAddress);
  const below = s > first ? { lo: first, hi: s - 1 } : undefined;
  const above = s < last ? { lo: s + 1, hi: last } : undefined;
  const sideSize = (x?: { lo: number; hi: number }): number => (x ? x.hi - x.lo + 1 : 0);
  const side = sideSize(above) >= sideSize(below) ? above : below;
  if (!side) return undefined;
  let lo = side.lo;
  if (c.network + 100 >= side.lo && c.network + 100 + 99 <= side.hi) lo = c.network + 100;
  const hi = Math.min(side.hi, lo + 99);
  return { start: intToIp(lo), end: intToIp(hi) };
}

/** The interface's IPv4 address inside `subnet` (or its first one when no subnet is given). */
export function addressInSubnet(nic: NetInterface | undefined, subnet: string | undefined): { address: string; prefix: number; dynamic: boolean } | undefined {
  if (!nic) return undefined;
  const c = subnet ? parseCidr(subnet) : undefined;
  if (!c) return nic.ipv4[0];
  return nic.ipv4.find((a) => cidrContains(c, ipToInt(a.address)));
}

/**
 * The address to prefill the static-address form with: the interface's current static one; else the
 * first host of the configured scope that is outside the range; else 192.168.77.1/24.
 */
export function suggestStaticAddress(nic: NetInterface | undefined, subnet: string | undefined, range: string | undefined): { address: string; prefix: number } {
  // An address from DHCP belongs to someone else's network: never suggest reusing it.
  const current = nic?.ipv4.find((a) => !a.dynamic);
  if (current) return { address: current.address, prefix: current.prefix };
  // Nor a host of that foreign network, which the scope may still be on.
  if (nic?.ipv4.some((a) => a.dynamic)) return { ...DEFAULT_STATIC };
  const c = subnet ? parseCidr(subnet) : undefined;
  if (c && c.prefix <= 30) {
    const { start, end } = splitRange(range);
    const lo = isIpv4(start) ? ipToInt(start) : 0;
    const hi = isIpv4(end) ? ipToInt(end) : 0;
    for (let n = c.network + 1; n < cidrBroadcast(c) && n < c.network + 1024; n++) {
      if (!(n >= lo && n <= hi)) return { address: intToIp(n), prefix: c.prefix };
    }
  }
  return { ...DEFAULT_STATIC };
}

/** Is `ip` a usable host address of `subnet` (inside it, not its network or broadcast address)? */
export function hostProblem(ip: string, subnet: string | undefined): string | undefined {
  if (!isIpv4(ip)) return t('host.notIpv4', { value: ip });
  const c = subnet ? parseCidr(subnet) : undefined;
  if (!c) return undefined;
  const n = ipToInt(ip);
  if (!cidrContains(c, n)) return t('host.outside', { ip, subnet: subnet ?? '' });
  if (c.prefix < 31 && n === c.network) return t('host.network', { ip, subnet: subnet ?? '' });
  if (c.prefix < 31 && n === cidrBroadcast(c)) return t('host.broadcast', { ip, subnet: subnet ?? '' });
  return undefined;
}

/** Dotted-quad mask for a prefix: 24 → 255.255.255.0. */
export function prefixMask(prefix: number): string {
  return intToIp(prefixToMask(prefix));
}

/** Scopes the user set up for other networks (see alignScope). */
export interface ScopeMemory {
  remember(subnet: string, scope: DraftSubnet): void;
  recall(subnet: string): DraftSubnet | undefined;
}

/**
 * Puts subnets[0] on the network of `address/prefix`: the subnet follows, and a range that no
 * longer fits is replaced by a suggestion; routers and DNS servers left outside are dropped.
 */
export function alignScope(d: Draft, address: string, prefix: number, memory?: ScopeMemory): void {
  const net = networkOf(address, prefix);
  if (!net) return;
  d.subnets ??= [];
  let s: DraftSubnet = d.subnets[0] ?? (d.subnets[0] = {});
  if (s.subnet !== net && memory) {
    // Switching networks (another interface, another address) and back restores what the user
    // had set up for each network, instead of dropping the router, DNS and range on the way.
    if (typeof s.subnet === 'string' && s.subnet) memory.remember(s.subnet, JSON.parse(JSON.stringify(s)) as DraftSubnet);
    const saved = memory.recall(net);
    if (saved) s = d.subnets[0] = { ...saved };
  }
  const c = parseCidr(net)!;
  s.subnet = net;
  const { start, end } = splitRange(s.range);
  if (checkRange(start, end, { subnet: net, serverAddress: address }).problems.length) {
    const r = suggestRange(address, prefix);
    if (r) s.range = joinRange(r.start, r.end);
  }
  for (const key of ['router', 'dns'] as const) {
    const list = asList(s[key]);
    if (!list.length) continue;
    const kept = list.filter((ip) => isIpv4(ip) && cidrContains(c, ipToInt(ip)));
    if (kept.length === list.length) continue;
    if (kept.length) s[key] = kept;
    else delete s[key];
  }
}

