/**
 * Where the Electron binary is, found WITHOUT `require('electron')`: that module's index.js would
 * try to download the binary (from GitHub, unreachable here — TOOLCHAIN.md "Electron"). Order:
 * ELECTRON_EXEC_PATH, then node_modules/electron/path.txt naming a file under
 * node_modules/electron/dist/ (what the electron package writes once the binary is installed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './server-lab.js';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): ElectronBinary {
  const override = env.ELECTRON_EXEC_PATH;
  if (override) return existsSync(override) ? { ok: true, path: override } : { ok: false, reason: `ELECTRON_EXEC_PATH=${override} does not exist` };
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return { ok: false, reason: 'the Electron binary is absent (node_modules/electron/path.txt missing: it is downloaded on first use; set ELECTRON_EXEC_PATH to use another)' };
  const rel = readFileSync(pathTxt, 'utf8').trim();
  const bin = join(pkg, 'dist', rel);
  if (!rel || !existsSync(bin)) return { ok: false, reason: `the Electron binary is absent (node_modules/electron/dist/${rel} missing)` };
  return { ok: true, path: bin };
}

/** Linux needs a display server for a BrowserWindow (Electron has no headless mode; use xvfb-run). */
export function displayMissing(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display for Electron (DISPLAY/WAYLAND_DISPLAY unset) — run the tests under xvfb-run';
}
