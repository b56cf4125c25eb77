// LeaseStore: the durable lease repository. The in-memory index is authoritative while the server
// runs (the engine reads it synchronously); leases.db — an NeDB datafile, one JSON document per
// line, `_id` = the IP — is the journal that makes an ACKed lease survive a crash.
//
// Durability contract: apply(records) updates the index at once and resolves only after those
// records are appended *and* fdatasync'ed, so the service sends the ACK after the promise.
// NeDB never syncs; we sync the datafile ourselves, through a descriptor we hold open (NeDB's
// appends are routed through it too). Compaction (compaction.ts) writes NeDB's compacted file in
// slices while batches go on, then renames it into place between two batches and hands the new
// file's descriptor over; NeDB's own compaction, one synchronous loop over every document, is
// only the fallback for a NeDB whose appends could not be routed.
//
// Group commit: all apply() calls of one event-loop turn (setImmediate fires after the poll phase
// that delivered a burst of datagrams) form one batch; one batch is written at a time and the
// next accumulates meanwhile, so under load the batch grows until one fsync covers hundreds of
// ACKs.
//
// How one batch is written — measured on the shared 2-core build machine (other jobs running, so
// ±30 % between runs), Node 20, 10,000 records preloaded, one fdatasync per batch; records/s
// for renewals (existing IPs) / new clients. Script: test/unit/leases/measure-write-strategies.ts
//
//   batch size                            1            10            100            1000
//   per-doc update({_id}, doc, upsert)  1.2k / 1.5k  3.9k / 4.7k    4.3k / 4.3k    6.3k / 6.3k
//   remove({_id:{$in}}) + insert([..])  0.9k / 1.4k  6.9k / 8.4k   17.7k / 20.0k  36.6k / 27.0k
//   insert(new) + per-doc update(old)   1.3k / 1.5k  4.3k / 10.8k   4.7k / 18.1k   7.1k / 29.8k
//
// Per-doc update is one appendFile (open, write, close on the thread pool) per record and stays
// near NeDB's ~5k/s whatever the batch size: below the 6k ACK/s we need. remove + insert is two
// appends per batch whatever its size, so it scales with group commit (a batch of 1 is dominated
// by the ~0.5-1 ms fdatasync in every strategy). It is chosen. Its one hazard — a crash between
// the two appends (or inside the second) leaves deletions without their replacement records; the
// crash test lands there in about a third of its kills — is closed by the `__batch__` marker
// written last in every batch and by load-time recovery, which cuts an unfinished batch off
// (lease-file.ts).
// Through this class, requests arriving at 6,000/s are acknowledged at 6,000/s (batches of ~5,
// median ACK latency 1.1 ms); at 15,000/s, 14,800/s (batches of ~20, median 1.9 ms).
import { EventEmitter } from 'node:events';
import { mkdir, open as openFile, rename, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Datastore from 'nedb-promises';
import type { Ipv4 } from '../dhcp/ip.js';
import type { Lease, LeaseView } from '../dhcp/lease.js';
import { LeaseStoreError, describeErrno, diskFullAdvice, errnoCode, isNotWritable, notWritableError } from './errors.js';
import { datasyncPath, fsyncDir, writeAllSync } from './fsync.js';
import { analyzeLeaseFile, isNewerFormat, needsRepair, readLeaseFile, type LeaseFileAnalysis } from './lease-file.js';
import { LeaseIndex } from './lease-index.js';
import { adoptReplay, applyDirect, canShareDocs, nedbDirect, routablePersistence, type Db, type NedbDirect, type NedbOriginal } from './nedb-internals.js';
import { acquireLock, type HeldLock, type LockOwner } from './lease-lock.js';
import { Compaction } from './compaction.js';
import { BATCH_ID, LEASE_FILE_FORMAT, META_ID, asNedbDoc, cleanLease, docJson, leaseProblem, leaseToDoc } from './lease-record.js';

export const DATA_FILE = 'leases.db';
export const LOCK_FILE = 'leases.lock';

export interface LeaseStoreOptions {
  /** Records kept, bound ones included; beyond it the oldest history goes. Default 200,000. */
  maxRecords?: number;
  /** Clock for expiry at load and history pruning (epoch ms). Default Date.now. */
  now?: () => number;
  /**
   * Compact when the file has more than `ratio` × live documents (default 2) and more than
   * `minLines` lines (default 10,000) and no ACK is waiting; at 2 × ratio, compact regardless.
   */
  compaction?: { minLines?: number; ratio?: number };
  /** Things the user should know that are not errors (a compaction that failed, …). */
  onWarning?: (message: string) => void;
}

export interface OpenReport {
  dataDir: string;
  dataFile: string;
  /** The datafile did not exist (a new, empty lease table). */
  created: boolean;
  /** Lease records in the index after opening. */
  records: number;
  /** Records still `bound` on disk whose expiresAt had passed: `expired` in memory. */
  expiredAtLoad: number;
  /** Oldest history dropped because maxRecords was exceeded at load. */
  pruned: number;
  /** A last line cut short by a crash, cut off. */
  torn: { line: number; bytes: number } | null;
  /** The lines of a batch that never completed (so was never acknowledged), cut off. */
  uncommitted: { fromLine: number; lines: number } | null;
  /** Unreadable lines moved out of the datafile. */
  quarantined: { file: string; count: number; lines: Array<{ line: number; reason: string }> } | null;
  /** Owner of a stale leases.lock that was taken over. */
  staleLock: LockOwner | null;
  /** One sentence per event above, for the log. */
  messages: string[];
  loadMs: number;
}

export interface LeaseStoreStats {
  /** Batches written (each: two appends and one fdatasync). */
  batches: number;
  /** Records written (changed and pruned IPs), summed over batches. */
  recordsWritten: number;
  lastBatchSize: number;
  maxBatchSize: number;
  failedBatches: number;
  syncs: number;
  syncMsTotal: number;
  syncMsMax: number;
  lastSyncMs: number;
  /** Time spent in NeDB's remove + insert (the appends). */
  writeMsTotal: number;
  /** Records waiting for the next batch. */
  pending: number;
  compactions: number;
  /** Wall time from the start of each compaction to its file in place (batches go on meanwhile). */
  compactionMsTotal: number;
  /** A compaction is writing its snapshot now. */
  compacting: boolean;
  /** Lines in the datafile (estimate: exact after load and after each compaction). */
  fileLines: number;
  /** History records dropped because maxRecords was exceeded. */
  pruned: number;
}

type Waiter = { resolve: () => void; reject: (e: Error) => void };

const DEFAULT_MAX_RECORDS = 200_000;
const DEFAULT_COMPACT_MIN_LINES = 10_000;
const DEFAULT_COMPACT_RATIO = 2;

/**
 * mkdir -p that reports the real reason: Node's recursive mkdir turns EROFS/EACCES on a missing
 * intermediate directory into ENOENT, which would send the user looking for a typo.
 */
async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
    let parent = dir;
    while (!existsSync(dirname(parent)) && dirname(parent) !== parent) parent = dirname(parent);
    await mkdir(parent); // throws the errno of the first directory that cannot be created
    throw e;
  }
}

/** Appends "\n" unless the file is empty or already ends with one. */
async function terminateLastLine(path: string): Promise<void> {
  const fh = await openFile(path, 'r+');
  try {
    const { size } = await fh.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    if (last[0] !== 10) await fh.write('\n', size);
  } finally {
    await fh.close();
  }
}

function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export class LeaseStore {
  readonly dataDir: string;
  readonly dataFile: string;
  readonly openReport: OpenReport;
  /** The authoritative index; reading never touches the disk. */
  readonly view: LeaseView;

  private readonly index: LeaseIndex;
  private readonly db: Db;
  private readonly lock: HeldLock;
  private readonly now: () => number;
  private readonly warn: (m: string) => void;
  private readonly maxRecords: number;
  private readonly pruneSlack: number;
  private readonly compactMinLines: number;
  private readonly compactRatio: number;

  private pending = new Map<Ipv4, Lease | null>();
  private waiters: Waiter[] = [];
  private flushScheduled = false;
  private writing = false;
  /** The write loop's latest run (close() waits for it: it may be putting a compacted file in place). */
  private loop: Promise<void> | undefined;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closing: Promise<void> | null = null;
  private batchSeq: number;
  private fileLines: number;
  /** Documents in NeDB's memory (= lines after a compaction); undefined after a failed batch until recounted. */
  private nedbDocs: number | undefined;
  private pruneThreshold: number;
  private compactRetryAt = 0;
  /** A batch failed after NeDB may have changed its memory but not the file: no compaction until a batch succeeds. */
  private nedbAheadOfFile = false;
  /**
   * The datafile, held open (O_APPEND) for NeDB's appends and our fdatasync: one thread-pool trip
   * each instead of open + write/sync + close. Only a compaction replaces the file (new inode) and
   * only compact() runs one, so the handle is dropped there and reopened by path when next needed.
   */
  private syncHandle: FileHandle | undefined;
  /** While a batch runs its NeDB operations: the lines NeDB appended, written by writeBatch as one append. */
  private collected: string | undefined;
  /** NeDB's appends go through append() (routeAppendsThroughHandle found the NeDB it expects). */
  private appendsRouted = false;
  /** NeDB's memory, changed by applyDirect() (set when appends are routed and NeDB has the internals it uses). */
  private direct: NedbDirect | undefined;
  private opening: Promise<FileHandle> | undefined;
  /** A compaction writing its snapshot (see compaction.ts); batches go on meanwhile. */
  private compaction: Compaction | undefined;
  private compactionStartedAt = 0;
  private readonly st: LeaseStoreStats = {
    batches: 0, recordsWritten: 0, lastBatchSize: 0, maxBatchSize: 0, failedBatches: 0,
    syncs: 0, syncMsTotal: 0, syncMsMax: 0, lastSyncMs: 0, writeMsTotal: 0, pending: 0,
    compactions: 0, compactionMsTotal: 0, compacting: false, fileLines: 0, pruned: 0,
  };

  private constructor(args: {
    dataDir: string; dataFile: string; db: Db; lock: HeldLock; index: LeaseIndex; report: OpenReport;
    opts: LeaseStoreOptions; batchSeq: number; fileLines: number; docs: number; sharedDocs: boolean;
  }) {
    this.dataDir = args.dataDir;
    this.dataFile = args.dataFile;
    this.db = args.db;
    this.lock = args.lock;
    this.index = args.index;
    this.view = args.index;
    this.openReport = args.report;
    this.now = args.opts.now ?? Date.now;
    this.warn = args.opts.onWarning ?? (() => {});
    this.maxRecords = Math.max(1, Math.floor(args.opts.maxRecords ?? DEFAULT_MAX_RECORDS));
    // Prune a little below the limit so that the O(n log n) selection runs once per ~2 % of
    // growth rather than once per new record.
    this.pruneSlack = Math.max(1, Math.floor(this.maxRecords / 50));
    this.pruneThreshold = this.maxRecords;
    this.compactMinLines = args.opts.compaction?.minLines ?? DEFAULT_COMPACT_MIN_LINES;
    this.compactRatio = args.opts.compaction?.ratio ?? DEFAULT_COMPACT_RATIO;
    this.batchSeq = args.batchSeq;
    this.routeAppendsThroughHandle();
    this.direct = this.appendsRouted ? nedbDirect(this.db) : undefined;
    // canShareDocs() checked the same conditions; NeDB's own serializer would drop shared _ids.
    if (args.sharedDocs && !this.direct) throw new Error('NeDB holds records with a non-enumerable _id but its writes are not the store\'s');
    this.fileLines = args.fileLines;
    this.nedbDocs = args.docs;
    // NeDB emits compaction.done (nedb-promises re-emits it as compactionDone) after the
    // compacted file has been synced and renamed into place: the file is one line per document.
    (this.db as unknown as EventEmitter).on('compactionDone', () => {
      this.fileLines = this.liveDocs();
    });
  }

  /**
   * Opens (creating if needed) the lease table in `dataDir`: takes leases.lock, repairs what a
   * crash left behind, hands the repaired contents to NeDB (adoptReplay; NeDB's own load where that
   * does not apply), builds the index, and compacts the file if it has grown past the thresholds.
   */
  static async open(dataDir: string, opts: LeaseStoreOptions = {}): Promise<LeaseStore> {
    const t0 = performance.now();
    const dir = resolve(dataDir);
    const file = join(dir, DATA_FILE);
    const now = opts.now ?? Date.now;
    try {
      await makeDir(dir);
    } catch (e) {
      if (isNotWritable(e)) throw notWritableError(dir, 'directory', e);
      throw new LeaseStoreError('LOAD_FAILED', `Cannot create the data directory ${dir}: ${describeErrno(e)}. Choose another data directory (--data-dir).`, { path: dir, cause: e });
    }
    const messages: string[] = [];
    const lock = await acquireLock(join(dir, LOCK_FILE), (m) => messages.push(m));
    try {
      const repair = await LeaseStore.repairFile(file, now, messages);
      const db = Datastore.create({ filename: file, corruptAlertThreshold: 0 }) as unknown as Db;
      const analysis = repair.analysis;
      const replay = analysis?.docs ?? new Map<string, Record<string, unknown>>();
      // One frozen record per lease (cleanLease), made before NeDB's memory: where NeDB's memory is
      // the store's to change (canShareDocs), NeDB's document for a lease is that record itself.
      const share = !!analysis && analysis.indexLines === 0 && canShareDocs(db);
      const records: Lease[] = [];
      const nedbDocs: Array<Record<string, unknown>> = [];
      let batchSeq = 0;
      for (const [id, d] of replay) {
        if (id === BATCH_ID) batchSeq = typeof d.seq === 'number' ? d.seq : 0;
        if (id === META_ID || id === BATCH_ID) {
          nedbDocs.push(d);
          continue;
        }
        // Already the record (lease-file.ts); otherwise NeDB gets a document sharing its values
        // (NeDB never changes a stored document in place, an update replaces it).
        const rec = d as unknown as Lease;
        records.push(rec);
        nedbDocs.push((share ? rec : leaseToDoc(rec)) as unknown as Record<string, unknown>);
      }
      // NeDB's own load remains for a new file (it creates the file and syncs its directory entry)
      // and for a file with NeDB index lines, which the replay does not model.
      let adopted = false;
      try {
        if (analysis && analysis.indexLines === 0) adopted = await adoptReplay(db, nedbDocs);
        // Every line that could upset NeDB is gone, so a threshold of 0 makes any disagreement
        // between our reading and NeDB's loud instead of silently dropped.
        if (!adopted) await db.load();
      } catch (e) {
        if (isNotWritable(e)) throw notWritableError(dir, 'directory', e);
        throw new LeaseStoreError('LOAD_FAILED', `NeDB could not load ${file}: ${describeErrno(e)}. Move the file away to start with an empty lease table, and report this as a bug.`, { path: file, cause: e });
      }

      // The index is built from our own replay of the repaired file (every line already parsed and
      // validated) rather than from find({}), which deep-copies every document once more (~0.5 s
      // at 200k records here). The two readings must agree; a mismatch is a bug worth stopping for.
      const nedbCount = (db as unknown as NedbOriginal).getAllData().length;
      if (nedbCount !== replay.size) {
        throw new LeaseStoreError('LOAD_FAILED', `NeDB loaded ${nedbCount} documents from ${file} where ${replay.size} were expected. Keep a copy of the file and report this as a bug.`, { path: file });
      }
      const index = new LeaseIndex();
      let expiredAtLoad = 0;
      const nowMs = now();
      for (let lease of records) {
        if (lease.state === 'bound' && lease.expiresAt < nowMs) {
          // Memory only: the engine's sweep persists the transition; until then the file (and
          // NeDB's document, which may be the record just made) keeps saying "bound" and the next
          // load makes the same decision.
          lease = Object.freeze({ ...lease, state: 'expired' as const });
          expiredAtLoad++;
        }
        index.set(lease);
      }
      // NeDB's load leaves one line per document; an adopted file is as the repair left it.
      let fileLines = adopted ? analysis!.keptLines : nedbCount;
      let docs = nedbCount;
      if (!replay.has(META_ID)) {
        await db.insert({ _id: META_ID, format: LEASE_FILE_FORMAT, app: 'pocket-dhcp', createdAt: new Date(nowMs).toISOString() });
        await datasyncPath(file);
        fileLines++;
        docs++;
      }
      if (expiredAtLoad > 0) messages.push(`${expiredAtLoad} lease(s) had expired while the server was not running.`);

      const report: OpenReport = {
        dataDir: dir,
        dataFile: file,
        created: repair.created,
        records: index.size,
        expiredAtLoad,
        pruned: 0,
        torn: repair.analysis?.torn ?? null,
        uncommitted: repair.analysis?.uncommitted ?? null,
        quarantined: repair.quarantined,
        staleLock: lock.takenOverFrom,
        messages,
        loadMs: 0,
      };
      const store = new LeaseStore({ dataDir: dir, dataFile: file, db, lock, index, report, opts, batchSeq, fileLines, docs, sharedDocs: adopted && share });
      // What NeDB's load always did, now only when the file has grown past the hard threshold (the
      // one at which the write loop compacts even under load): it costs start-up time (~2 s at
      // 100k records here). Past the soft threshold only, the write loop compacts at the first
      // quiet moment instead.
      if (store.compactionDue() === 'hard') await store.compact();
      const pruned = store.maybePrune();
      if (pruned > 0) {
        await store.flush();
        report.pruned = pruned;
        report.records = index.size;
        messages.push(`Dropped ${pruned} old history record(s) to stay within ${store.maxRecords} records.`);
      }
      report.loadMs = Math.round(performance.now() - t0);
      return store;
    } catch (e) {
      await lock.release();
      if (e instanceof LeaseStoreError) throw e;
      if (isNotWritable(e)) throw notWritableError(dir, 'directory', e);
      throw new LeaseStoreError('LOAD_FAILED', `Could not open the lease file ${file}: ${describeErrno(e)}.${diskFullAdvice(e)}`, { path: file, cause: e });
    }
  }

  /** Cuts a torn tail and an unfinished batch, quarantines unreadable lines; refuses newer formats. */
  private static async repairFile(
    file: string,
    now: () => number,
    messages: string[],
  ): Promise<{ created: boolean; analysis: LeaseFileAnalysis | null; quarantined: OpenReport['quarantined'] }> {
    // NeDB's own recovery, done first so that we repair the file NeDB will load: a missing
    // datafile with a leftover "leases.db~" means a compaction was interrupted after the old
    // file was gone (NeDB renames the temp file into place in that case).
    if (!existsSync(file) && existsSync(`${file}~`)) await rename(`${file}~`, file);
    if (!existsSync(file)) return { created: true, analysis: null, quarantined: null };

    try {
      const fh = await openFile(file, 'r+');
      await fh.close();
    } catch (e) {
      if (isNotWritable(e)) throw notWritableError(file, 'file', e);
      throw e;
    }
    const buf = (await readLeaseFile(file)) ?? Buffer.alloc(0);
    const a = analyzeLeaseFile(buf);
    if (isNewerFormat(a)) {
      throw new LeaseStoreError(
        'NEWER_FORMAT',
        `The lease file ${file} was written by a newer version of Pocket DHCP (lease file format ${a.format}; this version reads format ${LEASE_FILE_FORMAT}). ` +
          `Update Pocket DHCP to use it, or move the file away to start this version with an empty lease table. The file was not changed.`,
        { path: file },
      );
    }
    if (!needsRepair(a)) return { created: false, analysis: a, quarantined: null };

    let quarantined: OpenReport['quarantined'] = null;
    try {
      // Every line that goes, bar a crash's cut append, is kept: unreadable lines and a damaged last line.
      const saved = a.tornComplete ? [...a.garbage, a.tornComplete] : a.garbage;
      if (saved.length > 0) {
        // Saved and synced *before* the datafile changes: a crash in between leaves the lines in
        // both places, never in neither.
        const qfile = `${file}.quarantine-${fileTimestamp(now())}`;
        const fh = await openFile(qfile, 'a', 0o644);
        try {
          await fh.writeFile(Buffer.concat(saved.flatMap((g) => [g.raw, Buffer.from('\n')])));
          await fh.datasync();
        } finally {
          await fh.close();
        }
        await fsyncDir(resolve(file, '..'));
        quarantined = { file: qfile, count: saved.length, lines: saved.map((g) => ({ line: g.line, reason: g.reason })) };
        const shown = saved.slice(0, 5).map((g) => `line ${g.line} (${g.reason})`).join(', ');
        messages.push(`Moved ${saved.length} unreadable line(s) of ${file} to ${qfile}: ${shown}${saved.length > 5 ? ', …' : ''}.`);
      }
      if (a.needsRewrite) {
        const tmp = `${file}.repair-tmp`;
        const kept = a.kept;
        const body = kept.length > 0 ? Buffer.concat(kept.flatMap((l) => [l, Buffer.from('\n')])) : Buffer.alloc(0);
        await writeFile(tmp, body, { mode: 0o644 });
        await datasyncPath(tmp);
        await rename(tmp, file);
        await fsyncDir(resolve(file, '..'));
      } else {
        await truncate(file, a.keepPrefixBytes);
        await datasyncPath(file);
      }
    } catch (e) {
      if (isNotWritable(e)) throw notWritableError(resolve(file, '..'), 'directory', e);
      throw new LeaseStoreError('LOAD_FAILED', `Could not repair ${file}: ${describeErrno(e)}. Check free disk space.`, { path: file, cause: e });
    }
    if (a.torn && a.tornComplete) messages.push(`Removed the unreadable last line (line ${a.torn.line}, ${a.torn.bytes} bytes) from ${file}; a copy is in ${quarantined?.file ?? 'the quarantine file'}.`);
    else if (a.torn) messages.push(`Cut off an incomplete last line (line ${a.torn.line}, ${a.torn.bytes} bytes) left by a crash during a write; it was never acknowledged to a client.`);
    if (a.uncommitted) messages.push(`Cut off ${a.uncommitted.lines} line(s) from line ${a.uncommitted.fromLine}: a batch that a crash interrupted before it completed; it was never acknowledged to a client.`);
    return { created: false, analysis: a, quarantined };
  }

  get size(): number {
    return this.index.size;
  }

  /** Every record (a fresh array; the records themselves are frozen). */
  all(): Lease[] {
    return [...this.index.values()];
  }

  /**
   * Puts the records into the index now and resolves once they are on disk (appended and
   * fdatasync'ed). Rejects — and leaves the index untouched — if any record is invalid or in state
   * `offered`; rejects with WRITE_FAILED if the batch could not be written (the records stay
   * queued and are written with the next batch).
   */
  apply(leases: readonly Lease[]): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new LeaseStoreError('CLOSED', `The lease store ${this.dataFile} is closed.`, { path: this.dataFile }));
    for (const l of leases) {
      const problem = leaseProblem(l);
      if (problem) {
        const ip = typeof (l as { ip?: unknown })?.ip === 'string' ? (l as Lease).ip : '?';
        return Promise.reject(new LeaseStoreError('INVALID_RECORD', `Refusing to persist the lease record for ${ip}: ${problem} (a programming error).`, { path: this.dataFile }));
      }
    }
    if (leases.length === 0) return Promise.resolve();
    for (const l of leases) {
      const rec = cleanLease(l);
      this.index.set(rec);
      this.pending.set(rec.ip, rec);
    }
    this.maybePrune();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule();
    return done;
  }

  /** Resolves when everything applied so far is durable. */
  flush(): Promise<void> {
    if (this.pending.size === 0 && !this.writing && !this.flushScheduled) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule();
    return done;
  }

  stats(): LeaseStoreStats {
    return { ...this.st, pending: this.pending.size, fileLines: this.fileLines, compacting: this.compaction !== undefined };
  }

  /** Flushes pending batches, then releases the lock. apply() is refused from now on. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.state = 'closing';
    this.closing = (async () => {
      let failure: unknown;
      try {
        await this.flush();
      } catch (e) {
        failure = e;
      }
      this.state = 'closed';
      await this.loop;
      await this.abandonCompaction();
      await this.dropSyncHandle();
      await this.lock.release();
      if (failure) throw failure;
    })();
    return this.closing;
  }

  // ---- group commit ---------------------------------------------------------------------------

  private schedule(): void {
    if (this.flushScheduled || this.writing || this.state === 'closed') return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: it runs after the poll phase, so every datagram delivered in
    // this loop iteration has been decided (and applied) before the batch is cut.
    setImmediate(() => {
      this.flushScheduled = false;
      this.loop = this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.waiters.length > 0 || this.compaction?.ready || this.compaction?.failed) {
        if (this.waiters.length === 0) {
          await this.settleCompaction();
          continue;
        }
        const entries = this.pending;
        const waiters = this.waiters;
        this.pending = new Map();
        this.waiters = [];
        if (entries.size === 0) {
          // A flush() barrier behind a batch that has completed meanwhile.
          for (const w of waiters) w.resolve();
          continue;
        }
        try {
          await this.writeBatch(entries);
        } catch (e) {
          // Keep the records: the next batch writes them again (newer versions win), so the
          // file converges to the index once the disk recovers.
          for (const [ip, l] of entries) if (!this.pending.has(ip)) this.pending.set(ip, l);
          this.nedbAheadOfFile = true;
          this.st.failedBatches++;
          const err = new LeaseStoreError(
            'WRITE_FAILED',
            `Could not write ${entries.size} lease record(s) to ${this.dataFile}: ${describeErrno(e)}. ` +
              (errnoCode(e) === 'ENOSPC' ? 'The disk is full: free some space.' : 'Check free disk space and permissions of the data directory.') +
              ' The affected clients were not acknowledged; the records are retried with the next batch.',
            { path: this.dataFile, cause: e },
          );
          for (const w of waiters) w.reject(err);
          // NeDB's memory may now be ahead of both files: the snapshot no longer matches what the
          // old file will replay to. Start again once a batch has succeeded.
          await this.abandonCompaction();
          continue;
        }
        this.nedbAheadOfFile = false;
        for (const w of waiters) w.resolve();
        if (this.compaction) await this.settleCompaction();
        else if (this.compactionDue()) await this.startCompaction();
      }
    } finally {
      this.writing = false;
      // An apply() from a continuation of a promise resolved above may have found `writing` set.
      if (this.waiters.length > 0) this.schedule();
    }
  }

  private async writeBatch(entries: Map<Ipv4, Lease | null>): Promise<void> {
    const ids: string[] = [...entries.keys(), BATCH_ID];
    const docs: Array<Record<string, unknown> & { _id: string }> = [];
    // applyDirect() lets NeDB hold the index's record itself; NeDB's own insert keeps a copy.
    for (const l of entries.values()) if (l) docs.push((this.direct ? asNedbDoc(l) : leaseToDoc(l)) as unknown as Record<string, unknown> & { _id: string });
    const seq = this.batchSeq + 1;
    docs.push({ _id: BATCH_ID, seq, at: Date.now(), records: entries.size });

    const t0 = performance.now();
    // A failed append can leave a fragment without its newline; the next append would be glued
    // onto it and that (acknowledged) line lost as garbage at load. End the fragment first.
    if (this.nedbAheadOfFile) await terminateLastLine(this.dataFile);
    // Order matters for recovery: deletions first, then the records with the marker last
    // (insert([array]) is one append). NeDB emits deletion lines only for ids it holds.
    const before = this.nedbDocs;
    this.nedbDocs = undefined; // unknown until both operations have succeeded
    let removed: number;
    let text: string;
    if (this.direct) {
      ({ removed, text } = applyDirect(this.direct, ids, docs));
    } else {
      // NeDB's two appends (deletion lines, then the records with the marker) are collected and
      // written as one append.
      this.collected = '';
      try {
        removed = await this.db.remove({ _id: { $in: ids } }, { multi: true });
        await this.db.insert(docs);
      } catch (e) {
        // What NeDB applied to its memory before failing goes to the file too (as its own append
        // would have), so that memory and file differ only as the retry expects.
        const partial = this.collected;
        this.collected = undefined;
        await this.append(partial).catch(() => undefined);
        throw e;
      }
      text = this.collected;
      this.collected = undefined;
    }
    await this.append(text);
    this.fileLines += removed + docs.length;
    if (before !== undefined) this.nedbDocs = before - removed + docs.length;
    const t1 = performance.now();
    await this.datasync();
    const t2 = performance.now();

    this.batchSeq = seq;
    const s = this.st;
    s.batches++;
    s.recordsWritten += entries.size;
    s.lastBatchSize = entries.size;
    s.maxBatchSize = Math.max(s.maxBatchSize, entries.size);
    s.writeMsTotal += t1 - t0;
    s.syncs++;
    s.lastSyncMs = t2 - t1;
    s.syncMsTotal += t2 - t1;
    s.syncMsMax = Math.max(s.syncMsMax, t2 - t1);
  }

  /** The held handle (see syncHandle), opened on first use. 'a': appends land at the end whatever the position. */
  private handle(): Promise<FileHandle> {
    if (this.syncHandle) return Promise.resolve(this.syncHandle);
    this.opening ??= openFile(this.dataFile, 'a').then(
      (h) => {
        this.syncHandle = h;
        this.opening = undefined;
        return h;
      },
      (e: unknown) => {
        this.opening = undefined;
        throw e;
      },
    );
    return this.opening;
  }

  /** fdatasync of the datafile through the held handle. */
  private async datasync(): Promise<void> {
    const h = await this.handle();
    try {
      await h.datasync();
    } catch (e) {
      await this.dropSyncHandle();
      throw e;
    }
  }

  private async dropSyncHandle(): Promise<void> {
    const h = this.syncHandle ?? (await this.opening?.catch(() => undefined));
    this.syncHandle = undefined;
    await h?.close().catch(() => undefined);
  }

  /**
   * NeDB appends every state change with fs.appendFile(path) — open, write, close: three trips
   * through libuv's thread pool, twice per batch, which on a busy machine made a batch take ~5 ms.
   * Its appends are routed through the held handle instead: the same lines (NeDB's format, one
   * JSON document per line; our documents are plain JSON, which NeDB's serialiser writes exactly as
   * JSON.stringify does), appended in one write. NeDB keeps its memory and its compaction. Left as
   * NeDB's own when this NeDB does not look as expected.
   */
  private routeAppendsThroughHandle(): void {
    const persistence = routablePersistence(this.db);
    if (!persistence) return;
    const after = typeof persistence.afterSerialization === 'function' ? persistence.afterSerialization : (x: string) => x;
    persistence.persistNewStateAsync = async (docs: unknown[]) => {
      let text = '';
      for (const d of docs) text += `${await after(docJson(d as object))}\n`;
      if (text.length === 0) return;
      if (this.collected !== undefined) this.collected += text;
      else await this.append(text);
    };
    this.appendsRouted = true;
  }

  /**
   * Appends `text` to the datafile through the held handle (written where NeDB would have written
   * it). The write itself is synchronous: it only copies a batch's lines (a few KB) into the page
   * cache, which takes microseconds, while a trip through libuv's thread pool costs ~40 µs of CPU
   * and a thread wake-up — per batch, which at moderate rates is nearly per ACK. Kea's memfile
   * writes its lease lines the same way. The fdatasync that makes the batch durable stays on the
   * thread pool (datasync()).
   */
  private async append(text: string): Promise<void> {
    if (text.length === 0) return;
    if (!this.appendsRouted) throw new Error('append() without routed NeDB appends');
    const h = await this.handle();
    try {
      writeAllSync(h.fd, text);
    } catch (e) {
      await this.dropSyncHandle();
      throw e;
    }
    this.compaction?.appended(text);
  }

  // ---- compaction and history ------------------------------------------------------------------

  private compactionDue(): 'soft' | 'hard' | null {
    if (this.nedbAheadOfFile) return null;
    if (this.fileLines <= this.compactMinLines || this.fileLines <= this.compactRetryAt) return null;
    const live = this.liveDocs();
    if (this.fileLines > 2 * this.compactRatio * live) return 'hard';
    return this.fileLines > this.compactRatio * live ? 'soft' : null;
  }

  /** getAllData() walks NeDB's whole tree, so the count is tracked per batch and recounted only after a failure. */
  private liveDocs(): number {
    if (this.nedbDocs === undefined) this.nedbDocs = (this.db as unknown as NedbOriginal).getAllData().length;
    return this.nedbDocs;
  }

  /**
   * Starts a compaction (compaction.ts): the snapshot is written in slices while batches go on;
   * settleCompaction() puts the new file in place between two batches. Called from the write loop
   * after a successful batch (paced: the server is serving), and at open (flat out).
   */
  private async startCompaction(paced = true): Promise<void> {
    if (!this.appendsRouted) return this.compactWithNedb();
    const nedb = this.db as unknown as NedbOriginal;
    // NeDB's compaction also declares every index but _id's (the replay of such a file is NeDB's own).
    const indexLines = Object.keys(nedb.indexes ?? {})
      .filter((f) => f !== '_id')
      .map((f) => {
        const ix = nedb.indexes[f]!;
        return JSON.stringify({ $$indexCreated: { fieldName: ix.fieldName, unique: ix.unique, sparse: ix.sparse } });
      });
    this.compactionStartedAt = performance.now();
    // Once the snapshot is on disk (or has failed), the write loop settles it between batches.
    this.compaction = new Compaction(this.dataFile, nedb.getAllData(), indexLines, () => this.schedule(), paced);
  }

  /** Between batches: a compaction whose snapshot is on disk replaces the datafile; a failed one is dropped. */
  private async settleCompaction(): Promise<void> {
    const c = this.compaction;
    if (!c || (!c.ready && !c.failed)) return;
    this.compaction = undefined;
    if (c.failed) {
      await c.abort();
      this.compactionFailed(c.failure);
      return;
    }
    let r: Awaited<ReturnType<Compaction['finish']>>;
    try {
      r = await c.finish();
    } catch (e) {
      this.compactionFailed(e);
      return;
    }
    // From now on appends and syncs go to the new file (its descriptor, already open).
    const old = this.syncHandle;
    this.syncHandle = r.handle;
    this.opening = undefined;
    await old?.close().catch(() => undefined);
    this.fileLines = r.lines;
    this.st.compactions++;
    this.st.compactionMsTotal += performance.now() - this.compactionStartedAt;
    if (r.dirSyncError !== undefined) {
      this.warn(`Compacted ${this.dataFile}, but could not sync its directory (${describeErrno(r.dirSyncError)}): a crash in the next moments could bring back the previous file. Check the disk.`);
    }
  }

  /** Drops a compaction in progress (a failed batch, close); the datafile is untouched. */
  private async abandonCompaction(): Promise<void> {
    const c = this.compaction;
    this.compaction = undefined;
    await c?.abort();
  }

  /** At open, past the hard threshold: the whole compaction before the store is used. */
  private async compact(): Promise<void> {
    await this.startCompaction(false);
    await this.compaction?.settled;
    await this.settleCompaction();
  }

  private compactionFailed(e: unknown): void {
    this.compactRetryAt = this.fileLines * 2;
    this.warn(`Compacting ${this.dataFile} failed (${describeErrno(e)}); leases are safe, the file just keeps growing until the next attempt. Check free disk space.`);
  }

  /**
   * NeDB's own compaction, for a NeDB whose appends could not be routed (routeAppendsThroughHandle):
   * it runs exclusively in NeDB's executor and replaces the file, so the held descriptor goes.
   */
  private async compactWithNedb(): Promise<void> {
    const t0 = performance.now();
    await this.dropSyncHandle();
    try {
      await new Promise<void>((resolve, reject) => {
        (this.db as unknown as NedbOriginal).compactDatafile((err) => (err ? reject(err) : resolve()));
      });
      this.st.compactions++;
      this.st.compactionMsTotal += performance.now() - t0;
    } catch (e) {
      this.compactionFailed(e);
    }
  }

  /**
   * Drops the oldest history when the index exceeds maxRecords: expired and released records and
   * declined ones whose quarantine is over go first (oldest lastSeen first); a declined address
   * still in quarantine goes only when nothing else is left; bound leases never. The deletions
   * join the current batch. Returns the number dropped.
   */
  private maybePrune(): number {
    if (this.index.size <= this.pruneThreshold) return 0;
    const now = this.now();
    const target = this.maxRecords - this.pruneSlack;
    const candidates: Lease[] = [];
    if (this.index.nonBoundCount > 0) for (const l of this.index.values()) if (l.state !== 'bound') candidates.push(l);
    const rank = (l: Lease) => (l.state === 'declined' && l.expiresAt > now ? 1 : 0);
    candidates.sort((a, b) => rank(a) - rank(b) || a.lastSeen - b.lastSeen);
    const drop = Math.min(candidates.length, this.index.size - target);
    for (let i = 0; i < drop; i++) {
      const ip = candidates[i]!.ip;
      this.index.delete(ip);
      this.pending.set(ip, null);
    }
    this.st.pruned += drop;
    // Nothing (or not enough) to drop: all bound. Try again only after some more growth, so a
    // table full of live leases does not cost a full scan per apply().
    this.pruneThreshold = this.index.size <= this.maxRecords ? this.maxRecords : this.index.size + this.pruneSlack;
    return drop;
  }
}
