// Reading and repairing leases.db before NeDB sees it.
//
// Why a pre-pass at all: NeDB treats every unparsable line as "corrupt" and refuses to load when
// more than corruptAlertThreshold (10 %) of the lines are corrupt — a small file whose last line
// was torn by a crash does not load — and below the threshold it drops the bad lines silently.
// Neither is acceptable for a lease file, so we classify every line first:
//
//   torn tail     the last line has no newline, or does not parse: an append that a crash cut
//                 short. No batch is acknowledged before its newline is written *and* synced, so
//                 this is never an acknowledged lease; it is cut off and reported.
//   garbage       any other line that does not parse or is not a valid document: moved to a
//                 quarantine file (never silently lost) and reported with its line number.
//   uncommitted   the tail of a batch that did not finish (see below): cut off and reported.
//
// Uncommitted batches. The store writes one batch as two NeDB appends: remove({_id:{$in}})
// (a `{"$$deleted":true,"_id":ip}` line per changed IP that already exists) and then
// insert([...records, batchMarker]). A crash between the two, or inside the second (a large
// write can be cut short by SIGKILL or a power loss), leaves deletions whose replacement records
// are missing — replayed as-is, an acknowledged lease from an *earlier* batch would vanish. Every
// complete batch ends with the `__batch__` marker and only batches write deletions, so: after the
// last marker line, the last run of deletion lines and everything after it belong to a batch
// that never completed (and was never acknowledged). Cutting from there restores the state after
// the previous batch. Compaction output (one line per live document, no deletions) may follow the
// marker; it contains no deletions, so it is never cut. Taking the *last* run rather than the
// first deletion after the marker bounds the damage of a marker line that rotted into garbage to
// one batch.
import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import type { Lease } from '../dhcp/lease.js';
import { BATCH_ID, LEASE_FILE_FORMAT, META_ID, cleanLease, leaseDocProblem } from './lease-record.js';

export type LineKind = 'lease' | 'deletion' | 'batch' | 'meta' | 'nedb' | 'garbage' | 'empty';

export interface GarbageLine {
  /** 1-based line number in the file as it was found. */
  line: number;
  reason: string;
  /** The raw bytes of the line (without its newline). */
  raw: Buffer;
}

export interface LeaseFileAnalysis {
  /** Bytes of the file as read. */
  size: number;
  /** Line count including a torn tail. */
  lines: number;
  torn: { line: number; bytes: number } | null;
  /**
   * The torn last line when it had its newline. An append cut by a crash ends before its newline,
   * so such a line was written whole and damaged later (or edited): it is cut like a torn tail but
   * also kept in the quarantine file, so that a damaged record is never deleted without a copy.
   */
  tornComplete: GarbageLine | null;
  garbage: GarbageLine[];
  uncommitted: { fromLine: number; lines: number } | null;
  /** Format of the last meta document, if any. */
  format: number | undefined;
  /** The file needs rewriting (garbage to remove) rather than a truncation or nothing. */
  needsRewrite: boolean;
  /** Length of the prefix to keep when only the tail has to go (torn / uncommitted). */
  keepPrefixBytes: number;
  /** Raw bytes of every line that stays, in order (for a rewrite; made on first access). */
  readonly kept: Buffer[];
  /** How many lines stay (kept.length, without making the buffers). */
  keptLines: number;
  /**
   * NeDB's replay of the kept lines: last document per _id wins, deletions remove. A lease comes
   * as its frozen record (cleanLease: `_id` not enumerable), the control documents as parsed.
   */
  docs: Map<string, Record<string, unknown>>;
  /** Kept NeDB index lines ($$indexCreated / $$indexRemoved): the store never writes them. */
  indexLines: number;
}

/** One line: where it is and what it is (one object per line, all of one shape: 100k of them at load). */
interface Line {
  start: number;
  end: number;
  kind: LineKind;
  doc: Record<string, unknown> | undefined;
  reason: string | undefined;
}

function line(start: number, end: number, kind: LineKind, doc?: Record<string, unknown>, reason?: string): Line {
  return { start, end, kind, doc, reason };
}

function classify(text: string, start: number, end: number): Line {
  if (text === '') return line(start, end, 'empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A blank line of a file saved with CRLF line ends ("\r") is blank, not damage.
    if (text.trim() === '') return line(start, end, 'empty');
    return line(start, end, 'garbage', undefined, 'not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line(start, end, 'garbage', undefined, 'not a JSON object');
  const doc = parsed as Record<string, unknown>;
  if (doc.$$deleted === true && typeof doc._id === 'string') return line(start, end, 'deletion', doc);
  if (doc.$$indexCreated !== undefined || typeof doc.$$indexRemoved === 'string') return line(start, end, 'nedb', doc);
  if (doc._id === META_ID) {
    return typeof doc.format === 'number' ? line(start, end, 'meta', doc) : line(start, end, 'garbage', undefined, 'meta document without a format number');
  }
  if (doc._id === BATCH_ID) return line(start, end, 'batch', doc);
  if (typeof doc._id !== 'string' || doc._id === '') return line(start, end, 'garbage', undefined, 'document without an _id');
  const problem = leaseDocProblem(doc);
  if (problem) return line(start, end, 'garbage', undefined, `not a valid lease record: ${problem}`);
  // The record the store keeps (cleanLease), made now, so that the parsed object dies young
  // instead of surviving the whole file in V8's young generation: at 100,000 leases, ~20 MB less
  // copied by the scavenger. The ip is the _id string (equal, checked above): one string, not two.
  doc.ip = doc._id;
  return line(start, end, 'lease', cleanLease(doc as unknown as Lease) as unknown as Record<string, unknown>);
}

/** Classifies every line of a lease file (pure: no I/O). See the file comment for the rules. */
export function analyzeLeaseFile(buf: Buffer): LeaseFileAnalysis {
  const lines: Line[] = [];
  // An ASCII file (the usual one: hostnames are rarely anything else) is decoded once and each
  // line is a slice of that string, byte offsets being character offsets; decoding line by line
  // copied every byte into a new string (~50 ms and 35 MB of garbage at 100,000 leases).
  const text = isAscii(buf) ? buf.toString('latin1') : undefined;
  let pos = 0;
  let tornSeg: { start: number; end: number } | null = null;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) {
      // An append that never got its newline: NeDB writes "json\n" in one call, so this is a
      // write cut short, even if the fragment happens to parse.
      tornSeg = { start: pos, end: buf.length };
      break;
    }
    lines.push(classify(text !== undefined ? text.slice(pos, nl) : buf.toString('utf8', pos, nl), pos, nl));
    pos = nl + 1;
  }

  const totalLines = lines.length + (tornSeg ? 1 : 0);
  let torn: LeaseFileAnalysis['torn'] = null;
  let tornComplete: GarbageLine | null = null;
  if (tornSeg) {
    torn = { line: lines.length + 1, bytes: tornSeg.end - tornSeg.start };
  } else {
    // A last line that has its newline but does not parse is a torn write too (the file system
    // extended the file but the data blocks never made it, e.g. zeros after a power loss).
    let last = lines.length - 1;
    while (last >= 0 && lines[last]!.kind === 'empty') last--;
    const l = lines[last];
    if (l && l.kind === 'garbage' && l.reason === 'not valid JSON') {
      torn = { line: last + 1, bytes: buf.length - l.start };
      tornComplete = { line: last + 1, reason: 'not valid JSON (last line)', raw: buf.subarray(l.start, l.end) };
      lines.length = last;
    }
  }

  let format: number | undefined;
  for (const l of lines) if (l.kind === 'meta') format = l.doc!.format as number;

  // Uncommitted tail: the last run of deletions after the last batch marker.
  let cutFrom = -1;
  let lastMarker = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.kind === 'batch') {
      lastMarker = i;
      break;
    }
  }
  let i = lines.length - 1;
  while (i > lastMarker && lines[i]!.kind !== 'deletion') i--;
  if (i > lastMarker) {
    while (i - 1 > lastMarker && (lines[i - 1]!.kind === 'deletion' || lines[i - 1]!.kind === 'empty' || lines[i - 1]!.kind === 'garbage')) i--;
    // Garbage directly before the run is not part of the batch; keep the run start on a deletion.
    while (lines[i]!.kind !== 'deletion') i++;
    cutFrom = i;
  }

  const garbage: GarbageLine[] = [];
  const keptAt: number[] = [];
  const docs = new Map<string, Record<string, unknown>>();
  let uncommittedLines = 0;
  let indexLines = 0;
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n]!;
    if (l.kind === 'garbage') {
      garbage.push({ line: n + 1, reason: l.reason!, raw: buf.subarray(l.start, l.end) });
      continue;
    }
    if (cutFrom !== -1 && n >= cutFrom) {
      if (l.kind !== 'empty') uncommittedLines++;
      continue;
    }
    if (l.kind === 'empty') continue;
    keptAt.push(n);
    if (l.kind === 'nedb') indexLines++;
    const d = l.doc!;
    if (l.kind === 'deletion') docs.delete(d._id as string);
    else if (typeof d._id === 'string') docs.set(d._id, d);
  }

  const endOfKept = cutFrom !== -1 ? lines[cutFrom]!.start : lines.length > 0 ? lines[lines.length - 1]!.end + 1 : 0;
  // Garbage inside the cut region goes with the cut (after being quarantined); only garbage
  // before it forces a rewrite.
  const garbageBeforeCut = garbage.some((g) => cutFrom === -1 || g.line - 1 < cutFrom);
  return {
    size: buf.length,
    lines: totalLines,
    torn,
    tornComplete,
    garbage,
    uncommitted: cutFrom !== -1 ? { fromLine: cutFrom + 1, lines: uncommittedLines } : null,
    format,
    needsRewrite: garbageBeforeCut,
    keepPrefixBytes: endOfKept,
    get kept(): Buffer[] {
      return keptAt.map((n) => buf.subarray(lines[n]!.start, lines[n]!.end));
    },
    keptLines: keptAt.length,
    docs,
    indexLines,
  };
}

export function isNewerFormat(a: LeaseFileAnalysis): boolean {
  return a.format !== undefined && a.format > LEASE_FILE_FORMAT;
}

/** True when the analysis asks for any change to the file. */
export function needsRepair(a: LeaseFileAnalysis): boolean {
  return a.torn !== null || a.garbage.length > 0 || a.uncommitted !== null;
}

export async function readLeaseFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}
