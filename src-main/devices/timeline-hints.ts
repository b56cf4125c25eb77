// Why a device does not get (or keep) its address, read from its timeline. Pure: a function of
// the entries, so every rule is tested on plain lists (test/unit/devices/timeline-hints.test.ts).
import { translate, type MessageKey } from '../../src-renderer/src/i18n/translate.js';
import type { TimelineEntry, TimelineHint } from './timeline-types.js';

/**
 * The English words of each hint, for the CLI and the hint's `text`. The one source is the UI's
 * catalog (src-renderer/src/i18n/en.ts timeline.hint.*, through its pure lookup, as the desktop
 * shell does): the window words the same hints from their code and params in its own language.
 */
const en = (key: MessageKey, params?: Record<string, string | number>): string => translate('en', key, params);
export const HINT_TEXT = {
  offersUnanswered: (n: number) => en('timeline.hint.offers-unanswered', { count: n }),
  nakForeign: (ip: string) => en('timeline.hint.nak-foreign', { ip }),
  nakLoop: (ip: string, why: string) => en('timeline.hint.nak-loop', { ip, why }),
  otherServer: (server: string) => (server ? en('timeline.hint.other-server-at', { server }) : en('timeline.hint.other-server')),
  decline: (ip: string) => en('timeline.hint.decline', { ip }),
  poolExhausted: en('timeline.hint.pool-exhausted'),
  notAuthoritative: (ip: string) => en('timeline.hint.not-authoritative', { ip }),
  wrongNetwork: (detail: string) => en('timeline.hint.wrong-network', { detail }),
} as const;

/** At least this many OFFERs without a REQUEST before the client counts as not answering. */
export const MIN_UNANSWERED_OFFERS = 2;

/** Whether `e` ends a run of OFFERs the client left unanswered (counting newest first). */
export function endsOfferRun(e: TimelineEntry): boolean {
  return e.kind === 'ack' || e.kind === 'request' || e.kind === 'nak' || e.kind === 'decline' || e.kind === 'release' || (e.kind === 'drop' && e.reason === 'wrong-server-id');
}

const MIN_NAKS = 2;

/**
 * Hints for a timeline (oldest entry first). The rules look at the current attempt: the entries
 * after the last ACK (what happened before a success is history, not a problem); a DECLINE is
 * reported for the whole history since it names an address that stays in conflict.
 */
export function timelineHints(entries: readonly TimelineEntry[]): TimelineHint[] {
  const hints: TimelineHint[] = [];
  let lastAck = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.kind === 'ack') {
      lastAck = i;
      break;
    }
  }
  const tail = entries.slice(lastAck + 1);

  // OFFERs without a REQUEST after them.
  let offers = 0;
  for (let i = tail.length - 1; i >= 0; i--) {
    const e = tail[i]!;
    if (e.kind === 'offer') offers++;
    else if (endsOfferRun(e)) break;
  }
  if (offers >= MIN_UNANSWERED_OFFERS) hints.push({ code: 'offers-unanswered', level: 'warn', text: HINT_TEXT.offersUnanswered(offers), params: { count: offers } });

  const naks = tail.filter((e) => e.kind === 'nak');
  if (naks.length >= MIN_NAKS) {
    const last = naks[naks.length - 1]!;
    const foreign = naks.find((n) => /is not on network/.test(n.detail ?? ''));
    if (foreign) hints.push({ code: 'nak-loop', level: 'warn', text: HINT_TEXT.nakForeign(foreign.ip ?? 'an address'), params: { ip: foreign.ip ?? '?', foreign: 1 } });
    else hints.push({ code: 'nak-loop', level: 'warn', text: HINT_TEXT.nakLoop(last.ip ?? 'an address', last.detail ?? 'not available'), params: { ip: last.ip ?? '?', why: last.detail ?? '' } });
  }

  const other = lastOf(tail, (e) => e.kind === 'drop' && e.reason === 'wrong-server-id');
  if (other) {
    const server = /(\d{1,3}(?:\.\d{1,3}){3})/.exec(other.detail ?? '')?.[1] ?? '';
    hints.push({ code: 'other-server', level: 'warn', text: HINT_TEXT.otherServer(server), params: { server } });
  }

  const noRecord = lastOf(tail, (e) => e.kind === 'drop' && e.reason === 'no-record');
  if (noRecord) hints.push({ code: 'not-authoritative', level: 'info', text: HINT_TEXT.notAuthoritative(noRecord.detail ?? noRecord.ip ?? 'its old address'), params: { ip: noRecord.detail ?? noRecord.ip ?? '?' } });

  const wrongNet = lastOf(tail, (e) => e.kind === 'drop' && e.reason === 'not-our-subnet');
  if (wrongNet) hints.push({ code: 'wrong-network', level: 'info', text: HINT_TEXT.wrongNetwork(wrongNet.detail ?? 'no detail'), params: { detail: wrongNet.detail ?? '' } });

  if (tail.some((e) => e.kind === 'pool-exhausted' || (e.kind === 'drop' && e.reason === 'pool-exhausted'))) {
    hints.push({ code: 'pool-exhausted', level: 'warn', text: HINT_TEXT.poolExhausted });
  }

  const declined = new Set<string>();
  for (const e of entries) if (e.kind === 'decline' && e.ip) declined.add(e.ip);
  for (const ip of declined) hints.push({ code: 'decline', level: 'warn', text: HINT_TEXT.decline(ip), params: { ip } });
  return hints;
}

function lastOf(list: readonly TimelineEntry[], pred: (e: TimelineEntry) => boolean): TimelineEntry | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return list[i];
  return undefined;
}
