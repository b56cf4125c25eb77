// The event log's filters and its bounded buffer (entries arrive in batches; the renderer keeps
// the newest N, deduplicated by the engine's monotonic id).
import type { LogEntry, LogKind } from '../../../src-main/ipc/contract.js';
import { parseMac } from '../../../src-main/dhcp/ip.js';
import { macDigits } from './reservations.js';
import { hasMessage, t, type MessageKey } from '../i18n/index.js';
import { logText } from './log-line.js';

export type LogGroup = 'all' | 'dhcp' | 'packets' | 'problems';

export const LOG_GROUPS: readonly LogGroup[] = ['all', 'dhcp', 'packets', 'problems'];

/** The filter's button label, in the UI language. */
export function groupLabel(group: LogGroup): string {
  return t(`log.group.${group}`);
}

const GROUP_KINDS: Record<Exclude<LogGroup, 'all'>, ReadonlySet<LogKind>> = {
  dhcp: new Set<LogKind>(['offer', 'ack', 'nak', 'decline', 'conflict', 'release', 'inform', 'expire']),
  packets: new Set<LogKind>(['in', 'out']),
  problems: new Set<LogKind>(['drop', 'pool-exhausted', 'warning', 'foreign-server', 'nak', 'decline', 'conflict']),
};

export interface LogFilter {
  /** A MAC (any notation) or a fragment of one. */
  mac?: string;
  group?: LogGroup;
  /** Free text matched against the entry's text (the engine's English and the line as shown), IP, MAC and kind. */
  text?: string;
}

export function filterLog(entries: readonly LogEntry[], f: LogFilter): LogEntry[] {
  const full = f.mac ? parseMac(f.mac) : undefined;
  const digits = f.mac ? macDigits(f.mac) : '';
  const kinds = f.group && f.group !== 'all' ? GROUP_KINDS[f.group] : undefined;
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!digits && !kinds && !words.length) return entries.slice();
  return entries.filter((e) => {
    if (kinds && !kinds.has(e.kind) && !(f.group === 'problems' && e.level !== 'info')) return false;
    if (digits) {
      if (!e.mac) return false;
      if (full ? e.mac.toLowerCase() !== full : !macDigits(e.mac).includes(digits)) return false;
    }
    if (words.length) {
      // In another language the line as shown too: a user searches the words they read, and the
      // English ones still work (they are what the CLI's log and bug reports say).
      const shown = logText(e);
      const hay = `${e.text} ${shown === e.text ? '' : shown} ${e.ip ?? ''} ${e.mac ?? ''} ${e.kind}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}

/** How many log entries the UI keeps (LogStore, state/log.svelte.ts): a flood cannot grow it beyond. */
export const LOG_LIMIT = 5000;

/**
 * Merges a batch into the buffer: deduplicated by id, in id order, newest `limit` kept. The
 * engine's ids restart when it restarts; a batch whose ids are all below the buffer's start is
 * treated as a new run and appended after it, not dropped.
 */
export function mergeLog(buffer: readonly LogEntry[], batch: readonly LogEntry[], limit: number): LogEntry[] {
  if (!batch.length) return buffer as LogEntry[];
  // Keyed by id and time: the same entry may arrive twice (log.recent and a push), while ids of
  // a restarted engine repeat with other times.
  // Only entries as recent as the batch's oldest can be the same (with 5,000 entries in the
  // buffer and a batch every 250 ms, keying them all cost milliseconds a batch).
  const key = (e: LogEntry): string => `${e.id}@${e.at}`;
  let oldest = Infinity;
  for (const e of batch) if (e.at < oldest) oldest = e.at;
  const seen = new Set<string>();
  for (const e of buffer) if (e.at >= oldest) seen.add(key(e));
  const fresh = batch.filter((e) => !seen.has(key(e)));
  if (!fresh.length) return buffer as LogEntry[];
  const last = buffer[buffer.length - 1];
  let merged: LogEntry[];
  if (!last || fresh.every((e) => e.id > last.id)) merged = [...buffer, ...fresh.slice().sort((a, b) => a.id - b.id)];
  else if (fresh.every((e) => e.at >= last.at)) merged = [...buffer, ...fresh.slice().sort((a, b) => a.id - b.id)];
  else merged = [...buffer, ...fresh].sort((a, b) => a.at - b.at || a.id - b.id);
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

/**
 * Short tag shown in the log's kind column. DHCP message names (OFFER, ACK, NAK …) and IN/OUT stay
 * as they are in every language; the others are localized (catalog key log.kind.<kind>), and a
 * kind this renderer does not know yet (a newer engine) shows as its code in capitals.
 */
export function kindLabel(kind: LogKind): string {
  const key = `log.kind.${kind}`;
  return hasMessage(key) ? t(key as Extract<MessageKey, `log.kind.${string}`>) : String(kind).toUpperCase();
}
