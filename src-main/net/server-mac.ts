// The Ethernet address of another DHCP server, for naming it (issue 6: "refuse to start and name
// it — IP, MAC, offered range"). The UDP socket that hears the server's reply (dhcp-probe.ts) sees
// no Ethernet header, so we ask the link: an RFC 5227 ARP probe (sender address 0.0.0.0, so no
// neighbour cache anywhere learns anything from us) for the reply's source address, on the packet
// socket of the conflict check (arp-socket.ts, CAP_NET_RAW), with a short timeout. The host that
// sent the reply answers for its address within a millisecond or two on a wired link; a reply
// that came through a relay agent names the relay's MAC (the frame's real sender on our link).
//
// Without CAP_NET_RAW (or off Linux) the MAC stays unknown and says why — the probe and the
// refusal never fail for it.
import type { ServerMacUnknown } from '../dhcp/events.js';
import type { Ipv4 } from '../dhcp/ip.js';
import { ArpProber } from './arp-probe.js';
import { openArpSocket, type ArpTransport } from './arp-socket.js';
import { isNetError } from './bound-socket.js';
import type { MacLookup } from './dhcp-probe-message.js';

export type { MacLookup, ServerMacUnknown };

/** How long the lookup waits for the ARP answer (a wired host answers in ~1 ms; Wi-Fi in power save in a few beacons). */
export const MAC_LOOKUP_TIMEOUT_MS = 400;

export type MacLookupFn = (ifname: string, ip: Ipv4) => Promise<MacLookup>;

export interface MacLookupOptions {
  timeoutMs?: number;
  /** For tests: the packet socket opener (default openArpSocket). */
  open?: (ifname: string) => Promise<ArpTransport>;
}

function whyNot(e: unknown): ServerMacUnknown {
  if (!isNetError(e)) return 'error';
  if (e.code === 'EPERM' || e.code === 'EACCES') return 'no-privilege';
  if (e.code === 'UNSUPPORTED_PLATFORM' || e.code === 'NO_FFI') return 'unsupported';
  return 'error';
}

/** Asks the link who holds `ip` (one RFC 5227 probe, repeated once at half the timeout). Never rejects. */
export async function lookupMac(ifname: string, ip: Ipv4, opts: MacLookupOptions = {}): Promise<MacLookup> {
  if (ip === '0.0.0.0' || ip === '255.255.255.255') return { unknown: 'no-answer' };
  let transport: ArpTransport;
  try {
    transport = await (opts.open ?? openArpSocket)(ifname);
  } catch (e) {
    return { unknown: whyNot(e) };
  }
  const prober = new ArpProber({ open: async () => transport, timeoutMs: opts.timeoutMs ?? MAC_LOOKUP_TIMEOUT_MS, cacheTtlMs: 0 });
  try {
    const r = await prober.probe(ip, { fresh: true });
    if (r.outcome === 'in-use' && r.inUseBy) return { mac: r.inUseBy };
    return { unknown: r.outcome === 'free' ? 'no-answer' : 'error' };
  } finally {
    prober.close();
    transport.close();
  }
}

/**
 * One lookup per address for as long as the caller keeps it (a probe, a watcher): a server heard
 * again is not probed again, and concurrent callers share the lookup in flight.
 */
export class MacCache {
  private readonly known = new Map<Ipv4, Promise<MacLookup>>();
  constructor(
    private readonly ifname: string,
    private readonly lookup: MacLookupFn,
    /** At most this many addresses are remembered (a watcher runs for days). */
    private readonly capacity = 64,
  ) {}

  get(ip: Ipv4): Promise<MacLookup> {
    let p = this.known.get(ip);
    if (!p) {
      if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value!);
      p = this.lookup(this.ifname, ip).catch((): MacLookup => ({ unknown: 'error' }));
      this.known.set(ip, p);
    }
    return p;
  }
}
