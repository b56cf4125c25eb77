// The renderer's transport: the WebSocket path against a real `ws` server on loopback (auth
// first, call/result correlation, events, reconnect with backoff, pending calls rejected when the
// connection drops, a refused token) and the Electron path over a window.api object.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AddressInfo } from 'node:net';
import type { Api, ExportFile } from '../../../src-main/ipc/contract.js';
import { CALL_NAMES } from '../../../src-main/ipc/contract.js';
import { MAX_MESSAGE_BYTES } from '../../../src-main/web/protocol.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { CallError, IPC_MAX_MESSAGE_BYTES, createIpcTransport, createTransport, createWebSocketTransport, readToken, type ConnectionState, type SocketLike, type Transport } from '../../../src-renderer/src/lib/transport.js';

const TOKEN = 'secret-token-123';

interface Conn {
  ws: WebSocket;
  received: unknown[];
}

/** A minimal web-mode server: checks the auth message, answers calls by a table, pushes events. */
async function startServer(answer: (name: string, payload: unknown, conn: Conn) => unknown | Promise<unknown> = () => null, port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const conns: Conn[] = [];
  const connected: ((c: Conn) => void)[] = [];
  wss.on('connection', (ws) => {
    const conn: Conn = { ws, received: [] };
    let authed = false;
    ws.on('message', async (data: RawData) => {
      const msg = JSON.parse(String(data)) as { type: string; token?: string; id?: number; name?: string; payload?: unknown };
      conn.received.push(msg);
      if (!authed) {
        if (msg.type !== 'auth' || msg.token !== TOKEN) return ws.close(1008, 'authentication failed');
        authed = true;
        ws.send(JSON.stringify({ type: 'auth-ok' }));
        conns.push(conn);
        connected.splice(0).forEach((f) => f(conn));
        return;
      }
      if (msg.type === 'call') {
        try {
          const value = await answer(msg.name!, msg.payload, conn);
          if (value === NO_REPLY) return;
          ws.send(JSON.stringify({ type: 'result', id: msg.id, result: { ok: true, value } }));
        } catch (e) {
          ws.send(JSON.stringify({ type: 'result', id: msg.id, result: { ok: false, error: { code: 'failed', message: (e as Error).message } } }));
        }
      }
    });
  });
  const bound = (wss.address() as AddressInfo).port;
  return {
    port: bound,
    url: `ws://127.0.0.1:${bound}/api`,
    conns,
    nextConnection: () => new Promise<Conn>((r) => connected.push(r)),
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

const NO_REPLY = Symbol('no reply');

const wsFactory = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

function waitForState(t: Transport, want: ConnectionState): Promise<void> {
  return new Promise((resolve) => {
    const off = t.onState((s) => {
      if (s === want) {
        queueMicrotask(() => off());
        resolve();
      }
    });
  });
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('WebSocket transport', () => {
  it('sends the token first, then correlates calls with results by id', async () => {
    const server = await startServer(async (name, payload) => {
      if (name === 'leases.export') {
        // Answer out of order: the slower call is resolved after the later one.
        await new Promise((r) => setTimeout(r, 30));
        return { filename: 'leases.csv', mime: 'text/csv', content: `format=${(payload as { format: string }).format}` };
      }
      if (name === 'server.status') return { state: 'stopped' };
      return null;
    });
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory });
    cleanups.push(() => t.close());
    // Calls made before the connection is up are queued and sent after authentication.
    const slow = t.api['leases.export']({ format: 'csv' });
    const fast = t.api['server.status']();
    await expect(fast).resolves.toEqual({ state: 'stopped' });
    await expect(slow).resolves.toMatchObject({ content: 'format=csv' });
    const received = server.conns[0]!.received as { type: string; id?: number; name?: string; token?: string }[];
    expect(received[0]).toEqual({ type: 'auth', token: TOKEN });
    expect(received.slice(1).map((m) => m.name)).toEqual(['leases.export', 'server.status']);
    expect(new Set(received.slice(1).map((m) => m.id)).size).toBe(2);
    expect(t.state).toBe('open');
  });

  it('exposes every contract call and turns a WireError into a CallError', async () => {
    const server = await startServer((name) => {
      if (name === 'server.start') throw new Error('interface eth9 is gone');
      return null;
    });
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory });
    cleanups.push(() => t.close());
    for (const name of CALL_NAMES) expect(typeof t.api[name]).toBe('function');
    const err = await t.api['server.start']().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'failed', message: 'interface eth9 is gone' });
  });

  it('delivers pushed events to their listeners until unsubscribed', async () => {
    const server = await startServer();
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory });
    cleanups.push(() => t.close());
    const conn = server.nextConnection();
    await waitForState(t, 'open');
    const c = await conn;
    const logs: unknown[] = [];
    const statuses: unknown[] = [];
    const offLog = t.api.on('log', (p) => logs.push(p));
    t.api.on('status', (p) => statuses.push(p));
    c.ws.send(JSON.stringify({ type: 'event', name: 'log', payload: [{ id: 1, text: 'hello' }] }));
    c.ws.send(JSON.stringify({ type: 'event', name: 'status', payload: { state: 'running' } }));
    await vi.waitFor(() => expect(statuses).toHaveLength(1));
    expect(logs).toEqual([[{ id: 1, text: 'hello' }]]);
    offLog();
    c.ws.send(JSON.stringify({ type: 'event', name: 'log', payload: [{ id: 2 }] }));
    c.ws.send(JSON.stringify({ type: 'event', name: 'status', payload: { state: 'stopped' } }));
    await vi.waitFor(() => expect(statuses).toHaveLength(2));
    expect(logs).toHaveLength(1);
  });

  it('rejects pending calls when the connection drops, then reconnects with backoff and re-authenticates', async () => {
    const server = await startServer((name) => (name === 'leases.list' ? NO_REPLY : 'ok'));
    cleanups.push(server.close);
    const states: ConnectionState[] = [];
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory, backoff: [20, 40], random: () => 0 });
    cleanups.push(() => t.close());
    t.onState((s) => states.push(s));
    const first = server.nextConnection();
    await waitForState(t, 'open');
    const hanging = t.api['leases.list']();
    const c1 = await first;
    await vi.waitFor(() => expect(c1.received).toHaveLength(2));
    const second = server.nextConnection();
    c1.ws.terminate();
    await expect(hanging).rejects.toMatchObject({ name: 'CallError', code: 'disconnected' });
    const c2 = await second;
    expect(c2.received[0]).toEqual({ type: 'auth', token: TOKEN });
    await waitForState(t, 'open');
    await expect(t.api['app.info']()).resolves.toBe('ok');
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('keeps retrying while the server is down and connects when it comes back', async () => {
    const gone = await startServer();
    const { url, port } = gone;
    await gone.close();
    const t = createWebSocketTransport({ url, token: TOKEN, createSocket: wsFactory, backoff: [10, 20, 40], random: () => 0 });
    cleanups.push(() => t.close());
    // Nothing listens: the queued call is rejected with the failed attempt.
    await expect(t.api['app.info']()).rejects.toMatchObject({ code: 'disconnected' });
    await waitForState(t, 'closed');
    const back = await startServer(() => 'back', port);
    cleanups.push(back.close);
    await waitForState(t, 'open');
    await expect(t.api['app.info']()).resolves.toBe('back');
  });

  it('stops reconnecting when the server refuses the token', async () => {
    const server = await startServer();
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: 'wrong', createSocket: wsFactory, backoff: [10] });
    cleanups.push(() => t.close());
    const call = t.api['app.info']();
    await waitForState(t, 'unauthorized');
    await expect(call).rejects.toMatchObject({ code: 'disconnected', message: expect.stringMatching(/token/) });
    await expect(t.api['app.info']()).rejects.toMatchObject({ code: 'disconnected' });
    await new Promise((r) => setTimeout(r, 60));
    expect(t.state).toBe('unauthorized');
    expect(server.conns).toHaveLength(0);
  });

  it('downloads exports in the browser instead of calling file.save', async () => {
    const server = await startServer();
    cleanups.push(server.close);
    const downloaded: ExportFile[] = [];
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory, download: (f) => downloaded.push(f) });
    cleanups.push(() => t.close());
    const file = { filename: 'leases.json', mime: 'application/json', content: '[]' };
    await expect(t.saveFile(file)).resolves.toEqual({ saved: true });
    expect(downloaded).toEqual([file]);
  });

  it('a request larger than the server takes (1 MiB a message) is refused before sending; the connection stays open', async () => {
    const server = await startServer(async (name) => (name === 'app.info' ? { mode: 'web' } : null));
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory });
    cleanups.push(() => t.close());
    const big = t.api['import.preview']({ text: 'é'.repeat(600 * 1024) });
    await expect(big).rejects.toMatchObject({ code: 'too-large', message: expect.stringMatching(/^This request is 1\.2 MiB; the web UI's connection carries at most 1 MiB per message\./) });
    await expect(t.api['app.info']()).resolves.toEqual({ mode: 'web' });
    expect(t.state).toBe('open');
    // What the import dialog checks a file against before reading it (1 MiB here).
    expect(t.maxMessageBytes).toBe(MAX_MESSAGE_BYTES);
    expect(MAX_MESSAGE_BYTES).toBe(1024 * 1024);
    // Nothing but the auth message and the small call reached the server.
    expect(server.conns[0]!.received.map((m) => (m as { type: string; name?: string }).name ?? (m as { type: string }).type)).toEqual(['auth', 'app.info']);
  });

  it('its own sentences are in the UI language: a too-large request and a closed connection, in Korean', async () => {
    const server = await startServer(() => null);
    cleanups.push(server.close);
    setLocale('ko');
    cleanups.push(() => setLocale('en'));
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory });
    await expect(t.api['import.preview']({ text: 'é'.repeat(600 * 1024) })).rejects.toMatchObject({ code: 'too-large', message: '이 요청의 크기는 1.2MiB입니다. 웹 UI의 연결로는 메시지 하나에 최대 1MiB까지 보낼 수 있습니다. 더 작은 파일을 쓰거나, 이 파일은 데스크톱 앱이나 명령줄로 처리하세요.' });
    t.close();
    await expect(t.api['app.info']()).rejects.toMatchObject({ code: 'disconnected', message: '연결이 닫혔습니다.' });
  });

  it('close() rejects what is pending and does not reconnect', async () => {
    const server = await startServer(() => NO_REPLY);
    cleanups.push(server.close);
    const t = createWebSocketTransport({ url: server.url, token: TOKEN, createSocket: wsFactory, backoff: [10] });
    await waitForState(t, 'open');
    const pending = t.api['server.status']();
    await vi.waitFor(() => expect(server.conns[0]?.received).toHaveLength(2));
    t.close();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.conns).toHaveLength(1);
    expect(t.state).toBe('closed');
  });
});

describe('Electron transport', () => {
  function fakeApi(): Api & { calls: [string, unknown][] } {
    const calls: [string, unknown][] = [];
    const api = { calls, on: vi.fn(() => () => {}) } as Record<string, unknown>;
    for (const name of CALL_NAMES) {
      api[name] = vi.fn(async (req?: unknown) => {
        calls.push([name, req]);
        return name === 'file.save' ? { path: (req as { filename: string }).filename === 'cancel.csv' ? null : '/home/tech/leases.csv' } : { ok: name };
      });
    }
    return api as unknown as Api & { calls: [string, unknown][] };
  }

  it('is picked when the preload exposed window.api, and passes calls and events straight through', async () => {
    const api = fakeApi();
    const t = createTransport({ api } as unknown as Window & { api: Api });
    expect(t.api).toBe(api);
    expect(t.state).toBe('open');
    const seen: ConnectionState[] = [];
    t.onState((s) => seen.push(s));
    expect(seen).toEqual(['open']);
    await expect(t.api['server.status']()).resolves.toEqual({ ok: 'server.status' });
  });

  it('saves exports with the native dialog (file.save) and reports a cancel', async () => {
    const api = fakeApi();
    const t = createIpcTransport(api);
    await expect(t.saveFile({ filename: 'leases.csv', mime: 'text/csv', content: 'a,b' })).resolves.toEqual({ saved: true, where: '/home/tech/leases.csv' });
    expect(api.calls).toContainEqual(['file.save', { filename: 'leases.csv', content: 'a,b' }]);
    await expect(t.saveFile({ filename: 'cancel.csv', mime: 'text/csv', content: '' })).resolves.toEqual({ saved: false });
  });

  it('carries requests up to the contract\'s largest (a 16 MiB import), more than web mode', () => {
    const t = createIpcTransport(fakeApi());
    expect(t.maxMessageBytes).toBe(IPC_MAX_MESSAGE_BYTES);
    expect(IPC_MAX_MESSAGE_BYTES).toBe(16 * 1024 * 1024);
    expect(IPC_MAX_MESSAGE_BYTES).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });
});

describe('choosing the web transport', () => {
  it('reads the token from the fragment, removes it from the address bar and keeps it for reloads', () => {
    const replaced: string[] = [];
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const history = { replaceState: (_: unknown, __: string, url?: string | URL | null) => void replaced.push(String(url)) };
    expect(readToken({ hash: '#token=abc123', pathname: '/', search: '' }, history, storage)).toBe('abc123');
    expect(replaced).toEqual(['/']);
    // After a reload the fragment is gone; the tab's session storage still has it.
    expect(readToken({ hash: '', pathname: '/', search: '' }, history, storage)).toBe('abc123');
    expect(replaced).toHaveLength(1);
    expect(readToken({ hash: '#token=t2&tab=log', pathname: '/ui', search: '?x=1' }, history, storage)).toBe('t2');
    expect(replaced[1]).toBe('/ui?x=1#tab=log');
  });

  it('without a token, every call explains how to open the page', async () => {
    const win = { location: { hash: '', pathname: '/', search: '', protocol: 'http:', host: '127.0.0.1:1' }, history: { replaceState() {} }, sessionStorage: { getItem: () => null, setItem() {} } };
    const t = createTransport(win as unknown as Window);
    expect(t.state).toBe('no-token');
    expect(t.maxMessageBytes).toBe(MAX_MESSAGE_BYTES);
    await expect(t.api['app.info']()).rejects.toMatchObject({ code: 'disconnected', message: expect.stringMatching(/serve --web/) });
  });
});
