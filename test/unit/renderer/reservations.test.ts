import { describe, expect, it } from 'vitest';
import { normaliseMac, normaliseReservation, parseBulkReservations, sanitiseHostname, validateReservation, type Reservation } from '../../../src-renderer/src/lib/reservations.js';

const ctx = { subnet: '192.168.77.0/24', serverAddress: '192.168.77.1', routers: ['192.168.77.254'], dns: ['192.168.77.53'] };
const existing: Reservation[] = [
  { mac: 'b8:27:eb:00:00:01', ip: '192.168.77.21', hostname: 'pi-01' },
  { mac: 'b8:27:eb:00:00:02', ip: '192.168.77.22' },
];

describe('MAC normalisation', () => {
  it.each(['AA:BB:CC:DD:EE:FF', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff', 'AABBCCDDEEFF', ' aa:bb:cc:dd:ee:ff '])('%s → aa:bb:cc:dd:ee:ff', (m) => {
    expect(normaliseMac(m)).toBe('aa:bb:cc:dd:ee:ff');
  });
  it.each(['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', 'aabb.ccdd.eef', ''])('rejects %s', (m) => {
    expect(normaliseMac(m)).toBeUndefined();
  });
  it('saves reservations normalised, keeping fields the form does not edit', () => {
    expect(normaliseReservation({ mac: 'B8-27-EB-00-00-09', ip: ' 192.168.77.30 ', hostname: '  ' })).toEqual({ mac: 'b8:27:eb:00:00:09', ip: '192.168.77.30' });
    expect(normaliseReservation({ mac: 'b827.eb00.0009', ip: '192.168.77.30', hostname: 'cam' }, { mac: 'x', ip: 'y', clientId: '01:02', hostname: 'old' })).toEqual({ mac: 'b8:27:eb:00:00:09', ip: '192.168.77.30', hostname: 'cam', clientId: '01:02' });
  });
  it('turns a DHCP host name into a reservation host name', () => {
    expect(sanitiseHostname('raspberrypi.lab.local')).toBe('raspberrypi');
    expect(sanitiseHostname('Tom’s iPhone')).toBe('Tom-s-iPhone');
    expect(sanitiseHostname('---')).toBeUndefined();
    expect(sanitiseHostname(undefined)).toBeUndefined();
  });
});

describe('validating one reservation', () => {
  it('accepts a good one', () => {
    expect(validateReservation({ mac: 'b8:27:eb:00:00:03', ip: '192.168.77.23', hostname: 'pi-03' }, existing, ctx)).toEqual({});
  });
  it('finds a duplicate MAC written in another notation', () => {
    expect(validateReservation({ mac: 'B827.EB00.0001', ip: '192.168.77.40' }, existing, ctx).mac).toBe('b8:27:eb:00:00:01 is already reserved (192.168.77.21, pi-01)');
  });
  it('checks the IP against the scope, the server, router, DNS and other reservations', () => {
    const ip = (ip: string) => validateReservation({ mac: 'b8:27:eb:00:00:09', ip }, existing, ctx).ip;
    expect(ip('192.168.78.5')).toBe('192.168.78.5 is outside the network 192.168.77.0/24');
    expect(ip('192.168.77.255')).toMatch(/broadcast/);
    expect(ip('192.168.77.1')).toMatch(/this computer's own address/);
    expect(ip('192.168.77.254')).toMatch(/router/);
    expect(ip('192.168.77.53')).toMatch(/DNS/);
    expect(ip('192.168.77.22')).toBe('192.168.77.22 is already reserved for b8:27:eb:00:00:02');
    expect(ip('192.168.77')).toMatch(/not an IPv4/);
  });
  it('requires MAC and IP, checks the host name', () => {
    expect(validateReservation({ mac: '', ip: '', hostname: 'bad name' }, [], ctx)).toEqual({
      mac: expect.stringMatching(/Enter/),
      ip: expect.stringMatching(/Enter/),
      hostname: expect.stringMatching(/Letters/),
    });
  });
});

describe('bulk paste', () => {
  it('parses lines in any MAC notation and column order, skipping blanks and comments', () => {
    const text = ['# bench 3', 'b8:27:eb:12:34:56  192.168.77.31  pi-31', '', 'B8-27-EB-65-43-21,192.168.77.32', '192.168.77.33\tb827.eb00.aa01\tcam-1 # the camera'].join('\n');
    const lines = parseBulkReservations(text, existing, ctx);
    expect(lines.map((l) => [l.line, l.errors])).toEqual([
      [2, []],
      [4, []],
      [5, []],
    ]);
    expect(lines.map((l) => l.reservation)).toEqual([
      { mac: 'b8:27:eb:12:34:56', ip: '192.168.77.31', hostname: 'pi-31' },
      { mac: 'b8:27:eb:65:43:21', ip: '192.168.77.32' },
      { mac: 'b8:27:eb:00:aa:01', ip: '192.168.77.33', hostname: 'cam-1' },
    ]);
  });

  it('reports every problem on its own line', () => {
    const text = [
      'b8:27:eb:12:34:56 192.168.77.31', // ok
      'b8:27:eb:12:34:56 192.168.77.41', // MAC repeats line 1
      'b8:27:eb:12:34:57 192.168.77.31', // IP repeats line 1
      'B827.EB00.0001 192.168.77.42', // MAC of an existing reservation
      'b8:27:eb:12:34:58 192.168.77.22', // IP of an existing reservation
      'b8:27:eb:12:34:59 10.0.0.5', // outside the subnet
      'b8:27:eb:12:34 192.168.77.43', // bad MAC
      'b8:27:eb:12:34:60 192.168.77', // bad IP
      'pi-07', // nothing usable
      'b8:27:eb:12:34:61 192.168.77.44 pi_bad extra', // bad host name and an extra column
    ].join('\n');
    const lines = parseBulkReservations(text, existing, ctx);
    expect(lines).toHaveLength(10);
    const errs = lines.map((l) => l.errors.join(' | '));
    expect(errs[0]).toBe('');
    expect(errs[1]).toBe('b8:27:eb:12:34:56 appears on an earlier line');
    expect(errs[2]).toBe('192.168.77.31 appears on an earlier line');
    expect(errs[3]).toMatch(/b8:27:eb:00:00:01 is already reserved/);
    expect(errs[4]).toMatch(/192.168.77.22 is already reserved/);
    expect(errs[5]).toMatch(/outside the network/);
    expect(errs[6]).toBe('“b8:27:eb:12:34” is not a MAC address');
    expect(errs[7]).toBe('“192.168.77” is not an IPv4 address');
    expect(errs[8]).toBe('no MAC address on this line | no IPv4 address on this line');
    expect(errs[9]).toMatch(/unexpected “extra”.*Letters/);
    expect(lines.filter((l) => l.reservation)).toHaveLength(1);
  });
});
