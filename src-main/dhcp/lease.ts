// The lease record: what the engine decides and the repository persists. Pure types, no I/O.
//
// One record per IP address (the repository keys by `ip`). A record outlives its binding: once a
// lease expires or is released it stays as history, so a returning client gets its old address
// back (stickiness) until the allocator needs the address for somebody else. History is thereby
// bounded by the number of addresses in the pools.
import type { Ipv4 } from './ip.js';

/**
 * offered  — held for a client between OFFER and REQUEST; memory only, never persisted.
 * bound    — ACKed; the client may use the address until expiresAt.
 * expired  — was bound, the client did not renew; kept as history.
 * released — the client sent DHCPRELEASE; kept as history.
 * declined — a client reported the address in use (DHCPDECLINE); quarantined until expiresAt.
 */
export type LeaseState = 'offered' | 'bound' | 'expired' | 'released' | 'declined';

export interface Lease {
  ip: Ipv4;
  /** Client identity: option 61 when the client sent one, else htype + chaddr; colon hex ("01:02:00:00:00:00:aa"). */
  clientId: string;
  /** chaddr as aa:bb:cc:dd:ee:ff (Ethernet); other hardware types as colon hex of hlen bytes. */
  mac: string;
  state: LeaseState;
  /** Subnet this address belongs to, "198.18.10.0/24". */
  subnet: string;
  /** Epoch milliseconds. */
  startsAt: number;
  expiresAt: number;
  firstSeen: number;
  lastSeen: number;
  hostname?: string;
  /** Option 60, vendor class identifier. */
  vendorClass?: string;
  /** Option 55 as sent: a fingerprint of the client's DHCP implementation. */
  paramRequest?: number[];
  /** Relay agent that forwarded the client's packets (giaddr), if any. */
  relay?: Ipv4;
  /** Option 82 circuit-id / remote-id as hex, if the relay added them. */
  circuitId?: string;
  remoteId?: string;
}

/** What the engine may read of the lease repository. The in-memory index is authoritative. */
export interface LeaseView {
  byIp(ip: Ipv4): Lease | undefined;
  /** The most recent record of this client identity (any state). */
  byClient(clientId: string): Lease | undefined;
}

/** Persisted states; `offered` never reaches the repository. */
export const PERSISTED_STATES: readonly LeaseState[] = ['bound', 'expired', 'released', 'declined'];
