// Rogue-server safety (ARCHITECTURE.md, Network layer): "a lab tool must never become a rogue
// server". Two halves, both on a socket bound to the chosen interface and the DHCP client port 68
// (openBoundSocket: SO_BINDTODEVICE on Linux, so nothing heard on another interface counts):
//
//   probeForDhcpServers(ifname)         before serving: broadcast a DISCOVER from a random, locally
//                                       administered MAC and collect every OFFER for 4 s (not 2:
//                                       see DEFAULT_PROBE_TIMEOUT_MS).
//   watchForForeignServers(ifname, cb)  while serving: report every broadcast OFFER/ACK/NAK whose
//                                       server id is not one of ours.
//
// Port 68 may be held by a DHCP client running on the machine (dhclient keeps a UDP socket on it).
// The socket sets SO_REUSEADDR so it can share the port with such a client (both sides set it; a
// broadcast reply reaches both). A holder without SO_REUSEADDR still makes bind() fail with
// EADDRINUSE: the probe then says it could not check, and who holds the port — it never pretends
// the network is clear.
//
// What a UDP socket cannot see: a foreign server's *unicast* reply to another client (only a raw
// AF_PACKET socket, with CAP_NET_RAW, would), and the Ethernet source address of any reply. Our own
// DISCOVER asks for broadcast replies, so the probe itself is not affected. The MAC is asked of
// the link instead: an ARP probe for the reply's source address (server-mac.ts), started as soon as
// a server is first heard, so it costs the probe no time; without CAP_NET_RAW the server is named
// "MAC unknown (needs CAP_NET_RAW)".
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { Ipv4 } from '../dhcp/ip.js';
import { isNetError, openBoundSocket, type BoundSocket } from './bound-socket.js';
import { buildProbeDiscover, distinctServers, isOwnReply, randomLocalMac, readServerReply, type CouldNotCheckReason, type ForeignServer, type ProbeReport } from './dhcp-probe-message.js';
import type { PortHolder } from './port-holder.js';
import { lookupMac, MacCache, type MacLookupFn } from './server-mac.js';

export type { ForeignServer, ProbeReport } from './dhcp-probe-message.js';
export { distinctServers as distinctServersOf, foreignServerWarning, probeMessage, serverDetail } from './dhcp-probe-message.js';

export const DHCP_CLIENT_PORT = 68;
export const DHCP_SERVER_PORT = 67;

/**
 * How long the probe listens by default. Not the ~2 s one might expect: dnsmasq, the most common
 * server on home routers and lab boxes, pings an address (ICMP echo, 3 s timeout) before it offers
 * it for the first time, so its first OFFER comes 3 s after the DISCOVER (measured with dnsmasq
 * 2.90: +3.0 s; test/integration/reliability/dhcp-probe.test.ts). A 2 s probe reports "no other
 * server" on exactly the network it is meant to catch. ISC dhcpd's ping-check waits 1 s.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 4000;

export interface ProbeOptions {
  /** How long to listen for OFFERs after the first DISCOVER. Default DEFAULT_PROBE_TIMEOUT_MS (4 s). */
  timeoutMs?: number;
  /** DISCOVERs sent, spread over the listening time (a lost broadcast should not hide a server). Default 2. */
  attempts?: number;
  /** Addresses whose replies are ours (default: every IPv4 address of this host). */
  ownAddresses?: Iterable<Ipv4>;
  /** For tests: the socket opener (default openBoundSocket). */
  open?: typeof openBoundSocket;
  /** How a server's MAC is learned (default: an ARP probe, server-mac.ts); false: not at all. */
  lookupMac?: MacLookupFn | false;
}

/** `s` with its sender's MAC (or why it is unknown) from `macs`. */
async function withMac(s: ForeignServer, macs: MacCache | undefined): Promise<ForeignServer> {
  if (!macs) return s;
  const l = await macs.get(s.sourceIp);
  return 'mac' in l ? { ...s, sourceMac: l.mac } : { ...s, sourceMacUnknown: l.unknown };
}

function macCache(ifname: string, lookup: MacLookupFn | false | undefined): MacCache | undefined {
  return lookup === false ? undefined : new MacCache(ifname, lookup ?? ((i, ip) => lookupMac(i, ip)));
}

/** Why a probe could not run, with the user's sentence in `message`. */
export class DhcpProbeError extends Error {
  override readonly name = 'DhcpProbeError';
  constructor(
    readonly ifname: string,
    readonly reason: CouldNotCheckReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every IPv4 address of this host (in this network namespace): replies from them are our own. */
function localAddresses(): Set<Ipv4> {
  const out = new Set<Ipv4>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') out.add(a.address);
  return out;
}

function holderWords(holders: readonly PortHolder[] | undefined, ifname: string): string {
  const relevant = (holders ?? []).filter((h) => h.device === undefined || h.device === ifname);
  const named = relevant.filter((h) => h.command || h.pid !== undefined).map((h) => `${h.command ?? 'a program'}${h.pid !== undefined ? ` (pid ${h.pid})` : ''}`);
  return named.length ? [...new Set(named)].join(', ') : 'another program';
}

/** Opens the port-68 socket on `ifname`, turning every failure into a DhcpProbeError with a sentence. */
async function openClientSocket(ifname: string, open: typeof openBoundSocket): Promise<BoundSocket> {
  try {
    return await open({ ifname, port: DHCP_CLIENT_PORT, reuseAddr: true });
  } catch (e) {
    if (!isNetError(e)) throw new DhcpProbeError(ifname, 'error', `${(e as Error)?.message ?? String(e)}.`, { cause: e });
    switch (e.code) {
      case 'EADDRINUSE':
        return fail(ifname, 'port-in-use', `the DHCP client port 68 on ${ifname} is held by ${holderWords(e.holders, ifname)} without sharing it, so the replies of other servers cannot be heard.`, e);
      case 'ENODEV':
      case 'NAME_TOO_LONG':
      case 'INVALID_NAME':
        return fail(ifname, 'no-interface', `${e.message}`, e);
      case 'EACCES':
      case 'EPERM':
        return fail(ifname, 'no-privilege', `listening on the DHCP client port 68 needs the same privileges as serving (${e.message}).`, e);
      case 'UNSUPPORTED_PLATFORM':
      case 'NO_FFI':
        return fail(ifname, 'unsupported', e.message, e);
      default:
        return fail(ifname, 'error', e.message, e);
    }
  }
}

function fail(ifname: string, reason: CouldNotCheckReason, detail: string, cause: unknown): never {
  throw new DhcpProbeError(ifname, reason, detail, { cause });
}

/**
 * Sends a DISCOVER on `ifname` and lists every other DHCP server that OFFERs within `timeoutMs`.
 * Resolves with [] when none answered; rejects with a DhcpProbeError (reason + a sentence) when it
 * could not look — use checkForDhcpServers() for a result that never rejects.
 */
export async function probeForDhcpServers(ifname: string, opts: ProbeOptions = {}): Promise<ForeignServer[]> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const attempts = Math.max(1, opts.attempts ?? 2);
  const own = new Set(opts.ownAddresses ?? localAddresses());
  const sock = await openClientSocket(ifname, opts.open ?? openBoundSocket);
  const mac = randomLocalMac((n) => randomBytes(n));
  const xid = randomBytes(4).readUInt32BE(0);
  const found: ForeignServer[] = [];
  const timers: NodeJS.Timeout[] = [];
  const macs = macCache(ifname, opts.lookupMac);
  try {
    let sentAt = Date.now();
    sock.onMessage((buf, rinfo) => {
      const s = readServerReply(buf, rinfo, { xid });
      if (!s || isOwnReply(s, own)) return;
      found.push({ ...s, afterMs: Date.now() - sentAt });
      void macs?.get(s.sourceIp); // ask the link now, while we go on listening
    });
    const discover = buildProbeDiscover(xid, mac);
    let sendError: Error | undefined;
    const send = (): void => {
      sock.send(discover, DHCP_SERVER_PORT, '255.255.255.255').catch((e: Error) => (sendError ??= e));
    };
    sentAt = Date.now();
    send();
    // Repeats with the same xid and MAC (RFC 2131 §4.1: a client retransmits), so a server that
    // missed the first broadcast still answers the same "client".
    for (let i = 1; i < attempts; i++) timers.push(setTimeout(send, Math.round((timeoutMs * i) / (attempts + 1))));
    await new Promise((resolve) => timers.push(setTimeout(resolve, timeoutMs)));
    if (sendError && found.length === 0) {
      throw new DhcpProbeError(ifname, 'send-failed', `the test DISCOVER could not be sent on ${ifname} (${sendError.message}).`, { cause: sendError });
    }
    return await Promise.all(distinctServers(found).map((s) => withMac(s, macs)));
  } finally {
    for (const t of timers) clearTimeout(t);
    await sock.close();
  }
}

/** probeForDhcpServers as a report that never rejects: clear, found (with the servers), or could-not-check (why). */
export async function checkForDhcpServers(ifname: string, opts: ProbeOptions = {}): Promise<ProbeReport> {
  const listenedMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  try {
    const servers = await probeForDhcpServers(ifname, opts);
    return servers.length ? { ifname, status: 'found', servers, listenedMs } : { ifname, status: 'clear', servers: [], listenedMs };
  } catch (e) {
    if (e instanceof DhcpProbeError) return { ifname, status: 'could-not-check', servers: [], reason: e.reason, detail: e.message };
    return { ifname, status: 'could-not-check', servers: [], reason: 'error', detail: `${(e as Error)?.message ?? String(e)}.` };
  }
}

export interface ForeignWatcher {
  readonly ifname: string;
  /** Servers reported so far (one entry per server id). */
  readonly seen: readonly ForeignServer[];
  /** Every foreign reply heard, including those not reported again (the rate limit below). */
  readonly replies: number;
  stop(): Promise<void>;
}

export interface WatchOptions {
  /** Server ids that are ours (default: every IPv4 address of this host). */
  ownAddresses?: Iterable<Ipv4>;
  /** The same server is reported again after this long (default 60 s); 0 reports every reply. */
  repeatAfterMs?: number;
  open?: typeof openBoundSocket;
  /** Socket errors after the start (the interface went away, …). */
  onError?: (e: Error) => void;
  /** How a server's MAC is learned (default: an ARP probe, server-mac.ts); false: not at all. */
  lookupMac?: MacLookupFn | false;
}

/**
 * While serving: listens on `ifname`:68 and calls `onFound` for each DHCP reply (OFFER/ACK/NAK)
 * whose server id is not ours — the first time a server is heard, then at most every
 * `repeatAfterMs`. Our own broadcast replies, which the kernel loops back to this socket, are
 * recognised by their server id and ignored. Each report carries the sender's MAC (or why it is
 * unknown): the first report of a server waits for its ARP lookup (a fraction of a second), later
 * ones reuse it. Rejects with a DhcpProbeError if it cannot listen.
 */
export async function watchForForeignServers(ifname: string, onFound: (s: ForeignServer) => void, opts: WatchOptions = {}): Promise<ForeignWatcher> {
  const own = new Set(opts.ownAddresses ?? localAddresses());
  const repeatAfterMs = opts.repeatAfterMs ?? 60_000;
  const sock = await openClientSocket(ifname, opts.open ?? openBoundSocket);
  const lastReport = new Map<string, number>();
  const seen = new Map<string, ForeignServer>();
  const macs = macCache(ifname, opts.lookupMac);
  let replies = 0;
  let closed = false;
  const report = (s: ForeignServer): void => {
    try {
      if (!closed) onFound(s);
    } catch (e) {
      opts.onError?.(e as Error);
    }
  };
  sock.onMessage((buf, rinfo) => {
    // Our own broadcast replies loop back here, one per reply we send: skip them before decoding
    // (a foreign server's reply never comes from one of our addresses).
    if (own.has(rinfo.address)) return;
    const s = readServerReply(buf, rinfo);
    if (!s || s.messageType === 'other' || isOwnReply(s, own)) return;
    replies++;
    const key = s.serverId ?? s.sourceIp;
    const now = Date.now();
    const last = lastReport.get(key);
    if (!seen.has(key)) seen.set(key, s);
    if (last !== undefined && now - last < repeatAfterMs) return;
    lastReport.set(key, now);
    if (!macs) return report(s);
    void withMac(s, macs).then((named) => {
      if (seen.get(key) === s) seen.set(key, named);
      report(named);
    });
  });
  if (opts.onError) sock.onError(opts.onError);
  let stopped: Promise<void> | undefined;
  return {
    ifname,
    get seen() {
      return [...seen.values()];
    },
    get replies() {
      return replies;
    },
    stop() {
      closed = true;
      stopped ??= sock.close();
      return stopped;
    },
  };
}
