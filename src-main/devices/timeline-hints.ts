// Why a device does not get (or keep) its address, read from its timeline. Pure: a function of
// the entries, so every rule is tested on plain lists (test/unit/devices/timeline-hints.test.ts).
import type { TimelineEntry, TimelineHint } from './timeline-types.js';

/** The words of each hint: one place, plain English (moved to the i18n catalog later). */
export const HINT_TEXT = {
  offersUnanswered: (n: number) =>
    `${n} OFFERs sent, no REQUEST: the client does not seem to receive or accept the replies. Pocket DHCP already broadcasts replies to clients without an address, so look for a firewall on the client, a Wi-Fi bridge or switch that filters broadcasts, or another DHCP server it prefers.`,
  nakForeign: (ip: string) =>
    `NAK loop: the client asks for ${ip}, an address from another network (it remembers a lease from elsewhere). It should fall back to DISCOVER; if it keeps asking, release or renew the address on the device, or reconnect it.`,
  nakLoop: (ip: string, why: string) => `NAK loop: the client keeps asking for ${ip}, which this server refuses (${why}).`,
  otherServer: (server: string) =>
    `REQUEST for another server's offer: the client chose another DHCP server${server ? ` (${server})` : ''}. Find that server and switch it off, or disconnect it from this network.`,
  decline: (ip: string) => `DECLINE: address conflict — something else uses ${ip}. The address is quarantined; find the device with a static ${ip} (arping ${ip}) or exclude it from the range.`,
  poolExhausted: 'Pool exhausted: no free address for this device. Widen the range, shorten the lease time, or remove stale leases.',
  notAuthoritative: (ip: string) =>
    `The client asks to keep ${ip}, which this server has no record of; a non-authoritative server stays silent (RFC 2131 §4.3.2), so the client waits for its timeout. Make the server authoritative to answer it with a NAK.`,
  wrongNetwork: (detail: string) => `The client's request does not match any served network (${detail}): it probably has an address from another network.`,
} as const;

/** At least this many OFFERs without a REQUEST before the client counts as not answering. */
const MIN_UNANSWERED_OFFERS = 2;
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
    else if (e.kind === 'request' || e.kind === 'nak' || e.kind === 'decline' || e.kind === 'release' || (e.kind === 'drop' && e.reason === 'wrong-server-id')) break;
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
