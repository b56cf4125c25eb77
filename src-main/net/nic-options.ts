// The static-address feature's preferences (<dataDir>/nic-options.json) and the one rule of what a
// stop puts back. Kept by the engine, not by a window, so every way of stopping — the window's Stop,
// the tray's "Stop serving", a web page, the quit dialog — follows the same rule
// (ServerController.stop applies it).
import { join } from 'node:path';
import { z } from 'zod';
import type { NicOptions } from '../ipc/contract.js';
import { readJsonFile, writeJsonFileAtomic } from '../leases/json-file.js';

export const NIC_OPTIONS_FILE = 'nic-options.json';

/** Restoring is the default: the address was only set for serving. */
export const DEFAULT_NIC_OPTIONS: NicOptions = { restoreOnStop: true };

const fileSchema = z.object({ restoreOnStop: z.boolean().optional() }).passthrough();

/** The saved preferences (defaults when there is no file). Throws JsonFileError, naming the file and the fix, on a bad one. */
export async function readNicOptions(dataDir: string): Promise<NicOptions> {
  const saved = await readJsonFile(join(dataDir, NIC_OPTIONS_FILE), fileSchema);
  return { restoreOnStop: saved?.restoreOnStop ?? DEFAULT_NIC_OPTIONS.restoreOnStop };
}

/** Changes the given preferences and returns all of them. */
export async function updateNicOptions(dataDir: string, change: Partial<NicOptions>): Promise<NicOptions> {
  let current: NicOptions;
  try {
    current = await readNicOptions(dataDir);
  } catch {
    current = { ...DEFAULT_NIC_OPTIONS }; // a broken file is replaced by what the user sets now
  }
  const next: NicOptions = { ...current, ...(change.restoreOnStop !== undefined ? { restoreOnStop: change.restoreOnStop } : {}) };
  await writeJsonFileAtomic(join(dataDir, NIC_OPTIONS_FILE), next, { mode: 0o644 });
  return next;
}

export interface StopRestoreFacts {
  /** The interface that was being served (undefined: the server was not running). */
  served: string | undefined;
  /** Interfaces with a saved "before" (nic-state.json). */
  saved: readonly { interface: string }[];
  /** The preference (nic-options.json). */
  restoreOnStop: boolean;
  /** The caller's explicit choice (server.stop `restore`): a restart or the quit dialog says false. */
  override?: boolean | undefined;
}

/** The interface a stop restores, or undefined: the served one, when Pocket DHCP set its address and restoring is wanted. */
export function stopRestoreTarget(f: StopRestoreFacts): string | undefined {
  const wanted = f.override ?? f.restoreOnStop;
  if (!wanted || f.served === undefined) return undefined;
  return f.saved.some((s) => s.interface === f.served) ? f.served : undefined;
}
