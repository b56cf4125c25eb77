#!/usr/bin/env node
// Loads the built CLI. `npm install` builds it (the "prepare" script); `npm run build` rebuilds it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(`pocket-dhcp: the CLI is not built yet — run "npm run build" in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(1);
}

// The server's young generation. V8 grows it to 32 MB (two 16 MB semispaces) for any steady
// allocation rate, and a DHCP server allocates per packet: under a DISCOVER flood that is most of
// its memory growth (bench/RESULTS.md, section 5), while 4 MB semispaces cost no measurable CPU per
// exchange. The size can only be set when V8 starts, so `serve` replaces this process with
// `node --max-semi-space-size=4 …` (execve: the same PID, stdio, namespace and CPU affinity — a
// supervisor or a test that started us still holds the right PID). Linux and macOS only; anything
// unexpected, or POCKET_DHCP_NO_REEXEC=1, and the server simply runs with V8's default.
const SEMI_SPACE_FLAG = '--max-semi-space-size=4';
function reexecWithServerHeap() {
  if (process.argv[2] !== 'serve' || process.env.POCKET_DHCP_NO_REEXEC === '1') return;
  if (process.platform !== 'linux' && process.platform !== 'darwin') return;
  if (process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) return;
  try {
    const koffi = createRequire(import.meta.url)('koffi');
    const libc = process.platform === 'linux' ? loadLinuxLibc(koffi) : koffi.load('libSystem.B.dylib');
    const fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
    const execve = libc.func('int execve(const char *path, const char **argv, const char **envp)');
    // Node marks stdin/stdout/stderr close-on-exec (so that child processes do not inherit them);
    // the new image must keep them. F_SETFD = 2 on Linux and macOS.
    for (const fd of [0, 1, 2]) fcntl(fd, 2, 'int', 0);
    const argv = [process.execPath, SEMI_SPACE_FLAG, ...process.execArgv, ...process.argv.slice(1), null];
    const envp = [...Object.entries(process.env).map(([k, v]) => `${k}=${v}`), 'POCKET_DHCP_NO_REEXEC=1', null];
    execve(process.execPath, argv, envp); // returns only on failure: carry on in this process
  } catch {
    // No FFI here (unusual platform or architecture): the default heap sizing is fine.
  }
}
function loadLinuxLibc(koffi) {
  try {
    return koffi.load('libc.so.6');
  } catch {
    return koffi.load('libc.so'); // musl (Alpine)
  }
}
reexecWithServerHeap();

await import(cli.href);
