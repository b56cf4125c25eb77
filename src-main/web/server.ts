// Headless web mode: the built renderer over HTTP and the contract over a WebSocket at /api, for a
// browser on this machine (or, with an explicit opt-in, on the network). Guards, in order:
//   - loopback unless --web-allow-remote (address.ts);
//   - Host and Origin must be this server's own (no DNS rebinding, no cross-site WebSocket);
//   - a 128-bit token, printed with the URL, is the first message (constant-time compare);
//   - bounded: message size, connections, unauthenticated time, calls in flight, send buffer;
//   - every call goes through the dispatcher (contract validation); events are queued per
//     connection until it calls app.ready.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { createSession, type Dispatch } from '../ipc/handlers.js';
import type { EventName, EventOf } from '../ipc/contract.js';
import type { ControllerEvent } from '../server/controller.js';
import { checkWebExposure, hostPort, isLoopbackHost, isWildcardHost, type WebAddress } from './address.js';
import { securityHeaders } from './headers.js';
import { AUTH_TIMEOUT_MS, CLOSE, MAX_MESSAGE_BYTES, WS_PATH, type ServerMessage } from './protocol.js';
import { lookupStatic } from './static-files.js';

export interface WebServerOptions {
  address: WebAddress;
  /** Required to bind anything but loopback. */
  allowRemote?: boolean;
  /** The built renderer (out/renderer); undefined serves a page saying how to build it. */
  rendererDir: string | undefined;
  dispatch: Dispatch;
  /** The controller's push events (ServerController.subscribe). */
  subscribe: (listener: (e: ControllerEvent) => void) => () => void;
  /** Fixed token (tests); default: 128 random bits. */
  token?: string;
  /** More origins allowed to open the WebSocket (a Vite dev server during UI development). */
  extraOrigins?: string[];
  maxConnections?: number;
  /** Calls one connection may have in flight. */
  maxInFlight?: number;
  /** Bytes queued to a slow client before it is disconnected. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Time a new connection has to authenticate. Default AUTH_TIMEOUT_MS. */
  authTimeoutMs?: number;
}

export interface WebServer {
  /** http://127.0.0.1:8080/#token=… — what the user opens. */
  url: string;
  origin: string;
  token: string;
  host: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time: both sides hashed to equal length first, so length leaks nothing either. */
export function tokenEquals(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The Host values (host:port) under which this server is legitimately reached. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set<string>([host]);
  if (isLoopbackHost(host)) {
    names.add('localhost');
    names.add('127.0.0.1');
    names.add('::1');
  }
  if (isWildcardHost(host)) {
    names.add('localhost');
    names.add(osHostname());
    names.add(`${osHostname()}.local`);
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (host === '::' || a.family === 'IPv4') names.add(a.address.replace(/%.*$/, ''));
    }
  }
  return new Set([...names].map((n) => hostPort(n, port).toLowerCase()));
}

function rawPath(url: string | undefined): string | undefined {
  if (!url || !url.startsWith('/')) return undefined;
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(`${text}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

const NOT_BUILT = 'The Pocket DHCP UI is not built on this machine. Run "npm run build" in the pocket-dhcp directory, then reload.';

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  checkWebExposure(opts.address, opts.allowRemote ?? false);
  const token = opts.token ?? newToken();
  const maxConnections = opts.maxConnections ?? 32;
  const maxInFlight = opts.maxInFlight ?? 64;
  const maxBuffered = opts.maxBufferedBytes ?? 16 * 1024 * 1024;
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const server: Server = createServer((req, res) => void serveHttp(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) return plain(res, 421, 'unknown host');
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
      const path = rawPath(req.url);
      if (path === undefined) return plain(res, 400, 'bad request');
      if (path === WS_PATH) return plain(res, 426, 'this is the WebSocket endpoint', { Upgrade: 'websocket' });
      if (!opts.rendererDir) return plain(res, 503, NOT_BUILT);
      const found = await lookupStatic(opts.rendererDir, path);
      if (!found.ok) return plain(res, found.status, found.status === 400 ? 'bad request' : 'not found');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': found.contentType,
        'Content-Length': String(found.size),
        // index.html names the hashed assets: always fresh; the assets themselves never change.
        'Cache-Control': /\/assets\//.test(found.path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') return void res.end();
      const stream = createReadStream(found.path);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (rawPath(req.url) !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) return refuseUpgrade(socket, 421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !origins.has(origin.toLowerCase())) return refuseUpgrade(socket, 403, 'Forbidden');
    if (wss.clients.size >= maxConnections) return refuseUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    let authed = false;
    let inFlight = 0;
    let unsubscribe: (() => void) | undefined;
    const authTimer = setTimeout(() => ws.close(CLOSE.POLICY, 'authentication required'), opts.authTimeoutMs ?? AUTH_TIMEOUT_MS);

    const send = (msg: ServerMessage): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > maxBuffered) {
        ws.close(CLOSE.TRY_AGAIN_LATER, 'client too slow; reconnect');
        return;
      }
      ws.send(JSON.stringify(msg));
    };
    const session = createSession(opts.dispatch, <E extends EventName>(name: E, payload: EventOf<E>) => send({ type: 'event', name, payload }));

    ws.on('close', () => {
      clearTimeout(authTimer);
      unsubscribe?.();
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(CLOSE.POLICY, 'text messages only');
      let msg: unknown;
      try {
        msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
      } catch {
        return ws.close(CLOSE.POLICY, 'malformed message');
      }
      const m = msg as Record<string, unknown> | null;
      if (!authed) {
        if (!m || m.type !== 'auth' || typeof m.token !== 'string' || !tokenEquals(m.token, token)) return ws.close(CLOSE.POLICY, 'authentication failed');
        authed = true;
        clearTimeout(authTimer);
        unsubscribe = opts.subscribe((e) => session.push(e.name, e.payload as never));
        send({ type: 'auth-ok' });
        return;
      }
      const id = m?.id;
      if (!m || m.type !== 'call' || !(typeof id === 'number' || (typeof id === 'string' && id.length <= 64))) return ws.close(CLOSE.POLICY, 'malformed message');
      if (inFlight >= maxInFlight) return ws.close(CLOSE.POLICY, 'too many calls in flight');
      inFlight++;
      void session.dispatch(m.name, m.payload).then((result) => {
        inFlight--;
        send({ type: 'result', id, result });
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(opts.address.port, opts.address.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(opts.address.host, port);
  origins = new Set([...[...hosts].map((h) => `http://${h}`), ...(opts.extraOrigins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase())]);

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const shownHost = isWildcardHost(opts.address.host) ? osHostname() : opts.address.host;
  const origin = `http://${hostPort(shownHost, port)}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    host: opts.address.host,
    port,
    connections: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CLOSE.GOING_AWAY, 'server stopping');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Clients that do not answer the close handshake.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000).unref();
      });
      wss.close();
    },
  };
}
