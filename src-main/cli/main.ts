// Process entry of the CLI (bin/pocket-dhcp.js loads the built copy of this file).
import { main } from './index.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pocket-dhcp: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
