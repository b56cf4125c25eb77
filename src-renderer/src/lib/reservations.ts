// Reservation entry: MAC normalisation, validation of one reservation against the others and the
// scope, and the bulk-paste parser ("MAC IP hostname" per line) with per-line errors.
import { intToIp, ipToInt, isIpv4, parseMac } from '../../../src-main/dhcp/ip.js';
import { nextFreeAddress } from '../../../src-main/portability/auto-address.js';
import { hostProblem, splitRange } from './scope.js';
import { t } from '../i18n/index.js';


export interface Reservation {
  mac: string;
  ip: string;
  hostname?: string;
  /** Kept as the config has them; the UI does not edit these. */
  clientId?: string;
  options?: Record<string, unknown>;
}

/** aa:bb:cc:dd:ee:ff in lower case, from any common notation; undefined when it is not a MAC. */
export function normaliseMac(text: string): string | undefined {
  return parseMac(text);
}

/** Loose key for matching a typed MAC fragment against stored ones: hex digits only. */
export function macDigits(text: string): string {
  return text.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export const HOSTNAME_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DHCP client's host name turned into a reservation host name (or undefined if nothing usable). */
export function sanitiseHostname(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const first = name.trim().split('.')[0] ?? '';
  const clean = first
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return HOSTNAME_RE.test(clean) ? clean : undefined;
}

export interface ReservationContext {
  subnet?: string;
  serverAddress?: string;
  routers?: readonly string[];
  dns?: readonly string[];
}

export interface ReservationErrors {
  mac?: string;
  ip?: string;
  hostname?: string;
}

/**
 * Checks one reservation (as typed) against the others (`others` excludes the one being edited).
 * Messages are short, for display under the field.
 */
export function validateReservation(r: { mac: string; ip: string; hostname?: string }, others: readonly Reservation[], ctx: ReservationContext = {}): ReservationErrors {
  const errors: ReservationErrors = {};
  const mac = r.mac.trim();
  if (!mac) errors.mac = t('resv.err.enterMac');
  else {
    const norm = parseMac(mac);
    if (!norm) errors.mac = t('resv.err.notMac');
    else {
      const dup = others.find((o) => parseMac(o.mac) === norm);
      if (dup) errors.mac = t('resv.err.macTaken', { mac: norm, ip: dup.hostname ? `${dup.ip}, ${dup.hostname}` : dup.ip });
    }
  }
  const ip = r.ip.trim();
  if (!ip) errors.ip = t('resv.err.enterIp');
  else {
    const p = hostProblem(ip, ctx.subnet);
    if (p) errors.ip = p;
    else if (ip === ctx.serverAddress) errors.ip = t('resv.err.isServer', { ip });
    else if (ctx.routers?.includes(ip)) errors.ip = t('resv.err.isRouter', { ip });
    else if (ctx.dns?.includes(ip)) errors.ip = t('resv.err.isDns', { ip });
    else {
      const dup = others.find((o) => o.ip.trim() === ip);
      if (dup) errors.ip = t('resv.err.ipTaken', { ip, mac: `${parseMac(dup.mac) ?? dup.mac}${dup.hostname ? ` (${dup.hostname})` : ''}` });
    }
  }
  const host = r.hostname?.trim();
  if (host && !HOSTNAME_RE.test(host)) errors.hostname = t('resv.err.hostname');
  return errors;
}

export function hasErrors(e: ReservationErrors): boolean {
  return Boolean(e.mac || e.ip || e.hostname);
}

/** The reservation as saved: MAC normalised, host name trimmed (dropped when empty). */
export function normaliseReservation(r: { mac: string; ip: string; hostname?: string }, keep?: Reservation): Reservation {
  const out: Reservation = { ...(keep ?? {}), mac: parseMac(r.mac) ?? r.mac.trim(), ip: r.ip.trim() };
  const host = r.hostname?.trim();
  if (host) out.hostname = host;
  else delete out.hostname;
  return out;
}

// ---- bulk paste ------------------------------------------------------------------------------

export interface BulkLine {
  /** 1-based line number in the pasted text. */
  line: number;
  text: string;
  reservation?: Reservation;
  /** The line had only a MAC: the address is the next free one (or the device's current one). */
  auto?: boolean;
  errors: string[];
}

/** What a pasted MAC without an address needs to get one: the range and the addresses in use. */
export interface BulkAuto {
  range?: string;
  leases?: readonly { ip: string; mac: string; state: string; expiresAt: number }[];
  now?: number;
}

/**
 * Parses pasted lines of "MAC IP [hostname]" (any order; separated by spaces, tabs, commas or
 * semicolons, so spreadsheet columns paste too). Blank lines and # comments are skipped. Each
 * line is checked on its own, against the existing reservations and against earlier lines. A line
 * with a MAC and no address (a plain MAC list) is reserved at the device's current address, else
 * at the next free address of `auto.range` — never one reserved, this computer's, a router's, a
 * DNS server's, leased to another device, or given to another line of the paste.
 */
export function parseBulkReservations(text: string, existing: readonly Reservation[], ctx: ReservationContext = {}, auto: BulkAuto = {}): BulkLine[] {
  const out: BulkLine[] = [];
  const accepted: Reservation[] = [];
  const lines = text.split(/\r?\n/);
  const { start, end } = splitRange(auto.range);
  const range: [number, number] | undefined = isIpv4(start) && isIpv4(end) && ipToInt(start) <= ipToInt(end) ? [ipToInt(start), ipToInt(end)] : undefined;
  const now = auto.now ?? Date.now();
  const live = (auto.leases ?? []).filter((l) => l.state === 'bound' && l.expiresAt > now);
  const taken = new Set<number>();
  for (const ip of [...existing.map((r) => r.ip), ...(ctx.routers ?? []), ...(ctx.dns ?? []), ...(ctx.serverAddress ? [ctx.serverAddress] : []), ...live.map((l) => l.ip)]) if (isIpv4(ip)) taken.add(ipToInt(ip));
  // Addresses written out anywhere in the paste are not handed to a MAC-only line.
  for (const l of lines) for (const t of l.replace(/#.*$/, '').split(/[\s,;]+/)) if (isIpv4(t)) taken.add(ipToInt(t));
  const pick = (macText: string): string | undefined => {
    const mac = parseMac(macText);
    const own = live.find((l) => l.mac === mac && range && ipToInt(l.ip) >= range[0] && ipToInt(l.ip) <= range[1] && !existing.some((r) => r.ip === l.ip) && !accepted.some((r) => r.ip === l.ip));
    if (own) return own.ip;
    const n = range ? nextFreeAddress(range, taken) : undefined;
    if (n === undefined) return undefined;
    taken.add(n);
    return intToIp(n);
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const tokens = line.split(/[\s,;]+/).filter(Boolean);
    const errors: string[] = [];
    let mac: string | undefined;
    let ip: string | undefined;
    let hostname: string | undefined;
    let badIp: string | undefined;
    let badMac: string | undefined;
    const extra: string[] = [];
    for (const t of tokens) {
      const isMac = parseMac(t) !== undefined;
      const isIp = isIpv4(t);
      if (isMac && !mac) mac = t;
      else if (isIp && !ip) ip = t;
      else if (!isMac && !isIp && /^[\d.]+$/.test(t) && t.includes('.')) badIp ??= t;
      else if (!isMac && !isIp && /^([0-9a-f]{1,4}[:.-]){2,}[0-9a-f]{1,4}$/i.test(t)) badMac ??= t;
      else if (!isMac && !isIp && !hostname) hostname = t;
      else extra.push(t);
    }
    if (!mac) errors.push(badMac ? t('paste.err.notMac', { value: badMac }) : t('paste.err.noMac'));
    let assigned = false;
    const already = mac && !ip && !badIp ? (existing.find((r) => parseMac(r.mac) === parseMac(mac!)) ?? accepted.find((r) => r.mac === parseMac(mac!))) : undefined;
    if (already) errors.push(accepted.includes(already) ? t('paste.err.reservedEarlier', { mac: parseMac(mac!) ?? mac!, ip: already.ip }) : t('paste.err.reserved', { mac: parseMac(mac!) ?? mac!, ip: already.ip }));
    else if (mac && !ip && !badIp) {
      ip = pick(mac);
      if (ip) assigned = true;
      else errors.push(range ? t('paste.err.full', { range: String(auto.range) }) : t('paste.err.noIpNoRange'));
    } else if (!ip) errors.push(badIp ? t('host.notIpv4', { value: badIp }) : t('paste.err.noIp'));
    if (extra.length) errors.push(t('paste.err.extra', { words: extra.map((w) => `“${w}”`).join(', ') }));
    let reservation: Reservation | undefined;
    if (mac && ip) {
      const candidate = { mac, ip, ...(hostname ? { hostname } : {}) };
      const existingErrors = validateReservation(candidate, existing, ctx);
      const pasteErrors = validateReservation(candidate, accepted, {});
      for (const e of [existingErrors.mac, existingErrors.ip, existingErrors.hostname]) if (e) errors.push(e);
      if (!existingErrors.mac && pasteErrors.mac) errors.push(t('paste.err.earlier', { value: parseMac(mac) ?? mac }));
      if (!existingErrors.ip && pasteErrors.ip) errors.push(t('paste.err.earlier', { value: ip }));
      if (!errors.length) {
        reservation = normaliseReservation(candidate);
        accepted.push(reservation);
      }
    }
    out.push({ line: i + 1, text: raw, ...(reservation ? { reservation } : {}), ...(reservation && assigned ? { auto: true } : {}), errors });
  });
  return out;
}
