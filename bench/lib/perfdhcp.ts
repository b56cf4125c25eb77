// perfdhcp (Kea 2.2's kea-admin package) as in ../shared/research/peer-bench.md:
//   perfdhcp -4 -l <client-if> -r RATE -R 100000 -p 10 -n RATE*10 -W 1000000 -g single
// run inside the client namespace, pinned to its own CPU, bounded by `timeout`. With -l it acts as a
// relay (giaddr = its address, source port 67). `-x t` adds per-exchange timestamps (latency
// percentiles); bash's `times` reports the CPU perfdhcp used (is the load generator saturated?).
import type { BenchLab } from './lab.js';
import { percentile } from './util.js';

export interface ExchangeStats {
  sent: number;
  received: number;
  drops: number;
  dropPct: number;
  orphans: number;
  minMs: number;
  avgMs: number;
  maxMs: number;
  /** From -x t timestamps, when requested. */
  p50Ms?: number;
  p99Ms?: number;
  /** With -x t: each exchange's send time (perfdhcp's clock, s) and delay (ms), in report order. */
  series?: { sentAt: number[]; delays: number[] };
}

export interface PerfResult {
  argv: string[];
  code: number | null;
  offered: number;
  /** perfdhcp's "Rate: X 4-way exchanges/second". */
  achieved: number;
  discoverOffer?: ExchangeStats;
  requestAck?: ExchangeStats;
  /** ISC's criterion: max of the two drop percentages (DO only with -i). */
  dropPct: number;
  /** CPU seconds perfdhcp (and its timeout wrapper) used, and wall seconds. */
  cpuSeconds: number;
  wallSeconds: number;
  raw: string;
}

export interface PerfOptions {
  rate: number;
  /** Distinct clients (-R). */
  clients?: number;
  /** Seconds of sending (-p). */
  period?: number;
  /** Exchanges (-n); default rate × period. */
  count?: number;
  /** DISCOVER-OFFER only (-i). */
  initialOnly?: boolean;
  timestamps?: boolean;
  cpu?: number;
  extra?: string[];
}

function parseBlock(out: string, name: string): ExchangeStats | undefined {
  const at = out.indexOf(`***Statistics for: ${name}***`);
  if (at < 0) return undefined;
  const block = out.slice(at, out.indexOf('collected packets', at) + 40);
  const num = (label: string): number => Number(new RegExp(`^${label}: ([\\d.]+)`, 'm').exec(block)?.[1] ?? NaN);
  return {
    sent: num('sent packets'),
    received: num('received packets'),
    drops: num('drops'),
    dropPct: num('drops ratio'),
    orphans: num('orphans'),
    minMs: num('min delay'),
    avgMs: num('avg delay'),
    maxMs: num('max delay'),
  };
}

/** "sent / received: 000000.440096 / 000000.440670" lines after "***Timestamps for packets: NAME***". */
function parseTimestamps(out: string, name: string, sentAt?: number[]): number[] {
  const at = out.indexOf(`***Timestamps for packets: ${name}***`);
  if (at < 0) return [];
  const next = out.indexOf('***', at + 10 + name.length + 20);
  const block = out.slice(at, next < 0 ? undefined : next);
  const delays: number[] = [];
  const re = /sent \/ received: ([\d.]+) \/ ([\d.]+)/g;
  for (let m = re.exec(block); m; m = re.exec(block)) {
    delays.push((Number(m[2]) - Number(m[1])) * 1000);
    sentAt?.push(Number(m[1]));
  }
  return delays;
}

/** What one perfdhcp run printed (its report, -x t timestamps, and bash's `times` after it). */
export function parsePerfdhcp(out: string, o: Pick<PerfOptions, 'initialOnly' | 'timestamps'>): Pick<PerfResult, 'achieved' | 'discoverOffer' | 'requestAck' | 'dropPct' | 'cpuSeconds'> {
  // `times`: two lines "XmY.YYYs XmY.YYYs" — the shell's, then its children's user and system time.
  const times = [...out.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  const last = times.at(-1);
  const cpuSeconds = last ? Number(last[1]) * 60 + Number(last[2]) + Number(last[3]) * 60 + Number(last[4]) : NaN;
  let discoverOffer = parseBlock(out, 'DISCOVER-OFFER');
  if (!discoverOffer && o.initialOnly) {
    // perfdhcp 2.2 with -i fails in its final report ("Packets exchange not specified"); the
    // periodic reports (-t 1: "sent: N; received: M; drops: D", cumulative) still tell.
    const rep = [...out.matchAll(/^sent: (\d+); received: (\d+); drops: (\d+)/gm)].at(-1);
    if (rep) {
      const [sent, received, drops] = [Number(rep[1]), Number(rep[2]), Number(rep[3])];
      discoverOffer = { sent, received, drops, dropPct: sent ? (100 * drops) / sent : NaN, orphans: NaN, minMs: NaN, avgMs: NaN, maxMs: NaN };
    }
  }
  const requestAck = o.initialOnly ? undefined : parseBlock(out, 'REQUEST-ACK');
  if (o.timestamps) {
    for (const [stats, name] of [[discoverOffer, 'DISCOVER-OFFER'], [requestAck, 'REQUEST-ACK']] as const) {
      if (!stats) continue;
      const sentAt: number[] = [];
      const d = parseTimestamps(out, name, sentAt);
      stats.series = { sentAt, delays: d };
      stats.p50Ms = percentile(d, 50);
      stats.p99Ms = percentile(d, 99);
    }
  }
  const achieved = Number(/^Rate: ([\d.]+)/m.exec(out)?.[1] ?? NaN);
  const drops = [discoverOffer?.dropPct, requestAck?.dropPct].filter((x): x is number => x !== undefined && Number.isFinite(x));
  const dropPct = drops.length ? Math.max(...drops) : 100;
  return { achieved, discoverOffer, requestAck, dropPct, cpuSeconds };
}

/** Share (%) of all exchanges of a -x t run, both kinds, slower than `ms`; NaN without timestamps. */
export function slowPct(r: Pick<PerfResult, 'discoverOffer' | 'requestAck'>, ms = 5): number {
  const delays = [...(r.discoverOffer?.series?.delays ?? []), ...(r.requestAck?.series?.delays ?? [])];
  return delays.length ? (100 * delays.filter((d) => d > ms).length) / delays.length : NaN;
}

export async function runPerfdhcp(bl: BenchLab, o: PerfOptions): Promise<PerfResult> {
  const period = o.period ?? 10;
  const count = o.count ?? o.rate * period;
  const argv = [
    'perfdhcp', '-4', '-l', bl.clientIf,
    '-r', String(o.rate),
    '-R', String(o.clients ?? 100_000),
    '-p', String(period),
    '-n', String(count),
    '-W', '1000000',
    '-g', 'single',
    ...(o.initialOnly ? ['-i', '-t', '1'] : []),
    ...(o.timestamps ? ['-x', 't'] : []),
    ...(o.extra ?? []),
  ];
  const limit = period + 15;
  const script = `timeout -k 2 ${limit} taskset -c ${o.cpu ?? 1} ${argv.join(' ')}; rc=$?; times; exit $rc`;
  const t0 = Date.now();
  const r = await bl.lab.exec('c', 'bash', ['-c', script], { timeoutMs: (limit + 10) * 1000 });
  const wallSeconds = (Date.now() - t0) / 1000;
  const out = r.stdout;
  const parsed = parsePerfdhcp(out, o);
  const raw = out.split('\n').filter((l) => !l.startsWith('sent / received') && !l.startsWith('reached test-period')).join('\n') + (r.stderr ? `\n[stderr] ${r.stderr.slice(0, 2000)}` : '');
  return { argv, code: r.code, offered: o.rate, ...parsed, wallSeconds, raw };
}
