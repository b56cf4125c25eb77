// `pocket-dhcp journal`: the lease journal of a data directory (who had which address when),
// filtered by MAC, IP, host name and time; read-only, safe while serving.
import { defaultDataDir } from '../config/paths.js';
import { isIpv4, parseMac } from '../dhcp/ip.js';
import { journalToCsv, journalToTable, readJournal } from '../devices/journal.js';
import type { JournalQuery } from '../devices/journal-types.js';
import { CliError, EXIT_CONFIG } from './errors.js';

export interface JournalOptions {
  dataDir?: string;
  mac?: string;
  ip?: string;
  host?: string;
  since?: string;
  until?: string;
  format?: 'table' | 'json' | 'csv';
}

function time(flag: string, v: string): number {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new CliError(`${flag} "${v}" is not a date/time; use ISO 8601, e.g. 2026-11-23T09:30:00Z or 2026-11-23`, EXIT_CONFIG);
  return t;
}

export function journalQueryFromFlags(o: JournalOptions): JournalQuery {
  const q: JournalQuery = {};
  if (o.mac !== undefined) {
    const mac = parseMac(o.mac);
    if (!mac) throw new CliError(`--mac "${o.mac}" is not a MAC address; use six hex pairs, e.g. aa:bb:cc:dd:ee:ff`, EXIT_CONFIG);
    q.mac = mac;
  }
  if (o.ip !== undefined) {
    if (!isIpv4(o.ip)) throw new CliError(`--ip "${o.ip}" is not an IPv4 address`, EXIT_CONFIG);
    q.ip = o.ip;
  }
  if (o.host !== undefined) q.hostname = o.host;
  if (o.since !== undefined) q.since = time('--since', o.since);
  if (o.until !== undefined) q.until = time('--until', o.until);
  if (q.since !== undefined && q.until !== undefined && q.since > q.until) throw new CliError('--since is after --until: nothing can match', EXIT_CONFIG);
  return q;
}

export async function runJournal(opts: JournalOptions): Promise<void> {
  const q = journalQueryFromFlags(opts);
  const dataDir = opts.dataDir ?? defaultDataDir();
  let r;
  try {
    r = await readJournal(dataDir, q);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (r.unreadable) process.stderr.write(`pocket-dhcp: note: skipped ${r.unreadable} unreadable journal line(s) (cut short by a crash, or edited)\n`);
  const format = opts.format ?? 'table';
  if (format === 'json') process.stdout.write(`${JSON.stringify(r.entries, null, 2)}\n`);
  else if (format === 'csv') process.stdout.write(journalToCsv(r.entries));
  else process.stdout.write(journalToTable(r.entries));
}
