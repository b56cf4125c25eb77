// The engine side of the contract, for every transport (Electron IPC, WebSocket): one handler per
// call (typed by the contract's `Handlers`, so a missing one does not compile), a dispatcher that
// is the only way in — call name checked, payload validated, errors turned into data without
// stack traces — and per-connection sessions that hold push events until the renderer says
// `app.ready`.
import type { ServerController } from '../server/controller.js';
import { checkPrivileges, type PrivilegeReport } from '../server/privileges.js';
import { parseMac } from '../dhcp/ip.js';
import type { JournalQuery } from '../devices/journal-types.js';
import {
  isCallName,
  parseRequest,
  type AppInfo,
  type EventName,
  type EventOf,
  type Handlers,
  type LeaseRow,
  type LogEntry,
  type UiLanguage,
  type WireError,
  type WireResult,
} from './contract.js';
import { payloadProblem } from './payload-guard.js';

export interface HandlerExtras {
  appInfo(): AppInfo;
  /** Electron's native save dialog; absent in web mode (the renderer downloads). */
  saveFile?(filename: string, content: string): Promise<{ path: string | null }>;
  /** What serving needs and what is missing; default: this process's own privileges. */
  privileges?(): Promise<PrivilegeReport>;
  /** Electron: restart the engine as the privileged helper. Absent elsewhere. */
  elevate?(): Promise<AppInfo>;
  /** Electron: the window's language, for the tray, notifications and dialogs. Absent elsewhere (accepted, ignored). */
  setLanguage?(language: UiLanguage): void;
}

export function createHandlers(controller: ServerController, extras: HandlerExtras): Handlers {
  return {
    'app.ready': async () => extras.appInfo(),
    'app.info': async () => extras.appInfo(),
    'interfaces.list': () => controller.listInterfaces(),
    'settings.get': async () => controller.getSettings(),
    'settings.save': (req) => controller.saveSettings(req.draft),
    'server.start': (req) => controller.start({ allowForeignNetwork: req?.allowForeignNetwork ?? false, allowOtherServer: req?.allowOtherServer ?? false }),
    'server.stop': (req) => controller.stop(req?.restore !== undefined ? { restore: req.restore } : {}),
    'server.status': async () => controller.status(),
    'leases.list': async () => controller.leaseRows(),
    'leases.export': async (req) => controller.exportLeases(req.format),
    'log.recent': async (req) => controller.recentLog({ ...(req?.limit !== undefined ? { limit: req.limit } : {}), ...(req?.mac !== undefined ? { mac: req.mac } : {}) }),
    'nic.plan': (req) => controller.nicPlan(req),
    'nic.apply': (req) => controller.nicApply(req),
    'nic.restorePlan': (req) => controller.nicRestorePlan(req?.interface !== undefined ? { interface: req.interface } : {}),
    'nic.restore': (req) => controller.nicRestore(req ?? {}),
    'nic.saved': () => controller.nic.saved(),
    'nic.options': (req) => controller.nicOptions(req?.restoreOnStop !== undefined ? { restoreOnStop: req.restoreOnStop } : {}),
    'privileges.check': () => (extras.privileges ? extras.privileges() : checkPrivileges()),
    'engine.elevate': async () => {
      if (!extras.elevate) throw new Error('the engine already runs with the privileges it has; restarting it elevated is only available in the desktop app on Linux');
      return extras.elevate();
    },
    'export.file': async (req) => controller.exportData(req.what, req.format),
    'export.kea': async (req) => controller.exportToKea(req),
    'import.preview': async (req) => controller.importPreview(req),
    'import.apply': (req) => controller.importApply({ text: req.text, ...(req.format ? { format: req.format } : {}), ...(req.filename ? { filename: req.filename } : {}) }, { leases: req.leases, reservations: req.reservations }),
    'devices.timeline': async (req) => controller.deviceTimeline(normalMac(req.mac)),
    'journal.search': (req) => controller.searchJournal(journalQueryOf(req ?? {}, req?.limit ?? 1000)),
    'journal.export': (req) => controller.exportJournal(journalQueryOf(req ?? {})),
    'pool.sweep': (req) => controller.sweepPool(req ?? {}),
    'file.save': async (req) => {
      if (!extras.saveFile) throw new Error('saving through a dialog is only available in the desktop app; the browser downloads the file instead');
      return extras.saveFile(req.filename, req.content);
    },
    'app.language': async (req) => {
      extras.setLanguage?.(req.language);
      return null;
    },
  };
}

/** A MAC in any notation as the colon form the engine uses; a clear error otherwise. */
function normalMac(mac: string): string {
  const m = parseMac(mac);
  if (!m) throw new Error(`"${mac}" is not a MAC address (expected six hex pairs, e.g. aa:bb:cc:dd:ee:ff)`);
  return m;
}

function journalQueryOf(req: { mac?: string; ip?: string; hostname?: string; since?: number; until?: number }, limit?: number): JournalQuery {
  return {
    ...(req.mac ? { mac: normalMac(req.mac) } : {}),
    ...(req.ip ? { ip: req.ip } : {}),
    ...(req.hostname ? { hostname: req.hostname } : {}),
    ...(req.since !== undefined ? { since: req.since } : {}),
    ...(req.until !== undefined ? { until: req.until } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

const MAX_ERROR_MESSAGE = 2000;

/** An error as the renderer may see it: its message only — first line kept whole, no stack. */
export function wireError(e: unknown, code: WireError['code'] = 'failed'): WireError {
  let message = e instanceof Error ? e.message : typeof e === 'string' ? e : 'internal error';
  if (typeof message !== 'string' || message.trim() === '') message = 'internal error';
  // Stack frames never belong in a message; some libraries put them there anyway.
  message = message
    .split('\n')
    .filter((l) => !/^\s+at\s/.test(l))
    .join('\n')
    .trim();
  if (message.length > MAX_ERROR_MESSAGE) message = `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
  return { code, message };
}

export interface DispatcherOptions {
  /** Unexpected failures (with stack) for the main process's own log. */
  onError?: (name: string, error: unknown) => void;
}

export type Dispatch = (name: unknown, payload: unknown) => Promise<WireResult<unknown>>;

/** The one gate between a transport and the handlers. Never rejects. */
export function createDispatcher(handlers: Handlers, opts: DispatcherOptions = {}): Dispatch {
  return async (name, payload) => {
    if (!isCallName(name)) {
      const shown = typeof name === 'string' ? `"${name.slice(0, 64)}"` : typeof name;
      return { ok: false, error: { code: 'unknown-call', message: `unknown call ${shown}` } };
    }
    // Plain data, bounded, no prototype keys — for every call, before its schema (payload-guard.ts).
    const problem = payloadProblem(payload);
    if (problem) return { ok: false, error: { code: 'invalid-request', message: `${name}: the request ${problem}` } };
    // JSON cannot carry `undefined`: over the WebSocket an absent request arrives as null.
    const parsed = parseRequest(name, payload === null ? undefined : payload);
    if (!parsed.ok) return parsed;
    try {
      const handler = handlers[name] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.value);
      return { ok: true, value };
    } catch (e) {
      opts.onError?.(name, e);
      return { ok: false, error: wireError(e) };
    }
  };
}

// ---- sessions: one per window / WebSocket connection ----

export type SendEvent = <E extends EventName>(name: E, payload: EventOf<E>) => void;

type LeasesPayload = EventOf<'leases'>;

/**
 * Push events waiting for `app.ready`, coalesced so the queue stays bounded however long the
 * renderer takes: status/interfaces/settings keep the last payload, lease changes merge into one
 * upsert/remove set per address (the size of the lease table at most), log entries keep the
 * newest `maxLog`.
 */
export class EventQueue {
  private order: EventName[] = [];
  private latest = new Map<EventName, unknown>();
  private leaseUpserts = new Map<string, LeaseRow>();
  private leaseRemoved = new Set<string>();
  private leaseReset = false;
  private log: LogEntry[] = [];

  constructor(private readonly maxLog = 5000) {}

  push<E extends EventName>(name: E, payload: EventOf<E>): void {
    if (!this.order.includes(name)) this.order.push(name);
    if (name === 'leases') {
      const p = payload as LeasesPayload;
      if (p.reset) {
        this.leaseReset = true;
        this.leaseUpserts.clear();
        this.leaseRemoved.clear();
      }
      for (const ip of p.removed) {
        this.leaseUpserts.delete(ip);
        if (!this.leaseReset) this.leaseRemoved.add(ip);
      }
      for (const row of p.upserts) {
        this.leaseRemoved.delete(row.ip);
        this.leaseUpserts.set(row.ip, row);
      }
    } else if (name === 'log') {
      this.log.push(...(payload as LogEntry[]));
      if (this.log.length > this.maxLog) this.log = this.log.slice(-this.maxLog);
    } else {
      this.latest.set(name, payload);
    }
  }

  get size(): number {
    return this.order.length;
  }

  /** The coalesced events in first-arrival order; empties the queue. */
  drain(): Array<{ name: EventName; payload: unknown }> {
    const out: Array<{ name: EventName; payload: unknown }> = [];
    for (const name of this.order) {
      if (name === 'leases') {
        out.push({ name, payload: { upserts: [...this.leaseUpserts.values()], removed: [...this.leaseRemoved], ...(this.leaseReset ? { reset: true } : {}) } });
      } else if (name === 'log') {
        out.push({ name, payload: this.log });
      } else {
        out.push({ name, payload: this.latest.get(name) });
      }
    }
    this.order = [];
    this.latest.clear();
    this.leaseUpserts = new Map();
    this.leaseRemoved = new Set();
    this.leaseReset = false;
    this.log = [];
    return out;
  }
}

export interface Session {
  /** Handles one call from this connection (app.ready releases the queued events after its result). */
  dispatch: Dispatch;
  /** A push event for this connection: delivered at once after app.ready, queued before. */
  push: SendEvent;
  /** Back to "not ready" (the window reloaded): events queue again until the next app.ready. */
  reset(): void;
  readonly ready: boolean;
}

/**
 * A connection's view of the dispatcher. `send` delivers an event on the transport;
 * `schedule` runs the queued-event flush after the app.ready result has been handed back
 * (default: setImmediate), so the renderer gets its AppInfo first.
 */
export function createSession(dispatch: Dispatch, send: SendEvent, schedule: (fn: () => void) => void = (fn) => void setImmediate(fn)): Session {
  const queue = new EventQueue();
  let ready = false;
  let generation = 0;
  const session: Session = {
    async dispatch(name, payload) {
      const result = await dispatch(name, payload);
      if (name === 'app.ready' && result.ok && !ready) {
        const gen = generation;
        schedule(() => {
          if (gen !== generation || ready) return;
          ready = true;
          for (const e of queue.drain()) send(e.name, e.payload as EventOf<typeof e.name>);
        });
      }
      return result;
    },
    push(name, payload) {
      if (ready) send(name, payload);
      else queue.push(name, payload);
    },
    reset() {
      generation++;
      ready = false;
    },
    get ready() {
      return ready;
    },
  };
  return session;
}
