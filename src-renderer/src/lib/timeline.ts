// Wording and small formatting helpers of the device timeline and the lease journal (pure; the
// words are in the i18n catalog: timeline.*, journal.*, drop.*, delta.*).
import type { TimelineEntry, TimelineHint } from '../../../src-main/devices/timeline-types.js';
import type { JournalEvent } from '../../../src-main/devices/journal-types.js';
import { DROP_REASONS } from '../../../src-main/dhcp/events.js';
import { t, tCode } from '../i18n/index.js';
import { nakReasonText } from './nak-reason.js';

/** The label of a timeline step: message names stay as they are, the server's notes are words. */
export function kindLabel(kind: TimelineEntry['kind']): string {
  return tCode(`timeline.kind.${kind}`, kind);
}

/**
 * A stall hint in the UI language, built from its code and parameters; the engine's English text
 * when the hint has no parameters (an older engine) or the code is unknown.
 */
export function hintText(h: TimelineHint): string {
  const p = h.params;
  if (!p) return h.text;
  const s = (name: string): string => String(p[name] ?? '');
  switch (h.code) {
    case 'offers-unanswered':
      return t('timeline.hint.offers-unanswered', { count: Number(p.count ?? 0) });
    case 'nak-loop':
      return p.foreign ? t('timeline.hint.nak-foreign', { ip: s('ip') }) : t('timeline.hint.nak-loop', { ip: s('ip'), why: s('why') ? nakReasonText(s('why')) : '—' });
    case 'other-server':
      return s('server') ? t('timeline.hint.other-server-at', { server: s('server') }) : t('timeline.hint.other-server');
    case 'decline':
      return t('timeline.hint.decline', { ip: s('ip') });
    case 'pool-exhausted':
      return t('timeline.hint.pool-exhausted');
    case 'not-authoritative':
      return t('timeline.hint.not-authoritative', { ip: s('ip') });
    case 'wrong-network':
      return t('timeline.hint.wrong-network', { detail: s('detail') || '—' });
    default:
      return h.text;
  }
}

/** A drop reason in the UI language from its code (DROP_REASONS keys), the engine's English otherwise. */
export function dropReasonText(reason: string): string {
  return tCode(`drop.${reason}`, (DROP_REASONS as Record<string, string>)[reason] ?? reason);
}

/** The RFC 2131 §4.3.2 client state of a REQUEST, in the UI language. */
function stateText(state: string): string {
  return tCode(`timeline.state.${state}`, state);
}

/** Who sent it: the device (→ server), this server (← reply), or a note of the server's own. */
export function direction(kind: TimelineEntry['kind']): 'in' | 'out' | 'note' {
  switch (kind) {
    case 'discover':
    case 'request':
    case 'decline':
    case 'release':
      return 'in';
    case 'offer':
    case 'ack':
    case 'nak':
    case 'inform':
      return 'out';
    default:
      return 'note';
  }
}

/** One line of detail for an entry: the address, the request state, a NAK's or a drop's reason. */
export function entryDetail(e: TimelineEntry): string {
  const parts: string[] = [];
  if (e.ip) parts.push(e.ip);
  if (e.state) parts.push(stateText(e.state));
  if (e.kind === 'drop' && e.reason) parts.push(dropReasonText(e.reason));
  if (e.detail) parts.push(e.kind === 'nak' ? nakReasonText(e.detail) : e.detail);
  return parts.join(' · ');
}

/** Time since the previous step: "+85 ms", "+1.4 s", "+2 min 05 s", "+3 h 10 min". */
export function formatDelta(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1) return t('delta.ms', { n: '<1' });
  if (ms < 1000) return t('delta.ms', { n: String(Math.round(ms)) });
  if (ms < 60_000) return t('delta.s', { n: (ms / 1000).toFixed(ms < 10_000 ? 1 : 0) });
  const s = Math.round(ms / 1000);
  if (s < 3600) return t('delta.minS', { min: String(Math.floor(s / 60)), s: String(s % 60).padStart(2, '0') });
  return t('delta.hMin', { h: String(Math.floor(s / 3600)), min: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
}

/** A journal event (bind, renew, release, expire, decline) in the UI language. */
export function journalEventLabel(event: JournalEvent): string {
  return tCode(`journal.event.${event}`, event);
}

/** A datetime-local input value ("2026-11-23T09:30") as epoch ms, or undefined when empty/invalid. */
export function localInputToMs(v: string): number | undefined {
  if (!v) return undefined;
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : undefined;
}
