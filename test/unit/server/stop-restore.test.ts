// Restore-on-stop lives in the engine: every stop — the window's Stop button, the tray's "Stop
// serving" (EngineHost.dispatch('server.stop'), what main.ts calls), a web page — puts back the
// served interface when Pocket DHCP set its address and the preference (nic-options.json) is on.
// A restart and the quit dialog say `restore: false`; closing the engine never restores (quitting
// asks). The static-address commands run on a pretend machine (test/helpers/fake-nic.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StopResult } from '../../../src-main/ipc/contract.js';
import { EngineHost } from '../../../src-main/app/engine-host.js';
import { NIC_OPTIONS_FILE, stopRestoreTarget } from '../../../src-main/net/nic-options.js';
import { readNicState } from '../../../src-main/net/nic-state.js';
import { controllerLab, TEST_DRAFT } from '../../helpers/controller-lab.js';
import { FakeMachine } from '../../helpers/fake-nic.js';
import { until } from '../../helpers/memory-transport.js';

const { setup, openController, closeAndForget } = controllerLab('pd-stoprestore-');
const ADDR = { interface: 'test0', address: '198.18.10.1', prefix: 24 };

/** A controller serving test0, whose address Pocket DHCP set on the pretend machine. */
async function servingOnAppliedAddress(m = new FakeMachine().link('test0', false), dir?: string) {
  const s = await setup({ platform: 'linux', nicContext: async () => ({}), nicRun: (a, o) => m.run(a, o), nicElevation: { kind: 'direct' }, nicBy: 'app' }, dir);
  await s.c.saveSettings(TEST_DRAFT);
  expect(await s.c.nicApply(ADDR)).toMatchObject({ ok: true, verified: true });
  expect((await s.c.start()).state).toBe('running');
  return { ...s, m };
}

const restoreCommands = (m: FakeMachine) => m.log.filter((a) => a[0] === 'ip' && (a[2] === 'del' || (a[1] === 'link' && a[4] === 'down'))).map((a) => a.join(' '));

describe('the rule (nic-options.ts)', () => {
  it('restores the served interface only when its address was set by Pocket DHCP and restoring is wanted', () => {
    const saved = [{ interface: 'eth1' }];
    expect(stopRestoreTarget({ served: 'eth1', saved, restoreOnStop: true })).toBe('eth1');
    expect(stopRestoreTarget({ served: 'eth1', saved, restoreOnStop: false })).toBeUndefined();
    expect(stopRestoreTarget({ served: 'eth1', saved, restoreOnStop: true, override: false })).toBeUndefined();
    expect(stopRestoreTarget({ served: 'eth1', saved, restoreOnStop: false, override: true })).toBe('eth1');
    expect(stopRestoreTarget({ served: 'eth2', saved, restoreOnStop: true })).toBeUndefined();
    expect(stopRestoreTarget({ served: undefined, saved, restoreOnStop: true })).toBeUndefined();
  });
});

describe('ServerController.stop', () => {
  it('by default puts the served interface back, once, and says so in the result and the log', async () => {
    const { c, m, of } = await servingOnAppliedAddress();
    expect(m.links.get('test0')).toEqual({ up: true, addrs: [{ address: '198.18.10.1', prefix: 24 }] });
    const r: StopResult = await c.stop();
    expect(r.state).toBe('stopped');
    expect(r.restored).toEqual([expect.objectContaining({ ok: true, action: 'restore', interface: 'test0', verified: true })]);
    expect(restoreCommands(m)).toEqual(['ip addr del 198.18.10.1/24 dev test0', 'ip link set test0 down']);
    expect(m.links.get('test0')).toEqual({ up: false, addrs: [] });
    expect(await readNicState(c.dataDir)).toEqual([]);
    expect(c.recentLog().map((e) => e.text)).toContainEqual(expect.stringMatching(/^RESTORED test0 is back to no IPv4 address, disabled\.$/));
    await until(() => of('nic').some((s) => s.length === 0), 1000, 'nic event after the restore');
    // A second stop (already stopped) runs nothing.
    expect((await c.stop()).restored).toBeUndefined();
    expect(restoreCommands(m)).toHaveLength(2);
  });

  it('restore: false (a restart, the quit dialog) keeps the address', async () => {
    const { c, m } = await servingOnAppliedAddress();
    const r = await c.stop({ restore: false });
    expect(r.restored).toBeUndefined();
    expect(restoreCommands(m)).toEqual([]);
    expect(m.links.get('test0')!.addrs).toEqual([{ address: '198.18.10.1', prefix: 24 }]);
    expect((await c.start()).state).toBe('running'); // the restart's start finds its address
  });

  it('the preference is the engine’s: saved in the data dir, pushed to every window, followed by every stop', async () => {
    const { c, m, dir, of } = await servingOnAppliedAddress();
    expect(await c.nicOptions()).toEqual({ restoreOnStop: true });
    expect(await c.nicOptions({ restoreOnStop: false })).toEqual({ restoreOnStop: false });
    expect(of('nicOptions')).toEqual([{ restoreOnStop: false }]);
    expect(JSON.parse(readFileSync(join(dir, NIC_OPTIONS_FILE), 'utf8'))).toEqual({ restoreOnStop: false });
    expect((await c.stop()).restored).toBeUndefined();
    expect(restoreCommands(m)).toEqual([]);
    // Another engine on the same data dir (the privileged helper, the next start) reads it.
    await closeAndForget(c);
    const again = await openController({}, dir);
    expect(await again.c.nicOptions()).toEqual({ restoreOnStop: false });
  });

  it('a restore that cannot run is reported, not thrown; the record stays for later', async () => {
    const m = new FakeMachine().link('test0', false);
    const { c } = await servingOnAppliedAddress(m);
    m.failOn = (argv) => (argv[1] === 'addr' && argv[2] === 'del' ? { code: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted' } : undefined);
    const r = await c.stop();
    expect(r.state).toBe('stopped');
    expect(r.restored).toEqual([expect.objectContaining({ ok: false, saved: true, message: expect.stringMatching(/Restoring test0 failed: "ip addr del 198\.18\.10\.1\/24 dev test0" failed \(exit 2\)/) })]);
    expect(c.recentLog().at(-1)).toMatchObject({ level: 'warn', text: expect.stringMatching(/^RESTORE FAILED Restoring test0 failed/) });
    expect(await readNicState(c.dataDir)).toHaveLength(1);
  });

  it('closing the engine (quitting) does not restore: the quit dialog asks', async () => {
    const { c, m } = await servingOnAppliedAddress();
    await closeAndForget(c);
    expect(restoreCommands(m)).toEqual([]);
    expect(m.links.get('test0')!.addrs).toEqual([{ address: '198.18.10.1', prefix: 24 }]);
  });
});

describe('the tray’s Stop (EngineHost.dispatch, as main.ts calls it)', () => {
  it('restores through the same rule; with the preference off it does not', async () => {
    const { c, m } = await servingOnAppliedAddress();
    const host = await EngineHost.open({
      openLocal: async () => c,
      appInfo: () => ({ version: 't', mode: 'electron', platform: 'linux', dataDir: c.dataDir, nativeSave: true, canApplyStaticAddress: true }),
      privileges: async () => ({ platform: 'linux', canServe: true, canConfigureNic: true, problems: [], fixes: [], summary: '' }),
    });
    const r = await host.dispatch('server.stop', undefined);
    expect(r).toMatchObject({ ok: true, value: { state: 'stopped', restored: [{ ok: true, interface: 'test0' }] } });
    expect(restoreCommands(m)).toEqual(['ip addr del 198.18.10.1/24 dev test0', 'ip link set test0 down']);

    expect(await c.nicApply(ADDR)).toMatchObject({ ok: true });
    expect(await host.dispatch('nic.options', { restoreOnStop: false })).toEqual({ ok: true, value: { restoreOnStop: false } });
    expect((await c.start()).state).toBe('running');
    const off = await host.dispatch('server.stop', undefined);
    expect(off).toMatchObject({ ok: true, value: { state: 'stopped' } });
    expect((off as { value: StopResult }).value.restored).toBeUndefined();
    expect(restoreCommands(m)).toHaveLength(2);
  });
});
