// How the desktop app runs its own CLI as root (pure; no electron import): for the privileged
// helper (`helper --stdio`) and for one-off static-address changes (`nic set|restore`). A packaged
// app has no Node binary of its own — it is the Electron binary, run as plain Node with
// ELECTRON_RUN_AS_NODE=1, on the CLI inside app.asar (Electron's Node mode reads asar archives).
// pkexec clears the environment, so that variable is passed through /usr/bin/env.
//
// What cannot work is said up front instead of failing in a dialog: not Linux, no pkexec, no polkit
// agent to ask for the password, or an AppImage (its files live on a FUSE mount of the user's that
// root cannot read).
import { formatArgv } from '../net/nic-plan.js';
import { pkexecArgv } from '../net/elevate.js';
import type { NicElevation } from '../net/nic-manager.js';

export interface LaunchFacts {
  platform: NodeJS.Platform;
  /** process.execPath: the Electron binary (packaged or from node_modules), or node. */
  execPath: string;
  /** Running inside Electron (process.versions.electron): needs ELECTRON_RUN_AS_NODE. */
  electron: boolean;
  /** out/main/cli.js next to the main bundle (inside app.asar when packaged). */
  cliPath: string;
  /** $APPIMAGE when running from an AppImage. */
  appImage?: string;
  /** Absolute path of pkexec, if installed. */
  pkexec?: string;
  /** A polkit authentication agent is running (elevate.ts hasPolkitAgent). */
  polkitAgent: boolean;
}

export type Launcher = { ok: true; argv: string[]; env: Record<string, string> } | { ok: false; reason: string };

/** argv that runs our CLI (as the current user); elevation is added by the caller. */
export function cliLauncher(f: LaunchFacts): Launcher {
  if (f.platform !== 'linux') return { ok: false, reason: 'the privileged helper is for Linux; macOS and Windows let Pocket DHCP serve without one' };
  if (f.appImage) {
    return {
      ok: false,
      reason: 'Pocket DHCP runs from an AppImage, whose files root cannot read (they are on a FUSE mount of your user) — install the .deb package to use the helper, or use another fix below',
    };
  }
  if (!f.pkexec) return { ok: false, reason: 'pkexec is not installed (Debian/Ubuntu: sudo apt install pkexec; Fedora: polkit)' };
  if (!f.polkitAgent) return { ok: false, reason: 'no polkit authentication agent is running, so pkexec cannot ask for your password (a desktop session normally starts one)' };
  return { ok: true, argv: [f.execPath, f.cliPath], env: f.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

export interface HelperCommand {
  argv: string[];
  /** The exact command as text (shown before the password dialog). */
  text: string;
}

/** pkexec … helper --stdio --data-dir DIR, or why it cannot run. */
export function helperCommand(f: LaunchFacts, dataDir: string): { ok: true; command: HelperCommand } | { ok: false; reason: string } {
  const l = cliLauncher(f);
  if (!l.ok) return l;
  const argv = pkexecArgv([...l.argv, 'helper', '--stdio', '--data-dir', dataDir], l.env, f.pkexec!);
  return { ok: true, command: { argv, text: formatArgv(argv, 'linux') } };
}

/** How the in-process engine of the desktop app changes the static address. */
export function appNicElevation(f: LaunchFacts, canConfigureNic: boolean): NicElevation {
  if (canConfigureNic) return { kind: 'direct' };
  switch (f.platform) {
    case 'darwin':
      return { kind: 'osascript' };
    case 'win32':
      return { kind: 'uac' };
    case 'linux': {
      const l = cliLauncher(f);
      if (l.ok) return { kind: 'pkexec-cli', launcher: l.argv, env: l.env, pkexec: f.pkexec! };
      // Without pkexec the plan still shows the commands; applying says why it cannot.
      return { kind: 'pkexec-cli', launcher: [f.execPath, f.cliPath], env: f.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}, pkexec: f.pkexec ?? 'pkexec', unavailable: `Pocket DHCP cannot ask for administrator rights here: ${l.reason}. Run the commands shown in a terminal instead.` };
    }
    default:
      return { kind: 'none', reason: `setting a static address is not supported on ${f.platform}` };
  }
}
