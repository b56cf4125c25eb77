// Top frames of a V8 .cpuprofile (node --cpu-prof): self time per function and total (inclusive)
// time per function, so "profile first" is one command:
//   node --import tsx bench/profile-top.ts FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  self: { name: string; ms: number; pct: number }[];
  total: { name: string; ms: number; pct: number }[];
}

export function summarize(path: string, n = 25): ProfileSummary {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const sampleUs = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) sampleUs.set(prof.samples[i]!, (sampleUs.get(prof.samples[i]!) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const label = (x: Node) => {
    const f = x.callFrame;
    const file = f.url.replace(/^.*\/(src-main|node_modules)\//, '$1/').replace(/^file:\/\//, '');
    return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  for (const [id, us] of sampleUs) {
    const x = byId.get(id)!;
    all += us;
    self.set(label(x), (self.get(label(x)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / all }));
  return { totalMs: all / 1000, self: top(self), total: top(total) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarize(process.argv[2]!, Number(process.argv[3] ?? 25));
  console.log(`total sampled ${s.totalMs.toFixed(0)} ms\n-- self --`);
  for (const r of s.self) console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
  console.log('-- total (inclusive) --');
  for (const r of s.total) console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
}
