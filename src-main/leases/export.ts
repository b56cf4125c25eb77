// Lease export formats: JSON (for scripts), CSV (for spreadsheets), a fixed-width table (for a
// terminal). Pure functions of the records; all of them sort by IP numerically so that
// 10.0.0.9 comes before 10.0.0.10.
import { stringify } from 'csv-stringify/sync';
import { ipToInt } from '../dhcp/ip.js';
import type { Lease, LeaseState } from '../dhcp/lease.js';
import { identify } from '../devices/identity.js';

/** One exported record. Times are ISO 8601 (UTC); absent optional fields are null, so every row has the same keys. */
export interface LeaseJson {
  ip: string;
  mac: string;
  clientId: string;
  hostname: string | null;
  state: LeaseState;
  subnet: string;
  startsAt: string;
  /** null for a lease that never expires (lease time 0xffffffff, RFC 2132 §9.2). */
  expiresAt: string | null;
  firstSeen: string;
  lastSeen: string;
  vendorClass: string | null;
  relay: string | null;
  circuitId: string | null;
  remoteId: string | null;
  paramRequest: number[] | null;
  /** Organisation registered for the MAC's prefix (IEEE OUI, offline table); null when unknown or random. */
  vendor: string | null;
  /** Locally administered ("private/random") MAC: it has no vendor. */
  randomMac: boolean;
  /** Option 55 as "1,3,6,15" (the fingerbank notation). */
  fingerprint: string | null;
  /** Short guess of the client software / OS family, from option 60 and known fingerprints. */
  clientGuess: string | null;
}

/** Column order of the CSV (and key order of the JSON). */
export const EXPORT_COLUMNS = [
  'ip', 'mac', 'clientId', 'hostname', 'state', 'subnet', 'startsAt', 'expiresAt', 'firstSeen', 'lastSeen',
  'vendorClass', 'relay', 'circuitId', 'remoteId', 'paramRequest', 'vendor', 'randomMac', 'fingerprint', 'clientGuess',
] as const satisfies readonly (keyof LeaseJson)[];

export function sortByIp(leases: readonly Lease[]): Lease[] {
  return [...leases].sort((a, b) => ipToInt(a.ip) - ipToInt(b.ip));
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * An infinite lease expires at Number.MAX_SAFE_INTEGER (policy.ts leaseExpiry), beyond the last
 * instant a Date can hold (8.64e15 ms): toISOString() would throw on it.
 */
const isNever = (ms: number): boolean => !Number.isFinite(ms) || ms > 8.64e15;

export function leaseToJson(l: Lease): LeaseJson {
  const id = identify(l);
  return {
    ip: l.ip,
    mac: l.mac,
    clientId: l.clientId,
    hostname: l.hostname ?? null,
    state: l.state,
    subnet: l.subnet,
    startsAt: iso(l.startsAt),
    expiresAt: isNever(l.expiresAt) ? null : iso(l.expiresAt),
    firstSeen: iso(l.firstSeen),
    lastSeen: iso(l.lastSeen),
    vendorClass: l.vendorClass ?? null,
    relay: l.relay ?? null,
    circuitId: l.circuitId ?? null,
    remoteId: l.remoteId ?? null,
    paramRequest: l.paramRequest ? [...l.paramRequest] : null,
    vendor: id.vendor ?? null,
    randomMac: id.randomMac ?? false,
    fingerprint: id.fingerprint ?? null,
    clientGuess: id.clientGuess ?? null,
  };
}

export function leasesToJson(leases: readonly Lease[]): LeaseJson[] {
  return sortByIp(leases).map(leaseToJson);
}

export interface CsvOptions {
  /**
   * Prefix cells starting with = + - @ TAB CR with an apostrophe, so that a device calling itself
   * "=HYPERLINK(…)" cannot run a formula in the technician's spreadsheet (OWASP "CSV injection").
   * Host names and vendor classes come from untrusted clients. Default true.
   */
  spreadsheetSafe?: boolean;
}

/**
 * RFC 4180 CSV: header row, CRLF line ends, fields with a comma, quote or line break quoted and
 * quotes doubled. paramRequest is space-separated ("1 3 6 15").
 */
export function leasesToCsv(leases: readonly Lease[], opts: CsvOptions = {}): string {
  const rows = leasesToJson(leases).map((j) => EXPORT_COLUMNS.map((c) => {
    const v = j[c];
    if (v === null) return '';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return Array.isArray(v) ? v.join(' ') : v;
  }));
  return stringify(rows, {
    header: true,
    columns: [...EXPORT_COLUMNS],
    record_delimiter: 'windows',
    // Must be explicit once record_delimiter is set, or a field holding a bare CR or LF is not quoted.
    quote_record_delimiter: true,
    escape_formulas: opts.spreadsheetSafe ?? true,
  });
}

/** "in 2h 05m", "3d 4h ago", "now". */
export function formatRelative(targetMs: number, nowMs: number): string {
  const d = targetMs - nowMs;
  const abs = Math.abs(d);
  if (abs < 1000) return 'now';
  const s = Math.floor(abs / 1000);
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const span = days > 0 ? `${days}d ${h}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(sec).padStart(2, '0')}s` : `${sec}s`;
  return d > 0 ? `in ${span}` : `${span} ago`;
}

function expiryText(l: Lease, now: number): string {
  switch (l.state) {
    case 'bound':
      if (isNever(l.expiresAt)) return 'never expires';
      return l.expiresAt > now ? `expires ${formatRelative(l.expiresAt, now)}` : `expired ${formatRelative(l.expiresAt, now)}`;
    case 'expired':
      return `expired ${formatRelative(l.expiresAt, now)}`;
    case 'released':
      return `released ${formatRelative(l.expiresAt, now)}`;
    case 'declined':
      return l.expiresAt > now ? `quarantined, ends ${formatRelative(l.expiresAt, now)}` : `quarantine ended ${formatRelative(l.expiresAt, now)}`;
    default:
      return '';
  }
}

/**
 * Client-supplied text must not drive the terminal: control characters (ESC sequences, CR,
 * C1 controls) become "?". Long names are cut with an ellipsis to keep the columns.
 */
function cell(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : clean;
}

const HOSTNAME_WIDTH = 32;

function vendorCell(l: Lease): string {
  const id = identify(l);
  return id.randomMac ? 'private/random MAC' : cell(id.vendor ?? '-', 24);
}

/** A fixed-width table for a terminal: IP, MAC, VENDOR, HOSTNAME, STATE, EXPIRES; sorted by IP. */
export function leasesToTable(leases: readonly Lease[], now: number = Date.now()): string {
  const header = ['IP', 'MAC', 'VENDOR', 'HOSTNAME', 'STATE', 'EXPIRES'];
  const rows = sortByIp(leases).map((l) => [l.ip, cell(l.mac, 47), vendorCell(l), cell(l.hostname ?? '-', HOSTNAME_WIDTH), l.state, expiryText(l, now)]);
  if (rows.length === 0) return '(no leases)\n';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
