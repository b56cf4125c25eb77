// Sorting and filtering of the lease table. Pure and allocation-conscious: with 10,000 rows, a full
// sort computes the sort keys once per row, not once per comparison.
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { ipToInt, isIpv4 } from '../../../src-main/dhcp/ip.js';
import { t, tCode } from '../i18n/index.js';

export type LeaseColumn = 'ip' | 'mac' | 'hostname' | 'clientId' | 'vendor' | 'vendorClass' | 'state' | 'expiresAt' | 'firstSeen' | 'lastSeen';
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  column: LeaseColumn;
  dir: SortDir;
}

export const LEASE_COLUMNS: readonly LeaseColumn[] = ['ip', 'mac', 'hostname', 'clientId', 'vendor', 'vendorClass', 'state', 'expiresAt', 'firstSeen', 'lastSeen'];

/** A column's header in the UI language. */
export function columnLabel(column: LeaseColumn): string {
  return t(`leases.col.${column}`);
}

/** A lease state (bound, offered, declined, released, expired) in the UI language. */
export function stateLabel(state: string): string {
  return tCode(`leases.state.${state}`, state);
}

/** The English label, kept searchable in every language (and what exports say). */
export const RANDOM_MAC_LABEL = 'private/random MAC';

/**
 * The text of the Vendor column: the OUI vendor or "private/random MAC". The client's vendor class
 * (option 60) has a column of its own, so it shows whether or not the MAC's maker is known.
 */
export function vendorText(row: LeaseRow): string | undefined {
  if (row.randomMac) return t('leases.randomMac');
  return row.vendor;
}

/** Live states first when sorting by state: what is on the network now matters most. */
const STATE_ORDER: Record<string, number> = { bound: 0, offered: 1, declined: 2, released: 3, expired: 4 };

function sortKey(row: LeaseRow, column: LeaseColumn): number | string | undefined {
  switch (column) {
    case 'ip': {
      const n = ipNumber(row);
      return n >= 0 ? n : undefined;
    }
    case 'state':
      return STATE_ORDER[row.state] ?? 9;
    case 'expiresAt':
    case 'firstSeen':
    case 'lastSeen':
      return row[column];
    case 'vendor':
      return vendorText(row)?.toLowerCase();
    default: {
      const v = row[column];
      return v ? v.toLowerCase() : undefined;
    }
  }
}

/**
 * A new array sorted by `spec`; ties broken by IP so the order is stable across updates. Empty
 * values sort last in both directions (a missing host name is not "smaller" than "a").
 */
export function sortLeases(rows: readonly LeaseRow[], spec: SortSpec): LeaseRow[] {
  // The table sorts all rows when the sort or the whole table changes (pushed batches are patched
  // in, lease-view.ts), so the common cases avoid a comparator over objects: by IP (the default),
  // a native numeric sort of IP × 2^21 + row index; by a numeric column, an index sort over typed
  // arrays.
  if (spec.column === 'ip' && rows.length < IDX_SPAN) return sortByIp(rows, spec.dir);
  if (NUMERIC_COLUMNS.has(spec.column) && rows.length < IDX_SPAN) return sortByNumber(rows, spec);
  const dir = spec.dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, key: sortKey(row, spec.column), ip: ipNumber(row) }));
  keyed.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === undefined) return 1;
      if (b.key === undefined) return -1;
      return a.key < b.key ? -dir : dir;
    }
    return a.ip - b.ip;
  });
  return keyed.map((k) => k.row);
}

/**
 * The order of sortLeases as a comparator, for keeping a sorted list up to date one row at a time
 * (lib/lease-view.ts): the same keys, empty values last in both directions, ties broken by IP (and,
 * for rows without an IPv4 address, by the address text, so that the order is total).
 */
export function leaseComparator(spec: SortSpec): (a: LeaseRow, b: LeaseRow) => number {
  const dir = spec.dir === 'asc' ? 1 : -1;
  const column = spec.column;
  return (a, b) => {
    const ka = sortKey(a, column);
    const kb = sortKey(b, column);
    if (ka !== kb) {
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return ka < kb ? -dir : dir;
    }
    return ipNumber(a) - ipNumber(b) || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  };
}

/** Row indices fit in 21 bits, an IPv4 address in 32: IP × 2^21 + index ≤ 2^53 − 1 (an exact double). */
const IDX_SPAN = 2 ** 21;
const NUMERIC_COLUMNS: ReadonlySet<LeaseColumn> = new Set(['state', 'expiresAt', 'firstSeen', 'lastSeen']);

function sortByIp(rows: readonly LeaseRow[], dir: SortDir): LeaseRow[] {
  const packed = new Float64Array(rows.length);
  const invalid: LeaseRow[] = [];
  let m = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const ip = ipNumber(row);
    if (ip >= 0) packed[m++] = ip * IDX_SPAN + i;
    else invalid.push(row); // sorts last in both directions, like an empty key
  }
  const keys = packed.subarray(0, m).sort();
  const out: LeaseRow[] = new Array(rows.length);
  for (let j = 0; j < m; j++) out[j] = rows[keys[dir === 'asc' ? j : m - 1 - j]! % IDX_SPAN]!;
  for (let j = 0; j < invalid.length; j++) out[m + j] = invalid[j]!;
  return out;
}

function sortByNumber(rows: readonly LeaseRow[], spec: SortSpec): LeaseRow[] {
  const n = rows.length;
  const dir = spec.dir === 'asc' ? 1 : -1;
  const keys = new Float64Array(n);
  const ips = new Float64Array(n);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    keys[i] = sortKey(row, spec.column) as number;
    ips[i] = ipNumber(row);
    idx[i] = i;
  }
  idx.sort((a, b) => (keys[a]! - keys[b]!) * dir || ips[a]! - ips[b]!);
  const out: LeaseRow[] = new Array(n);
  for (let j = 0; j < n; j++) out[j] = rows[idx[j]!]!;
  return out;
}

// Rows are immutable (a pushed change replaces the row object), so what is derived from a row is
// computed once per row object and kept while the row lives: filtering 10,000 rows is then one
// substring scan per row, and a re-sort after a push parses no IP addresses.
const haystacks = new WeakMap<LeaseRow, string>();
const ipNumbers = new WeakMap<LeaseRow, number>();

/** The row's IPv4 address as a number; -1 if it is not one. */
function ipNumber(row: LeaseRow): number {
  let n = ipNumbers.get(row);
  if (n === undefined) {
    n = isIpv4(row.ip) ? ipToInt(row.ip) : -1;
    ipNumbers.set(row, n);
  }
  return n;
}

/**
 * Computes the filter text of rows[from…] while `more()` allows (an idle callback's time budget),
 * so the first keystroke in the filter box does not pay for 10,000 rows at once. Returns the
 * index to continue from (rows.length when done).
 */
export function warmFilter(rows: readonly LeaseRow[], from: number, more: () => boolean): number {
  let i = from;
  while (i < rows.length) {
    haystack(rows[i]!);
    i++;
    if ((i & 255) === 0 && !more()) break;
  }
  return i;
}

/** What a search token is compared with: every visible text column (MACs also without separators). */
function haystack(row: LeaseRow): string {
  let h = haystacks.get(row);
  if (h === undefined) {
    h = [row.ip, row.mac, row.mac.replace(/[^0-9a-f]/gi, ''), row.hostname ?? '', row.clientId, row.vendor ?? '', row.randomMac ? `${RANDOM_MAC_LABEL} ${t('leases.randomMac')}` : '', row.vendorClass ?? '', row.clientGuess ?? '', row.state, stateLabel(row.state)].join('\u0001').toLowerCase();
    haystacks.set(row, h);
  }
  return h;
}

/**
 * Rows matching every whitespace-separated token of `query` (case-insensitive, substring). A
 * token in MAC notation ("aa-bb", "aabb.cc") also matches the stored colon form.
 */
export function filterLeases(rows: readonly LeaseRow[], query: string): LeaseRow[] {
  const match = leaseMatcher(query);
  return match ? rows.filter(match) : rows.slice();
}

/** The test filterLeases applies to each row; undefined for a query without words (everything matches). */
export function leaseMatcher(query: string): ((row: LeaseRow) => boolean) | undefined {
  const tokens = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!tokens.length) return undefined;
  const macish = tokens.map((t) => (/^[0-9a-f]{2}([:.-]?[0-9a-f]{1,4})+$/.test(t) && /[:.-]/.test(t) ? t.replace(/[:.-]/g, '') : undefined));
  return (row) => {
    const h = haystack(row);
    return tokens.every((t, i) => h.includes(t) || (macish[i] !== undefined && h.includes(macish[i])));
  };
}

export function nextSort(current: SortSpec, column: LeaseColumn): SortSpec {
  if (current.column === column) return { column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  // Time columns start with the most recent / soonest first; text columns alphabetically.
  return { column, dir: column === 'lastSeen' || column === 'firstSeen' ? 'desc' : 'asc' };
}
