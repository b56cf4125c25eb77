// The pure half of rogue-server detection (dhcp-probe.ts does the I/O): the DISCOVER we send,
// reading a reply into a ForeignServer, and the sentences the user sees. No sockets, no clock.
import { decode, DecodeError, encode } from '../dhcp/codec.js';
import { cidrContains, formatCidr, formatHw, ipToInt, isIpv4, maskToPrefix, parseCidr, type Ipv4 } from '../dhcp/ip.js';
import { getOptionLenient, MessageType, setOption } from '../dhcp/options.js';
import { BOOTREPLY, emptyPacket, FLAG_BROADCAST, hwAddress } from '../dhcp/packet.js';
import type { ServerMacUnknown } from '../dhcp/events.js';

/** Another DHCP server seen on the link, as far as a reply to (or overheard by) us tells. */
export interface ForeignServer {
  /** Option 54 of its reply, if it sent one (every RFC 2131 server does in OFFER/ACK/NAK). */
  serverId?: Ipv4;
  /** UDP source address of the reply (a relay agent's address when the server is behind one). */
  sourceIp: Ipv4;
  /**
   * Ethernet address of the reply's sender (the server, or the relay agent it came through). The
   * UDP socket does not see it: dhcp-probe.ts asks the link by ARP (server-mac.ts, CAP_NET_RAW)
   * and fills in either this or `sourceMacUnknown`.
   */
  sourceMac?: string;
  /** Why `sourceMac` could not be learned (no CAP_NET_RAW, no ARP answer, …). */
  sourceMacUnknown?: ServerMacUnknown;
  /** 'offer', 'ack' or 'nak' (an INFORM-ACK is an 'ack' with no offered address). */
  messageType: 'offer' | 'ack' | 'nak' | 'other';
  /** yiaddr: the address it offered or acknowledged. */
  offered?: Ipv4;
  /** The client the reply was for (chaddr). */
  clientMac: string;
  subnetMask?: Ipv4;
  /** The network the offered address is in, from the offered address and the mask ("198.18.10.0/24"). */
  network?: string;
  routers?: Ipv4[];
  dnsServers?: Ipv4[];
  domain?: string;
  leaseSeconds?: number;
  /** Milliseconds from our first DISCOVER to this reply (probe only). */
  afterMs?: number;
}

/** A server's MAC (server-mac.ts looks it up by ARP), or why there is none. */
export type MacLookup = { mac: string } | { unknown: ServerMacUnknown };

/** The words after "MAC unknown" for each reason (the log, the CLI, the English UI). */
export const MAC_UNKNOWN_WORDS: Record<ServerMacUnknown, string> = {
  'no-privilege': 'needs CAP_NET_RAW',
  'no-answer': 'no answer to an ARP probe',
  unsupported: 'ARP probes are built for Linux only',
  error: 'the ARP probe failed',
};

/** "MAC 02:00:5e:10:00:02" or "MAC unknown (needs CAP_NET_RAW)". */
export function macWords(l: MacLookup): string {
  return 'mac' in l ? `MAC ${l.mac}` : `MAC unknown (${MAC_UNKNOWN_WORDS[l.unknown]})`;
}

/** What a probe found: clear, found, or could not look (and why). */
export type ProbeReport =
  | { ifname: string; status: 'clear'; servers: []; listenedMs: number }
  | { ifname: string; status: 'found'; servers: ForeignServer[]; listenedMs: number }
  | { ifname: string; status: 'could-not-check'; servers: []; reason: CouldNotCheckReason; detail: string };

export type CouldNotCheckReason = 'port-in-use' | 'no-interface' | 'no-address' | 'no-privilege' | 'unsupported' | 'send-failed' | 'error';

/** A random locally administered, unicast MAC (IEEE 802: bit 1 of the first octet set, bit 0 clear). */
export function randomLocalMac(random: (n: number) => Uint8Array): Uint8Array {
  const b = random(6);
  b[0] = (b[0]! & 0xfc) | 0x02;
  return b;
}

/**
 * The probe's DISCOVER (RFC 2131 §4.4.1): broadcast flag set so that every server answers by
 * broadcast (a unicast OFFER to an address nobody has would never reach our socket), a parameter
 * request list so the OFFER shows the server's network, and nothing that identifies this host.
 */
export function buildProbeDiscover(xid: number, mac: Uint8Array): Uint8Array {
  const p = emptyPacket();
  p.xid = xid >>> 0;
  p.flags = FLAG_BROADCAST;
  p.chaddr.set(mac.subarray(0, 6));
  setOption(p.options, 53, MessageType.DISCOVER);
  // Client identifier = type 1 + the same MAC, as most clients send.
  p.options.set(61, Uint8Array.of(1, ...mac.subarray(0, 6)));
  setOption(p.options, 55, [1, 3, 6, 15, 51, 54]);
  return encode(p);
}

const TYPES: Record<number, ForeignServer['messageType']> = { [MessageType.OFFER]: 'offer', [MessageType.ACK]: 'ack', [MessageType.NAK]: 'nak' };

/**
 * A received datagram as a ForeignServer, or undefined when it is not a DHCP server's reply (not
 * decodable, not a BOOTREPLY) or, with `xid`, not a reply to our probe.
 */
export function readServerReply(bytes: Uint8Array, source: { address: Ipv4 }, want: { xid?: number } = {}): ForeignServer | undefined {
  let p;
  try {
    p = decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
  if (p.op !== BOOTREPLY) return undefined;
  if (want.xid !== undefined && p.xid !== want.xid >>> 0) return undefined;
  const type = getOptionLenient(p.options, 53);
  const serverId = getOptionLenient(p.options, 54);
  const mask = getOptionLenient(p.options, 1);
  const offered = p.yiaddr !== '0.0.0.0' ? p.yiaddr : undefined;
  const out: ForeignServer = {
    sourceIp: source.address,
    messageType: (type !== undefined && TYPES[type]) || 'other',
    clientMac: hwAddress(p) || formatHw(p.chaddr.subarray(0, 6)),
  };
  if (serverId !== undefined) out.serverId = serverId;
  if (offered) out.offered = offered;
  if (mask !== undefined) {
    out.subnetMask = mask;
    const prefix = maskToPrefix(ipToInt(mask));
    if (offered && prefix !== undefined) {
      const net = parseCidr(`${offered}/${prefix}`, true);
      if (net) out.network = formatCidr(net);
    }
  }
  const routers = getOptionLenient(p.options, 3);
  if (routers?.length) out.routers = routers;
  const dns = getOptionLenient(p.options, 6);
  if (dns?.length) out.dnsServers = dns;
  const domain = getOptionLenient(p.options, 15);
  if (domain) out.domain = domain;
  const lease = getOptionLenient(p.options, 51);
  if (lease !== undefined) out.leaseSeconds = lease;
  return out;
}

/** True when a reply comes from us: its server id or its source is one of our own addresses. */
export function isOwnReply(s: ForeignServer, own: ReadonlySet<Ipv4>): boolean {
  return (s.serverId !== undefined && own.has(s.serverId)) || (s.serverId === undefined && own.has(s.sourceIp));
}

/** One entry per server (by server id, else source address); the first sighting wins. */
export function distinctServers(list: readonly ForeignServer[]): ForeignServer[] {
  const seen = new Map<string, ForeignServer>();
  for (const s of list) {
    const key = s.serverId ?? s.sourceIp;
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}

/** The MAC words of a server as far as known, or undefined when nobody looked (a lookup turned off). */
function serverMacWords(s: ForeignServer): string | undefined {
  if (s.sourceMac) return macWords({ mac: s.sourceMac });
  if (s.sourceMacUnknown) return macWords({ unknown: s.sourceMacUnknown });
  return undefined;
}

/**
 * "198.18.10.2 (MAC 02:00:5e:10:00:02)", or "198.18.10.2 (from 198.18.50.1, relay MAC …)" when the
 * reply came through a relay agent (the MAC on our link is the relay's).
 */
function serverName(s: ForeignServer): string {
  const mac = serverMacWords(s);
  if (s.serverId && s.serverId !== s.sourceIp && isIpv4(s.sourceIp) && s.sourceIp !== '0.0.0.0') return `${s.serverId} (from ${s.sourceIp}${mac ? `, relay ${mac}` : ''})`;
  return `${s.serverId ?? s.sourceIp}${mac ? ` (${mac})` : ''}`;
}

/** What a reply tells of the range it offers from: "network 198.18.10.0/24, router 198.18.10.2" (or the mask alone). */
function rangeFacts(s: ForeignServer): string {
  const facts: string[] = [];
  if (s.network) facts.push(`network ${s.network}`);
  else if (s.subnetMask) facts.push(`mask ${s.subnetMask}`);
  if (s.routers?.length) facts.push(`router ${s.routers.join(', ')}`);
  return facts.length ? ` (${facts.join(', ')})` : '';
}

/** "198.18.10.2 (MAC 02:00:5e:10:00:02) offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2)". */
export function serverDetail(s: ForeignServer): string {
  const what = s.messageType === 'nak' ? 'refused our test request (DHCPNAK)' : s.offered ? `${s.messageType === 'ack' ? 'acknowledged' : 'offered'} ${s.offered}` : `answered (${s.messageType})`;
  return `${serverName(s)} ${what}${rangeFacts(s)}`;
}

/**
 * The sentence the user sees before serving. Examples:
 *   "Another DHCP server answers on eth1: 198.18.10.2 (MAC 02:00:5e:10:00:02) offered 198.18.10.57
 *    (network 198.18.10.0/24, router 198.18.10.2). Serving here would hand out conflicting addresses — stop
 *    that server or pick another interface. Start anyway only if you are sure."
 *   "No other DHCP server answered on eth1 within 2 s."
 *   "Could not check eth1 for other DHCP servers: … Make sure no other DHCP server runs on this
 *    network before you start."
 */
export function probeMessage(r: ProbeReport): string {
  if (r.status === 'clear') return `No other DHCP server answered on ${r.ifname} within ${formatSeconds(r.listenedMs)}.`;
  if (r.status === 'could-not-check') {
    return `Could not check ${r.ifname} for other DHCP servers: ${r.detail} Make sure no other DHCP server runs on this network before you start.`;
  }
  const servers = distinctServers(r.servers);
  const head = servers.length === 1 ? `Another DHCP server answers on ${r.ifname}: ` : `${servers.length} other DHCP servers answer on ${r.ifname}: `;
  const stop = servers.length === 1 ? 'stop that server' : 'stop those servers';
  return `${head}${servers.map(serverDetail).join('; ')}. Serving here would hand out conflicting addresses — ${stop} or pick another interface. Start anyway only if you are sure.`;
}

/** The warning shown while serving, when a foreign reply is overheard. */
export function foreignServerWarning(ifname: string, s: ForeignServer): string {
  const to = s.clientMac ? ` to ${s.clientMac}` : '';
  const what = s.offered ? `${s.messageType === 'ack' ? 'acknowledged' : 'offered'} ${s.offered}${to}${rangeFacts(s)}` : `sent a ${s.messageType.toUpperCase()}${to}`;
  return `Another DHCP server is answering on ${ifname}: ${serverName(s)} ${what}. Clients may get conflicting addresses — stop that server or unplug this interface from its network.`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** Does `ip` fall into `network` ("a.b.c.d/n")? For callers that compare with their own subnet. */
export function inNetwork(ip: Ipv4, network: string): boolean {
  const c = parseCidr(network, true);
  return c !== undefined && isIpv4(ip) && cidrContains(c, ipToInt(ip));
}

