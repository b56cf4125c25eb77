// `pocket-dhcp timeline --mac MAC LOG`: one device's DISCOVER/OFFER/REQUEST/ACK history with the
// time between steps and the stall hints, rebuilt from what `serve --log json` wrote (LOG, or "-"
// for standard input) by the same code as the UI's device panel (devices/timeline.ts,
// timeline-hints.ts). A running server keeps its timelines in memory only, for its UI; its JSON
// log is the record a terminal has. With `serve --verbose` the log also holds the client's own
// DISCOVER and REQUEST steps; without it the timeline shows the server's side (OFFER, ACK, NAK, …).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DROP_REASONS, type DropReason } from '../dhcp/events.js';
import { parseMac } from '../dhcp/ip.js';
import { DeviceTimelines, timelineEntryOf } from '../devices/timeline.js';
import type { DeviceTimeline, TimelineEntry, TimelineKind } from '../devices/timeline-types.js';
import type { ServiceEvent } from '../server/dhcp-service.js';
import { CliError, EXIT_CONFIG } from './errors.js';

export interface TimelineOptions {
  mac?: string;
  format?: 'table' | 'json';
  /** Most recent steps kept (default 1000). */
  limit?: string;
}

export interface LogTimeline extends DeviceTimeline {
  /** JSON log records read, and lines that were not one (banners of a text log, cut lines). */
  records: number;
  skipped: number;
}

/** One `--log json` line back to the service event it was written from (at → epoch ms), or undefined. */
export function serviceEventOfLogLine(line: string): ServiceEvent | 'other' | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as { kind?: unknown; at?: unknown; event?: unknown; packet?: unknown };
  if (typeof r.kind !== 'string') return undefined;
  const at = typeof r.at === 'string' ? Date.parse(r.at) : NaN;
  if (!Number.isFinite(at)) return 'other';
  if (r.kind === 'dhcp' && r.event && typeof r.event === 'object') return { kind: 'dhcp', at, event: r.event as never };
  if (r.kind === 'packet' && r.packet && typeof r.packet === 'object') return { kind: 'packet', at, packet: r.packet as never };
  return 'other';
}

/** Reads a JSON log line by line (bounded memory: only MAC's newest `limit` steps are kept). */
export async function timelineFromLog(lines: AsyncIterable<string>, mac: string, limit = 1000): Promise<LogTimeline> {
  const timelines = new DeviceTimelines({ macs: 1, entries: limit });
  let records = 0;
  let skipped = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const e = serviceEventOfLogLine(line);
    if (e === undefined) {
      skipped++;
      continue;
    }
    records++;
    if (e === 'other') continue;
    const r = timelineEntryOf(e);
    if (r && r.mac === mac) timelines.add(mac, r.entry);
  }
  return { ...timelines.timeline(mac), records, skipped };
}

const STEP: Readonly<Record<TimelineKind, string>> = {
  discover: 'DISCOVER',
  request: 'REQUEST',
  offer: 'OFFER',
  ack: 'ACK',
  nak: 'NAK',
  decline: 'DECLINE',
  release: 'RELEASE',
  inform: 'INFORM',
  expire: 'EXPIRE',
  drop: 'DROPPED',
  'pool-exhausted': 'POOL EXHAUSTED',
  'offer-evicted': 'OFFER WITHDRAWN',
};

function after(ms: number): string {
  if (ms < 1000) return `+${ms} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `+${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `+${(ms / 3_600_000).toFixed(1)} h`;
}

function detail(e: TimelineEntry): string {
  if (e.kind === 'drop') return `${DROP_REASONS[e.reason as DropReason] ?? e.reason ?? ''}${e.detail ? ` (${e.detail})` : ''}`;
  return [e.state, e.detail].filter(Boolean).join(': ');
}

// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

export function formatTimeline(t: LogTimeline, source: string): string {
  const out: string[] = [];
  if (t.entries.length === 0) {
    out.push(`no DHCP steps of ${t.mac} in ${source} (${t.records} log record(s) read)`);
  } else {
    const first = t.entries[0]!.at;
    const last = t.entries[t.entries.length - 1]!.at;
    out.push(`${t.mac}: ${t.entries.length} step(s) in ${source}, ${new Date(first).toISOString()} to ${new Date(last).toISOString()}${t.truncated ? ' (older steps left out)' : ''}`);
    const rows = t.entries.map((e, i) => [new Date(e.at).toISOString(), i === 0 ? '' : after(e.at - t.entries[i - 1]!.at), STEP[e.kind] ?? e.kind, e.ip ?? '', clean(detail(e))]);
    const head = ['TIME', 'AFTER', 'STEP', 'ADDRESS', 'DETAIL'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
    out.push(line(head), ...rows.map(line));
  }
  if (t.hints.length) {
    out.push('', 'hints:');
    for (const h of t.hints) out.push(`  ${h.level === 'warn' ? '!' : '-'} ${h.text}`);
  }
  if (t.entries.length && !t.entries.some((e) => e.kind === 'discover' || e.kind === 'request')) {
    out.push('', 'note: the log has no client-side steps (DISCOVER, REQUEST): run serve with --verbose to record them.');
  }
  return `${out.join('\n')}\n`;
}

export async function runTimeline(file: string, opts: TimelineOptions): Promise<void> {
  const mac = opts.mac === undefined ? undefined : parseMac(opts.mac);
  if (!mac) throw new CliError(`--mac "${opts.mac ?? ''}" is not a MAC address; use six hex pairs, e.g. aa:bb:cc:dd:ee:ff`, EXIT_CONFIG);
  const limit = opts.limit === undefined ? 1000 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new CliError(`--limit "${opts.limit}" must be a whole number of steps from 1 to 100000`, EXIT_CONFIG);
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((ok, fail) => {
    if (file === '-') ok();
    else input.once('open', () => ok()).once('error', fail);
  });
  try {
    await opened;
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, EXIT_CONFIG);
  }
  const t = await timelineFromLog(createInterface({ input, crlfDelay: Infinity }), mac, limit);
  if (t.records === 0) {
    throw new CliError(`${file} holds no records of "pocket-dhcp serve --log json" (${t.skipped} other line(s)): run the server with --log json (and --verbose for the DISCOVER and REQUEST steps), save its output, and give that file`, EXIT_CONFIG);
  }
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ source: file, ...t }, null, 2)}\n`);
  else process.stdout.write(formatTimeline(t, file === '-' ? 'standard input' : file));
}
