// What the engine reports besides the reply: named drop reasons (each one counted and shown in the
// log, never a silent drop) and protocol events for the log, the UI and the CLI.
import type { Ipv4 } from './ip.js';
import type { Lease } from './lease.js';

/** Every reason a received message gets no reply, with the text shown to the technician. */
export const DROP_REASONS = {
  'decode-error': 'malformed message (could not be decoded)',
  'not-a-request': 'BOOTREPLY received (another server or relay talking)',
  'no-message-type': 'malformed: option 53 missing (plain BOOTP is not served)',
  'bad-message-type': 'message type a server does not answer',
  'malformed-option': 'malformed option in a field the server needs',
  'bad-hardware-address': 'no usable client hardware address (hlen 0)',
  'not-our-subnet': 'not our subnet (relay address or client address matches no configured subnet)',
  'spoofed-relay': 'giaddr set, but the message did not come from a relay agent (sent from the client port or from 0.0.0.0)',
  'wrong-server-id': 'client selected another DHCP server',
  'pool-exhausted': 'pool exhausted: no free address to offer',
  'unknown-client': 'unknown client (known-clients-only mode)',
  'no-record': 'no record of this client and not authoritative',
  'request-missing-address': 'malformed: DHCPREQUEST without requested address or ciaddr',
  'decline-not-ours': 'DHCPDECLINE for an address this client does not hold',
  'release-not-ours': 'DHCPRELEASE for an address this client does not hold',
  'rate-limited': 'client sends too fast (rate limit)',
  'address-conflicts': 'every candidate address answered an ARP probe (devices with static addresses in the pool); the client gets another try on its next DISCOVER',
  'send-failed': 'reply could not be sent',
  'store-failed': 'lease could not be written to disk; no ACK sent',
} as const;

export type DropReason = keyof typeof DROP_REASONS;

export type EngineEvent =
  | { type: 'offer'; ip: Ipv4; mac: string; clientId: string; subnet: string; hostname?: string; source: string }
  | { type: 'ack'; ip: Ipv4; mac: string; clientId: string; subnet: string; hostname?: string; state: RequestState; lease: Lease }
  | { type: 'nak'; ip?: Ipv4; mac: string; clientId: string; reason: string; state: RequestState }
  | { type: 'decline'; ip: Ipv4; mac: string; clientId: string; until: number }
  | { type: 'release'; ip: Ipv4; mac: string; clientId: string }
  | { type: 'inform'; ip: Ipv4; mac: string; clientId: string }
  | { type: 'expire'; ip: Ipv4; mac: string; clientId: string }
  | { type: 'drop'; reason: DropReason; detail?: string; mac?: string; clientId?: string; messageType?: number }
  | { type: 'pool-exhausted'; subnet: string; mac: string; clientId: string }
  | { type: 'offer-evicted'; ip: Ipv4; mac: string; clientId: string }
  /**
   * A reply of another DHCP server. From the watcher (server/rogue-guard.ts) also: the Ethernet
   * address of its sender (`serverMac`, by ARP) or why that is unknown, and the network and router
   * it offered — what the reply tells of its range.
   */
  | { type: 'foreign-server'; serverId?: Ipv4; yiaddr: Ipv4; messageType?: number; mac: string; serverMac?: string; serverMacUnknown?: ServerMacUnknown; network?: string; router?: Ipv4 }
  /**
   * An address found in use by a device we did not lease it to (conflict check, net/arp-probe.ts):
   * `probe` — it answered the ARP probe before an OFFER to `mac` (quarantined, another address
   * offered); `decline` — `mac` declined it and the probe shows who holds it. `inUseBy`: the MAC
   * that answered (absent when nobody answered the probe of a declined address).
   */
  | { type: 'conflict'; ip: Ipv4; mac: string; clientId: string; source: 'probe' | 'decline'; inUseBy?: string; until?: number };

/** Why the Ethernet address of another DHCP server is not known (net/server-mac.ts). */
export type ServerMacUnknown = 'no-privilege' | 'no-answer' | 'unsupported' | 'error';

/** RFC 2131 §4.3.2: the client state a DHCPREQUEST was sent from, as the server infers it. */
export type RequestState = 'selecting' | 'init-reboot' | 'renewing' | 'rebinding';
