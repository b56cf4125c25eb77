// Running one step as administrator, per OS, built as argv (pure) so the exact command can be shown
// before it runs and unit-tested:
//   Linux   pkexec (polkit asks for the password in a desktop dialog). pkexec clears the
//           environment, so variables go through /usr/bin/env.
//   macOS   osascript `do shell script … with administrator privileges` (the system password
//           dialog). The one place a shell string exists: built from argv with every word
//           single-quoted, from names that were validated not to contain quotes at all.
//   Windows PowerShell `Start-Process -Verb RunAs` (the UAC prompt); its exit code is passed on.
// Plus the facts that decide whether elevation can work (pkexec present, a polkit agent running).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { psQuote, shWord, winArg } from './nic-plan.js';

export type ElevationKind = 'pkexec' | 'osascript' | 'uac';

export function pkexecArgv(argv: readonly string[], env: Readonly<Record<string, string>> = {}, pkexec = 'pkexec'): string[] {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [pkexec, ...(vars.length ? ['/usr/bin/env', ...vars] : []), ...argv];
}

/** An AppleScript string literal. */
export function appleString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The sh command osascript runs: each argv single-quoted, steps joined with && (stop at the first failure). */
export function macShellCommand(steps: readonly (readonly string[])[]): string {
  return steps.map((argv) => argv.map(shWord).join(' ')).join(' && ');
}

export function osascriptArgv(steps: readonly (readonly string[])[], prompt: string): string[] {
  return ['/usr/bin/osascript', '-e', `do shell script ${appleString(macShellCommand(steps))} with prompt ${appleString(prompt)} with administrator privileges`];
}

/** Start-Process with the UAC prompt; the elevated program's exit code becomes PowerShell's. */
export function uacArgv(argv: readonly string[]): string[] {
  const [file, ...args] = argv;
  const line = args.map(winArg).join(' ');
  const script = `$p = Start-Process -FilePath ${psQuote(file!)}${line ? ` -ArgumentList ${psQuote(line)}` : ''} -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode`;
  return ['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script];
}

/** What the user did or what went wrong, from the elevation tool's exit code and output. */
export type ElevationOutcome = 'ok' | 'cancelled' | 'not-authorized' | 'no-agent' | 'failed';

export function classifyElevation(kind: ElevationKind, code: number | null, stderr: string): ElevationOutcome {
  if (code === 0) return 'ok';
  const err = stderr.toLowerCase();
  switch (kind) {
    case 'pkexec':
      // pkexec(1): 126 = the user dismissed the dialog, 127 = not authorized or no agent; anything
      // else is the program's own exit code.
      if (code === 126) return 'cancelled';
      if (code === 127) return /no authentication agent/.test(err) ? 'no-agent' : 'not-authorized';
      return 'failed';
    case 'osascript':
      if (/user cancel+ed|\(-128\)/.test(err)) return 'cancelled';
      return 'failed';
    case 'uac':
      if (/canceled by the user|cancelled by the user|operation was canceled/.test(err)) return 'cancelled';
      return 'failed';
  }
}

export function elevationMessage(outcome: ElevationOutcome, manual: string): string | undefined {
  switch (outcome) {
    case 'cancelled':
      return 'Nothing was changed: the administrator password dialog was closed.';
    case 'not-authorized':
      return `Nothing was changed: the system did not authorize the change (wrong password, or this account is not an administrator). To do it yourself, run: ${manual}`;
    case 'no-agent':
      return `Nothing was changed: no polkit authentication agent is running, so pkexec cannot ask for the password. Run this in a terminal instead: ${manual}`;
    default:
      return undefined;
  }
}

// ---- facts ----

export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, extra: readonly string[] = ['/usr/bin', '/bin', '/usr/sbin', '/sbin']): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extra];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Desktop shells and agents that answer polkit's password requests (pkexec without one fails with
 * "No authentication agent found"). Matched against process names (comm, truncated to 15
 * characters by the kernel) and the basename of argv[0].
 */
const AGENT_PATTERNS = [/polkit/i, /policykit/i, /^gnome-shell$/, /^cinnamon$/, /^budgie-/, /^lxpolkit$/, /^hyprpolkitagent$/, /^io\.elementary\.d/, /^ukui-polkit/, /^deepin-polkit/];

export function isPolkitAgent(processName: string): boolean {
  // polkitd itself (the authority) and pkexec are not agents.
  if (/^polkitd$|^polkit-agent-helper|^pkexec$/.test(processName)) return false;
  return AGENT_PATTERNS.some((re) => re.test(processName));
}

export function hasPolkitAgent(processNames: Iterable<string>): boolean {
  for (const n of processNames) if (isPolkitAgent(n)) return true;
  return false;
}

/** Process names on this machine (comm and argv[0] basename), for hasPolkitAgent. Linux only. */
export function processNames(procRoot = '/proc'): string[] {
  const out: string[] = [];
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      out.push(readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim());
      const argv0 = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
      if (argv0) out.push(argv0.split('/').pop()!);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
