import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Reliability tests append what they proved here (test/helpers/proof.ts); the reporter prints it.
process.env.POCKET_DHCP_PROOF_FILE ??= join(tmpdir(), `pocket-dhcp-proofs-${process.pid}.jsonl`);

// Unit tests run in parallel; integration and e2e tests own network namespaces and port 67,
// so they run one file at a time.
export default defineConfig({
  test: {
    reporters: ['default', './test/reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
