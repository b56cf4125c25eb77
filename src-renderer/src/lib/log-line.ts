// The words of an event-log line in the UI language. The engine sends each line in English
// (LogEntry.text, what the CLI prints) and, for lines built from a service event, the line's code
// and the values in it (LogEntry.msg, built together with the English by src-main/server/
// event-format.ts eventLine). English shows the engine's text as it is; other languages word the
// line from the catalog's log.line.<code> message (a NAK's reason by its form, lib/nak-reason.ts).
// Addresses, MACs, DHCP message names and drop details stay as they are.
import { LogMessageSchema, type LogEntry, type LogMessage } from '../../../src-main/ipc/contract.js';
import { hasMessage, locale, tEngine, translate, type Locale } from '../i18n/index.js';
import { foreignParams } from './foreign-params.js';
import { nakReasonText } from './nak-reason.js';

type Params = Record<string, string>;

/** A sub-phrase of a line (a state name, an offer's source) in `l`, or `fallback` when the catalog lacks it. */
function word(l: Locale, key: string, fallback: string): string {
  return hasMessage(key) ? translate(l, key) : fallback;
}

/** " \"name\"" after a MAC, as the engine writes a client's host name. */
const host = (hostname: string | undefined): string => (hostname ? ` "${hostname}"` : '');

/**
 * The catalog key of a message and its parameters worded for `l` (sub-phrases such as the client
 * state or the drop reason in that language; optional parts as the engine joins them).
 */
export function lineMessage(m: LogMessage, l: Locale): { key: string; params: Params } {
  switch (m.code) {
    case 'state': {
      const { state, detail } = m.params;
      const name = word(l, `log.line.stateName.${state}`, state.toUpperCase());
      return detail ? { key: 'log.line.state-detail', params: { state: name, detail } } : { key: 'log.line.state', params: { state: name } };
    }
    case 'packet-in':
    case 'packet-out': {
      const p = m.params;
      return { key: `log.line.${m.code}`, params: { type: p.type, mac: p.mac, xid: p.xid, ip: p.ip ? ` ${p.ip}` : '', peer: p.peer, size: p.size } };
    }
    case 'offer': {
      const p = m.params;
      return { key: 'log.line.offer', params: { ip: p.ip, mac: p.mac, host: host(p.hostname), source: word(l, `log.line.source.${p.source}`, p.source) } };
    }
    case 'ack': {
      const p = m.params;
      const params = { ip: p.ip, mac: p.mac, host: host(p.hostname), state: word(l, `timeline.state.${p.state}`, p.state) };
      return p.expiresIn === undefined ? { key: 'log.line.ack-never', params } : { key: 'log.line.ack', params: { ...params, seconds: p.expiresIn } };
    }
    case 'nak': {
      const p = m.params;
      const params = { mac: p.mac, reason: nakReasonText(p.reason, l), state: word(l, `timeline.state.${p.state}`, p.state) };
      return p.ip ? { key: 'log.line.nak-ip', params: { ...params, ip: p.ip } } : { key: 'log.line.nak', params };
    }
    case 'decline':
    case 'release':
    case 'inform':
    case 'expire':
    case 'pool-exhausted':
    case 'offer-evicted':
    case 'conflict-declined':
    case 'conflict-unanswered':
      return { key: `log.line.${m.code}`, params: m.params };
    case 'foreign-offer':
    case 'foreign-ack':
    case 'foreign-nak':
    case 'foreign-reply':
      return { key: `log.line.${m.code}`, params: foreignParams(m.params, (key, params) => (hasMessage(key) ? translate(l, key, params) : key)) };
    case 'conflict-probe': {
      const p = m.params;
      const params = { ip: p.ip, mac: p.mac, holder: p.inUseBy ?? word(l, 'log.line.anotherDevice', 'another device') };
      return p.until === undefined ? { key: 'log.line.conflict-probe', params } : { key: 'log.line.conflict-probe-until', params: { ...params, until: p.until } };
    }
    case 'drop': {
      const p = m.params;
      const params = { reason: word(l, `drop.${p.reason}`, p.reason), detail: p.detail ? ` (${p.detail})` : '' };
      return p.mac ? { key: 'log.line.drop-mac', params: { ...params, mac: p.mac } } : { key: 'log.line.drop', params };
    }
  }
}

// Worded lines, per language and entry: the log view words only its visible rows, the text search
// every entry — once each, not on every keystroke or batch. Entries are immutable once received.
const worded = new Map<Locale, WeakMap<LogEntry, string>>();

/** An entry's line in the active language (English: the engine's text as it is). */
export function logText(e: LogEntry): string {
  const l = locale();
  if (l === 'en' || !e.msg) return e.text;
  let cache = worded.get(l);
  if (!cache) worded.set(l, (cache = new WeakMap()));
  let text = cache.get(e);
  if (text === undefined) {
    const parsed = LogMessageSchema.safeParse(e.msg);
    if (parsed.success) {
      const { key, params } = lineMessage(parsed.data, l);
      text = tEngine(key, e.text, params);
    } else text = e.text;
    cache.set(e, text);
  }
  return text;
}
