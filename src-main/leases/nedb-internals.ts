// The NeDB internals the lease store reaches into (@seald-io/nedb 4.x behind nedb-promises), each
// behind a guard: when this NeDB does not look as expected, the caller falls back to NeDB's public
// API (load(), remove() + insert(), its own appends and compaction), which is slower but correct.
//   adoptReplay      our replay of the datafile becomes NeDB's memory (no second parse, no rewrite)
//   applyDirect      one batch into NeDB's memory with the lines remove() + insert() would write
//   routablePersistence / canShareDocs   who writes NeDB's memory to the file, and so whether
//                    NeDB may hold the index's own records (their _id is not enumerable)
// The _id tree itself is built by nedb-id-index.ts.
import type Datastore from 'nedb-promises';
import { docJson } from './lease-record.js';
import { resetIndexes } from './nedb-id-index.js';

export type Db = Datastore<Record<string, unknown> & { _id: string }>;

/** The parts of @seald-io/nedb reached through nedb-promises' proxy that its typings omit. */
export interface NedbOriginal {
  compactDatafile(callback: (err: Error | null) => void): void;
  getAllData(): unknown[];
  indexes: Record<string, { fieldName: string; unique?: boolean; sparse?: boolean }>;
}

/** NeDB's persistence object (@seald-io/nedb 4.x), for LeaseStore.routeAppendsThroughHandle(). */
export interface NedbPersistence {
  inMemoryOnly?: boolean;
  afterSerialization?: (s: string) => string | Promise<string>;
  persistNewStateAsync(docs: unknown[]): Promise<void>;
}

/** NeDB internals that loadDatabase() itself uses (@seald-io/nedb 4.x), for adoptReplay(). */
interface NedbInternals {
  executor: { pushAsync(task: () => Promise<void>, forceQueuing: boolean): Promise<void>; processBuffer(): void };
  /** What _resetIndexes(docs) goes through: index.reset(docs) for each. */
  indexes: Record<string, { reset(docs?: unknown[]): void }>;
}

/**
 * Makes our replay of the datafile NeDB's memory, the state NeDB's loadDatabase() ends in, without
 * NeDB reading the file again. NeDB's own load parses every line once more (a promise per line)
 * and then rewrites the whole file (its compaction at load): ~5 s for 100,000 leases on the
 * project's machine, against ~0.5 s for the whole open() this way. The replay follows NeDB's rules
 * (last line per _id wins, a deletion line removes), and open() cross-checks the document count.
 * Returns false — and the caller falls back to db.load() — if this NeDB does not look as expected.
 */
export async function adoptReplay(db: Db, docs: Array<Record<string, unknown>>): Promise<boolean> {
  const wrapper = db as unknown as { __original?: Partial<NedbInternals>; __loaded?: unknown };
  const nedb = wrapper.__original;
  if (!nedb || typeof nedb.indexes !== 'object' || !Object.values(nedb.indexes).every((ix) => typeof ix?.reset === 'function') || typeof nedb.executor?.pushAsync !== 'function' || typeof nedb.executor.processBuffer !== 'function') return false;
  // nedb-promises loads lazily before every operation unless its load() promise exists: without
  // this, NeDB's own load (and its rewrite of the file) would run at the first batch.
  // (Read through nedb-promises' proxy, the unset property comes back as undefined rather than null.)
  if (!('__loaded' in wrapper) || wrapper.__loaded) return false;
  const internals = nedb as NedbInternals;
  // Queued the way loadDatabase() queues itself (forced, before the executor is ready); the task
  // marks the executor ready, which releases anything queued meanwhile.
  const loaded = internals.executor.pushAsync(async () => {
    // _resetIndexes() with the _id tree built from sorted keys (nedb-id-index.ts): ~20 % of open().
    resetIndexes(internals.indexes, docs);
    internals.executor.processBuffer();
  }, true);
  wrapper.__loaded = loaded;
  await loaded;
  return true;
}

/**
 * The parts of NeDB's datastore (@seald-io/nedb 4.x) that its remove() and insert() use to change
 * its memory, for applyDirect().
 */
export interface NedbDirect {
  indexes: { _id: { getMatching(value: string): unknown[] } };
  _addToIndexes(doc: unknown): void;
  _removeFromIndexes(doc: unknown): void;
  _updateIndexes(oldDoc: unknown, newDoc: unknown): void;
}

/** NeDB's persistence object when its appends can be routed through the store's handle. */
export function routablePersistence(db: Db): NedbPersistence | undefined {
  const persistence = (db as unknown as { __original?: { persistence?: NedbPersistence } }).__original?.persistence;
  if (!persistence || typeof persistence.persistNewStateAsync !== 'function' || persistence.inMemoryOnly) return undefined;
  return persistence;
}

/**
 * Whether NeDB's documents can be the index's own records (cleanLease, `_id` non-enumerable):
 * only when every write of NeDB's memory to the file is ours — appends routed, batches applied
 * by applyDirect(), compaction by compaction.ts — and so serializes with docJson(). NeDB's own
 * serializer (its compaction, the fallback of a NeDB that does not look as expected) would drop
 * such an `_id`.
 */
export function canShareDocs(db: Db): boolean {
  return routablePersistence(db) !== undefined && nedbDirect(db) !== undefined;
}

export function nedbDirect(db: Db): NedbDirect | undefined {
  const n = (db as unknown as { __original?: Partial<NedbDirect> }).__original;
  if (!n || typeof n._addToIndexes !== 'function' || typeof n._removeFromIndexes !== 'function' || typeof n._updateIndexes !== 'function') return undefined;
  if (typeof n.indexes?._id?.getMatching !== 'function') return undefined;
  return n as NedbDirect;
}

/**
 * One batch into NeDB's memory, with the lines NeDB's remove({_id: {$in: ids}}) + insert(docs)
 * would append (the deletion lines first, then the documents, the marker last). It does what those
 * two calls do, minus what costs without serving us: the query matching, NeDB's deep copy and
 * key check of every document (ours are fresh plain JSON objects that nothing changes later), and
 * two trips through NeDB's promise executor — ~10 % of the server's CPU per DORA in the profile at
 * 2,500/s. NeDB then holds the document it is given: the index's own record where canShareDocs(). Only the store's write loop changes NeDB (one batch at a time), so bypassing NeDB's
 * executor changes no ordering.
 */
export function applyDirect(n: NedbDirect, ids: readonly string[], docs: ReadonlyArray<{ _id: string }>): { removed: number; text: string } {
  const replaced = new Map<string, unknown>();
  let text = '';
  for (const id of ids) {
    const old = n.indexes._id.getMatching(id)[0];
    if (old === undefined) continue;
    replaced.set(id, old);
    text += `{"$$deleted":true,"_id":${JSON.stringify(id)}}\n`;
  }
  const removed = replaced.size;
  for (const d of docs) text += `${docJson(d)}\n`;
  for (const d of docs) {
    const old = replaced.get(d._id);
    if (old === undefined) {
      n._addToIndexes(d);
    } else {
      n._updateIndexes(old, d);
      replaced.delete(d._id);
    }
  }
  // Deleted without a new version (records dropped from the history).
  for (const old of replaced.values()) n._removeFromIndexes(old);
  return { removed, text };
}
