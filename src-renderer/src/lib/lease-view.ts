// The lease table's rows in display order (filtered, sorted), kept up to date as pushed changes
// arrive: a batch of k changed rows costs k binary searches and one copy of the list, instead of
// filtering and sorting all 10,000 rows again. A full sort happens only when the sort column or
// direction, the UI language or the whole table (load, reset, very large batch) changes; a new
// query filters the already sorted rows, in order.
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { leaseComparator, leaseMatcher, sortLeases, type SortSpec } from './lease-table.js';

/** What changed between two versions of the lease table: rows that left it, rows that came in (an updated row is in both). */
export interface LeaseChanges {
  removed: readonly LeaseRow[];
  added: readonly LeaseRow[];
}

/** The lease table as the view reads it (state/leases.svelte.ts). */
export interface LeaseSource {
  /** Bumped on every change. */
  readonly version: number;
  /** Every row, in no particular order. */
  all(): readonly LeaseRow[];
  /** The changes since `version`, or undefined when they are no longer known (then start over from all()). */
  changesSince(version: number): LeaseChanges | undefined;
}

/** First index whose row is not before `row` (the row's own index when it is in the list). */
function lowerBound(sorted: readonly LeaseRow[], row: LeaseRow, cmp: (a: LeaseRow, b: LeaseRow) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid]!, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `row` (this very object) is in `sorted`, or -1. */
export function indexOfSorted(sorted: readonly LeaseRow[], row: LeaseRow, cmp: (a: LeaseRow, b: LeaseRow) => number): number {
  const i = lowerBound(sorted, row, cmp);
  return sorted[i] === row ? i : -1;
}

/**
 * A new list: `sorted` (in `cmp` order) without the `removed` row objects (those not in it are
 * ignored) and with `added` put in their places. `sorted` is not changed.
 */
export function patchSorted(sorted: readonly LeaseRow[], removed: readonly LeaseRow[], added: readonly LeaseRow[], cmp: (a: LeaseRow, b: LeaseRow) => number): LeaseRow[] {
  const drop: number[] = [];
  for (const row of removed) {
    const i = indexOfSorted(sorted, row, cmp);
    if (i >= 0) drop.push(i);
  }
  drop.sort((a, b) => a - b);
  const ins = added.length > 1 ? added.slice().sort(cmp) : added;
  // Positions in `sorted` (before any removal): a removed row compares equal only to the row
  // that replaces it, which then goes right before it, so the two never disturb each other.
  const at = ins.map((row) => lowerBound(sorted, row, cmp));
  const out: LeaseRow[] = [];
  let d = 0;
  let i = 0;
  const copyTo = (end: number): void => {
    for (; i < end; i++) {
      if (d < drop.length && drop[d] === i) {
        while (d < drop.length && drop[d] === i) d++; // the same row removed twice
        continue;
      }
      out.push(sorted[i]!);
    }
  };
  for (let j = 0; j < ins.length; j++) {
    copyTo(at[j]!);
    out.push(ins[j]!);
  }
  copyTo(sorted.length);
  return out;
}

/**
 * The display order of one table (one per LeaseTable): call rows() from a $derived with the current
 * query and sort; it returns the same array while nothing it shows changed.
 */
export class LeaseView {
  #version = -1;
  #sort: SortSpec | undefined;
  #language: string | undefined;
  #query = '';
  #cmp: (a: LeaseRow, b: LeaseRow) => number = leaseComparator({ column: 'ip', dir: 'asc' });
  /** Every row, sorted. */
  #all: LeaseRow[] = [];
  /** The rows that match the query, sorted (#all itself when the query is empty). */
  #shown: LeaseRow[] = [];
  #fullSorts = 0;

  /** How often rows() started over with a full sort (the rest were patches). */
  get fullSorts(): number {
    return this.#fullSorts;
  }

  /**
   * The rows matching `query`, sorted by `sort`. `language` is the UI language: some sort keys
   * (the vendor column's "private/random MAC") are translated, so a new language sorts again.
   */
  rows(source: LeaseSource, query: string, sort: SortSpec, language = ''): readonly LeaseRow[] {
    const version = source.version;
    const sameOrder = this.#sort !== undefined && this.#sort.column === sort.column && this.#sort.dir === sort.dir && this.#language === language;
    const changes = !sameOrder ? undefined : version === this.#version ? { removed: [], added: [] } : source.changesSince(this.#version);
    const match = leaseMatcher(query);
    if (!changes || changes.removed.length + changes.added.length > Math.max(64, this.#all.length / 4)) {
      // Start over: a full sort (the fast paths of sortLeases), then one pass of the filter.
      this.#sort = { column: sort.column, dir: sort.dir };
      this.#language = language;
      this.#cmp = leaseComparator(sort);
      this.#all = sortLeases(source.all(), sort);
      this.#fullSorts++;
      this.#shown = match ? this.#all.filter(match) : this.#all;
    } else {
      const changed = changes.removed.length > 0 || changes.added.length > 0;
      if (changed) this.#all = patchSorted(this.#all, changes.removed, changes.added, this.#cmp);
      if (!match) this.#shown = this.#all;
      else if (query !== this.#query || this.#shown === this.#all) this.#shown = this.#all.filter(match);
      else if (changed) this.#shown = patchSorted(this.#shown, changes.removed, changes.added.filter(match), this.#cmp);
    }
    this.#version = version;
    this.#query = query;
    return this.#shown;
  }

  /** Where `row` is among the rows last returned, or -1 (filtered out, or not in the table). */
  indexOf(row: LeaseRow | undefined): number {
    return row ? indexOfSorted(this.#shown, row, this.#cmp) : -1;
  }
}
