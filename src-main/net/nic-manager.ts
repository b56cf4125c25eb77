// The static-address feature as a front end offers it (nic.plan / nic.apply / nic.restore /
// nic.saved): the plan with the exact commands, and applying/restoring them the way this process
// can —
//   direct      root, an Administrator, the privileged helper, web mode as root: run the commands;
//   pkexec-cli  Electron on Linux without privileges: one pkexec of our own CLI (`pocket-dhcp nic
//               set|restore … --json`), which saves the "before", runs the commands as root,
//               verifies and answers in JSON — one password prompt for the whole change;
//   osascript   macOS app: the changing commands in one administrator prompt;
//   uac         Windows app: each changing command through the UAC prompt;
//   none        cannot: the plan shows the commands to run by hand.
// Reading the interface's configuration never needs privileges and always runs here.
import { readFileSync } from 'node:fs';
import type { NicApplyPreview, NicPlan, NicRestorePlan, NicSavedInfo } from '../ipc/contract.js';
import { CAP_NET_ADMIN, hasCap, parseCapEff } from '../server/privileges.js';
import { classifyElevation, elevationMessage, macShellCommand, osascriptArgv, pkexecArgv, uacArgv, type ElevationKind } from './elevate.js';
import { applyStaticAddress, directSteps, execArgv, restoreStaticAddress, takeSnapshot, type ChangeDeps, type NicChangeResult, type RunCommand, type RunSteps, type StepOutcome } from './nic-change.js';
import { nicContext as systemNicContext, type NicContext } from './nic-context.js';
import { applySteps, buildNicPlan, formatArgv, nicMethod, restoreSteps, type AppliedChange, type NicStep } from './nic-plan.js';
import { describePrevious, type NicPrevious } from './nic-snapshot.js';
import { readNicState, type SavedNicChange } from './nic-state.js';

export type NicElevation =
  | { kind: 'direct' }
  | {
      kind: 'pkexec-cli';
      /** argv that runs the CLI (node or Electron + cli.js); `nic set|restore …` is appended. */
      launcher: string[];
      /** Environment for the CLI (ELECTRON_RUN_AS_NODE=1), passed through /usr/bin/env. */
      env?: Record<string, string>;
      pkexec: string;
      /** Set when pkexec cannot work here (no polkit agent…): why, and what to do. */
      unavailable?: string;
    }
  | { kind: 'osascript' }
  | { kind: 'uac' }
  | { kind: 'none'; reason: string };

export interface NicManagerOptions {
  dataDir: string;
  platform?: NodeJS.Platform;
  elevation: NicElevation;
  by: SavedNicChange['by'];
  run?: RunCommand;
  context?: (ifname: string) => Promise<NicContext>;
  /** Called after anything that may have changed the saved records. */
  onChange?: (saved: NicSavedInfo[]) => void;
}

export interface NicRequest {
  interface: string;
  address: string;
  prefix: number;
}

const ELEVATION_KIND: Record<NicElevation['kind'], NicApplyPreview['elevation']> = { direct: 'none', 'pkexec-cli': 'pkexec', osascript: 'osascript', uac: 'uac', none: 'none' };

export function savedInfo(c: SavedNicChange): NicSavedInfo {
  return { interface: c.interface, address: c.address, prefix: c.prefix, method: c.method, appliedAt: c.appliedAt, by: c.by, complete: c.complete, previous: describePrevious(c.previous) };
}

export class NicManager {
  readonly platform: NodeJS.Platform;
  private readonly run: RunCommand;
  private readonly context: (ifname: string) => Promise<NicContext>;
  /** One change at a time: two applies racing on one interface would save the wrong "before". */
  private op: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: NicManagerOptions) {
    this.platform = opts.platform ?? process.platform;
    this.run = opts.run ?? execArgv;
    this.context = opts.context ?? ((i) => systemNicContext(i, this.platform));
  }

  get elevation(): NicElevation {
    return this.opts.elevation;
  }

  /** Can nic.apply run from here (possibly through a password prompt)? */
  get canApply(): boolean {
    const e = this.opts.elevation;
    return e.kind !== 'none' && !(e.kind === 'pkexec-cli' && e.unavailable);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.op.then(fn, fn);
    this.op = next.catch(() => undefined);
    return next;
  }

  /** The elevated command line(s) that run `steps` (or the CLI subcommand, for pkexec-cli). */
  private elevatedCommands(action: 'apply' | 'restore', steps: readonly NicStep[], cliArgs: string[]): string[] {
    const e = this.opts.elevation;
    switch (e.kind) {
      case 'direct':
      case 'none':
        return steps.map((s) => formatArgv(s.argv, this.platform));
      case 'pkexec-cli':
        return [formatArgv(pkexecArgv([...e.launcher, ...cliArgs], e.env, e.pkexec), 'linux')];
      case 'osascript':
        return steps.length ? [formatArgv(osascriptArgv(steps.map((s) => s.argv), this.prompt(action)), 'darwin')] : [];
      case 'uac':
        return steps.map((s) => formatArgv(uacArgv(s.argv), 'win32'));
    }
  }

  private prompt(action: 'apply' | 'restore'): string {
    return action === 'apply' ? 'Pocket DHCP wants to give the interface a static address.' : 'Pocket DHCP wants to restore the interface’s previous settings.';
  }

  private cliSet(req: NicRequest): string[] {
    return ['nic', 'set', req.interface, `${req.address}/${req.prefix}`, '--data-dir', this.opts.dataDir, '--json', '--by', this.opts.by];
  }

  private cliRestore(ifname?: string): string[] {
    return ['nic', 'restore', ...(ifname ? [ifname] : []), '--data-dir', this.opts.dataDir, '--json'];
  }

  /** The manual commands plus how nic.apply would run them now. Throws NicPlanError on a bad request. */
  async plan(req: NicRequest): Promise<NicPlan> {
    const ctx = await this.context(req.interface);
    const manual = buildNicPlan({ platform: this.platform, ...req, ...ctx });
    const method = nicMethod({ platform: this.platform, networkManager: ctx.networkManager });
    let current: NicPrevious | undefined;
    try {
      current = await takeSnapshot(method, req.interface, ctx, this.run);
    } catch {
      current = undefined;
    }
    const { steps } = applySteps({ platform: this.platform, ...req, ...ctx, ...(current ? { previous: current } : {}) });
    const earlier = (await readNicState(this.opts.dataDir).catch(() => [])).find((c) => c.interface === req.interface && c.method === method);
    const original = earlier?.previous ?? current;
    const undo = original
      ? restoreSteps({ platform: this.platform, interface: req.interface, address: req.address, prefix: req.prefix, method, previous: original, addedAddress: !current || !hasAddr(original, req) } as AppliedChange).map((s) => formatArgv(s.argv, this.platform))
      : [];
    const e = this.opts.elevation;
    const apply: NicApplyPreview = {
      method,
      elevation: ELEVATION_KIND[e.kind],
      available: this.canApply,
      ...(e.kind === 'none' ? { reason: e.reason } : e.kind === 'pkexec-cli' && e.unavailable ? { reason: e.unavailable } : {}),
      commands: steps.length ? this.elevatedCommands('apply', steps, this.cliSet(req)) : [],
      steps: steps.map((s) => ({ command: formatArgv(s.argv, this.platform), why: s.why })),
      restore: undo,
      ...(current ? { current: describePrevious(current) } : {}),
    };
    return { ...manual, apply };
  }

  async apply(req: NicRequest & { expect?: string[] }): Promise<NicChangeResult> {
    return this.serialize(async () => {
      const e = this.opts.elevation;
      if (e.kind === 'none') throw new Error(`${e.reason}`);
      if (e.kind === 'pkexec-cli' && e.unavailable) throw new Error(e.unavailable);
      if (req.expect) {
        const plan = await this.plan(req);
        const now = plan.apply?.commands ?? [];
        if (JSON.stringify(now) !== JSON.stringify(req.expect)) throw new Error(`${req.interface} changed since the commands were shown (they would now be: ${now.join(' ; ') || 'nothing'}) — review them again, then apply.`);
      }
      try {
        if (e.kind === 'pkexec-cli') return await this.viaCli(this.cliSet(req), req, 'apply');
        return await applyStaticAddress(req, this.deps());
      } finally {
        await this.changed();
      }
    });
  }

  /**
   * What restore() would run now, computed from the saved records and the interfaces as they are:
   * the exact command lines (elevation included) and the system commands behind them.
   */
  async restorePlan(opts: { interface?: string } = {}): Promise<NicRestorePlan> {
    const saved = (await readNicState(this.opts.dataDir)).filter((c) => opts.interface === undefined || c.interface === opts.interface);
    const e = this.opts.elevation;
    const perInterface: { interface: string; steps: NicStep[] }[] = [];
    for (const change of saved) {
      const ctx: NicContext = change.previous.method === 'networksetup' ? { macService: change.previous.service } : {};
      // An interface that cannot be read is not changed (restore says why); nothing to show for it.
      const current = await takeSnapshot(change.method, change.interface, ctx, this.run).catch(() => undefined);
      perInterface.push({ interface: change.interface, steps: current ? restoreSteps(change, current) : [] });
    }
    // pkexec-cli: one prompt for our CLI, which restores every record asked for (even one that needs no command: it drops the record).
    const commands =
      e.kind === 'pkexec-cli' ? (saved.length ? this.elevatedCommands('restore', [], this.cliRestore(opts.interface)) : []) : perInterface.flatMap((p) => (p.steps.length ? this.elevatedCommands('restore', p.steps, []) : []));
    return {
      interfaces: saved.map((c) => c.interface),
      elevation: ELEVATION_KIND[e.kind],
      available: this.canApply,
      ...(e.kind === 'none' ? { reason: e.reason } : e.kind === 'pkexec-cli' && e.unavailable ? { reason: e.unavailable } : {}),
      commands,
      steps: perInterface.flatMap((p) => p.steps.map((s) => ({ interface: p.interface, command: formatArgv(s.argv, this.platform), why: s.why }))),
    };
  }

  async restore(opts: { interface?: string; forget?: boolean; expect?: string[] } = {}): Promise<NicChangeResult[]> {
    return this.serialize(async () => {
      const e = this.opts.elevation;
      if (opts.expect && !opts.forget) {
        const now = (await this.restorePlan(opts.interface !== undefined ? { interface: opts.interface } : {})).commands;
        if (JSON.stringify(now) !== JSON.stringify(opts.expect)) {
          throw new Error(`${opts.interface ?? 'The interfaces'} changed since the restore commands were shown (they would now be: ${now.join(' ; ') || 'nothing'}) — review them again, then restore.`);
        }
      }
      try {
        // Forgetting only edits our own file; no command runs, no privileges needed.
        if (opts.forget || e.kind === 'direct' || e.kind === 'osascript' || e.kind === 'uac') return await restoreStaticAddress(opts, this.deps());
        const saved = (await readNicState(this.opts.dataDir)).filter((c) => opts.interface === undefined || c.interface === opts.interface);
        if (saved.length === 0) return [];
        if (e.kind === 'none') throw new Error(`${e.reason}`);
        if (e.unavailable) throw new Error(e.unavailable);
        const out = await this.viaCliMany(this.cliRestore(opts.interface), saved[0]!);
        return out;
      } finally {
        await this.changed();
      }
    });
  }

  async saved(): Promise<NicSavedInfo[]> {
    return (await readNicState(this.opts.dataDir)).map(savedInfo);
  }

  private async changed(): Promise<void> {
    if (!this.opts.onChange) return;
    try {
      this.opts.onChange(await this.saved());
    } catch {
      // a broken file is reported by the next nic.saved
    }
  }

  private deps(): ChangeDeps {
    return { dataDir: this.opts.dataDir, platform: this.platform, run: this.run, runSteps: this.stepRunner(), context: this.context, by: this.opts.by };
  }

  private stepRunner(): RunSteps {
    const e = this.opts.elevation;
    if (e.kind === 'osascript') return (steps, what) => this.runMac(steps, what.action);
    if (e.kind === 'uac') return (steps) => this.runWindows(steps);
    return directSteps(this.run, this.platform);
  }

  /** macOS: every step in one administrator prompt (sh, &&); one outcome for the batch when it fails. */
  private async runMac(steps: readonly NicStep[], action: 'apply' | 'restore'): Promise<StepOutcome[]> {
    if (steps.length === 0) return [];
    const r = await this.run(osascriptArgv(steps.map((s) => s.argv), this.prompt(action)), { timeoutMs: 300_000 });
    const outcome = classifyElevation('osascript', r.code, r.stderr);
    if (outcome === 'ok') return steps.map((s) => ({ command: formatArgv(s.argv, 'darwin'), why: s.why, code: 0, ok: true }));
    if (outcome === 'cancelled') return [];
    return [{ command: macShellCommand(steps.map((s) => s.argv)), why: 'as administrator', code: r.code, ok: false, output: (r.stderr || r.stdout).trim().slice(0, 2000) }];
  }

  /** Windows: each step through UAC; a cancelled prompt stops without an outcome for that step. */
  private async runWindows(steps: readonly NicStep[]): Promise<StepOutcome[]> {
    const out: StepOutcome[] = [];
    for (const s of steps) {
      const r = await this.run(uacArgv(s.argv), { timeoutMs: 300_000 });
      const outcome = classifyElevation('uac', r.code, r.stderr);
      if (outcome === 'cancelled') break;
      const ok = outcome === 'ok';
      out.push({ command: formatArgv(s.argv, 'win32'), why: s.why, code: r.code, ok, ...(s.optional ? { optional: true } : {}), ...(!ok ? { output: (r.stderr || r.stdout).trim().slice(0, 2000) } : {}) });
      if (!ok && !s.optional) break;
    }
    return out;
  }

  private async runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; argv: string[] }> {
    const e = this.opts.elevation as Extract<NicElevation, { kind: 'pkexec-cli' }>;
    const argv = pkexecArgv([...e.launcher, ...args], e.env, e.pkexec);
    // The password dialog waits for the user: minutes, not seconds.
    const r = await this.run(argv, { timeoutMs: 300_000 });
    return { ...r, argv };
  }

  private failure(req: NicRequest, action: NicChangeResult['action'], message: string, argv: string[]): NicChangeResult {
    return { ok: false, action, interface: req.interface, address: req.address, prefix: req.prefix, method: nicMethod({ platform: this.platform }), commands: [formatArgv(argv, 'linux')], steps: [], verified: false, message, saved: false };
  }

  private async viaCli(args: string[], req: NicRequest, action: 'apply'): Promise<NicChangeResult> {
    const r = await this.runCli(args);
    const parsed = parseCliJson<NicChangeResult>(r.stdout);
    if (parsed && !Array.isArray(parsed)) return { ...parsed, commands: [formatArgv(r.argv, 'linux'), ...parsed.commands] };
    const outcome = classifyElevation('pkexec', r.code, r.stderr);
    const manual = buildNicPlan({ platform: this.platform, ...req, ...(await this.context(req.interface)) }).commands.join(' && ');
    return this.failure(req, action, elevationMessage(outcome, manual) ?? `The elevated command failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`, r.argv);
  }

  private async viaCliMany(args: string[], first: SavedNicChange): Promise<NicChangeResult[]> {
    const r = await this.runCli(args);
    const parsed = parseCliJson<NicChangeResult[]>(r.stdout);
    if (Array.isArray(parsed)) return parsed.map((p) => ({ ...p, commands: p.commands.length ? [formatArgv(r.argv, 'linux'), ...p.commands] : p.commands }));
    const outcome = classifyElevation('pkexec', r.code, r.stderr);
    const manual = formatArgv(['sudo', 'pocket-dhcp', ...args], 'linux');
    return [this.failure(first, 'restore', elevationMessage(outcome, manual) ?? `The elevated command failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`, r.argv)];
  }
}

function hasAddr(p: NicPrevious, req: NicRequest): boolean {
  if (p.method === 'networksetup') return false;
  return p.addresses.some((a) => a.address === req.address && a.prefix === req.prefix);
}

/** The last JSON line the CLI printed (`--json`), or undefined. */
export function parseCliJson<T>(stdout: string): T | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{') || l.startsWith('['));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as T;
    } catch {
      // not JSON after all
    }
  }
  return undefined;
}

export type { ElevationKind };

/**
 * Without a desktop to show a password prompt on (web mode, the CLI): change the interface
 * directly when this process may, else only show the commands.
 */
export function defaultNicElevation(platform: NodeJS.Platform = process.platform, capEffStatus?: string): NicElevation {
  const root = process.getuid?.() === 0;
  if (platform === 'linux') {
    let status = capEffStatus;
    if (status === undefined) {
      try {
        status = readFileSync('/proc/self/status', 'utf8');
      } catch {
        status = '';
      }
    }
    if (hasCap(parseCapEff(status), CAP_NET_ADMIN)) return { kind: 'direct' };
    return { kind: 'none', reason: 'This Pocket DHCP runs without the right to change network settings (CAP_NET_ADMIN). Run the commands shown yourself, or start it as root (sudo pocket-dhcp serve --web …).' };
  }
  if (platform === 'darwin' && root) return { kind: 'direct' };
  if (platform === 'darwin') return { kind: 'none', reason: 'This Pocket DHCP does not run as root. Run the command shown yourself (it asks for your password), or start it with sudo.' };
  if (platform === 'win32') return { kind: 'none', reason: 'Run the command shown in an Administrator command prompt, or use the desktop app (it asks for permission).' };
  return { kind: 'none', reason: `Setting a static address is not supported on ${platform}.` };
}
