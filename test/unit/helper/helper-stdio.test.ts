// The privileged helper for real, without a network: `pocket-dhcp helper --stdio` as a child
// process (started directly — pkexec is what the app puts in front of it), driven through
// HelperClient and the EngineHost the desktop app uses. The contract's calls and events over
// JSON lines; malformed lines answered with errors while the helper carries on; the helper stops
// when its stdin closes; the app falls back to its in-process engine when the helper dies.
// (Serving through the helper, with a real DHCP client, is in test/integration/helper/.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineHost, type HostEvent } from '../../../src-main/app/engine-host.js';
import { HelperClient, type HelperEvent } from '../../../src-main/helper/helper-client.js';
import type { AppInfo, SettingsState } from '../../../src-main/ipc/contract.js';
import { LOCK_FILE } from '../../../src-main/leases/lease-store.js';
import { ServerController } from '../../../src-main/server/controller.js';
import type { PrivilegeReport } from '../../../src-main/server/privileges.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const helperArgv = (dataDir: string) => [process.execPath, '--import', 'tsx', join(ROOT, 'src-main/cli/main.ts'), 'helper', '--stdio', '--data-dir', dataDir];
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pd-helper-'));
  dirs.push(d);
  return d;
};
const clients: HelperClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close(3000);
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<HelperClient> {
  const c = await HelperClient.start(helperArgv(dataDir), { cwd: ROOT, helloTimeoutMs: 30_000 });
  clients.push(c);
  return c;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('helper over stdio', () => {
  it('hello, then the contract: settings, status, interfaces, nic records; events pushed', async () => {
    const dir = tmp();
    const c = await start(dir);
    expect(c.hello).toMatchObject({ type: 'hello', protocol: 1, dataDir: dir, pid: c.child.pid });
    const events: HelperEvent[] = [];
    c.subscribe((e) => events.push(e));
    const got = await c.dispatch('settings.get', undefined);
    expect(got).toMatchObject({ ok: true, value: { draft: {} } });
    const draft = { interface: 'sv0', subnets: [{ subnet: '198.18.70.0/24', range: '198.18.70.100-198.18.70.150' }] };
    expect(await c.dispatch('settings.save', { draft })).toMatchObject({ ok: true, value: { draft, problems: [] } });
    await until(() => events.some((e) => e.name === 'settings'));
    expect((events.find((e) => e.name === 'settings')!.payload as SettingsState).draft).toEqual(draft);
    expect(await c.dispatch('server.status', null)).toMatchObject({ ok: true, value: { state: 'stopped' } });
    const list = await c.dispatch('interfaces.list', undefined);
    expect(list.ok && Array.isArray(list.value) && list.value.some((i: { loopback: boolean }) => i.loopback)).toBe(true);
    expect(await c.dispatch('nic.saved', undefined)).toEqual({ ok: true, value: [] });
    expect(await c.dispatch('app.info', undefined)).toMatchObject({ ok: true, value: { engine: 'helper', mode: 'electron' } });
    const priv = await c.dispatch('privileges.check', undefined);
    expect(priv.ok && typeof (priv.value as PrivilegeReport).canServe).toBe('boolean');
  });

  it('malformed lines get error results and the helper carries on; both sides validate', async () => {
    const c = await start(tmp());
    const replies: string[] = [];
    c.child.stdout!.on('data', (d: Buffer) => replies.push(...d.toString().split('\n').filter(Boolean)));
    c.writeRaw('this is not json\n');
    c.writeRaw('{"type":"call","id":901,"name":"nope"}\n');
    c.writeRaw('{"type":"call","id":902,"name":"settings.save","payload":{"draft":"x"}}\n');
    c.writeRaw('{"type":"call","id":903,"name":"server.stop","payload":null,"asRoot":true}\n');
    c.writeRaw('{"type":"call","id":904,"name":"settings.save","payload":{"draft":{"__proto__":{"x":1}}}}\n');
    await until(() => replies.filter((l) => l.includes('"result"')).length >= 5);
    const results = replies.map((l) => JSON.parse(l)).filter((m) => m.type === 'result');
    expect(results.find((m) => m.id === null).result).toEqual({ ok: false, error: { code: 'invalid-request', message: 'malformed line (not JSON): this is not json' } });
    expect(results.find((m) => m.id === 901).result).toEqual({ ok: false, error: { code: 'unknown-call', message: 'unknown call "nope"' } });
    expect(results.find((m) => m.id === 902).result.error.code).toBe('invalid-request');
    expect(results.find((m) => m.id === 903).result.error.message).toMatch(/unknown field "asRoot"/);
    expect(results.find((m) => m.id === 904).result.error.message).toMatch(/forbidden key/);
    // Still alive and answering; the app side refuses bad calls before they leave.
    expect(await c.dispatch('server.status', undefined)).toMatchObject({ ok: true });
    expect(await c.dispatch('settings.save', { draft: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await c.dispatch('rm -rf', undefined)).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('stops when stdin closes (the app quit or crashed): exit 0, lease store closed', async () => {
    const dir = tmp();
    const c = await start(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const exit = await c.close(10_000);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(c.running).toBe(false);
    expect(await c.dispatch('server.status', undefined)).toEqual({ ok: false, error: { code: 'failed', message: 'the privileged helper is not running' } });
    // The data directory is free again: the app's in-process engine can open it.
    const local = await ServerController.open({ dataDir: dir, watchIntervalMs: 0 });
    await local.close();
  });

  it('a helper that cannot open the data directory says why before any call', async () => {
    const dir = tmp();
    const holder = await ServerController.open({ dataDir: dir, watchIntervalMs: 0 });
    try {
      await expect(HelperClient.start(helperArgv(dir), { cwd: ROOT, helloTimeoutMs: 30_000 })).rejects.toThrow(/could not open the data directory/);
    } finally {
      await holder.close();
    }
  });

  it('a helper that exits before its hello (pkexec dismissed = 126) is reported in words', async () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(126)'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await expect(HelperClient.attach(child, { viaPkexec: true })).rejects.toThrow(/password dialog was closed/);
  });
});

describe('EngineHost: in-process engine → privileged helper → back', () => {
  it('forwards the window’s calls to the helper after elevate, and falls back when the helper dies', async () => {
    const dir = tmp();
    const info = (engine: string): AppInfo => ({ version: 't', mode: 'electron', platform: 'linux', dataDir: dir, nativeSave: true, canApplyStaticAddress: false, engine: engine as AppInfo['engine'] });
    let helper: HelperClient | undefined;
    const host = await EngineHost.open({
      openLocal: () => ServerController.open({ dataDir: dir, watchIntervalMs: 0, nicElevation: { kind: 'none', reason: 'test' } }),
      startHelper: async () => (helper = await HelperClient.start(helperArgv(dir), { cwd: ROOT, helloTimeoutMs: 30_000 })),
      helperCommand: 'pkexec … helper --stdio',
      appInfo: (engine) => info(engine),
      privileges: async () => ({ platform: 'linux', canServe: false, canConfigureNic: false, problems: [{ what: 'port-67', text: 'x' }], fixes: [], summary: 'no' }),
    });
    const events: HostEvent[] = [];
    host.subscribe((e) => events.push(e));
    try {
      expect(host.engine).toBe('in-process');
      expect(await host.dispatch('app.info', undefined)).toMatchObject({ ok: true, value: { engine: 'in-process', canElevate: true } });
      expect(await host.dispatch('privileges.check', undefined)).toMatchObject({ ok: true, value: { canServe: false, elevate: { available: true, command: 'pkexec … helper --stdio' } } });
      const draft = { interface: 'sv0' };
      expect(await host.dispatch('settings.save', { draft })).toMatchObject({ ok: true });

      const elevated = await host.dispatch('engine.elevate', undefined);
      expect(elevated).toMatchObject({ ok: true, value: { engine: 'helper', canElevate: false } });
      expect(events.filter((e) => e.name === 'engine').map((e) => e.payload)).toEqual([{ engine: 'helper' }]);
      // Served by the helper now: same data directory, so the same saved draft.
      expect(await host.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { draft } });
      expect(await host.dispatch('privileges.check', undefined)).toMatchObject({ ok: true, value: { viaHelper: true } });
      await host.dispatch('settings.save', { draft: { interface: 'sv1' } });
      await until(() => events.some((e) => e.name === 'settings' && (e.payload as SettingsState).draft.interface === 'sv1'));

      // The helper dies (killed, crashed): the in-process engine comes back and the window is told.
      helper!.child.kill('SIGKILL');
      await until(() => events.filter((e) => e.name === 'engine').length === 2, 10_000);
      expect(events.filter((e) => e.name === 'engine')[1]!.payload).toMatchObject({ engine: 'in-process', message: expect.stringMatching(/privileged helper stopped/) });
      expect(host.engine).toBe('in-process');
      expect(await host.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { draft: { interface: 'sv1' } } });
    } finally {
      await host.close();
    }
  });

  it('a refused password leaves the in-process engine running', async () => {
    const dir = tmp();
    const host = await EngineHost.open({
      openLocal: () => ServerController.open({ dataDir: dir, watchIntervalMs: 0 }),
      startHelper: () => HelperClient.attach(spawn(process.execPath, ['-e', 'process.exit(126)'], { stdio: ['pipe', 'pipe', 'pipe'] }), { viaPkexec: true }),
      appInfo: () => ({ version: 't', mode: 'electron', platform: 'linux', dataDir: dir, nativeSave: true, canApplyStaticAddress: false }),
      privileges: async () => ({ platform: 'linux', canServe: false, canConfigureNic: false, problems: [], fixes: [], summary: '' }),
    });
    try {
      expect(await host.dispatch('engine.elevate', undefined)).toEqual({ ok: false, error: { code: 'failed', message: 'the password dialog was closed; the engine keeps running without privileges' } });
      expect(host.engine).toBe('in-process');
      expect(await host.dispatch('server.status', undefined)).toMatchObject({ ok: true, value: { state: 'stopped' } });
    } finally {
      await host.close();
    }
  });
});
