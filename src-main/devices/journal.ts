// The lease journal: who had which address when. An append-only JSON-lines file in the data
// directory (journal.jsonl), one line per durable lease transition — bind, renew, release,
// expire, decline — searchable by MAC, IP, host name and time, exportable as CSV.
//
// Off the hot path: the journal takes the service's 'lease' events, which the service emits
// after the lease store's group commit made the record durable (and just before the ACK leaves),
// so it never journals a lease the server could not save, and adds no I/O before an ACK. Lines are
// buffered and appended in one write per second (or per 256 lines), by one writer at a time; they
// are formatted then, not when the ACK goes out. It has no fsync of its own — the lease store's
// durability does not depend on it — except on close: a crash may
// cost the last second of journal lines, never a lease. A line torn by a crash is cut off when the
// journal is opened again (and skipped by readers meanwhile).
//
// Bounded: when journal.jsonl passes `maxBytes` (default 8 MiB, about 40,000 transitions) it
// becomes journal.1.jsonl, replacing the previous one; readers read both. So the journal keeps the
// most recent 8-16 MiB of history.
import { createReadStream } from 'node:fs';
import { mkdir, open as openFile, rename, stat, truncate, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'csv-stringify/sync';
import type { Lease } from '../dhcp/lease.js';
import type { RequestState } from '../dhcp/events.js';
import type { ServiceEvent } from '../server/dhcp-service.js';
import { createIsoTime } from '../server/iso-time.js';
import type { JournalEntry, JournalEvent, JournalQuery, JournalResult } from './journal-types.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_OLD_FILE = 'journal.1.jsonl';
export const JOURNAL_MAX_BYTES = 8 * 1024 * 1024;

const EVENTS: ReadonlySet<string> = new Set(['bind', 'renew', 'release', 'expire', 'decline']);
const iso = (ms: number) => new Date(ms).toISOString();
/** An infinite lease ends at Number.MAX_SAFE_INTEGER, which no Date holds. */
const isoOrUndefined = (ms: number) => (Number.isFinite(ms) && ms <= 8.64e15 ? iso(ms) : undefined);

export function journalEntryOf(at: number, event: JournalEvent, l: Lease): JournalEntry {
  const expiresAt = event === 'bind' || event === 'renew' || event === 'decline' ? isoOrUndefined(l.expiresAt) : undefined;
  return {
    at: iso(at),
    event,
    ip: l.ip,
    mac: l.mac,
    clientId: l.clientId,
    ...(l.hostname ? { hostname: l.hostname } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    subnet: l.subnet,
  };
}

/** Formatters for the two streams of times in journal lines (each remembers its own second). */
const lineAt = createIsoTime();
const lineExpiresAt = createIsoTime();

/**
 * JSON.stringify(journalEntryOf(at, event, l)), written straight into the line: the journal
 * formats one per lease transition, and under load building the entry object and its two Dates
 * cost more than writing the line.
 */
export function journalLineOf(at: number, event: JournalEvent, l: Lease): string {
  const q = JSON.stringify;
  const ends = event === 'bind' || event === 'renew' || event === 'decline';
  const expiresAt = ends && Number.isFinite(l.expiresAt) && l.expiresAt <= 8.64e15 ? lineExpiresAt(l.expiresAt) : undefined;
  return `{"at":"${lineAt(at)}","event":"${event}","ip":${q(l.ip)},"mac":${q(l.mac)},"clientId":${q(l.clientId)}${l.hostname ? `,"hostname":${q(l.hostname)}` : ''}${expiresAt ? `,"expiresAt":"${expiresAt}"` : ''}${l.subnet !== undefined ? `,"subnet":${q(l.subnet)}` : ''}}`;
}

/**
 * Turns the service's events into journal entries. The engine's ACK event says which client state
 * the REQUEST came from (RFC 2131 §4.3.2): RENEWING/REBINDING is a renewal, SELECTING/INIT-REBOOT
 * a binding. It is remembered until the durable 'lease' event of the same address arrives.
 */
export class JournalRecorder {
  private ackState = new Map<string, RequestState>();

  /** `sink` gets the raw transition; formatting waits for the writer's batch (off the ACK path). */
  constructor(private readonly sink: (at: number, event: JournalEvent, lease: Lease) => void) {}

  observe(e: ServiceEvent): void {
    if (e.kind === 'dhcp') {
      if (e.event.type === 'ack') {
        // Bounded by the number of addresses in flight; a store failure leaves one stale entry per IP at most.
        if (this.ackState.size > 100_000) this.ackState.clear();
        this.ackState.set(e.event.ip, e.event.state);
      }
      return;
    }
    if (e.kind !== 'lease') return;
    const l = e.lease;
    let event: JournalEvent;
    switch (l.state) {
      case 'bound': {
        const st = this.ackState.get(l.ip);
        this.ackState.delete(l.ip);
        event = st === 'renewing' || st === 'rebinding' ? 'renew' : 'bind';
        break;
      }
      case 'released':
        event = 'release';
        break;
      case 'expired':
        event = 'expire';
        break;
      case 'declined':
        event = 'decline';
        break;
      default:
        return;
    }
    this.sink(e.at, event, l);
  }
}

export interface JournalWriterOptions {
  maxBytes?: number;
  /** How often buffered lines are appended. Default 1,000 ms. */
  flushMs?: number;
  /** Lines that trigger an append before the timer. Default 256. */
  flushLines?: number;
  onWarning?: (message: string) => void;
}

/** Appends journal lines in batches, rotates at maxBytes. */
export class JournalWriter {
  /** Entries, or raw transitions (lease records are frozen: safe to hold) formatted at flush. */
  private buffer: Array<JournalEntry | [number, JournalEvent, Lease]> = [];
  private size = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failed = false;
  private readonly maxBytes: number;
  private readonly flushLines: number;
  private readonly warn: (m: string) => void;
  readonly path: string;
  readonly oldPath: string;

  private constructor(
    readonly dataDir: string,
    opts: JournalWriterOptions,
    size: number,
  ) {
    this.path = join(dataDir, JOURNAL_FILE);
    this.oldPath = join(dataDir, JOURNAL_OLD_FILE);
    this.size = size;
    this.maxBytes = opts.maxBytes ?? JOURNAL_MAX_BYTES;
    this.flushLines = opts.flushLines ?? 256;
    this.warn = opts.onWarning ?? (() => undefined);
    this.timer = setInterval(() => void this.flush(), opts.flushMs ?? 1000);
    this.timer.unref();
  }

  /** Opens (creating the directory if needed) and cuts off a last line torn by a crash. */
  static async open(dataDir: string, opts: JournalWriterOptions = {}): Promise<JournalWriter> {
    await mkdir(dataDir, { recursive: true });
    const size = await cutTornLine(join(dataDir, JOURNAL_FILE));
    return new JournalWriter(dataDir, opts, size);
  }

  append(e: JournalEntry): void {
    if (this.closed) return;
    this.buffer.push(e);
    if (this.buffer.length >= this.flushLines) void this.flush();
  }

  /** A transition as the recorder sees it: no formatting now, the batch does it. */
  appendLease(at: number, event: JournalEvent, lease: Lease): void {
    if (this.closed) return;
    this.buffer.push([at, event, lease]);
    if (this.buffer.length >= this.flushLines) void this.flush();
  }

  /** Appends what is buffered (one write); resolves when it is written. */
  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.writing;
    let text = '';
    for (const b of this.buffer) text += `${Array.isArray(b) ? journalLineOf(b[0], b[1], b[2]) : JSON.stringify(b)}\n`;
    this.buffer = [];
    this.writing = this.writing.then(() => this.write(text));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    try {
      await appendFile(this.path, text);
      this.size += Buffer.byteLength(text);
      this.failed = false;
      if (this.size > this.maxBytes) {
        await rename(this.path, this.oldPath);
        this.size = 0;
      }
    } catch (e) {
      // The journal is history, not the lease store: a full disk costs journal lines, never serving.
      if (!this.failed) this.warn(`lease journal: could not write ${this.path}: ${(e as Error).message} (journal lines are lost until it works again; leases are not affected)`);
      this.failed = true;
    }
  }

  /** Writes what is buffered and syncs the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    try {
      const fh = await openFile(this.path, 'r+');
      try {
        await fh.datasync();
      } finally {
        await fh.close();
      }
    } catch {
      // no file yet (nothing was journaled), or it cannot be opened: nothing to sync
    }
  }
}

/** Cuts the file after its last newline (a line torn by a crash); returns the resulting size. */
async function cutTornLine(path: string): Promise<number> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
  const fh = await openFile(path, 'r');
  let keep = 0;
  try {
    // Scan backwards in 64 KiB blocks for the last newline.
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const from = Math.max(0, end - block.length);
      const { bytesRead } = await fh.read(block, 0, end - from, from);
      const nl = block.subarray(0, bytesRead).lastIndexOf(10);
      if (nl >= 0) {
        keep = from + nl + 1;
        break;
      }
      end = from;
    }
  } finally {
    await fh.close();
  }
  if (keep !== size) await truncate(path, keep);
  return keep;
}

// ---- reading -----------------------------------------------------------------------------------

/** A stored line as an entry, or undefined when it is not one (torn, edited by hand). */
export function parseJournalLine(line: string): JournalEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.at !== 'string' || !Number.isFinite(Date.parse(r.at))) return undefined;
  if (typeof r.event !== 'string' || !EVENTS.has(r.event)) return undefined;
  if (typeof r.ip !== 'string' || typeof r.mac !== 'string' || typeof r.clientId !== 'string') return undefined;
  for (const k of ['hostname', 'expiresAt', 'subnet']) if (r[k] !== undefined && typeof r[k] !== 'string') return undefined;
  return {
    at: r.at,
    event: r.event as JournalEvent,
    ip: r.ip,
    mac: r.mac,
    clientId: r.clientId,
    ...(r.hostname !== undefined ? { hostname: r.hostname as string } : {}),
    ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt as string } : {}),
    ...(r.subnet !== undefined ? { subnet: r.subnet as string } : {}),
  };
}

export function matchesJournal(e: JournalEntry, q: JournalQuery): boolean {
  if (q.mac !== undefined && e.mac.toLowerCase() !== q.mac.toLowerCase()) return false;
  if (q.ip !== undefined && e.ip !== q.ip) return false;
  if (q.hostname !== undefined && !(e.hostname ?? '').toLowerCase().includes(q.hostname.toLowerCase())) return false;
  if (q.since !== undefined || q.until !== undefined) {
    const t = Date.parse(e.at);
    if (q.since !== undefined && t < q.since) return false;
    if (q.until !== undefined && t > q.until) return false;
  }
  return true;
}

/** Reads journal.1.jsonl then journal.jsonl (read-only: safe while the server writes). */
export async function readJournal(dataDir: string, q: JournalQuery = {}): Promise<JournalResult> {
  const limit = q.limit ?? Infinity;
  const out: JournalEntry[] = [];
  let omitted = 0;
  let unreadable = 0;
  for (const name of [JOURNAL_OLD_FILE, JOURNAL_FILE]) {
    let lines: AsyncIterable<string>;
    const stream = createReadStream(join(dataDir, name), { encoding: 'utf8' });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`cannot read the lease journal ${join(dataDir, name)}: ${(e as Error).message}`);
    }
    lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const e = parseJournalLine(line);
      if (!e) {
        unreadable++;
        continue;
      }
      if (!matchesJournal(e, q)) continue;
      out.push(e);
      // Keep the newest `limit`: trim in chunks, not per line.
      if (out.length >= 2 * limit && limit > 0) {
        omitted += out.length - limit;
        out.splice(0, out.length - limit);
      }
    }
  }
  if (out.length > limit) {
    omitted += out.length - limit;
    out.splice(0, out.length - limit);
  }
  return { entries: out, omitted, unreadable };
}

// ---- output formats ----------------------------------------------------------------------------

export const JOURNAL_COLUMNS = ['at', 'event', 'ip', 'mac', 'hostname', 'clientId', 'expiresAt', 'subnet'] as const;

/** RFC 4180 CSV, spreadsheet-safe (host names come from untrusted clients), like the lease export. */
export function journalToCsv(entries: readonly JournalEntry[]): string {
  return stringify(
    entries.map((e) => JOURNAL_COLUMNS.map((c) => e[c] ?? '')),
    { header: true, columns: [...JOURNAL_COLUMNS], record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true },
  );
}

/** A fixed-width table for a terminal: TIME, EVENT, IP, MAC, HOSTNAME. */
export function journalToTable(entries: readonly JournalEntry[]): string {
  if (!entries.length) return 'no journal entries\n';
  const header = ['TIME', 'EVENT', 'IP', 'MAC', 'HOSTNAME'];
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 32);
  const rows = entries.map((e) => [e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.event, e.ip, e.mac, clean(e.hostname ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
