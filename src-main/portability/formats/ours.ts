// Our own CSV and JSON: everything a lease record holds, and reservations in the configuration
// file's shape. Export reuses leases/export.ts (the lease table's CSV/JSON, unchanged for
// spreadsheets and scripts); import reads both back, plus a whole configuration file's reservations.
import { stringify } from 'csv-stringify/sync';
import { isIpv4 } from '../../dhcp/ip.js';
import { NEVER_EXPIRES } from '../../dhcp/policy.js';
import { optionProblem } from '../../config/schema.js';
import type { Lease } from '../../dhcp/lease.js';
import { EXPORT_COLUMNS, leasesToCsv, leasesToJson } from '../../leases/export.js';
import { readCsvTable } from '../csv.js';
import { parseJsonWithLines, JsonSyntaxError } from '../json-lines.js';
import { emptyResult, exportable, looseMac, normaliseHex, problem, type ParseResult, type PortableLease, type PortableReservation, type PortableState, type Problem } from '../model.js';

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

/** null, "" or "never": no expiry. */
const isNever = (v: unknown): boolean => v === null || (typeof v === 'string' && /^\s*(never)?\s*$/i.test(v));

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? unescapeFormula(v.trim()) : undefined);

/** One lease from a record with our field names; a Problem when a required field is missing or wrong. */
export function leaseFromFields(r: Record<string, unknown>, line: number, now: number): PortableLease | Problem {
  const ip = str(r.ip);
  if (!ip || !isIpv4(ip)) return problem(line, 'field-ip', { value: JSON.stringify(r.ip ?? '') }, `ip ${JSON.stringify(r.ip ?? '')} is not an IPv4 address`);
  const rawMac = str(r.mac) ?? '';
  const mac = rawMac === '' ? '' : looseMac(rawMac);
  if (mac === undefined) return problem(line, 'field-mac', { value: rawMac }, `mac "${rawMac}" is not a MAC address`);
  // Our export writes a lease that never ends (lease time 0xffffffff) as null (JSON) or an empty
  // cell (CSV); "never" is what a person (or ISC dhcpd's "ends never") would write.
  const expiresAt = isNever(r.expiresAt) ? NEVER_EXPIRES : time(r.expiresAt);
  if (expiresAt === undefined) return problem(line, 'field-expires', { value: JSON.stringify(r.expiresAt ?? '') }, `expiresAt ${JSON.stringify(r.expiresAt ?? '')} is not a date (ISO 8601, e.g. 2026-11-23T10:00:00Z)`);
  const stateText = str(r.state) ?? 'bound';
  if (!(STATES as readonly string[]).includes(stateText)) return problem(line, 'field-state', { value: stateText, states: STATES.join(', ') }, `state "${stateText}" is not one of ${STATES.join(', ')}`);
  let state = stateText as PortableState;
  if (state === 'bound' && expiresAt <= now) state = 'expired';
  const out: PortableLease = { ip, mac, state, expiresAt, line };
  const clientId = str(r.clientId);
  if (clientId !== undefined) {
    const id = normaliseHex(clientId);
    if (!id) return problem(line, 'field-client-id', { value: clientId }, `clientId "${clientId}" is not hex such as 01:aa:bb:cc:dd:ee:ff`);
    out.clientId = id;
  }
  for (const f of ['startsAt', 'firstSeen', 'lastSeen'] as const) {
    if (r[f] === undefined || r[f] === null || r[f] === '') continue;
    const t = time(r[f]);
    if (t === undefined) return problem(line, 'field-date', { field: f, value: JSON.stringify(r[f]) }, `${f} ${JSON.stringify(r[f])} is not a date`);
    out[f] = t;
  }
  for (const f of ['hostname', 'subnet', 'vendorClass', 'circuitId', 'remoteId'] as const) {
    // Host names are kept exactly (spaces included): they are what the device said.
    const v = typeof r[f] === 'string' && r[f] !== '' ? unescapeFormula(r[f] as string) : undefined;
    if (v !== undefined) out[f] = v;
  }
  const relay = str(r.relay);
  if (relay !== undefined) {
    if (!isIpv4(relay)) return problem(line, 'field-relay', { value: relay }, `relay "${relay}" is not an IPv4 address`);
    out.relay = relay;
  }
  const pr = r.paramRequest;
  if (pr !== undefined && pr !== null && pr !== '') {
    const list = Array.isArray(pr) ? pr : String(pr).trim().split(/[\s,]+/).map(Number);
    if (!list.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) return problem(line, 'field-param-request', {}, 'paramRequest is not a list of option codes 0–255');
    out.paramRequest = list as number[];
  }
  return out;
}

export function reservationFromFields(r: Record<string, unknown>, line: number): PortableReservation | Problem {
  const rawMac = str(r.mac);
  const mac = rawMac ? looseMac(rawMac) : undefined;
  if (!mac) return rawMac ? problem(line, 'field-mac', { value: rawMac }, `mac "${rawMac}" is not a MAC address`) : problem(line, 'no-mac', {}, 'no mac');
  const ip = str(r.ip);
  if (ip !== undefined && !isIpv4(ip)) return problem(line, 'field-ip', { value: `"${ip}"` }, `ip "${ip}" is not an IPv4 address`);
  const out: PortableReservation = { mac, line, ...(ip ? { ip } : {}) };
  const host = str(r.hostname);
  if (host) out.hostname = host;
  const cid = str(r.clientId);
  if (cid) {
    const id = normaliseHex(cid);
    if (!id) return problem(line, 'field-client-id', { value: cid }, `clientId "${cid}" is not hex such as 01:aa:bb:cc:dd:ee:ff`);
    out.clientId = id;
  }
  if (r.options && typeof r.options === 'object' && !Array.isArray(r.options)) {
    // The options end up in the settings file and the UI: no keys that could reach a prototype.
    if (hasForbiddenKey(r.options, 0)) return problem(line, 'field-options-forbidden', {}, 'options contain a forbidden key (__proto__, constructor or prototype) or are nested too deeply');
    // Each option through the configuration's own check (the server's encoder): a bad value is
    // named here, at its line, not later when Start refuses the saved settings.
    const bad: string[] = [];
    for (const [key, value] of Object.entries(r.options)) {
      const why = optionProblem(key, value);
      if (why) bad.push(`options.${key}: ${why.replace(/^option 0 \(option-0\): /, '')}`);
    }
    if (bad.length) return { line, message: bad.join('; ') };
    out.options = r.options as Record<string, unknown>;
  } else if (r.options !== undefined && r.options !== null && r.options !== '') {
    return { line, message: `options must be an object of option names (or codes) and values, such as { "ntp-servers": ["198.18.10.1"] }, not ${JSON.stringify(r.options)}` };
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
    res.problems.push(problem(header.line, 'csv-header', { columns: cols.join(', ') }, `the first line must be a header naming at least the columns "ip" and "mac" (found: ${cols.join(', ')})`));
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
      if (!(r as PortableReservation).ip) res.problems.push(problem(row.line, 'no-ip', {}, 'no ip'));
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
    const detail = e.message.replace(/^line \d+, column \d+: /, '');
    res.problems.push(problem(e.line, 'json', { column: String(e.column), detail }, `not valid JSON (column ${e.column}: ${detail})`));
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
      res.problems.push(problem(1, 'json-shape', {}, 'expected an array of leases, or an object with "leases" and/or "reservations" (a configuration file works)'));
      return res;
    }
  } else {
    res.problems.push(problem(1, 'json-type', {}, 'expected an array of leases or an object with "reservations"'));
    return res;
  }
  for (const item of leaseList ?? []) {
    const line = lineOf(item, lineOf(leaseList, 1));
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      res.problems.push(problem(line, 'lease-object', {}, 'a lease must be an object'));
      continue;
    }
    const r = leaseFromFields(item as Record<string, unknown>, line, now);
    if (isProblem(r)) res.problems.push(r);
    else res.leases.push(r);
  }
  for (const item of resList ?? []) {
    const line = lineOf(item, lineOf(resList, 1));
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      res.problems.push(problem(line, 'reservation-object', {}, 'a reservation must be an object'));
      continue;
    }
    const r = reservationFromFields(item as Record<string, unknown>, line);
    if (isProblem(r)) res.problems.push(r);
    else if (!r.ip) res.problems.push(problem(line, 'no-ip', {}, 'no ip'));
    else res.reservations.push(r);
  }
  return res;
}
