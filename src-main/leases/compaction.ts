// Compaction of leases.db without stopping the server.
//
// NeDB's own compaction (persistCachedDatabase) serializes every document in one synchronous loop
// and holds NeDB's executor until the new file is in place: ~7 µs per document here, so 130–170 ms
// with 20k leases and most of a second at 100k, during which no DHCP packet is answered (it showed
// as 100–400 ms stalls in the latency benchmark). This writes the same file — one JSON line per
// live document, as NeDB's compaction does — in slices:
//
//   1. snapshot  NeDB's documents at one moment (NeDB replaces a document on update, never changes
//                it in place, so the array of references stays that moment's state);
//   2. write     the snapshot to `leases.db~` a slice at a time (a few ms of serializing, then an
//                asynchronous write), so packets are answered between slices; batches go on being
//                appended to `leases.db` as usual and the same lines are kept as the *tail*;
//   3. finish    between two batches (the store's write loop, so no batch is half-written): append
//                the tail, fdatasync, rename over `leases.db`, fsync the directory. The new file's
//                descriptor becomes the store's append descriptor.
//
// Crash safety is NeDB's (crashSafeWriteFileLines): until the rename `leases.db` is complete and
// synced, and `leases.db~` is ignored while `leases.db` exists; after it, the new file holds the
// snapshot plus every batch appended since, each already acknowledged only after its own sync.
import { open as openFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, writeAllSync } from './fsync.js';
import { docJson } from './lease-record.js';

/** Serializing time per slice before the event loop gets a turn (ms). */
const SLICE_MS = 2;
/**
 * Pause after each slice while the server is serving (ms): the compaction then takes at most a
 * fifth of the CPU (one slice per 10 ms) and never competes with a burst of clients for the rest —
 * at 2,500 DORA/s back-to-back slices took half the CPU and let a backlog build. 100k leases then
 * compact in about a second instead of ~0.2 s of CPU all at once.
 */
export const PAUSE_MS = 8;

export interface CompactionResult {
  /** The new datafile, open for appending (O_APPEND). */
  handle: FileHandle;
  /** Lines in the new datafile. */
  lines: number;
  /** The directory could not be synced after the rename (the store warns: a crash may undo the rename). */
  dirSyncError?: unknown;
}

export class Compaction {
  /** The snapshot has been written and synced: finish() may run. */
  ready = false;
  /** The snapshot could not be written (the compaction is then abandoned); `failure` says why. */
  failed = false;
  failure: unknown;
  private readonly tmp: string;
  private handle: FileHandle | undefined;
  private tail: string[] = [];
  private tailLines = 0;
  private snapshotLines = 0;
  private aborted = false;
  private readonly writing: Promise<void>;
  /** Resolves (never rejects) once the snapshot is on disk or has failed. */
  readonly settled: Promise<void>;

  /**
   * Starts writing `docs` (and `extraLines`, e.g. NeDB index declarations) to `${dataFile}~`.
   * `onReady` is called once the snapshot is on disk, or once it has failed (see failure).
   * `paced`: pause between slices (while serving); at open the compaction runs flat out.
   */
  constructor(
    private readonly dataFile: string,
    docs: readonly unknown[],
    extraLines: readonly string[],
    onReady: () => void,
    paced = true,
  ) {
    this.tmp = `${dataFile}~`;
    this.writing = this.writeSnapshot(docs, extraLines, paced).then(
      () => {
        if (!this.aborted) this.ready = true;
      },
      (e: unknown) => {
        this.failed = true;
        this.failure = e;
      },
    );
    this.settled = this.writing.then(() => {
      if (!this.aborted) onReady();
    });
  }

  /** Lines a batch appended to the old file since the snapshot: they go to the new file too. */
  appended(text: string): void {
    this.tail.push(text);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.tailLines++;
  }

  private async writeSnapshot(docs: readonly unknown[], extraLines: readonly string[], paced: boolean): Promise<void> {
    // A leftover from an interrupted compaction is stale (leases.db exists): start afresh.
    await unlink(this.tmp).catch(() => undefined);
    this.handle = await openFile(this.tmp, 'a', 0o644);
    let i = 0;
    while (i < docs.length) {
      if (this.aborted) return;
      const until = performance.now() + SLICE_MS;
      let text = '';
      do {
        text += `${docJson(docs[i++] as object)}\n`;
      } while (i < docs.length && ((i & 63) !== 0 || performance.now() < until));
      await this.handle.write(text);
      if (paced && i < docs.length) await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    if (extraLines.length > 0) await this.handle.write(extraLines.map((l) => `${l}\n`).join(''));
    this.snapshotLines = docs.length + extraLines.length;
    await this.handle.datasync();
  }

  /**
   * Appends the tail, syncs and renames the new file over the datafile. Call only between batches
   * and only when `ready`. Throws (after abandoning the new file) if any step fails; the old file
   * is then still the datafile and complete.
   */
  async finish(): Promise<CompactionResult> {
    const h = this.handle!;
    try {
      const text = this.tail.join('');
      this.tail = [];
      if (text.length > 0) writeAllSync(h.fd, text);
      await h.datasync();
      await rename(this.tmp, this.dataFile);
    } catch (e) {
      await this.abort();
      throw e;
    }
    this.handle = undefined;
    // The rename is durable once the directory is synced (a crash before that may bring back the
    // old name, without the batches appended to the new file from now on).
    let dirSyncError: unknown;
    await fsyncDir(dirname(this.dataFile)).catch((e: unknown) => (dirSyncError = e));
    return { handle: h, lines: this.snapshotLines + this.tailLines, dirSyncError };
  }

  /** Stops writing and removes the new file; the datafile is untouched. */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.writing.catch(() => undefined);
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}
