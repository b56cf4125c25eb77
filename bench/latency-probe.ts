// Where does the latency tail come from? One server, one rate, per-exchange timestamps bucketed per
// 100 ms, optionally with the server's GC pauses, an event-loop lag monitor or a CPU profile:
//
//   node --import tsx bench/latency-probe.ts RATE SECONDS RUN...
//
// Each RUN is a '+'-joined list of flags: `kea` (Kea instead of pocket-dhcp), `warm` (3 s of the
// same rate from other clients first, as bench/run.ts's latency runs do), `tmpfs` (pocket-dhcp's
// data directory on /dev/shm), `gc` (--trace-gc: pauses over 4 ms and full collections),
// `lag` (event-loop gaps over 15 ms), `prof` (--cpu-prof into ./bench/.work/prof, and its top
// frames by self time as bench/profile-top.ts prints them), `semi=N` (V8's semispace size in MB instead of serve's 4), `cli=PATH`
// (another build's bin/pocket-dhcp.js, for A/B runs). Example:
//
//   node --import tsx bench/latency-probe.ts 2500 10 warm warm+cli=/tmp/before/bin/pocket-dhcp.js kea+warm
//
// Inside the bench namespaces (198.18.0.0/15), bounded by perfdhcp's -n/-p under `timeout`. The
// timestamps are perfdhcp's; "load +s" is seconds since the measured perfdhcp run started.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { perfLab } from './lib/lab.js';
import { runPerfdhcp, slowPct, type ExchangeStats } from './lib/perfdhcp.js';
import { REPO_ROOT, startKea, startPocket } from './lib/servers.js';
import { summarize } from './profile-top.js';

const rate = Number(process.argv[2] ?? 2500);
const seconds = Number(process.argv[3] ?? 10);
const runs = process.argv.slice(4);
const PROF_DIR = join(REPO_ROOT, 'bench/.work/prof');

/** Event-loop gaps over 15 ms, appended to a file named after the server's pid (loaded with --import). */
const LAG_MONITOR = `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 15) appendFileSync('/dev/shm/pdl-lag-' + process.pid + '.txt', Date.now() + ' ' + (now - last).toFixed(1) + '\\n');
  last = now;
}, 1).unref();`)}`;

function slowSlots(st: ExchangeStats | undefined): string {
  const sr = st?.series;
  if (!sr || sr.sentAt.length === 0) return '—';
  const t0 = Math.min(...sr.sentAt);
  const slots = new Map<number, number>();
  sr.sentAt.forEach((t, i) => {
    if (sr.delays[i]! > 5) slots.set(Math.floor((t - t0) * 10), (slots.get(Math.floor((t - t0) * 10)) ?? 0) + 1);
  });
  return [...slots].sort((a, b) => a[0] - b[0]).map(([k, c]) => `${(k / 10).toFixed(1)}s:${c}`).join(' ') || 'none';
}

const bl = await perfLab('benchprobe');
try {
  for (const run of runs.length ? runs : ['warm']) {
    const flags = new Set(run.split('+'));
    const cli = [...flags].find((f) => f.startsWith('cli='))?.slice(4);
    const semi = [...flags].find((f) => f.startsWith('semi='))?.slice(5);
    let tmpfsDir: string | undefined;
    let spawnAt = 0;
    if (flags.has('prof')) mkdirSync(PROF_DIR, { recursive: true });
    const srv = flags.has('kea')
      ? await startKea(bl)
      : await startPocket(bl, {
          cli,
          onSpawn: () => (spawnAt = Date.now()),
          nodeArgs: [
            ...(flags.has('gc') ? ['--trace-gc'] : []),
            // serve re-executes itself with 4 MB semispaces unless the flag is already there.
            ...(semi ? [`--max-semi-space-size=${semi}`] : []),
            ...(flags.has('lag') ? ['--import', LAG_MONITOR] : []),
            ...(flags.has('prof') ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : []),
          ],
          prepareData: flags.has('tmpfs')
            ? (dir) => {
                rmdirSync(dir);
                tmpfsDir = mkdtempSync('/dev/shm/pdl-probe-');
                symlinkSync(tmpfsDir, dir);
              }
            : undefined,
        });
    if (flags.has('warm')) await runPerfdhcp(bl, { rate, period: 3, clients: rate * 3, extra: ['-b', 'mac=02:aa:00:00:00:00'] });
    const cpu0 = srv.cpuMs();
    const loadAt = Date.now();
    const r = await runPerfdhcp(bl, { rate, period: seconds, clients: rate * seconds, timestamps: true });
    const cpuMs = srv.cpuMs() - cpu0;
    const log = srv.log();
    await srv.stop();
    if (tmpfsDir) rmSync(tmpfsDir, { recursive: true, force: true });

    const acks = r.requestAck?.received ?? 0;
    const f = (x: number | undefined) => (x === undefined ? '?' : x.toFixed(2));
    console.log(
      `${run} at ${rate}/s: DISCOVER→OFFER p50 ${f(r.discoverOffer?.p50Ms)} p99 ${f(r.discoverOffer?.p99Ms)} ms | REQUEST→ACK p50 ${f(r.requestAck?.p50Ms)} p99 ${f(r.requestAck?.p99Ms)} ms | ` +
        `${slowPct(r).toFixed(2)} % over 5 ms | drops ${r.dropPct.toFixed(2)} % | server CPU ${(cpuMs / Math.max(1, acks)).toFixed(3)} ms/DORA`,
    );
    console.log(`  over 5 ms per 100 ms (DISCOVER→OFFER): ${slowSlots(r.discoverOffer)}`);
    console.log(`  over 5 ms per 100 ms (REQUEST→ACK):    ${slowSlots(r.requestAck)}`);
    const isolateStartMs = loadAt - spawnAt; // close enough: V8's clock starts just after the spawn
    if (flags.has('gc')) {
      for (const line of log.split('\n')) {
        const m = /(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep).*?, ([\d.]+) \/ [\d.]+ ms/.exec(line);
        if (m && (Number(m[3]) > 4 || m[2] !== 'Scavenge')) console.log(`  gc at load ${((Number(m[1]) - isolateStartMs) / 1000).toFixed(2)}s: ${m[2]} ${m[3]} ms`);
      }
    }
    if (flags.has('lag')) {
      const file = `/dev/shm/pdl-lag-${srv.pid}.txt`;
      let gaps = '';
      try {
        gaps = readFileSync(file, 'utf8').trim().split('\n').map((l) => {
          const [t, g] = l.split(' ');
          return `${((Number(t) - loadAt) / 1000).toFixed(2)}s:${g}ms`;
        }).join(' ');
      } catch {
        gaps = 'none over 15 ms';
      }
      rmSync(file, { force: true });
      console.log(`  event-loop gaps (load +s:gap): ${gaps}`);
    }
    if (flags.has('prof')) {
      // The newest profile is this server's (V8 writes it when the server exits).
      const newest = readdirSync(PROF_DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(PROF_DIR, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      if (newest) {
        const sum = summarize(newest, 20);
        console.log(`  profile ${newest} (${sum.totalMs.toFixed(0)} ms, warm-up included), top self time:`);
        for (const x of sum.self) console.log(`    ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);
      }
    }
  }
} finally {
  await bl.lab.cleanup();
}
