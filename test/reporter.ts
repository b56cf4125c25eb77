// Prints the one closing line CI understands: "N passed, N failed, N skipped", alone and last.
// A test file that fails to load, or an unhandled error, counts as a failure: otherwise a broken
// import would silently shrink the suite.
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
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
