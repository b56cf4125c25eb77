// Apply → verify → restore on a pretend machine (test/helpers/fake-nic.ts), for every OS and every
// way of getting the rights: directly, one pkexec of our CLI, osascript's administrator prompt,
// UAC. What is saved before anything runs, that a failure leaves nothing changed, that restoring
// twice is harmless, and that the user is refused when the commands changed after they saw them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyStaticAddress, directSteps, restoreStaticAddress, type ChangeDeps, type CommandResult } from '../../../src-main/net/nic-change.js';
import { NicManager, parseCliJson } from '../../../src-main/net/nic-manager.js';
import { readNicState } from '../../../src-main/net/nic-state.js';
import { FakeMachine } from '../../helpers/fake-nic.js';

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pd-nicchange-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function deps(m: FakeMachine, dir: string, platform: NodeJS.Platform = 'linux', context: ChangeDeps['context'] = async () => ({})): ChangeDeps {
  return { dataDir: dir, platform, run: m.run, runSteps: directSteps(m.run, platform), context, by: 'cli', now: () => 1_800_000_000_000, verifyTries: 2, verifyIntervalMs: 1 };
}

describe('Linux, iproute2, run directly (root / the helper)', () => {
  it('apply saves the before first, runs the two commands, verifies; restore puts it back exactly; twice is harmless', async () => {
    const m = new FakeMachine().link('nsm0', false, [{ address: '198.18.61.5', prefix: 24 }, { address: '198.19.61.7', prefix: 24, dynamic: true }]);
    const dir = dataDir();
    let savedBeforeFirstChange: unknown;
    const d = deps(m, dir);
    const run = d.runSteps;
    d.runSteps = async (steps, what) => {
      savedBeforeFirstChange ??= await readNicState(dir);
      return run(steps, what);
    };
    const r = await applyStaticAddress({ interface: 'nsm0', address: '198.18.60.1', prefix: 24 }, d);
    expect(r).toMatchObject({ ok: true, action: 'apply', verified: true, saved: true, commands: ['ip addr add 198.18.60.1/24 dev nsm0', 'ip link set nsm0 up'] });
    expect(r.now).toBe('198.18.61.5/24, 198.19.61.7/24 (DHCP), 198.18.60.1/24, enabled');
    expect(savedBeforeFirstChange).toMatchObject([{ interface: 'nsm0', complete: false, addedAddress: true, previous: { adminUp: false } }]);
    expect(await readNicState(dir)).toMatchObject([{ complete: true, by: 'cli', appliedAt: 1_800_000_000_000 }]);

    const [back] = await restoreStaticAddress({ interface: 'nsm0' }, d);
    expect(back).toMatchObject({ ok: true, action: 'restore', verified: true, saved: false, commands: ['ip addr del 198.18.60.1/24 dev nsm0', 'ip link set nsm0 down'] });
    expect(m.links.get('nsm0')).toEqual({ up: false, addrs: [{ address: '198.18.61.5', prefix: 24 }, { address: '198.19.61.7', prefix: 24, dynamic: true }] });
    expect(await readNicState(dir)).toEqual([]);
    expect(await restoreStaticAddress({}, d)).toEqual([]);
  });

  it('a failing command rolls back what ran and leaves no record', async () => {
    const m = new FakeMachine().link('nsm0', false);
    m.failOn = (argv) => (argv[1] === 'link' ? { code: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted' } : undefined);
    const dir = dataDir();
    const r = await applyStaticAddress({ interface: 'nsm0', address: '198.18.60.1', prefix: 24 }, deps(m, dir));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/"ip link set nsm0 up" failed \(exit 2\): RTNETLINK answers: Operation not permitted\. Nothing was left changed\./);
    expect(m.links.get('nsm0')!.addrs).toEqual([]);
    expect(await readNicState(dir)).toEqual([]);
  });

  it('applying again keeps the original "before" (never restores to our own address)', async () => {
    const m = new FakeMachine().link('nsm0', true, [{ address: '10.9.9.9', prefix: 24 }]);
    const dir = dataDir();
    await applyStaticAddress({ interface: 'nsm0', address: '198.18.60.1', prefix: 24 }, deps(m, dir));
    await applyStaticAddress({ interface: 'nsm0', address: '198.18.70.1', prefix: 24 }, deps(m, dir));
    const [saved] = await readNicState(dir);
    expect(saved!.previous).toEqual({ method: 'ip', adminUp: true, addresses: [{ address: '10.9.9.9', prefix: 24, dynamic: false }] });
    expect(saved!.address).toBe('198.18.70.1');
    // Restore removes the current one; the first one (also ours) stays — it is not in the "before" either, but ip restore only deletes what the record names.
    await restoreStaticAddress({}, deps(m, dir));
    expect(m.links.get('nsm0')!.addrs.map((a) => a.address)).toEqual(['10.9.9.9', '198.18.60.1']);
  });

  it('an address the interface already has: nothing runs, nothing is saved', async () => {
    const m = new FakeMachine().link('nsm0', true, [{ address: '198.18.60.1', prefix: 24 }]);
    const dir = dataDir();
    const r = await applyStaticAddress({ interface: 'nsm0', address: '198.18.60.1', prefix: 24 }, deps(m, dir));
    expect(r).toMatchObject({ ok: true, commands: [], saved: false, message: 'nsm0 already has 198.18.60.1/24.' });
    expect(await readNicState(dir)).toEqual([]);
  });

  it('an interface that is not there: refused before anything runs', async () => {
    const m = new FakeMachine();
    await expect(applyStaticAddress({ interface: 'usb9', address: '198.18.60.1', prefix: 24 }, deps(m, dataDir()))).rejects.toThrow(/usb9 does not exist/);
    await expect(applyStaticAddress({ interface: 'eth1', address: '198.18.60.0', prefix: 24 }, deps(m, dataDir()))).rejects.toThrow(/network address/);
  });

  it('restore of an unplugged adapter keeps the record and says so; forget drops it without running anything', async () => {
    const m = new FakeMachine().link('usb0', false);
    const dir = dataDir();
    await applyStaticAddress({ interface: 'usb0', address: '198.18.60.1', prefix: 24 }, deps(m, dir));
    m.links.delete('usb0');
    const [r] = await restoreStaticAddress({}, deps(m, dir));
    expect(r).toMatchObject({ ok: false, saved: true });
    expect(r!.message).toMatch(/usb0 does not exist.*restore again once usb0 is back, or forget them/);
    const before = m.log.length;
    const [f] = await restoreStaticAddress({ interface: 'usb0', forget: true }, deps(m, dir));
    expect(f).toMatchObject({ ok: true, action: 'forget', saved: false });
    expect(m.log.length).toBe(before);
    expect(await readNicState(dir)).toEqual([]);
  });
});

describe('Linux, NetworkManager', () => {
  it('temporary profile on, then the previous connection back', async () => {
    const m = new FakeMachine().link('eth1', true, [{ address: '10.0.0.23', prefix: 24, dynamic: true }]);
    m.connections.push({ name: 'Wired connection 1', uuid: '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f', type: '802-3-ethernet', addresses: [{ address: '10.0.0.23', prefix: 24, dynamic: true }] });
    m.active.set('eth1', '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f');
    const dir = dataDir();
    const d = deps(m, dir, 'linux', async () => ({ networkManager: 'connected', networkManagerType: 'ethernet' }));
    const r = await applyStaticAddress({ interface: 'eth1', address: '192.168.77.1', prefix: 24 }, d);
    expect(r).toMatchObject({ ok: true, method: 'nmcli', verified: true });
    expect(r.commands[0]).toBe('nmcli connection add save no type ethernet con-name pocket-dhcp-eth1 ifname eth1 connection.autoconnect no ipv4.method manual ipv4.addresses 192.168.77.1/24 ipv6.method ignore');
    expect(m.links.get('eth1')!.addrs).toEqual([{ address: '192.168.77.1', prefix: 24 }]);
    const [back] = await restoreStaticAddress({}, d);
    expect(back).toMatchObject({ ok: true, verified: true, commands: ['nmcli connection delete id pocket-dhcp-eth1', 'nmcli --wait 20 connection up uuid 5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f ifname eth1'] });
    expect(m.connections.map((c) => c.name)).toEqual(['Wired connection 1']);
    expect(m.active.get('eth1')).toBe('5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f');
  });

  it('re-activating the old connection may fail (no DHCP server now): restore still succeeds, with a note', async () => {
    const m = new FakeMachine().link('eth1', true);
    m.connections.push({ name: 'Office', uuid: '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f', type: '802-3-ethernet', addresses: [] });
    m.active.set('eth1', '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f');
    const dir = dataDir();
    const d = deps(m, dir, 'linux', async () => ({ networkManager: 'connected' }));
    await applyStaticAddress({ interface: 'eth1', address: '192.168.77.1', prefix: 24 }, d);
    m.failOn = (argv) => (argv.includes('uuid') ? { code: 4, stdout: '', stderr: 'Error: Connection activation failed: IP configuration could not be reserved' } : undefined);
    const [back] = await restoreStaticAddress({}, d);
    expect(back!.ok).toBe(true);
    expect(back!.message).toMatch(/NetworkManager reconnects on its own/);
    expect(await readNicState(dir)).toEqual([]);
  });
});

describe('the desktop app without privileges', () => {
  const appNic = (m: FakeMachine, dir: string, platform: NodeJS.Platform, elevation: ConstructorParameters<typeof NicManager>[0]['elevation'], context = async () => ({})) =>
    new NicManager({ dataDir: dir, platform, elevation, by: 'app', run: (argv, o) => m.run(argv, o), context });

  it('Linux: one pkexec of our own CLI, shown exactly; its JSON result; cancel and no-agent explained', async () => {
    const m = new FakeMachine().link('enx1', false);
    const dir = dataDir();
    const pk = { kind: 'pkexec-cli' as const, launcher: ['/opt/Pocket DHCP/pocket-dhcp', '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js'], env: { ELECTRON_RUN_AS_NODE: '1' }, pkexec: '/usr/bin/pkexec' };
    const nic = appNic(m, dir, 'linux', pk);
    const plan = await nic.plan({ interface: 'enx1', address: '192.168.77.1', prefix: 24 });
    const cmd = `/usr/bin/pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 '/opt/Pocket DHCP/pocket-dhcp' '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js' nic set enx1 192.168.77.1/24 --data-dir ${dir} --json --by app`;
    expect(plan.apply).toMatchObject({ method: 'ip', elevation: 'pkexec', available: true, commands: [cmd], current: 'no IPv4 address, disabled', restore: ['ip addr del 192.168.77.1/24 dev enx1', 'ip link set enx1 down'] });
    expect(plan.apply!.steps.map((s) => s.command)).toEqual(['ip addr add 192.168.77.1/24 dev enx1', 'ip link set enx1 up']);

    let answer: CommandResult = { code: 0, stdout: `${JSON.stringify({ ok: true, action: 'apply', interface: 'enx1', address: '192.168.77.1', prefix: 24, method: 'ip', commands: ['ip addr add 192.168.77.1/24 dev enx1'], steps: [], verified: true, message: 'enx1 now has 192.168.77.1/24.', saved: true })}\n`, stderr: '' };
    const seen: string[][] = [];
    const orig = m.run;
    m.run = async (argv, o) => {
      if (argv[0] === '/usr/bin/pkexec') {
        seen.push([...argv]);
        return answer;
      }
      return orig(argv, o);
    };
    const r = await nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24, expect: plan.apply!.commands });
    expect(seen[0]!.slice(0, 5)).toEqual(['/usr/bin/pkexec', '/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/opt/Pocket DHCP/pocket-dhcp', '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js']);
    expect(r).toMatchObject({ ok: true, verified: true, commands: [cmd, 'ip addr add 192.168.77.1/24 dev enx1'] });

    answer = { code: 126, stdout: '', stderr: 'Error executing command as another user: Request dismissed' };
    expect((await nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 })).message).toBe('Nothing was changed: the administrator password dialog was closed.');
    answer = { code: 127, stdout: '', stderr: 'Error executing command as another user: No authentication agent found.' };
    expect((await nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 })).message).toMatch(/no polkit authentication agent.*sudo ip addr add 192\.168\.77\.1\/24 dev enx1 && sudo ip link set enx1 up/);
    answer = { code: 127, stdout: '', stderr: 'Error executing command as another user: Not authorized' };
    expect((await nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 })).message).toMatch(/did not authorize/);
  });

  it('refuses when the commands changed since the user saw them', async () => {
    const m = new FakeMachine().link('enx1', false);
    const nic = appNic(m, dataDir(), 'linux', { kind: 'direct' });
    const plan = await nic.plan({ interface: 'enx1', address: '192.168.77.1', prefix: 24 });
    m.links.get('enx1')!.up = true; // someone enabled it meanwhile: the plan is now one command
    await expect(nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24, expect: plan.apply!.commands })).rejects.toThrow(/changed since the commands were shown.*review them again/);
    expect(m.links.get('enx1')!.addrs).toEqual([]);
  });

  it('pkexec not usable: the plan says why, apply refuses with it', async () => {
    const nic = appNic(new FakeMachine().link('enx1', false), dataDir(), 'linux', { kind: 'pkexec-cli', launcher: ['x'], pkexec: 'pkexec', unavailable: 'Pocket DHCP cannot ask for administrator rights here: pkexec is not installed. Run the commands shown in a terminal instead.' });
    const plan = await nic.plan({ interface: 'enx1', address: '192.168.77.1', prefix: 24 });
    expect(plan.apply).toMatchObject({ available: false, reason: expect.stringMatching(/pkexec is not installed/) });
    await expect(nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 })).rejects.toThrow(/pkexec is not installed/);
  });

  it('macOS: the changing commands in one administrator prompt, shown as osascript; cancel changes nothing', async () => {
    const m = new FakeMachine();
    m.mac.set('USB LAN', 'DHCP Configuration\nIP address: 192.168.1.23\nSubnet mask: 255.255.255.0\nRouter: 192.168.1.1\n');
    const dir = dataDir();
    const nic = appNic(m, dir, 'darwin', { kind: 'osascript' }, async () => ({ macService: 'USB LAN' }));
    const plan = await nic.plan({ interface: 'en7', address: '192.168.77.1', prefix: 24 });
    expect(plan.apply!.commands).toEqual([
      `/usr/bin/osascript -e 'do shell script "/usr/sbin/networksetup -setmanual '\\''USB LAN'\\'' 192.168.77.1 255.255.255.0" with prompt "Pocket DHCP wants to give the interface a static address." with administrator privileges'`,
    ]);
    expect(plan.apply!.restore).toEqual(["/usr/sbin/networksetup -setdhcp 'USB LAN'"]);
    const r = await nic.apply({ interface: 'en7', address: '192.168.77.1', prefix: 24, expect: plan.apply!.commands });
    expect(r).toMatchObject({ ok: true, verified: true, method: 'networksetup' });
    expect(m.mac.get('USB LAN')).toContain('Manual Configuration');
    const [back] = await nic.restore({ interface: 'en7' });
    expect(back).toMatchObject({ ok: true, verified: true });
    expect(m.mac.get('USB LAN')).toContain('DHCP Configuration');

    const orig = m.run;
    m.run = async (argv, o) => (argv[0] === '/usr/bin/osascript' ? { code: 1, stdout: '', stderr: '0:180: execution error: User canceled. (-128)' } : orig(argv, o));
    const c = await nic.apply({ interface: 'en7', address: '192.168.77.1', prefix: 24 });
    expect(c).toMatchObject({ ok: false, message: 'Nothing was changed.' });
    expect(await readNicState(dir)).toEqual([]);
  });

  it('Windows: each changing command through UAC (PowerShell Start-Process -Verb RunAs), read with PowerShell', async () => {
    const m = new FakeMachine();
    m.win.set('Ethernet 2', { dhcp: true, addresses: [{ address: '169.254.7.7', prefix: 16, dynamic: true }] });
    const dir = dataDir();
    const nic = appNic(m, dir, 'win32', { kind: 'uac' });
    const plan = await nic.plan({ interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 });
    expect(plan.apply!.commands).toEqual([
      `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$p = Start-Process -FilePath 'netsh' -ArgumentList 'interface ipv4 set address name=\\"Ethernet 2\\" static 192.168.77.1 255.255.255.0' -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode"`,
    ]);
    const r = await nic.apply({ interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 });
    expect(r).toMatchObject({ ok: true, verified: true, commands: ['netsh interface ipv4 set address name="Ethernet 2" static 192.168.77.1 255.255.255.0'] });
    const [back] = await nic.restore();
    expect(back).toMatchObject({ ok: true, commands: ['netsh interface ipv4 set address name="Ethernet 2" source=dhcp'] });
    expect(m.win.get('Ethernet 2')!.dhcp).toBe(true);
  });

  it("the CLI's JSON is the last JSON line of its output", () => {
    expect(parseCliJson('warning: x\n{"ok":true}\n')).toEqual({ ok: true });
    expect(parseCliJson('[{"a":1}]\n')).toEqual([{ a: 1 }]);
    expect(parseCliJson('nothing')).toBeUndefined();
  });
});

describe('the restore plan (nic.restorePlan): the exact commands before a restore runs', () => {
  const manager = (m: FakeMachine, dir: string, platform: NodeJS.Platform, elevation: ConstructorParameters<typeof NicManager>[0]['elevation'], context = async () => ({})) =>
    new NicManager({ dataDir: dir, platform, elevation, by: 'app', run: (argv, o) => m.run(argv, o), context });

  it('run directly: the system commands themselves; restore runs exactly them, and refuses once they changed', async () => {
    const m = new FakeMachine().link('enx1', false);
    const dir = dataDir();
    const nic = manager(m, dir, 'linux', { kind: 'direct' });
    expect(await nic.restorePlan({ interface: 'enx1' })).toEqual({ interfaces: [], elevation: 'none', available: true, commands: [], steps: [] });
    await nic.apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 });
    const plan = await nic.restorePlan({ interface: 'enx1' });
    expect(plan).toEqual({
      interfaces: ['enx1'],
      elevation: 'none',
      available: true,
      commands: ['ip addr del 192.168.77.1/24 dev enx1', 'ip link set enx1 down'],
      steps: [
        { interface: 'enx1', command: 'ip addr del 192.168.77.1/24 dev enx1', why: 'removes 192.168.77.1/24 from enx1' },
        { interface: 'enx1', command: 'ip link set enx1 down', why: 'disables enx1 again, as it was' },
      ],
    });
    // Someone took the address away meanwhile: the restore would now be one command, not the two shown.
    m.links.get('enx1')!.addrs = [];
    const before = m.log.length;
    await expect(nic.restore({ interface: 'enx1', expect: plan.commands })).rejects.toThrow(/enx1 changed since the restore commands were shown \(they would now be: ip link set enx1 down\) — review them again/);
    expect(m.log.slice(before).filter((a) => a[1] === 'link' && a[2] === 'set')).toEqual([]);
    expect(m.links.get('enx1')!.up).toBe(true);
    const now = await nic.restorePlan({ interface: 'enx1' });
    const [r] = await nic.restore({ interface: 'enx1', expect: now.commands });
    expect(r).toMatchObject({ ok: true, commands: ['ip link set enx1 down'] });
    expect(m.links.get('enx1')!.up).toBe(false);
  });

  it('Linux app: the one pkexec line of our CLI, with the system commands it runs', async () => {
    const m = new FakeMachine().link('enx1', false);
    const dir = dataDir();
    await manager(m, dir, 'linux', { kind: 'direct' }).apply({ interface: 'enx1', address: '192.168.77.1', prefix: 24 });
    const nic = manager(m, dir, 'linux', { kind: 'pkexec-cli', launcher: ['/usr/bin/pocket-dhcp', '/opt/cli.js'], env: { ELECTRON_RUN_AS_NODE: '1' }, pkexec: '/usr/bin/pkexec' });
    const plan = await nic.restorePlan({ interface: 'enx1' });
    expect(plan).toMatchObject({ elevation: 'pkexec', available: true, commands: [`/usr/bin/pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 /usr/bin/pocket-dhcp /opt/cli.js nic restore enx1 --data-dir ${dir} --json`] });
    expect(plan.steps.map((s) => s.command)).toEqual(['ip addr del 192.168.77.1/24 dev enx1', 'ip link set enx1 down']);
    // What restore then runs is that line, nothing else.
    const seen: string[][] = [];
    const orig = m.run;
    m.run = async (argv, o) => (argv[0] === '/usr/bin/pkexec' ? (seen.push([...argv]), { code: 126, stdout: '', stderr: 'Request dismissed' }) : orig(argv, o));
    await nic.restore({ interface: 'enx1', expect: plan.commands });
    expect(seen.map((a) => a.join(' '))).toEqual(plan.commands);
    // Without privileges to ask for: not available, and why.
    const none = manager(m, dir, 'linux', { kind: 'none', reason: 'This Pocket DHCP runs without the right to change network settings.' });
    expect(await none.restorePlan({ interface: 'enx1' })).toMatchObject({ available: false, reason: 'This Pocket DHCP runs without the right to change network settings.', commands: ['ip addr del 192.168.77.1/24 dev enx1', 'ip link set enx1 down'] });
  });

  it('macOS app: the restoring commands in one administrator prompt', async () => {
    const m = new FakeMachine();
    m.mac.set('USB LAN', 'DHCP Configuration\nIP address: 192.168.1.23\nSubnet mask: 255.255.255.0\nRouter: 192.168.1.1\n');
    const dir = dataDir();
    const nic = manager(m, dir, 'darwin', { kind: 'osascript' }, async () => ({ macService: 'USB LAN' }));
    await nic.apply({ interface: 'en7', address: '192.168.77.1', prefix: 24 });
    const plan = await nic.restorePlan({ interface: 'en7' });
    expect(plan).toMatchObject({ elevation: 'osascript', available: true, steps: [{ interface: 'en7', command: "/usr/sbin/networksetup -setdhcp 'USB LAN'", why: 'sets "USB LAN" back to DHCP' }] });
    expect(plan.commands).toEqual([`/usr/bin/osascript -e 'do shell script "/usr/sbin/networksetup -setdhcp '\\''USB LAN'\\''" with prompt "Pocket DHCP wants to restore the interface’s previous settings." with administrator privileges'`]);
    const [back] = await nic.restore({ interface: 'en7', expect: plan.commands });
    expect(back).toMatchObject({ ok: true, verified: true });
  });

  it('Windows app: each restoring command through UAC', async () => {
    const m = new FakeMachine();
    m.win.set('Ethernet 2', { dhcp: true, addresses: [{ address: '169.254.7.7', prefix: 16, dynamic: true }] });
    const dir = dataDir();
    const nic = manager(m, dir, 'win32', { kind: 'uac' });
    await nic.apply({ interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 });
    const plan = await nic.restorePlan();
    expect(plan).toMatchObject({ interfaces: ['Ethernet 2'], elevation: 'uac', steps: [{ command: 'netsh interface ipv4 set address name="Ethernet 2" source=dhcp' }] });
    expect(plan.commands).toEqual([
      `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$p = Start-Process -FilePath 'netsh' -ArgumentList 'interface ipv4 set address name=\\"Ethernet 2\\" source=dhcp' -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode"`,
    ]);
  });
});
