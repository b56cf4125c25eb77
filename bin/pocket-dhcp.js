#!/usr/bin/env node
// Loads the built CLI. `npm install` builds it (the "prepare" script); `npm run build` rebuilds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(`pocket-dhcp: the CLI is not built yet — run "npm run build" in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(1);
}
await import(cli.href);
