// `pocket-dhcp helper --stdio --data-dir DIR`: the privileged helper (helper/helper-server.ts). The
// desktop app starts it through pkexec when it lacks the privileges to serve; it speaks the
// contract as JSON lines on stdin/stdout and stops when stdin closes. stdout belongs to the
// protocol: anything the engine would print goes to stderr.
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { runHelper } from '../helper/helper-server.js';
import { CliError, EXIT_CONFIG } from './errors.js';

export async function runHelperCommand(flags: { stdio?: boolean; dataDir?: string }): Promise<void> {
  if (!flags.stdio) throw new CliError('the helper speaks only over stdin/stdout: pocket-dhcp helper --stdio --data-dir DIR', EXIT_CONFIG);
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  const h = await runHelper({
    dataDir,
    input: process.stdin,
    write: (line) => void process.stdout.write(line),
    log: (line) => process.stderr.write(`pocket-dhcp helper: ${line}\n`),
  });
  const onSignal = () => h.stop();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // A hangup of the terminal/pipe ends the session like stdin's end.
  process.on('SIGHUP', onSignal);
  const code = await h.done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('SIGHUP', onSignal);
  if (h.exitCode !== 0 || code !== 0) process.exitCode = h.exitCode || code;
  // stdin may keep the loop alive on some platforms after 'end'.
  process.stdin.destroy();
}
