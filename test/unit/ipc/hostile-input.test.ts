// Hostile UI input (issue 6 item 5): what reaches the dispatcher from a compromised or foreign page.
// IPC from a foreign sender or frame is refused (security.ts isTrustedSender, used by ipc-main.ts);
// for EVERY call of the contract, prototype-pollution keys (__proto__, constructor, prototype) at any
// depth, oversized, too deep, self-referencing and non-JSON payloads, and payloads failing the
// schema are refused with a clear 'invalid-request' — the handler never runs and Object.prototype
// stays untouched. The WebSocket path (same dispatcher) is in test/unit/web/web-server.test.ts.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { recordProof } from '../../helpers/proof.js';
import { isTrustedSender, type FrameFacts } from '../../../src-main/app/security.js';
import { CALL_NAMES, type CallName, type Handlers } from '../../../src-main/ipc/contract.js';
import { createDispatcher } from '../../../src-main/ipc/handlers.js';
import { MAX_CALL_PAYLOAD_BYTES, payloadProblem } from '../../../src-main/ipc/payload-guard.js';

const MAIN: FrameFacts = { processId: 4, routingId: 1, url: 'app://renderer/index.html' };

describe('IPC sender check (isTrustedSender)', () => {
  const ok = { windowDestroyed: false, fromWindowContents: true, frame: MAIN, mainFrame: MAIN };
  it('accepts only our window\'s main frame showing app://renderer', () => {
    expect(isTrustedSender(ok)).toBe(true);
    expect(isTrustedSender({ ...ok, frame: { ...MAIN, url: 'app://renderer/#/settings' } })).toBe(true);
  });
  it.each([
    ['another window / webview (other webContents)', { ...ok, fromWindowContents: false }],
    ['an iframe of our page (other routing id)', { ...ok, frame: { ...MAIN, routingId: 2 } }],
    ['a frame in another renderer process', { ...ok, frame: { ...MAIN, processId: 9 } }],
    ['our main frame navigated away to a web page', { ...ok, frame: { ...MAIN, url: 'https://evil.example/' } }],
    ['a file:// page', { ...ok, frame: { ...MAIN, url: 'file:///tmp/x.html' } }],
    ['app:// with another host', { ...ok, frame: { ...MAIN, url: 'app://evil/index.html' } }],
    ['app://renderer with credentials', { ...ok, frame: { ...MAIN, url: 'app://a:b@renderer/index.html' } }],
    ['a frame that is gone (null)', { ...ok, frame: null }],
    ['an unparsable URL', { ...ok, frame: { ...MAIN, url: 'not a url' } }],
    ['a destroyed window', { ...ok, windowDestroyed: true }],
  ])('refuses %s', (_name, facts) => {
    expect(isTrustedSender(facts)).toBe(false);
    refused.senders++;
  });
});

// ---- the dispatcher with handlers that only record that they ran ----

const ran: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_t, name: string) => async () => {
    ran.push(name);
    return null;
  },
});
const dispatch = createDispatcher(handlers);
afterEach(() => {
  ran.length = 0;
});
const refused = { poisoned: 0, schema: 0, senders: 0 };
/** Set at the end of the size and shape tests: the summary names only what passed. */
const shapes: string[] = [];
afterAll(() => {
  const parts = [
    refused.poisoned ? `${refused.poisoned} poisoned requests (__proto__ / constructor / prototype at every depth, all ${CALL_NAMES.length} calls) refused before any handler ran, Object.prototype untouched` : '',
    refused.schema ? `${refused.schema} schema-failing requests refused` : '',
    refused.senders ? `${refused.senders} foreign IPC senders/frames refused` : '',
    shapes.length ? `${shapes.join(', ')} payloads refused` : '',
  ].filter(Boolean);
  if (parts.length) recordProof('hostile UI input', parts.join('; '));
});

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
function expectPrototypeClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

/** The poisons, as JSON.parse makes them (an own "__proto__" key, as over the wire or structured clone). */
const POISONS = ['{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {"polluted": true}}}', '{"prototype": {"polluted": true}}'];

/** A legitimate-looking request of each call with the poison at every depth that has an object. */
function poisoned(name: CallName, poison: string): unknown[] {
  const p = () => JSON.parse(poison) as Record<string, unknown>;
  const out: unknown[] = [p(), { ...p() }];
  switch (name) {
    case 'settings.save':
      out.push({ draft: p() }, { draft: { interface: 'eth1', subnets: [p()] } }, { draft: { subnets: [{ options: p() }] } }, { draft: { reservations: [{ mac: '02:00:00:00:00:01', ...p() }] } });
      break;
    case 'import.preview':
    case 'import.apply':
      out.push({ text: 'x', leases: [], reservations: [], ...p() });
      break;
    case 'export.kea':
      out.push({ ha: { mode: 'hot-standby', thisServer: 'a', peers: [{ name: 'a', url: 'http://198.18.0.1:8000/', ...p() }, { name: 'b', url: 'http://198.18.0.2:8000/' }] } });
      break;
    case 'nic.plan':
    case 'nic.apply':
      out.push({ interface: 'eth1', address: '198.18.10.1', prefix: 24, ...p() });
      break;
    default:
      break;
  }
  // JSON.parse keeps "__proto__" as an own key; object spread copies it as one too.
  return out;
}

describe('every call refuses prototype-pollution keys, at any depth', () => {
  it.each(CALL_NAMES.map((n) => [n] as const))('%s', async (name) => {
    for (const poison of POISONS) {
      for (const payload of poisoned(name, poison)) {
        const r = await dispatch(name, payload);
        expect(r.ok, `${name} ${JSON.stringify(payload)}`).toBe(false);
        refused.poisoned++;
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-request');
          expect(r.error.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: the request contains the forbidden key "(__proto__|constructor|prototype)"`));
        }
      }
    }
    expect(ran).toEqual([]);
    expectPrototypeClean();
  });
});

describe('oversized, deep, cyclic and non-JSON payloads', () => {
  it('a payload over the size limit is refused with the limit named (IPC has no limit of its own)', async () => {
    const big = { filename: 'x.csv', content: 'x'.repeat(MAX_CALL_PAYLOAD_BYTES + 1) };
    const r = await dispatch('file.save', big);
    expect(r).toEqual({ ok: false, error: { code: 'invalid-request', message: 'file.save: the request is larger than 65 MiB' } });
    // Many small pieces count too.
    expect(payloadProblem({ rows: Array.from({ length: 200_000 }, () => 'abcdefghij') }, 1024 * 1024)).toBe('is larger than 1 MiB');
    expect(ran).toEqual([]);
    shapes.push('oversized (> 65 MiB)');
  });

  it('too deep, cyclic, non-finite numbers, functions, class instances: refused, naming where', async () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 40; i++) deep = deep.a = {} as Record<string, unknown>;
    expect((await dispatch('settings.save', { draft: root })).ok).toBe(false);
    expect(payloadProblem({ draft: root })).toMatch(/^is nested more than 32 levels deep at draft(\.a)+$/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(payloadProblem({ draft: cyc })).toBe('refers to itself at draft.self');
    expect(payloadProblem({ limit: Number.NaN })).toBe('contains a number that is not finite at limit');
    expect(payloadProblem({ f: () => 1 })).toBe('contains a function, which is not JSON at f');
    expect(payloadProblem({ d: new Date(0) })).toBe('contains a value that is not plain JSON (Date) at d');
    expect(payloadProblem({ m: new Map() })).toBe('contains a value that is not plain JSON (Map) at m');
    expect(payloadProblem({ draft: { a: [1, 'x', null, true, { b: 2 }] } })).toBeUndefined();
    expect(ran).toEqual([]);
    shapes.push('too deep (> 32 levels), cyclic and non-JSON');
  });
});

describe('payloads failing the schema: refused with what is wrong, for every call', () => {
  it.each(CALL_NAMES.map((n) => [n] as const))('%s', async (name) => {
    // Wrong type at the top, and an unknown key: no call takes a bare number or an extra "x".
    for (const payload of [42, 'text', [1, 2], { x: 1, surprise: true }]) {
      const r = await dispatch(name, payload);
      expect(r.ok, `${name} accepted ${JSON.stringify(payload)}`).toBe(false);
      refused.schema++;
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-request');
        expect(r.error.message.startsWith(`${name}: `)).toBe(true);
        expect(r.error.message).not.toMatch(/\n\s+at /);
      }
    }
    expect(ran).toEqual([]);
  });

  it('an unknown call name is refused, however it is spelled', async () => {
    for (const name of ['fs.readFile', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 42, null, { name: 'x' }]) {
      const r = await dispatch(name, undefined);
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    }
    expect(ran).toEqual([]);
    expectPrototypeClean();
  });
});
