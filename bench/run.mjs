// `npm run bench` entry: runs bench/run.ts through tsx (the benchmark imports the TypeScript sources
// directly for its in-process parts). Arguments pass through: `npm run bench -- --quick`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: join(here, '..') });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
