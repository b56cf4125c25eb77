// `pocket-dhcp leases`: the lease table of a data directory, read-only (safe while serving).
import { defaultDataDir } from '../config/paths.js';
import { leasesToCsv, leasesToJson, leasesToTable } from '../leases/export.js';
import { readLeaseSnapshot } from '../leases/lease-reader.js';
import { CliError } from './errors.js';

export async function runLeases(opts: { dataDir?: string; format?: 'table' | 'json' | 'csv' }): Promise<void> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  let snap;
  try {
    snap = await readLeaseSnapshot(dataDir);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  for (const note of snap.notes) process.stderr.write(`pocket-dhcp: note: ${note}\n`);
  const format = opts.format ?? 'table';
  if (format === 'json') process.stdout.write(`${JSON.stringify(leasesToJson(snap.leases), null, 2)}\n`);
  else if (format === 'csv') process.stdout.write(leasesToCsv(snap.leases));
  else process.stdout.write(snap.leases.length ? leasesToTable(snap.leases) : 'no leases\n');
}
