// The privileged helper serving for real: the built CLI's `helper --stdio` runs as root inside a
// network namespace (directly — in the app pkexec is in front of it), driven over stdio through the
// same HelperClient the desktop app uses. The contract configures and starts the server on a veth,
// a real busybox udhcpc in the other namespace gets a lease, and the lease arrives as a pushed
// event; a static address is applied and restored through the helper (root: no prompt); a garbage
// line is answered with an error while serving goes on; closing stdin stops everything.
//
//   S: hv0 198.18.84.1/24, hv1 (no address) ──veth── C: hc0, hc1
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { HelperClient, type HelperEvent } from '../../../src-main/helper/helper-client.js';
import type { LeaseRow, LogEntry, NicChangeResult, NicSavedInfo, ServerStatus } from '../../../src-main/ipc/contract.js';
import { createLab, netnsAvailable, readLines, type Lab } from '../../helpers/netns.js';
import { CLI, cliMissing, REPO_ROOT, runUdhcpc, TempDirs } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const skip = !avail.ok ? avail.reason : cliMissing();
if (skip) console.warn(`[helper integration] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`privileged helper over stdio, serving a real client${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('helper');
  let child: ChildProcess;
  let helper: HelperClient;
  const events: HelperEvent[] = [];

  beforeAll(async () => {
    lab = await createLab('helpersrv');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'hv0', '198.18.84.1/24', 'c', 'hc0', null);
    await lab.link('s', 'hv1', null, 'c', 'hc1', null);
    const dataDir = tmp.make('data');
    child = lab.spawn('s', process.execPath, [CLI, 'helper', '--stdio', '--data-dir', dataDir], { cwd: REPO_ROOT });
    readLines(child.stderr!);
    helper = await HelperClient.attach(child, { helloTimeoutMs: 30_000 });
    helper.subscribe((e) => events.push(e));
  }, 60_000);

  afterAll(async () => {
    if (helper?.running) await helper.close(5000);
    await lab?.cleanup();
    tmp.cleanup();
  });

  const until = async <T>(find: () => T | undefined, ms = 10_000, what = 'event'): Promise<T> => {
    const t0 = Date.now();
    for (;;) {
      const v = find();
      if (v !== undefined) return v;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const ok = <T>(r: Awaited<ReturnType<HelperClient['dispatch']>>): T => {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };

  it('hello from root in the namespace', () => {
    expect(helper.hello).toMatchObject({ type: 'hello', protocol: 1, uid: 0 });
  });

  it('configure and start over the contract; a real udhcpc gets a lease, pushed as a leases event', async () => {
    const draft = { interface: 'hv0', leaseTime: 600, subnets: [{ subnet: '198.18.84.0/24', range: '198.18.84.100-198.18.84.120', router: '198.18.84.1' }] };
    expect(ok<{ problems: unknown[] }>(await helper.dispatch('settings.save', { draft })).problems).toEqual([]);
    const started = ok<ServerStatus>(await helper.dispatch('server.start', undefined));
    expect(started, JSON.stringify(started.error)).toMatchObject({ state: 'running', interface: 'hv0', serverId: '198.18.84.1' });
    await until(() => events.find((e) => e.name === 'status' && (e.payload as ServerStatus).state === 'running'), 5000, 'running status');

    const { result, rec } = await runUdhcpc(lab, 'c', 'hc0', { dir: tmp.make('udhcpc') });
    expect(result.code, result.stderr).toBe(0);
    const bound = await rec.waitFor(['bound']);
    expect(bound.ip).toMatch(/^198\.18\.84\.(1[0-1]\d|120)$/);
    expect(bound.router).toBe('198.18.84.1');

    const row = await until(() => events.filter((e) => e.name === 'leases').flatMap((e) => (e.payload as { upserts: LeaseRow[] }).upserts).find((r) => r.ip === bound.ip && r.state === 'bound'), 5000, 'lease row');
    expect(row.subnet).toBe('198.18.84.0/24');
    const acks = events.filter((e) => e.name === 'log').flatMap((e) => e.payload as LogEntry[]).filter((l) => l.kind === 'ack');
    expect(acks.some((l) => l.ip === bound.ip)).toBe(true);
    expect(ok<LeaseRow[]>(await helper.dispatch('leases.list', undefined)).map((r) => r.ip)).toContain(bound.ip);
  });

  it('a garbage line gets an error result; the helper keeps serving and answering', async () => {
    const before = events.length;
    helper.writeRaw('{"type":"call","id":"x1","name":"server.stop","payload":{"force":true}}\n');
    helper.writeRaw('\u0000\u0001 not json at all\n');
    expect(ok<ServerStatus>(await helper.dispatch('server.status', undefined)).state).toBe('running');
    expect(events.length).toBeGreaterThanOrEqual(before);
  });

  it('static address through the helper: applied directly (root), verified, saved, restored', async () => {
    const plan = ok<{ apply: { elevation: string; commands: string[]; available: boolean } }>(await helper.dispatch('nic.plan', { interface: 'hv1', address: '198.18.85.1', prefix: 24 }));
    expect(plan.apply).toMatchObject({ elevation: 'none', available: true, commands: ['ip addr add 198.18.85.1/24 dev hv1'] });
    const applied = ok<NicChangeResult>(await helper.dispatch('nic.apply', { interface: 'hv1', address: '198.18.85.1', prefix: 24, expect: plan.apply.commands }));
    expect(applied).toMatchObject({ ok: true, verified: true, saved: true });
    const [l] = JSON.parse(await lab.ip('s', '-j', 'addr', 'show', 'dev', 'hv1')) as Array<{ addr_info: Array<{ family: string; local: string }> }>;
    expect(l!.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual(['198.18.85.1']);
    const saved = await until(() => events.filter((e) => e.name === 'nic').map((e) => e.payload as NicSavedInfo[]).find((s) => s.length === 1), 5000, 'nic event');
    expect(saved[0]).toMatchObject({ interface: 'hv1', address: '198.18.85.1', by: 'helper', previous: 'no IPv4 address, enabled' });
    const [restored] = ok<NicChangeResult[]>(await helper.dispatch('nic.restore', { interface: 'hv1' }));
    expect(restored).toMatchObject({ ok: true, verified: true, commands: ['ip addr del 198.18.85.1/24 dev hv1'] });
    expect(ok<NicSavedInfo[]>(await helper.dispatch('nic.saved', undefined))).toEqual([]);
  });

  it('stop over the contract, then closing stdin ends the helper cleanly', async () => {
    expect(ok<ServerStatus>(await helper.dispatch('server.stop', undefined)).state).toBe('stopped');
    const exit = await helper.close(10_000);
    expect(exit).toMatchObject({ code: 0 });
  });
});
