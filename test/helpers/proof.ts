// What a reliability test proved ("20 kills survived, 0 ACKed leases lost"), collected across
// vitest workers through a file and printed by test/reporter.ts just before the summary line.
import { appendFileSync } from 'node:fs';

export function recordProof(area: string, text: string): void {
  const file = process.env.POCKET_DHCP_PROOF_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ area, text })}\n`);
}

/**
 * The areas the summary always lists (issue 6 and the README's reliability table), each with the
 * tests that record it. An area with no line in a run is printed as NOT_RUN: a skipped or failed
 * test must not look like a proof by leaving a gap nobody notices.
 */
export const EXPECTED_AREAS: readonly { area: string; tests: readonly string[] }[] = [
  { area: 'crash safety', tests: ['test/integration/reliability/crash-under-load.test.ts'] },
  { area: 'lease file', tests: ['test/unit/reliability/lease-file-edges.test.ts'] },
  { area: 'fuzzing', tests: ['test/unit/reliability/fuzz.test.ts'] },
  { area: 'malformed packets', tests: ['test/integration/reliability/malformed-packets.test.ts'] },
  { area: 'configuration', tests: ['test/integration/reliability/config-edges.test.ts'] },
  { area: 'rogue server', tests: ['test/integration/reliability/dhcp-probe.test.ts'] },
  { area: 'floods', tests: ['test/integration/reliability/floods.test.ts', 'test/unit/reliability/flood-ui.test.ts'] },
  { area: 'hostile UI input', tests: ['test/unit/ipc/hostile-input.test.ts'] },
  { area: 'web mode', tests: ['test/unit/web/web-server.test.ts', 'test/integration/web/web-mode.test.ts'] },
];

export const NOT_RUN = 'not run (skipped or failed)';

/**
 * The summary's lines from the proof file's text and the test files of the run: every expected
 * area in order — its recorded lines, or NOT_RUN — then the other areas recorded, in order of
 * arrival. Empty when nothing was recorded and the run had none of the reliability tests (a run of
 * one unrelated file prints no section).
 */
export function proofSummary(fileText: string, testFiles: readonly string[]): string[] {
  const byArea = new Map<string, string[]>();
  for (const line of fileText.split('\n')) {
    if (!line) continue;
    try {
      const { area, text } = JSON.parse(line) as { area: string; text: string };
      byArea.set(area, [...(byArea.get(area) ?? []), text]);
    } catch {
      /* a torn line from a killed worker: skip */
    }
  }
  const reliabilityRun = testFiles.some((f) => EXPECTED_AREAS.some((a) => a.tests.some((t) => f.replace(/\\/g, '/').endsWith(t))));
  if (byArea.size === 0 && !reliabilityRun) return [];
  const out: string[] = [];
  for (const { area } of EXPECTED_AREAS) for (const t of byArea.get(area) ?? [NOT_RUN]) out.push(`${area}: ${t}`);
  const expected = new Set(EXPECTED_AREAS.map((a) => a.area));
  for (const [area, texts] of byArea) if (!expected.has(area)) for (const t of texts) out.push(`${area}: ${t}`);
  return out;
}
