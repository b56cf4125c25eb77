// The root of the renderer's state: one transport, the stores fed by it, what is derived across
// them (the selected interface, the server's address, problems that block Start) and the actions
// that touch more than one store. Created once by App.svelte and shared through context.
import { getContext, setContext } from 'svelte';
import type { AppInfo, LeaseRow, NicChangeResult, NicPlan, NicSavedInfo, PrivilegeReport, UiLanguage } from '../../../src-main/ipc/contract.js';
import type { ConfigProblem } from '../../../src-main/config/schema.js';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { ipToInt, isIpv4, parseCidr } from '../../../src-main/dhcp/ip.js';
import type { Transport, ConnectionState } from '../lib/transport.js';
import { asList, DEFAULT_LEASE_SECONDS, type DraftSubnet } from '../lib/draft.js';
import { addressInSubnet, alignScope, networkOf, splitRange, suggestStaticAddress, type ScopeMemory } from '../lib/scope.js';
import { sanitiseHostname, type ReservationContext } from '../lib/reservations.js';
import { loadPref, savePref } from '../lib/prefs.js';
import { t } from '../i18n/index.js';
import { Clock } from './clock.svelte.js';
import { Toasts } from './toasts.svelte.js';
import { SettingsStore } from './settings.svelte.js';
import { ServerStore, type StartOverrides } from './server.svelte.js';
import { LeaseStore } from './leases.svelte.js';
import { LogStore } from './log.svelte.js';
import { InterfaceStore } from './interfaces.svelte.js';
import { PortabilityStore } from './portability.svelte.js';

export type MainTab = 'leases' | 'log' | 'journal';

export interface StaticPlan {
  address: string;
  prefix: number;
}

export interface ReservationPrefill {
  mac: string;
  ip: string;
  hostname?: string;
}

/** Problems the UI can see before the engine does (they need the interface list). */
export const STATIC_ADDRESS_FIELD = 'static-address';

export class AppStore {
  readonly transport: Transport;
  connection = $state<ConnectionState>('connecting');
  /** Connected at least once: a later drop is "lost the connection", not "connecting". */
  everOpen = $state(false);
  info = $state.raw<AppInfo | undefined>();
  loadError = $state<string | undefined>();

  readonly clock = new Clock();
  readonly toasts = new Toasts();
  // The stores reach the engine through a getter: field initializers run before the constructor
  // body that stores the transport.
  readonly settings = new SettingsStore(() => this.transport.api);
  readonly server = new ServerStore(() => this.transport.api, () => this.settings.flush());
  readonly leases = new LeaseStore();
  readonly log = new LogStore();
  readonly interfaces = new InterfaceStore();
  /** Import dialog, Export menus, "Export to Kea…". */
  readonly portability = new PortabilityStore(() => this.transport, this.toasts, this.settings);

  // ---- view state shared between distant components ----
  tab = $state<MainTab>(loadPref<MainTab>('tab', 'leases'));
  sidebarOpen = $state(loadPref('sidebarOpen', true));
  /** Lease shown in the details dialog. */
  detailsIp = $state<string | undefined>();
  /** "Reserve this device": the reservation form opens prefilled with this. */
  reservationPrefill = $state<ReservationPrefill | undefined>();
  /** Planned static address per interface (for interfaces without one yet). */
  planned = $state<Record<string, StaticPlan>>(loadPref('planned', {}));

  // ---- static address, privileges, the engine ----
  /** Interfaces whose previous settings are saved (the app or `nic set` changed them). */
  nicSaved = $state.raw<NicSavedInfo[]>([]);
  /** A static-address change or restore in progress. */
  nicBusy = $state<'apply' | 'restore' | null>(null);
  /** The outcome of the last apply/restore, shown under the address until the next one. */
  nicResult = $state.raw<NicChangeResult | undefined>();
  /** What serving needs and what is missing (privileges.check), refreshed on every (re)connect. */
  privileges = $state.raw<PrivilegeReport | undefined>();
  /** Put the interface's previous settings back when serving stops — the engine's preference (nic.options), which every stop follows. */
  restoreOnStop = $state(true);
  /** Restore offers the user answered "keep" to (by appliedAt), so they are not offered again. */
  keptOffers = $state<number[]>(loadPref<number[]>('keptOffers', []));
  /** The engine is moving to the privileged helper (the password dialog may be open). */
  elevating = $state(false);
  /** Asking before the engine restarts with administrator rights (Start without privileges). */
  elevateAsk = $state(false);
  /** When this page was loaded: saved changes older than this are leftovers of an earlier session. */
  readonly sessionStart = Date.now();

  // ---- derived ----
  readonly nic: NetInterface | undefined = $derived(this.interfaces.byName(this.settings.draft.interface));
  readonly scope: DraftSubnet = $derived(this.settings.draft.subnets?.[0] ?? {});
  readonly leaseTime: number = $derived(typeof this.scope.leaseTime === 'number' ? this.scope.leaseTime : typeof this.settings.draft.leaseTime === 'number' ? this.settings.draft.leaseTime : DEFAULT_LEASE_SECONDS);
  /** The interface's address in the scope's network, as the interface has it now. */
  readonly nicAddress = $derived(addressInSubnet(this.nic, this.scope.subnet));
  /** The static address planned for an interface that has none yet (prefilled suggestion). */
  readonly plan: StaticPlan = $derived(
    (this.settings.draft.interface ? this.planned[this.settings.draft.interface] : undefined) ?? suggestStaticAddress(this.nic, this.scope.subnet, this.scope.range),
  );
  /** This computer's address on the served network: the real one, else the planned one. */
  readonly serverAddress: string | undefined = $derived(this.nicAddress?.address ?? (this.nic && this.nic.ipv4.length === 0 ? this.plan.address : undefined));
  readonly reservationContext: ReservationContext = $derived({
    subnet: this.scope.subnet,
    serverAddress: this.serverAddress,
    routers: asList(this.scope.router),
    dns: asList(this.scope.dns),
  });
  /** Problems that need the interface: the engine checks these at start; we show them early. */
  readonly interfaceProblems: ConfigProblem[] = $derived(this.#interfaceProblems());
  /** Everything that keeps Start disabled, in the order the Setup column shows the fields. */
  readonly blocking: ConfigProblem[] = $derived([...this.interfaceProblems, ...this.settings.problems]);
  /** The draft the running server was started with (JSON), to tell when a restart is needed. */
  startedDraft = $state<string | undefined>();
  readonly draftJson: string = $derived(JSON.stringify(this.settings.draft));
  /** The draft a start was refused with: once the user edits the draft, that refusal is stale and hidden. */
  refusedDraft = $state<string | undefined>();
  /** The overrides of the last start, for "Start anyway" after a further refusal. */
  #lastOverrides: StartOverrides = {};
  /** The last start refusal, while it still applies to the draft on screen. */
  readonly startError = $derived(
    this.server.status.error && !this.server.running && (this.refusedDraft === undefined || this.refusedDraft === this.draftJson) ? this.server.status.error : undefined,
  );
  readonly restartNeeded: boolean = $derived(this.server.running && this.startedDraft !== undefined && this.startedDraft !== this.draftJson);
  readonly canStart: boolean = $derived(this.connection === 'open' && this.settings.loaded && this.blocking.length === 0 && !this.server.running && !this.server.busy && !this.elevating);
  /** Start needs the engine restarted with administrator rights first (Electron on Linux). */
  readonly needsElevation: boolean = $derived(!!this.privileges && !this.privileges.canServe && !this.privileges.viaHelper && !!this.info?.canElevate);
  /** The saved "before" of the selected interface, if Pocket DHCP changed it. */
  readonly nicSavedHere: NicSavedInfo | undefined = $derived(this.nicSaved.find((s) => s.interface === this.settings.draft.interface));
  /**
   * Interfaces an earlier session changed and did not restore (closed unexpectedly): offered for
   * restoring, unless they are being served right now or the user chose to keep them.
   */
  readonly restoreOffers: NicSavedInfo[] = $derived(
    this.nicSaved.filter((s) => s.appliedAt < this.sessionStart && !this.keptOffers.includes(s.appliedAt) && !(this.server.running && this.server.status.interface === s.interface)),
  );

  readonly #scopes = prefsScopeMemory();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  #interfaceProblems(): ConfigProblem[] {
    const out: ConfigProblem[] = [];
    const name = this.settings.draft.interface;
    if (!name || !this.interfaces.loaded) return out;
    const nic = this.nic;
    if (!nic) {
      out.push({ field: 'interface', message: t('problem.ifMissing', { interface: name }) });
      return out;
    }
    if (nic.ipv4.length === 0) {
      out.push({ field: STATIC_ADDRESS_FIELD, message: t('problem.noIpv4', { interface: name }) });
      return out;
    }
    const c = typeof this.scope.subnet === 'string' ? parseCidr(this.scope.subnet) : undefined;
    if (c && !this.nicAddress) {
      const a = nic.ipv4[0]!;
      out.push({ field: 'subnets[0].subnet', message: t('problem.otherNetwork', { interface: name, address: `${a.address}/${a.prefix}`, subnet: String(this.scope.subnet), network: networkOf(a.address, a.prefix) ?? '' }) });
    }
    const server = this.nicAddress?.address;
    if (server && c) {
      const { start, end } = splitRange(this.scope.range);
      if (isIpv4(start) && isIpv4(end)) {
        const s = ipToInt(server);
        if (s >= ipToInt(start) && s <= ipToInt(end)) out.push({ field: 'subnets[0].range', message: t('problem.rangeHasServer', { address: server }) });
      }
      (this.settings.draft.reservations ?? []).forEach((r, i) => {
        if (r.ip === server) out.push({ field: `reservations[${i}].ip`, message: t('problem.reservationIsServer', { address: server, interface: name }) });
      });
    }
    return out;
  }

  // ---- connection ----

  /** Subscribes to the engine; returns the cleanup (call from an $effect). */
  connect(): () => void {
    const api = this.transport.api;
    const offs = [
      api.on('status', (s) => this.server.apply(s)),
      api.on('leases', (b) => this.leases.apply(b)),
      api.on('log', (entries) => this.log.add(entries)),
      api.on('interfaces', (list) => this.interfaces.load(list)),
      api.on('settings', (s) => this.settings.load(s)),
      api.on('nic', (saved) => (this.nicSaved = saved)),
      api.on('nicOptions', (o) => (this.restoreOnStop = o.restoreOnStop)),
      api.on('engine', (e) => {
        if (e.message) this.toasts.show(e.message, 'error');
        void this.resync();
      }),
      this.transport.onState((state) => {
        this.connection = state;
        if (state === 'open') {
          this.everOpen = true;
          void this.resync();
        }
      }),
      this.clock.start(),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Loads everything (first connection and every reconnect), then lets queued events flow. */
  async resync(): Promise<void> {
    const api = this.transport.api;
    try {
      this.info = await api['app.ready']();
      const [settings, interfaces, status, leases, log] = await Promise.all([api['settings.get'](), api['interfaces.list'](), api['server.status'](), api['leases.list'](), api['log.recent']({ limit: 1000 })]);
      this.settings.load(settings);
      this.interfaces.load(interfaces);
      this.server.apply(status);
      if (this.server.running && this.startedDraft === undefined) this.startedDraft = JSON.stringify(settings.draft ?? {});
      this.leases.load(leases);
      this.log.add(log);
      this.loadError = undefined;
    } catch (e) {
      this.loadError = (e as Error).message;
    }
    // Not essential to the page: a failure here leaves the features quiet instead of the page broken.
    await Promise.all([
      api['nic.saved']().then(
        (saved) => (this.nicSaved = saved),
        () => undefined,
      ),
      api['nic.options']().then(
        (o) => (this.restoreOnStop = o.restoreOnStop),
        () => undefined,
      ),
      this.refreshPrivileges(),
    ]);
  }

  /** The UI language, for the desktop shell's texts; a failure only leaves them in the previous language. */
  tellLanguage(language: UiLanguage): void {
    void this.transport.api['app.language']({ language }).catch(() => undefined);
  }

  async refreshPrivileges(): Promise<void> {
    try {
      this.privileges = await this.transport.api['privileges.check']();
    } catch {
      this.privileges = undefined;
    }
  }

  // ---- actions ----

  /** Start; when this engine lacks the privileges and the helper can provide them, ask first. */
  async start(overrides: StartOverrides = {}): Promise<void> {
    if (this.needsElevation && !this.elevating) {
      this.elevateAsk = true;
      return;
    }
    this.#lastOverrides = overrides;
    await this.server.start(overrides);
    if (this.server.running || this.server.status.state === 'starting') this.startedDraft = this.draftJson;
    this.refusedDraft = this.server.status.error ? this.draftJson : undefined;
    // A refusal for privileges: the report says what is missing and how to fix it.
    if (this.server.status.error?.code === 'privileges') void this.refreshPrivileges();
  }

  /**
   * "Start anyway" in a refusal banner: skips the refused check, and keeps skipping those the user
   * skipped for the start that was refused (a second refusal must not undo the first override).
   */
  startAnyway(code: string): Promise<void> {
    const more: StartOverrides = code === 'foreign-server' ? { allowOtherServer: true } : code === 'foreign-network' ? { allowForeignNetwork: true } : {};
    return this.start({ ...this.#lastOverrides, ...more });
  }

  /** Restarts the engine as the privileged helper (pkexec asks for the password), then starts. */
  async elevateAndStart(): Promise<void> {
    this.elevateAsk = false;
    this.elevating = true;
    try {
      this.info = await this.transport.api['engine.elevate']();
      await this.resync();
    } catch (e) {
      this.elevating = false;
      this.toasts.show(t('toast.notStarted', { error: (e as Error).message }), 'error');
      return;
    }
    this.elevating = false;
    await this.start();
  }

  /**
   * Stop. The engine then puts the interface's previous settings back if Pocket DHCP changed them and
   * the restore-on-stop preference says so (the same rule for the tray and every window);
   * `restore: false` keeps the address (a restart).
   */
  async stop(opts: { restore?: boolean } = {}): Promise<void> {
    const served = this.server.status.interface;
    const restoring = opts.restore !== false && this.restoreOnStop && !!served && this.nicSaved.some((s) => s.interface === served) && this.nicBusy === null;
    if (restoring) this.nicBusy = 'restore';
    try {
      const restored = await this.server.stop(opts);
      if (!this.server.running) this.startedDraft = undefined;
      const r = restored?.[0];
      if (r) {
        this.nicResult = r;
        this.toasts.show(r.message, r.ok ? 'success' : 'error');
      }
    } finally {
      if (restoring) {
        this.nicBusy = null;
        await this.refreshInterfaces();
      }
    }
  }

  /** The engine keeps the preference: the tray's Stop and other windows follow it too. */
  async setRestoreOnStop(on: boolean): Promise<void> {
    const before = this.restoreOnStop;
    this.restoreOnStop = on;
    try {
      this.restoreOnStop = (await this.transport.api['nic.options']({ restoreOnStop: on })).restoreOnStop;
    } catch (e) {
      this.restoreOnStop = before;
      this.toasts.show(t('restore.prefFailed', { error: (e as Error).message }), 'error');
    }
  }

  /** Gives the interface the planned static address, running exactly the commands the user was shown. */
  async applyStatic(plan: NicPlan): Promise<void> {
    if (this.nicBusy) return;
    this.nicBusy = 'apply';
    this.nicResult = undefined;
    try {
      const r = await this.transport.api['nic.apply']({ interface: plan.interface, address: plan.address, prefix: plan.prefix, ...(plan.apply ? { expect: plan.apply.commands } : {}) });
      this.nicResult = r;
      this.toasts.show(r.message, r.ok ? 'success' : 'error');
    } catch (e) {
      this.nicResult = undefined;
      this.toasts.show((e as Error).message, 'error');
    } finally {
      this.nicBusy = null;
      await this.refreshInterfaces();
    }
  }

  /**
   * Puts back (or, with `forget`, drops) the saved previous settings of `ifname`. `expect`: the
   * commands the user was shown (nic.restorePlan) — the engine refuses if they changed since.
   */
  async restoreNic(ifname: string, forget = false, expect?: string[]): Promise<void> {
    if (this.nicBusy) return;
    this.nicBusy = 'restore';
    try {
      const results = await this.transport.api['nic.restore']({ interface: ifname, ...(forget ? { forget: true } : {}), ...(expect ? { expect } : {}) });
      const r = results[0];
      if (r) {
        this.nicResult = r;
        this.toasts.show(r.message, r.ok ? 'success' : 'error');
      }
    } catch (e) {
      this.toasts.show((e as Error).message, 'error');
    } finally {
      this.nicBusy = null;
      await this.refreshInterfaces();
    }
  }

  /** "Keep it": the offer to restore this change is not shown again. */
  keepNicChange(saved: NicSavedInfo): void {
    this.keptOffers = [...this.keptOffers, saved.appliedAt].slice(-20);
    savePref('keptOffers', $state.snapshot(this.keptOffers));
  }

  /** The interface list right away (the engine pushes changes only every few seconds). */
  async refreshInterfaces(): Promise<void> {
    try {
      this.interfaces.load(await this.transport.api['interfaces.list']());
    } catch {
      // the next push brings it
    }
  }

  /** Applies edited settings to a running server (stop, then start with the saved draft). The address stays: the start needs it. */
  async restart(): Promise<void> {
    await this.stop({ restore: false });
    if (!this.server.running) await this.start();
  }

  setTab(tab: MainTab): void {
    this.tab = tab;
    savePref('tab', tab);
  }

  toggleSidebar(open = !this.sidebarOpen): void {
    this.sidebarOpen = open;
    savePref('sidebarOpen', open);
  }

  /** Picks the interface to serve on and moves the scope onto its network. */
  selectInterface(name: string): void {
    const nic = this.interfaces.byName(name);
    this.settings.edit((d) => {
      d.interface = name;
      const current = nic?.ipv4.find((a) => !a.dynamic) ?? nic?.ipv4[0];
      // A scope left on another interface's DHCP-given network is nobody's plan for this one.
      const scope = d.subnets?.[0];
      const foreign = this.interfaces.list.some((n) => n.ipv4.some((a) => a.dynamic && networkOf(a.address, a.prefix) === scope?.subnet));
      const plan = current ?? this.planned[name] ?? suggestStaticAddress(nic, foreign ? undefined : scope?.subnet, foreign ? undefined : scope?.range);
      alignScope(d, plan.address, plan.prefix, this.#scopes);
    });
  }

  /** The static address the user intends to give an interface that has none; the scope follows it. */
  setPlan(plan: StaticPlan): void {
    const name = this.settings.draft.interface;
    if (!name) return;
    this.planned = { ...this.planned, [name]: plan };
    savePref('planned', $state.snapshot(this.planned));
    if (isIpv4(plan.address) && plan.prefix >= 8 && plan.prefix <= 30) this.settings.edit((d) => alignScope(d, plan.address, plan.prefix, this.#scopes));
  }

  /** Moves the scope onto the interface's current network (the fix offered when they differ). */
  useInterfaceNetwork(): void {
    const a = this.nic?.ipv4.find((x) => !x.dynamic) ?? this.nic?.ipv4[0];
    if (a) this.settings.edit((d) => alignScope(d, a.address, a.prefix, this.#scopes));
  }

  reserveFromLease(row: LeaseRow): void {
    const hostname = sanitiseHostname(row.hostname);
    this.reservationPrefill = { mac: row.mac, ip: row.ip, ...(hostname ? { hostname } : {}) };
    this.detailsIp = undefined;
    this.toggleSidebar(true);
  }

  showLogFor(mac: string): void {
    this.log.mac = mac;
    this.log.group = 'all';
    this.detailsIp = undefined;
    this.setTab('log');
  }

  async exportLeases(format: 'csv' | 'json'): Promise<void> {
    try {
      const file = await this.transport.api['leases.export']({ format });
      const r = await this.transport.saveFile(file);
      if (r.saved) this.toasts.show(r.where ? t('toast.saved', { where: r.where }) : t('toast.downloaded', { file: file.filename }), 'success');
    } catch (e) {
      this.toasts.show(t('toast.exportFailed', { error: (e as Error).message }), 'error');
    }
  }
}

function prefsScopeMemory(): ScopeMemory {
  return {
    remember(subnet, scope) {
      const all = loadPref<Record<string, DraftSubnet>>('scopes', {});
      all[subnet] = scope;
      // A handful of networks is plenty; keep the most recent ones.
      const keys = Object.keys(all);
      for (const k of keys.slice(0, Math.max(0, keys.length - 8))) delete all[k];
      savePref('scopes', all);
    },
    recall(subnet) {
      return loadPref<Record<string, DraftSubnet>>('scopes', {})[subnet];
    },
  };
}

const KEY = Symbol('pocket-dhcp.app');

export function setApp(app: AppStore): void {
  setContext(KEY, app);
}

export function getApp(): AppStore {
  return getContext<AppStore>(KEY);
}
