// The tray item while serving and the notifications for rogue servers and address conflicts: the
// pure models behind tray.ts and main.ts (Electron itself cannot run here).
import { describe, expect, it } from 'vitest';
import type { LogEntry, ServerStatus } from '../../../src-main/ipc/contract.js';
import { NotificationGate } from '../../../src-main/app/notify-model.js';
import { trayModel } from '../../../src-main/app/tray-model.js';

const counters = { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 };
const st = (state: ServerStatus['state'], o: Partial<ServerStatus> = {}): ServerStatus => ({ state, counters, pools: [{ subnet: 's', range: 'r', size: 50, bound: 3, offered: 1, declined: 0, free: 46 }], exhausted: false, interface: 'eth1', serverId: '192.168.77.1', ...o });

describe('tray', () => {
  it('only while serving', () => {
    expect(trayModel(undefined).visible).toBe(false);
    expect(trayModel(st('stopped')).visible).toBe(false);
    for (const s of ['starting', 'running', 'interface-lost', 'stopping'] as const) expect(trayModel(st(s)).visible, s).toBe(true);
  });

  it('says where it serves and how many leases; Stop only when it can', () => {
    const m = trayModel(st('running'));
    expect(m).toMatchObject({ icon: 'serving', tooltip: 'Pocket DHCP — Serving on eth1 (192.168.77.1) · 3 active leases' });
    expect(m.items.map((i) => [i.id, i.label, i.enabled])).toEqual([
      ['status', 'Serving on eth1 (192.168.77.1)', false],
      ['leases', '3 active leases', false],
      ['show', 'Show Pocket DHCP', true],
      ['stop', 'Stop serving', true],
      ['quit', 'Quit Pocket DHCP…', true],
    ]);
    expect(trayModel(st('stopping')).items.find((i) => i.id === 'stop')!.enabled).toBe(false);
  });

  it('warns when the interface is gone or the pool is exhausted', () => {
    expect(trayModel(st('interface-lost'))).toMatchObject({ icon: 'warning', items: expect.arrayContaining([expect.objectContaining({ label: 'eth1 is gone — waiting for it' })]) });
    expect(trayModel(st('running', { exhausted: true })).tooltip).toMatch(/3 active leases — pool exhausted/);
  });
});

describe('notifications', () => {
  let id = 0;
  const e = (kind: LogEntry['kind'], o: Partial<LogEntry> = {}): LogEntry => ({ id: ++id, at: 0, level: 'warn', kind, text: `${kind} event`, ...o });

  it('rogue DHCP servers and address conflicts only; one per kind per minute, counting what was held back', () => {
    const g = new NotificationGate(60_000);
    expect(g.consider([e('ack'), e('offer'), e('warning')], 0)).toEqual([]);
    const first = g.consider([e('foreign-server', { text: 'FOREIGN SERVER 198.18.0.254 answered a DISCOVER' })], 1000);
    expect(first).toEqual([{ kind: 'foreign-server', title: 'Another DHCP server is on this network', body: expect.stringMatching(/^FOREIGN SERVER 198\.18\.0\.254 answered a DISCOVER\. Devices may take/) }]);
    expect(g.consider([e('foreign-server'), e('foreign-server')], 30_000)).toEqual([]);
    const conflict = g.consider([e('decline', { mac: '02:00:00:00:00:01', ip: '192.168.77.105' })], 31_000);
    expect(conflict).toEqual([{ kind: 'conflict', title: 'Address conflict: 192.168.77.105', body: expect.stringMatching(/^02:00:00:00:00:01 found 192\.168\.77\.105 already in use/) }]);
    const later = g.consider([e('foreign-server')], 61_001);
    expect(later[0]!.body).toMatch(/\(3 answers seen\)/);
    expect(g.consider([e('decline', { ip: 'a' }), e('decline', { ip: 'b' })], 200_000)[0]!.title).toBe('2 address conflicts');
  });

  it("the server's own ARP probe finding an address taken is a conflict too; a DECLINE's follow-up check and a sweep summary are not counted again", () => {
    const g = new NotificationGate(60_000);
    const probe = e('conflict', { mac: '02:00:00:00:00:07', ip: '192.168.77.120', msg: { code: 'conflict-probe', params: { ip: '192.168.77.120', mac: '02:00:00:00:00:07', inUseBy: 'aa:bb:cc:00:11:22', until: '2026-11-23T10:05:00Z' } } });
    expect(g.consider([probe], 0)).toEqual([
      {
        kind: 'conflict',
        title: 'Address conflict: 192.168.77.120',
        body: 'Before offering 192.168.77.120 to 02:00:00:00:00:07, Pocket DHCP found it in use by aa:bb:cc:00:11:22 (a device with a fixed address?). It holds that address back and hands out another.',
      },
    ]);
    const anon = new NotificationGate(60_000).consider([e('conflict', { ip: '192.168.77.121', msg: { code: 'conflict-probe', params: { ip: '192.168.77.121', mac: '02:00:00:00:00:08' } } })], 0);
    expect(anon[0]!.body).toMatch(/^Before offering 192\.168\.77\.121 to 02:00:00:00:00:08, Pocket DHCP found it in use by another device/);

    // A DECLINE, then the ARP check of that address (conflict-declined): one conflict, not two.
    const h = new NotificationGate(60_000);
    expect(h.consider([e('decline', { mac: '02:00:00:00:00:01', ip: '192.168.77.105' })], 0)).toHaveLength(1);
    expect(h.consider([e('conflict', { mac: '02:00:00:00:00:01', ip: '192.168.77.105', msg: { code: 'conflict-declined', params: { ip: '192.168.77.105', mac: '02:00:00:00:00:01', inUseBy: 'aa:bb:cc:00:11:22' } } })], 500)).toEqual([]);
    // A pool sweep's summary line (kind 'conflict', no code) raises nothing and counts for nothing.
    expect(h.consider([e('conflict', { level: 'warn', text: 'SWEEP 192.168.77.100-192.168.77.200 on eth1: 3 of 101 address(es) in use, 1 not leased by us: 192.168.77.150 (aa:bb:cc:00:11:22)' })], 70_000)).toEqual([]);
    const next = h.consider([e('conflict', { ip: '192.168.77.130', mac: '02:00:00:00:00:09', msg: { code: 'conflict-probe', params: { ip: '192.168.77.130', mac: '02:00:00:00:00:09' } } })], 80_000);
    expect(next.map((n) => n.title)).toEqual(['Address conflict: 192.168.77.130']);
    // The follow-up of a DECLINE this gate never saw (the window opened after it) still counts.
    expect(new NotificationGate(60_000).consider([e('conflict', { ip: '192.168.77.140', mac: '02:00:00:00:00:0a', msg: { code: 'conflict-unanswered', params: { ip: '192.168.77.140', mac: '02:00:00:00:00:0a' } } })], 0)).toHaveLength(1);
  });
});
