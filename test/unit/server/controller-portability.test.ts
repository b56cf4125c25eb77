// The controller's import/export calls (the UI's Import dialog, Export menus, "Export to Kea…"):
// against a real LeaseStore in a temp dir, stopped and while serving (in-memory socket).
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { controllerLab, TEST_DRAFT } from '../../helpers/controller-lab.js';
import { until } from '../../helpers/memory-transport.js';

const DRAFT = { ...TEST_DRAFT, reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }] };
const H = 3_600_000;
const lab = controllerLab('pd-ctl-port-');

async function setup() {
  const s = await lab.setup();
  await s.c.saveSettings(DRAFT);
  return s;
}

const lease = (ip: string, mac: string, over: Partial<Lease> = {}): Lease => {
  const now = Date.now();
  return { ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: now - H, expiresAt: now + H, firstSeen: now - H, lastSeen: now - H, ...over };
};

describe('import through the controller', () => {
  it('while serving: a lease over a live binding is refused, the others are stored and pushed', async () => {
    const { c, of } = await setup();
    await c.store.apply([lease('198.18.10.100', '02:00:00:00:00:01')]);
    expect((await c.start()).state).toBe('running');
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const text = `${exp} 02:00:00:00:00:09 198.18.10.100 intruder *\n${exp} 02:00:00:00:00:08 198.18.10.120 newcomer *\n`;
    const p = c.importPreview({ text });
    expect(p.format).toBe('dnsmasq');
    expect(p.leases.map((r) => [r.item.ip, r.blocked])).toEqual([['198.18.10.100', true], ['198.18.10.120', false]]);
    // The renderer asks for both; the engine decides again and skips the blocked one.
    const r = await c.importApply({ text }, { leases: [0, 1], reservations: [] });
    expect(r).toMatchObject({ added: { leases: 1, reservations: 0 }, applied: 1, restartNeeded: false });
    expect(r.skipped).toEqual([{ kind: 'lease', id: 0, line: 1, reason: expect.stringMatching(/bound to 02:00:00:00:00:01/) }]);
    expect(c.store.view.byIp('198.18.10.100')!.mac).toBe('02:00:00:00:00:01');
    expect(c.store.view.byIp('198.18.10.120')).toMatchObject({ mac: '02:00:00:00:00:08', hostname: 'newcomer', state: 'bound' });
    await until(() => of('leases').some((b) => b.upserts.some((u) => u.ip === '198.18.10.120')), 2000, 'lease push');
  });

  it('reservations go into the saved draft (a running server needs a restart); a bad file changes nothing', async () => {
    const { c, of } = await setup();
    await c.start();
    const r = await c.importApply({ text: 'mac,ip,hostname\n02:00:00:00:00:bb,198.18.10.21,cam\n', format: 'csv' }, { leases: [], reservations: [0] });
    expect(r.restartNeeded).toBe(true);
    expect(r.settings.draft.reservations).toEqual([...DRAFT.reservations, { mac: '02:00:00:00:00:bb', ip: '198.18.10.21', hostname: 'cam' }]);
    expect(of('settings').length).toBeGreaterThan(0);
    const before = JSON.stringify(c.getSettings());
    await expect(c.importApply({ text: 'mac,ip\n02:00:00:00:00:cc,198.18.10.22\nzz,198.18.10.23\n', format: 'csv' }, { leases: [], reservations: [0] })).rejects.toThrow(/line 3/);
    expect(JSON.stringify(c.getSettings())).toBe(before);
  });
});

describe('export through the controller', () => {
  it('leases and reservations in any format; Kea needs a valid draft', async () => {
    const { c } = await setup();
    await c.store.apply([lease('198.18.10.100', '02:00:00:00:00:01', { hostname: 'pi' })]);
    const f = c.exportData('leases', 'kea');
    expect(f).toMatchObject({ filename: 'kea-leases4.csv', mime: 'text/csv' });
    expect(f.content).toContain('198.18.10.100,02:00:00:00:00:01,01:02:00:00:00:00:01,7200,');
    expect(c.exportData('reservations', 'dnsmasq').content).toContain('dhcp-host=02:00:00:00:00:aa,198.18.10.20\n');
    expect(() => c.exportData('reservations', 'tftpd64')).toThrow(/cannot hold reservations/);
    const k = c.exportToKea({ interface: 'eth7' });
    expect(k.files.map((x) => x.filename)).toEqual(['kea-dhcp4.conf', 'kea-leases4.csv']);
    expect(JSON.parse(k.files[0]!.content).Dhcp4['interfaces-config'].interfaces).toEqual(['eth7']);
    await c.saveSettings({ interface: 'test0' });
    expect(() => c.exportToKea({})).toThrow(/complete, valid configuration/);
  });
});
