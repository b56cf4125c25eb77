// LeaseStore.open's fast path (our replay of the file becomes NeDB's memory, no second parse and no
// rewrite at load), its fallback to NeDB's own load, compaction at open only past the hard
// threshold, and the held descriptor for fdatasync across compactions.
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAUSE_MS } from '../../../src-main/leases/compaction.js';
import { analyzeLeaseFile } from '../../../src-main/leases/lease-file.js';
import { DATA_FILE, LeaseStore } from '../../../src-main/leases/lease-store.js';
import { BATCH_ID, META_ID } from '../../../src-main/leases/lease-record.js';
import { T0, docLine, fileLines, mkLease, tempDir } from './fixtures.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function newDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function openStore(dir: string, opts: Parameters<typeof LeaseStore.open>[1] = {}): Promise<LeaseStore> {
  const s = await LeaseStore.open(dir, { now: () => T0, ...opts });
  cleanups.push(() => s.close().catch(() => {}));
  return s;
}

/** Compaction runs after the batch that made it due, once the store is idle: poll for it. */
async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for the store');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const META = JSON.stringify({ _id: META_ID, format: 1, app: 'pocket-dhcp', createdAt: new Date(T0).toISOString() });

/** Descriptors of leases.db this process has open (as /proc/self/fd shows them), with their open flags. */
function openDataFiles(dir: string): string[] {
  return openDataFds(dir).map((f) => f.path);
}

function openDataFds(dir: string): { path: string; append: boolean }[] {
  const out: { path: string; append: boolean }[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (!target.startsWith(join(dir, DATA_FILE))) continue;
      const flags = /flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0';
      out.push({ path: target, append: (parseInt(flags, 8) & 0o2000) !== 0 });
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

describe('LeaseStore.open: NeDB adopts our replay', () => {
  it('a reopened store writes, compacts and reopens with every record (NeDB memory = the file)', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply(Array.from({ length: 50 }, (_, i) => mkLease(i)));
    await s.apply(Array.from({ length: 10 }, (_, i) => mkLease(i, { lastSeen: T0 + 5, hostname: `renewed-${i}` })));
    await s.close();

    // Reopened through the fast path: nothing rewritten at load (the history lines are still there).
    const before = fileLines(join(dir, DATA_FILE)).length;
    const again = await openStore(dir, { compaction: { minLines: 20, ratio: 1.01 } });
    expect(fileLines(join(dir, DATA_FILE)).length).toBeGreaterThanOrEqual(before);
    expect(again.size).toBe(50);
    // A batch, then a compaction from NeDB's memory: had NeDB not been given the records, they
    // would vanish from the file here.
    await again.apply([mkLease(60)]);
    await waitFor(() => again.stats().compactions > 0);
    await again.apply([mkLease(61)]);
    await again.close();

    const third = await openStore(dir);
    expect(third.size).toBe(52);
    expect(third.view.byIp(mkLease(3).ip)!.hostname).toBe('renewed-3');
    expect(third.view.byIp(mkLease(40).ip)).toBeDefined();
    // Only live documents in the compacted file (plus what was appended after it).
    expect(fileLines(join(dir, DATA_FILE)).length).toBeLessThan(52 + 10);
  });

  it('deletions and the last version per address are replayed as NeDB would', async () => {
    const dir = newDir();
    const [a, b, c] = [mkLease(1), mkLease(2), mkLease(3)];
    writeFileSync(
      join(dir, DATA_FILE),
      [META, docLine(a), docLine(b), JSON.stringify({ $$deleted: true, _id: a.ip }), docLine({ ...a, hostname: 'v2' }), JSON.stringify({ $$deleted: true, _id: b.ip }), docLine(c), JSON.stringify({ _id: BATCH_ID, seq: 7 })].join('\n') + '\n',
    );
    const s = await openStore(dir);
    expect(s.size).toBe(2);
    expect(s.view.byIp(a.ip)!.hostname).toBe('v2');
    expect(s.view.byIp(b.ip)).toBeUndefined();
    // NeDB holds the same: a new record for b's address inserts without a unique-key clash, and c
    // can be replaced (NeDB knows it, so the batch deletes it first).
    await s.apply([mkLease(2, { hostname: 'back' }), mkLease(3, { hostname: 'c2' })]);
    await s.close();
    const again = await openStore(dir);
    expect(again.view.byIp(b.ip)!.hostname).toBe('back');
    expect(again.view.byIp(c.ip)!.hostname).toBe('c2');
    expect(again.size).toBe(3);
  });

  it('a file with NeDB index lines is loaded by NeDB itself', async () => {
    const dir = newDir();
    writeFileSync(join(dir, DATA_FILE), [META, JSON.stringify({ $$indexCreated: { fieldName: 'mac', unique: false, sparse: false } }), docLine(mkLease(1)), docLine(mkLease(2))].join('\n') + '\n');
    const s = await openStore(dir);
    expect(s.size).toBe(2);
    await s.apply([mkLease(3)]);
    await s.close();
    expect((await openStore(dir)).size).toBe(3);
  });
});

describe('LeaseStore.open: compaction at open', () => {
  /** meta + `live` records each superseded `versions - 1` times (deletion + new line). */
  function grownFile(dir: string, live: number, versions: number): number {
    const lines = [META];
    for (let v = 0; v < versions; v++) {
      for (let i = 0; i < live; i++) {
        if (v > 0) lines.push(JSON.stringify({ $$deleted: true, _id: mkLease(i).ip }));
        lines.push(docLine(mkLease(i, { lastSeen: T0 + v })));
      }
      // Each version is a completed batch (else the last deletions would be cut as unfinished).
      if (v > 0) lines.push(JSON.stringify({ $$deleted: true, _id: BATCH_ID }));
      lines.push(JSON.stringify({ _id: BATCH_ID, seq: v + 1 }));
    }
    writeFileSync(join(dir, DATA_FILE), lines.join('\n') + '\n');
    return lines.length;
  }

  it('compacts at open past the hard threshold (more than 2 × ratio lines per record)', async () => {
    const dir = newDir();
    grownFile(dir, 20, 4); // 1 + 21 + 3 × 42 = 148 lines for 22 documents (meta, marker)
    const s = await openStore(dir, { compaction: { minLines: 50, ratio: 2 } });
    expect(s.stats().compactions).toBe(1);
    expect(fileLines(join(dir, DATA_FILE)).length).toBe(22);
    expect(s.stats().fileLines).toBe(22);
    expect(s.view.byIp(mkLease(5).ip)!.lastSeen).toBe(T0 + 3);
  });

  it('the compaction at open runs flat out: no pause between its slices (nothing is served yet)', async () => {
    const dir = newDir();
    grownFile(dir, 10_000, 2); // ~30k lines for 10,002 documents: past the hard threshold at ratio 0.5
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const s = await openStore(dir, { compaction: { minLines: 50, ratio: 0.5 } });
      expect(s.stats().compactions).toBe(1);
      expect(s.stats().fileLines).toBe(10_002);
      // 10k documents take several 2 ms slices; paced, each would be followed by setTimeout(PAUSE_MS).
      expect(spy.mock.calls.filter((c) => c[1] === PAUSE_MS)).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves a file past the soft threshold only as it is (the write loop compacts it when idle)', async () => {
    const dir = newDir();
    const n = grownFile(dir, 20, 2); // 1 + 21 + 42 = 64 lines for 22 documents: soft
    const s = await openStore(dir, { compaction: { minLines: 50, ratio: 2 } });
    expect(s.stats().compactions).toBe(0);
    expect(s.stats().fileLines).toBe(n);
    await s.apply([mkLease(30)]);
    await waitFor(() => s.stats().compactions === 1);
    expect(analyzeLeaseFile(Buffer.from(fileLines(join(dir, DATA_FILE)).join('\n') + '\n')).docs.size).toBe(1 + 20 + 1 + 1);
  });
});

describe('LeaseStore: appends and fdatasync through a held descriptor', () => {
  it('after a compaction replaced the file, the descriptor follows the new file', async () => {
    const dir = newDir();
    const s = await openStore(dir, { compaction: { minLines: 30, ratio: 1.5 } });
    for (let round = 0; round < 8; round++) {
      await s.apply(Array.from({ length: 10 }, (_, i) => mkLease(i, { lastSeen: T0 + round })));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(s.stats().compactions).toBeGreaterThan(0);
    await s.apply([mkLease(99)]);
    const held = openDataFds(dir);
    // One descriptor, on the current file, opened for appending: NeDB's appends go through it too.
    expect(held.length).toBe(1);
    expect(held[0]!.path).not.toContain('(deleted)');
    expect(held[0]!.append).toBe(true);
    await s.close();
    expect(openDataFiles(dir)).toEqual([]);
  });
});

describe('analyzeLeaseFile: counts for the store', () => {
  it('keptLines and indexLines, and kept made on demand', () => {
    const text = [META, JSON.stringify({ $$indexCreated: { fieldName: 'mac' } }), docLine(mkLease(1)), '', docLine(mkLease(2))].join('\n') + '\n';
    const a = analyzeLeaseFile(Buffer.from(text));
    expect(a.keptLines).toBe(4);
    expect(a.indexLines).toBe(1);
    expect(a.kept.map((b) => b.toString())).toEqual([META, JSON.stringify({ $$indexCreated: { fieldName: 'mac' } }), docLine(mkLease(1)), docLine(mkLease(2))]);
  });
});

describe('LeaseStore: batches change NeDB memory directly (applyDirect)', () => {
  it('NeDB memory after new, changed and dropped records equals what NeDB itself reads from the file, and the index', async () => {
    const dir = newDir();
    const s = await openStore(dir, { maxRecords: 30 });
    const nedbMemory = (): Array<Record<string, unknown>> =>
      // (`_id` spelled out: on the index's own records, which NeDB holds, it is not enumerable.)
      ((s as unknown as { db: { __original: { getAllData(): Array<Record<string, unknown>> } } }).db.__original.getAllData()).map((d) => ({ _id: d._id, ...d }));
    await s.apply(Array.from({ length: 20 }, (_, i) => mkLease(i)));
    await s.apply([mkLease(3, { hostname: 'changed', paramRequest: [1, 3, 6] }), mkLease(4, { state: 'released' })]);
    // Past maxRecords (30): the oldest released record (4) is dropped from the history — a
    // deletion without a new version.
    await s.apply(Array.from({ length: 11 }, (_, i) => mkLease(100 + i, { lastSeen: T0 + 10 })));
    expect(s.view.byIp(mkLease(4).ip)).toBeUndefined();
    await s.flush();

    const byId = (docs: Array<Record<string, unknown>>) => new Map(docs.map((d) => [d._id as string, d]));
    const mine = byId(nedbMemory());
    // NeDB's own reading of the file (a separate datastore on a copy, NeDB's loader and rules).
    const copy = join(newDir(), 'copy.db');
    writeFileSync(copy, readFileSync(join(dir, DATA_FILE)));
    const Datastore = (await import('nedb-promises')).default;
    const other = Datastore.create({ filename: copy, corruptAlertThreshold: 0 });
    await other.load();
    const theirs = byId((await other.find({})) as Array<Record<string, unknown>>);
    expect(mine.size).toBe(theirs.size);
    for (const [id, d] of theirs) expect(mine.get(id), id).toEqual(d);
    expect(mine.has(mkLease(4).ip)).toBe(false);
    expect(mine.get(mkLease(3).ip)).toMatchObject({ hostname: 'changed', paramRequest: [1, 3, 6] });
    expect(mine.get(BATCH_ID)).toMatchObject({ seq: 3 });
    // And the index, the server's view, holds the same leases.
    for (const l of s.all()) expect(mine.get(l.ip), l.ip).toMatchObject({ ...l });
    expect(s.size).toBe(mine.size - 2); // + meta and batch marker
  });
});

describe('LeaseStore: one object per lease for the index and NeDB', () => {
  const nedbDoc = (s: LeaseStore, ip: string): unknown =>
    (s as unknown as { db: { __original: { indexes: { _id: { getMatching(k: string): unknown[] } } } } }).db.__original.indexes._id.getMatching(ip)[0];

  it('after open and after a batch, NeDB\'s document for a lease is the index record, whose _id no copy or serialization shows', async () => {
    const dir = newDir();
    const first = await openStore(dir);
    await first.apply(Array.from({ length: 20 }, (_, i) => mkLease(i, { hostname: `h${i}` })));
    await first.close();
    const s = await openStore(dir);
    const fromFile = s.view.byIp(mkLease(3).ip)!;
    expect(nedbDoc(s, fromFile.ip)).toBe(fromFile);
    await s.apply([mkLease(3, { hostname: 'renamed' }), mkLease(50)]);
    for (const ip of [mkLease(3).ip, mkLease(50).ip]) expect(nedbDoc(s, ip)).toBe(s.view.byIp(ip));
    const rec = s.view.byIp(mkLease(3).ip)!;
    expect((rec as unknown as { _id: string })._id).toBe(rec.ip);
    expect(Object.keys(rec)).not.toContain('_id');
    expect(JSON.parse(JSON.stringify(rec))).not.toHaveProperty('_id');
    expect({ ...rec }).not.toHaveProperty('_id');
    expect(structuredClone(rec)).not.toHaveProperty('_id');
    expect(rec).toEqual(mkLease(3, { hostname: 'renamed' }));
    // The file has the _id of every line (the next open reads all 21 leases back).
    await s.flush();
    const lines = readFileSync(join(dir, DATA_FILE), 'utf8').split('\n').filter((l) => l.includes('"mac"'));
    for (const l of lines) expect(JSON.parse(l)._id).toBe(JSON.parse(l).ip);
  });

  it('a lease expired at load: the index says expired, NeDB keeps the file\'s "bound" document', async () => {
    const dir = newDir();
    const first = await openStore(dir);
    await first.apply([mkLease(1, { expiresAt: T0 + 1000 })]);
    await first.close();
    const s = await openStore(dir, { now: () => T0 + 5000 });
    expect(s.view.byIp(mkLease(1).ip)?.state).toBe('expired');
    expect(nedbDoc(s, mkLease(1).ip)).toMatchObject({ state: 'bound' });
  });

  it('a compaction (ours, from NeDB\'s shared documents) writes every _id: the compacted file reopens with every lease', async () => {
    const dir = newDir();
    const s = await openStore(dir, { compaction: { minLines: 50, ratio: 2 } });
    for (let round = 0; round < 6; round++) await s.apply(Array.from({ length: 30 }, (_, i) => mkLease(i, { lastSeen: T0 + round })));
    await waitFor(() => s.stats().compactions > 0 && !s.stats().compacting);
    await s.close();
    const lines = readFileSync(join(dir, DATA_FILE), 'utf8').split('\n').filter((l) => l !== '');
    for (const l of lines) expect(typeof JSON.parse(l)._id).toBe('string');
    const again = await openStore(dir);
    expect(again.size).toBe(30);
    expect(again.openReport.quarantined).toBeNull();
    expect(again.view.byIp(mkLease(7).ip)?.lastSeen).toBe(T0 + 5);
  });

  it('a NeDB without the internals applyDirect uses: NeDB keeps its own document copies, and the store still loads, writes, compacts and reopens', async () => {
    const { createRequire } = await import('node:module');
    const Nedb = createRequire(import.meta.url)('@seald-io/nedb') as { prototype: Record<string, unknown> };
    const saved = Nedb.prototype._updateIndexes;
    const dir = newDir();
    const first = await openStore(dir);
    await first.apply(Array.from({ length: 40 }, (_, i) => mkLease(i)));
    await first.close();
    Nedb.prototype._updateIndexes = undefined;
    try {
      const s = await openStore(dir, { compaction: { minLines: 50, ratio: 2 } });
      const doc = nedbDoc(s, mkLease(5).ip) as Record<string, unknown>;
      expect(doc).not.toBe(s.view.byIp(mkLease(5).ip));
      expect(Object.keys(doc)).toContain('_id');
      for (let round = 0; round < 4; round++) await s.apply(Array.from({ length: 40 }, (_, i) => mkLease(i, { lastSeen: T0 + round })));
      await waitFor(() => s.stats().compactions > 0 && !s.stats().compacting);
      await s.close();
    } finally {
      Nedb.prototype._updateIndexes = saved;
    }
    const again = await openStore(dir);
    expect(again.size).toBe(40);
    expect(again.view.byIp(mkLease(9).ip)?.lastSeen).toBe(T0 + 3);
    expect(again.openReport.quarantined).toBeNull();
  });
});
