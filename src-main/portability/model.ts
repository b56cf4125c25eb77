// The neutral shapes every import/export format converts to and from. Pure types and small helpers,
// no I/O: the renderer imports this module too (the preview it shows is made of these).
import { parseMac } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';

/** Lease states a file can carry ("offered" lives in memory only and is never exported). */
export type PortableState = 'bound' | 'expired' | 'released' | 'declined';

/** A lease as a foreign file describes it: only ip, mac, state and expiresAt are always known. */
export interface PortableLease {
  ip: string;
  /** aa:bb:cc:dd:ee:ff (lower case); "" for records without a client (a Kea declined lease). */
  mac: string;
  /** Colon hex: option 61, or htype + chaddr. */
  clientId?: string;
  hostname?: string;
  state: PortableState;
  /** Epoch milliseconds. */
  startsAt?: number;
  expiresAt: number;
  firstSeen?: number;
  lastSeen?: number;
  /** "198.18.10.0/24", when the file says (our own formats). */
  subnet?: string;
  vendorClass?: string;
  relay?: string;
  circuitId?: string;
  remoteId?: string;
  paramRequest?: number[];
  /** 1-based line of the record in the imported text. */
  line?: number;
}

/** A reservation. `ip` absent = "give it the next free address" (a pasted MAC list). */
export interface PortableReservation {
  mac: string;
  ip?: string;
  hostname?: string;
  clientId?: string;
  options?: Record<string, unknown>;
  line?: number;
}

/** The values an English sentence was built from (names, addresses, numbers: never translated). */
export type TextParams = Record<string, string | number>;

/**
 * An engine sentence by its code, for the UI's other languages: the renderer words it from its
 * catalog (import.problem.<code>, import.note.<code>, kea.note.<code>; the English entries mirror
 * these sentences exactly, test/unit/renderer/portability-text.test.ts). The CLI prints the English.
 */
export interface TextCode {
  code: string;
  params?: TextParams;
}

/** Something in the file that could not be read: it blocks the whole import. */
export interface Problem {
  line: number;
  message: string;
  /** The message's code and values (absent: the UI shows `message` as it is). */
  code?: string;
  params?: TextParams;
}

/** A problem with its code: `message` is the English the CLI prints. */
export function problem(line: number, code: string, params: TextParams, message: string): Problem {
  return { line, message, code, params };
}

export interface ParseResult {
  leases: PortableLease[];
  reservations: PortableReservation[];
  /** Non-empty = the file is bad; nothing of it may be applied. */
  problems: Problem[];
  /** Things that were understood but are not imported (IPv6 lines, dnsmasq "ignore" hosts, …). */
  notes: string[];
  /** notes[i]'s code and values, same index (null or absent: only the English). Fill with addNote(). */
  noteCodes?: (TextCode | null)[];
}

/** Adds a note with its code (see TextCode); plain `notes.push` still works, without one. */
export function addNote(res: { notes: string[]; noteCodes?: (TextCode | null)[] }, code: string, params: TextParams, message: string): void {
  const codes = (res.noteCodes ??= []);
  while (codes.length < res.notes.length) codes.push(null);
  codes[res.notes.length] = { code, params };
  res.notes.push(message);
}

export interface ParseContext {
  /** Epoch ms: decides bound vs. expired. */
  now: number;
}

export function emptyResult(): ParseResult {
  return { leases: [], reservations: [], problems: [], notes: [] };
}

/** Records that may leave the server: everything but in-memory offers. */
export function exportable(leases: readonly Lease[]): Lease[] {
  return leases.filter((l) => l.state !== 'offered');
}

/** The client id our engine derives for an Ethernet client that sends no option 61 (htype 1 + chaddr). */
export function hardwareClientId(mac: string): string {
  return `01:${mac}`;
}

/** Normalises hex in any notation (aa:bb, aa-bb, aabb, 0xaabb) to lower-case colon hex; undefined if not hex. */
export function normaliseHex(text: string): string | undefined {
  const clean = text.trim().replace(/^0x/i, '').replace(/[:\s.-]/g, '');
  if (clean === '' || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean)) return undefined;
  return clean.toLowerCase().match(/../g)!.join(':');
}

/** MAC in any notation parseMac knows, plus the unpadded "a:b:c:d:e:f" form some tools write. */
export function looseMac(text: string): string | undefined {
  const direct = parseMac(text);
  if (direct) return direct;
  const parts = text.trim().split(/[:-]/);
  if (parts.length === 6 && parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
  return undefined;
}

/** A host name as our configuration accepts it (one DNS label), or undefined. */
export const HOST_LABEL_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Splits text into lines: strips a byte order mark, accepts LF, CRLF and lone CR. */
export function splitLines(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.split(/\r\n|\n|\r/);
}

/** Thrown by format() functions when the data cannot be written in that format at all. */
export class ExportError extends Error {
  override name = 'ExportError';
}
