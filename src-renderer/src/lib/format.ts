// Human formatting of times and durations for the lease table, the status strip and the log.
// Pure functions of their inputs (the current time is passed in), so they are unit-tested.
// Words and units come from the i18n catalog of the active locale (English by default), numbers and
// month names from Intl for that locale; clock times are 24 h in every language.
import { locale, t } from '../i18n/index.js';

/** Leases that never expire carry an expiry this far out (Number.MAX_SAFE_INTEGER in the engine). */
const NEVER = 8.64e15;

export function isNever(epochMs: number): boolean {
  return epochMs >= NEVER || !Number.isFinite(epochMs);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "3 h" / "3시간": a number with its time unit in the active language. */
const unit = (u: 'd' | 'h' | 'min' | 's', n: number): string => t(`time.${u}`, { n });

/**
 * Time left until `expiresAt`, for a live countdown: "4:05" under an hour, "1:02:03" under a day,
 * "2 d 3 h" beyond; "never" for infinite leases; "0:00" once it has passed.
 */
export function formatCountdown(expiresAt: number, now: number): string {
  if (isNever(expiresAt)) return t('time.never');
  const s = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  if (s >= 86400) {
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    return h ? `${unit('d', d)} ${unit('h', h)}` : unit('d', d);
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** A length of time in seconds as words: "1 h", "52 min 30 s", "2 d 4 h", "infinite". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 0xffffffff) return t('time.infinite');
  let s = Math.max(0, Math.round(seconds));
  if (s === 0) return unit('s', 0);
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  s %= 86400;
  const h = Math.floor(s / 3600);
  s %= 3600;
  const m = Math.floor(s / 60);
  s %= 60;
  if (d) parts.push(unit('d', d));
  if (h) parts.push(unit('h', h));
  if (m) parts.push(unit('min', m));
  if (s) parts.push(unit('s', s));
  // Two units are precise enough for a glance ("2 d 4 h", not "2 d 4 h 3 min 1 s").
  return parts.slice(0, 2).join(' ');
}

/** How long something has been running: "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatUptime(startedAt: number, now: number): string {
  const s = Math.max(0, Math.floor((now - startedAt) / 1000));
  if (s < 60) return unit('s', s);
  if (s < 3600) return unit('min', Math.floor(s / 60));
  return formatSeconds(s - (s % 60));
}

/** "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function formatAgo(at: number, now: number): string {
  const s = Math.floor((now - at) / 1000);
  if (s < 2) return t('time.justNow');
  const time = s < 60 ? unit('s', s) : s < 3600 ? unit('min', Math.floor(s / 60)) : s < 86400 ? unit('h', Math.floor(s / 3600)) : unit('d', Math.floor(s / 86400));
  return t('time.ago', { time });
}

/** Wall-clock time "14:03:07" (24 h, local time). */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A timestamp in a table cell: the time for today, "12 Mar 14:03" for other days. */
// One month-name formatter per locale: toLocaleString(locale, options) builds a new
// Intl.DateTimeFormat per call, which made formatStamp most of a frame's script time when the
// lease table (two stamps per row) scrolled or re-sorted.
const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthName(d: Date): string {
  const loc = locale();
  let f = monthFormats.get(loc);
  if (!f) {
    f = new Intl.DateTimeFormat(loc, { month: 'short' });
    monthFormats.set(loc, f);
  }
  return f.format(d);
}

export function formatStamp(at: number, now: number): string {
  if (!at) return '';
  const d = new Date(at);
  const today = new Date(now);
  if (d.getDate() === today.getDate() && d.getMonth() === today.getMonth() && d.getFullYear() === today.getFullYear()) return formatClock(at);
  const month = monthName(d);
  return t('time.stamp', { day: String(d.getDate()), month, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` });
}

/** Splits a lease time into the most natural unit for the editor: 3600 → { value: 1, unit: 'h' }. */
export type TimeUnit = 's' | 'min' | 'h' | 'd';
export const UNIT_SECONDS: Readonly<Record<TimeUnit, number>> = { s: 1, min: 60, h: 3600, d: 86400 };

export function splitDuration(seconds: number): { value: number; unit: TimeUnit } {
  for (const unit of ['d', 'h', 'min'] as const) {
    if (seconds >= UNIT_SECONDS[unit] && seconds % UNIT_SECONDS[unit] === 0) return { value: seconds / UNIT_SECONDS[unit], unit };
  }
  return { value: seconds, unit: 's' };
}
