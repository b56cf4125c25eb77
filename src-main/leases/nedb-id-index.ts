// NeDB's `_id` index built in one pass from sorted keys, for LeaseStore.open().
//
// NeDB (@seald-io/nedb 4.x) keeps every document in an AVL tree per index
// (@seald-io/binary-search-tree), and its _resetIndexes(docs) inserts the documents one by one:
// a root-to-leaf walk with ~17 compareThings() calls and a rebalancing pass for each of 100,000
// leases, ~230 ms of the ~1.1 s open() in the profile (bench/store-bench.ts). With the keys known
// to be unique strings, the same tree can be built bottom-up from the sorted keys in O(n): the
// middle key at the root, each half the same way below it. A perfectly balanced binary search
// tree is a valid AVL tree (every balance factor is 0 or ±1), so NeDB's own insert/delete carry
// on from it unchanged; test/unit/leases/nedb-id-index.test.ts checks the result with the
// library's checkIsAVLT() and against NeDB's own build.
//
// Nodes are made with the tree's own constructor and the index's own options, so they are the
// objects NeDB would have made. Anything unexpected (another NeDB, another tree library, a
// non-string or duplicate _id) returns false, and the caller uses NeDB's _resetIndexes().

/** The parts of one NeDB index this module touches. */
interface NedbIndex {
  fieldName: string;
  unique: boolean;
  sparse: boolean;
  treeOptions: { unique: boolean; compareKeys: unknown; checkValueEquality: unknown };
  /** The AVLTree wrapper: `.tree` is the root node (an _AVLTree; an empty one has no key). */
  tree: AvlWrapper;
}

interface AvlWrapper {
  tree: AvlNode;
}

interface AvlNode {
  left: AvlNode | null;
  right: AvlNode | null;
  parent: AvlNode | null;
  key?: string;
  data: unknown[];
  height?: number;
  constructor: new (options: unknown) => AvlNode;
}

function looksLikeIdIndex(x: unknown): x is NedbIndex {
  const ix = x as Partial<NedbIndex> | undefined;
  if (!ix || ix.fieldName !== '_id' || ix.unique !== true || ix.sparse === true || !ix.treeOptions) return false;
  const root = ix.tree?.tree;
  return !!root && typeof root.constructor === 'function' && Array.isArray(root.data) && 'left' in root && 'right' in root && typeof (root as { insert?: unknown }).insert === 'function';
}

/** Code-unit order, which is what NeDB's compareThings() gives two strings. */
function byKey(a: { _id: string }, b: { _id: string }): number {
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/**
 * Replaces `index`'s tree with one holding `docs` (each with a unique string `_id`). Returns false,
 * leaving the index untouched, if the index or the documents are not what this build assumes.
 */
export function buildIdIndex(index: unknown, docs: ReadonlyArray<Record<string, unknown>>): boolean {
  if (!looksLikeIdIndex(index)) return false;
  for (const d of docs) if (typeof d._id !== 'string') return false;
  const sorted = (docs as ReadonlyArray<{ _id: string }>).slice().sort(byKey);
  for (let i = 1; i < sorted.length; i++) if (sorted[i - 1]!._id === sorted[i]!._id) return false;

  const Wrapper = index.tree.constructor as new (options: unknown) => AvlWrapper;
  const wrapper = new Wrapper(index.treeOptions);
  const Node = wrapper.tree.constructor as new (options: unknown) => AvlNode;
  const opts = index.treeOptions;
  // The empty root of the fresh wrapper becomes the middle node; every other node is made as
  // createLeftChild/createRightChild make it.
  const build = (lo: number, hi: number, parent: AvlNode | null, node?: AvlNode): AvlNode | null => {
    if (lo > hi) return null;
    const mid = (lo + hi) >>> 1;
    const doc = sorted[mid]!;
    const n = node ?? new Node({ key: doc._id, value: doc, parent, unique: opts.unique, compareKeys: opts.compareKeys, checkValueEquality: opts.checkValueEquality });
    if (node) {
      n.key = doc._id;
      n.data.push(doc);
    }
    // Set at once, as NeDB's insert does: a property first added after V8 has fixed the node
    // shape (its slack tracking ends after a few nodes) would cost each node a separate
    // property array, +3 MB at 100,000 leases.
    n.height = 1;
    n.left = build(lo, mid - 1, n);
    n.right = build(mid + 1, hi, n);
    n.height = 1 + Math.max(n.left?.height ?? 0, n.right?.height ?? 0);
    return n;
  };
  build(0, sorted.length - 1, null, sorted.length > 0 ? wrapper.tree : undefined);
  index.tree = wrapper;
  return true;
}

/**
 * NeDB's _resetIndexes(docs), with the `_id` index built by buildIdIndex() and any other index
 * (the store creates none, a user's file might) reset by NeDB itself.
 */
export function resetIndexes(indexes: Record<string, { reset(docs?: unknown[]): void }>, docs: Array<Record<string, unknown>>): void {
  for (const index of Object.values(indexes)) {
    if (buildIdIndex(index, docs)) continue;
    index.reset(docs);
  }
}
