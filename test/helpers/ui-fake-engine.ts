// The fake engine behind the renderer browser tests (test/unit/renderer/ui-browser*.test.ts): the
// real web-mode server (startWebServer) dispatches the contract to these handlers, which record what
// the renderer sends and push what a test asks. No root and no network namespace needed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppInfo, ConfigDraft, EventName, EventOf, Handlers, LeaseRow, LogEntry, NicOptions, NicRestorePlan, NicSavedInfo, PrivilegeReport, ServerStatus } from '../../src-main/ipc/contract.js';
import { stopRestoreTarget } from '../../src-main/net/nic-options.js';
import type { Lease } from '../../src-main/dhcp/lease.js';
import { planImport, previewImport } from '../../src-main/portability/service.js';
import type { NetInterface } from '../../src-main/net/interfaces.js';
import { ConfigError, parseConfig } from '../../src-main/config/schema.js';
import { intToIp, ipToInt } from '../../src-main/dhcp/ip.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RENDERER = resolve('out/renderer');
/** Why the browser tests cannot run here, or undefined. */
export const browserSkip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : !existsSync(resolve(RENDERER, 'index.html')) ? 'out/renderer is not built (npm run build)' : undefined;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const T0 = Date.now();

export function nic(name: string, ipv4: NetInterface['ipv4'], mac: string): NetInterface {
  return { name, index: 2, mac, ipv4, adminUp: true, up: true, loopback: false, virtual: false, wireless: name.startsWith('wl'), kind: undefined, source: 'ip' };
}

export function leaseRows(n: number): LeaseRow[] {
  const base = ipToInt('10.20.0.10');
  return Array.from({ length: n }, (_, i) => {
    const mac = `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    return {
      ip: intToIp(base + i),
      mac,
      clientId: `01:${mac}`,
      state: 'bound',
      subnet: '10.20.0.0/16',
      startsAt: T0 - 60_000,
      expiresAt: T0 + 3_600_000 - i,
      firstSeen: T0 - 60_000,
      lastSeen: T0 - i,
      ...(i % 10 === 0 ? { hostname: `node-${i}` } : {}),
    } satisfies LeaseRow;
  });
}

export const STOPPED: ServerStatus = { state: 'stopped', counters: { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 }, pools: [], exhausted: false };

/** Just enough engine for the UI: records what the renderer sends, pushes what a test asks. */
export class FakeEngine {
  interfaces = [nic('eth1', [], '02:aa:00:00:00:01'), nic('lab0', [{ address: '10.20.0.1', prefix: 16, dynamic: false }], '02:aa:00:00:00:02'), nic('wlan0', [{ address: '192.168.1.40', prefix: 24, dynamic: true }], '02:aa:00:00:00:03')];
  draft: ConfigDraft = {};
  saves: ConfigDraft[] = [];
  starts: unknown[] = [];
  status: ServerStatus = STOPPED;
  leases = leaseRows(10_000);
  log: LogEntry[] = [];
  /** What the next server.start answers. */
  nextStart: (s: ServerStatus) => ServerStatus = (s) => ({ ...s, state: 'running', interface: 'lab0', serverId: '10.20.0.1', prefix: 16, startedAt: Date.now() });
  private listeners = new Set<(e: { name: EventName; payload: unknown }) => void>();
  /** Static address and privileges (nic.*, privileges.check). */
  canApply = true;
  applies: unknown[] = [];
  restores: unknown[] = [];
  nicSaved: NicSavedInfo[] = [];
  /** The engine-side preferences (nic.options); server.stop follows them with the real rule (net/nic-options.ts). */
  nicOptions: NicOptions = { restoreOnStop: true };
  stops: unknown[] = [];
  /** Desktop-only flows: app.info overrides (mode 'electron', canElevate) and engine.elevate calls. */
  appInfo: Partial<AppInfo> = {};
  elevations = 0;
  privileges: PrivilegeReport = { platform: 'linux', canServe: true, canConfigureNic: true, problems: [], fixes: [], summary: 'Pocket DHCP has the privileges it needs.' };

  subscribe = (l: (e: { name: EventName; payload: unknown }) => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };

  push<E extends EventName>(name: E, payload: EventOf<E>): void {
    for (const l of this.listeners) l({ name, payload });
  }

  problems(draft: ConfigDraft) {
    try {
      parseConfig(draft);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  }

  handlers: Handlers = {
    'app.ready': async () => this.info(),
    'app.info': async () => this.info(),
    'interfaces.list': async () => this.interfaces,
    'settings.get': async () => ({ draft: this.draft, problems: this.problems(this.draft) }),
    'settings.save': async ({ draft }) => {
      this.draft = draft;
      this.saves.push(structuredClone(draft));
      return { draft, problems: this.problems(draft) };
    },
    'server.start': async (req) => {
      this.starts.push(req ?? null);
      this.status = this.nextStart(this.status);
      return this.status;
    },
    'server.stop': async (req) => {
      this.stops.push(req ?? null);
      const served = this.status.interface;
      this.status = STOPPED;
      const target = stopRestoreTarget({ served, saved: this.nicSaved, restoreOnStop: this.nicOptions.restoreOnStop, override: req?.restore });
      return target ? { ...this.status, restored: await this.handlers['nic.restore']({ interface: target }) } : this.status;
    },
    'server.status': async () => this.status,
    'leases.list': async () => this.leases,
    'leases.export': async ({ format }) => ({ filename: `leases.${format}`, mime: format === 'csv' ? 'text/csv' : 'application/json', content: format === 'csv' ? 'ip,mac\n10.20.0.10,02:00:00:00:00:00\n' : '[]' }),
    'log.recent': async () => this.log,
    'nic.plan': async (r) => ({
      interface: r.interface,
      address: r.address,
      prefix: r.prefix,
      commands: [`sudo ip addr add ${r.address}/${r.prefix} dev ${r.interface}`, `sudo ip link set ${r.interface} up`],
      note: 'Undo with ip addr del.',
      apply: {
        method: 'ip',
        elevation: 'none',
        available: this.canApply,
        ...(this.canApply ? {} : { reason: 'This Pocket DHCP runs without the right to change network settings.' }),
        commands: [`ip addr add ${r.address}/${r.prefix} dev ${r.interface}`, `ip link set ${r.interface} up`],
        steps: [
          { command: `ip addr add ${r.address}/${r.prefix} dev ${r.interface}`, why: `gives ${r.interface} the address` },
          { command: `ip link set ${r.interface} up`, why: `enables ${r.interface}` },
        ],
        restore: [`ip addr del ${r.address}/${r.prefix} dev ${r.interface}`],
        current: 'no IPv4 address, disabled',
      },
    }),
    // Static address: applied to the fake's interface list, so the UI sees the address appear.
    'nic.apply': async (r) => {
      this.applies.push(structuredClone(r));
      const nic = this.interfaces.find((n) => n.name === r.interface)!;
      this.interfaces = this.interfaces.map((n) => (n === nic ? { ...n, ipv4: [{ address: r.address, prefix: r.prefix, dynamic: false }] } : n));
      this.nicSaved = [{ interface: r.interface, address: r.address, prefix: r.prefix, method: 'ip', appliedAt: Date.now(), by: 'web', complete: true, previous: 'no IPv4 address, disabled' }];
      this.push('nic', this.nicSaved);
      return { ok: true, action: 'apply', interface: r.interface, address: r.address, prefix: r.prefix, method: 'ip', commands: r.expect ?? [], steps: (r.expect ?? []).map((command) => ({ command, why: '', code: 0, ok: true })), verified: true, now: `${r.address}/${r.prefix}, enabled`, message: `${r.interface} now has ${r.address}/${r.prefix}.`, saved: true };
    },
    'nic.restorePlan': async (r) => this.restorePlan(r?.interface),
    'nic.restore': async (r) => {
      this.restores.push(structuredClone(r ?? {}));
      if (r?.expect && JSON.stringify(r.expect) !== JSON.stringify(this.restorePlan(r.interface).commands)) throw new Error(`${r.interface} changed since the restore commands were shown — review them again, then restore.`);
      const done = this.nicSaved.filter((x) => !r?.interface || x.interface === r.interface);
      this.interfaces = this.interfaces.map((n) => (done.some((d) => d.interface === n.name) ? { ...n, ipv4: [] } : n));
      this.nicSaved = this.nicSaved.filter((x) => !done.includes(x));
      this.push('nic', this.nicSaved);
      return done.map((d) => ({ ok: true, action: r?.forget ? ('forget' as const) : ('restore' as const), interface: d.interface, address: d.address, prefix: d.prefix, method: 'ip' as const, commands: [`ip addr del ${d.address}/${d.prefix} dev ${d.interface}`], steps: [], verified: true, message: `${d.interface} is back to ${d.previous}.`, saved: false }));
    },
    'nic.saved': async () => this.nicSaved,
    'nic.options': async (r) => {
      if (r?.restoreOnStop !== undefined) {
        this.nicOptions = { restoreOnStop: r.restoreOnStop };
        this.push('nicOptions', this.nicOptions);
      }
      return this.nicOptions;
    },
    'privileges.check': async () => this.privileges,
    'engine.elevate': async () => {
      if (!this.appInfo.canElevate) throw new Error('only in the desktop app');
      this.elevations++;
      this.privileges = { ...this.privileges, canServe: true, viaHelper: true };
      return this.info();
    },
    'export.file': async ({ what, format }) => ({ filename: `${what}.${format}`, mime: 'text/plain', content: format === 'csv' ? 'ip,mac\n10.20.0.10,02:00:00:00:00:00\n' : '[]' }),
    'export.kea': async () => ({ files: [{ filename: 'kea-dhcp4.conf', mime: 'application/json', content: '{}' }, { filename: 'kea-leases4.csv', mime: 'text/csv', content: '' }], notes: [] }),
    // The real preview and plan (portability/service.ts) over the fake's draft and leases.
    'import.preview': async (req) => previewImport(req, this.draft, this.stored(), Date.now()),
    'import.apply': async (req) => {
      const { plan } = planImport(req, { leases: req.leases, reservations: req.reservations }, this.draft, this.stored(), Date.now());
      if (plan.reservations) this.draft = { ...this.draft, reservations: plan.reservations };
      this.saves.push(structuredClone(this.draft));
      return { added: plan.added, replaced: plan.replaced, skipped: plan.skipped, applied: plan.leases.length, restartNeeded: false, settings: { draft: this.draft, problems: this.problems(this.draft) } };
    },
    'devices.timeline': async (req) => ({ mac: req.mac, entries: [], hints: [], identity: {}, truncated: false }),
    'journal.search': async () => ({ entries: [], omitted: 0, unreadable: 0 }),
    'journal.export': async () => ({ filename: 'journal.csv', mime: 'text/csv', content: '' }),
    'pool.sweep': async () => ({ interface: 'eth1', range: '198.18.10.100-198.18.10.110', probed: 11, durationMs: 1200, ratePerSecond: 50, hits: [] }),
    'file.save': async () => ({ path: null }),
    'app.language': async () => null,
  };

  private stored(): Lease[] {
    return this.leases.filter((l) => l.state !== 'offered') as Lease[];
  }

  private restorePlan(ifname: string | undefined): NicRestorePlan {
    const saved = this.nicSaved.filter((x) => ifname === undefined || x.interface === ifname);
    const steps = saved.map((d) => ({ interface: d.interface, command: `ip addr del ${d.address}/${d.prefix} dev ${d.interface}`, why: `removes ${d.address}/${d.prefix} from ${d.interface}` }));
    return { interfaces: saved.map((d) => d.interface), elevation: 'none', available: this.canApply, commands: steps.map((s) => s.command), steps };
  }

  private info(): AppInfo {
    return { version: 'test', mode: 'web', platform: 'linux', dataDir: '/tmp/x', nativeSave: false, canApplyStaticAddress: this.canApply, ...this.appInfo };
  }
}
