// Web mode over real loopback sockets: the static renderer (CSP, no traversal, no listing) and the
// contract over WebSocket with a real `ws` client (token, Origin, size limit, events after
// app.ready), on a real ServerController with its lease store in a temp dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ServerController } from '../../../src-main/server/controller.js';
import { checkWebExposure, parseWebAddress, WebAddressError } from '../../../src-main/web/address.js';
import { RENDERER_CSP } from '../../../src-main/web/headers.js';
import { startWebServer, tokenEquals } from '../../../src-main/web/server.js';
import { startWebMode } from '../../../src-main/web/web-mode.js';
import { fakeInterface } from '../../helpers/memory-transport.js';
import { recordProof } from '../../helpers/proof.js';

let root: string;
let controller: ServerController;
let web: Awaited<ReturnType<typeof startWebMode>>;
const TOKEN = '0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pd-web-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Pocket DHCP</title>');
  writeFileSync(join(renderer, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  controller = await ServerController.open({ dataDir: join(root, 'data'), watchIntervalMs: 0, flushIntervalMs: 20, listInterfaces: async () => [fakeInterface('test0', [{ address: '198.18.10.1', prefix: 24 }])] });
  web = await startWebMode({ controller, address: { host: '127.0.0.1', port: 0 }, rendererDir: renderer, token: TOKEN, authTimeoutMs: 300 });
});

/** What each passing test proved, for the run's summary (test/helpers/proof.ts): only tests that got to their end. */
const proved: string[] = [];

afterAll(async () => {
  if (proved.length) recordProof('web mode', `over real loopback sockets: ${proved.join('; ')}`);
  await web?.close();
  await controller?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw HTTP request: the path goes on the wire exactly as given (no URL normalisation). */
function raw(path: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${web.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Msg = { type: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; name?: string; payload?: unknown };

interface Client {
  ws: WebSocket;
  messages: Msg[];
  closed: Promise<{ code: number; reason: string }>;
  call(name: string, payload?: unknown): Promise<NonNullable<Msg['result']>>;
  waitFor(pred: (m: Msg) => boolean, ms?: number): Promise<Msg>;
}

function connect(opts: { origin?: string | null; token?: string | null } = {}): Promise<Client> {
  const origin = opts.origin === undefined ? web.origin : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api`, origin === null ? {} : { origin });
  const messages: Msg[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()) as Msg);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  let nextId = 1;
  const waitFor = (pred: (m: Msg) => boolean, ms = 3000) =>
    new Promise<Msg>((resolve, reject) => {
      const check = () => {
        const m = messages.find(pred);
        if (!m) return;
        waiters.delete(check);
        clearTimeout(t);
        resolve(m);
      };
      const t = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message in ${ms} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  const client: Client = {
    ws,
    messages,
    closed,
    waitFor,
    async call(name, payload) {
      const id = nextId++;
      ws.send(JSON.stringify({ type: 'call', id, name, payload: payload ?? null }));
      return (await waitFor((m) => m.type === 'result' && m.id === id)).result!;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', async () => {
      if (opts.token !== null) {
        ws.send(JSON.stringify({ type: 'auth', token: opts.token ?? TOKEN }));
        if (opts.token === undefined || opts.token === TOKEN) await waitFor((m) => m.type === 'auth-ok').catch(reject);
      }
      resolve(client);
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('static renderer', () => {
  it('serves index.html and assets with the CSP, nosniff and the right types', async () => {
    const r = await raw('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Pocket DHCP</title>');
    expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await raw('/assets/app-1234.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw('/assets/style.css?v=1')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await raw('/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('never leaves the renderer directory', async () => {
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/assets/../../secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/..\\secret.txt', '/%252e%252e/secret.txt', '//etc/passwd', '/index.html%00.js', '/../package.json', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await raw(p);
      expect([400, 404], `${p} → ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('TOP SECRET');
      expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
    }
    proved.push('13 path-traversal requests for files outside the renderer refused');
  });

  it('lists no directories, accepts only GET/HEAD, and only its own Host', async () => {
    expect((await raw('/assets/')).status).toBe(404);
    expect((await raw('/assets')).status).toBe(404);
    expect((await raw('/missing.js')).status).toBe(404);
    expect((await raw('/', { method: 'POST' })).status).toBe(405);
    expect((await raw('/', { host: 'evil.example:80' })).status).toBe(421);
    proved.push('a foreign Host header refused (421)');
    expect((await raw('/', { host: `localhost:${web.port}` })).status).toBe(200);
    expect((await raw('/api')).status).toBe(426);
  });
});

describe('WebSocket API', () => {
  it('prints a URL with a 128-bit token in the fragment', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/#token=${TOKEN}`);
    const generated = /^[0-9a-f]{32}$/;
    expect(generated.test(TOKEN)).toBe(true);
  });

  it('closes a connection that does not authenticate in time', async () => {
    const c = await connect({ token: null });
    expect((await c.closed).code).toBe(1008);
    proved.push('a WebSocket without a token closed (1008)');
  });

  it('closes a connection whose first message is not a valid auth', async () => {
    const wrong = await connect({ token: 'f'.repeat(32) });
    expect(await wrong.closed).toMatchObject({ code: 1008, reason: 'authentication failed' });
    const call = await connect({ token: null });
    call.ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: null }));
    expect((await call.closed).code).toBe(1008);
    expect(call.messages).toEqual([]);
    const junk = await connect({ token: null });
    junk.ws.send('not json');
    expect((await junk.closed).code).toBe(1008);
    proved.push('a wrong token, a call before auth and a non-JSON first message closed (1008)');
  });

  it('refuses a foreign or missing Origin at the handshake', async () => {
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    await expect(connect({ origin: `http://127.0.0.1:${web.port + 1}` })).rejects.toThrow(/HTTP 403/);
    await expect(connect({ origin: null })).rejects.toThrow(/HTTP 403/);
    // The same server reached as localhost is its own origin too.
    const ok = await connect({ origin: `http://localhost:${web.port}` });
    ok.ws.close();
    proved.push('a foreign, another port\'s or a missing Origin refused at the handshake (HTTP 403)');
  });

  it('closes a connection that sends an oversized message', async () => {
    const c = await connect();
    c.ws.send(JSON.stringify({ type: 'call', id: 1, name: 'settings.save', payload: { draft: { x: 'y'.repeat(1024 * 1024 + 10) } } }));
    expect((await c.closed).code).toBe(1009);
    proved.push('a message over 1 MiB closed the connection (1009)');
  });

  it('prototype-pollution keys over the WebSocket are refused for any call; Object.prototype stays clean; the connection stays usable', async () => {
    const c = await connect();
    for (const [name, payload] of [
      ['settings.save', JSON.parse('{"draft": {"__proto__": {"polluted": true}}}')],
      ['server.start', JSON.parse('{"__proto__": {"allowOtherServer": true}}')],
      ['log.recent', JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')],
    ] as const) {
      const r = await c.call(name, payload);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/forbidden key/) } });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await c.call('app.info')).toMatchObject({ ok: true });
    c.ws.close();
    proved.push('prototype-pollution keys refused, Object.prototype clean');
  });

  it('calls work; invalid ones come back as errors without closing', async () => {
    const c = await connect();
    const info = await c.call('app.info');
    expect(info).toMatchObject({ ok: true, value: { mode: 'web', nativeSave: false } });
    const bad = await c.call('leases.export', { format: 'xml' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const unknown = await c.call('fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    const save = await c.call('file.save', { filename: 'x.csv', content: 'a' });
    expect(save).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect((await c.call('server.status')).ok).toBe(true);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('events arrive only after app.ready, per connection; several tabs at once', async () => {
    const a = await connect();
    const b = await connect();
    expect((await a.call('app.ready')).ok).toBe(true);
    // b has not called app.ready: the settings event a's save causes waits for it.
    const draft = { interface: 'test0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.110' }] };
    const saved = await a.call('settings.save', { draft });
    expect(saved).toMatchObject({ ok: true, value: { problems: [] } });
    const evA = await a.waitFor((m) => m.type === 'event' && m.name === 'settings');
    expect(evA.payload).toMatchObject({ draft });
    await new Promise((r) => setTimeout(r, 150));
    expect(b.messages.filter((m) => m.type === 'event')).toEqual([]);
    expect((await b.call('app.ready')).ok).toBe(true);
    const evB = await b.waitFor((m) => m.type === 'event' && m.name === 'settings');
    expect(evB.payload).toMatchObject({ draft });
    // A refused start (nothing listens on test0 here: no root, port 67) is a status event with an error.
    const start = await a.call('server.start');
    expect(start.ok).toBe(true);
    await a.waitFor((m) => m.type === 'event' && m.name === 'status');
    a.ws.close();
    b.ws.close();
  });

  it('tokens compare in constant time and exactly', () => {
    expect(tokenEquals(TOKEN, TOKEN)).toBe(true);
    expect(tokenEquals(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenEquals('', TOKEN)).toBe(false);
  });
});

describe('where web mode may listen', () => {
  it('parses [HOST:]PORT', () => {
    expect(parseWebAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseWebAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseWebAddress('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseWebAddress('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    for (const bad of ['', 'x', '127.0.0.1:', ':80', '127.0.0.1:70000', '::1:80', 'evil.example:80']) expect(() => parseWebAddress(bad), bad).toThrow(WebAddressError);
  });

  it('refuses a non-loopback address without --web-allow-remote', async () => {
    expect(() => checkWebExposure({ host: '127.0.0.1', port: 1 }, false)).not.toThrow();
    expect(() => checkWebExposure({ host: '::1', port: 1 }, false)).not.toThrow();
    expect(() => checkWebExposure({ host: '0.0.0.0', port: 8080 }, false)).toThrow(/--web-allow-remote/);
    expect(() => checkWebExposure({ host: '198.18.0.5', port: 8080 }, false)).toThrow(/reachable from the network/);
    expect(() => checkWebExposure({ host: '0.0.0.0', port: 8080 }, true)).not.toThrow();
    await expect(startWebServer({ address: { host: '0.0.0.0', port: 0 }, rendererDir: undefined, dispatch: async () => ({ ok: true, value: null }), subscribe: () => () => {} })).rejects.toThrow(WebAddressError);
    proved.push('a non-loopback address without --web-allow-remote refused');
  });
});
