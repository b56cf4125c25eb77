// Our own CSV and JSON: everything a lease record holds, and reservations in the configuration
// file's shape. Export reuses leases/export.ts (the lease table's CSV/JSON, unchanged for
// spreadsheets and scripts); import reads both back, plus a whole configuration file's reservations.
import { stringify } from 'csv-stringify/sync';
import { isIpv4 } from '../../dhcp/ip.js';
import type { Lease } from '../../dhcp/lease.js';
import { EXPORT_COLUMNS, leasesToCsv, leasesToJson } from '../../leases/export.js';
import { readCsvTable } from '../csv.js';
import { parseJsonWithLines, JsonSyntaxError } from '../json-lines.js';
import { emptyResult, exportable, looseMac, normaliseHex, type ParseResult, type PortableLease, type PortableReservation, type PortableState, type Problem } from '../model.js';

const STATES: readonly PortableState[] = ['bound', 'expired', 'released', 'declined'];
export const RESERVATION_COLUMNS = ['mac', 'ip', 'hostname', 'clientId'] as const;

// ---- export ----

export function formatLeasesCsv(leases: readonly Lease[]): string {
  return leasesToCsv(exportable(leases));
}

export function formatLeasesJson(leases: readonly Lease[]): string {
  return `${JSON.stringify(leasesToJson(exportable(leases)), null, 2)}\n`;
}

export function formatReservationsCsv(reservations: readonly PortableReservation[]): string {
  const rows = reservations.map((r) => [r.mac, r.ip ?? '', r.hostname ?? '', r.clientId ?? '']);
  return stringify(rows, { header: true, columns: [...RESERVATION_COLUMNS], record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true });
}

export function formatReservationsJson(reservations: readonly PortableReservation[]): string {
  const list = reservations.map((r) => ({
    mac: r.mac,
    ip: r.ip,
    ...(r.hostname ? { hostname: r.hostname } : {}),
    ...(r.clientId ? { clientId: r.clientId } : {}),
    ...(r.options && Object.keys(r.options).length ? { options: r.options } : {}),
  }));
  return `${JSON.stringify({ reservations: list }, null, 2)}\n`;
}

// ---- import: shared field readers ----

/** csv-stringify's escape_formulas prefixed an apostrophe; a value read back loses it. */
function unescapeFormula(v: string): string {
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

function time(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * (t.length <= 10 ? 1000 : 1);
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? unescapeFormula(v.trim()) : undefined);

/** One lease from a record with our field names; a Problem when a required field is missing or wrong. */
export function leaseFromFields(r: Record<string, unknown>, line: number, now: number): PortableLease | Problem {
  const ip = str(r.ip);
  if (!ip || !isIpv4(ip)) return { line, message: `ip ${JSON.stringify(r.ip ?? '')} is not an IPv4 address` };
  const rawMac = str(r.mac) ?? '';
  const mac = rawMac === '' ? '' : looseMac(rawMac);
  if (mac === undefined) return { line, message: `mac "${rawMac}" is not a MAC address` };
  const expiresAt = time(r.expiresAt);
  if (expiresAt === undefined) return { line, message: `expiresAt ${JSON.stringify(r.expiresAt ?? '')} is not a date (ISO 8601, e.g. 2026-11-23T10:00:00Z)` };
  const stateText = str(r.state) ?? 'bound';
  if (!(STATES as readonly string[]).includes(stateText)) return { line, message: `state "${stateText}" is not one of ${STATES.join(', ')}` };
  let state = stateText as PortableState;
  if (state === 'bound' && expiresAt <= now) state = 'expired';
  const out: PortableLease = { ip, mac, state, expiresAt, line };
  const clientId = str(r.clientId);
  if (clientId !== undefined) {
    const id = normaliseHex(clientId);
    if (!id) return { line, message: `clientId "${clientId}" is not hex such as 01:aa:bb:cc:dd:ee:ff` };
    out.clientId = id;
  }
  for (const f of ['startsAt', 'firstSeen', 'lastSeen'] as const) {
    if (r[f] === undefined || r[f] === null || r[f] === '') continue;
    const t = time(r[f]);
    if (t === undefined) return { line, message: `${f} ${JSON.stringify(r[f])} is not a date` };
    out[f] = t;
  }
  for (const f of ['hostname', 'subnet', 'vendorClass', 'circuitId', 'remoteId'] as const) {
    // Host names are kept exactly (spaces included): they are what the device said.
    const v = typeof r[f] === 'string' && r[f] !== '' ? unescapeFormula(r[f] as string) : undefined;
    if (v !== undefined) out[f] = v;
  }
  const relay = str(r.relay);
  if (relay !== undefined) {
    if (!isIpv4(relay)) return { line, message: `relay "${relay}" is not an IPv4 address` };
    out.relay = relay;
  }
  const pr = r.paramRequest;
  if (pr !== undefined && pr !== null && pr !== '') {
    const list = Array.isArray(pr) ? pr : String(pr).trim().split(/[\s,]+/).map(Number);
    if (!list.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) return { line, message: 'paramRequest is not a list of option codes 0–255' };
    out.paramRequest = list as number[];
  }
  return out;
}

export function reservationFromFields(r: Record<string, unknown>, line: number): PortableReservation | Problem {
  const rawMac = str(r.mac);
  const mac = rawMac ? looseMac(rawMac) : undefined;
  if (!mac) return { line, message: rawMac ? `mac "${rawMac}" is not a MAC address` : 'no mac' };
  const ip = str(r.ip);
  if (ip !== undefined && !isIpv4(ip)) return { line, message: `ip "${ip}" is not an IPv4 address` };
  const out: PortableReservation = { mac, line, ...(ip ? { ip } : {}) };
  const host = str(r.hostname);
  if (host) out.hostname = host;
  const cid = str(r.clientId);
  if (cid) {
    const id = normaliseHex(cid);
    if (!id) return { line, message: `clientId "${cid}" is not hex such as 01:aa:bb:cc:dd:ee:ff` };
    out.clientId = id;
  }
  if (r.options && typeof r.options === 'object' && !Array.isArray(r.options)) {
    // The options end up in the settings file and the UI: no keys that could reach a prototype.
    if (hasForbiddenKey(r.options, 0)) return { line, message: 'options contain a forbidden key (__proto__, constructor or prototype) or are nested too deeply' };
    out.options = r.options as Record<string, unknown>;
  }
  return out;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
function hasForbiddenKey(v: unknown, depth: number): boolean {
  if (depth > 16) return true;
  if (Array.isArray(v)) return v.some((x) => hasForbiddenKey(x, depth + 1));
  if (v && typeof v === 'object') return Object.keys(v).some((k) => FORBIDDEN.has(k) || hasForbiddenKey((v as Record<string, unknown>)[k], depth + 1));
  return false;
}

const isProblem = (x: object): x is Problem => 'message' in x;

// ---- import: CSV ----

export function parseCsv(text: string, now: number): ParseResult {
  const res = emptyResult();
  const table = readCsvTable(text, res.problems);
  if (!table) return res;
  const { header, rows } = table;
  const cols = header.fields.map((h) => h.trim().replace(/^\uFEFF/, ''));
  const known = new Map([...EXPORT_COLUMNS, ...RESERVATION_COLUMNS].map((c) => [c.toLowerCase(), c] as const));
  const names = cols.map((c) => known.get(c.toLowerCase()));
  if (!names.includes('mac') || !names.includes('ip')) {
    res.problems.push({ line: header.line, message: `the first line must be a header naming at least the columns "ip" and "mac" (found: ${cols.join(', ')})` });
    return res;
  }
  const leases = names.includes('expiresAt');
  for (const row of rows) {
    if (row.fields.every((f) => f.trim() === '')) continue;
    const rec: Record<string, unknown> = {};
    names.forEach((n, i) => {
      if (n) rec[n] = row.fields[i] ?? '';
    });
    const r = leases ? leaseFromFields(rec, row.line, now) : reservationFromFields(rec, row.line);
    if (isProblem(r)) res.problems.push(r);
    else if (leases) res.leases.push(r as PortableLease);
    else {
      if (!(r as PortableReservation).ip) res.problems.push({ line: row.line, message: 'no ip' });
      else res.reservations.push(r as PortableReservation);
    }
  }
  return res;
}

// ---- import: JSON ----

export function parseJson(text: string, now: number): ParseResult {
  const res = emptyResult();
  let doc;
  try {
    doc = parseJsonWithLines(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    res.problems.push({ line: e.line, message: `not valid JSON (column ${e.column}: ${e.message.replace(/^line \d+, column \d+: /, '')})` });
    return res;
  }
  const v = doc.value;
  const lineOf = (x: unknown, fallback: number) => doc.lineOf(x) ?? fallback;
  let leaseList: unknown[] | undefined;
  let resList: unknown[] | undefined;
  if (Array.isArray(v)) leaseList = v;
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.leases)) leaseList = o.leases;
    if (Array.isArray(o.reservations)) resList = o.reservations;
    if (!leaseList && !resList) {
      res.problems.push({ line: 1, message: 'expected an array of leases, or an object with "leases" and/or "reservations" (a configuration file works)' });
      return res;
    }
  } else {
    res.problems.push({ line: 1, message: 'expected an array of leases or an object with "reservations"' });
    return res;
  }
  for (const item of leaseList ?? []) {
    const line = lineOf(item, lineOf(leaseList, 1));
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      res.problems.push({ line, message: 'a lease must be an object' });
      continue;
    }
    const r = leaseFromFields(item as Record<string, unknown>, line, now);
    if (isProblem(r)) res.problems.push(r);
    else res.leases.push(r);
  }
  for (const item of resList ?? []) {
    const line = lineOf(item, lineOf(resList, 1));
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      res.problems.push({ line, message: 'a reservation must be an object' });
      continue;
    }
    const r = reservationFromFields(item as Record<string, unknown>, line);
    if (isProblem(r)) res.problems.push(r);
    else if (!r.ip) res.problems.push({ line, message: 'no ip' });
    else res.reservations.push(r);
  }
  return res;
}
