// Import, step 2 of 3: what a parsed file would change, row by row, before anything is applied.
// Pure: the caller hands in the current reservations (the settings draft), subnets and lease
// records. Each row gets an action (add / replace / unchanged), its conflicts (blocking ones
// cannot be applied at all; warnings can, at the user's choice) and a default for "include".
//
// The lease rule, decided here and documented in README: leases may be imported while the server
// runs, but never over a live binding — an address bound (unexpired) or in decline quarantine for
// another client is refused, and so is a bound lease for a client that is bound elsewhere here.
// Everything else (history of other clients, this client's own records) is replaced.
import type { Cidr } from '../dhcp/ip.js';
import { cidrBroadcast, cidrContains, intToIp, ipToInt, isIpv4, parseCidr, parseMac } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import { nextFreeAddress } from './auto-address.js';
import { hardwareClientId, HOST_LABEL_RE, type ParseResult, type PortableLease, type PortableReservation, type Problem, type TextCode, type TextParams } from './model.js';
import type { FormatId } from './registry.js';

export interface ImportSubnet {
  subnet: string;
  cidr: Cidr;
  /** The pool, when the draft's range parses. */
  range?: [number, number];
  /** Routers and DNS servers: real hosts, never reservable. */
  hosts: string[];
  leaseTime?: number;
}

export interface CurrentReservation {
  mac: string;
  ip: string;
  hostname?: string;
}

export interface ImportState {
  now: number;
  reservations: readonly CurrentReservation[];
  subnets: readonly ImportSubnet[];
  leases: readonly Lease[];
  /** Seconds, for leases whose file does not say when they started. */
  leaseTime: number;
}

export type ConflictCode =
  | 'duplicate-in-file'
  | 'same-mac-other-ip'
  | 'ip-reserved-for-other'
  | 'live-binding'
  | 'history-of-other-client'
  | 'outside-subnets'
  | 'no-subnets'
  | 'not-assignable'
  | 'no-free-address'
  | 'hostname-dropped'
  | 'leased-to-other';

export interface Conflict {
  code: ConflictCode;
  message: string;
  /** A blocking conflict keeps the row out whatever the user ticks. */
  blocking: boolean;
  /** The message's own code and values (the UI's import.conflictText.<code>); absent: only the English. */
  text?: TextCode;
}

/** A conflict whose sentence has a code of its own (`text`) and the values it names. */
function conflict(code: ConflictCode, blocking: boolean, text: string, params: TextParams, message: string): Conflict {
  return { code, message, blocking, text: { code: text, params } };
}

export type RowAction = 'add' | 'replace' | 'unchanged';

export interface PreviewRow<T> {
  /** Index within its list; the apply request names rows by it. */
  id: number;
  line?: number;
  item: T;
  action: RowAction;
  conflicts: Conflict[];
  blocked: boolean;
  /** Ticked by default. */
  include: boolean;
}

export type PreviewLease = PortableLease & { subnet?: string };
export type PreviewReservation = PortableReservation & { ip?: string; /** The address was assigned here (MAC list). */ auto?: boolean };

export interface ImportPreview {
  format: FormatId;
  /** The format was recognised from the content (not chosen). */
  detected: boolean;
  /** Non-empty: the file is bad and nothing can be applied. */
  problems: Problem[];
  notes: string[];
  /** notes[i]'s code and values (see TextCode), same index. */
  noteCodes?: (TextCode | null)[];
  leases: PreviewRow<PreviewLease>[];
  reservations: PreviewRow<PreviewReservation>[];
  counts: { leases: number; reservations: number; blocked: number; warnings: number; included: number };
}

// ---- the draft, read leniently (it may be invalid while being edited) ----

/** Subnets and reservations of a settings draft, as far as they parse. */
export function importStateFromDraft(draft: Record<string, unknown>, leases: readonly Lease[], now: number): ImportState {
  const subnets: ImportSubnet[] = [];
  const list = Array.isArray(draft.subnets) ? draft.subnets : [];
  for (const s of list as Record<string, unknown>[]) {
    if (!s || typeof s.subnet !== 'string') continue;
    const cidr = parseCidr(s.subnet);
    if (!cidr) continue;
    const m = typeof s.range === 'string' ? /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(s.range) : null;
    const range: [number, number] | undefined = m && isIpv4(m[1]!) && isIpv4(m[2]!) ? [ipToInt(m[1]!), ipToInt(m[2]!)] : undefined;
    const ips = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    subnets.push({ subnet: s.subnet, cidr, ...(range ? { range } : {}), hosts: [...ips(s.router), ...ips(s.dns)], ...(typeof s.leaseTime === 'number' ? { leaseTime: s.leaseTime } : {}) });
  }
  const reservations: CurrentReservation[] = [];
  for (const r of (Array.isArray(draft.reservations) ? draft.reservations : []) as Record<string, unknown>[]) {
    if (!r || typeof r.mac !== 'string' || typeof r.ip !== 'string') continue;
    reservations.push({ mac: parseMac(r.mac) ?? r.mac.toLowerCase(), ip: r.ip.trim(), ...(typeof r.hostname === 'string' ? { hostname: r.hostname } : {}) });
  }
  return { now, reservations, subnets, leases, leaseTime: typeof draft.leaseTime === 'number' ? draft.leaseTime : 3600 };
}

// ---- helpers ----

const isLive = (l: Lease, now: number) => (l.state === 'bound' || l.state === 'declined') && l.expiresAt > now;
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function subnetOf(state: ImportState, ip: string): ImportSubnet | undefined {
  const n = ipToInt(ip);
  return state.subnets.find((s) => cidrContains(s.cidr, n));
}

/** Why an address can never be handed to a client of `s`, or undefined. */
function notAssignable(s: ImportSubnet, ip: string): Conflict | undefined {
  const n = ipToInt(ip);
  const params = { ip, subnet: s.subnet };
  if (s.cidr.prefix < 31 && (n === s.cidr.network || n === cidrBroadcast(s.cidr))) return conflict('not-assignable', true, 'network-broadcast', params, `${ip} is the network or broadcast address of ${s.subnet}`);
  if (s.hosts.includes(ip)) return conflict('not-assignable', true, 'router-dns', params, `${ip} is the router or DNS server of ${s.subnet}`);
  return undefined;
}

function outside(state: ImportState, ip: string): Conflict {
  const subnets = state.subnets.map((x) => x.subnet).join(', ');
  return conflict('outside-subnets', true, 'outside', { ip, subnets }, `${ip} is outside every configured subnet (${subnets})`);
}

function finish<T>(id: number, item: T & { line?: number }, action: RowAction, conflicts: Conflict[], includeByDefault = true): PreviewRow<T> {
  const blocked = conflicts.some((c) => c.blocking);
  return { id, ...(item.line !== undefined ? { line: item.line } : {}), item, action, conflicts, blocked, include: !blocked && action !== 'unchanged' && includeByDefault };
}

// ---- the preview ----

export function buildPreview(parsed: ParseResult, state: ImportState, format: FormatId, detected: boolean): ImportPreview {
  const reservations = previewReservations(parsed.reservations, state);
  const leases = previewLeases(parsed.leases, state);
  const all = [...reservations, ...leases];
  return {
    format,
    detected,
    problems: parsed.problems,
    notes: parsed.notes,
    ...(parsed.noteCodes ? { noteCodes: parsed.noteCodes } : {}),
    leases,
    reservations,
    counts: {
      leases: leases.length,
      reservations: reservations.length,
      blocked: all.filter((r) => r.blocked).length,
      warnings: all.filter((r) => !r.blocked && r.conflicts.length > 0).length,
      included: parsed.problems.length ? 0 : all.filter((r) => r.include).length,
    },
  };
}

function previewReservations(items: readonly PortableReservation[], state: ImportState): PreviewRow<PreviewReservation>[] {
  const byMac = new Map(state.reservations.map((r) => [r.mac, r] as const));
  const byIp = new Map(state.reservations.map((r) => [r.ip, r] as const));
  const fileMacs = new Map<string, number | undefined>();
  const fileIps = new Map<string, number | undefined>();
  const liveByIp = new Map<string, Lease>();
  for (const l of state.leases) if (isLive(l, state.now)) liveByIp.set(l.ip, l);
  // Addresses a MAC-list entry must not get: reserved, real hosts, live leases of others, taken earlier in the file.
  const taken = new Set<number>();
  for (const ip of [...state.reservations.map((r) => r.ip), ...state.subnets.flatMap((s) => s.hosts), ...liveByIp.keys()]) if (isIpv4(ip)) taken.add(ipToInt(ip));
  const pool = state.subnets.find((s) => s.range);

  return items.map((orig, id) => {
    const conflicts: Conflict[] = [];
    const item: PreviewReservation = { ...orig };
    const seenAt = fileMacs.get(item.mac);
    if (fileMacs.has(item.mac)) {
      conflicts.push(conflict('duplicate-in-file', true, seenAt ? 'dup-mac-line' : 'dup-mac', { mac: item.mac, line: String(seenAt ?? '') }, `${item.mac} is already in this file${seenAt ? ` (line ${seenAt})` : ''}, perhaps written another way; the first one counts`));
      return finish(id, item, 'add', conflicts);
    }
    fileMacs.set(item.mac, item.line);
    const existing = byMac.get(item.mac);
    if (!item.ip) {
      // MAC list: keep the device's reservation, else its current address, else the next free one.
      if (existing) item.ip = existing.ip;
      else {
        const own = state.leases.find((l) => l.mac === item.mac && l.state === 'bound' && l.expiresAt > state.now && pool?.range && ipToInt(l.ip) >= pool.range[0] && ipToInt(l.ip) <= pool.range[1] && !byIp.has(l.ip));
        const current = own ? ipToInt(own.ip) : undefined;
        const n = current ?? (pool?.range ? nextFreeAddress(pool.range, taken) : undefined);
        if (n === undefined) {
          conflicts.push(
            pool?.range
              ? conflict('no-free-address', true, 'pool-full', { range: `${intToIp(pool.range[0])}-${intToIp(pool.range[1])}` }, `no free address left in ${intToIp(pool.range[0])}-${intToIp(pool.range[1])}`)
              : conflict('no-free-address', true, 'no-range', {}, 'no address range is configured yet: set the range first'),
          );
          return finish(id, item, 'add', conflicts);
        }
        item.ip = intToIp(n);
        item.auto = true;
        taken.add(n);
      }
    }
    const ip = item.ip;
    if (fileIps.has(ip)) {
      const at = fileIps.get(ip);
      conflicts.push(conflict('duplicate-in-file', true, at ? 'dup-ip-line' : 'dup-ip', { ip, line: String(at ?? '') }, `${ip} is already given to another device in this file${at ? ` (line ${at})` : ''}`));
      return finish(id, item, 'add', conflicts);
    }
    fileIps.set(ip, item.line);
    taken.add(ipToInt(ip));
    if (item.hostname !== undefined && !HOST_LABEL_RE.test(item.hostname)) {
      conflicts.push(conflict('hostname-dropped', false, 'hostname', { hostname: item.hostname }, `host name "${item.hostname}" is not a single DNS label (letters, digits, hyphens): imported without it`));
      delete item.hostname;
    }
    const s = subnetOf(state, ip);
    if (state.subnets.length === 0) conflicts.push(conflict('no-subnets', false, 'no-subnets', {}, 'no subnet is configured yet: the settings show a problem until the scope covers this address'));
    else if (!s) conflicts.push(outside(state, ip));
    else {
      const why = notAssignable(s, ip);
      if (why) conflicts.push(why);
    }
    const holder = byIp.get(ip);
    if (holder && holder.mac !== item.mac) conflicts.push(conflict('ip-reserved-for-other', true, holder.hostname ? 'reserved-host' : 'reserved', { ip, mac: holder.mac, hostname: holder.hostname ?? '' }, `${ip} is already reserved for ${holder.mac}${holder.hostname ? ` (${holder.hostname})` : ''}`));
    const live = liveByIp.get(ip);
    if (live && live.mac !== item.mac) conflicts.push(conflict('leased-to-other', false, 'leased', { ip, mac: live.mac, until: when(live.expiresAt) }, `${ip} is leased to ${live.mac} until ${when(live.expiresAt)}; that device keeps it until its lease ends`));
    let action: RowAction = 'add';
    let byDefault = true;
    if (existing) {
      if (existing.ip !== ip) {
        action = 'replace';
        byDefault = false;
        conflicts.push(conflict('same-mac-other-ip', false, 'moves', { mac: item.mac, current: existing.ip, ip }, `${item.mac} is reserved at ${existing.ip} now; including this row moves it to ${ip}`));
      } else action = (existing.hostname ?? '') === (item.hostname ?? '') || item.hostname === undefined ? 'unchanged' : 'replace';
    }
    return finish(id, item, action, conflicts, byDefault);
  });
}

function previewLeases(items: readonly PortableLease[], state: ImportState): PreviewRow<PreviewLease>[] {
  const now = state.now;
  const storeByIp = new Map(state.leases.map((l) => [l.ip, l] as const));
  const liveByClient = new Map<string, Lease>();
  for (const l of state.leases) if (l.state === 'bound' && l.expiresAt > now) liveByClient.set(l.mac || l.clientId, l);
  const reservedIp = new Map(state.reservations.map((r) => [r.ip, r] as const));
  const reservedMac = new Map(state.reservations.map((r) => [r.mac, r] as const));
  const fileIps = new Map<string, number | undefined>();
  const fileBound = new Map<string, number | undefined>();

  return items.map((orig, id) => {
    const item: PreviewLease = { ...orig };
    const conflicts: Conflict[] = [];
    if (fileIps.has(item.ip)) {
      const at = fileIps.get(item.ip);
      conflicts.push(conflict('duplicate-in-file', true, at ? 'lease-dup-ip-line' : 'lease-dup-ip', { ip: item.ip, line: String(at ?? '') }, `${item.ip} appears earlier in this file${at ? ` (line ${at})` : ''}`));
      return finish(id, item, 'add', conflicts);
    }
    fileIps.set(item.ip, item.line);
    const live = item.state === 'bound' && item.expiresAt > now;
    if (live && item.mac) {
      if (fileBound.has(item.mac)) {
        const at = fileBound.get(item.mac);
        conflicts.push(conflict('duplicate-in-file', true, at ? 'lease-dup-mac-line' : 'lease-dup-mac', { mac: item.mac, line: String(at ?? '') }, `${item.mac} already has a bound lease in this file${at ? ` (line ${at})` : ''}, perhaps with its MAC written another way`));
        return finish(id, item, 'add', conflicts);
      }
      fileBound.set(item.mac, item.line);
    }
    const s = subnetOf(state, item.ip);
    if (s) {
      item.subnet = s.subnet;
      const why = notAssignable(s, item.ip);
      if (why) conflicts.push(why);
    } else if (state.subnets.length === 0 && item.subnet && parseCidr(item.subnet)) {
      conflicts.push(conflict('no-subnets', false, 'kept-in-file-subnet', { subnet: item.subnet }, `no subnet is configured yet: kept in ${item.subnet} as the file says`));
    } else {
      conflicts.push(state.subnets.length ? outside(state, item.ip) : conflict('outside-subnets', true, 'no-scope', {}, 'no subnet is configured yet: set up the scope first'));
    }
    const res = reservedIp.get(item.ip);
    if (res && res.mac !== item.mac) conflicts.push(conflict('ip-reserved-for-other', true, 'lease-reserved', { ip: item.ip, mac: res.mac }, `${item.ip} is reserved for ${res.mac}`));
    const mine = item.mac ? reservedMac.get(item.mac) : undefined;
    if (mine && mine.ip !== item.ip) conflicts.push(conflict('same-mac-other-ip', false, 'has-reservation', { mac: item.mac, ip: mine.ip }, `${item.mac} has a reservation for ${mine.ip}; it gets that address at its next request`));
    const clientId = item.clientId ?? (item.mac ? hardwareClientId(item.mac) : '');
    const sameClient = (l: Lease) => (item.mac !== '' && l.mac === item.mac) || (clientId !== '' && l.clientId === clientId);
    const stored = storeByIp.get(item.ip);
    let action: RowAction = 'add';
    if (stored) {
      if (sameClient(stored)) {
        action = stored.state === item.state && stored.expiresAt === item.expiresAt && (stored.hostname ?? '') === (item.hostname ?? '') ? 'unchanged' : 'replace';
      } else if (isLive(stored, now)) {
        const until = when(stored.expiresAt);
        conflicts.push(
          stored.state === 'declined'
            ? conflict('live-binding', true, 'quarantine', { ip: item.ip, until }, `${item.ip} is in decline quarantine until ${until}`)
            : conflict('live-binding', true, 'bound', { ip: item.ip, mac: stored.mac, until }, `${item.ip} is bound to ${stored.mac} until ${until}`),
        );
      } else {
        action = 'replace';
        conflicts.push(conflict('history-of-other-client', false, 'history', { state: stored.state, mac: stored.mac, ip: item.ip }, `replaces the ${stored.state} record of ${stored.mac} on ${item.ip}`));
      }
    }
    if (live && item.mac) {
      const elsewhere = liveByClient.get(item.mac);
      if (elsewhere && elsewhere.ip !== item.ip) conflicts.push(conflict('live-binding', true, 'bound-elsewhere', { mac: item.mac, ip: elsewhere.ip, until: when(elsewhere.expiresAt) }, `${item.mac} is bound to ${elsewhere.ip} here until ${when(elsewhere.expiresAt)}`));
    }
    return finish(id, item, action, conflicts);
  });
}
