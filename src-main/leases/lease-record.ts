// The on-disk shape of a lease: one NeDB document per IP (`_id` = the IP), plus two control
// documents. The same validator guards both directions — apply() refuses what load() would
// quarantine — so a record the server acknowledged can always be read back.
import type { Lease } from '../dhcp/lease.js';
import { PERSISTED_STATES } from '../dhcp/lease.js';
import { isIpv4 } from '../dhcp/ip.js';

/** Bump when a newer version writes something an older one must not read; older versions refuse. */
export const LEASE_FILE_FORMAT = 1;

/** `{"_id":"__meta__","format":1,"app":"pocket-dhcp","createdAt":…}` — one per file. */
export const META_ID = '__meta__';

/**
 * `{"_id":"__batch__","seq":…}` — rewritten as the *last* line of every batch. A batch is two
 * appends (NeDB's remove, then insert); the marker makes "the batch is complete" visible in the
 * file so that recovery can undo the deletions of a batch whose insert never made it (see
 * lease-file.ts). IPs never start with "_", so control ids cannot collide with leases.
 */
export const BATCH_ID = '__batch__';

export type LeaseDoc = Lease & { _id: string };

const STATES: ReadonlySet<string> = new Set(PERSISTED_STATES);
const TIME_FIELDS = ['startsAt', 'expiresAt', 'firstSeen', 'lastSeen'] as const;
const STRING_FIELDS = ['clientId', 'mac', 'subnet'] as const;
const OPTIONAL_STRINGS = ['hostname', 'vendorClass', 'circuitId', 'remoteId'] as const;

/**
 * Why `x` is not a persistable lease, or undefined when it is. Non-finite numbers are refused
 * because JSON turns them into null, which would not load again.
 */
export function leaseProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not an object';
  const r = x as Record<string, unknown>;
  if (typeof r.ip !== 'string' || !isIpv4(r.ip)) return `ip ${JSON.stringify(r.ip)} is not an IPv4 address`;
  if (r.state === 'offered') return 'state "offered" is never persisted (offers are held in memory only)';
  if (typeof r.state !== 'string' || !STATES.has(r.state)) return `state ${JSON.stringify(r.state)} is not one of ${PERSISTED_STATES.join(', ')}`;
  for (const f of STRING_FIELDS) if (typeof r[f] !== 'string') return `${f} is not a string`;
  for (const f of TIME_FIELDS) {
    const v = r[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${f} is not a finite number`;
  }
  for (const f of OPTIONAL_STRINGS) if (r[f] !== undefined && typeof r[f] !== 'string') return `${f} is not a string`;
  if (r.relay !== undefined && (typeof r.relay !== 'string' || !isIpv4(r.relay))) return 'relay is not an IPv4 address';
  if (r.paramRequest !== undefined) {
    const p = r.paramRequest;
    if (!Array.isArray(p) || !p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) return 'paramRequest is not a list of option codes';
  }
  return undefined;
}

/** Why a parsed line is not a valid lease document, or undefined. */
export function leaseDocProblem(doc: Record<string, unknown>): string | undefined {
  const p = leaseProblem(doc);
  if (p) return p;
  if (doc._id !== doc.ip) return `_id ${JSON.stringify(doc._id)} differs from ip ${JSON.stringify(doc.ip)}`;
  return undefined;
}

// Equal values shared between records. A lab has a handful of device kinds, so 100,000 leases
// hold a handful of distinct option-55 lists, vendor classes and subnets; parsed from JSON each
// would be its own copy (V8 only deduplicates strings of up to 10 characters). Bounded: past
// MAX_SHARED distinct values, new ones are kept as they are.
const MAX_SHARED = 4096;
const STRINGS = new Map<string, string>();

/** One string per distinct subnet / vendor class. */
export function sharedString(s: string): string {
  const hit = STRINGS.get(s);
  if (hit !== undefined) return hit;
  if (STRINGS.size < MAX_SHARED) STRINGS.set(s, s);
  return s;
}

/** Lists handed out by sharedParamRequest: a renewal passes its lease's list back unchanged. */
const SHARED_LISTS = new WeakSet<readonly number[]>();
/** Kept lists by a hash of their codes (no string key: at load this runs once per lease). */
const LISTS = new Map<number, Array<readonly number[]>>();
let listCount = 0;

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One frozen array per distinct option-55 list. */
export function sharedParamRequest(p: readonly number[]): number[] {
  if (SHARED_LISTS.has(p)) return p as number[];
  let h = p.length;
  for (let i = 0; i < p.length; i++) h = (Math.imul(h, 31) + p[i]!) | 0;
  const bucket = LISTS.get(h);
  if (bucket) for (const q of bucket) if (sameList(p, q)) return q as number[];
  const v = Object.isFrozen(p) ? p : Object.freeze([...p]);
  if (listCount < MAX_SHARED) {
    if (bucket) bucket.push(v);
    else LISTS.set(h, [v]);
    listCount++;
    SHARED_LISTS.add(v);
  }
  return v as number[];
}

/**
 * A frozen copy with exactly the Lease fields. The index hands these objects to the engine;
 * freezing turns an accidental in-place edit (which would change the authoritative index without
 * persisting anything) into an immediate TypeError.
 *
 * It also carries NeDB's `_id` (the IP) as a non-enumerable property, so that the same object can
 * be NeDB's document for that lease (the store does that when it changes NeDB's memory itself):
 * one object per lease instead of two, ~20 MB less at 100,000 leases. Non-enumerable, `_id` stays
 * out of everything that copies or serializes a lease — spreads, JSON, structured clone (IPC),
 * Object.keys and toEqual — and the store writes it into the file explicitly (docJson()).
 */
export function cleanLease(r: Lease): Lease {
  const out: Lease = {
    ip: r.ip,
    clientId: r.clientId,
    mac: r.mac,
    state: r.state,
    subnet: sharedString(r.subnet),
    startsAt: r.startsAt,
    expiresAt: r.expiresAt,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
  };
  if (r.hostname !== undefined) out.hostname = r.hostname;
  if (r.vendorClass !== undefined) out.vendorClass = sharedString(r.vendorClass);
  // Frozen, so it cannot change under us, and shared between records with the same list.
  if (r.paramRequest !== undefined) out.paramRequest = sharedParamRequest(r.paramRequest);
  if (r.relay !== undefined) out.relay = r.relay;
  if (r.circuitId !== undefined) out.circuitId = r.circuitId;
  if (r.remoteId !== undefined) out.remoteId = r.remoteId;
  Object.defineProperty(out, '_id', { value: out.ip });
  return Object.freeze(out);
}

export function leaseToDoc(l: Lease): LeaseDoc {
  return { _id: l.ip, ...l };
}

/** `l` itself when it carries its `_id` (made by cleanLease), else a document copy (leaseToDoc). */
export function asNedbDoc(l: Lease): LeaseDoc {
  return (l as Partial<LeaseDoc>)._id === l.ip ? (l as LeaseDoc) : leaseToDoc(l);
}

/**
 * The JSON line text of a NeDB document: JSON.stringify, plus the `_id` of a record that carries
 * it non-enumerably (cleanLease), first as in leaseToDoc's documents.
 */
export function docJson(d: object): string {
  const json = JSON.stringify(d);
  const id = (d as { _id?: unknown })._id;
  if (id === undefined || Object.prototype.propertyIsEnumerable.call(d, '_id')) return json;
  return json === '{}' ? `{"_id":${JSON.stringify(id)}}` : `{"_id":${JSON.stringify(id)},${json.slice(1)}`;
}
