// ServerController: the one object behind every front end (Electron main, web mode, CLI serve). It
// owns the data directory — the lease store, opened once and kept open so the lease table shows
// while the server is stopped, and the settings draft (<dataDir>/settings.json, the CLI's config
// file shape, saved even when invalid so nothing typed is lost) — and runs the DhcpService:
// start/stop as a small state machine (stopped → starting → running → stopping), status with pool
// usage, lease rows (stored records plus live offers), exports, a bounded log, the static-address
// plan, and interface watching.
//
// Push events are batched here, once, for every listener: lease changes are collected as a set of
// dirty addresses and flushed at most every `leaseFlushMs` as upserts/removed (never the whole
// table), log entries in batches, status on every state change and at most every
// `statusMinIntervalMs` while counters move. That keeps 500 lease events/s on a 10,000-lease
// table to a few small messages per second.
import { join } from 'node:path';
import { ConfigError, parseConfig, type ConfigProblem, type UserConfig } from '../config/schema.js';
import { intToIp } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import type {
  ConfigDraft,
  EventName,
  EventOf,
  ExportFile,
  ImportResult,
  LeaseRow,
  LogEntry,
  LogKind,
  LogMessage,
  NicOptions,
  NicPlan,
  NicRestorePlan,
  PoolUsage,
  ServerError,
  ServerState,
  ServerStatus,
  SettingsState,
  StopResult,
} from '../ipc/contract.js';
import { leasesToCsv, leasesToJson } from '../leases/export.js';
import type { ImportSelection } from '../portability/apply.js';
import type { KeaExportOptions } from '../portability/formats/kea-config.js';
import { ExportError } from '../portability/model.js';
import type { ImportPreview } from '../portability/preview.js';
import { exportFilename as formatExportFilename, type FormatId, type What } from '../portability/registry.js';
import { configOf, exportFile, exportKea, planImport, previewImport, type ImportRequest, type KeaBundle } from '../portability/service.js';
import { JsonFileError, readJsonFile, writeJsonFileAtomic } from '../leases/json-file.js';
import type { LeaseStore, LeaseStoreOptions } from '../leases/lease-store.js';
import { listInterfaces as listSystemInterfaces, watchInterfaces, type NetInterface } from '../net/interfaces.js';
import type { NicContext } from '../net/nic-context.js';
import type { NicChangeResult, RunCommand } from '../net/nic-change.js';
import { defaultNicElevation, NicManager, type NicElevation } from '../net/nic-manager.js';
import type { SavedNicChange } from '../net/nic-state.js';
import { readNicOptions, stopRestoreTarget, updateNicOptions } from '../net/nic-options.js';
import { emptyCounters, type Counters, type DhcpService, type DhcpTransport, type ServiceEvent } from './dhcp-service.js';
import { eventLine, type EventLine } from './event-format.js';
import { preloadOui } from '../devices/oui.js';
import { DeviceTimelines } from '../devices/timeline.js';
import type { DeviceTimeline } from '../devices/timeline-types.js';
import { JournalRecorder, JournalWriter, journalToCsv, readJournal } from '../devices/journal.js';
import type { JournalQuery, JournalResult } from '../devices/journal-types.js';
import type { ForeignWatcher, ProbeReport } from '../net/dhcp-probe.js';
import { DEFAULT_PROBE_TIMEOUT_MS, foreignServerEvent, probeOutcome, probeSeconds, SYSTEM_ROGUE_CHECK, type RogueCheck } from './rogue-guard.js';
import { isStartupError, openLeaseStore, openService, planStart, StartupError, UI_HINTS, type StartPlan, type StartupHints } from './startup.js';
import { runPoolSweep, type PoolSweepResult } from './pool-sweep.js';
import { poolsOfConfig, poolUsage } from './pool-usage.js';
import { problemsMessage, toServerError } from './server-error.js';
import { LOG_LEVEL_KIND, LogRing } from './log-ring.js';
import { LeaseRowFeed } from './lease-rows.js';
import type { ArpTransport } from '../net/arp-socket.js';

export const SETTINGS_FILE = 'settings.json';

export type ControllerEvent = { [E in EventName]: { name: E; payload: EventOf<E> } }[EventName];

export interface ControllerOptions {
  dataDir: string;
  /** Emit a log entry per packet in and out (the UI's log wants them). Default true. */
  packetEvents?: boolean;
  /**
   * A draft for this session only (the command line's configuration under `serve --web`):
   * settings.get shows it and start uses it, but settings.json is not touched until the user
   * saves from the UI.
   */
  draftOverride?: ConfigDraft;
  /** Wording of refusals that name a user action. Default: the UI's. */
  hints?: StartupHints;
  /**
   * Parse the OUI vendor table at open (~15 MB, 0.2-0.5 s in the background) so the first lease
   * row does not wait for it. Default true; the plain command line, which builds no rows, skips it.
   */
  preloadVendors?: boolean;
  /** Log ring buffer size. Default 5,000. */
  logCapacity?: number;
  /**
   * Whether a UI may read this controller (the desktop app, the helper, web mode): keeps the log
   * ring, the device timelines and the lease-row bookkeeping that feed it. Default true. `serve`
   * without --web has no UI — its log is the terminal — and keeps none of that per event (but the
   * timelines, for its stall hints: `timelines`).
   */
  ui?: boolean;
  /**
   * Keep the device timelines (`timelines`) even without a UI: `serve` reads them for its stall
   * hints (HINT log lines). Default: as `ui`.
   */
  timelines?: boolean;
  /** Lease/log push period. Default 250 ms (≤ 4 pushes/s). */
  flushIntervalMs?: number;
  /** Minimum spacing of status pushes while counters move. Default 500 ms (≤ 2/s). */
  statusMinIntervalMs?: number;
  /** Interface list polling for the `interfaces` event; 0 disables it. Default 2,000 ms. */
  watchIntervalMs?: number;
  // ---- injection points (tests) ----
  listInterfaces?: () => Promise<NetInterface[]>;
  openTransport?: (ifname: string) => Promise<DhcpTransport>;
  /** Opens the ARP packet socket for pool sweeps (tests). */
  openArp?: (ifname: string) => Promise<ArpTransport>;
  nicContext?: (ifname: string) => Promise<NicContext>;
  platform?: NodeJS.Platform;
  /**
   * How nic.apply/nic.restore change the interface: directly (root, the helper), through an
   * administrator prompt (the desktop app), or not at all. Default: directly when this process may
   * (CAP_NET_ADMIN, root), else not (the plan then shows the commands to run by hand).
   */
  nicElevation?: NicElevation;
  /** Who applies static addresses, as saved in nic-state.json. Default 'web'. */
  nicBy?: SavedNicChange['by'];
  /** Runs the static-address commands (tests). */
  nicRun?: RunCommand;
  now?: () => number;
  /**
   * How long start() listens for other DHCP servers' OFFERs before serving (server/rogue-guard.ts).
   * Default DEFAULT_PROBE_TIMEOUT_MS (4 s); 0 skips the check (a warning says so).
   */
  probeTimeoutMs?: number;
  /**
   * The rogue-server probe and watcher; null = none. Default: the real ones on the interface —
   * except with an injected `openTransport`, whose fake network has no interface to probe.
   */
  rogueCheck?: RogueCheck | null;
  storeOptions?: LeaseStoreOptions;
  serviceOptions?: { sweepIntervalMs?: number; healthIntervalMs?: number };
}

export interface StartOptions {
  allowForeignNetwork?: boolean;
  /** Serve even though another DHCP server answered the probe (the user said so). */
  allowOtherServer?: boolean;
  /** Serve this configuration instead of the draft (the CLI's --config / flags). */
  config?: UserConfig;
}

// ---- pure helpers (exported for tests) ----

/** `pocket-dhcp-leases-2026-11-23T0930.csv`, in local time: what a technician expects in Downloads. */
export function exportFilename(format: 'csv' | 'json', at: number): string {
  return formatExportFilename(format, 'leases', at);
}

/** `pocket-dhcp-journal-2026-11-23T0930.csv`, local time like the other exports. */
export function journalFilename(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `pocket-dhcp-journal-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}.csv`;
}

function copyCounters(c: Counters): Counters {
  return { ...c, drops: { ...c.drops } };
}

// ---- the controller ----

type Listener = (e: ControllerEvent) => void;

export class ServerController {
  readonly dataDir: string;
  readonly settingsPath: string;
  readonly store: LeaseStore;
  /** The static address of the served interface: plan, apply, restore, saved "before" records. */
  readonly nic: NicManager;

  private readonly opts: ControllerOptions;
  private readonly clock: () => number;
  private readonly listeners = new Set<Listener>();
  private readonly serviceListeners = new Set<(e: ServiceEvent) => void>();
  private readonly log: LogRing;
  private logSeq = 0;
  /** ControllerOptions.ui: something may read the log ring, the timelines and the lease rows. */
  private readonly ui: boolean;
  /** ControllerOptions.timelines. */
  private readonly keepTimelines: boolean;
  private pendingLog: LogEntry[] = [];

  private draft: ConfigDraft;
  private problems: ConfigProblem[];
  /** settings.json could not be read (kept as a problem until the user saves). */
  private settingsReadProblem: ConfigProblem | undefined;

  private _state: ServerState = 'stopped';
  private service: DhcpService | undefined;
  private plan: StartPlan | undefined;
  private unsubscribeService: (() => void) | undefined;
  private startedAt: number | undefined;
  private lastCounters: Counters = emptyCounters();
  private lastError: ServerError | undefined;
  private exhaustedSubnets = new Set<string>();
  private op: Promise<unknown> = Promise.resolve();
  /** The rogue-server probe in progress (status.probe), and the watcher while serving. */
  private probing: { interface: string; timeoutMs: number; startedAt: number } | undefined;
  private watcher: ForeignWatcher | undefined;
  private foreignReported = 0;

  /** The lease table's rows and what changed in them since the last push (lease-rows.ts). */
  private readonly leaseFeed: LeaseRowFeed;
  private statusDirty = false;
  private lastStatusPush = 0;
  private ticker: NodeJS.Timeout | undefined;
  private stopWatching: (() => void) | undefined;
  private closed = false;
  /** Per-MAC DISCOVER…ACK history with hints (memory, bounded; src-main/devices/timeline.ts). */
  readonly timelines = new DeviceTimelines();
  /** The lease journal (journal.jsonl); undefined when it could not be opened. */
  private journal: JournalWriter | undefined;
  private journalRecorder: JournalRecorder | undefined;

  private constructor(opts: ControllerOptions, store: LeaseStore, draft: ConfigDraft, readProblem: ConfigProblem | undefined) {
    this.opts = opts;
    this.dataDir = opts.dataDir;
    this.settingsPath = join(opts.dataDir, SETTINGS_FILE);
    this.store = store;
    this.leaseFeed = new LeaseRowFeed(store);
    this.clock = opts.now ?? Date.now;
    this.log = new LogRing(Math.max(1, opts.logCapacity ?? 5000));
    this.ui = opts.ui ?? true;
    this.keepTimelines = opts.timelines ?? this.ui;
    this.draft = draft;
    this.settingsReadProblem = readProblem;
    this.problems = this.validate(draft);
    const platform = opts.platform ?? process.platform;
    this.nic = new NicManager({
      dataDir: opts.dataDir,
      platform,
      elevation: opts.nicElevation ?? defaultNicElevation(platform),
      by: opts.nicBy ?? 'web',
      ...(opts.nicRun ? { run: opts.nicRun } : {}),
      ...(opts.nicContext ? { context: opts.nicContext } : {}),
      onChange: (saved) => this.emit({ name: 'nic', payload: saved }),
    });
  }

  /** Opens the data directory: the lease store (StartupError 'store' if it cannot) and the saved draft. */
  static async open(opts: ControllerOptions): Promise<ServerController> {
    const store = await openLeaseStore(opts.dataDir, opts.storeOptions);
    let draft: ConfigDraft = {};
    let readProblem: ConfigProblem | undefined;
    try {
      const saved = await readJsonFile(join(opts.dataDir, SETTINGS_FILE));
      if (saved !== undefined) {
        if (saved && typeof saved === 'object' && !Array.isArray(saved)) draft = saved as ConfigDraft;
        else readProblem = { field: '', message: `${join(opts.dataDir, SETTINGS_FILE)} does not hold a settings object; saving the settings replaces it` };
      }
    } catch (e) {
      readProblem = { field: '', message: e instanceof JsonFileError ? e.message : `cannot read the saved settings: ${(e as Error).message}` };
    }
    const c = new ServerController(opts, store, opts.draftOverride ?? draft, opts.draftOverride ? undefined : readProblem);
    for (const m of store.openReport.messages) c.addLog('warn', 'warning', m);
    await c.openJournal();
    // Parse the OUI vendor table now, before anyone is served (the first lease row needs it).
    if (opts.preloadVendors ?? true) void preloadOui();
    c.ticker = setInterval(() => c.tick(), opts.flushIntervalMs ?? 250);
    c.ticker.unref();
    const watch = opts.watchIntervalMs ?? 2000;
    if (watch > 0 && !opts.listInterfaces) c.stopWatching = watchInterfaces((list) => c.emit({ name: 'interfaces', payload: list }), watch);
    return c;
  }

  // ---- subscriptions ----

  /** Push events for the UI (already batched). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every raw event of the running service, across restarts (the CLI's log lines). */
  onServiceEvent(listener: (e: ServiceEvent) => void): () => void {
    this.serviceListeners.add(listener);
    return () => this.serviceListeners.delete(listener);
  }

  private emit(e: ControllerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // One broken listener (a closed connection) must not starve the others.
      }
    }
  }

  // ---- settings ----

  private validate(draft: ConfigDraft): ConfigProblem[] {
    try {
      parseConfig(draft);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      return [{ field: '', message: (e as Error).message }];
    }
  }

  getSettings(): SettingsState {
    return { draft: this.draft, problems: this.settingsReadProblem ? [this.settingsReadProblem, ...this.problems] : this.problems };
  }

  /** Saves the draft as is (valid or not) and returns its problems; other windows get a `settings` event. */
  async saveSettings(draft: ConfigDraft): Promise<SettingsState> {
    // A private, plain copy: nothing the caller keeps a reference to can change what is saved.
    const copy = JSON.parse(JSON.stringify(draft)) as ConfigDraft;
    await writeJsonFileAtomic(this.settingsPath, copy);
    this.draft = copy;
    this.settingsReadProblem = undefined;
    this.problems = this.validate(copy);
    const state = this.getSettings();
    this.emit({ name: 'settings', payload: state });
    this.markStatus();
    return state;
  }

  // ---- start / stop ----

  get state(): ServerState {
    return this._state;
  }

  /** What is being served (undefined while stopped). */
  get currentPlan(): StartPlan | undefined {
    return this.plan;
  }

  /** Starts with the saved draft (or opts.config). Never throws: a refusal is `status.error`. */
  async start(opts: StartOptions = {}): Promise<ServerStatus> {
    try {
      await this.startOrThrow(opts);
    } catch (e) {
      if (!isStartupError(e) || e.code !== 'busy') {
        this.lastError = toServerError(e);
        this.addLog('error', 'state', `START REFUSED ${this.lastError.message}`);
      }
      this.pushStatus();
    }
    return this.status();
  }

  /** As start(), but a refusal throws the StartupError (the CLI turns it into an exit code). */
  startOrThrow(opts: StartOptions = {}): Promise<StartPlan> {
    return this.serialize(() => this.doStart(opts));
  }

  /**
   * Stops serving, then puts back the served interface's previous settings when Pocket DHCP set its
   * address and `restore` (default: the restore-on-stop preference, nic-options.ts) says so — the
   * one place every stop goes through (window, tray, web page). A restart and the quit dialog pass
   * `restore: false`. Never throws for the restore: its outcome is `restored` (and a log line).
   */
  async stop(opts: { restore?: boolean } = {}): Promise<StopResult> {
    const restored = await this.serialize(async () => {
      const served = this.plan?.itf.name;
      await this.doStop();
      return served === undefined ? undefined : this.restoreAfterStop(served, opts.restore);
    });
    return restored ? { ...this.status(), restored } : this.status();
  }

  private async restoreAfterStop(served: string, override: boolean | undefined): Promise<NicChangeResult[] | undefined> {
    if (override === false) return undefined;
    let restoreOnStop: boolean;
    let saved: { interface: string; address: string; prefix: number; method: NicChangeResult['method'] }[];
    try {
      [{ restoreOnStop }, saved] = await Promise.all([override === undefined ? readNicOptions(this.opts.dataDir) : { restoreOnStop: override }, this.nic.saved()]);
    } catch (e) {
      this.addLog('warn', 'warning', `WARNING ${served} was not restored: ${(e as Error).message}`);
      return undefined;
    }
    const target = stopRestoreTarget({ served, saved, restoreOnStop, override });
    if (!target) return undefined;
    let results: NicChangeResult[];
    try {
      results = await this.nic.restore({ interface: target });
    } catch (e) {
      const s = saved.find((x) => x.interface === target)!;
      results = [{ ok: false, action: 'restore', interface: target, address: s.address, prefix: s.prefix, method: s.method, commands: [], steps: [], verified: false, message: (e as Error).message, saved: true }];
    }
    for (const r of results) this.addLog(r.ok ? 'info' : 'warn', r.ok ? 'state' : 'warning', `${r.ok ? 'RESTORED' : 'RESTORE FAILED'} ${r.message}`);
    return results;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.op.then(fn, fn);
    this.op = next.catch(() => undefined);
    return next;
  }

  private async doStart(opts: StartOptions): Promise<StartPlan> {
    if (this.closed) throw new StartupError('busy', 'the server is shutting down', [], { text: { variant: 'shutting-down', params: {} } });
    if (this.service && this.plan) return this.plan;
    let cfg: UserConfig;
    if (opts.config) cfg = opts.config;
    else {
      try {
        cfg = parseConfig(this.draft);
      } catch (e) {
        if (e instanceof ConfigError) throw StartupError.fromConfigError(e);
        throw e;
      }
    }
    this.setState('starting', `STARTING on ${cfg.interface}`);
    try {
      const interfaces = await (this.opts.listInterfaces ?? listSystemInterfaces)();
      const plan = planStart(cfg, interfaces, { allowForeignNetwork: opts.allowForeignNetwork ?? false, hints: this.opts.hints ?? UI_HINTS });
      for (const w of plan.warnings) this.addLog('warn', 'warning', `WARNING ${w}`);
      await this.checkForOtherServers(plan, opts);
      const svc = await openService(plan, this.store, {
        packetEvents: this.opts.packetEvents ?? true,
        ...(this.opts.openTransport ? { openTransport: this.opts.openTransport } : {}),
        ...(this.opts.now ? { clock: this.opts.now } : {}),
        ...this.opts.serviceOptions,
      });
      this.service = svc;
      this.plan = plan;
      this.startedAt = svc.startedAt;
      this.lastError = undefined;
      this.exhaustedSubnets.clear();
      this.unsubscribeService = svc.on((e) => this.onService(e));
      await this.watchForOtherServers(plan.itf.name, svc);
      const pools = plan.engineConfig.subnets.map((s) => `${intToIp(s.rangeStart)}-${intToIp(s.rangeEnd)}`).join(', ');
      this.setState('running', `RUNNING listening on ${plan.itf.name} ${plan.address.address}/${plan.address.prefix}:67, pool ${pools}`);
      return plan;
    } catch (e) {
      this.setState('stopped');
      throw e;
    }
  }

  private async doStop(): Promise<void> {
    const svc = this.service;
    if (!svc) return;
    this.setState('stopping', 'STOPPING');
    try {
      const w = this.watcher;
      this.watcher = undefined;
      await w?.stop().catch(() => undefined);
      await svc.stop(); // emits its own 'stopped' event (logged) while we still listen
    } finally {
      this.lastCounters = copyCounters(svc.counters);
      this.unsubscribeService?.();
      this.unsubscribeService = undefined;
      this.service = undefined;
      this.plan = undefined;
      this.startedAt = undefined;
      this.leaseFeed.holdsGone();
      this.setState('stopped');
    }
  }

  /** Stops serving, flushes pending pushes and closes the lease store. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Quitting asks about the interface itself (the app's quit dialog; the CLI leaves it as it is).
    await this.stop({ restore: false });
    this.closed = true;
    this.stopWatching?.();
    if (this.ticker) clearInterval(this.ticker);
    this.tick(true);
    await this.journal?.close();
    await this.store.close();
  }

  // ---- other DHCP servers (server/rogue-guard.ts) ----

  private rogueCheck(): RogueCheck | null {
    if (this.opts.rogueCheck !== undefined) return this.opts.rogueCheck;
    return this.opts.openTransport ? null : SYSTEM_ROGUE_CHECK;
  }

  /** Before serving: another server answering refuses the start (unless overridden); "could not check" warns. */
  private async checkForOtherServers(plan: StartPlan, opts: StartOptions): Promise<void> {
    const check = this.rogueCheck();
    if (!check) return;
    const ifname = plan.itf.name;
    const timeoutMs = Math.max(0, this.opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    let report: ProbeReport | undefined;
    if (timeoutMs > 0) {
      this.probing = { interface: ifname, timeoutMs, startedAt: this.clock() };
      this.setState('starting', `CHECKING ${ifname} for other DHCP servers (${probeSeconds(timeoutMs)})`);
      try {
        report = await check.probe(ifname, timeoutMs);
      } finally {
        this.probing = undefined;
      }
    }
    const out = probeOutcome(report, { ifname, allowOtherServer: opts.allowOtherServer ?? false, hints: this.opts.hints ?? UI_HINTS });
    if (out.refuse) throw out.refuse;
    if (out.warning) this.notice(report ? (report.status === 'found' ? 'other-server-allowed' : 'probe-could-not-check') : 'probe-skipped', out.warning);
    if (out.info) this.addLog('info', 'state', out.info);
  }

  /** While serving: replies of other servers overheard on port 68 become 'foreign-server' events (each server at most once a minute). */
  private async watchForOtherServers(ifname: string, svc: DhcpService): Promise<void> {
    const check = this.rogueCheck();
    if (!check) return;
    this.foreignReported = 0;
    try {
      this.watcher = await check.watch(
        ifname,
        (s) => {
          if (this.service !== svc) return;
          this.foreignReported++;
          this.onService({ kind: 'dhcp', at: this.clock(), event: foreignServerEvent(s) });
        },
        (e) => this.notice('foreign-watch', `watching ${ifname} for other DHCP servers failed: ${e.message}`),
      );
    } catch (e) {
      this.notice('foreign-watch', `other DHCP servers on ${ifname} cannot be watched for while serving: ${(e as Error).message} Serving goes on.`);
    }
  }

  /** A warning for the UI's log and the CLI's (a 'warning' service event). */
  private notice(code: string, message: string): void {
    this.onService({ kind: 'warning', at: this.clock(), code, message });
  }

  private setState(state: ServerState, text?: string): void {
    this._state = state;
    if (text) this.addLog('info', 'state', text);
    this.pushStatus();
  }

  // ---- service events ----

  private onService(e: ServiceEvent): void {
    this.journalRecorder?.observe(e);
    // Before the listeners: a listener (serve's stall hints) reads the timeline with this event in it.
    if (this.keepTimelines) this.timelines.observe(e);
    for (const l of this.serviceListeners) {
      try {
        l(e);
      } catch {
        // a failing log writer must not stop serving
      }
    }
    this.trackServing(e);
    if (!this.ui) return;
    this.statusDirty = true;
    switch (e.kind) {
      case 'lease':
        this.leaseFeed.changed(e.lease.ip);
        return;
      case 'packet':
        this.addLine('info', e.packet.direction, eventLine(e, true)!, { mac: e.packet.mac, ...(e.packet.ip ? { ip: e.packet.ip } : {}) }, e.at);
        return;
      case 'warning':
        this.addLine('warn', 'warning', eventLine(e)!, {}, e.at);
        return;
      case 'state':
        this.addLine(e.state === 'interface-lost' ? 'warn' : 'info', 'state', eventLine(e)!, {}, e.at);
        return;
      case 'dhcp': {
        const ev = e.event;
        const line = eventLine(e)!;
        if (ev.type === 'drop') {
          const level = ev.reason === 'store-failed' || ev.reason === 'send-failed' ? 'error' : ev.reason === 'decode-error' ? 'warn' : 'info';
          this.addLine(level, 'drop', line, { ...(ev.mac ? { mac: ev.mac } : {}), reason: ev.reason }, e.at);
          return;
        }
        if (ev.type === 'offer') this.leaseFeed.offered(ev.ip, ev.hostname, e.at);
        if ('ip' in ev && ev.ip) this.leaseFeed.changed(ev.ip);
        const [level, kind] = LOG_LEVEL_KIND[ev.type] ?? ['info', 'warning'];
        this.addLine(level, kind, line, { ...('mac' in ev && ev.mac ? { mac: ev.mac } : {}), ...('ip' in ev && ev.ip ? { ip: ev.ip } : {}) }, e.at);
        return;
      }
    }
  }

  /** What status() needs of every service event, whether or not a UI reads the log, timelines or lease rows. */
  private trackServing(e: ServiceEvent): void {
    if (e.kind === 'state') {
      if (e.state === 'interface-lost' || (e.state === 'running' && this._state === 'interface-lost')) this.setState(e.state);
    } else if (e.kind === 'dhcp' && e.event.type === 'pool-exhausted') this.exhaustedSubnets.add(e.event.subnet);
  }

  /** A line of a service event: its English text and, when it has one, its code and values (LogEntry.msg). */
  private addLine(level: LogEntry['level'], kind: LogKind, line: EventLine, extra: { mac?: string; ip?: string; reason?: string }, at: number): void {
    this.addLog(level, kind, line.text, line.msg ? { ...extra, msg: line.msg } : extra, at);
  }

  private addLog(level: LogEntry['level'], kind: LogKind, text: string, extra: { mac?: string; ip?: string; reason?: string; msg?: LogMessage } = {}, at = this.clock()): void {
    if (!this.ui) return;
    const entry: LogEntry = { id: ++this.logSeq, at, level, kind, ...extra, text };
    this.log.push(entry);
    this.pendingLog.push(entry);
    // Nobody drained it for a whole ring: only the newest ring's worth can still matter.
    if (this.pendingLog.length > 2 * this.log.capacity) this.pendingLog = this.pendingLog.slice(-this.log.capacity);
  }

  recentLog(opts: { limit?: number; mac?: string } = {}): LogEntry[] {
    return this.log.recent(opts.limit ?? 500, opts.mac);
  }

  // ---- status ----

  status(): ServerStatus {
    const now = this.clock();
    const pools = this.pools(now);
    // Exhaustion is over once the pool has a free address again (a lease expired, a hold lapsed).
    for (const p of pools) if (p.free > 0) this.exhaustedSubnets.delete(p.subnet);
    const counters = this.service ? copyCounters(this.service.counters) : copyCounters(this.lastCounters);
    const plan = this.plan;
    return {
      state: this._state,
      ...(plan ? { interface: plan.itf.name, serverId: plan.address.address, prefix: plan.address.prefix } : {}),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.probing ? { probe: { ...this.probing } } : {}),
      ...(this.watcher ? { otherServers: { replies: this.watcher.replies, reported: this.foreignReported, servers: this.watcher.seen.map((s) => s.serverId ?? s.sourceIp) } } : {}),
      counters,
      pools,
      exhausted: this.exhaustedSubnets.size > 0,
      ...(this.lastError ? { error: this.lastError } : {}),
      ...(this.service ? { conflictCheck: this.service.conflictCheckStatus() } : {}),
    };
  }

  private pools(now: number): PoolUsage[] {
    const engine = this.service?.engine;
    if (engine && this.plan) {
      const cfg = engine.configuration;
      const pools = cfg.subnets.map((s) => ({ subnet: s.id, rangeStart: s.rangeStart, rangeEnd: s.rangeEnd }));
      const unavailable = [cfg.serverId, ...cfg.excluded, ...cfg.reservations.map((r) => r.ip)];
      return poolUsage(pools, this.store.all(), engine.holds.all(now), unavailable, now);
    }
    let cfg: UserConfig;
    try {
      cfg = parseConfig(this.draft);
    } catch {
      return [];
    }
    const { pools, unavailable } = poolsOfConfig(cfg);
    return poolUsage(pools, this.store.all(), [], unavailable, now);
  }

  private markStatus(): void {
    this.statusDirty = true;
  }

  private pushStatus(): void {
    this.statusDirty = false;
    this.lastStatusPush = this.clock();
    this.emit({ name: 'status', payload: this.status() });
  }

  // ---- leases ----

  /** Every stored record plus live offers (an offer shows on an address unless it is bound). */
  leaseRows(): LeaseRow[] {
    const now = this.clock();
    return this.leaseFeed.rows(this.service?.engine.holds.all(now) ?? [], now);
  }

  // ---- device timeline and lease journal (src-main/devices) ----

  /** One MAC's DISCOVER…ACK history with hints, and its identity (from its latest lease record). */
  deviceTimeline(mac: string): DeviceTimeline {
    let latest: Lease | undefined;
    for (const l of this.store.all()) if (l.mac === mac && (!latest || l.lastSeen > latest.lastSeen)) latest = l;
    return this.timelines.timeline(mac, latest);
  }

  /** Journal entries matching `q` (both journal files; read-only). Pending lines are written first. */
  async searchJournal(q: JournalQuery): Promise<JournalResult> {
    await this.journal?.flush();
    return readJournal(this.dataDir, q);
  }

  async exportJournal(q: JournalQuery): Promise<ExportFile> {
    const r = await this.searchJournal({ ...q, limit: undefined });
    return { filename: journalFilename(this.clock()), mime: 'text/csv', content: journalToCsv(r.entries) };
  }

  private async openJournal(): Promise<void> {
    try {
      const journal = await JournalWriter.open(this.dataDir, { onWarning: (m) => this.addLog('warn', 'warning', m) });
      this.journal = journal;
      this.journalRecorder = new JournalRecorder((at, event, lease) => journal.appendLease(at, event, lease));
    } catch (e) {
      this.addLog('warn', 'warning', `the lease journal could not be opened (serving is not affected): ${(e as Error).message}`);
    }
  }

  exportLeases(format: 'csv' | 'json'): ExportFile {
    const leases = this.store.all();
    const filename = exportFilename(format, this.clock());
    if (format === 'csv') return { filename, mime: 'text/csv', content: leasesToCsv(leases) };
    return { filename, mime: 'application/json', content: `${JSON.stringify(leasesToJson(leases), null, 2)}\n` };
  }

  // ---- import / export in other tools' formats (src-main/portability) ----

  /** Leases (the store) or reservations (the saved draft) in one of the registry's formats. */
  exportData(what: What, format: FormatId): ExportFile {
    try {
      return exportFile(what, format, { draft: this.draft, leases: this.store.all(), now: this.clock() });
    } catch (e) {
      if (e instanceof ExportError) throw new Error(e.message);
      throw e;
    }
  }

  /** "Export to Kea": kea-dhcp4.conf plus the lease file it loads; needs a valid draft. */
  exportToKea(opts: KeaExportOptions): KeaBundle {
    const cfg = configOf(this.draft);
    if (!cfg) throw new Error(`Kea needs a complete, valid configuration: ${problemsMessage(this.problems)}`);
    try {
      return exportKea(cfg, this.store.all(), opts);
    } catch (e) {
      if (e instanceof ExportError) throw new Error(e.message);
      throw e;
    }
  }

  /** What importing `req` would do; nothing changes. */
  importPreview(req: ImportRequest): ImportPreview {
    return previewImport(req, this.draft, this.store.all(), this.clock());
  }

  /**
   * Applies the chosen rows of an import, decided again against the current state (never against
   * what the renderer saw). Nothing is applied when the file has a problem. Reservations go into
   * the saved draft (a running server takes them at its next restart); leases into the store at
   * once — never over a live binding (portability/preview.ts), so this is safe while serving.
   */
  importApply(req: ImportRequest, selection: ImportSelection): Promise<ImportResult> {
    return this.serialize(async () => {
      const { plan } = planImport(req, selection, this.draft, this.store.all(), this.clock());
      if (plan.reservations) await this.saveSettings({ ...this.draft, reservations: plan.reservations });
      if (plan.leases.length) {
        await this.store.apply(plan.leases);
        for (const l of plan.leases) this.leaseFeed.changed(l.ip);
      }
      const n = plan.added.reservations + plan.replaced.reservations + plan.added.leases + plan.replaced.leases;
      this.addLog('info', 'state', `IMPORTED ${plan.added.reservations + plan.replaced.reservations} reservation(s), ${plan.added.leases + plan.replaced.leases} lease(s)${plan.skipped.length ? `; ${plan.skipped.length} row(s) skipped` : ''}`);
      return {
        added: plan.added,
        replaced: plan.replaced,
        skipped: plan.skipped,
        applied: n,
        restartNeeded: Boolean(plan.reservations) && this.service !== undefined,
        settings: this.getSettings(),
      };
    });
  }

  // ---- pool sweep (ARP, server/pool-sweep.ts) ----

  private sweeping = false;

  /**
   * Probes every address of the range (default: the served or configured interface and first
   * range) and classifies the answers against the leases and reservations. One sweep at a time.
   */
  async sweepPool(req: { interface?: string; range?: string; ratePerSecond?: number } = {}): Promise<PoolSweepResult> {
    const draftSubnets = Array.isArray(this.draft.subnets) ? (this.draft.subnets as { range?: unknown }[]) : [];
    const ifname = req.interface ?? this.plan?.itf.name ?? (typeof this.draft.interface === 'string' ? this.draft.interface : undefined);
    const range = req.range ?? (this.plan ? `${intToIp(this.plan.engineConfig.subnets[0]!.rangeStart)}-${intToIp(this.plan.engineConfig.subnets[0]!.rangeEnd)}` : typeof draftSubnets[0]?.range === 'string' ? draftSubnets[0].range : undefined);
    if (!ifname) throw new Error('choose an interface first (Settings → Interface)');
    if (!range) throw new Error('enter an address range first (Settings → Range)');
    if (this.sweeping) throw new Error('a sweep is already running — wait for its result');
    this.sweeping = true;
    try {
      const reservations = this.plan ? this.plan.engineConfig.reservations : Array.isArray(this.draft.reservations) ? (this.draft.reservations as { ip: string; mac?: string; hostname?: string }[]).filter((r) => r && typeof r.ip === 'string') : [];
      const result = await runPoolSweep({
        interface: ifname,
        range,
        ...(req.ratePerSecond !== undefined ? { ratePerSecond: req.ratePerSecond } : {}),
        context: { byIp: (ip) => this.store.view.byIp(ip), reservations, now: this.clock() },
        ...(this.opts.openArp ? { open: this.opts.openArp } : {}),
      });
      const statics = result.hits.filter((h) => h.kind !== 'ours').length;
      this.addLog(statics ? 'warn' : 'info', 'conflict', `SWEEP ${result.range} on ${ifname}: ${result.hits.length} of ${result.probed} address(es) in use${statics ? `, ${statics} not leased by us: ${result.hits.filter((h) => h.kind !== 'ours').map((h) => `${h.ip} (${h.mac})`).join(', ')}` : ''}`);
      return result;
    } finally {
      this.sweeping = false;
    }
  }

  // ---- interfaces, static address ----

  listInterfaces(): Promise<NetInterface[]> {
    return (this.opts.listInterfaces ?? listSystemInterfaces)();
  }

  nicPlan(req: { interface: string; address: string; prefix: number }): Promise<NicPlan> {
    return this.nic.plan(req);
  }

  /** The address of the interface being served must not change under the server. */
  private refuseIfServing(ifname: string | undefined, what: string): void {
    const served = this.plan?.itf.name;
    if (this._state !== 'stopped' && served !== undefined && (ifname === undefined || ifname === served)) {
      throw new Error(`${served} is being served: stop the server before you ${what} its address`);
    }
  }

  async nicApply(req: { interface: string; address: string; prefix: number; expect?: string[] }): Promise<NicChangeResult> {
    this.refuseIfServing(req.interface, 'change');
    return this.nic.apply(req);
  }

  async nicRestore(req: { interface?: string; forget?: boolean; expect?: string[] }): Promise<NicChangeResult[]> {
    if (!req.forget) this.refuseIfServing(req.interface, 'restore');
    return this.nic.restore(req);
  }

  nicRestorePlan(req: { interface?: string }): Promise<NicRestorePlan> {
    return this.nic.restorePlan(req);
  }

  /** The static-address preferences; a given field is saved and pushed to every window (`nicOptions`). */
  async nicOptions(change: Partial<NicOptions> = {}): Promise<NicOptions> {
    if (change.restoreOnStop === undefined) return readNicOptions(this.opts.dataDir);
    const next = await updateNicOptions(this.opts.dataDir, change);
    this.emit({ name: 'nicOptions', payload: next });
    return next;
  }

  // ---- the push loop ----

  /** One turn of batching: lease rows that changed, new log entries, status if counters moved. */
  private tick(final = false): void {
    const now = this.clock();
    if (this.listeners.size === 0) {
      // Nobody to push to (the plain CLI): keep nothing for later — a listener that subscribes
      // asks for the full table and status first — and drop offer details whose hold is gone.
      this.leaseFeed.discard(this.service?.engine.holds, now);
      this.pendingLog = [];
      this.statusDirty = false;
      this.timelines.takeChanged();
      return;
    }
    this.flushLeases(now);
    if (this.pendingLog.length) {
      const batch = this.pendingLog;
      this.pendingLog = [];
      this.emit({ name: 'log', payload: batch });
    }
    const macs = this.timelines.takeChanged();
    if (macs.length) this.emit({ name: 'timeline', payload: { macs } });
    if (this.statusDirty && (final || now - this.lastStatusPush >= (this.opts.statusMinIntervalMs ?? 500))) this.pushStatus();
  }

  private flushLeases(now: number): void {
    const changes = this.leaseFeed.flush(this.service?.engine.holds.all(now) ?? [], now);
    if (!changes) return;
    this.statusDirty = true; // pool usage moved with the rows
    this.emit({ name: 'leases', payload: changes });
  }
}
