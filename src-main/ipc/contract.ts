// THE API contract between the engine side (Electron main, or headless web mode) and the renderer.
// Every call and every push event is listed here once, with its request schema (validated at
// runtime on the engine side: never trust the renderer) and its response/payload type. Main
// registers one handler per call (a missing one is a compile error, see `Handlers`), the preload
// derives its invokers from `CALL_NAMES`, and the renderer's `window.api` type is derived from this
// file. The renderer imports this module too (zod and types only — no Node APIs here).
import { z } from 'zod';
import type { ConflictCheckStatus, Counters } from '../server/dhcp-service.js';
import type { PoolSweepResult } from '../server/pool-sweep.js';
import type { Lease, LeaseState } from '../dhcp/lease.js';
import { DROP_REASONS, type DropReason } from '../dhcp/events.js';
import type { NetInterface } from '../net/interfaces.js';
import type { ConfigProblem } from '../config/schema.js';
import type { NicChangeResult } from '../net/nic-change.js';
import type { PrivilegeReport } from '../server/privileges.js';
import { CALL_NAME_LIST, EVENT_NAME_LIST } from './names.js';
import { FORMAT_IDS, WHATS } from '../portability/registry.js';
import type { ImportPreview } from '../portability/preview.js';
import type { TextCode } from '../portability/model.js';
import type { SkippedRow } from '../portability/apply.js';
import type { DeviceIdentity } from '../devices/identity.js';
import type { DeviceTimeline } from '../devices/timeline-types.js';
import type { JournalQuery, JournalResult } from '../devices/journal-types.js';

/** Phantom type carrier for response and event payload types (no runtime value). */
function type<T>(): T {
  return undefined as T;
}

// ---- shared payload types ------------------------------------------------------------------

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web';
  platform: NodeJS.Platform;
  dataDir: string;
  /** Electron: native save dialog via `file.save`; web: the renderer downloads. */
  nativeSave: boolean;
  /** Applying a static address from the UI (elevated) is available. */
  canApplyStaticAddress: boolean;
  /**
   * Where the engine runs: in this process, or (Electron on Linux without the privileges to
   * serve) in the privileged helper started through pkexec. Absent = in-process.
   */
  engine?: 'in-process' | 'helper';
  /** Electron: the engine can be restarted as the privileged helper (`engine.elevate`). */
  canElevate?: boolean;
}

/** The UI languages (the renderer's catalogs, src-renderer/src/i18n): the window tells main which it shows. */
export const UI_LANGUAGES = ['en', 'ko'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The user's configuration as edited in the UI: the CLI's config-file shape, possibly incomplete. */
export type ConfigDraft = Record<string, unknown>;

export interface SettingsState {
  draft: ConfigDraft;
  /** Empty when the draft is a valid configuration (server address checks happen at start). */
  problems: ConfigProblem[];
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'interface-lost' | 'stopping';

export interface PoolUsage {
  subnet: string;
  range: string;
  size: number;
  bound: number;
  offered: number;
  declined: number;
  free: number;
}

export interface ServerError {
  /** 'config' | 'interface' | 'no-ipv4' | 'foreign-network' | 'port-busy' | 'privileges' | 'store' | … */
  code: string;
  /** What happened, and what to do about it — shown to the user as is. */
  message: string;
  /** Config field the problem belongs to, when it is a configuration problem. */
  field?: string;
  /**
   * Which sentence of `code` the message is, and the values it was built from (interface, address,
   * the process holding port 67, the command to run …), so the UI can word it in its language
   * (src-renderer/src/lib/errors.ts). Absent: only the English message exists.
   */
  variant?: string;
  params?: Record<string, string | number>;
  /** A configuration refusal's first problem with its code and values, so the UI words it too. */
  problem?: ConfigProblem;
}

export interface ServerStatus {
  state: ServerState;
  interface?: string;
  serverId?: string;
  prefix?: number;
  /** Epoch ms when serving started. */
  startedAt?: number;
  counters: Counters;
  pools: PoolUsage[];
  /** Some pool had no address for a client recently: clients fall back to APIPA (169.254/16). */
  exhausted: boolean;
  /** The last start refusal or failure, until the next successful start. */
  error?: ServerError;
  /** ARP conflict check while serving: on / off / unavailable (with the reason). */
  conflictCheck?: ConflictCheckStatus;
  /** While starting: the check for other DHCP servers in progress (listening for `timeoutMs` from `startedAt`). */
  probe?: { interface: string; timeoutMs: number; startedAt: number };
  /** While serving: replies of other DHCP servers overheard (all), reported as warnings (rate-limited), and who sent them. */
  otherServers?: { replies: number; reported: number; servers: string[] };
}

export type { ConflictCheckStatus, PoolSweepResult };

/** A row of the lease table: a stored lease, or an address merely offered (memory only), with the device's identity. */
export interface LeaseRow extends Omit<Lease, 'state'>, DeviceIdentity {
  state: LeaseState;
}

export type LogKind = 'in' | 'out' | 'offer' | 'ack' | 'nak' | 'decline' | 'release' | 'inform' | 'expire' | 'drop' | 'pool-exhausted' | 'warning' | 'state' | 'foreign-server' | 'conflict';

// A log line's words as a code and the values they were built from (server/event-format.ts
// eventLine builds both this and the English text), so the UI can word the line in its own
// language (renderer: lib/log-line.ts). Params are a few short strings: the log ring holds 5,000.
const logText = z.string().max(2048);
const logMac = z.string().max(64);
const logIp = z.string().max(64);
const requestState = z.enum(['selecting', 'init-reboot', 'renewing', 'rebinding']);
const addressPair = z.strictObject({ ip: logIp, mac: logMac });
/** Another DHCP server: its id, its MAC or why that is unknown (net/server-mac.ts), the client it answered. */
const foreign = { serverId: logIp.optional(), serverMac: logMac.optional(), serverMacUnknown: z.enum(['no-privilege', 'no-answer', 'unsupported', 'error']).optional(), mac: logMac };
/** What its OFFER/ACK told of its range (the watcher's reports only). */
const foreignRange = { network: z.string().max(64).optional(), router: logIp.optional() };
const packet = z.strictObject({ type: z.string().max(32), mac: logMac, xid: z.string().max(16), ip: logIp.optional(), peer: z.string().max(64), size: z.string().max(8) });

export const LogMessageSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('state'), params: z.strictObject({ state: z.enum(['running', 'interface-lost', 'stopped']), detail: logText.optional() }) }),
  z.strictObject({ code: z.literal('packet-in'), params: packet }),
  z.strictObject({ code: z.literal('packet-out'), params: packet }),
  z.strictObject({
    code: z.literal('offer'),
    params: z.strictObject({ ip: logIp, mac: logMac, hostname: z.string().max(256).optional(), source: z.enum(['reservation', 'previous', 'requested', 'stable', 'first-free', 'reuse']) }),
  }),
  /** expiresIn: seconds from the ACK; absent = never. */
  z.strictObject({ code: z.literal('ack'), params: z.strictObject({ ip: logIp, mac: logMac, hostname: z.string().max(256).optional(), state: requestState, expiresIn: z.string().max(16).optional() }) }),
  /** reason: the engine's English sentence (also sent to the client in option 56). */
  z.strictObject({ code: z.literal('nak'), params: z.strictObject({ mac: logMac, ip: logIp.optional(), reason: logText, state: requestState }) }),
  /** until: ISO time. */
  z.strictObject({ code: z.literal('decline'), params: z.strictObject({ ip: logIp, mac: logMac, until: z.string().max(32) }) }),
  z.strictObject({ code: z.literal('release'), params: addressPair }),
  z.strictObject({ code: z.literal('inform'), params: addressPair }),
  z.strictObject({ code: z.literal('expire'), params: addressPair }),
  z.strictObject({ code: z.literal('pool-exhausted'), params: z.strictObject({ subnet: z.string().max(64), mac: logMac }) }),
  z.strictObject({ code: z.literal('offer-evicted'), params: addressPair }),
  z.strictObject({ code: z.literal('foreign-offer'), params: z.strictObject({ ...foreign, ...foreignRange, ip: logIp }) }),
  z.strictObject({ code: z.literal('foreign-ack'), params: z.strictObject({ ...foreign, ...foreignRange, ip: logIp }) }),
  z.strictObject({ code: z.literal('foreign-nak'), params: z.strictObject(foreign) }),
  z.strictObject({ code: z.literal('foreign-reply'), params: z.strictObject(foreign) }),
  z.strictObject({ code: z.literal('conflict-declined'), params: z.strictObject({ ip: logIp, mac: logMac, inUseBy: logMac }) }),
  z.strictObject({ code: z.literal('conflict-unanswered'), params: addressPair }),
  z.strictObject({ code: z.literal('conflict-probe'), params: z.strictObject({ ip: logIp, mac: logMac, inUseBy: logMac.optional(), until: z.string().max(32).optional() }) }),
  /** detail: the engine's English (a decoder message, a count). */
  z.strictObject({ code: z.literal('drop'), params: z.strictObject({ reason: z.enum(Object.keys(DROP_REASONS) as [DropReason, ...DropReason[]]), mac: logMac.optional(), detail: logText.optional() }) }),
]);
export type LogMessage = z.infer<typeof LogMessageSchema>;
export type LogMessageCode = LogMessage['code'];

export interface LogEntry {
  /** Monotonic per process; the renderer dedupes by it. */
  id: number;
  at: number;
  level: 'info' | 'warn' | 'error';
  kind: LogKind;
  mac?: string;
  ip?: string;
  /** Drop reason key (DROP_REASONS) when kind = 'drop'. */
  reason?: string;
  /** The line in English (what the CLI prints) — shown as is in English, and searched. */
  text: string;
  /** The line's code and values, for other languages; absent = only `text` (warnings, controller notes). */
  msg?: LogMessage;
}

export interface ExportFile {
  filename: string;
  mime: string;
  content: string;
}

export type { ImportPreview };

/** What an import did (import.apply). */
export interface ImportResult {
  added: { reservations: number; leases: number };
  replaced: { reservations: number; leases: number };
  /** Rows asked for but refused (a blocking conflict that appeared meanwhile). */
  skipped: SkippedRow[];
  applied: number;
  /** Reservations changed while serving: they take effect at the next start. */
  restartNeeded: boolean;
  settings: SettingsState;
}

export interface NicPlan {
  interface: string;
  address: string;
  prefix: number;
  /** The exact commands this OS would run, as a user types them in a terminal (shown before anything is applied). */
  commands: string[];
  /** Free text: what the commands do, and how to undo them. */
  note: string;
  /** How Pocket DHCP itself would apply it (nic.apply), computed from the interface as it is now. */
  apply?: NicApplyPreview;
}

export interface NicApplyPreview {
  method: 'ip' | 'nmcli' | 'networksetup' | 'netsh';
  /** 'none': this process may change the network itself; otherwise the administrator prompt used. */
  elevation: 'none' | 'pkexec' | 'osascript' | 'uac';
  /** Pocket DHCP can apply it from here; when false, `reason` says why and what to do instead. */
  available: boolean;
  reason?: string;
  /** The exact command line(s) that will run, elevation included. Pass them back as nic.apply's `expect`. */
  commands: string[];
  /** The system commands that change the interface, each with what it does. */
  steps: { command: string; why: string }[];
  /** The commands that put the previous configuration back. */
  restore: string[];
  /** What the interface has now, in one line. */
  current?: string;
}

/** A saved "before" of an interface Pocket DHCP changed (nic-state.json), as the UI shows it. */
export interface NicSavedInfo {
  interface: string;
  address: string;
  prefix: number;
  method: NicApplyPreview['method'];
  /** Epoch ms. */
  appliedAt: number;
  by: 'app' | 'cli' | 'helper' | 'web';
  /** False: the change was interrupted halfway. */
  complete: boolean;
  /** What the interface had before, in one line. */
  previous: string;
}

/** What nic.restore would run now, shown before it runs (pass `commands` back as nic.restore's `expect`). */
export interface NicRestorePlan {
  /** The interfaces whose saved "before" this restore puts back. */
  interfaces: string[];
  /** 'none': this process may change the network itself; otherwise the administrator prompt used. */
  elevation: NicApplyPreview['elevation'];
  /** Pocket DHCP can restore from here; when false, `reason` says why and what to do instead. */
  available: boolean;
  reason?: string;
  /** The exact command line(s) that will run, elevation included (empty: nothing needs to run). */
  commands: string[];
  /** The system commands that put the previous settings back, each with what it does. */
  steps: { interface: string; command: string; why: string }[];
}

/** The static-address feature's preferences, kept by the engine (<dataDir>/nic-options.json). */
export interface NicOptions {
  /** Stopping the server (window, tray, web page) restores the served interface when Pocket DHCP set its address. */
  restoreOnStop: boolean;
}

/** server.stop's answer: the status, plus what restoring the served interface did when the stop restored it. */
export type StopResult = ServerStatus & { restored?: NicChangeResult[] };

export type { NicChangeResult, PrivilegeReport };

/** The engine behind the window changed (Electron: in-process ↔ privileged helper): load everything again. */
export interface EngineChange {
  engine: 'in-process' | 'helper';
  /** Why it changed when it was not asked for (the helper exited). */
  message?: string;
}

// ---- request schemas -------------------------------------------------------------------------

// Linux/macOS names are ≤ 15 bytes without spaces; Windows uses connection names such as
// "Ethernet 2" (spaces, up to 256). Quotes, $, backslash and control characters never occur in a
// real name and could break out of a command line, so they are refused here and in nic-plan.ts.
const ifname = z.string().min(1).max(256).regex(/^[^"'`$\\\u0000-\u001f\u007f/;|&<>!]+$/, 'is not an interface name');
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'is not an IPv4 address');
const none = z.undefined().or(z.null()).or(z.object({}).strict()).optional();

/**
 * A config draft: any JSON object, bounded in size and free of prototype-pollution keys. The keys
 * are checked on the input, before z.record copies it: the copy assigns `__proto__` as a
 * prototype instead of a key, so a check on the output would never see it. Typed as an object on
 * both sides (z.unknown() is only the entry point of the check).
 */
export const ConfigDraftSchema = z
  .unknown()
  .superRefine((v, ctx) => {
    let size = 0;
    try {
      size = JSON.stringify(v).length;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not plain JSON' });
      return;
    }
    if (size > 512 * 1024) ctx.addIssue({ code: 'custom', message: `is ${size} bytes; the limit is 512 KiB` });
    const bad = findForbiddenKey(v, 0);
    if (bad) ctx.addIssue({ code: 'custom', message: bad });
  })
  .pipe(z.record(z.string().max(64), z.unknown())) as unknown as z.ZodType<Record<string, unknown>, Record<string, unknown>>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function findForbiddenKey(v: unknown, depth: number): string | undefined {
  if (depth > 16) return 'is nested too deeply';
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = findForbiddenKey(x, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) return `contains the forbidden key "${k}"`;
      const r = findForbiddenKey((v as Record<string, unknown>)[k], depth + 1);
      if (r) return r;
    }
  }
  return undefined;
}

// ---- import / export (formats: portability/registry.ts) ----

const MAX_IMPORT = 16 * 1024 * 1024;
const importText = {
  text: z.string().max(MAX_IMPORT, 'is larger than 16 MiB'),
  format: z.enum(['auto', ...FORMAT_IDS]).optional(),
  filename: z.string().max(255).optional(),
};
const rowIds = z.array(z.number().int().min(0).max(10_000_000)).max(1_000_000);
const haPeer = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be letters, digits, "_", "." or "-"'), url: z.string().max(256).regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, 'must be a URL like http://198.18.0.1:8000/') }).strict();
const macText = z.string().min(1).max(64).regex(/^[0-9A-Fa-f:.-]+$/, 'is not a MAC address');
/** Journal search (src-main/devices/journal.ts); times are epoch ms. */
const journalQuery = {
  mac: macText.optional(),
  ip: ipv4.optional(),
  hostname: z.string().max(255).optional(),
  since: z.number().int().min(0).max(8.64e15).optional(),
  until: z.number().int().min(0).max(8.64e15).optional(),
};
const absPath = z.string().min(2).max(1024).regex(/^\/[^\u0000-\u001f]*$/, 'must be an absolute path on the Kea machine');

// ---- the contract ----------------------------------------------------------------------------

export const CALLS = {
  /** The renderer is mounted: push events queued until now are delivered. */
  'app.ready': { request: none, response: type<AppInfo>() },
  'app.info': { request: none, response: type<AppInfo>() },
  'interfaces.list': { request: none, response: type<NetInterface[]>() },
  'settings.get': { request: none, response: type<SettingsState>() },
  /** Saves the draft (even when invalid, so nothing typed is lost) and returns its problems. */
  'settings.save': { request: z.object({ draft: ConfigDraftSchema }).strict(), response: type<SettingsState>() },
  /** Starts serving with the saved draft. Refusals come back as `status.error`, not as exceptions. */
  'server.start': { request: z.object({ allowForeignNetwork: z.boolean().optional(), allowOtherServer: z.boolean().optional() }).strict().optional(), response: type<ServerStatus>() },
  /**
   * Stops serving. Then, when Pocket DHCP set the served interface's address, puts back its previous
   * settings if `restore` says so — absent: the restore-on-stop preference (nic.options) decides.
   */
  'server.stop': { request: z.object({ restore: z.boolean().optional() }).strict().nullish(), response: type<StopResult>() },
  'server.status': { request: none, response: type<ServerStatus>() },
  /** Every lease record plus live offers. */
  'leases.list': { request: none, response: type<LeaseRow[]>() },
  'leases.export': { request: z.object({ format: z.enum(['csv', 'json']) }).strict(), response: type<ExportFile>() },
  'log.recent': {
    request: z.object({ limit: z.number().int().min(1).max(10_000).optional(), mac: z.string().max(64).optional() }).strict().optional(),
    response: type<LogEntry[]>(),
  },
  /** The exact OS command(s) that would give `interface` a static address, and how nic.apply would run them. */
  'nic.plan': { request: z.object({ interface: ifname, address: ipv4, prefix: z.number().int().min(8).max(30) }).strict(), response: type<NicPlan>() },
  /**
   * Gives `interface` the static address (elevated where needed), saving what it had first.
   * `expect`: the commands the user was shown (NicApplyPreview.commands); refused if they changed.
   */
  'nic.apply': {
    request: z.object({ interface: ifname, address: ipv4, prefix: z.number().int().min(8).max(30), expect: z.array(z.string().max(4096)).max(16).optional() }).strict(),
    response: type<NicChangeResult>(),
  },
  /** The exact command(s) nic.restore would run now (all saved interfaces, or `interface`'s). Changes nothing. */
  'nic.restorePlan': { request: z.object({ interface: ifname.optional() }).strict().nullish(), response: type<NicRestorePlan>() },
  /**
   * Puts back what interfaces had before (all saved ones, or `interface`'s); `forget` drops the record without running anything.
   * `expect`: the commands the user was shown (NicRestorePlan.commands); refused if they changed.
   */
  'nic.restore': {
    request: z.object({ interface: ifname.optional(), forget: z.boolean().optional(), expect: z.array(z.string().max(4096)).max(16).optional() }).strict().optional(),
    response: type<NicChangeResult[]>(),
  },
  /** The static-address preferences; with a field given, changes it (other windows get a `nicOptions` event). */
  'nic.options': { request: z.object({ restoreOnStop: z.boolean().optional() }).strict().nullish(), response: type<NicOptions>() },
  /** Saved "before" records: non-empty at start means the last session did not restore (the UI offers to). */
  'nic.saved': { request: none, response: type<NicSavedInfo[]>() },
  /** What is missing to serve (port 67, device binding, firewall) and how to fix it. */
  'privileges.check': { request: none, response: type<PrivilegeReport>() },
  /** Electron on Linux: restart the engine as the privileged helper (pkexec asks for the password). */
  'engine.elevate': { request: none, response: type<AppInfo>() },
  /** Leases or reservations (the saved draft) in another tool's format. */
  'export.file': { request: z.object({ what: z.enum(WHATS), format: z.enum(FORMAT_IDS) }).strict(), response: type<ExportFile>() },
  /** "Export to Kea": kea-dhcp4.conf and the lease file it loads, optionally with High Availability. */
  'export.kea': {
    request: z
      .object({
        interface: ifname.optional(),
        leaseFile: absPath.optional(),
        hooksDir: absPath.optional(),
        ha: z.object({ mode: z.enum(['load-balancing', 'hot-standby']), thisServer: haPeer.shape.name, peers: z.tuple([haPeer, haPeer]) }).strict().optional(),
      })
      .strict(),
    response: type<{ files: ExportFile[]; notes: string[]; /** notes[i]'s code and values for the UI's language (kea.note.<code>). */ noteCodes?: (TextCode | null)[] }>(),
  },
  /** Parses a file and shows what importing it would change, with conflicts; changes nothing. */
  'import.preview': { request: z.object(importText).strict(), response: type<ImportPreview>() },
  /** Applies the chosen rows (ids from the preview), decided again on the engine side. */
  'import.apply': { request: z.object({ ...importText, leases: rowIds, reservations: rowIds }).strict(), response: type<ImportResult>() },
  /** One device's DISCOVER/OFFER/REQUEST/ACK history with timings, stall hints and identity. */
  'devices.timeline': { request: z.object({ mac: macText }).strict(), response: type<DeviceTimeline>() },
  /** The lease journal (who had which address when), newest `limit` matches (default 1,000). */
  'journal.search': { request: z.object({ ...journalQuery, limit: z.number().int().min(1).max(100_000).optional() }).strict().optional(), response: type<JournalResult>() },
  /** Every journal entry matching the filter, as CSV. */
  'journal.export': { request: z.object(journalQuery).strict().optional(), response: type<ExportFile>() },
  /** Electron only (AppInfo.nativeSave): native save dialog; resolves with the path or null if cancelled. */
  /** ARP-probes every address of the range (default: the configured interface and first range) and lists those in use. */
  'pool.sweep': {
    request: z.object({ interface: ifname.optional(), range: z.string().max(64).regex(/^\s*\d{1,3}(\.\d{1,3}){3}\s*-\s*\d{1,3}(\.\d{1,3}){3}\s*$/, 'must look like 198.18.10.100-198.18.10.200').optional() }).strict().optional(),
    response: type<PoolSweepResult>(),
  },
  'file.save': { request: z.object({ filename: z.string().min(1).max(255), content: z.string().max(64 * 1024 * 1024) }).strict(), response: type<{ path: string | null }>() },
  /** The language the window shows, whenever it changes: Electron words the tray, notifications and dialogs in it; web mode accepts and ignores it. */
  'app.language': { request: z.object({ language: z.enum(UI_LANGUAGES) }).strict(), response: type<null>() },
} as const;

export const EVENTS = {
  /** On every state change, and at most twice a second while counters move. */
  status: type<ServerStatus>(),
  /** Lease changes, batched (at most ~4 per second). `reset` replaces the whole table. */
  leases: type<{ upserts: LeaseRow[]; removed: string[]; reset?: boolean }>(),
  /** New log entries, batched. */
  log: type<LogEntry[]>(),
  interfaces: type<NetInterface[]>(),
  /** The saved draft changed (another window or tab saved it). */
  settings: type<SettingsState>(),
  /** The saved "before" records changed (an address was applied or restored). */
  nic: type<NicSavedInfo[]>(),
  /** The static-address preferences changed (nic.options). */
  nicOptions: type<NicOptions>(),
  /** Electron: the engine moved between this process and the privileged helper. */
  engine: type<EngineChange>(),
  /** Devices whose timeline grew (batched with the lease pushes): a panel showing one of them fetches it again. */
  timeline: type<{ macs: string[] }>(),
} as const;

export type CallName = keyof typeof CALLS;
export type EventName = keyof typeof EVENTS;

// names.ts repeats the keys for the preload (which must not load zod); these lines fail to
// compile unless its lists are exactly the keys above.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callNamesMatch: SameSet<CallName, (typeof CALL_NAME_LIST)[number]> = true;
const eventNamesMatch: SameSet<EventName, (typeof EVENT_NAME_LIST)[number]> = true;
void callNamesMatch;
void eventNamesMatch;

export const CALL_NAMES = [...CALL_NAME_LIST] as CallName[];
export const EVENT_NAMES = [...EVENT_NAME_LIST] as EventName[];

export type RequestOf<K extends CallName> = z.input<(typeof CALLS)[K]['request']>;
export type ParsedRequestOf<K extends CallName> = z.output<(typeof CALLS)[K]['request']>;
export type ResponseOf<K extends CallName> = (typeof CALLS)[K]['response'];
export type EventOf<E extends EventName> = (typeof EVENTS)[E];

/** Errors cross the boundary as data: no stack traces, no class identity. */
export interface WireError {
  code: 'invalid-request' | 'unknown-call' | 'forbidden' | 'failed';
  message: string;
}

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** One handler per call; an object of this type with a missing entry does not compile. */
export type Handlers = { [K in CallName]: (request: ParsedRequestOf<K>) => Promise<ResponseOf<K>> };

/**
 * What the renderer sees as `window.api` (Electron) or gets from the WebSocket transport. A call
 * whose schema accepts no payload (`none`, or an optional object) may be made without an argument;
 * one whose schema requires a request must be given it (`api['nic.apply']()` does not compile).
 */
export type Api = { [K in CallName]: undefined extends RequestOf<K> ? (request?: RequestOf<K>) => Promise<ResponseOf<K>> : (request: RequestOf<K>) => Promise<ResponseOf<K>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

/** Validates a call's payload; the one runtime gate for everything a renderer sends. */
export function parseRequest<K extends CallName>(name: K, payload: unknown): { ok: true; value: ParsedRequestOf<K> } | { ok: false; error: WireError } {
  const schema = CALLS[name]?.request as z.ZodType | undefined;
  if (!schema) return { ok: false, error: { code: 'unknown-call', message: `unknown call "${String(name)}"` } };
  const r = schema.safeParse(payload);
  if (r.success) return { ok: true, value: r.data as ParsedRequestOf<K> };
  const issues = r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
  return { ok: false, error: { code: 'invalid-request', message: `${String(name)}: ${issues}` } };
}

export function isCallName(x: unknown): x is CallName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(CALLS, x);
}
