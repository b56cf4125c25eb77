// `pocket-dhcp nic set IF ADDR/PREFIX` / `nic restore [IF]` / `nic show`: the static address of the
// served interface, from a terminal — the same code the app runs (net/nic-manager.ts), and what the
// desktop app runs through pkexec when it has no privileges itself (`--json --by app`). The
// previous configuration is saved in the data directory before anything changes, and `nic
// restore` puts it back (all saved interfaces, or one); running it twice is harmless.
import { defaultDataDir } from '../config/paths.js';
import { formatArgv, NicPlanError } from '../net/nic-plan.js';
import { SnapshotError } from '../net/nic-snapshot.js';
import { defaultNicElevation, NicManager } from '../net/nic-manager.js';
import type { NicChangeResult } from '../net/nic-change.js';
import type { SavedNicChange } from '../net/nic-state.js';
import { keepOwnership } from '../helper/ownership.js';
import { CliError, EXIT_CONFIG } from './errors.js';

export interface NicFlags {
  dataDir?: string;
  json?: boolean;
  dryRun?: boolean;
  by?: string;
  forget?: boolean;
}

const out = (s: string): void => void process.stdout.write(`${s}\n`);

/** "192.168.77.1/24" → address and prefix; usage errors exit 2. */
export function parseCidrArg(text: string): { address: string; prefix: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new CliError(`"${text}" must look like ADDRESS/PREFIX, e.g. 192.168.77.1/24`, EXIT_CONFIG);
  return { address: m[1]!, prefix: Number(m[2]) };
}

function manager(flags: NicFlags, needWrite: boolean): NicManager {
  const platform = process.platform;
  const elevation = defaultNicElevation(platform);
  if (needWrite && elevation.kind === 'none') {
    throw new CliError(`changing network settings needs administrator rights — run it with sudo${platform === 'win32' ? ' (an Administrator prompt)' : ''}`);
  }
  const by = (['app', 'cli', 'helper', 'web'] as const).find((b) => b === flags.by) ?? 'cli';
  return new NicManager({ dataDir: flags.dataDir ?? defaultDataDir(), platform, elevation, by });
}

function printResult(r: NicChangeResult): void {
  for (const s of r.steps) out(`${s.ok ? 'ran' : s.optional ? 'warning' : 'FAILED'}: ${s.command}${s.ok ? '' : `${s.code !== null ? ` (exit ${s.code})` : ''}${s.output ? ` — ${s.output.split('\n')[0]}` : ''}`}`);
  out(r.message);
}

function userError(e: unknown): unknown {
  if (e instanceof NicPlanError) return new CliError(e.message, EXIT_CONFIG);
  if (e instanceof SnapshotError) return new CliError(e.message);
  return e;
}

export async function runNicSet(ifname: string, cidr: string, flags: NicFlags): Promise<void> {
  const req = { interface: ifname, ...parseCidrArg(cidr) };
  const dataDir = flags.dataDir ?? defaultDataDir();
  try {
    if (flags.dryRun) {
      const m = manager({ ...flags, dataDir }, false);
      const plan = await m.plan(req);
      if (flags.json) return out(JSON.stringify(plan));
      out(plan.apply?.current ? `${ifname} now: ${plan.apply.current}` : `${ifname}: current configuration unknown`);
      for (const s of plan.apply?.steps ?? []) out(`would run: ${s.command}    # ${s.why}`);
      if (!plan.apply?.steps.length) out(`nothing to do: ${ifname} already has ${cidr}`);
      for (const c of plan.apply?.restore ?? []) out(`restore would run: ${c}`);
      return;
    }
    const m = manager({ ...flags, dataDir }, true);
    const r = await m.apply(req);
    await keepOwnership(dataDir);
    if (flags.json) out(JSON.stringify(r));
    else printResult(r);
    if (!r.ok) process.exitCode = 1;
  } catch (e) {
    await keepOwnership(dataDir);
    throw userError(e);
  }
}

export async function runNicRestore(ifname: string | undefined, flags: NicFlags): Promise<void> {
  const dataDir = flags.dataDir ?? defaultDataDir();
  try {
    const m = manager({ ...flags, dataDir }, !flags.forget);
    const results = await m.restore({ ...(ifname ? { interface: ifname } : {}), ...(flags.forget ? { forget: true } : {}) });
    await keepOwnership(dataDir);
    if (flags.json) out(JSON.stringify(results));
    else if (results.length === 0) out(ifname ? `nothing to restore: no saved settings for ${ifname} in ${dataDir}` : `nothing to restore: no saved interface settings in ${dataDir}`);
    else for (const r of results) printResult(r);
    if (results.some((r) => !r.ok)) process.exitCode = 1;
  } catch (e) {
    await keepOwnership(dataDir);
    throw userError(e);
  }
}

export async function runNicShow(flags: NicFlags): Promise<void> {
  const dataDir = flags.dataDir ?? defaultDataDir();
  const m = manager({ ...flags, dataDir }, false);
  const saved = await m.saved();
  if (flags.json) return out(JSON.stringify(saved));
  if (saved.length === 0) return out(`no saved interface settings in ${dataDir}`);
  for (const s of saved) out(`${s.interface}: set to ${s.address}/${s.prefix} by ${s.by} at ${new Date(s.appliedAt).toISOString()}${s.complete ? '' : ' (interrupted)'}; before: ${s.previous} — "pocket-dhcp nic restore ${formatArgv([s.interface], process.platform)}" puts it back`);
}

/** A one-line note for `serve`: interfaces still carrying an address Pocket DHCP set. */
export function leftoverNote(saved: readonly Pick<SavedNicChange, 'interface' | 'address' | 'prefix'>[]): string | undefined {
  if (saved.length === 0) return undefined;
  const list = saved.map((s) => `${s.interface} (${s.address}/${s.prefix})`).join(', ');
  return `note: Pocket DHCP set a static address on ${list} and its previous settings are saved — "pocket-dhcp nic restore" puts them back`;
}
