// The per-device timeline as it crosses the IPC boundary. Types only (the renderer imports them).
import type { DeviceIdentity } from './identity.js';

export type TimelineKind =
  | 'discover'
  | 'request'
  | 'offer'
  | 'ack'
  | 'nak'
  | 'decline'
  | 'release'
  | 'inform'
  | 'expire'
  | 'drop'
  | 'pool-exhausted'
  | 'offer-evicted';

export interface TimelineEntry {
  /** Epoch ms. */
  at: number;
  kind: TimelineKind;
  /** The address concerned (offered, acknowledged, requested by ciaddr, declined …). */
  ip?: string;
  /** RFC 2131 §4.3.2 client state of a REQUEST/ACK/NAK: selecting, init-reboot, renewing, rebinding. */
  state?: string;
  /** Drop reason key (DROP_REASONS) for kind 'drop'. */
  reason?: string;
  /** Free text: the NAK's reason, a drop's detail. */
  detail?: string;
}

export interface TimelineHint {
  code: 'offers-unanswered' | 'nak-loop' | 'other-server' | 'decline' | 'pool-exhausted' | 'not-authoritative' | 'wrong-network';
  level: 'info' | 'warn';
  /** English text (logs, CLI, and the UI's fallback). */
  text: string;
  /**
   * The values the text was built from, so the UI can word the hint in its own language
   * (src-renderer/src/lib/timeline.ts hintText): count, ip, why, server, detail.
   */
  params?: Record<string, string | number>;
}

export interface DeviceTimeline {
  mac: string;
  /** Oldest first, at most `TIMELINE_LIMITS.entries`. */
  entries: TimelineEntry[];
  hints: TimelineHint[];
  identity: DeviceIdentity;
  /** Older entries were dropped to keep the history bounded. */
  truncated: boolean;
}

export const TIMELINE_LIMITS = { macs: 1000, entries: 100 } as const;
