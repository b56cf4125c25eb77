// Read-only view of a data directory's lease file, for `pocket-dhcp leases` and exports while a
// server may be running on it: no lock taken, nothing repaired or written. It replays the file
// exactly as LeaseStore.open would (same analysis), so what it prints is what a restart would load.
import { join } from 'node:path';
import type { Lease } from '../dhcp/lease.js';
import { LeaseStoreError } from './errors.js';
import { analyzeLeaseFile, isNewerFormat, readLeaseFile } from './lease-file.js';
import { BATCH_ID, META_ID, cleanLease, leaseProblem } from './lease-record.js';
import { DATA_FILE } from './lease-store.js';

export interface LeaseSnapshot {
  leases: Lease[];
  /** The data file does not exist yet (no server has run with this data directory). */
  missing: boolean;
  /** Things a reader should know: a torn tail or unreadable lines a server start would repair. */
  notes: string[];
}

export async function readLeaseSnapshot(dataDir: string, now: number = Date.now()): Promise<LeaseSnapshot> {
  const path = join(dataDir, DATA_FILE);
  let buf: Buffer | undefined;
  try {
    buf = await readLeaseFile(path);
  } catch (e) {
    throw new LeaseStoreError('LOAD_FAILED', `cannot read ${path}: ${(e as Error).message} — check the --data-dir path and its permissions`);
  }
  if (buf === undefined) return { leases: [], missing: true, notes: [`no lease file in ${dataDir} yet (no server has used this data directory)`] };
  const a = analyzeLeaseFile(buf);
  if (isNewerFormat(a)) {
    throw new LeaseStoreError('NEWER_FORMAT', `${path} was written by a newer version of Pocket DHCP (format ${a.format}); update pocket-dhcp to read it`);
  }
  const notes: string[] = [];
  if (a.torn) notes.push(`the last line of ${path} was cut short by a crash (${a.torn.bytes} bytes); the server will drop it at its next start`);
  if (a.garbage.length) notes.push(`${a.garbage.length} unreadable line(s) in ${path} (first at line ${a.garbage[0]!.line}); the server will quarantine them at its next start`);
  const leases: Lease[] = [];
  for (const [id, doc] of a.docs) {
    if (id === META_ID || id === BATCH_ID || leaseProblem(doc) !== undefined) continue;
    // Already the store's frozen record (lease-file.ts); only an expiry makes a new one.
    const l = doc as unknown as Lease;
    leases.push(l.state === 'bound' && l.expiresAt <= now ? cleanLease({ ...l, state: 'expired' }) : l);
  }
  return { leases, missing: false, notes };
}
