// THE API contract between the engine side (Electron main, or headless web mode) and the renderer.
// Every call and every push event is listed here once, with its request schema (validated at
// runtime on the engine side: never trust the renderer) and its response/payload type. Main
// registers one handler per call (a missing one is a compile error, see `Handlers`), the preload
// derives its invokers from `CALL_NAMES`, and the renderer's `window.api` type is derived from this
// file. The renderer imports this module too (zod and types only — no Node APIs here).
import { z } from 'zod';
import type { Counters } from '../server/dhcp-service.js';
import type { Lease, LeaseState } from '../dhcp/lease.js';
import type { NetInterface } from '../net/interfaces.js';
import type { ConfigProblem } from '../config/schema.js';
import { CALL_NAME_LIST, EVENT_NAME_LIST } from './names.js';

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
}

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
}

/** A row of the lease table: a stored lease, or an address merely offered (memory only). */
export interface LeaseRow extends Omit<Lease, 'state'> {
  state: LeaseState;
}

export type LogKind = 'in' | 'out' | 'offer' | 'ack' | 'nak' | 'decline' | 'release' | 'inform' | 'expire' | 'drop' | 'pool-exhausted' | 'warning' | 'state' | 'foreign-server';

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
  text: string;
}

export interface ExportFile {
  filename: string;
  mime: string;
  content: string;
}

export interface NicPlan {
  interface: string;
  address: string;
  prefix: number;
  /** The exact commands this OS would run (shown to the user before anything is applied). */
  commands: string[];
  /** Free text: what the commands do, and how to undo them. */
  note: string;
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
  'server.start': { request: z.object({ allowForeignNetwork: z.boolean().optional() }).strict().optional(), response: type<ServerStatus>() },
  'server.stop': { request: none, response: type<ServerStatus>() },
  'server.status': { request: none, response: type<ServerStatus>() },
  /** Every lease record plus live offers. */
  'leases.list': { request: none, response: type<LeaseRow[]>() },
  'leases.export': { request: z.object({ format: z.enum(['csv', 'json']) }).strict(), response: type<ExportFile>() },
  'log.recent': {
    request: z.object({ limit: z.number().int().min(1).max(10_000).optional(), mac: z.string().max(64).optional() }).strict().optional(),
    response: type<LogEntry[]>(),
  },
  /** The exact OS command(s) that would give `interface` a static address (applying it is separate). */
  'nic.plan': { request: z.object({ interface: ifname, address: ipv4, prefix: z.number().int().min(8).max(30) }).strict(), response: type<NicPlan>() },
  /** Electron only (AppInfo.nativeSave): native save dialog; resolves with the path or null if cancelled. */
  'file.save': { request: z.object({ filename: z.string().min(1).max(255), content: z.string().max(64 * 1024 * 1024) }).strict(), response: type<{ path: string | null }>() },
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

/** What the renderer sees as `window.api` (Electron) or gets from the WebSocket transport. */
export type Api = { [K in CallName]: (request?: RequestOf<K>) => Promise<ResponseOf<K>> } & {
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
