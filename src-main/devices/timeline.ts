// Per-device timelines: the DISCOVER/OFFER/REQUEST/ACK/NAK/DECLINE/RELEASE history of each MAC,
// kept in memory from the service's events, bounded twice — at most TIMELINE_LIMITS.macs devices
// (least recently active forgotten first) and TIMELINE_LIMITS.entries entries each (oldest
// dropped). One small object per event and a Map move; no I/O. Client messages come from the
// per-packet events (DISCOVER, REQUEST; the UI and `serve --verbose` have them), the server's
// decisions from the engine's events (OFFER, ACK, NAK, DECLINE/RELEASE as processed, drops).
import type { ServiceEvent } from '../server/dhcp-service.js';
import type { Lease } from '../dhcp/lease.js';
import { identify } from './identity.js';
import { timelineHints } from './timeline-hints.js';
import { TIMELINE_LIMITS, type DeviceTimeline, type TimelineEntry } from './timeline-types.js';

interface Device {
  entries: TimelineEntry[];
  /** Index of the oldest entry once the ring is full. */
  start: number;
  dropped: boolean;
}

const PACKET_KINDS: Record<string, TimelineEntry['kind'] | undefined> = { DHCPDISCOVER: 'discover', DHCPREQUEST: 'request' };

/** The timeline entry for one service event, with the MAC it belongs to; undefined for the rest. */
export function timelineEntryOf(e: ServiceEvent): { mac: string; entry: TimelineEntry } | undefined {
  if (e.kind === 'packet') {
    const p = e.packet;
    if (p.direction !== 'in') return undefined;
    const kind = PACKET_KINDS[p.type];
    if (!kind) return undefined;
    return { mac: p.mac, entry: { at: e.at, kind, ...(p.ip ? { ip: p.ip } : {}) } };
  }
  if (e.kind !== 'dhcp') return undefined;
  const ev = e.event;
  switch (ev.type) {
    case 'offer':
    case 'decline':
    case 'release':
    case 'inform':
    case 'expire':
    case 'offer-evicted':
      return { mac: ev.mac, entry: { at: e.at, kind: ev.type, ip: ev.ip } };
    case 'ack':
      return { mac: ev.mac, entry: { at: e.at, kind: 'ack', ip: ev.ip, state: ev.state } };
    case 'nak':
      return { mac: ev.mac, entry: { at: e.at, kind: 'nak', ...(ev.ip ? { ip: ev.ip } : {}), state: ev.state, detail: ev.reason } };
    case 'pool-exhausted':
      return { mac: ev.mac, entry: { at: e.at, kind: 'pool-exhausted', detail: ev.subnet } };
    case 'drop':
      // The engine reports a pool-exhausted drop together with its own event: keep one.
      if (!ev.mac || ev.reason === 'pool-exhausted') return undefined;
      return { mac: ev.mac, entry: { at: e.at, kind: 'drop', reason: ev.reason, ...(ev.detail ? { detail: ev.detail } : {}) } };
    default:
      return undefined;
  }
}

export class DeviceTimelines {
  private readonly devices = new Map<string, Device>();
  /** MACs with new entries since the last takeChanged(). */
  private changed = new Set<string>();

  constructor(private readonly limits: { macs: number; entries: number } = TIMELINE_LIMITS) {}

  observe(e: ServiceEvent): void {
    const r = timelineEntryOf(e);
    if (r) this.add(r.mac, r.entry);
  }

  add(mac: string, entry: TimelineEntry): void {
    let d = this.devices.get(mac);
    if (d) {
      // Most recently active last: Map order is the LRU order.
      this.devices.delete(mac);
    } else {
      d = { entries: [], start: 0, dropped: false };
      if (this.devices.size >= this.limits.macs) {
        const oldest = this.devices.keys().next().value;
        if (oldest !== undefined) this.devices.delete(oldest);
      }
    }
    this.devices.set(mac, d);
    if (d.entries.length < this.limits.entries) d.entries.push(entry);
    else {
      d.entries[d.start] = entry;
      d.start = (d.start + 1) % this.limits.entries;
      d.dropped = true;
    }
    if (this.changed.size < this.limits.macs) this.changed.add(mac);
  }

  /** The device's entry `back` steps before its newest (0 = newest), without copying; undefined past the oldest. */
  recent(mac: string, back: number): TimelineEntry | undefined {
    const d = this.devices.get(mac);
    const n = d?.entries.length ?? 0;
    if (!d || back < 0 || back >= n) return undefined;
    return d.entries[(d.start + n - 1 - back) % n];
  }

  entries(mac: string): TimelineEntry[] {
    const d = this.devices.get(mac);
    if (!d) return [];
    return d.start === 0 ? d.entries.slice() : [...d.entries.slice(d.start), ...d.entries.slice(0, d.start)];
  }

  /** One device's timeline with hints and identity; `lease` (its latest record) adds option 55/60. */
  timeline(mac: string, lease?: Pick<Lease, 'vendorClass' | 'paramRequest'>): DeviceTimeline {
    const entries = this.entries(mac);
    return {
      mac,
      entries,
      hints: timelineHints(entries),
      identity: identify({ mac, vendorClass: lease?.vendorClass, paramRequest: lease?.paramRequest }),
      truncated: this.devices.get(mac)?.dropped ?? false,
    };
  }

  /** MACs whose timeline grew since the last call (for the push event). */
  takeChanged(): string[] {
    if (this.changed.size === 0) return [];
    const out = [...this.changed];
    this.changed.clear();
    return out;
  }

  get size(): number {
    return this.devices.size;
  }
}
