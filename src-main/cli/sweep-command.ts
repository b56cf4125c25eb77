// `pocket-dhcp sweep --interface IF --range A-B`: which addresses of a range are already in use,
// by ARP (server/pool-sweep.ts). Read-only towards the lease store (safe while serving); needs
// CAP_NET_RAW for the packet socket.
import { defaultDataDir } from '../config/paths.js';
import type { Lease } from '../dhcp/lease.js';
import { readLeaseSnapshot } from '../leases/lease-reader.js';
import { isNetError } from '../net/net-error.js';
import { MAX_SWEEP_RATE } from '../net/arp-probe.js';
import { rangeAddresses, runPoolSweep, type PoolSweepResult } from '../server/pool-sweep.js';
import { CliError, EXIT_CONFIG } from './errors.js';

export interface SweepFlags {
  interface?: string;
  range?: string;
  json?: boolean;
  rate?: string;
  dataDir?: string;
}

export async function runSweep(flags: SweepFlags): Promise<void> {
  if (!flags.interface) throw new CliError('--interface IF is required (see "pocket-dhcp interfaces")', EXIT_CONFIG);
  if (!flags.range) throw new CliError('--range FIRST-LAST is required, e.g. --range 198.18.10.100-198.18.10.200', EXIT_CONFIG);
  try {
    rangeAddresses(flags.range);
  } catch (e) {
    throw new CliError(`--range: ${(e as Error).message}`, EXIT_CONFIG);
  }
  const rate = flags.rate === undefined ? 50 : Number(flags.rate);
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_SWEEP_RATE) throw new CliError(`--rate must be a whole number of probes per second from 1 to ${MAX_SWEEP_RATE}`, EXIT_CONFIG);

  // Our leases, to tell our clients from devices with fixed addresses (optional: a machine that
  // never served has none).
  const byIp = new Map<string, Lease>();
  try {
    const snap = await readLeaseSnapshot(flags.dataDir ?? defaultDataDir());
    for (const l of snap.leases) byIp.set(l.ip, l);
  } catch (e) {
    if (flags.dataDir) process.stderr.write(`pocket-dhcp: note: leases not read (${(e as Error).message}); every answering address is listed as not ours\n`);
  }
  let result: PoolSweepResult;
  try {
    result = await runPoolSweep({ interface: flags.interface, range: flags.range, ratePerSecond: rate, context: { byIp: (ip) => byIp.get(ip), reservations: [], now: Date.now() } });
  } catch (e) {
    if (isNetError(e) && (e.code === 'EPERM' || e.code === 'EACCES' || e.code === 'ENODEV' || e.code === 'UNSUPPORTED_PLATFORM' || e.code === 'INVALID_NAME')) throw new CliError(e.message);
    throw new CliError(`sweep failed: ${(e as Error).message}`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const head = `${result.range} on ${result.interface}: ${result.hits.length} of ${result.probed} address(es) answered (${(result.durationMs / 1000).toFixed(1)} s at ${result.ratePerSecond} probes/s)`;
  if (!result.hits.length) {
    process.stdout.write(`${head}\nno address in this range is in use\n`);
    return;
  }
  const rows = result.hits.map((h) => [h.ip, [h.mac, ...(h.others ?? [])].join(','), h.kind, h.note]);
  const cols = ['ADDRESS', 'MAC', 'KIND', 'NOTE'];
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${head}\n${[line(cols), ...rows.map(line)].join('\n')}\n`);
}
