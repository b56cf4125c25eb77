// Applying and restoring a static address: read what the interface has (nic-snapshot.ts), save it
// (nic-state.ts) *before* changing anything, run the commands (nic-plan.ts) without a shell, check
// the result, and on failure put back what was there. Every command goes through an injected
// runner: directly when this process may change the network (root, the privileged helper, an
// Administrator), or through an elevation step (nic-manager.ts) for the commands that change
// something; reading the configuration never needs privileges.
import { execFile } from 'node:child_process';
import { applySteps, checkRequest, formatArgv, nicMethod, nmProfileName, restoreSteps, snapshotArgv, type NicMethod, type NicStep } from './nic-plan.js';
import { describePrevious, nmcliSnapshot, parseIpDevice, parseNetworksetupInfo, parseWindowsSnapshot, SnapshotError, type NicPrevious } from './nic-snapshot.js';
import { readNicState, removeNicChange, saveNicChange, type SavedNicChange } from './nic-state.js';
import type { NicContext } from './nic-context.js';

export interface CommandResult {
  /** Exit code; null when the command could not start or was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunCommand = (argv: readonly string[], opts?: { timeoutMs?: number }) => Promise<CommandResult>;

/** Runs argv without a shell, C locale, bounded in time and output. Never rejects. */
export const execArgv: RunCommand = (argv, opts = {}) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    try {
      execFile(cmd!, args, { timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, windowsHide: true }, (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
        const code = !e ? 0 : typeof e.code === 'number' ? e.code : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) || (e && typeof e.code === 'string' ? `${cmd}: ${e.code === 'ENOENT' ? 'not found' : e.message}` : '') });
      });
    } catch (e) {
      resolve({ code: null, stdout: '', stderr: (e as Error).message });
    }
  });

export interface StepOutcome {
  /** The command as text (exactly what ran, quoted for a shell). */
  command: string;
  why: string;
  code: number | null;
  ok: boolean;
  optional?: boolean;
  /** stderr (or stdout) of a failed command, trimmed. */
  output?: string;
}

/** Runs the steps that change something; returns one outcome per step that ran, in order. */
export type RunSteps = (steps: readonly NicStep[], what: { action: 'apply' | 'restore'; interface: string }) => Promise<StepOutcome[]>;

/** Runs each step with `run`, stopping at the first failure that is not optional. */
export function directSteps(run: RunCommand, platform: NodeJS.Platform): RunSteps {
  return async (steps) => {
    const out: StepOutcome[] = [];
    for (const s of steps) {
      const r = await run(s.argv, { timeoutMs: 45_000 });
      const ok = r.code === 0;
      const output = (r.stderr || r.stdout).trim().slice(0, 2000);
      out.push({ command: formatArgv(s.argv, platform), why: s.why, code: r.code, ok, ...(s.optional ? { optional: true } : {}), ...(!ok && output ? { output } : {}) });
      if (!ok && !s.optional) break;
    }
    return out;
  };
}

export interface NicChangeResult {
  ok: boolean;
  action: 'apply' | 'restore' | 'forget';
  interface: string;
  address: string;
  prefix: number;
  method: NicMethod;
  /** The commands that ran, as text, in order (empty when there was nothing to do). */
  commands: string[];
  steps: StepOutcome[];
  /** The interface was read again afterwards and looks as intended. */
  verified: boolean;
  /** What the interface has now, in one line. */
  now?: string;
  /** What happened and, on failure, what to do. */
  message: string;
  /** A restore record for the interface is (still) saved. */
  saved: boolean;
}

export interface ChangeDeps {
  dataDir: string;
  platform: NodeJS.Platform;
  /** Reads (never needs privileges). */
  run: RunCommand;
  /** Runs the steps that change the interface (directly, or elevated). */
  runSteps: RunSteps;
  context: (ifname: string) => Promise<NicContext>;
  by: SavedNicChange['by'];
  now?: () => number;
  /** Verification polls (the OS may take a moment to show a new address). Default 10 × 500 ms. */
  verifyTries?: number;
  verifyIntervalMs?: number;
}

/** The current configuration of `ifname` for `method`. Throws SnapshotError with a sentence. */
export async function takeSnapshot(method: NicMethod, ifname: string, ctx: NicContext, run: RunCommand): Promise<NicPrevious> {
  const outs: string[] = [];
  for (const argv of snapshotArgv(method, ifname, ctx.macService)) {
    const r = await run(argv, { timeoutMs: 15_000 });
    if (r.code !== 0) {
      const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
      if (method === 'ip' || (method === 'nmcli' && argv[0] === 'ip')) {
        if (/does not exist|cannot find device/i.test(why)) throw new SnapshotError(`interface ${ifname} does not exist (unplugged?)`);
      }
      throw new SnapshotError(`cannot read the configuration of ${ifname} (${formatArgv(argv, process.platform)}: ${why || `exit ${r.code}`}) — nothing was changed`);
    }
    outs.push(r.stdout);
  }
  switch (method) {
    case 'ip':
      return { method: 'ip', ...parseIpDevice(outs[0]!, ifname) };
    case 'nmcli':
      return nmcliSnapshot(ifname, outs[0]!, outs[1]!, outs[2]!, nmProfileName(ifname));
    case 'networksetup':
      return parseNetworksetupInfo(outs[0]!, ctx.macService ?? ifname);
    case 'netsh':
      return parseWindowsSnapshot(outs[0]!, ifname);
  }
}

function hasAddress(p: NicPrevious, address: string, prefix: number): boolean {
  switch (p.method) {
    case 'networksetup':
      return (p.config.kind === 'manual' || p.config.kind === 'manual-dhcp-router') && p.config.address === address;
    default:
      return p.addresses.some((a) => a.address === address && a.prefix === prefix);
  }
}

/** The interface is back as `before`: the same fixed addresses (ip/netsh) or the same configuration. */
function matchesPrevious(now: NicPrevious, before: NicPrevious, change: SavedNicChange): boolean {
  if (now.method !== before.method) return false;
  const fixed = (l: readonly { address: string; prefix: number; dynamic: boolean }[]) => l.filter((a) => !a.dynamic).map((a) => `${a.address}/${a.prefix}`).sort().join(',');
  switch (before.method) {
    case 'ip': {
      const n = now as typeof before;
      return fixed(n.addresses) === fixed(before.addresses) && n.adminUp === before.adminUp;
    }
    case 'nmcli': {
      const n = now as typeof before;
      return !n.profileExists && (!before.activeConnection || n.activeConnection?.uuid === before.activeConnection.uuid || !n.addresses.some((a) => a.address === change.address));
    }
    case 'networksetup':
      return JSON.stringify((now as typeof before).config) === JSON.stringify(before.config);
    case 'netsh': {
      const n = now as typeof before;
      return n.dhcp === before.dhcp && (before.dhcp || fixed(n.addresses) === fixed(before.addresses));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(tries: number, intervalMs: number, read: () => Promise<T | undefined>, good: (t: T) => boolean): Promise<{ value: T | undefined; good: boolean }> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    try {
      last = await read();
      if (last !== undefined && good(last)) return { value: last, good: true };
    } catch {
      // read again
    }
    if (i < tries - 1) await sleep(intervalMs);
  }
  return { value: last, good: false };
}

function failureText(steps: readonly StepOutcome[]): string {
  const bad = steps.find((s) => !s.ok && !s.optional);
  if (!bad) return '';
  return `"${bad.command}" failed${bad.code !== null ? ` (exit ${bad.code})` : ''}${bad.output ? `: ${bad.output.split('\n')[0]}` : ''}`;
}

/**
 * Gives `ifname` the static address, saving what it had first. Throws (NicPlanError, SnapshotError)
 * only before anything ran; afterwards every outcome is a result.
 */
export async function applyStaticAddress(req: { interface: string; address: string; prefix: number }, deps: ChangeDeps): Promise<NicChangeResult> {
  const ifname = req.interface;
  const cidr = checkRequest(req);
  const ctx = await deps.context(ifname);
  const method = nicMethod({ platform: deps.platform, networkManager: ctx.networkManager });
  const current = await takeSnapshot(method, ifname, ctx, deps.run);
  // A change saved earlier (the app applied before, or crashed): its "before" stays the original
  // one — our own address is never what gets restored.
  const earlier = (await readNicState(deps.dataDir)).find((c) => c.interface === ifname && c.method === method);
  const original = earlier?.previous ?? current;
  const { steps } = applySteps({ platform: deps.platform, interface: ifname, address: req.address, prefix: req.prefix, ...ctx, previous: current });
  const base = { interface: ifname, address: req.address, prefix: req.prefix, method };
  const record: SavedNicChange = {
    platform: deps.platform as SavedNicChange['platform'],
    ...base,
    previous: original,
    ...(method === 'ip' ? { addedAddress: !hasAddress(original, req.address, req.prefix) } : {}),
    appliedAt: (deps.now ?? Date.now)(),
    by: deps.by,
    complete: false,
  };
  if (steps.length === 0) {
    // Already there (the address and the link state): nothing to run, nothing new to undo.
    if (earlier) await saveNicChange(deps.dataDir, { ...earlier, address: req.address, prefix: req.prefix, complete: true });
    return { ok: true, action: 'apply', ...base, commands: [], steps: [], verified: true, now: describePrevious(current), message: `${ifname} already has ${cidr}.`, saved: Boolean(earlier) };
  }
  await saveNicChange(deps.dataDir, record);
  const outcomes = await deps.runSteps(steps, { action: 'apply', interface: ifname });
  const commands = outcomes.map((o) => o.command);
  const failed = outcomes.length < steps.length || outcomes.some((o) => !o.ok && !o.optional);
  if (failed) {
    // Put back whatever did run; the record goes only when that worked.
    let rolledBack = false;
    if (outcomes.some((o) => o.ok)) {
      const after = await takeSnapshot(method, ifname, ctx, deps.run).catch(() => undefined);
      const undo = restoreSteps(record, after);
      const r = undo.length ? await deps.runSteps(undo, { action: 'restore', interface: ifname }) : [];
      rolledBack = r.every((o) => o.ok || o.optional);
    } else rolledBack = true;
    if (rolledBack && !earlier) await removeNicChange(deps.dataDir, ifname);
    const cancelled = outcomes.length === 0;
    return {
      ok: false,
      action: 'apply',
      ...base,
      commands,
      steps: outcomes,
      verified: false,
      message: cancelled ? 'Nothing was changed.' : `Setting ${cidr} on ${ifname} failed: ${failureText(outcomes)}.${rolledBack ? ' Nothing was left changed.' : ' Use "Restore previous settings" to put back what was there.'}`,
      saved: !rolledBack || Boolean(earlier),
    };
  }
  await saveNicChange(deps.dataDir, { ...record, complete: true });
  const check = await poll(deps.verifyTries ?? 10, deps.verifyIntervalMs ?? 500, () => takeSnapshot(method, ifname, ctx, deps.run), (p) => hasAddress(p, req.address, req.prefix));
  return {
    ok: true,
    action: 'apply',
    ...base,
    commands,
    steps: outcomes,
    verified: check.good,
    ...(check.value ? { now: describePrevious(check.value) } : {}),
    message: check.good
      ? `${ifname} now has ${cidr}. Its previous settings are saved and come back when you restore them.`
      : `The commands ran, but ${ifname} does not show ${cidr} yet${check.value ? ` (it has ${describePrevious(check.value)})` : ''} — check the cable and the interface, or restore the previous settings.`,
    saved: true,
  };
}

/**
 * Puts back what the saved changes recorded (all of them, or `ifname`'s). Idempotent: what is
 * already as before is skipped, and the record is removed once the interface matches it.
 * `forget` drops records without running anything (an adapter that is gone for good).
 */
export async function restoreStaticAddress(opts: { interface?: string; forget?: boolean }, deps: ChangeDeps): Promise<NicChangeResult[]> {
  const all = (await readNicState(deps.dataDir)).filter((c) => opts.interface === undefined || c.interface === opts.interface);
  const results: NicChangeResult[] = [];
  for (const change of all) {
    const base = { interface: change.interface, address: change.address, prefix: change.prefix, method: change.method };
    if (opts.forget) {
      await removeNicChange(deps.dataDir, change.interface);
      results.push({ ok: true, action: 'forget', ...base, commands: [], steps: [], verified: false, message: `Forgot the saved settings of ${change.interface} (${describePrevious(change.previous)}); nothing was changed.`, saved: false });
      continue;
    }
    const ctx: NicContext = change.previous.method === 'networksetup' ? { macService: change.previous.service } : {};
    let current: NicPrevious;
    try {
      current = await takeSnapshot(change.method, change.interface, ctx, deps.run);
    } catch (e) {
      results.push({ ok: false, action: 'restore', ...base, commands: [], steps: [], verified: false, message: `${(e as Error).message}. The saved settings are kept: restore again once ${change.interface} is back, or forget them.`, saved: true });
      continue;
    }
    const steps = restoreSteps(change, current);
    const outcomes = steps.length ? await deps.runSteps(steps, { action: 'restore', interface: change.interface }) : [];
    const failed = outcomes.length < steps.length || outcomes.some((o) => !o.ok && !o.optional);
    if (failed) {
      results.push({
        ok: false,
        action: 'restore',
        ...base,
        commands: outcomes.map((o) => o.command),
        steps: outcomes,
        verified: false,
        now: describePrevious(current),
        message: outcomes.length === 0 ? 'Nothing was changed.' : `Restoring ${change.interface} failed: ${failureText(outcomes)}. The saved settings are kept; try again.`,
        saved: true,
      });
      continue;
    }
    const check = await poll(deps.verifyTries ?? 10, deps.verifyIntervalMs ?? 500, () => takeSnapshot(change.method, change.interface, ctx, deps.run), (p) => matchesPrevious(p, change.previous, change));
    if (check.good || steps.length === 0) await removeNicChange(deps.dataDir, change.interface);
    const warn = outcomes.filter((o) => !o.ok && o.optional);
    results.push({
      ok: true,
      action: 'restore',
      ...base,
      commands: outcomes.map((o) => o.command),
      steps: outcomes,
      verified: check.good,
      ...(check.value ? { now: describePrevious(check.value) } : {}),
      message:
        (steps.length === 0 ? `${change.interface} already has its previous settings (${describePrevious(change.previous)}).` : check.good ? `${change.interface} is back to ${describePrevious(change.previous)}.` : `The commands ran, but ${change.interface} does not look as before yet (now: ${check.value ? describePrevious(check.value) : 'unknown'}); the saved settings are kept.`) +
        (warn.length ? ` Note: ${failureText(warn.map((w) => ({ ...w, optional: false })))} — NetworkManager reconnects on its own.` : ''),
      saved: !(check.good || steps.length === 0),
    });
  }
  return results;
}
