// Where a reply goes: the one implementation of RFC 2131 §4.1 (paragraph "If the 'giaddr' field in
// a DHCP message from a client is non-zero…") and §4.3.2 (NAK via relay). Everything that sends
// a reply asks this function; nothing else decides addresses or ports.
import { BROADCAST_IP, ZERO_IP, type Ipv4 } from './ip.js';
import { MessageType } from './options.js';
import { isBroadcastFlag, type DhcpPacket } from './packet.js';

export const SERVER_PORT = 67;
export const CLIENT_PORT = 68;

export interface Destination {
  address: Ipv4;
  port: number;
  /** Why this destination (for the event log and the tests). */
  rule: 'relay' | 'nak-broadcast' | 'ciaddr' | 'inform-source' | 'broadcast-flag' | 'unicast-yiaddr' | 'broadcast-no-arp';
}

export interface AddressingCapabilities {
  /**
   * Can the transport deliver a unicast to a client that has no address yet (needs an ARP entry
   * for yiaddr→chaddr, i.e. a raw socket or ARP-table injection with CAP_NET_ADMIN)? Pocket DHCP's
   * socket layer cannot, so it takes the RFC's permitted fallback: broadcast. Clients accept
   * broadcast replies in every state (RFC 2131 §4.1: "… the server broadcasts … if the client
   * cannot receive unicast"), Kea's UDP socket mode does the same.
   */
  unicastToUnconfigured: boolean;
}

/**
 * `source` is the UDP source address of the request. It matters only for a DHCPINFORM whose
 * ciaddr is 0 (a client that fails to fill it in): the client already has an address, and the
 * datagram came from it, so the reply goes there (ISC dhcpd does the same; RFC 2131 §4.3.5 sends
 * the ACK "directly to the address given in the 'ciaddr' field").
 */
export function replyDestination(request: DhcpPacket, replyType: number, yiaddr: Ipv4, caps: AddressingCapabilities, source?: Ipv4): Destination {
  if (request.giaddr !== ZERO_IP) return { address: request.giaddr, port: SERVER_PORT, rule: 'relay' };
  if (replyType === MessageType.NAK) return { address: BROADCAST_IP, port: CLIENT_PORT, rule: 'nak-broadcast' };
  if (request.ciaddr !== ZERO_IP) return { address: request.ciaddr, port: CLIENT_PORT, rule: 'ciaddr' };
  const isInform = request.options.get(53)?.[0] === MessageType.INFORM;
  if (isInform && source !== undefined && source !== ZERO_IP && source !== BROADCAST_IP) return { address: source, port: CLIENT_PORT, rule: 'inform-source' };
  if (isBroadcastFlag(request)) return { address: BROADCAST_IP, port: CLIENT_PORT, rule: 'broadcast-flag' };
  // Without a yiaddr (an INFORM from 0.0.0.0) there is nobody to unicast to.
  return caps.unicastToUnconfigured && yiaddr !== ZERO_IP
    ? { address: yiaddr, port: CLIENT_PORT, rule: 'unicast-yiaddr' }
    : { address: BROADCAST_IP, port: CLIENT_PORT, rule: 'broadcast-no-arp' };
}
