// Profile the real server (built CLI) under a bounded perfdhcp load, then print its top frames:
//   node --import tsx bench/profile-server.ts [RATE] [SECONDS] [OUTDIR]
// One server, one perfdhcp run (RATE DORA/s for SECONDS, at most RATE×SECONDS exchanges), inside the
// bench namespaces (198.18.0.0/15). Prints perfdhcp's drop figures, the server's CPU ms per DORA and
// the top self/total frames of the .cpuprofile V8 writes at SIGTERM.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { perfLab } from './lib/lab.js';
import { runPerfdhcp } from './lib/perfdhcp.js';
import { startPocket } from './lib/servers.js';
import { summarize } from './profile-top.js';

const rate = Number(process.argv[2] ?? 1500);
const seconds = Number(process.argv[3] ?? 10);
const outDir = process.argv[4] ?? '/tmp/prof'; // '-' = no profile, figures only
const bl = await perfLab('benchprof');
try {
  const srv = await startPocket(bl, { nodeArgs: outDir === '-' ? [] : ['--cpu-prof', `--cpu-prof-dir=${outDir}`] });
  const cpu0 = srv.cpuMs();
  const r = await runPerfdhcp(bl, { rate, period: seconds, clients: rate * seconds });
  const cpu = srv.cpuMs() - cpu0;
  await srv.stop();
  const acks = r.requestAck?.received ?? 0;
  console.log(`rate ${rate}/s × ${seconds} s: DO drops ${r.discoverOffer?.dropPct}% RA drops ${r.requestAck?.dropPct}%, server CPU ${(cpu / Math.max(1, acks)).toFixed(3)} ms/DORA (${acks} ACKs), avg DO ${r.discoverOffer?.avgMs} / RA ${r.requestAck?.avgMs} ms`);
  const prof = outDir === '-' ? undefined : readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile')).sort().pop();
  if (prof) {
    const s = summarize(join(outDir, prof), 30);
    console.log(`profile ${prof}: ${s.totalMs.toFixed(0)} ms`);
    for (const x of s.self) console.log(`  self ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);
  }
} finally {
  await bl.lab.cleanup();
}
