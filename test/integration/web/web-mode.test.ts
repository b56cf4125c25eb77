// Web mode for real: `pocket-dhcp serve --web` (the built CLI) starts idle inside a namespace with
// settings saved from the UI, a WebSocket client in the same namespace (test/helpers/ws-bridge.ts)
// starts it through the API, a real client (busybox udhcpc) in another namespace gets a lease, and
// the `leases` push with that row reaches the WebSocket client within 2 s. Then stop/start over
// the API, with the client refused while stopped and served again after.
//   S: sv0 198.18.20.1/24 ──veth── C: cl0
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, readLines, type Lab, type LineReader } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { CLI, cliMissing, LAB_PROBE_ARGS, REPO_ROOT, runCli, runUdhcpc, setMac, TempDirs } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const missing = cliMissing();
const skip = !avail.ok ? avail.reason : missing;
if (skip) console.warn(`[web mode integration] skipped: ${skip}`);

const PORT = 18_480;
const SETTINGS = {
  interface: 'sv0',
  leaseTime: 600,
  subnets: [{ subnet: '198.18.20.0/24', range: '198.18.20.100-198.18.20.150', router: '198.18.20.1' }],
};

type Msg = { type: string; id?: number; name?: string; payload?: unknown; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; code?: number };
type Row = { ip: string; mac: string; state: string };

class Bridge {
  private nextId = 1;
  readonly lines: LineReader;
  constructor(readonly child: ChildProcess) {
    this.lines = readLines(child.stdout!);
  }
  messages(): { at: number; msg: Msg }[] {
    return this.lines.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { at: number; msg: Msg });
  }
  async wait(pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<{ at: number; msg: Msg }> {
    const line = await this.lines.waitFor((l) => l.startsWith('{') && pred((JSON.parse(l) as { msg: Msg }).msg), { timeoutMs });
    return JSON.parse(line) as { at: number; msg: Msg };
  }
  async call<T = unknown>(name: string, payload?: unknown, timeoutMs = 10_000): Promise<{ ok: boolean; value: T; error?: { code: string; message: string } }> {
    const id = this.nextId++;
    this.child.stdin!.write(`${JSON.stringify({ id, name, payload })}\n`);
    const r = await this.wait((m) => m.type === 'result' && m.id === id, timeoutMs);
    return r.msg.result as { ok: boolean; value: T; error?: { code: string; message: string } };
  }
}

describe.skipIf(skip !== undefined)(`web mode: UI-driven server over WebSocket${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('web');
  let srv: ChildProcess;
  let out: LineReader;
  let err: LineReader;
  let bridge: Bridge;
  let dataDir: string;
  /** What each passing test proved, for the run's summary (test/helpers/proof.ts). */
  const proved: string[] = [];

  const serverEvents = () => out.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown> & { kind: string });

  beforeAll(async () => {
    lab = await createLab('web');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.20.1/24', 'c', 'cl0', null);
    dataDir = join(tmp.make('srv'), 'data');
    mkdirSync(dataDir, { recursive: true });
    // What the UI saved last time: the server starts idle with it.
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(SETTINGS));
    srv = lab.spawn('s', process.execPath, [CLI, 'serve', '--web', `127.0.0.1:${PORT}`, '--data-dir', dataDir, '--log', 'json', ...LAB_PROBE_ARGS], { cwd: REPO_ROOT });
    out = readLines(srv.stdout!);
    err = readLines(srv.stderr!);
    const web = JSON.parse(await out.waitFor((l) => l.includes('"kind":"web"'), { timeoutMs: 15_000 })) as { url: string };
    expect(web.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${PORT}/#token=[0-9a-f]{32}$`));
    await out.waitFor((l) => l.includes('"kind":"idle"'), { timeoutMs: 5000 });
    bridge = new Bridge(lab.spawnNode('s', ['test/helpers/ws-bridge.ts', web.url]));
    await bridge.wait((m) => m.type === 'auth-ok', 15_000);
  }, 60_000);

  afterAll(async () => {
    if (proved.length) recordProof('web mode', `\`serve --web\` in a namespace: ${proved.join('; ')}`);
    if (bridge) await lab.kill(bridge.child);
    if (srv) await lab.kill(srv, 5000);
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('starts idle with the saved settings; app.ready releases events', async () => {
    const info = await bridge.call<{ mode: string; dataDir: string }>('app.ready');
    expect(info).toMatchObject({ ok: true, value: { mode: 'web', dataDir } });
    expect((await bridge.call<{ state: string }>('server.status')).value.state).toBe('stopped');
    expect((await bridge.call('settings.get')).value).toEqual({ draft: SETTINGS, problems: [] });
    const itfs = await bridge.call<{ name: string }[]>('interfaces.list');
    expect(itfs.value.map((i) => i.name)).toContain('sv0');
  });

  it('a refused start is a status error naming the field, not an exception', async () => {
    const bad = { ...SETTINGS, subnets: [{ ...SETTINGS.subnets[0]!, range: '198.18.20.1-198.18.20.50' }] };
    expect((await bridge.call('settings.save', { draft: bad })).ok).toBe(true);
    const st = await bridge.call<{ state: string; error?: { code: string; field?: string; message: string } }>('server.start');
    expect(st.ok).toBe(true);
    expect(st.value.state).toBe('stopped');
    expect(st.value.error).toMatchObject({ code: 'config', field: 'subnets[0].range' });
    expect(st.value.error!.message).toContain('198.18.20.1');
    expect((await bridge.call('settings.save', { draft: SETTINGS })).ok).toBe(true);
  });

  it('start over the API, a real client gets a lease, the leases push arrives within 2 s', async () => {
    const st = await bridge.call<{ state: string; serverId: string; interface: string }>('server.start');
    expect(st.value).toMatchObject({ state: 'running', serverId: '198.18.20.1', interface: 'sv0' });
    await out.waitFor((l) => l.includes('"kind":"started"'), { timeoutMs: 5000 });

    const mac = '02:00:5e:20:00:01';
    await setMac(lab, 'c', 'cl0', mac);
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud') });
    expect(result.code, result.stderr).toBe(0);
    const ip = (await rec.waitFor(['bound'], { timeoutMs: 1000 })).ip!;
    expect(ip).toMatch(/^198\.18\.20\.(1[0-4]\d|150)$/);

    const push = await bridge.wait((m) => m.type === 'event' && m.name === 'leases' && ((m.payload as { upserts: Row[] }).upserts ?? []).some((r) => r.mac === mac && r.state === 'bound'), 5000);
    const ack = serverEvents().find((e) => e.kind === 'dhcp' && (e.event as { type: string; mac: string }).type === 'ack' && (e.event as { mac: string }).mac === mac);
    expect(ack, out.lines.slice(-20).join('\n')).toBeDefined();
    const delay = push.at - Date.parse(ack!.at as string);
    expect(delay).toBeLessThan(2000);
    expect((push.msg.payload as { upserts: Row[] }).upserts.find((r) => r.mac === mac)!.ip).toBe(ip);

    const rows = await bridge.call<Row[]>('leases.list');
    expect(rows.value.filter((r) => r.mac === mac).map((r) => [r.ip, r.state])).toEqual([[ip, 'bound']]);
    const log = await bridge.call<{ kind: string; text: string }[]>('log.recent', { mac });
    expect(log.value.map((e) => e.kind)).toEqual(expect.arrayContaining(['in', 'offer', 'out', 'ack']));
    expect(log.value.find((e) => e.kind === 'ack')!.text).toContain(`ACK ${ip} to ${mac}`);
    const status = await bridge.wait((m) => m.type === 'event' && m.name === 'status' && ((m.payload as { counters: { acks: number } }).counters?.acks ?? 0) >= 1, 3000);
    expect((status.msg.payload as { pools: { bound: number }[] }).pools[0]!.bound).toBe(1);
    const csv = await bridge.call<{ filename: string; content: string }>('leases.export', { format: 'csv' });
    expect(csv.value.filename).toMatch(/^pocket-dhcp-leases-.*\.csv$/);
    expect(csv.value.content).toContain(`${ip},${mac}`);
    proved.push(`a real client (udhcpc) leased ${ip} after a start over the token-authenticated WebSocket, the lease pushed ${delay} ms after the ACK`);
  });

  it('stop over the API silences the server; start again serves the same client the same address', async () => {
    const before = (await bridge.call<Row[]>('leases.list')).value.find((r) => r.mac === '02:00:5e:20:00:01')!;
    const stopped = await bridge.call<{ state: string }>('server.stop');
    expect(stopped.value.state).toBe('stopped');
    await out.waitFor((l) => l.includes('"kind":"stopped"'), { timeoutMs: 5000 });
    const silent = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud-off'), tries: 2, timeoutMs: 15_000 });
    expect(silent.result.code).not.toBe(0);
    // The lease table is still there while stopped.
    expect((await bridge.call<Row[]>('leases.list')).value.some((r) => r.ip === before.ip && r.state === 'bound')).toBe(true);

    expect((await bridge.call<{ state: string }>('server.start')).value.state).toBe('running');
    const again = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud-again') });
    expect(again.result.code, again.result.stderr).toBe(0);
    expect((await again.rec.waitFor(['bound'], { timeoutMs: 1000 })).ip).toBe(before.ip);
    proved.push('stop over the API silenced the server, start again gave the same address');
  });

  it('SIGTERM closes the WebSocket and exits 0 with the store closed', async () => {
    const exited = new Promise<number | null>((r) => srv.once('exit', (code) => r(code)));
    srv.kill('SIGTERM');
    expect(await exited).toBe(0);
    const closed = await bridge.wait((m) => m.type === 'closed', 5000);
    expect(closed.msg.code).toBe(1001);
    expect(err.lines.filter((l) => /error|unexpected/i.test(l))).toEqual([]);
  });

  it('refuses a non-loopback web address without --web-allow-remote (exit 2)', async () => {
    const r = await runCli(lab, 's', ['serve', '--web', `198.18.20.1:${PORT}`, '--data-dir', join(tmp.make('remote'), 'data')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--web-allow-remote');
    proved.push('a non-loopback --web address without --web-allow-remote refused (exit 2)');
  });
});
