// The engine's resolved configuration: what the user configured, turned into numbers and encoded
// option bytes once at start, so the per-packet path only looks things up. Built from the
// validated user config by src-main/config; pure data here.
import { BROADCAST_IP, cidrBroadcast, cidrContains, intToIp, ipToInt, type Cidr, type Ipv4 } from './ip.js';
import type { ClassPolicy } from './client-classes.js';
import type { OptionMap } from './options.js';

export interface SubnetPolicy {
  /** "198.18.10.0/24" — also the `subnet` field of the subnet's leases. */
  id: string;
  cidr: Cidr;
  /** Inclusive pool bounds as unsigned 32-bit numbers. */
  rangeStart: number;
  rangeEnd: number;
  /** Seconds; 0xffffffff means infinite (RFC 2132 §9.2). */
  leaseTime: number;
  /** T1/T2 in seconds; default 0.5 × and 0.875 × lease time (RFC 2131 §4.4.5). */
  renewalTime?: number;
  rebindingTime?: number;
  /** Options sent to clients of this subnet (router, DNS, domain, extras), already encoded. */
  options: OptionMap;
}

export interface ReservationPolicy {
  /** aa:bb:cc:dd:ee:ff, matched against chaddr. */
  mac?: string;
  /** Colon hex of option 61, matched against the client identifier (for clients that send one). */
  clientId?: string;
  ip: Ipv4;
  hostname?: string;
  /** Per-reservation overrides, merged over the subnet's options. */
  options?: OptionMap;
}

export interface EngineConfig {
  /** The server's address on the chosen interface: option 54, and never handed out. */
  serverId: Ipv4;
  /** subnets[0] is the interface's own network; the others are reached through relays (giaddr). */
  subnets: SubnetPolicy[];
  reservations: ReservationPolicy[];
  /**
   * RFC 2131 §4.3.2: a non-authoritative server stays silent about addresses it has no record of;
   * an authoritative one (the default for a lab bench, where this server *is* the network's DHCP)
   * NAKs wrong addresses and re-grants free ones it lost track of.
   */
  authoritative: boolean;
  /** How long an OFFERed address stays set aside for the client (memory only). */
  offerHoldSeconds: number;
  /** At most this many addresses are held for OFFERs at once (a DISCOVER flood must not starve the pool). */
  maxOfferHolds: number;
  /** DHCPDECLINE quarantine (RFC 2131 §4.3.3: the address is "not available"). */
  declineQuarantineSeconds: number;
  /** Serve only clients with a reservation. */
  knownClientsOnly: boolean;
  /** At most this many DHCPDISCOVERs per client MAC per second; the rest are dropped as 'rate-limited'. Undefined or 0: no limit. */
  discoverRateLimit?: number;
  /** At most this many DHCPREQUESTs, DHCPINFORMs and DHCPDECLINEs (together) per client MAC per second; the rest are dropped as 'rate-limited'. Undefined or 0: no limit. */
  requestRateLimit?: number;
  /** Other addresses the allocator must never hand out (the server's other IPs, routers, DNS servers). */
  excluded: Ipv4[];
  /** Client classes (vendor class, PXE architecture, iPXE), first match applies: client-classes.ts. */
  classes?: ClassPolicy[];
}

export const INFINITE_LEASE = 0xffffffff;

export function renewalTime(s: Pick<SubnetPolicy, 'renewalTime'>, lease: number): number | undefined {
  if (lease === INFINITE_LEASE) return undefined;
  return s.renewalTime ?? Math.floor(lease * 0.5);
}

export function rebindingTime(s: Pick<SubnetPolicy, 'rebindingTime'>, lease: number): number | undefined {
  if (lease === INFINITE_LEASE) return undefined;
  return s.rebindingTime ?? Math.floor(lease * 0.875);
}

export function subnetContaining(subnets: readonly SubnetPolicy[], ip: Ipv4): SubnetPolicy | undefined {
  const n = ipToInt(ip);
  return subnets.find((s) => cidrContains(s.cidr, n));
}

export function inRange(s: SubnetPolicy, ip: number): boolean {
  return ip >= s.rangeStart && ip <= s.rangeEnd;
}

export function rangeSize(s: SubnetPolicy): number {
  return s.rangeEnd - s.rangeStart + 1;
}

/** RFC 3021 §2.2: a /31 (and a /32) has no directed broadcast address; only 255.255.255.255 works. */
export function broadcastAddress(s: SubnetPolicy): Ipv4 {
  return s.cidr.prefix >= 31 ? BROADCAST_IP : intToIp(cidrBroadcast(s.cidr));
}

/**
 * The expiry (epoch ms) of a lease that never ends (lease time 0xffffffff, RFC 2132 §9.2): later
 * than any real time, and a number every JSON and NeDB round trip keeps exactly.
 */
export const NEVER_EXPIRES = Number.MAX_SAFE_INTEGER;

/** Lease expiry in epoch ms; an infinite lease never expires. */
export function leaseExpiry(now: number, leaseSeconds: number): number {
  return leaseSeconds === INFINITE_LEASE ? NEVER_EXPIRES : now + leaseSeconds * 1000;
}
