// The dispatcher (the one gate for every transport) and the per-connection sessions that hold push
// events until app.ready.
import { describe, expect, it } from 'vitest';
import type { AppInfo, Handlers, LeaseRow } from '../../../src-main/ipc/contract.js';
import { createDispatcher, createSession, EventQueue, wireError } from '../../../src-main/ipc/handlers.js';

const info: AppInfo = { version: '0.0.0', mode: 'web', platform: 'linux', dataDir: '/tmp/x', nativeSave: false, canApplyStaticAddress: false };

function stubHandlers(over: Partial<Handlers> = {}): Handlers {
  const fail = async () => {
    throw new Error('not stubbed');
  };
  return {
    'app.ready': async () => info,
    'app.info': async () => info,
    'interfaces.list': fail,
    'settings.get': fail,
    'settings.save': async (req) => ({ draft: req.draft, problems: [] }),
    'server.start': fail,
    'server.stop': fail,
    'server.status': fail,
    'leases.list': fail,
    'leases.export': fail,
    'log.recent': async (req) => [{ id: 1, at: 0, level: 'info', kind: 'state', text: `limit ${req?.limit ?? 'default'}` }],
    'nic.plan': fail,
    'nic.apply': fail,
    'nic.restorePlan': fail,
    'nic.restore': fail,
    'nic.saved': async () => [],
    'nic.options': fail,
    'privileges.check': fail,
    'engine.elevate': fail,
    'export.file': fail,
    'export.kea': fail,
    'import.preview': fail,
    'import.apply': fail,
    'devices.timeline': fail,
    'journal.search': fail,
    'journal.export': fail,
    'pool.sweep': fail,
    'file.save': fail,
    'app.language': async () => null,
    ...over,
  };
}

const row = (ip: string, state: LeaseRow['state'] = 'bound'): LeaseRow => ({ ip, clientId: `01:${ip}`, mac: '02:00:00:00:00:01', state, subnet: '198.18.10.0/24', startsAt: 0, expiresAt: 1, firstSeen: 0, lastSeen: 0 });

describe('dispatcher', () => {
  it('passes a valid call to its handler and wraps the value', async () => {
    const d = createDispatcher(stubHandlers());
    expect(await d('app.info', undefined)).toEqual({ ok: true, value: info });
    expect(await d('log.recent', { limit: 3 })).toMatchObject({ ok: true, value: [{ text: 'limit 3' }] });
    // JSON has no undefined: null stands for "no request" on every call.
    expect(await d('log.recent', null)).toMatchObject({ ok: true, value: [{ text: 'limit default' }] });
  });

  it('refuses unknown calls and invalid payloads without calling anything', async () => {
    let called = 0;
    const d = createDispatcher(stubHandlers({ 'settings.save': async () => (called++, { draft: {}, problems: [] }) }));
    expect(await d('constructor', undefined)).toEqual({ ok: false, error: { code: 'unknown-call', message: 'unknown call "constructor"' } });
    expect(await d(42, undefined)).toEqual({ ok: false, error: { code: 'unknown-call', message: 'unknown call number' } });
    const r = await d('settings.save', { draft: {}, sneaky: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('invalid-request');
    expect(called).toBe(0);
  });

  it('turns thrown errors into failed results with the message only — no stack', async () => {
    const seen: string[] = [];
    const d = createDispatcher(
      stubHandlers({
        'server.stop': async () => {
          throw new Error('the disk is full — free some space');
        },
        'server.status': async () => {
          const e = new TypeError("Cannot read properties of undefined (reading 'x')");
          e.message += '\n    at Object.<anonymous> (/srv/x.js:1:1)\n    at next (/srv/y.js:2:2)';
          throw e;
        },
        'leases.list': async () => {
          throw 'a string';
        },
      }),
      { onError: (name) => seen.push(name) },
    );
    expect(await d('server.stop', undefined)).toEqual({ ok: false, error: { code: 'failed', message: 'the disk is full — free some space' } });
    const r = await d('server.status', undefined);
    expect(!r.ok && r.error.message).toBe("Cannot read properties of undefined (reading 'x')");
    expect(JSON.stringify(r)).not.toMatch(/\bat\s.*:\d+:\d+/);
    expect(await d('leases.list', undefined)).toEqual({ ok: false, error: { code: 'failed', message: 'a string' } });
    expect(seen).toEqual(['server.stop', 'server.status', 'leases.list']);
  });

  it('wireError bounds long messages and never returns an empty one', () => {
    expect(wireError(new Error('x'.repeat(5000))).message.length).toBeLessThanOrEqual(2000);
    expect(wireError(new Error('')).message).toBe('internal error');
    expect(wireError({ weird: true }).message).toBe('internal error');
  });
});

describe('session: events wait for app.ready', () => {
  it('queues until app.ready, then delivers after the result; later events go at once', async () => {
    const sent: [string, unknown][] = [];
    const flushes: (() => void)[] = [];
    const s = createSession(createDispatcher(stubHandlers()), (name, payload) => sent.push([name, payload]), (fn) => flushes.push(fn));
    s.push('status', { state: 'stopped' } as never);
    s.push('log', [{ id: 1 }] as never);
    await s.dispatch('app.info', undefined);
    expect(sent).toEqual([]);
    expect(flushes).toHaveLength(0);
    const r = await s.dispatch('app.ready', undefined);
    expect(r.ok).toBe(true);
    expect(sent).toEqual([]); // the result goes back first
    flushes.forEach((f) => f());
    expect(sent.map(([n]) => n)).toEqual(['status', 'log']);
    s.push('settings', { draft: {}, problems: [] });
    expect(sent.map(([n]) => n)).toEqual(['status', 'log', 'settings']);
    expect(s.ready).toBe(true);
  });

  it('a failed app.ready (invalid payload) releases nothing; reset() queues again', async () => {
    const sent: string[] = [];
    const s = createSession(createDispatcher(stubHandlers()), (name) => sent.push(name), (fn) => fn());
    s.push('status', {} as never);
    expect((await s.dispatch('app.ready', { junk: 1 })).ok).toBe(false);
    expect(sent).toEqual([]);
    await s.dispatch('app.ready', undefined);
    expect(sent).toEqual(['status']);
    s.reset();
    s.push('status', {} as never);
    expect(sent).toEqual(['status']);
    await s.dispatch('app.ready', null);
    expect(sent).toEqual(['status', 'status']);
  });

  it('the queue is coalesced and bounded: last status, merged lease changes, newest log entries', () => {
    const q = new EventQueue(3);
    for (let i = 0; i < 1000; i++) q.push('status', { n: i } as never);
    q.push('leases', { upserts: [row('198.18.10.1'), row('198.18.10.2')], removed: [] });
    q.push('leases', { upserts: [row('198.18.10.2', 'released')], removed: ['198.18.10.1', '198.18.10.9'] });
    q.push('leases', { upserts: [row('198.18.10.9')], removed: [] });
    q.push('log', [1, 2] as never);
    q.push('log', [3, 4, 5] as never);
    const out = q.drain();
    expect(out.map((e) => e.name)).toEqual(['status', 'leases', 'log']);
    expect(out[0]!.payload).toEqual({ n: 999 });
    const leases = out[1]!.payload as { upserts: LeaseRow[]; removed: string[] };
    expect(leases.upserts.map((r) => [r.ip, r.state])).toEqual([
      ['198.18.10.2', 'released'],
      ['198.18.10.9', 'bound'],
    ]);
    expect(leases.removed).toEqual(['198.18.10.1']);
    expect(out[2]!.payload).toEqual([3, 4, 5]);
    expect(q.drain()).toEqual([]);
  });

  it('a reset in the queue replaces everything before it', () => {
    const q = new EventQueue();
    q.push('leases', { upserts: [row('198.18.10.1')], removed: ['198.18.10.5'] });
    q.push('leases', { upserts: [row('198.18.10.3')], removed: [], reset: true });
    q.push('leases', { upserts: [], removed: ['198.18.10.3'] });
    expect(q.drain()[0]!.payload).toEqual({ upserts: [], removed: [], reset: true });
  });
});
