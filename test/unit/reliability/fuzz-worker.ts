// Child process of fuzz.test.ts: `node --import tsx fuzz-worker.ts SEED DECODE_CALLS` prints one JSON
// line of FuzzStats. A separate process per share, so the shares run on separate cores.
import { runFuzz } from './fuzz-core.js';

const seed = Number(process.argv[2]);
const budget = Number(process.argv[3]);
if (!Number.isInteger(seed) || !Number.isInteger(budget) || budget < 0) {
  process.stderr.write('usage: fuzz-worker.ts SEED DECODE_CALLS\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(runFuzz(seed, budget))}\n`);
