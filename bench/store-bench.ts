// Lease store figures: LeaseStore.open() time and process RSS with N leases on disk, and group
// commit under an open-loop load (LeaseStore.stats()).
//   node --import tsx bench/store-bench.ts [--quick]
// The lease file is written directly in the store's format (NeDB lines: a meta document, one line
// per lease, the batch marker), as a compacted file and as a file that has grown (every record
// superseded once: deletion + new line, as between two compactions).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lease } from '../src-main/dhcp/lease.js';
import { intToIp, ipToInt } from '../src-main/dhcp/ip.js';
import { DATA_FILE, LeaseStore } from '../src-main/leases/lease-store.js';
import { BATCH_ID, LEASE_FILE_FORMAT, META_ID } from '../src-main/leases/lease-record.js';
import { median } from './lib/util.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = ipToInt('198.18.1.0');

export function benchLease(i: number, now: number, gen = 0): Lease {
  const mac = [0x02, 0x42, (i >>> 24) & 255, (i >>> 16) & 255, (i >>> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return {
    ip: intToIp(BASE + i),
    clientId: `01:${mac}`,
    mac,
    state: i % 10 === 0 ? 'expired' : 'bound',
    subnet: '198.18.0.0/15',
    startsAt: now - 600_000 + gen,
    expiresAt: now + 3_000_000 + gen,
    firstSeen: now - 86_400_000,
    lastSeen: now - 600_000 + gen,
    hostname: `host-${i}`,
    vendorClass: 'MSFT 5.0',
    paramRequest: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
  };
}

/** Writes leases.db with `count` leases; `grown` adds one superseded version of every record. */
export function writeLeaseFile(dir: string, count: number, now: number, grown = false): number {
  const lines: string[] = [JSON.stringify({ _id: META_ID, format: LEASE_FILE_FORMAT, app: 'pocket-dhcp', createdAt: new Date(now).toISOString() })];
  if (grown) for (let i = 0; i < count; i++) lines.push(JSON.stringify({ _id: intToIp(BASE + i), ...benchLease(i, now, -1000) }));
  const batch = 500;
  let seq = 0;
  for (let i = 0; i < count; i += batch) {
    const end = Math.min(count, i + batch);
    if (grown) for (let j = i; j < end; j++) lines.push(JSON.stringify({ $$deleted: true, _id: intToIp(BASE + j) }));
    if (seq > 0) lines.push(JSON.stringify({ $$deleted: true, _id: BATCH_ID }));
    for (let j = i; j < end; j++) lines.push(JSON.stringify({ _id: intToIp(BASE + j), ...benchLease(j, now) }));
    lines.push(JSON.stringify({ _id: BATCH_ID, seq: ++seq, at: now, records: end - i }));
  }
  writeFileSync(join(dir, DATA_FILE), lines.join('\n') + '\n');
  return lines.length;
}

export interface OpenFigures {
  leases: number;
  fileLines: number;
  grown: boolean;
  /** LeaseStore.open() wall time (openReport.loadMs), median of runs. */
  loadMs: number;
  loadRuns: number[];
  /** RSS of a fresh Node process after open (and its growth over the process before open). */
  rssMb: number;
  rssBeforeMb: number;
  heapUsedMb: number;
}

/** Child-process side: open the store in `dir`, print one JSON line. */
async function openChild(dir: string): Promise<void> {
  const before = process.memoryUsage().rss;
  const store = await LeaseStore.open(dir, { now: () => Number(process.env.BENCH_NOW) });
  if (global.gc) global.gc();
  const mu = process.memoryUsage();
  const records = store.size;
  const loadMs = store.openReport.loadMs;
  // A copy for the next run: close without changing the file further than open already did.
  await store.close();
  process.stdout.write(JSON.stringify({ loadMs, records, rss: mu.rss, before, heapUsed: mu.heapUsed }) + '\n');
}

export function measureOpen(count: number, grown: boolean, runs = 3): OpenFigures {
  const now = Date.UTC(2026, 10, 23, 9, 0, 0);
  const loadRuns: number[] = [];
  let last: { loadMs: number; records: number; rss: number; before: number; heapUsed: number } | undefined;
  let fileLines = 0;
  for (let r = 0; r < runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'pdl-bench-store-'));
    try {
      fileLines = writeLeaseFile(dir, count, now, grown);
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO, 'bench/store-bench.ts'), '--open-child', dir], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, BENCH_NOW: String(now) },
        timeout: 120_000,
      });
      last = JSON.parse(out.trim().split('\n').at(-1)!);
      if (last!.records !== count + 0) throw new Error(`store bench: opened ${last!.records} records, expected ${count}`);
      loadRuns.push(last!.loadMs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    leases: count,
    fileLines,
    grown,
    loadMs: median(loadRuns),
    loadRuns,
    rssMb: last!.rss / 2 ** 20,
    rssBeforeMb: last!.before / 2 ** 20,
    heapUsedMb: last!.heapUsed / 2 ** 20,
  };
}

export interface CommitFigures {
  rate: number;
  seconds: number;
  requests: number;
  batches: number;
  meanBatch: number;
  maxBatch: number;
  syncMsMean: number;
  syncMsMax: number;
  ackMsP50: number;
  ackMsP99: number;
  compactions: number;
}

/** Open-loop apply() at `rate` records/s for `seconds` (new clients), as the service calls it. */
export async function measureGroupCommit(rate: number, seconds: number): Promise<CommitFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'pdl-bench-commit-'));
  const store = await LeaseStore.open(dir);
  const lat: number[] = [];
  const now = Date.now();
  let i = 0;
  const total = rate * seconds;
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (i < due) {
        const t = performance.now();
        const p = store.apply([benchLease(i++, now)]).then(() => void lat.push(performance.now() - t));
        pending.push(p);
      }
      if (i >= total) return done();
      setImmediate(tick);
    };
    tick();
  });
  await Promise.all(pending);
  const s = store.stats();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    requests: total,
    batches: s.batches,
    meanBatch: s.recordsWritten / Math.max(1, s.batches),
    maxBatch: s.maxBatchSize,
    syncMsMean: s.syncMsTotal / Math.max(1, s.syncs),
    syncMsMax: s.syncMsMax,
    ackMsP50: lat[Math.floor(lat.length * 0.5)] ?? NaN,
    ackMsP99: lat[Math.floor(lat.length * 0.99)] ?? NaN,
    compactions: s.compactions,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--open-child') {
    await openChild(process.argv[3]!);
  } else {
    const quick = process.argv.includes('--quick');
    for (const grown of [false, true]) {
      const f = measureOpen(100_000, grown, quick ? 1 : 3);
      console.log(`open 100k leases (${grown ? 'grown' : 'compacted'} file, ${f.fileLines} lines): ${f.loadMs} ms [${f.loadRuns.join(', ')}], RSS ${f.rssMb.toFixed(0)} MB (before open ${f.rssBeforeMb.toFixed(0)} MB), heap ${f.heapUsedMb.toFixed(0)} MB`);
    }
    for (const rate of quick ? [5000] : [2000, 8000]) {
      const c = await measureGroupCommit(rate, quick ? 2 : 4);
      console.log(`group commit at ${rate}/s: ${c.batches} batches, mean ${c.meanBatch.toFixed(1)} max ${c.maxBatch}, sync mean ${c.syncMsMean.toFixed(2)} ms max ${c.syncMsMax.toFixed(1)} ms, ack p50 ${c.ackMsP50.toFixed(2)} p99 ${c.ackMsP99.toFixed(2)} ms, compactions ${c.compactions}`);
    }
  }
}
