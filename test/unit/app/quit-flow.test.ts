// Quitting while serving, or while an interface still has the address the app set: what is asked,
// which button is the default, and what each button does.
import { describe, expect, it } from 'vitest';
import type { NicSavedInfo, ServerStatus } from '../../../src-main/ipc/contract.js';
import { planQuit, quitChoice } from '../../../src-main/app/quit-flow.js';

const pool = (bound: number) => ({ subnet: '192.168.77.0/24', range: '192.168.77.100-192.168.77.200', size: 101, bound, offered: 0, declined: 0, free: 101 - bound });
const status = (state: ServerStatus['state'], bound = 0) => ({ state, interface: 'eth1', serverId: '192.168.77.1', pools: [pool(bound)] });
const saved: NicSavedInfo = { interface: 'eth1', address: '192.168.77.1', prefix: 24, method: 'ip', appliedAt: 1, by: 'app', complete: true, previous: 'no IPv4 address, disabled' };

describe('planQuit', () => {
  it('stopped, nothing changed: quits without asking', () => {
    expect(planQuit({ status: status('stopped'), saved: [] })).toEqual({ kind: 'quit', action: { stop: true, restore: [], quit: true } });
    expect(planQuit({ status: undefined, saved: [] }).kind).toBe('quit');
  });

  it('serving on an address the app set: stop + restore is the default; keep is possible; cancel cancels', () => {
    const p = planQuit({ status: status('running', 12), saved: [saved] });
    if (p.kind !== 'ask') throw new Error('expected a question');
    expect(p.message).toBe('Pocket DHCP is serving on eth1. Stop it and quit?');
    expect(p.detail).toMatch(/^12 devices have leases from it: they keep their addresses until the leases run out, but cannot renew them\./);
    expect(p.detail).toMatch(/eth1 192\.168\.77\.1\/24 was set by Pocket DHCP; restoring puts back the previous settings \(no IPv4 address, disabled\)/);
    expect(p.buttons).toEqual(['Stop, restore eth1 and quit', 'Stop and quit, keep 192.168.77.1', 'Cancel']);
    expect(p.defaultId).toBe(0);
    expect(quitChoice(p, 0)).toEqual({ stop: true, restore: ['eth1'], quit: true });
    expect(quitChoice(p, 1)).toEqual({ stop: true, restore: [], quit: true });
    expect(quitChoice(p, 2)).toEqual({ stop: false, restore: [], quit: false });
    expect(quitChoice(p, 99)).toEqual({ stop: false, restore: [], quit: false });
  });

  it('serving on an address set by hand: stop or cancel', () => {
    const p = planQuit({ status: status('interface-lost', 1), saved: [] });
    if (p.kind !== 'ask') throw new Error('expected a question');
    expect(p.buttons).toEqual(['Stop and quit', 'Cancel']);
    expect(p.detail).toMatch(/^1 device has a lease from it/);
    expect(planQuit({ status: status('starting'), saved: [] }).kind).toBe('ask');
  });

  it('the exact restore commands are in the question before the user chooses', () => {
    const cmd = '/usr/bin/pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 /opt/pocket-dhcp /opt/cli.js nic restore eth1 --data-dir /home/u/.config/pocket-dhcp --json';
    const serving = planQuit({ status: status('running', 2), saved: [saved], restoreCommands: [cmd] });
    const stopped = planQuit({ status: status('stopped'), saved: [saved], restoreCommands: [cmd] });
    for (const p of [serving, stopped]) {
      if (p.kind !== 'ask') throw new Error('expected a question');
      expect(p.detail.endsWith(`\n\nRestoring runs:\n${cmd}`)).toBe(true);
    }
    const without = planQuit({ status: status('stopped'), saved: [saved] });
    expect(without.kind === 'ask' && without.detail).not.toMatch(/Restoring runs/);
  });

  it('stopped but the address is still set: offers to restore', () => {
    const p = planQuit({ status: status('stopped'), saved: [saved] });
    if (p.kind !== 'ask') throw new Error('expected a question');
    expect(p.message).toBe('Restore the previous settings of eth1 before quitting?');
    expect(p.buttons).toEqual(['Restore eth1 and quit', 'Quit, keep the address', 'Cancel']);
    expect(quitChoice(p, 0)).toEqual({ stop: false, restore: ['eth1'], quit: true });
    expect(quitChoice(p, 1)).toEqual({ stop: false, restore: [], quit: true });
  });
});
