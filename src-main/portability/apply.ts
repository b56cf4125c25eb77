// Import, step 3 of 3: turn the rows the user kept into the new reservation list (for the settings
// draft) and lease records (for LeaseStore.apply). Pure; the caller does the writing, and only
// when the file had no problems at all.
import { parseMac } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import { hardwareClientId } from './model.js';
import type { ImportPreview, ImportState, PreviewLease, PreviewReservation, PreviewRow } from './preview.js';

export interface ImportSelection {
  /** Row ids to apply; rows not named are left out. Undefined = the preview's defaults. */
  leases?: readonly number[];
  reservations?: readonly number[];
}

export interface SkippedRow {
  kind: 'lease' | 'reservation';
  id: number;
  line?: number;
  reason: string;
}

export interface ApplyPlan {
  /** The complete new reservation list (undefined: reservations unchanged). */
  reservations?: Record<string, unknown>[];
  leases: Lease[];
  added: { reservations: number; leases: number };
  replaced: { reservations: number; leases: number };
  skipped: SkippedRow[];
}

export class ImportRefused extends Error {
  override name = 'ImportRefused';
}

function chosen<T>(rows: readonly PreviewRow<T>[], ids: readonly number[] | undefined, kind: SkippedRow['kind'], skipped: SkippedRow[]): PreviewRow<T>[] {
  const want = ids ? new Set(ids) : undefined;
  const out: PreviewRow<T>[] = [];
  for (const r of rows) {
    const picked = want ? want.has(r.id) : r.include;
    if (!picked) continue;
    if (r.blocked) {
      skipped.push({ kind, id: r.id, ...(r.line !== undefined ? { line: r.line } : {}), reason: r.conflicts.filter((c) => c.blocking).map((c) => c.message).join('; ') });
      continue;
    }
    if (r.action === 'unchanged') continue;
    out.push(r);
  }
  return out;
}

/** A lease record for the store from an imported row (times filled in where the file had none). */
export function toLease(p: PreviewLease, state: ImportState): Lease {
  const expiresAt = p.expiresAt;
  const startsAt = p.startsAt ?? Math.min(state.now, expiresAt - state.leaseTime * 1000);
  const lease: Lease = {
    ip: p.ip,
    clientId: p.clientId ?? (p.mac ? hardwareClientId(p.mac) : ''),
    mac: p.mac,
    state: p.state === 'bound' && expiresAt <= state.now ? 'expired' : p.state,
    subnet: p.subnet!,
    startsAt,
    expiresAt,
    firstSeen: p.firstSeen ?? startsAt,
    lastSeen: p.lastSeen ?? startsAt,
  };
  if (p.hostname) lease.hostname = p.hostname;
  if (p.vendorClass) lease.vendorClass = p.vendorClass;
  if (p.paramRequest) lease.paramRequest = p.paramRequest;
  if (p.relay) lease.relay = p.relay;
  if (p.circuitId) lease.circuitId = p.circuitId;
  if (p.remoteId) lease.remoteId = p.remoteId;
  return lease;
}

/**
 * What applying `selection` of `preview` does. `draftReservations` is the draft's list as it is
 * (entries kept verbatim, so options and client ids the UI does not edit survive).
 */
export function planApply(preview: ImportPreview, selection: ImportSelection, state: ImportState, draftReservations: readonly Record<string, unknown>[]): ApplyPlan {
  if (preview.problems.length) {
    const p = preview.problems[0]!;
    throw new ImportRefused(`the file has ${preview.problems.length} problem(s), nothing was imported; first: line ${p.line}: ${p.message}`);
  }
  const skipped: SkippedRow[] = [];
  const resRows = chosen(preview.reservations, selection.reservations, 'reservation', skipped);
  const leaseRows = chosen(preview.leases, selection.leases, 'lease', skipped);
  const plan: ApplyPlan = { leases: [], added: { reservations: 0, leases: 0 }, replaced: { reservations: 0, leases: 0 }, skipped };

  if (resRows.length) {
    const list = draftReservations.map((r) => ({ ...r }));
    const indexOf = (mac: string) => list.findIndex((r) => typeof r.mac === 'string' && (parseMac(r.mac) ?? r.mac.toLowerCase()) === mac);
    for (const row of resRows) {
      const r: PreviewReservation = row.item;
      const entry: Record<string, unknown> = { mac: r.mac, ip: r.ip!, ...(r.hostname ? { hostname: r.hostname } : {}), ...(r.clientId && r.clientId !== hardwareClientId(r.mac) ? { clientId: r.clientId } : {}), ...(r.options ? { options: r.options } : {}) };
      const at = indexOf(r.mac);
      if (at >= 0) {
        list[at] = { ...list[at], ...entry };
        plan.replaced.reservations++;
      } else {
        list.push(entry);
        plan.added.reservations++;
      }
    }
    plan.reservations = list;
  }
  for (const row of leaseRows) {
    plan.leases.push(toLease(row.item, state));
    if (row.action === 'replace') plan.replaced.leases++;
    else plan.added.leases++;
  }
  return plan;
}
