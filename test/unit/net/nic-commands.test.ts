// The argv builders behind "Set this address" and "Restore previous settings", per OS: what runs
// (no shell), what a restore puts back, that restoring what is already restored runs nothing, and
// how each argv is shown (quoted for the shell it would be pasted into).
import { describe, expect, it } from 'vitest';
import { applySteps, formatArgv, nicMethod, nmManages, psQuote, restoreSteps, shWord, snapshotArgv, winArg, windowsSnapshotScript, type AppliedChange } from '../../../src-main/net/nic-plan.js';
import type { NicPrevious } from '../../../src-main/net/nic-snapshot.js';

const argvs = (steps: { argv: string[] }[]) => steps.map((s) => s.argv);

describe('which method', () => {
  it('NetworkManager only when it manages the device; the OS tool elsewhere', () => {
    expect(nmManages(undefined)).toBe(false);
    expect(nmManages('unmanaged')).toBe(false);
    expect(nmManages('connected (externally)')).toBe(false);
    expect(nmManages('connected')).toBe(true);
    expect(nmManages('unavailable')).toBe(true);
    expect(nicMethod({ platform: 'linux' })).toBe('ip');
    expect(nicMethod({ platform: 'linux', networkManager: 'disconnected' })).toBe('nmcli');
    expect(nicMethod({ platform: 'darwin' })).toBe('networksetup');
    expect(nicMethod({ platform: 'win32' })).toBe('netsh');
    expect(() => nicMethod({ platform: 'aix' })).toThrow(/not supported on aix/);
  });
});

describe('Linux, iproute2', () => {
  const down: NicPrevious = { method: 'ip', adminUp: false, addresses: [{ address: '198.18.61.5', prefix: 24, dynamic: false }] };

  it('adds the address and enables the link — only what is missing', () => {
    const base = { platform: 'linux' as const, interface: 'enx0', address: '198.18.60.1', prefix: 24 };
    expect(argvs(applySteps(base).steps)).toEqual([
      ['ip', 'addr', 'add', '198.18.60.1/24', 'dev', 'enx0'],
      ['ip', 'link', 'set', 'enx0', 'up'],
    ]);
    expect(argvs(applySteps({ ...base, previous: down }).steps)).toEqual([
      ['ip', 'addr', 'add', '198.18.60.1/24', 'dev', 'enx0'],
      ['ip', 'link', 'set', 'enx0', 'up'],
    ]);
    const upWithIt: NicPrevious = { method: 'ip', adminUp: true, addresses: [{ address: '198.18.60.1', prefix: 24, dynamic: false }] };
    expect(applySteps({ ...base, previous: upWithIt }).steps).toEqual([]);
  });

  it('restore deletes the added address, brings back lost fixed addresses, and the link state', () => {
    const change: AppliedChange = { platform: 'linux', interface: 'enx0', address: '198.18.60.1', prefix: 24, method: 'ip', previous: { ...down, addresses: [...down.addresses, { address: '198.18.62.9', prefix: 23, dynamic: false, broadcast: '198.18.63.255' }, { address: '198.19.1.7', prefix: 24, dynamic: true }] }, addedAddress: true };
    // Without a fresh snapshot: everything that could be needed.
    expect(argvs(restoreSteps(change))).toEqual([['ip', 'addr', 'del', '198.18.60.1/24', 'dev', 'enx0'], ['ip', 'link', 'set', 'enx0', 'down']]);
    // With one: 198.18.62.9 went missing meanwhile and comes back with its broadcast; the DHCP one does not.
    const now: NicPrevious = { method: 'ip', adminUp: true, addresses: [{ address: '198.18.61.5', prefix: 24, dynamic: false }, { address: '198.18.60.1', prefix: 24, dynamic: false }] };
    expect(argvs(restoreSteps(change, now))).toEqual([
      ['ip', 'addr', 'del', '198.18.60.1/24', 'dev', 'enx0'],
      ['ip', 'addr', 'add', '198.18.62.9/23', 'broadcast', '198.18.63.255', 'dev', 'enx0'],
      ['ip', 'link', 'set', 'enx0', 'down'],
    ]);
    // Already restored: nothing runs (restoring twice is harmless).
    const restored: NicPrevious = { method: 'ip', adminUp: false, addresses: change.previous.method === 'ip' ? change.previous.addresses : [] };
    expect(restoreSteps(change, restored)).toEqual([]);
    // The address was there before Pocket DHCP: restore leaves it.
    expect(argvs(restoreSteps({ ...change, addedAddress: false }, now))).not.toContainEqual(['ip', 'addr', 'del', '198.18.60.1/24', 'dev', 'enx0']);
  });
});

describe('Linux, NetworkManager', () => {
  const base = { platform: 'linux' as const, interface: 'eth1', address: '192.168.77.1', prefix: 24, networkManager: 'connected', networkManagerType: 'ethernet' };
  const prev: NicPrevious = { method: 'nmcli', adminUp: true, addresses: [{ address: '10.0.0.23', prefix: 24, dynamic: true }], activeConnection: { name: 'Wired connection 1', uuid: '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f' }, profileExists: false };

  it('creates a temporary in-memory profile and activates it', () => {
    expect(argvs(applySteps({ ...base, previous: prev }).steps)).toEqual([
      ['nmcli', 'connection', 'add', 'save', 'no', 'type', 'ethernet', 'con-name', 'pocket-dhcp-eth1', 'ifname', 'eth1', 'connection.autoconnect', 'no', 'ipv4.method', 'manual', 'ipv4.addresses', '192.168.77.1/24', 'ipv6.method', 'ignore'],
      ['nmcli', '--wait', '20', 'connection', 'up', 'id', 'pocket-dhcp-eth1', 'ifname', 'eth1'],
    ]);
  });

  it('replaces a profile a crashed session left behind instead of adding a second one', () => {
    expect(argvs(applySteps({ ...base, previous: { ...prev, profileExists: true } }).steps)[0]).toEqual(['nmcli', 'connection', 'delete', 'id', 'pocket-dhcp-eth1']);
  });

  it('refuses Wi-Fi and other non-Ethernet devices with what to do instead', () => {
    expect(() => applySteps({ ...base, networkManagerType: 'wifi' })).toThrow(/wifi device.*connection settings/);
  });

  it('restore deletes the profile and re-activates the previous connection (optional: NM retries anyway)', () => {
    const change: AppliedChange = { platform: 'linux', interface: 'eth1', address: '192.168.77.1', prefix: 24, method: 'nmcli', previous: prev };
    const steps = restoreSteps(change);
    expect(argvs(steps)).toEqual([
      ['nmcli', 'connection', 'delete', 'id', 'pocket-dhcp-eth1'],
      ['nmcli', '--wait', '20', 'connection', 'up', 'uuid', '5f0c3a8e-6a4b-4d2e-9c1f-0a1b2c3d4e5f', 'ifname', 'eth1'],
    ]);
    expect(steps[1]!.optional).toBe(true);
    // Profile gone and the old connection active again: nothing to do.
    expect(restoreSteps(change, { ...prev, profileExists: false })).toEqual([]);
    // No connection was active before: only the profile goes.
    expect(argvs(restoreSteps({ ...change, previous: { ...prev, activeConnection: undefined } as NicPrevious }))).toEqual([['nmcli', 'connection', 'delete', 'id', 'pocket-dhcp-eth1']]);
  });
});

describe('macOS, networksetup', () => {
  const service = 'USB 10/100/1000 LAN';
  const change = (config: Extract<NicPrevious, { method: 'networksetup' }>['config']): AppliedChange => ({ platform: 'darwin', interface: 'en7', address: '192.168.77.1', prefix: 24, method: 'networksetup', previous: { method: 'networksetup', service, config } });

  it('sets a manual address on the service, without a router', () => {
    expect(argvs(applySteps({ platform: 'darwin', interface: 'en7', address: '192.168.77.1', prefix: 24, macService: service }).steps)).toEqual([['/usr/sbin/networksetup', '-setmanual', service, '192.168.77.1', '255.255.255.0']]);
  });

  it('restore replays the previous configuration, whatever it was', () => {
    const ns = '/usr/sbin/networksetup';
    expect(argvs(restoreSteps(change({ kind: 'dhcp' })))).toEqual([[ns, '-setdhcp', service]]);
    expect(argvs(restoreSteps(change({ kind: 'bootp' })))).toEqual([[ns, '-setbootp', service]]);
    expect(argvs(restoreSteps(change({ kind: 'off' })))).toEqual([[ns, '-setv4off', service]]);
    expect(argvs(restoreSteps(change({ kind: 'manual', address: '10.0.0.5', mask: '255.255.255.0', router: '10.0.0.1' })))).toEqual([[ns, '-setmanual', service, '10.0.0.5', '255.255.255.0', '10.0.0.1']]);
    expect(argvs(restoreSteps(change({ kind: 'manual', address: '10.0.0.5', mask: '255.255.255.0' })))).toEqual([[ns, '-setmanual', service, '10.0.0.5', '255.255.255.0']]);
    expect(argvs(restoreSteps(change({ kind: 'manual-dhcp-router', address: '10.0.0.5' })))).toEqual([[ns, '-setmanualwithdhcprouter', service, '10.0.0.5']]);
    expect(restoreSteps(change({ kind: 'dhcp' }), { method: 'networksetup', service, config: { kind: 'dhcp' } })).toEqual([]);
  });
});

describe('Windows, netsh', () => {
  const prev = (p: Partial<Extract<NicPrevious, { method: 'netsh' }>>): AppliedChange => ({ platform: 'win32', interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24, method: 'netsh', previous: { method: 'netsh', dhcp: true, addresses: [], ...p } });

  it('sets a static address on the connection name, no gateway', () => {
    expect(argvs(applySteps({ platform: 'win32', interface: 'Ethernet 2', address: '192.168.77.1', prefix: 24 }).steps)).toEqual([['netsh', 'interface', 'ipv4', 'set', 'address', 'name=Ethernet 2', 'static', '192.168.77.1', '255.255.255.0']]);
  });

  it('restore: back to DHCP, or the previous static addresses and gateway', () => {
    expect(argvs(restoreSteps(prev({ dhcp: true })))).toEqual([['netsh', 'interface', 'ipv4', 'set', 'address', 'name=Ethernet 2', 'source=dhcp']]);
    const fixed = prev({
      dhcp: false,
      gateway: '10.0.0.1',
      addresses: [
        { address: '10.0.0.5', prefix: 24, dynamic: false },
        { address: '10.0.1.5', prefix: 16, dynamic: false },
        { address: '169.254.3.4', prefix: 16, dynamic: true },
      ],
    });
    expect(argvs(restoreSteps(fixed))).toEqual([
      ['netsh', 'interface', 'ipv4', 'set', 'address', 'name=Ethernet 2', 'static', '10.0.0.5', '255.255.255.0', '10.0.0.1'],
      ['netsh', 'interface', 'ipv4', 'add', 'address', 'name=Ethernet 2', '10.0.1.5', '255.255.0.0'],
    ]);
    expect(restoreSteps(fixed, fixed.previous)).toEqual([]);
  });

  it('reads the configuration with PowerShell (locale-independent), the name quoted for it', () => {
    const script = windowsSnapshotScript('Ethernet 2');
    expect(script).toContain("-InterfaceAlias 'Ethernet 2'");
    expect(script).toContain('ConvertTo-Json');
    expect(psQuote("it's")).toBe("'it''s'");
    expect(snapshotArgv('netsh', 'Ethernet 2')[0]!.slice(0, 4)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command']);
  });
});

describe('showing an argv', () => {
  it('sh: bare when safe, single-quoted otherwise', () => {
    expect(shWord('eth1')).toBe('eth1');
    expect(shWord('198.18.0.1/24')).toBe('198.18.0.1/24');
    expect(shWord('USB LAN')).toBe("'USB LAN'");
    expect(shWord("it's")).toBe(`'it'\\''s'`);
    expect(shWord('')).toBe("''");
    expect(formatArgv(['/usr/sbin/networksetup', '-setmanual', 'USB LAN', '10.0.0.1', '255.0.0.0'], 'darwin')).toBe("/usr/sbin/networksetup -setmanual 'USB LAN' 10.0.0.1 255.0.0.0");
  });

  it("Windows: CommandLineToArgvW's rules; netsh's own name=\"…\" spelling", () => {
    expect(winArg('netsh')).toBe('netsh');
    expect(winArg('name=Ethernet 2')).toBe('name="Ethernet 2"');
    expect(winArg('C:\\Program Files\\x')).toBe('"C:\\Program Files\\x"');
    expect(winArg('a "b"')).toBe('"a \\"b\\""');
    expect(winArg('ends\\ with\\')).toBe('"ends\\ with\\\\"');
    expect(winArg('')).toBe('""');
  });

  it('snapshot commands only read', () => {
    expect(snapshotArgv('ip', 'eth1')).toEqual([['ip', '-j', 'addr', 'show', 'dev', 'eth1']]);
    expect(snapshotArgv('nmcli', 'eth1').map((a) => a[0])).toEqual(['ip', 'nmcli', 'nmcli']);
    expect(snapshotArgv('networksetup', 'en7', 'USB LAN')).toEqual([['/usr/sbin/networksetup', '-getinfo', 'USB LAN']]);
  });
});
