// Stall hints for a log that nobody watches in a UI (`serve` without --web): when a device's
// timeline gains a hint ("OFFERs sent, no REQUEST", a NAK loop, another server's offer chosen …),
// report it once per MAC and hint code. The timelines are the controller's (timeline.ts, bounded);
// what was reported is a bit mask per MAC, bounded to the same number of devices. Cheap per event:
// only the events that can bring a hint about look further, and an OFFER computes the hints only
// once its device has left MIN_UNANSWERED_OFFERS of them unanswered — nothing is allocated for a
// client that binds normally.
import type { ServiceEvent } from '../server/dhcp-service.js';
import { isoTime } from '../server/iso-time.js';
import type { DeviceTimelines } from './timeline.js';
import { endsOfferRun, MIN_UNANSWERED_OFFERS, timelineHints } from './timeline-hints.js';
import { TIMELINE_LIMITS, type TimelineHint } from './timeline-types.js';

type HintCode = TimelineHint['code'];

const BIT: Readonly<Record<HintCode, number>> = {
  'offers-unanswered': 1,
  'nak-loop': 2,
  'other-server': 4,
  decline: 8,
  'pool-exhausted': 16,
  'not-authoritative': 32,
  'wrong-network': 64,
};

/** The hint an event can bring about for its device, or undefined (most events). */
function hintCodeOf(e: ServiceEvent): HintCode | undefined {
  if (e.kind !== 'dhcp') return undefined;
  const ev = e.event;
  switch (ev.type) {
    case 'offer':
      return 'offers-unanswered';
    case 'nak':
      return 'nak-loop';
    case 'decline':
      return 'decline';
    case 'pool-exhausted':
      return 'pool-exhausted';
    case 'drop':
      if (!ev.mac) return undefined;
      return ev.reason === 'wrong-server-id' ? 'other-server' : ev.reason === 'no-record' ? 'not-authoritative' : ev.reason === 'not-our-subnet' ? 'wrong-network' : undefined;
    default:
      return undefined;
  }
}

export interface ReportedHints {
  mac: string;
  at: number;
  hints: TimelineHint[];
}

export class StallHintReporter {
  /** MAC → bits of the hint codes already reported (Map order = least recently reported first). */
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly timelines: DeviceTimelines,
    private readonly maxDevices: number = TIMELINE_LIMITS.macs,
  ) {}

  /**
   * Call after the timelines observed `e`: the hints `e` brought to its device that were not
   * reported for that MAC before, or undefined.
   */
  check(e: ServiceEvent): ReportedHints | undefined {
    const code = hintCodeOf(e);
    if (code === undefined || e.kind !== 'dhcp') return undefined;
    const mac = e.event.mac;
    if (!mac) return undefined;
    const done = this.reported.get(mac) ?? 0;
    if (done & BIT[code]) return undefined;
    if (code === 'offers-unanswered' && this.unansweredOffers(mac) < MIN_UNANSWERED_OFFERS) return undefined;
    const fresh = timelineHints(this.timelines.entries(mac)).filter((h) => (done & BIT[h.code]) === 0);
    if (fresh.length === 0) return undefined;
    let bits = done;
    for (const h of fresh) bits |= BIT[h.code];
    this.reported.delete(mac);
    if (this.reported.size >= this.maxDevices) {
      const oldest = this.reported.keys().next().value;
      if (oldest !== undefined) this.reported.delete(oldest);
    }
    this.reported.set(mac, bits);
    return { mac, at: e.at, hints: fresh };
  }

  /** OFFERs since the device last answered one (newest first, up to the threshold: no copy). */
  private unansweredOffers(mac: string): number {
    let offers = 0;
    for (let back = 0; offers < MIN_UNANSWERED_OFFERS; back++) {
      const entry = this.timelines.recent(mac, back);
      if (!entry || endsOfferRun(entry)) break;
      if (entry.kind === 'offer') offers++;
    }
    return offers;
  }

  /** Devices with something reported (at most maxDevices). */
  get size(): number {
    return this.reported.size;
  }
}

/** The log line of a hint: `HINT <mac> <text>` after the time, or with --log json a "hint" record. */
export function hintLogLine(mac: string, hint: TimelineHint, at: number, json: boolean): string {
  if (json) return JSON.stringify({ kind: 'hint', at: isoTime(at), mac, code: hint.code, level: hint.level, text: hint.text, ...(hint.params ? { params: hint.params } : {}) });
  return `${isoTime(at)} HINT ${mac} ${hint.text}`;
}
