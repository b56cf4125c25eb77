// `npm run bench` — pocket-dhcp against Kea (memfile) and dnsmasq with perfdhcp, the method of
// ../shared/research/peer-bench.md, plus in-process engine/codec figures, lease store start-up and
// group commit, and a DISCOVER flood. Prints a table and writes bench/RESULTS.md.
//
//   npm run bench                 full run (~15 min)
//   npm run bench -- --quick      ~3-4 min: one run per rate, 5 s periods, shorter flood
//   npm run bench -- --only=ladder,latency,engine,store,commit,flood,ui
//   npm run bench -- --no-write   do not touch bench/RESULTS.md
//   npm run bench -- --report-from=bench/.work/results-<time>.json   rewrite RESULTS.md from a saved run
//
// Safety: every packet stays inside network namespaces made by test/helpers/netns.ts (addresses in
// 198.18.0.0/15 only); every load is bounded (perfdhcp -n/-p under `timeout`); servers run with their
// files in temp dirs and are stopped by PID; namespaces are removed on exit, also on SIGINT/SIGTERM.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { floodLab, labAvailable, perfLab, POOL_FIRST, POOL_LAST, RELAY_IP, RESERVED_IP, RESERVED_MAC, SERVER_IP, SUBNET, type BenchLab } from './lib/lab.js';
import { attention, optimisationLog, targetNotes } from './lib/notes.js';
import { DROP_LIMIT, latencyRate, moreRunsNeeded, rateVerdict, refinementRate } from './lib/ladder.js';
import { runPerfdhcp, slowPct, type PerfResult } from './lib/perfdhcp.js';
import { uiBench, uiBenchMissing, type UiBenchResult } from './lib/ui-bench.js';
import { builtCliStale, pocketCli, REPO_ROOT, startPocket, startPocketStats, startServer, type RunningServer, type ServerKind, type StatsLine } from './lib/servers.js';
import { fmt, loadAvg, log, mdTable, median, ratio, sh, sleep, textTable } from './lib/util.js';
import type { EngineBenchResult } from './engine-bench.js';
import { measureOpen, writeLeaseFile, type OpenFigures } from './store-bench.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const WRITE = !argv.includes('--no-write');
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (s: string) => !ONLY || ONLY.includes(s);

const PERIOD = QUICK ? 5 : 10;
const RUNS = QUICK ? 1 : 3;
const LADDER: Record<ServerKind, number[]> = {
  pocket: QUICK ? [1000, 2000, 4000, 6000, 8000] : [1000, 2000, 3000, 4000, 6000, 8000, 10000, 12000],
  kea: QUICK ? [1000, 2000, 4000, 6000, 8000] : [1000, 2000, 3000, 4000, 6000, 8000, 10000, 12000],
  dnsmasq: QUICK ? [100, 250] : [100, 250, 500],
};
const FLOOD = { count: QUICK ? 200_000 : 1_000_000, rate: 10_000 };
const FLOOD_RANGE = '198.18.1.0-198.18.4.255';

// ---- results ----------------------------------------------------------------------------------

interface RunRecord {
  server: ServerKind;
  rate: number;
  dropPct: number;
  doDropPct: number;
  raDropPct: number;
  completed: number;
  doAvgMs: number;
  raAvgMs: number;
  serverCpuMsPerDora: number;
  perfdhcpCpuPct: number;
  serverRssMb: number;
  /** Datagrams the kernel dropped at the server's socket (receive buffer full). */
  rcvbufDrops: number;
  code: number | null;
}

interface RatePoint {
  server: ServerKind;
  rate: number;
  runs: RunRecord[];
  medianDrop: number;
  pass: boolean;
}

interface LatencyRecord {
  server: ServerKind;
  rate: number;
  /** slowPct: share of the exchanges (both kinds) slower than 5 ms. */
  runs: { doP50: number; doP99: number; raP50: number; raP99: number; dropPct: number; slowPct?: number }[];
  doP50: number;
  doP99: number;
  raP50: number;
  raP99: number;
}

interface FloodRecord {
  sent: number;
  offered: number;
  seconds: number;
  rate: number;
  rssStartMb: number;
  rssMaxMb: number;
  rssEndMb: number;
  rssGrowthMb: number;
  reserved: { atS: number; ok: boolean; ms: number; detail: string }[];
  perfdhcpCpuPct: number;
  serverCpuPct: number;
  rcvbufDrops: number;
  drops: Record<string, number>;
}

interface StartupRecord {
  leases: number;
  startMs: number;
  /** RSS one second after "started". */
  rssMb: number;
  /** RSS once V8 has given back the heap it grew while loading (idle server), and when that happened. */
  rssSettledMb?: number;
  settledAfterS?: number;
  rssEmptyMb: number;
  startEmptyMs: number;
}

interface CommitRecord {
  rate: number;
  dropPct: number;
  batches: number;
  records: number;
  meanBatch: number;
  maxBatch: number;
  syncMsMean: number;
  syncMsMax: number;
  compactions: number;
  loopP99Max: number;
  loopMax: number;
  raP50: number;
  raP99: number;
}

const results: {
  started: string;
  finished?: string;
  mode: string;
  machine: Record<string, string>;
  versions: Record<string, string>;
  loads: { at: string; what: string; load: string }[];
  skipped: string[];
  commands: string[];
  ladder: RatePoint[];
  max: Partial<Record<ServerKind, number>>;
  latency: LatencyRecord[];
  engine: EngineBenchResult[];
  open: OpenFigures[];
  startup?: StartupRecord;
  commit?: CommitRecord;
  flood?: FloodRecord;
  ui?: UiBenchResult;
  notes: string[];
} = {
  started: new Date().toISOString(),
  mode: QUICK ? 'quick' : 'full',
  machine: {},
  versions: {},
  loads: [],
  skipped: [],
  commands: [],
  ladder: [],
  max: {},
  latency: [],
  engine: [],
  open: [],
  notes: [],
};

function noteLoad(what: string): void {
  results.loads.push({ at: new Date().toISOString().slice(11, 19), what, load: loadAvg() });
}

// ---- setup ------------------------------------------------------------------------------------

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensurePackages(): { peers: boolean; perfdhcp: boolean; reason?: string } {
  const missing = ['kea-dhcp4', 'dnsmasq', 'perfdhcp'].filter((c) => !have(c));
  if (missing.length && process.getuid?.() === 0) {
    log(`installing ${missing.join(', ')} (apt-get install kea-dhcp4-server dnsmasq-base kea-admin)`);
    try {
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends kea-dhcp4-server dnsmasq-base kea-admin'], { stdio: 'ignore', timeout: 600_000 });
    } catch (e) {
      const reason = `apt-get install failed: ${(e as Error).message.split('\n')[0]}`;
      return { peers: false, perfdhcp: have('perfdhcp'), reason };
    }
  }
  const still = ['kea-dhcp4', 'dnsmasq', 'perfdhcp'].filter((c) => !have(c));
  return { peers: !still.includes('kea-dhcp4') && !still.includes('dnsmasq'), perfdhcp: !still.includes('perfdhcp'), ...(still.length ? { reason: `${still.join(', ')} not installed (not root, or apt failed)` } : {}) };
}

function ensureBuild(): void {
  const st = builtCliStale();
  if (!st.stale) return;
  log(`out/main/cli.js is older than ${st.newest}: npm run build`);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 300_000 });
    if (!builtCliStale().stale) return;
  } catch {
    /* fall through */
  }
  pocketCli.entry = join(REPO_ROOT, 'src-main/cli/main.ts');
  pocketCli.nodeArgs = ['--import', 'tsx'];
  pocketCli.label = 'node --import tsx src-main/cli/main.ts (sources: out/ was stale and `npm run build` failed)';
  results.notes.push(`The build failed or stayed stale, so pocket-dhcp ran from its sources through tsx (same code, slower start-up).`);
}

function machineInfo(): void {
  const m = results.machine;
  m.nproc = sh('nproc', []);
  m.model = cpus()[0]?.model ?? '?';
  m.kernel = sh('uname', ['-sr']);
  m.memory = `${(totalmem() / 2 ** 30).toFixed(1)} GB`;
  m.clkTck = sh('getconf', ['CLK_TCK']);
  const v = results.versions;
  v.node = process.version;
  v['pocket-dhcp'] = `${sh('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'])}${sh('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--', 'src-main']) ? ' + uncommitted changes' : ''}`;
  v.kea = have('kea-dhcp4') ? sh('kea-dhcp4', ['-v']) : 'not installed';
  v.dnsmasq = have('dnsmasq') ? (sh('dnsmasq', ['--version']).split('\n')[0] ?? '') : 'not installed';
  v.perfdhcp = have('perfdhcp') ? (sh('sh', ['-c', 'perfdhcp -v 2>&1']).split('\n').find((l) => /\d+\.\d+/.test(l)) ?? '') : 'not installed';
}

// ---- 1. rate ladder ---------------------------------------------------------------------------

/** The server namespace's UDP RcvbufErrors: datagrams the kernel dropped because the socket's receive buffer was full. */
async function rcvbufErrors(bl: BenchLab): Promise<number> {
  const r = await bl.lab.exec('s', 'cat', ['/proc/net/snmp'], { timeoutMs: 3000 });
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('Udp:'));
  if (rows.length < 2) return NaN;
  const names = rows[0]!.split(/\s+/);
  return Number(rows[1]!.split(/\s+/)[names.indexOf('RcvbufErrors')]);
}

/** Warm-up before a latency run: the same rate, other clients (perfdhcp's base MAC), not measured. */
const WARMUP_SECONDS = QUICK ? 2 : 3;
const WARMUP_BASE_MAC = '02:aa:00:00:00:00';

async function oneRun(bl: BenchLab, server: ServerKind, rate: number, timestamps = false): Promise<{ rec: RunRecord; perf: PerfResult }> {
  const srv = await startServer(server, bl);
  try {
    // Latency is a steady-state figure: a server that has just started (pocket-dhcp's JIT still
    // compiling its hot paths) is given the same warm-up as every other server.
    if (timestamps) await runPerfdhcp(bl, { rate, period: WARMUP_SECONDS, clients: rate * WARMUP_SECONDS, extra: ['-b', `mac=${WARMUP_BASE_MAC}`] });
    const c0 = srv.cpuMs();
    const b0 = await rcvbufErrors(bl);
    const perf = await runPerfdhcp(bl, { rate, period: PERIOD, timestamps });
    const c1 = srv.cpuMs();
    const overflows = (await rcvbufErrors(bl)) - b0;
    const ra = perf.requestAck;
    const completed = ra?.received ?? 0;
    const rec: RunRecord = {
      server,
      rate,
      dropPct: perf.dropPct,
      doDropPct: perf.discoverOffer?.dropPct ?? NaN,
      raDropPct: ra?.dropPct ?? NaN,
      completed,
      doAvgMs: perf.discoverOffer?.avgMs ?? NaN,
      raAvgMs: ra?.avgMs ?? NaN,
      serverCpuMsPerDora: completed ? (c1 - c0) / completed : NaN,
      perfdhcpCpuPct: (100 * perf.cpuSeconds) / perf.wallSeconds,
      serverRssMb: srv.rssMb(),
      rcvbufDrops: overflows,
      code: perf.code,
    };
    if (perf.code !== 0 && perf.code !== 3) results.notes.push(`perfdhcp exited ${perf.code} for ${server} at ${rate}/s: ${perf.raw.slice(-300).replace(/\n/g, ' ')}`);
    return { rec, perf };
  } finally {
    await srv.stop();
  }
}

async function ladder(bl: BenchLab, servers: ServerKind[]): Promise<void> {
  noteLoad('ladder start');
  const points = new Map<string, RatePoint>();
  const active = new Set(servers);
  const lastPass = new Map<ServerKind, number>();
  const firstFail = new Map<ServerKind, number>();
  const runPoint = async (group: ServerKind[], rate: number) => {
    for (const s of group) points.set(`${s}@${rate}`, { server: s, rate, runs: [], medianDrop: NaN, pass: false });
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order between runs so that drift in the machine's load hits both alike.
      const order = i % 2 === 0 ? group : [...group].reverse();
      for (const s of order) {
        const p = points.get(`${s}@${rate}`)!;
        // Median of 3 is settled once two runs agree.
        if (!moreRunsNeeded(p.runs.map((r) => r.dropPct), RUNS)) continue;
        const { rec } = await oneRun(bl, s, rate);
        p.runs.push(rec);
        log(`${s.padEnd(7)} ${String(rate).padStart(6)}/s run ${i + 1}: drops ${rec.dropPct.toFixed(2)} % (DO ${rec.doDropPct.toFixed(2)}, RA ${rec.raDropPct.toFixed(2)}), server ${rec.serverCpuMsPerDora.toFixed(3)} ms CPU/DORA, ${rec.rcvbufDrops} rcvbuf drops, perfdhcp ${rec.perfdhcpCpuPct.toFixed(0)} % CPU, load ${loadAvg()}`);
      }
    }
    for (const s of group) {
      const p = points.get(`${s}@${rate}`)!;
      ({ medianDrop: p.medianDrop, pass: p.pass } = rateVerdict(p.runs.map((r) => r.dropPct)));
      results.ladder.push(p);
      if (p.pass) lastPass.set(s, Math.max(lastPass.get(s) ?? 0, rate));
      else if (!firstFail.has(s) || rate < firstFail.get(s)!) firstFail.set(s, rate);
    }
  };
  const rates = [...new Set(servers.flatMap((s) => LADDER[s]))].sort((a, b) => a - b);
  for (const rate of rates) {
    const group = servers.filter((s) => active.has(s) && LADDER[s].includes(rate));
    if (!group.length) continue;
    await runPoint(group, rate);
    for (const s of group) if (!points.get(`${s}@${rate}`)!.pass) active.delete(s);
  }
  // A server that failed its lowest rate gets up to two halvings, so that it has a figure at all.
  for (const s of servers) {
    let rate = LADDER[s][0]!;
    for (let k = 0; k < 2 && !lastPass.has(s); k++) {
      rate = Math.round(rate / 2);
      await runPoint([s], rate);
    }
  }
  // One refinement step between the last passing and the first failing rate.
  if (!QUICK) {
    const refine = new Map<number, ServerKind[]>();
    for (const s of servers) {
      const mid = refinementRate(lastPass.get(s), firstFail.get(s));
      if (mid !== undefined) refine.set(mid, [...(refine.get(mid) ?? []), s]);
    }
    for (const [rate, group] of [...refine].sort((a, b) => a[0] - b[0])) await runPoint(group, rate);
  }
  for (const s of servers) {
    const passing = results.ladder.filter((p) => p.server === s && p.pass).map((p) => p.rate);
    results.max[s] = passing.length ? Math.max(...passing) : 0;
  }
  results.ladder.sort((a, b) => a.server.localeCompare(b.server) || a.rate - b.rate);
  noteLoad('ladder end');
}

// ---- 2. latency at half the max rate ------------------------------------------------------------

async function latency(bl: BenchLab, servers: ServerKind[]): Promise<void> {
  noteLoad('latency start');
  for (const s of servers) {
    const max = results.max[s] ?? 0;
    const rate = latencyRate(max, LADDER[s][0]!);
    const rec: LatencyRecord = { server: s, rate, runs: [], doP50: NaN, doP99: NaN, raP50: NaN, raP99: NaN };
    for (let i = 0; i < RUNS; i++) {
      const { perf } = await oneRun(bl, s, rate, true);
      rec.runs.push({
        slowPct: slowPct(perf),
        doP50: perf.discoverOffer?.p50Ms ?? NaN,
        doP99: perf.discoverOffer?.p99Ms ?? NaN,
        raP50: perf.requestAck?.p50Ms ?? NaN,
        raP99: perf.requestAck?.p99Ms ?? NaN,
        dropPct: perf.dropPct,
      });
    }
    rec.doP50 = median(rec.runs.map((r) => r.doP50));
    rec.doP99 = median(rec.runs.map((r) => r.doP99));
    rec.raP50 = median(rec.runs.map((r) => r.raP50));
    rec.raP99 = median(rec.runs.map((r) => r.raP99));
    results.latency.push(rec);
    log(`latency ${s} at ${rate}/s: DISCOVER→OFFER p50 ${rec.doP50.toFixed(2)} p99 ${rec.doP99.toFixed(2)} ms, REQUEST→ACK p50 ${rec.raP50.toFixed(2)} p99 ${rec.raP99.toFixed(2)} ms`);
  }
  noteLoad('latency end');
}

// ---- 3. engine in-process -----------------------------------------------------------------------

function engine(): void {
  noteLoad('engine');
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/engine-bench.ts'), '--json', ...(QUICK ? ['--quick'] : [])], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000 });
  results.engine = JSON.parse(out.trim().split('\n').at(-1)!) as EngineBenchResult[];
  for (const r of results.engine) log(`engine ${r.name}: ${fmt(r.rate)} ${r.unit}`);
}

// ---- 4. store: open, start-up with 100k leases, group commit under load --------------------------

function storeOpen(): void {
  noteLoad('store open');
  for (const grown of [false, true]) {
    const f = measureOpen(100_000, grown, QUICK ? 1 : 3);
    results.open.push(f);
    log(`LeaseStore.open 100k (${grown ? 'grown' : 'compacted'} file): ${f.loadMs} ms, child RSS ${f.rssMb.toFixed(0)} MB`);
  }
}

async function startup(bl: BenchLab): Promise<void> {
  noteLoad('server start-up');
  const now = Date.now();
  const timed = async (prepare?: (dir: string) => void, settle = false) => {
    let t0 = 0;
    const srv = await startPocket(bl, { ...(prepare ? { prepareData: prepare } : {}), onSpawn: () => (t0 = performance.now()) });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    await sleep(1000);
    const rss = srv.rssMb();
    // An idle V8 keeps the young generation and free pages it grew while loading until its memory
    // reducer runs (tens of seconds later): watch for that, bounded to 90 s.
    let settled: { mb: number; afterS: number } | undefined;
    if (settle) {
      const samples: Array<{ s: number; mb: number }> = [];
      while (performance.now() - t1 < 90_000) {
        await sleep(1000);
        samples.push({ s: (performance.now() - t1) / 1000, mb: srv.rssMb() });
        // Settled: the last 10 samples stay within 3 MB, either after the reducer has run (RSS below
        // 85 % of the first figure; it can give memory back in more than one step) or, when the
        // figure at 1 s was already low (a GC during start-up), after 30 s without such a drop.
        const drop = samples.findIndex((x) => x.mb < rss * 0.85);
        const last = samples.slice(-10).map((x) => x.mb);
        const stable = last.length === 10 && Math.max(...last) - Math.min(...last) < 3;
        if (stable && drop !== -1 && samples.length - drop >= 10) {
          settled = { mb: Math.min(...samples.slice(drop).map((x) => x.mb)), afterS: samples[drop]!.s };
          break;
        }
        if (stable && drop === -1 && samples[samples.length - 1]!.s >= 30) {
          settled = { mb: Math.min(...last), afterS: samples[samples.length - 10]!.s };
          break;
        }
      }
    }
    await srv.stop();
    return { ms, rss, settled };
  };
  const empty = await timed();
  const full = await timed((dir) => writeLeaseFile(dir, 100_000, now, false), true);
  results.startup = {
    leases: 100_000, startMs: full.ms, rssMb: full.rss, rssEmptyMb: empty.rss, startEmptyMs: empty.ms,
    ...(full.settled ? { rssSettledMb: full.settled.mb, settledAfterS: full.settled.afterS } : {}),
  };
  const settledText = full.settled ? `, ${full.settled.mb.toFixed(0)} MB once settled (after ${full.settled.afterS.toFixed(0)} s)` : ', did not settle within 90 s';
  log(`pocket-dhcp start with 100k leases: ${full.ms.toFixed(0)} ms to "started", RSS ${full.rss.toFixed(0)} MB at 1 s${settledText} (empty: ${empty.ms.toFixed(0)} ms, ${empty.rss.toFixed(0)} MB)`);
}

async function groupCommit(bl: BenchLab): Promise<void> {
  noteLoad('group commit');
  const rate = Math.max(1000, results.max.pocket ?? 4000);
  const srv = await startPocketStats(bl);
  let perf: PerfResult;
  try {
    perf = await runPerfdhcp(bl, { rate, period: PERIOD, timestamps: true });
  } finally {
    await srv.stop();
  }
  const lines: StatsLine[] = srv.stats();
  const last = lines.at(-1);
  if (!last) {
    results.notes.push('group commit: the stats server wrote no statistics');
    return;
  }
  const st = last.store;
  results.commit = {
    rate,
    dropPct: perf.dropPct,
    batches: st.batches,
    records: st.recordsWritten,
    meanBatch: st.recordsWritten / Math.max(1, st.batches),
    maxBatch: st.maxBatchSize,
    syncMsMean: st.syncMsTotal / Math.max(1, st.syncs),
    syncMsMax: st.syncMsMax,
    compactions: st.compactions,
    loopP99Max: Math.max(...lines.map((l) => l.loopDelayMs.p99)),
    loopMax: Math.max(...lines.map((l) => l.loopDelayMs.max)),
    raP50: perf.requestAck?.p50Ms ?? NaN,
    raP99: perf.requestAck?.p99Ms ?? NaN,
  };
  const c = results.commit;
  log(`group commit at ${rate}/s: ${c.batches} batches, mean ${c.meanBatch.toFixed(1)} / max ${c.maxBatch} records, fdatasync mean ${c.syncMsMean.toFixed(2)} / max ${c.syncMsMax.toFixed(1)} ms`);
}

// ---- 5. flood -------------------------------------------------------------------------------------

async function flood(): Promise<void> {
  noteLoad('flood start');
  const bl = await floodLab('benchflood');
  try {
    const srv = await startPocket(bl, { reservations: [{ mac: RESERVED_MAC, ip: RESERVED_IP }], range: FLOOD_RANGE });
    try {
      const tryReserved = async (t0: number) => {
        const t = performance.now();
        const r = await bl.lab.exec('r', 'busybox', ['udhcpc', '-i', 'rc0', '-n', '-q', '-f', '-t', '4', '-T', '1', '-A', '1', '-s', '/bin/true'], { timeoutMs: 10_000 });
        const text = `${r.stdout}\n${r.stderr}`;
        const ok = r.code === 0 && text.includes(`lease of ${RESERVED_IP} obtained`);
        return { atS: (t - t0) / 1000, ok, ms: performance.now() - t, detail: (text.match(/lease of [\d.]+ obtained[^\n]*/)?.[0] ?? text.trim().split('\n').at(-1) ?? '').slice(0, 120) };
      };
      const t0 = performance.now();
      results.flood = {
        sent: 0, offered: 0, seconds: 0, rate: FLOOD.rate, rssStartMb: srv.rssMb(), rssMaxMb: 0, rssEndMb: 0, rssGrowthMb: 0,
        reserved: [await tryReserved(t0)], perfdhcpCpuPct: 0, serverCpuPct: 0, rcvbufDrops: 0, drops: {},
      };
      const f = results.flood;
      const c0 = srv.cpuMs();
      const b0 = await rcvbufErrors(bl);
      const period = Math.ceil(FLOOD.count / FLOOD.rate);
      // perfdhcp fills in giaddr but, without a server argument, sends to 255.255.255.255 /
      // ff:ff:ff:ff:ff:ff: the bridge then floods 10,000 frames/s onto the reserved client's link,
      // where udhcpc's packet socket (busybox 1.35 attaches no BPF filter and reads every IPv4 frame
      // in user space) overflows and drops our OFFERs and ACKs. A relay agent forwards to its
      // configured server address (RFC 1542 §4.1.1), so name it.
      const run = runPerfdhcp(bl, { rate: FLOOD.rate, clients: 1_000_000, period, count: FLOOD.count, initialOnly: true, extra: [SERVER_IP] });
      let done = false;
      void run.then(() => (done = true));
      const sampler = setInterval(() => (f.rssMaxMb = Math.max(f.rssMaxMb, srv.rssMb())), 500);
      await sleep(2000);
      while (!done) {
        f.reserved.push(await tryReserved(t0));
        await sleep(QUICK ? 2000 : 5000);
      }
      clearInterval(sampler);
      const perf = await run;
      f.seconds = perf.wallSeconds;
      f.sent = perf.discoverOffer?.sent ?? 0;
      f.offered = perf.discoverOffer?.received ?? 0;
      f.perfdhcpCpuPct = (100 * perf.cpuSeconds) / perf.wallSeconds;
      f.serverCpuPct = (100 * (srv.cpuMs() - c0)) / 1000 / perf.wallSeconds;
      f.rcvbufDrops = (await rcvbufErrors(bl)) - b0;
      f.reserved.push(await tryReserved(t0));
      f.rssEndMb = srv.rssMb();
      f.rssMaxMb = Math.max(f.rssMaxMb, f.rssEndMb);
      f.rssGrowthMb = f.rssMaxMb - f.rssStartMb;
      // What the server did, from its JSON log: OFFERs, offers given up, drops by reason.
      for (const line of srv.log().split('\n')) {
        const m = /"type":"(offer|offer-evicted|pool-exhausted)"/.exec(line) ?? /"reason":"([a-z-]+)"/.exec(line);
        if (m) f.drops[m[1]!] = (f.drops[m[1]!] ?? 0) + 1;
      }
      f.offered = Math.max(f.offered, f.drops.offer ?? 0);
      log(`flood: ${f.sent} DISCOVERs in ${f.seconds.toFixed(0)} s, ${f.offered} OFFERs; RSS ${f.rssStartMb.toFixed(0)} → max ${f.rssMaxMb.toFixed(0)} MB; reserved client ${f.reserved.filter((r) => r.ok).length}/${f.reserved.length} served`);
    } finally {
      await srv.stop();
    }
  } finally {
    await bl.lab.cleanup();
  }
  noteLoad('flood end');
}

// ---- 6. UI ----------------------------------------------------------------------------------------

const UI = { leases: 10_000, rate: 250, seconds: QUICK ? 5 : 10 };

async function ui(): Promise<void> {
  const missing = uiBenchMissing();
  if (missing) {
    results.skipped.push(`UI: ${missing}`);
    return;
  }
  noteLoad('ui start');
  const bl = await perfLab('benchui');
  try {
    results.ui = await uiBench(bl, UI);
    const u = results.ui;
    log(`UI: ${u.rows} rows, filter ${u.filter.map((f) => f.ms.toFixed(0)).join('/')} ms, live frames p95 ${u.live.p95Ms.toFixed(1)} max ${u.live.maxMs.toFixed(1)} ms at ${u.eventsPerSecond.toFixed(0)} lease events/s`);
  } catch (e) {
    results.skipped.push(`UI: failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await bl.lab.cleanup();
  }
  noteLoad('ui end');
}

// ---- report ---------------------------------------------------------------------------------------

function perfdhcpCommand(rate: number, extra = ''): string {
  return `ip netns exec <client-ns> bash -c 'timeout -k 2 ${PERIOD + 15} taskset -c 1 perfdhcp -4 -l cl0 -r ${rate} -R 100000 -p ${PERIOD} -n ${rate * PERIOD} -W 1000000 -g single${extra}; times'`;
}

function report(): { text: string; md: string } {
  const R = results;
  const servers = (['pocket', 'kea', 'dnsmasq'] as ServerKind[]).filter((s) => R.ladder.some((p) => p.server === s));
  const maxRow = servers.map((s) => [s, fmt(R.max[s] ?? NaN), fmt(median(R.ladder.filter((p) => p.server === s && p.pass && p.rate === R.max[s]).flatMap((p) => p.runs.map((r) => r.serverCpuMsPerDora))), 3), fmt(Math.max(...R.ladder.filter((p) => p.server === s).flatMap((p) => p.runs.map((r) => r.perfdhcpCpuPct)))) + ' %']);
  const head = ['server', 'max DORA/s (≤2.5 % drops)', 'server CPU ms/DORA at max', 'perfdhcp CPU (max seen)'];
  const ratios = [
    ['pocket / Kea', ratio(R.max.pocket ?? NaN, R.max.kea ?? NaN)],
    ['pocket / dnsmasq', ratio(R.max.pocket ?? NaN, R.max.dnsmasq ?? NaN)],
  ];
  const ladderRows = R.ladder.map((p) => [p.server, fmt(p.rate), p.runs.map((r) => r.dropPct.toFixed(2)).join(' / '), p.medianDrop.toFixed(2), p.pass ? 'pass' : 'FAIL', fmt(median(p.runs.map((r) => r.doAvgMs)), 2), fmt(median(p.runs.map((r) => r.raAvgMs)), 2), fmt(median(p.runs.map((r) => r.serverCpuMsPerDora)), 3), fmt(median(p.runs.map((r) => r.perfdhcpCpuPct))) + ' %', fmt(median(p.runs.map((r) => r.serverRssMb))), p.runs.map((r) => fmt(r.rcvbufDrops)).join(' / ')]);
  const ladderHead = ['server', 'rate/s', 'drops % per run', 'median', '', 'DO avg ms', 'RA avg ms', 'srv CPU ms/DORA', 'perfdhcp CPU', 'srv RSS MB', 'rcvbuf drops per run'];
  const latRows = R.latency.map((l) => [l.server, fmt(l.rate), l.doP50.toFixed(2), l.doP99.toFixed(2), l.raP50.toFixed(2), l.raP99.toFixed(2), l.runs.map((r) => (r.slowPct ?? NaN).toFixed(2)).join(' / '), l.runs.map((r) => r.dropPct.toFixed(2)).join(' / ')]);
  const latHead = ['server', 'rate/s', 'DISCOVER→OFFER p50 ms', 'p99 ms', 'REQUEST→ACK p50 ms', 'p99 ms', '% over 5 ms per run', 'drops % per run'];
  const engRows = R.engine.map((e) => [e.name, fmt(e.rate), e.unit, e.what]);
  const openRows = R.open.map((o) => [o.grown ? 'grown (every record superseded once)' : 'compacted', fmt(o.fileLines), `${fmt(o.loadMs)} ms`, o.loadRuns.join(', '), `${o.rssMb.toFixed(0)} MB (${o.rssBeforeMb.toFixed(0)} before)`, `${o.heapUsedMb.toFixed(0)} MB`]);

  const pocketLat = R.latency.find((l) => l.server === 'pocket');
  const flood = R.flood;
  const targets: [string, string, boolean | undefined, string][] = [
    ['pocket ≥ 1.2× Kea memfile DORA/s at ≤ 2.5 % drops (durable)', `${ratio(R.max.pocket ?? NaN, R.max.kea ?? NaN)} (${fmt(R.max.pocket ?? NaN)} vs ${fmt(R.max.kea ?? NaN)})`, R.max.pocket !== undefined && R.max.kea ? R.max.pocket >= 1.2 * R.max.kea : undefined, 'throughput'],
    ['p50 ≤ 0.5 ms (DISCOVER→OFFER, REQUEST→ACK)', pocketLat ? `${pocketLat.doP50.toFixed(2)} / ${pocketLat.raP50.toFixed(2)} ms` : '—', pocketLat ? pocketLat.doP50 <= 0.5 && pocketLat.raP50 <= 0.5 : undefined, 'p50'],
    ['p99 ≤ 5 ms', pocketLat ? `${pocketLat.doP99.toFixed(2)} / ${pocketLat.raP99.toFixed(2)} ms` : '—', pocketLat ? pocketLat.doP99 <= 5 && pocketLat.raP99 <= 5 : undefined, 'p99'],
    ['100k leases load ≤ 1 s', R.open[0] ? `LeaseStore.open ${fmt(R.open[0].loadMs)} ms; server start ${R.startup ? fmt(R.startup.startMs) + ' ms' : '—'}` : '—', R.open[0] ? R.open[0].loadMs <= 1000 : undefined, 'load'],
    [
      'RSS ≤ 150 MB with 100k leases',
      R.startup
        ? R.startup.rssSettledMb !== undefined
          ? `${R.startup.rssSettledMb.toFixed(0)} MB settled (server, built CLI; ${R.startup.rssMb.toFixed(0)} MB in the first ${R.startup.settledAfterS!.toFixed(0)} s)`
          : `${R.startup.rssMb.toFixed(0)} MB (server, built CLI; did not settle within 90 s)`
        : '—',
      R.startup ? (R.startup.rssSettledMb ?? R.startup.rssMb) <= 150 : undefined,
      'rss',
    ],
    ['flood RSS growth ≤ 50 MB', flood ? `${flood.rssGrowthMb.toFixed(0)} MB (${flood.rssStartMb.toFixed(0)} → ${flood.rssMaxMb.toFixed(0)})` : '—', flood ? flood.rssGrowthMb <= 50 : undefined, 'flood'],
    ['table filter ≤ 50 ms (10,000 leases, Chromium)', R.ui ? `max ${Math.max(...R.ui.filter.map((f) => f.ms)).toFixed(1)} ms (${R.ui.filter.map((f) => f.ms.toFixed(0)).join(' / ')})` : '—', R.ui ? Math.max(...R.ui.filter.map((f) => f.ms)) <= 50 : undefined, 'ui-filter'],
    ['no frame > 16 ms while 500 lease events/s arrive', R.ui ? `${R.ui.live.over16} of ${R.ui.live.frames} frames > 25 ms, p95 ${R.ui.live.p95Ms.toFixed(1)} ms, max ${R.ui.live.maxMs.toFixed(1)} ms at ${R.ui.eventsPerSecond.toFixed(0)} events/s` : '—', R.ui ? R.ui.live.over16 === 0 : undefined, 'ui-frames'],
    ['reserved client served during the flood', flood ? `${flood.reserved.filter((r) => r.ok).length} of ${flood.reserved.length} attempts` : '—', flood ? flood.reserved.every((r) => r.ok) : undefined, 'reserved'],
  ];
  const tRows = targets.map(([t, v, ok, key]) => [t, v, ok === undefined ? 'not measured' : ok ? 'holds' : 'MISSED', targetNotes(key, ok, R)]);

  const text = [
    `pocket-dhcp benchmark (${R.mode}), ${R.machine.nproc} CPUs ${R.machine.model}, load ${R.loads.map((l) => l.load.split(' ')[0]).join(' → ')}`,
    '',
    textTable(head, maxRow),
    '',
    textTable(['ratio', ''], ratios),
    '',
    textTable(ladderHead, ladderRows),
    '',
    textTable(latHead, latRows),
    '',
    textTable(['engine', 'rate', 'unit', 'what'], engRows),
    '',
    textTable(['lease file', 'lines', 'open()', 'runs', 'RSS', 'heap'], openRows),
    R.startup ? `\nserver start with 100k leases: ${fmt(R.startup.startMs)} ms, RSS ${R.startup.rssMb.toFixed(0)} MB at 1 s${R.startup.rssSettledMb !== undefined ? `, ${R.startup.rssSettledMb.toFixed(0)} MB settled` : ''} (empty: ${fmt(R.startup.startEmptyMs)} ms, ${R.startup.rssEmptyMb.toFixed(0)} MB)` : '',
    R.commit ? `group commit at ${fmt(R.commit.rate)}/s: ${fmt(R.commit.batches)} batches, mean ${R.commit.meanBatch.toFixed(1)} max ${R.commit.maxBatch} records/batch, fdatasync mean ${R.commit.syncMsMean.toFixed(2)} max ${R.commit.syncMsMax.toFixed(1)} ms, compactions ${R.commit.compactions}` : '',
    flood ? `flood: ${fmt(flood.sent)} DISCOVERs at ${fmt(flood.rate)}/s, RSS ${flood.rssStartMb.toFixed(0)} → ${flood.rssMaxMb.toFixed(0)} MB, reserved client ${flood.reserved.filter((r) => r.ok).length}/${flood.reserved.length}` : '',
    '',
    textTable(['target', 'measured', 'verdict'], tRows.map((r) => r.slice(0, 3))),
  ].join('\n');

  const md: string[] = [];
  md.push('# Benchmark results', '');
  md.push(`Generated by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (bench/run.ts) on ${R.started} – ${R.finished}. Mode: **${R.mode}** (${RUNS} run(s) per rate, ${PERIOD} s periods).`, '');
  md.push('**Compare only ratios from the same run**: the machine is shared with other engineers\' test runs; absolute figures move by 20 % or more between runs (../shared/research/peer-bench.md).', '');
  md.push('## Machine and load', '');
  md.push(mdTable(['', ''], [...Object.entries(R.machine), ...Object.entries(R.versions).map(([k, v]) => [`version: ${k}`, v])]), '');
  md.push('Load average (1/5/15 min) during the run:', '');
  md.push(mdTable(['time (UTC)', 'section', 'load'], R.loads.map((l) => [l.at, l.what, l.load])), '');
  if (R.skipped.length) md.push('Skipped: ' + R.skipped.join('; '), '');
  md.push('## Method and exact commands', '');
  md.push(`- Lab: network namespaces from test/helpers/netns.ts, veth \`cl0 ${RELAY_IP}/15\` (perfdhcp) ↔ \`sv0 198.18.0.1/15\` (server). perfdhcp with \`-l cl0\` acts as a relay: giaddr ${RELAY_IP}, source port 67; every server selects the subnet by giaddr and answers to giaddr:67.`);
  md.push(`- All three servers get the same network: subnet ${SUBNET}, pool ${POOL_FIRST}–${POOL_LAST} (131,070 addresses: 100k distinct clients never exhaust it), lease 3600 s, router and DNS option. The relay's address lies in that subnet, as in peer-bench.md (a *second* subnet cannot be a /15: it would have to overlap the first inside 198.18.0.0/15; pocket-dhcp selects by giaddr through the same code either way).`);
  md.push(`- A fresh server and empty lease file per run; server pinned to CPU 0, perfdhcp to CPU 1 (\`taskset\`). A rate passes when the median of max(DISCOVER-OFFER, REQUEST-ACK drop %) over ${RUNS} run(s) is ≤ ${DROP_LIMIT} % (ISC's method); ${RUNS === 3 ? 'the third run is skipped when the first two agree (the median cannot change); ' : ''}pocket-dhcp and Kea alternate at each rate; a server's ladder stops at its first failing rate${QUICK ? '' : ', then one rate halfway between its last pass and first fail is measured'}.`);
  md.push(`- perfdhcp: \`${perfdhcpCommand(1000)}\` (RATE=1000 shown; \`-x t\` added for the latency runs; \`times\` gives perfdhcp's CPU time).`);
  md.push(`- pocket-dhcp: \`${pocketCli.label}\`: \`ip netns exec <server-ns> taskset -c 0 node bin/pocket-dhcp.js serve --config <tmp>/config.json --log json --probe-timeout 0 > <tmp>/server.log\` (no rogue-server probe: its fixed 4 s wait is not part of any figure) — durable: every ACK waits for its lease's group commit (append + fdatasync). Config: \`${JSON.stringify({ interface: 'sv0', dataDir: '<tmp>/data', leaseTime: 3600, subnets: [{ subnet: SUBNET, range: `${POOL_FIRST}-${POOL_LAST}`, router: ['198.18.0.1'], dns: ['198.18.0.1'] }] })}\``);
  md.push(`- Kea: \`KEA_PIDFILE_DIR=<tmp> KEA_LOCKFILE_DIR=<tmp> taskset -c 0 kea-dhcp4 -c <tmp>/kea-dhcp4.json\`; memfile, persist true, lfc-interval 0 (one write() per lease, no fsync), raw sockets, INFO log to a file in <tmp>.`);
  md.push(`- dnsmasq: \`taskset -c 0 dnsmasq -k --port=0 --interface=sv0 --bind-interfaces --dhcp-range=${POOL_FIRST},${POOL_LAST},255.254.0.0,3600 --dhcp-leasefile=<tmp>/dnsmasq.leases --dhcp-lease-max=200000 --no-ping --dhcp-authoritative --pid-file=<tmp>/dnsmasq.pid --conf-file=/dev/null\`.`);
  md.push('');
  md.push('## 1. DORA/s at ≤ 2.5 % dropped exchanges', '');
  md.push(mdTable(head, maxRow), '');
  md.push(mdTable(['ratio', ''], ratios), '');
  md.push('Every rate measured ("DO"/"RA": DISCOVER→OFFER / REQUEST→ACK; perfdhcp CPU is its share of one core over the run, to show whether the load generator saturates):', '');
  md.push(mdTable(ladderHead, ladderRows), '');
  md.push('"rcvbuf drops" is the server namespace\'s UDP RcvbufErrors over the run: datagrams the kernel dropped because the server\'s socket buffer was full. pocket-dhcp and dnsmasq receive on UDP sockets; Kea uses a raw packet socket, whose drops this counter does not see.', '');
  const perfMax = Math.max(0, ...R.ladder.flatMap((p) => p.runs.map((r) => r.perfdhcpCpuPct)));
  md.push(`perfdhcp saturation: the highest perfdhcp CPU share seen was ${perfMax.toFixed(0)} % of its core${perfMax > 90 ? ' — at that point the load generator, not the server, may be the limit' : ' — it was not the limit'}.`, '');
  md.push('## 2. Latency at half the max rate (perfdhcp `-x t`, per-exchange timestamps)', '');
  md.push(`Steady state: each run starts a fresh server, warms it up with ${WARMUP_SECONDS} s of the same rate from other clients (\`-b mac=${WARMUP_BASE_MAC}\`, not measured), then measures ${PERIOD} s. p50/p99 are the medians over the runs; "% over 5 ms" is the share of all exchanges of a run slower than 5 ms.`, '');
  md.push(latRows.length ? mdTable(latHead, latRows) : 'not measured', '');
  md.push('## 3. Engine in-process (no sockets, no disk)', '');
  md.push('`node --import tsx bench/engine-bench.ts` — perfdhcp-shaped relayed packets, Engine.decide over the server\'s own LeaseIndex, writes applied as LeaseStore.apply does (cleanLease + index.set).', '');
  md.push(engRows.length ? mdTable(['scenario', 'rate', 'unit', 'what'], engRows) : 'not measured', '');
  md.push('## 4. Lease store', '');
  md.push('LeaseStore.open() with 100,000 leases on disk (a fresh Node process per run; `node --import tsx bench/store-bench.ts`; RSS of that process includes tsx):', '');
  md.push(openRows.length ? mdTable(['lease file', 'lines', 'open() median', 'runs (ms)', 'process RSS', 'heap used'], openRows) : 'not measured', '');
  if (R.startup) {
    const settled =
      R.startup.rssSettledMb !== undefined
        ? ` The idle server's RSS then fell to ${R.startup.rssSettledMb.toFixed(0)} MB ${R.startup.settledAfterS!.toFixed(0)} s after start, when V8's memory reducer gave back the young generation and the pages it grew while parsing the file (sampled every second, up to 90 s; settled = the last 10 samples within 3 MB).`
        : ' It did not fall within 90 s (sampled every second).';
    md.push(`The real server (\`${pocketCli.label}\`) with the same 100,000-lease file: ${fmt(R.startup.startMs)} ms from spawn to its "started" line, RSS ${R.startup.rssMb.toFixed(0)} MB one second later (empty data directory: ${fmt(R.startup.startEmptyMs)} ms, ${R.startup.rssEmptyMb.toFixed(0)} MB).${settled}`, '');
  }
  if (R.commit) {
    const c = R.commit;
    md.push(`Group commit under perfdhcp load (${fmt(c.rate)} DORA/s, ${PERIOD} s; server wired as the CLI wires it plus LeaseStore.stats() — bench/lib/stats-server.ts): ${fmt(c.records)} records in ${fmt(c.batches)} batches, **mean ${c.meanBatch.toFixed(1)}, max ${c.maxBatch} records per batch** (one fdatasync each: mean ${c.syncMsMean.toFixed(2)} ms, max ${c.syncMsMax.toFixed(1)} ms), ${c.compactions} compaction(s); event-loop delay p99 ≤ ${c.loopP99Max.toFixed(1)} ms, max ${c.loopMax.toFixed(1)} ms (5 ms sampling resolution); drops ${c.dropPct.toFixed(2)} %, REQUEST→ACK p50 ${c.raP50.toFixed(2)} / p99 ${c.raP99.toFixed(2)} ms.`, '');
  }
  md.push('## 5. DISCOVER flood', '');
  if (flood) {
    md.push(`Bridge lab (perfdhcp relay and a reserved client in separate namespaces on the server's bridge). pocket-dhcp with a realistic pool ${FLOOD_RANGE} (1,024 addresses, fewer than the 10,000 offer holds, so the flood exhausts it and every further DISCOVER gives up the oldest offer) and a reservation ${RESERVED_MAC} → ${RESERVED_IP}. Flood: \`perfdhcp -4 -l cl0 -i -r ${FLOOD.rate} -R 1000000 -n ${FLOOD.count} -p ${Math.ceil(FLOOD.count / FLOOD.rate)} -W 1000000 -g single ${SERVER_IP}\` (DISCOVER→OFFER only, random MACs, unicast to the server as a relay agent sends). Reserved client: \`busybox udhcpc -i rc0 -n -q -f -t 4 -T 1 -A 1 -s /bin/true\` before, every ${QUICK ? 2 : 5} s during, and after the flood.`, '');
    md.push(mdTable(['', ''], [
      ['DISCOVERs sent (perfdhcp\'s last 1-s report) / OFFERs sent (server log)', `${fmt(flood.sent)} / ${fmt(flood.offered)} in ${flood.seconds.toFixed(0)} s (perfdhcp 2.2 cannot print its final report with -i)`],
      ['server RSS start → max → end', `${flood.rssStartMb.toFixed(0)} → ${flood.rssMaxMb.toFixed(0)} → ${flood.rssEndMb.toFixed(0)} MB (growth ${flood.rssGrowthMb.toFixed(0)} MB)`],
      ['server CPU / perfdhcp CPU', `${flood.serverCpuPct.toFixed(0)} % / ${flood.perfdhcpCpuPct.toFixed(0)} % of a core`],
      ['datagrams dropped by the kernel at the server socket (UDP RcvbufErrors)', fmt(flood.rcvbufDrops)],
      ['events in the log', Object.entries(flood.drops).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || '—'],
      ['reserved client', `${flood.reserved.filter((r) => r.ok).length} of ${flood.reserved.length} attempts got ${RESERVED_IP}`],
    ]), '');
    md.push(mdTable(['at s', 'ok', 'ms', 'udhcpc'], flood.reserved.map((r) => [r.atS.toFixed(1), r.ok ? 'yes' : 'NO', r.ms.toFixed(0), r.detail])), '');
  } else md.push('not measured', '');
  md.push('## 6. UI', '');
  if (R.ui) {
    const u = R.ui;
    md.push(`The built UI in ${u.browser} (headless, inside the server namespace), connected to the real server (\`serve --config … --web 127.0.0.1:${8080}\`) whose lease file holds ${fmt(u.rows)} leases. Filter: from typing the query to the painted result. Sort: from the header click to the painted result. Live: requestAnimationFrame intervals while perfdhcp ran ${fmt(Math.round(u.dorasPerSecond))} DORA/s of new clients against the server (offers and ACKs, each pushed to the page as a lease row change). Headless Chromium paints at 60 Hz; a frame counts as late above 25 ms (one and a half frames).`, '');
    md.push(mdTable(['filter query', 'ms', 'shown'], u.filter.map((f) => [f.query ? `\`${f.query}\`` : '(cleared)', f.ms.toFixed(1), f.matches])), '');
    md.push(mdTable(['sort by', 'ms'], u.sort.map((x) => [x.column, x.ms.toFixed(1)])), '');
    md.push(mdTable(['frames', 'count', 'mean ms', 'p50 ms', 'p95 ms', 'max ms', 'late (> 25 ms)'], [
      ['scrolling the table top to bottom', fmt(u.scroll.frames), u.scroll.meanMs.toFixed(1), u.scroll.p50Ms.toFixed(1), u.scroll.p95Ms.toFixed(1), u.scroll.maxMs.toFixed(1), '—'],
      [`live: ${u.eventsPerSecond.toFixed(0)} lease events/s for ${u.live.seconds.toFixed(0)} s`, fmt(u.live.frames), u.live.meanMs.toFixed(1), u.live.p50Ms.toFixed(1), u.live.p95Ms.toFixed(1), u.live.maxMs.toFixed(1), fmt(u.live.over16)],
    ]), '');
  } else md.push('not measured' + (R.skipped.find((x) => x.startsWith('UI')) ? ` (${R.skipped.find((x) => x.startsWith('UI'))})` : ''), '');
  md.push('## Targets', '');
  md.push(mdTable(['target', 'measured', 'verdict', 'why / what was tried'], tRows), '');
  md.push(optimisationLog(), '');
  md.push(attention(), '');
  if (R.notes.length) md.push('## Notes from this run', '', ...R.notes.map((n) => `- ${n}`), '');
  return { text, md: md.join('\n') };
}

// ---- main -----------------------------------------------------------------------------------------

/** `--report-from=bench/.work/results-….json`: write RESULTS.md again from a saved run (e.g. after editing notes.ts). */
function reportFrom(file: string): void {
  Object.assign(results, JSON.parse(readFileSync(file, 'utf8')));
  const { text, md } = report();
  process.stdout.write(`${text}\n`);
  if (WRITE) writeFileSync(join(REPO_ROOT, 'bench/RESULTS.md'), md + '\n');
}

async function main(): Promise<void> {
  const from = argv.find((a) => a.startsWith('--report-from='))?.slice(14);
  if (from) return reportFrom(from);
  const t0 = Date.now();
  machineInfo();
  noteLoad('start');
  const avail = labAvailable();
  const pk = ensurePackages();
  machineInfo();
  ensureBuild();
  const servers: ServerKind[] = ['pocket'];
  if (pk.peers) servers.push('kea', 'dnsmasq');
  else results.skipped.push(`Kea and dnsmasq: ${pk.reason ?? 'not installed'}`);
  const netOk = avail.ok && pk.perfdhcp;
  if (!avail.ok) results.skipped.push(`network sections: ${avail.reason}`);
  else if (!pk.perfdhcp) results.skipped.push(`network sections: perfdhcp missing (${pk.reason})`);

  if (netOk && (want('ladder') || want('latency') || want('commit') || want('store'))) {
    const bl = await perfLab('benchperf');
    try {
      if (want('ladder')) await ladder(bl, servers);
      if (want('latency')) await latency(bl, servers);
      if (want('store')) await startup(bl);
      if (want('commit')) await groupCommit(bl);
    } finally {
      await bl.lab.cleanup();
    }
  }
  if (want('engine')) engine();
  if (want('store')) storeOpen();
  if (netOk && want('flood')) await flood();
  if (netOk && want('ui')) await ui();
  noteLoad('end');
  results.finished = new Date().toISOString();
  const { text, md } = report();
  process.stdout.write(`${text}\n\n(total ${((Date.now() - t0) / 60000).toFixed(1)} min)\n`);
  const work = join(REPO_ROOT, 'bench/.work');
  if (!existsSync(work)) mkdirSync(work, { recursive: true });
  writeFileSync(join(work, `results-${results.started.replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  if (WRITE) {
    writeFileSync(join(REPO_ROOT, 'bench/RESULTS.md'), md + '\n');
    log('wrote bench/RESULTS.md');
  }
}

await main();
