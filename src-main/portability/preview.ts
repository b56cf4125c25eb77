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
import { hardwareClientId, HOST_LABEL_RE, type ParseResult, type PortableLease, type PortableReservation, type Problem } from './model.js';
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
function notAssignable(s: ImportSubnet, ip: string): string | undefined {
  const n = ipToInt(ip);
  if (s.cidr.prefix < 31 && (n === s.cidr.network || n === cidrBroadcast(s.cidr))) return `${ip} is the network or broadcast address of ${s.subnet}`;
  if (s.hosts.includes(ip)) return `${ip} is the router or DNS server of ${s.subnet}`;
  return undefined;
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
      conflicts.push({ code: 'duplicate-in-file', message: `${item.mac} is already in this file${seenAt ? ` (line ${seenAt})` : ''}, perhaps written another way; the first one counts`, blocking: true });
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
          conflicts.push({ code: 'no-free-address', message: pool?.range ? `no free address left in ${intToIp(pool.range[0])}-${intToIp(pool.range[1])}` : 'no address range is configured yet: set the range first', blocking: true });
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
      conflicts.push({ code: 'duplicate-in-file', message: `${ip} is already given to another device in this file${at ? ` (line ${at})` : ''}`, blocking: true });
      return finish(id, item, 'add', conflicts);
    }
    fileIps.set(ip, item.line);
    taken.add(ipToInt(ip));
    if (item.hostname !== undefined && !HOST_LABEL_RE.test(item.hostname)) {
      conflicts.push({ code: 'hostname-dropped', message: `host name "${item.hostname}" is not a single DNS label (letters, digits, hyphens): imported without it`, blocking: false });
      delete item.hostname;
    }
    const s = subnetOf(state, ip);
    if (state.subnets.length === 0) conflicts.push({ code: 'no-subnets', message: 'no subnet is configured yet: the settings show a problem until the scope covers this address', blocking: false });
    else if (!s) conflicts.push({ code: 'outside-subnets', message: `${ip} is outside every configured subnet (${state.subnets.map((x) => x.subnet).join(', ')})`, blocking: true });
    else {
      const why = notAssignable(s, ip);
      if (why) conflicts.push({ code: 'not-assignable', message: why, blocking: true });
    }
    const holder = byIp.get(ip);
    if (holder && holder.mac !== item.mac) conflicts.push({ code: 'ip-reserved-for-other', message: `${ip} is already reserved for ${holder.mac}${holder.hostname ? ` (${holder.hostname})` : ''}`, blocking: true });
    const live = liveByIp.get(ip);
    if (live && live.mac !== item.mac) conflicts.push({ code: 'leased-to-other', message: `${ip} is leased to ${live.mac} until ${when(live.expiresAt)}; that device keeps it until its lease ends`, blocking: false });
    let action: RowAction = 'add';
    let byDefault = true;
    if (existing) {
      if (existing.ip !== ip) {
        action = 'replace';
        byDefault = false;
        conflicts.push({ code: 'same-mac-other-ip', message: `${item.mac} is reserved at ${existing.ip} now; including this row moves it to ${ip}`, blocking: false });
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
      conflicts.push({ code: 'duplicate-in-file', message: `${item.ip} appears earlier in this file${at ? ` (line ${at})` : ''}`, blocking: true });
      return finish(id, item, 'add', conflicts);
    }
    fileIps.set(item.ip, item.line);
    const live = item.state === 'bound' && item.expiresAt > now;
    if (live && item.mac) {
      if (fileBound.has(item.mac)) {
        const at = fileBound.get(item.mac);
        conflicts.push({ code: 'duplicate-in-file', message: `${item.mac} already has a bound lease in this file${at ? ` (line ${at})` : ''}, perhaps with its MAC written another way`, blocking: true });
        return finish(id, item, 'add', conflicts);
      }
      fileBound.set(item.mac, item.line);
    }
    const s = subnetOf(state, item.ip);
    if (s) {
      item.subnet = s.subnet;
      const why = notAssignable(s, item.ip);
      if (why) conflicts.push({ code: 'not-assignable', message: why, blocking: true });
    } else if (state.subnets.length === 0 && item.subnet && parseCidr(item.subnet)) {
      conflicts.push({ code: 'no-subnets', message: `no subnet is configured yet: kept in ${item.subnet} as the file says`, blocking: false });
    } else {
      conflicts.push({ code: 'outside-subnets', message: state.subnets.length ? `${item.ip} is outside every configured subnet (${state.subnets.map((x) => x.subnet).join(', ')})` : 'no subnet is configured yet: set up the scope first', blocking: true });
    }
    const res = reservedIp.get(item.ip);
    if (res && res.mac !== item.mac) conflicts.push({ code: 'ip-reserved-for-other', message: `${item.ip} is reserved for ${res.mac}`, blocking: true });
    const mine = item.mac ? reservedMac.get(item.mac) : undefined;
    if (mine && mine.ip !== item.ip) conflicts.push({ code: 'same-mac-other-ip', message: `${item.mac} has a reservation for ${mine.ip}; it gets that address at its next request`, blocking: false });
    const clientId = item.clientId ?? (item.mac ? hardwareClientId(item.mac) : '');
    const sameClient = (l: Lease) => (item.mac !== '' && l.mac === item.mac) || (clientId !== '' && l.clientId === clientId);
    const stored = storeByIp.get(item.ip);
    let action: RowAction = 'add';
    if (stored) {
      if (sameClient(stored)) {
        action = stored.state === item.state && stored.expiresAt === item.expiresAt && (stored.hostname ?? '') === (item.hostname ?? '') ? 'unchanged' : 'replace';
      } else if (isLive(stored, now)) {
        conflicts.push({ code: 'live-binding', message: `${item.ip} is ${stored.state === 'declined' ? 'in decline quarantine' : `bound to ${stored.mac}`} until ${when(stored.expiresAt)}`, blocking: true });
      } else {
        action = 'replace';
        conflicts.push({ code: 'history-of-other-client', message: `replaces the ${stored.state} record of ${stored.mac} on ${item.ip}`, blocking: false });
      }
    }
    if (live && item.mac) {
      const elsewhere = liveByClient.get(item.mac);
      if (elsewhere && elsewhere.ip !== item.ip) conflicts.push({ code: 'live-binding', message: `${item.mac} is bound to ${elsewhere.ip} here until ${when(elsewhere.expiresAt)}`, blocking: true });
    }
    return finish(id, item, action, conflicts);
  });
}
