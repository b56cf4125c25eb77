// Prints the one closing line CI understands: "N passed, N failed, N skipped", alone and last.
// A test file that fails to load, or an unhandled error, counts as a failure: otherwise a broken
// import would silently shrink the suite.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

type RunEndArgs = Parameters<NonNullable<Reporter['onTestRunEnd']>>;

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(...[modules, unhandledErrors]: RunEndArgs): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of modules as ReadonlyArray<TestModule>) {
      let cases = 0;
      for (const test of mod.children.allTests()) {
        cases++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (cases === 0 && mod.state() === 'failed') failed++;
      else if (mod.errors().length > 0) failed += mod.errors().length;
    }
    failed += unhandledErrors.length;
    printProofs();
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** Lines recorded by test/helpers/proof.ts during this run, grouped by area. */
function printProofs(): void {
  const file = process.env.POCKET_DHCP_PROOF_FILE;
  if (!file || !existsSync(file)) return;
  const byArea = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const { area, text } = JSON.parse(line) as { area: string; text: string };
      byArea.set(area, [...(byArea.get(area) ?? []), text]);
    } catch {
      /* a torn line from a killed worker: skip */
    }
  }
  rmSync(file, { force: true });
  if (byArea.size === 0) return;
  process.stdout.write('\nWhat the reliability tests proved:\n');
  for (const [area, texts] of byArea) for (const t of texts) process.stdout.write(`  ${area}: ${t}\n`);
}
