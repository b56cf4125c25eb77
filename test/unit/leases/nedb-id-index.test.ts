// NeDB's _id index built from sorted keys (src-main/leases/nedb-id-index.ts) against NeDB's own
// one-by-one build: the same documents in the same order, a valid AVL tree by the tree library's
// own check, and NeDB's later inserts and removals working on it. Plus LeaseStore.open(), which
// uses it, leaving NeDB a valid tree that finds every lease.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIdIndex, resetIndexes } from '../../../src-main/leases/nedb-id-index.js';
import { LeaseStore } from '../../../src-main/leases/lease-store.js';
import { T0, mkLease, tempDir } from './fixtures.js';

const require = createRequire(import.meta.url);
const model = require('@seald-io/nedb/lib/model.js') as { compareThings(a: unknown, b: unknown): number };

interface AvlNode {
  key?: unknown;
  data: unknown[];
  left: AvlNode | null;
  right: AvlNode | null;
  parent: AvlNode | null;
  height?: number;
  checkIsAVLT(): void;
}
interface NedbIndex {
  fieldName: string;
  tree: { tree: AvlNode };
  reset(docs?: unknown[]): void;
  insert(doc: unknown): void;
  remove(doc: unknown): void;
  getMatching(key: unknown): unknown[];
  getAll(): unknown[];
}
const Index = require('@seald-io/nedb/lib/indexes.js') as new (o: { fieldName: string; unique?: boolean; sparse?: boolean }) => NedbIndex;

type Doc = { _id: string; n: number };

/** Deterministic pseudo-random IPs and odd keys (control ids, a short and a long string). */
function docs(count: number, seed = 1): Doc[] {
  let x = seed;
  // An LCG's low bits repeat quickly: take the high byte.
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  const ids = new Set<string>(['__meta__', '__batch__', '', 'z'.repeat(40)]);
  while (ids.size < count) ids.add(`198.${18 + (rnd() & 1)}.${rnd() & 255}.${rnd() & 255}`);
  return [...ids].slice(0, count).map((id, n) => ({ _id: id, n }));
}

/** Every node's parent pointer and every node's data as NeDB's insert would leave them. */
function checkNodes(root: AvlNode): number {
  let count = 0;
  const walk = (n: AvlNode | null, parent: AvlNode | null) => {
    if (!n) return;
    expect(n.parent).toBe(parent);
    expect(n.data).toHaveLength(1);
    expect((n.data[0] as Doc)._id).toBe(n.key);
    count++;
    walk(n.left, n);
    walk(n.right, n);
  };
  walk(root, null);
  return count;
}

function pair(list: Doc[]): { ours: NedbIndex; theirs: NedbIndex } {
  const ours = new Index({ fieldName: '_id', unique: true });
  const theirs = new Index({ fieldName: '_id', unique: true });
  expect(buildIdIndex(ours, list)).toBe(true);
  theirs.reset(list);
  return { ours, theirs };
}

describe('buildIdIndex: NeDB\'s _id tree from sorted keys', () => {
  for (const count of [0, 1, 2, 3, 7, 100, 5000]) {
    it(`${count} documents: same order as NeDB's own build, a valid AVL tree, every key found`, () => {
      const list = docs(count, count + 1);
      const { ours, theirs } = pair(list);
      ours.tree.tree.checkIsAVLT();
      expect(ours.getAll()).toEqual(theirs.getAll());
      expect(ours.getAll().map((d) => (d as Doc)._id)).toEqual([...list].map((d) => d._id).sort((a, b) => model.compareThings(a, b)));
      for (const d of list) expect(ours.getMatching(d._id)[0]).toBe(d);
      expect(ours.getMatching('198.20.0.1')).toEqual([]);
      if (count > 0) expect(checkNodes(ours.tree.tree)).toBe(count);
      // Balanced: height ⌈log2(n+1)⌉ (NeDB's own insertions may end a level higher).
      if (count > 0) expect(ours.tree.tree.height).toBe(Math.ceil(Math.log2(count + 1)));
    });
  }

  it('NeDB\'s own insert, remove and unique check keep working on the built tree', () => {
    const list = docs(2000, 7);
    const { ours, theirs } = pair(list);
    const extra = docs(3000, 99).filter((d) => !list.some((l) => l._id === d._id)).slice(0, 500);
    for (let i = 0; i < extra.length; i++) {
      ours.insert(extra[i]);
      theirs.insert(extra[i]);
      ours.remove(list[i * 3]);
      theirs.remove(list[i * 3]);
    }
    ours.tree.tree.checkIsAVLT();
    expect(ours.getAll()).toEqual(theirs.getAll());
    expect(() => ours.insert({ _id: list[1]!._id, n: -1 })).toThrow(/unique constraint/);
  });

  it('refuses, and leaves the index as it was, when its assumptions do not hold', () => {
    const ix = new Index({ fieldName: '_id', unique: true });
    ix.reset([{ _id: 'a', n: 0 }]);
    const before = ix.tree;
    expect(buildIdIndex(ix, [{ _id: 'x', n: 0 }, { _id: 'x', n: 1 }])).toBe(false); // duplicate _id
    expect(buildIdIndex(ix, [{ _id: 1 as unknown as string, n: 0 }])).toBe(false); // not a string
    expect(buildIdIndex(new Index({ fieldName: 'mac' }), docs(3))).toBe(false); // another index
    expect(buildIdIndex(new Index({ fieldName: '_id' }), docs(3))).toBe(false); // not unique
    expect(buildIdIndex({ fieldName: '_id', unique: true }, docs(3))).toBe(false); // not NeDB's
    expect(ix.tree).toBe(before);
  });

  it('resetIndexes: the _id index built here, any other index reset by NeDB', () => {
    const list = docs(50).map((d, i) => ({ ...d, mac: `m${i % 10}` }));
    const indexes = { _id: new Index({ fieldName: '_id', unique: true }), mac: new Index({ fieldName: 'mac' }) };
    resetIndexes(indexes as never, list);
    indexes._id.tree.tree.checkIsAVLT();
    expect(indexes._id.getAll()).toHaveLength(50);
    expect(indexes.mac.getMatching('m3')).toHaveLength(5);
  });
});

describe('LeaseStore.open with the built index', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('NeDB\'s tree after open is a valid AVL tree holding every document, and later batches keep it valid', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const first = await LeaseStore.open(t.dir, { now: () => T0 });
    await first.apply(Array.from({ length: 300 }, (_, i) => mkLease(i)));
    await first.close();

    const s = await LeaseStore.open(t.dir, { now: () => T0 });
    cleanups.push(() => s.close().catch(() => {}));
    const nedb = (s as unknown as { db: { __original: { indexes: { _id: NedbIndex } } } }).db.__original;
    nedb.indexes._id.tree.tree.checkIsAVLT();
    expect(nedb.indexes._id.getAll()).toHaveLength(302); // + meta and batch marker
    for (let i = 0; i < 300; i++) expect(nedb.indexes._id.getMatching(mkLease(i).ip)).toHaveLength(1);
    await s.apply([...Array.from({ length: 40 }, (_, i) => mkLease(i, { hostname: 'again' })), ...Array.from({ length: 40 }, (_, i) => mkLease(1000 + i))]);
    nedb.indexes._id.tree.tree.checkIsAVLT();
    expect(nedb.indexes._id.getAll()).toHaveLength(342);
    expect(s.view.byIp(mkLease(5).ip)?.hostname).toBe('again');
  });
});
