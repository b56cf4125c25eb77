// What the interface picker says about each interface (lib/interfaces.ts): the one warning a
// technician should see before serving on it, and the order the interfaces are listed in.
import { afterEach, describe, expect, it } from 'vitest';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { interfaceWarning, servableInterfaces } from '../../../src-renderer/src/lib/interfaces.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';

function nic(name: string, extra: Partial<NetInterface> = {}): NetInterface {
  return { name, index: 2, mac: '02:aa:00:00:00:01', ipv4: [{ address: '198.18.0.1', prefix: 24, dynamic: false }], adminUp: true, up: true, loopback: false, virtual: false, wireless: false, kind: undefined, source: 'ip', ...extra };
}

afterEach(() => setLocale('en'));

describe('interfaceWarning', () => {
  it('nothing to say about a static address on a link that is up', () => {
    expect(interfaceWarning(nic('eth1'))).toBeUndefined();
  });

  it('an address from DHCP is someone else’s network: bad, naming the address', () => {
    const w = interfaceWarning(nic('wlan0', { ipv4: [{ address: '192.168.1.40', prefix: 24, dynamic: true }] }));
    expect(w?.tone).toBe('bad');
    expect(w?.text).toMatch(/^192\.168\.1\.40 came from a DHCP server: this is someone else’s network/);
  });

  it('the DHCP address wins over everything else: a static one beside it, no link, disabled', () => {
    const both = nic('eth2', { ipv4: [{ address: '198.18.0.1', prefix: 24, dynamic: false }, { address: '10.1.2.3', prefix: 16, dynamic: true }], up: false, adminUp: false });
    expect(interfaceWarning(both)).toEqual({ tone: 'bad', text: expect.stringMatching(/^10\.1\.2\.3 came from a DHCP server/) });
  });

  it('no IPv4 address: warn, pointing at the Address step (before any link problem)', () => {
    expect(interfaceWarning(nic('usb0', { ipv4: [] }))).toEqual({ tone: 'warn', text: 'No IPv4 address yet — set a static one under Address.' });
    expect(interfaceWarning(nic('usb0', { ipv4: [], up: false, adminUp: false }))?.text).toBe('No IPv4 address yet — set a static one under Address.');
  });

  it('link down: "plug in the cable" when enabled, "disabled" when switched off', () => {
    expect(interfaceWarning(nic('eth1', { up: false, adminUp: true }))).toEqual({ tone: 'warn', text: 'No link: plug in the cable (or switch on the devices) before starting.' });
    expect(interfaceWarning(nic('eth1', { up: false, adminUp: false }))).toEqual({ tone: 'warn', text: 'The interface is disabled.' });
  });

  it('speaks the UI language', () => {
    setLocale('ko');
    const w = interfaceWarning(nic('eth1', { up: false, adminUp: false }));
    expect(w?.tone).toBe('warn');
    expect(w?.text).not.toBe('The interface is disabled.');
    expect(w?.text).toMatch(/[\uac00-\ud7a3]/);
  });
});

describe('servableInterfaces', () => {
  it('leaves out loopback; lists up before down, physical before virtual, then by name', () => {
    const list = [
      nic('lo', { loopback: true, mac: undefined, ipv4: [{ address: '127.0.0.1', prefix: 8, dynamic: false }] }),
      nic('veth-b', { virtual: true }),
      nic('eth1', { up: false }),
      nic('wlan0', { wireless: true }),
      nic('docker0', { virtual: true, up: false }),
      nic('eth0'),
      nic('br-lab', { virtual: true }),
      nic('enx00e04c', { virtual: undefined }),
    ];
    expect(servableInterfaces(list).map((n) => n.name)).toEqual(['enx00e04c', 'eth0', 'wlan0', 'br-lab', 'veth-b', 'eth1', 'docker0']);
  });

  it('does not reorder the list it was given', () => {
    const list = [nic('b', { up: false }), nic('a')];
    servableInterfaces(list);
    expect(list.map((n) => n.name)).toEqual(['b', 'a']);
  });

  it('an empty list, or only loopback, leaves nothing to pick', () => {
    expect(servableInterfaces([])).toEqual([]);
    expect(servableInterfaces([nic('lo', { loopback: true })])).toEqual([]);
  });
});
