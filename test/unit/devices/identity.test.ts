// Device identity: OUI vendor lookup (the real bundled oui-data table), the randomized-MAC flag and
// the option 55 fingerprint with its client guess.
import { describe, expect, it } from 'vitest';
import { buildOuiTable, isRandomizedMac, ouiInfo, vendorOf } from '../../../src-main/devices/oui.js';
import { clientGuess, fingerprintOf } from '../../../src-main/devices/fingerprint.js';
import { identify } from '../../../src-main/devices/identity.js';

describe('OUI vendor lookup (oui-data, offline)', () => {
  it('loads the bundled table once: tens of thousands of prefixes', () => {
    const info = ouiInfo();
    expect('error' in info).toBe(false);
    if ('prefixes' in info) {
      expect(info.prefixes).toBeGreaterThan(40_000);
      console.log(`[oui] ${info.prefixes} prefixes, loaded in ${info.loadMs.toFixed(0)} ms`);
    }
  });

  it('finds MA-L vendors in any MAC notation', () => {
    expect(vendorOf('b8:27:eb:4a:00:21')).toBe('Raspberry Pi Foundation');
    expect(vendorOf('B8-27-EB-4A-00-21')).toBe('Raspberry Pi Foundation');
    expect(vendorOf('b827.eb4a.0021')).toBe('Raspberry Pi Foundation');
    expect(vendorOf('00:15:5d:01:02:03')).toBe('Microsoft Corporation');
  });

  it('prefers the longest registered prefix: MA-S (36 bit) and MA-M (28 bit) blocks inside an IEEE RA block', () => {
    // 70:B3:D5 is an "IEEE Registration Authority" MA-L split into MA-S blocks.
    const ma_l = vendorOf('70:b3:d5:00:00:01');
    const ma_s = vendorOf('70:b3:d5:0e:40:01');
    expect(ma_s).toBeDefined();
    expect(ma_s).not.toBe('IEEE Registration Authority');
    expect(ma_s).not.toBe(ma_l);
  });

  it('the table builder keeps the first line only, drops "Private", and picks the key length', () => {
    const t = buildOuiTable({ '001122': 'ACME Corp\nStreet 1\nTown', '0011220': 'Small Block Ltd\nx', '001122334': 'Tiny Ltd', AABBCC: 'Private', bad: 5 });
    expect(t.l.get(0x001122)).toBe('ACME Corp');
    expect(t.m.get(0x0011220)).toBe('Small Block Ltd');
    expect(t.s.get(0x001122334)).toBe('Tiny Ltd');
    expect(t.l.has(0xaabbcc)).toBe(false);
  });

  it('unknown, malformed and non-Ethernet addresses have no vendor', () => {
    expect(vendorOf('not a mac')).toBeUndefined();
    expect(vendorOf('00:11:22:33:44')).toBeUndefined();
    expect(vendorOf('01:02:00:00:00:00:aa')).toBeUndefined();
  });
});

describe('randomized (locally administered) MACs', () => {
  it('bit 0x02 of the first octet', () => {
    for (const m of ['02:00:5e:40:00:01', 'da:a1:19:00:00:01', 'f6:00:00:00:00:00', '3a:11:22:33:44:55']) expect(isRandomizedMac(m)).toBe(true);
    for (const m of ['00:15:5d:01:02:03', 'b8:27:eb:4a:00:21', 'f0:9f:c2:aa:10:01', '01:00:5e:00:00:01']) expect(isRandomizedMac(m)).toBe(false);
  });

  it('a random MAC has no vendor, even when its bits match a registration', () => {
    // 02:00:5e would otherwise be looked up; locally administered addresses are not assigned by the IEEE.
    expect(vendorOf('02:00:5e:40:00:01')).toBeUndefined();
    expect(identify({ mac: '02:00:5e:40:00:01' })).toEqual({ randomMac: true });
  });
});

describe('option 55 fingerprint', () => {
  it('is the comma-separated code list in the order sent', () => {
    expect(fingerprintOf([1, 3, 6, 15, 119, 252])).toBe('1,3,6,15,119,252');
    expect(fingerprintOf([])).toBeUndefined();
    expect(fingerprintOf(undefined)).toBeUndefined();
  });

  it('guesses the client from option 60 first, then from a known list', () => {
    expect(clientGuess('MSFT 5.0', '1,3,6,15')).toBe('Windows');
    expect(clientGuess('android-dhcp-13', undefined)).toBe('Android (DHCP client 13)');
    expect(clientGuess('dhcpcd-10.0.6:Linux-6.1.0:x86_64:GenuineIntel', undefined)).toBe('Linux (dhcpcd)');
    expect(clientGuess('udhcp 1.36.1', undefined)).toBe('BusyBox udhcpc (embedded Linux)');
    expect(clientGuess(undefined, '1,3,6,12,15,28,42')).toBe('BusyBox udhcpc (embedded Linux)');
    expect(clientGuess('HP LaserJet', '1,3,6,99')).toBeUndefined();
  });

  it('identify() puts it together', () => {
    expect(identify({ mac: 'b8:27:eb:4a:00:21', vendorClass: 'udhcp 1.36.1', paramRequest: [1, 3, 6, 12, 15, 28, 42] })).toEqual({
      vendor: 'Raspberry Pi Foundation',
      fingerprint: '1,3,6,12,15,28,42',
      clientGuess: 'BusyBox udhcpc (embedded Linux)',
    });
  });
});
