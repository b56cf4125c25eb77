// The saved "before" (nic-state.json): written atomically, one record per interface, gone with the
// last restore, and validated on read — restore builds root commands from it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findNicChange, nicStatePath, readNicState, removeNicChange, saveNicChange, type SavedNicChange } from '../../../src-main/net/nic-state.js';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pd-nicstate-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const change = (ifname: string, at = 1000): SavedNicChange => ({
  platform: 'linux',
  interface: ifname,
  address: '198.18.60.1',
  prefix: 24,
  method: 'ip',
  previous: { method: 'ip', adminUp: false, addresses: [{ address: '198.18.61.5', prefix: 24, dynamic: false }] },
  addedAddress: true,
  appliedAt: at,
  by: 'app',
  complete: true,
});

describe('nic-state.json', () => {
  it('saves, replaces per interface, lists oldest first, removes, deletes the file with the last record', async () => {
    const d = dir();
    expect(await readNicState(d)).toEqual([]);
    await saveNicChange(d, change('eth2', 2000));
    await saveNicChange(d, change('eth1', 1000));
    await saveNicChange(d, { ...change('eth2', 2000), address: '198.18.60.2' });
    expect((await readNicState(d)).map((c) => [c.interface, c.address])).toEqual([
      ['eth1', '198.18.60.1'],
      ['eth2', '198.18.60.2'],
    ]);
    expect((await findNicChange(d, 'eth2'))?.address).toBe('198.18.60.2');
    await removeNicChange(d, 'eth1');
    await removeNicChange(d, 'eth1'); // idempotent
    expect((await readNicState(d)).map((c) => c.interface)).toEqual(['eth2']);
    await removeNicChange(d, 'eth2');
    expect(existsSync(nicStatePath(d))).toBe(false);
    await removeNicChange(d, 'eth2');
  });

  it('refuses content that could become an option or shell syntax in a root command', async () => {
    const d = dir();
    const write = (c: unknown) => writeFileSync(nicStatePath(d), JSON.stringify({ version: 1, changes: { x: c } }));
    for (const bad of [
      { ...change('eth1'), interface: '-oProxyCommand' },
      { ...change('eth1'), interface: 'eth1;reboot' },
      { ...change('eth1'), address: '10.0.0.1 dev lo' },
      { ...change('eth1'), method: 'nmcli', previous: { method: 'nmcli', adminUp: true, addresses: [], profileExists: false, activeConnection: { name: 'x', uuid: '--help' } } },
      { ...change('eth1'), method: 'nmcli' }, // method and previous.method differ
      { ...change('eth1'), extra: true },
    ]) {
      write(bad);
      await expect(readNicState(d), JSON.stringify(bad).slice(0, 80)).rejects.toThrow(/invalid content/);
    }
    await expect(saveNicChange(d, { ...change('eth1'), interface: '$(id)' })).rejects.toThrow(/refusing to save/);
  });

  it('a damaged file names itself and the fix', async () => {
    const d = dir();
    writeFileSync(nicStatePath(d), '{"version": 1, "changes": {');
    await expect(readNicState(d)).rejects.toThrow(new RegExp(`${nicStatePath(d).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON.*delete it`));
    expect(readFileSync(nicStatePath(d), 'utf8')).toContain('version');
  });
});
