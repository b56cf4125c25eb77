// ISC Kea: the memfile lease file (lease4 CSV) and reservations in a kea-dhcp4 configuration.
// The complete configuration export ("Export to Kea") is kea-config.ts; this module reads and
// writes the data files. The CSV header was taken from what kea-dhcp4 2.2.0 (Debian 12) writes:
//   address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context
//   198.18.60.100,06:7e:03:79:be:10,01:06:7e:03:79:be:10,600,1795431291,1,0,0,prob,0,
// Kea never quotes: a comma inside a text field is written "&#x2c" (CSVFile::escapeCharacters).
import { isIpv4 } from '../../dhcp/ip.js';
import { NEVER_EXPIRES } from '../../dhcp/policy.js';
import type { Lease } from '../../dhcp/lease.js';
import { readCsvTable } from '../csv.js';
import { JsonSyntaxError, parseJsonWithLines } from '../json-lines.js';
import { addNote, emptyResult, exportable, looseMac, normaliseHex, problem, type ParseResult, type PortableLease, type PortableState } from '../model.js';

export const KEA_LEASE_COLUMNS = ['address', 'hwaddr', 'client_id', 'valid_lifetime', 'expire', 'subnet_id', 'fqdn_fwd', 'fqdn_rev', 'hostname', 'state', 'user_context'] as const;

/** Kea's infinite valid lifetime (Lease::INFINITY_LFT, src/lib/dhcpsrv/lease.h): the lease never expires. */
export const KEA_INFINITE_LIFETIME = 0xffffffff;

/** Kea lease states (lease.h): 0 default (assigned), 1 declined, 2 expired-reclaimed. */
const TO_KEA: Record<PortableState, number> = { bound: 0, declined: 1, expired: 2, released: 2 };

/** Characters Kea would misread in a field: the separator and line breaks, written as &#xNN. */
export function keaEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[,\u0000-\u001f]/g, (c) => `&#x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function keaUnescape(s: string): string {
  return s.replace(/&#x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * The lease file Kea loads at start. `subnetId(lease)` gives the Kea subnet id of a lease (its
 * position in the exported configuration); leases it returns undefined for are left out.
 */
export function formatLeases(leases: readonly Lease[], subnetId: (l: Lease) => number | undefined): string {
  const rows = [KEA_LEASE_COLUMNS.join(',')];
  for (const l of exportable(leases)) {
    const id = subnetId(l);
    if (id === undefined) continue;
    const state = TO_KEA[l.state as PortableState];
    // Kea keeps a hardware address for every lease but declined ones (which it anonymises).
    if (!l.mac && state !== 1) continue;
    // A lease that never ends is written as kea-dhcp4 writes its own infinite leases: valid_lifetime
    // 4294967295 (Lease::INFINITY_LFT, which Kea never expires) and expire = cltt + valid_lifetime
    // (CSVLeaseFile4::append, Kea 2.2 src/lib/dhcpsrv/csv_lease_file4.cc; read back as cltt).
    const never = l.expiresAt - l.startsAt >= KEA_INFINITE_LIFETIME * 1000;
    const lifetime = never ? KEA_INFINITE_LIFETIME : Math.max(1, Math.min(KEA_INFINITE_LIFETIME - 1, Math.round((l.expiresAt - l.startsAt) / 1000)));
    const expire = never ? Math.floor(l.startsAt / 1000) + KEA_INFINITE_LIFETIME : Math.floor(l.expiresAt / 1000);
    rows.push([l.ip, l.mac, l.clientId, lifetime, expire, id, 0, 0, keaEscape(l.hostname ?? ''), state, ''].join(','));
  }
  return `${rows.join('\n')}\n`;
}

export function parse(text: string, now: number): ParseResult {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '#' || first === '/' ? parseConfig(text) : parseLeaseCsv(text, now);
}

export function parseLeaseCsv(text: string, now: number): ParseResult {
  const res = emptyResult();
  const table = readCsvTable(text, res.problems, { quote: false });
  if (!table) return res;
  const { header, rows } = table;
  const col = new Map(header.fields.map((h, i) => [h.trim(), i] as const));
  for (const need of ['address', 'hwaddr', 'valid_lifetime', 'expire', 'state']) {
    if (!col.has(need)) {
      res.problems.push(problem(header.line, 'kea-header', { columns: KEA_LEASE_COLUMNS.join(','), column: need }, `the header must name Kea's lease4 columns (${KEA_LEASE_COLUMNS.join(',')}); "${need}" is missing`));
      return res;
    }
  }
  const get = (row: string[], name: string) => (col.has(name) ? (row[col.get(name)!] ?? '').trim() : '');
  for (const { line, fields } of rows) {
    const ip = get(fields, 'address');
    if (!isIpv4(ip)) {
      if (ip.includes(':')) addNote(res, 'kea-ipv6', { line: String(line) }, `line ${line}: IPv6 lease skipped`);
      else res.problems.push(problem(line, 'kea-address', { value: ip }, `address "${ip}" is not an IPv4 address`));
      continue;
    }
    const hw = get(fields, 'hwaddr');
    const mac = hw === '' ? '' : looseMac(hw);
    if (mac === undefined) {
      res.problems.push(problem(line, 'kea-hwaddr', { value: hw }, `hwaddr "${hw}" is not an Ethernet MAC address`));
      continue;
    }
    const expire = Number(get(fields, 'expire'));
    const lifetime = Number(get(fields, 'valid_lifetime'));
    if (!Number.isInteger(expire) || !Number.isInteger(lifetime) || get(fields, 'expire') === '') {
      res.problems.push(problem(line, 'kea-times', { expire: get(fields, 'expire'), lifetime: get(fields, 'valid_lifetime') }, `expire "${get(fields, 'expire')}" / valid_lifetime "${get(fields, 'valid_lifetime')}" are not whole seconds`));
      continue;
    }
    const st = get(fields, 'state');
    if (!/^[0-2]$/.test(st)) {
      res.problems.push(problem(line, 'kea-state', { value: st }, `state "${st}" is not 0 (assigned), 1 (declined) or 2 (expired-reclaimed)`));
      continue;
    }
    const expiresAt = lifetime === KEA_INFINITE_LIFETIME ? NEVER_EXPIRES : expire * 1000;
    const state: PortableState = st === '1' ? 'declined' : st === '2' ? 'expired' : expiresAt > now ? 'bound' : 'expired';
    if (!mac && state !== 'declined') {
      res.problems.push(problem(line, 'kea-hwaddr-empty', {}, 'hwaddr is empty (Kea leaves it empty only for declined leases)'));
      continue;
    }
    const lease: PortableLease = { ip, mac, state, expiresAt, startsAt: (expire - lifetime) * 1000, line };
    const cid = get(fields, 'client_id');
    if (cid) {
      const id = normaliseHex(cid);
      if (!id) {
        res.problems.push(problem(line, 'kea-client-id', { value: cid }, `client_id "${cid}" is not colon hex`));
        continue;
      }
      lease.clientId = id;
    }
    const host = keaUnescape(get(fields, 'hostname'));
    if (host) lease.hostname = host;
    res.leases.push(lease);
  }
  return res;
}

/** Reservations of a kea-dhcp4 configuration: global, per subnet4, per shared network. */
export function parseConfig(text: string): ParseResult {
  const res = emptyResult();
  let doc;
  try {
    doc = parseJsonWithLines(text, { comments: true });
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const detail = e.message.replace(/^line \d+, column \d+: /, '');
    res.problems.push(problem(e.line, 'kea-json', { column: String(e.column), detail }, `not valid Kea JSON (column ${e.column}: ${detail})`));
    return res;
  }
  const root = doc.value as Record<string, unknown> | null;
  const d4 = (root && typeof root === 'object' && !Array.isArray(root) ? ((root.Dhcp4 as Record<string, unknown> | undefined) ?? root) : undefined) as Record<string, unknown> | undefined;
  if (!d4 || (!('subnet4' in d4) && !('reservations' in d4) && !('shared-networks' in d4))) {
    res.problems.push(problem(1, 'kea-not-config', {}, 'not a kea-dhcp4 configuration: expected "Dhcp4" with "subnet4" or "reservations"'));
    return res;
  }
  const lists: unknown[] = [];
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  lists.push(d4.reservations);
  for (const s of arr(d4.subnet4)) lists.push((s as Record<string, unknown>)?.reservations);
  for (const n of arr(d4['shared-networks'])) for (const s of arr((n as Record<string, unknown>)?.subnet4)) lists.push((s as Record<string, unknown>)?.reservations);
  for (const list of lists) {
    for (const item of arr(list)) {
      const line = doc.lineOf(item) ?? 1;
      if (!item || typeof item !== 'object') {
        res.problems.push(problem(line, 'reservation-object', {}, 'a reservation must be an object'));
        continue;
      }
      const r = item as Record<string, unknown>;
      const ip = r['ip-address'];
      let clientId = typeof r['client-id'] === 'string' ? normaliseHex(r['client-id']) : undefined;
      let mac = typeof r['hw-address'] === 'string' ? looseMac(r['hw-address']) : undefined;
      if (typeof r['hw-address'] === 'string' && !mac) {
        res.problems.push(problem(line, 'kea-hw-address', { value: r['hw-address'] }, `hw-address "${r['hw-address']}" is not an Ethernet MAC address`));
        continue;
      }
      if (!mac && clientId && /^01(:[0-9a-f]{2}){6}$/.test(clientId)) mac = clientId.slice(3);
      if (!mac) {
        const by = ['client-id', 'duid', 'circuit-id', 'flex-id'].find((k) => k in r) ?? 'no identifier';
        addNote(res, 'kea-by', { line: String(line), by }, `line ${line}: reservation by ${by} skipped (Pocket DHCP reserves by MAC address)`);
        continue;
      }
      if (ip === undefined) {
        addNote(res, 'kea-no-ip', { line: String(line), mac }, `line ${line}: reservation for ${mac} without ip-address (options or host name only) skipped`);
        continue;
      }
      if (typeof ip !== 'string' || !isIpv4(ip)) {
        res.problems.push(problem(line, 'kea-ip-address', { value: JSON.stringify(ip) ?? String(ip) }, `ip-address ${JSON.stringify(ip)} is not an IPv4 address`));
        continue;
      }
      if (clientId === `01:${mac}`) clientId = undefined;
      const hostname = typeof r.hostname === 'string' && r.hostname !== '' ? r.hostname : undefined;
      res.reservations.push({ mac, ip, line, ...(hostname ? { hostname } : {}), ...(clientId ? { clientId } : {}) });
    }
  }
  return res;
}
