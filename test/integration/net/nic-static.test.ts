// The static address on Linux for real, through the built CLI (`pocket-dhcp nic set|restore|show`,
// what the desktop app runs through pkexec and the helper runs directly), inside a network
// namespace — never on the machine's own interfaces:
//
//   S: nsa0 (198.18.81.5/24 fixed + 198.19.81.7/24 with a lifetime, as if from DHCP; link down) ──veth── C: nsb0
//
// set → verify with `ip -j addr` → restore to exactly the previous addresses and link state;
// restore again is harmless; the "before" survives the process (a crash = a leftover record that
// the next `nic restore` puts back); refusals (bad address, unknown interface, no CAP_NET_ADMIN)
// change nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, systemBinary, type Lab } from '../../helpers/netns.js';
import { CLI, cliMissing, REPO_ROOT, runCli, TempDirs } from '../../helpers/server-lab.js';
import { NIC_STATE_FILE } from '../../../src-main/net/nic-state.js';

const avail = netnsAvailable();
const skip = !avail.ok ? avail.reason : cliMissing();
if (skip) console.warn(`[static address integration] skipped: ${skip}`);

interface IpAddr {
  family: string;
  local: string;
  prefixlen: number;
  dynamic?: boolean;
}

describe.skipIf(skip !== undefined)(`static address through iproute2 in a namespace${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('nic');

  beforeAll(async () => {
    lab = await createLab('nicstatic');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'nsa0', '198.18.81.5/24', 'c', 'nsb0', null);
    await lab.ip('s', 'addr', 'add', '198.19.81.7/24', 'dev', 'nsa0', 'valid_lft', '3600', 'preferred_lft', '3600');
    await lab.ip('s', 'link', 'set', 'nsa0', 'down');
  });

  afterAll(async () => {
    await lab?.cleanup();
    tmp.cleanup();
  });

  const link = async (): Promise<{ up: boolean; addrs: string[] }> => {
    const [l] = JSON.parse(await lab.ip('s', '-j', 'addr', 'show', 'dev', 'nsa0')) as Array<{ flags: string[]; addr_info: IpAddr[] }>;
    return { up: l!.flags.includes('UP'), addrs: l!.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}${a.dynamic ? ' dynamic' : ''}`).sort() };
  };

  it('set → verified with ip -j addr → restore to exactly the previous addresses and link state; again is harmless', async () => {
    const dataDir = tmp.make('data');
    const before = await link();
    expect(before).toEqual({ up: false, addrs: ['198.18.81.5/24', '198.19.81.7/24 dynamic'] });

    const dry = await runCli(lab, 's', ['nic', 'set', 'nsa0', '198.18.80.1/24', '--data-dir', dataDir, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would run: ip addr add 198.18.80.1/24 dev nsa0');
    expect(dry.stdout).toContain('would run: ip link set nsa0 up');
    expect(await link()).toEqual(before);
    expect(existsSync(join(dataDir, NIC_STATE_FILE))).toBe(false);

    const set = await runCli(lab, 's', ['nic', 'set', 'nsa0', '198.18.80.1/24', '--data-dir', dataDir, '--json']);
    expect(set.code, set.stderr).toBe(0);
    const r = JSON.parse(set.stdout.trim());
    expect(r).toMatchObject({ ok: true, action: 'apply', method: 'ip', verified: true, commands: ['ip addr add 198.18.80.1/24 dev nsa0', 'ip link set nsa0 up'] });
    expect(await link()).toEqual({ up: true, addrs: ['198.18.80.1/24', '198.18.81.5/24', '198.19.81.7/24 dynamic'] });
    const saved = JSON.parse(readFileSync(join(dataDir, NIC_STATE_FILE), 'utf8'));
    expect(saved.changes.nsa0).toMatchObject({ method: 'ip', addedAddress: true, complete: true, by: 'cli', previous: { adminUp: false, addresses: [{ address: '198.18.81.5', prefix: 24, dynamic: false }, { address: '198.19.81.7', prefix: 24, dynamic: true }] } });

    // A new process (the app after a crash, or the user) finds the record.
    const show = await runCli(lab, 's', ['nic', 'show', '--data-dir', dataDir]);
    expect(show.stdout).toMatch(/^nsa0: set to 198\.18\.80\.1\/24 by cli at .*before: 198\.18\.81\.5\/24, 198\.19\.81\.7\/24 \(DHCP\), disabled/);

    const restore = await runCli(lab, 's', ['nic', 'restore', '--data-dir', dataDir, '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout.trim())).toMatchObject([{ ok: true, action: 'restore', verified: true, commands: ['ip addr del 198.18.80.1/24 dev nsa0', 'ip link set nsa0 down'] }]);
    expect(await link()).toEqual(before);
    expect(existsSync(join(dataDir, NIC_STATE_FILE))).toBe(false);

    const again = await runCli(lab, 's', ['nic', 'restore', 'nsa0', '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to restore: no saved settings for nsa0/);
    expect(await link()).toEqual(before);
  });

  it('restores what went missing meanwhile, and leaves an address that was already there', async () => {
    const dataDir = tmp.make('data');
    // The address to set is already on the interface (set by hand): restore must not remove it.
    await lab.ip('s', 'addr', 'add', '198.18.80.9/24', 'dev', 'nsa0');
    const before = await link();
    let r = await runCli(lab, 's', ['nic', 'set', 'nsa0', '198.18.80.9/24', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ ok: true, commands: ['ip link set nsa0 up'] });
    // Meanwhile someone deletes the interface's fixed address.
    await lab.ip('s', 'addr', 'del', '198.18.81.5/24', 'dev', 'nsa0');
    r = await runCli(lab, 's', ['nic', 'restore', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(r.stdout.trim())).toMatchObject([{ ok: true, verified: true, commands: ['ip addr add 198.18.81.5/24 dev nsa0', 'ip link set nsa0 down'] }]);
    expect(await link()).toEqual(before);
    await lab.ip('s', 'addr', 'del', '198.18.80.9/24', 'dev', 'nsa0');
  });

  it('refusals change nothing: bad address (exit 2), unknown interface, no CAP_NET_ADMIN', async () => {
    const dataDir = tmp.make('data');
    const before = await link();
    const bad = await runCli(lab, 's', ['nic', 'set', 'nsa0', '198.18.80.0/24', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/198\.18\.80\.0 is the network address of 198\.18\.80\.0\/24 — pick a host address such as 198\.18\.80\.1/);
    const usage = await runCli(lab, 's', ['nic', 'set', 'nsa0', '198.18.80.1', '--data-dir', dataDir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/must look like ADDRESS\/PREFIX/);
    const missing = await runCli(lab, 's', ['nic', 'set', 'usb7', '198.18.80.1/24', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/interface usb7 does not exist/);
    // Root without CAP_NET_ADMIN (dropped from the bounding set): the privilege check refuses.
    const capsh = systemBinary('capsh');
    if (existsSync(capsh)) {
      const nocap = await lab.exec('s', capsh, ['--drop=cap_net_admin', '--', '-c', `exec "${process.execPath}" "${CLI}" nic set nsa0 198.18.80.1/24 --data-dir "${dataDir}"`], { cwd: REPO_ROOT, timeoutMs: 15_000 });
      expect(nocap.code).toBe(1);
      expect(nocap.stderr).toMatch(/changing network settings needs administrator rights — run it with sudo/);
    } else console.warn('[static address integration] capsh missing (libcap2-bin): the no-CAP_NET_ADMIN refusal is not checked');
    expect(await link()).toEqual(before);
    expect(existsSync(join(dataDir, NIC_STATE_FILE))).toBe(false);
  });
});
