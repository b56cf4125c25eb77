// Prints the one closing line CI understands: "N passed, N failed, N skipped", alone and last.
// A test file that fails to load, or an unhandled error, counts as a failure: otherwise a broken
// import would silently shrink the suite.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { proofSummary } from './helpers/proof.js';

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
    printProofs((modules as ReadonlyArray<TestModule>).map((m) => m.moduleId));
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** Lines recorded by test/helpers/proof.ts during this run: every expected area, "not run" where none. */
function printProofs(testFiles: readonly string[]): void {
  const file = process.env.POCKET_DHCP_PROOF_FILE;
  if (!file) return;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  rmSync(file, { force: true });
  const lines = proofSummary(text, testFiles);
  if (lines.length === 0) return;
  process.stdout.write('\nWhat the reliability tests proved:\n');
  for (const l of lines) process.stdout.write(`  ${l}\n`);
}
