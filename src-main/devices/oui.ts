// Offline OUI vendor names: the IEEE registries (MA-L 24-bit, MA-M 28-bit, MA-S 36-bit prefixes)
// as shipped inside the npm package `oui-data` (BSD-2-Clause, pinned in package.json; nothing is
// downloaded at install or run time). The 5.6 MB JSON is read and parsed once, on the first
// lookup — not at start-up and never per packet: vendors are looked up when lease rows are built
// for the UI and for exports. The table keeps only the organisation name (the first line of each
// IEEE entry; the postal address is dropped), keyed by the prefix as a number, so a lookup is at
// most three Map reads.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface OuiTable {
  /** 24-bit MA-L prefixes. */
  l: Map<number, string>;
  /** 28-bit MA-M prefixes (blocks of an MA-L assigned to "IEEE Registration Authority"). */
  m: Map<number, string>;
  /** 36-bit MA-S prefixes. */
  s: Map<number, string>;
  loadMs: number;
}

let table: OuiTable | undefined;
let loadError: string | undefined;

/** Where the package's JSON is (resolvable inside an asar archive too: Electron patches fs). */
function dataPath(): string {
  return createRequire(import.meta.url).resolve('oui-data');
}

/** Builds the table from the package's `{ "<hex prefix>": "<name>\n<address…>" }` object. */
export function buildOuiTable(data: Record<string, unknown>): Omit<OuiTable, 'loadMs'> {
  const l = new Map<number, string>();
  const m = new Map<number, string>();
  const s = new Map<number, string>();
  // Many prefixes share one organisation: one string per distinct name.
  const names = new Map<string, string>();
  for (const key of Object.keys(data)) {
    const raw = data[key];
    if (typeof raw !== 'string' || key.length < 6 || key.length > 9) continue;
    const nl = raw.indexOf('\n');
    const first = (nl < 0 ? raw : raw.slice(0, nl)).trim();
    // "Private": the registrant asked for its name not to be published — no vendor to show.
    if (!first || first === 'Private') continue;
    let name = names.get(first);
    if (name === undefined) names.set(first, (name = first));
    const n = parseInt(key, 16);
    if (!Number.isFinite(n)) continue;
    if (key.length === 6) l.set(n, name);
    else if (key.length === 7) m.set(n, name);
    else if (key.length === 9) s.set(n, name);
  }
  return { l, m, s };
}

function fromText(text: string, t0: number): void {
  try {
    table = { ...buildOuiTable(JSON.parse(text) as Record<string, unknown>), loadMs: performance.now() - t0 };
  } catch (e) {
    loadError = `the OUI vendor table (oui-data) could not be read: ${(e as Error).message}`;
  }
}

function load(): OuiTable | undefined {
  if (table || loadError) return table;
  const t0 = performance.now();
  let text: string;
  try {
    text = readFileSync(dataPath(), 'utf8');
  } catch (e) {
    // Never fatal: the lease table simply shows no vendors.
    loadError = `the OUI vendor table (oui-data) could not be loaded: ${(e as Error).message}`;
    return undefined;
  }
  fromText(text, t0);
  return table;
}

/**
 * Loads the table ahead of the first lookup (about 150 ms of parsing on a busy 2-core machine),
 * reading the file without blocking: the server calls it when it opens, while nobody is being
 * served yet, so the first lease row built later does not stall packet handling.
 */
export async function preloadOui(): Promise<void> {
  if (table || loadError) return;
  const t0 = performance.now();
  let text: string;
  try {
    text = await readFile(dataPath(), 'utf8');
  } catch (e) {
    loadError = `the OUI vendor table (oui-data) could not be loaded: ${(e as Error).message}`;
    return;
  }
  if (!table && !loadError) fromText(text, t0);
}

/** The hex digits of a MAC ("aa:bb:cc:dd:ee:ff", "aa-bb-…", "aabb.ccdd.eeff"), lower case; undefined unless 12 of them. */
function hexDigits(mac: string): string | undefined {
  let out = '';
  for (let i = 0; i < mac.length; i++) {
    const c = mac.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) out += mac[i];
    else if (c !== 58 && c !== 45 && c !== 46) return undefined;
  }
  return out.length === 12 ? out : undefined;
}

/**
 * A locally administered address (IEEE 802: bit 0x02 of the first octet). Phones and laptops use
 * such randomized "private" MACs per network (iOS, Android 10+, Windows 10+); they belong to no
 * vendor, and the same device may show up with another MAC on another network.
 */
export function isRandomizedMac(mac: string): boolean {
  const hex = hexDigits(mac);
  return hex !== undefined && (parseInt(hex.slice(0, 2), 16) & 0x02) !== 0;
}

/**
 * The registered organisation of a MAC's prefix — the longest registered prefix wins (MA-S, then
 * MA-M, then MA-L) — or undefined: unknown, unpublished, not a 6-byte MAC, or locally
 * administered (a random MAC has no vendor, even when its bits happen to match a registration).
 */
export function vendorOf(mac: string): string | undefined {
  const hex = hexDigits(mac);
  if (hex === undefined || (parseInt(hex.slice(0, 2), 16) & 0x02) !== 0) return undefined;
  const t = load();
  if (!t) return undefined;
  return t.s.get(parseInt(hex.slice(0, 9), 16)) ?? t.m.get(parseInt(hex.slice(0, 7), 16)) ?? t.l.get(parseInt(hex.slice(0, 6), 16));
}

/** Size and load time of the table (loads it), or why it could not be loaded. */
export function ouiInfo(): { prefixes: number; loadMs: number } | { error: string } {
  const t = load();
  if (!t) return { error: loadError ?? 'not loaded' };
  return { prefixes: t.l.size + t.m.size + t.s.size, loadMs: t.loadMs };
}
