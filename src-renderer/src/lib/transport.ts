// The one place that knows how the renderer reaches the engine. In the desktop app the preload
// exposes `window.api` (Electron IPC); in a browser against `pocket-dhcp serve --web` the same
// contract runs over a WebSocket at /api. Both are presented as the contract's `Api` type plus a
// connection state and a `saveFile` (native save dialog vs. a browser download). Nothing else in
// the UI knows which one it is talking to.
import { CALL_NAMES, type Api, type CallName, type EventName, type EventOf, type ExportFile, type RequestOf, type ResponseOf, type WireError } from '../../../src-main/ipc/contract.js';
import { CLOSE, MAX_MESSAGE_BYTES, WS_PATH, type ServerMessage } from '../../../src-main/web/protocol.js';
import { t } from '../i18n/index.js';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized' | 'no-token';

/** `where`: the path chosen in the native dialog; absent for a browser download. */
export type SaveResult = { saved: true; where?: string } | { saved: false };

export interface Transport {
  readonly api: Api;
  readonly state: ConnectionState;
  /** The largest request this connection carries, in bytes (what an imported file must fit in). */
  readonly maxMessageBytes: number;
  /** Called on every state change, and once immediately with the current state. */
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Saves an exported file: a native save dialog in the desktop app, a download in a browser. */
  saveFile(file: ExportFile): Promise<SaveResult>;
  close(): void;
}

/** A call that failed: the engine's WireError, or the connection going away underneath it. */
export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly code: WireError['code'] | 'disconnected' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

type Listener = (payload: unknown) => void;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  on(name: string, listener: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  emit(name: string, payload: unknown): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) {
      try {
        l(payload);
      } catch (e) {
        console.error(`listener for "${name}" failed`, e);
      }
    }
  }
}

// ---- Electron --------------------------------------------------------------------------------

/**
 * Electron IPC has no message cap of its own; the largest request the contract accepts is an
 * import's text (16 MiB, `importText` in contract.ts), so that is what the desktop app carries.
 */
export const IPC_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The desktop app: the preload's window.api is the contract's Api already. */
export function createIpcTransport(api: Api): Transport {
  return {
    api,
    state: 'open',
    maxMessageBytes: IPC_MAX_MESSAGE_BYTES,
    onState(listener) {
      listener('open');
      return () => {};
    },
    async saveFile(file) {
      const { path } = await api['file.save']({ filename: file.filename, content: file.content });
      return path ? { saved: true, where: path } : { saved: false };
    },
    close() {},
  };
}

// ---- WebSocket -------------------------------------------------------------------------------

/** The part of the WebSocket interface used here (the browser's, or the `ws` package's in tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WebSocketTransportOptions {
  url: string;
  token: string;
  createSocket?: (url: string) => SocketLike;
  /** Reconnect delays in ms; the last one repeats. Jitter of up to 20 % is added. */
  backoff?: readonly number[];
  /** Browser download of an exported file (injected in tests). */
  download?: (file: ExportFile) => void;
  random?: () => number;
}

/** Close codes with which the server refuses the token (before auth-ok): reconnecting will not help. */
export const UNAUTHORIZED_CLOSE_CODES: ReadonlySet<number> = new Set([CLOSE.POLICY]);

const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 4000, 8000] as const;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const events = new Emitter();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  /** Calls made before the socket was open: sent right after the auth message. */
  let outbox: { id: number; frame: string }[] = [];
  let nextId = 1;
  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closedByUser = false;

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    for (const l of [...stateListeners]) l(s);
  };

  const failAll = (message: string): void => {
    const error = new CallError('disconnected', message);
    const all = [...pending.values()];
    pending.clear();
    outbox = [];
    for (const p of all) p.reject(error);
  };

  const connect = (): void => {
    timer = undefined;
    setState('connecting');
    let ws: SocketLike;
    try {
      ws = createSocket(options.url);
    } catch (e) {
      failAll(t('connection.cannotConnect', { error: (e as Error).message }));
      scheduleReconnect();
      return;
    }
    socket = ws;
    let authed = false;
    ws.onopen = () => {
      if (socket !== ws) return;
      // The token is the first message; calls wait for the server's auth-ok.
      ws.send(JSON.stringify({ type: 'auth', token: options.token }));
    };
    ws.onmessage = (ev) => {
      if (socket !== ws) return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      if (msg.type === 'auth-ok') {
        authed = true;
        attempt = 0;
        const queued = outbox;
        outbox = [];
        for (const q of queued) ws.send(q.frame);
        setState('open');
      } else if (msg.type === 'result') {
        const p = pending.get(Number(msg.id));
        if (!p) return;
        pending.delete(Number(msg.id));
        if (msg.result?.ok) p.resolve(msg.result.value);
        else p.reject(new CallError(msg.result?.error?.code ?? 'failed', msg.result?.error?.message ?? t('connection.callFailed')));
      } else if (msg.type === 'event') {
        events.emit(msg.name, msg.payload);
      }
    };
    ws.onerror = () => {
      // Always followed by onclose, which does the bookkeeping.
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = undefined;
      // A policy close before auth-ok is a refused token; after it, a hiccup worth a reconnect.
      const unauthorized = !authed && UNAUTHORIZED_CLOSE_CODES.has(ev.code);
      failAll(unauthorized ? t('connection.tokenRefused') : t('connection.lostCall'));
      if (closedByUser) setState('closed');
      else if (unauthorized) setState('unauthorized');
      else {
        setState('closed');
        scheduleReconnect();
      }
    };
  };

  const scheduleReconnect = (): void => {
    if (closedByUser || timer) return;
    const base = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt++;
    timer = setTimeout(connect, Math.round(base * (1 + 0.2 * random())));
  };

  const call = (name: CallName, request: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closedByUser || state === 'unauthorized') {
        reject(new CallError('disconnected', state === 'unauthorized' ? t('connection.tokenRefused') : t('connection.closed')));
        return;
      }
      const id = nextId++;
      const frame = JSON.stringify({ type: 'call', id, name, payload: request ?? null });
      // The server closes a connection that sends more than MAX_MESSAGE_BYTES (code 1009): refuse
      // here with a sentence instead of losing the connection (UTF-8: up to 3 bytes a char).
      if (frame.length * 3 > MAX_MESSAGE_BYTES) {
        const bytes = new TextEncoder().encode(frame).length;
        if (bytes > MAX_MESSAGE_BYTES) {
          reject(new CallError('too-large', t('connection.tooLarge', { size: (bytes / (1024 * 1024)).toFixed(1), max: String(MAX_MESSAGE_BYTES / (1024 * 1024)) })));
          return;
        }
      }
      pending.set(id, { resolve, reject });
      if (socket && socket.readyState === 1 && state === 'open') socket.send(frame);
      else outbox.push({ id, frame });
    });

  const api = { on: (event: EventName, listener: (p: never) => void) => events.on(event, listener as Listener) } as Record<string, unknown>;
  for (const name of CALL_NAMES) api[name] = (request?: unknown) => call(name, request);

  connect();

  return {
    api: api as unknown as Api,
    get state() {
      return state;
    },
    // The server closes a connection whose message is larger (web/protocol.ts).
    maxMessageBytes: MAX_MESSAGE_BYTES,
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    async saveFile(file) {
      (options.download ?? downloadFile)(file);
      return { saved: true };
    },
    close() {
      closedByUser = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const ws = socket;
      failAll(t('connection.closed'));
      if (ws) ws.close(1000, 'bye');
      else setState('closed');
    },
  };
}

/** Browser download of a text file via a Blob URL. */
export function downloadFile(file: ExportFile, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A transport for the web page when it was opened without a token: every call says so. */
function createNoTokenTransport(): Transport {
  const fail = (): Promise<never> => Promise.reject(new CallError('disconnected', t('connection.noTokenCall', { command: '`pocket-dhcp serve --web`' })));
  const api = { on: () => () => {} } as Record<string, unknown>;
  for (const name of CALL_NAMES) api[name] = fail;
  return {
    api: api as unknown as Api,
    state: 'no-token',
    maxMessageBytes: MAX_MESSAGE_BYTES,
    onState(listener) {
      listener('no-token');
      return () => {};
    },
    saveFile: fail,
    close() {},
  };
}

// ---- choosing ------------------------------------------------------------------------------------

const TOKEN_KEY = 'pocket-dhcp.token';

/**
 * The web token from `#token=…` in the address, removed from the address bar once read (so it does
 * not end up in screenshots or bookmarks) and kept in sessionStorage for reloads of this tab.
 */
export function readToken(loc: Pick<Location, 'hash' | 'pathname' | 'search'>, history?: Pick<History, 'replaceState'>, storage?: Pick<Storage, 'getItem' | 'setItem'>): string | undefined {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    params.delete('token');
    const rest = params.toString();
    history?.replaceState(null, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
    try {
      storage?.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token then lasts for this page only.
    }
    return fromHash;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Picks Electron IPC when the preload exposed window.api, else the WebSocket of web mode. */
export function createTransport(win: Window & { api?: Api } = window as Window & { api?: Api }): Transport {
  if (win.api) return createIpcTransport(win.api);
  // Opening the printed address in a tab that already shows this page (after a refused or
  // missing token, or a server restart: a new token) changes only the fragment, and the browser
  // does not reload for that: start over so the new token is read. (readToken's replaceState
  // fires no hashchange.)
  win.addEventListener?.('hashchange', () => {
    if (new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token')) win.location.reload();
  });
  const token = readToken(win.location, win.history, win.sessionStorage);
  if (!token) return createNoTokenTransport();
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport({ url: `${scheme}://${win.location.host}${WS_PATH}`, token });
}

export type { Api, CallName, EventName, EventOf, RequestOf, ResponseOf };
