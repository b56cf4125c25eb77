// Bulk paste of plain MAC lists (src-renderer/src/lib/reservations.ts): each MAC is reserved at
// the device's current address or the next free one, never at an address in use.
import { describe, expect, it } from 'vitest';
import { parseBulkReservations } from '../../../src-renderer/src/lib/reservations.js';

const NOW = 1_800_000_000_000;
const ctx = { subnet: '198.18.10.0/24', serverAddress: '198.18.10.102', routers: ['198.18.10.1'], dns: ['198.18.10.103'] };
const existing = [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.100', hostname: 'printer' }];
const leases = [
  { ip: '198.18.10.101', mac: '02:00:00:00:00:01', state: 'bound', expiresAt: NOW + 1000 },
  { ip: '198.18.10.104', mac: '02:00:00:00:00:02', state: 'expired', expiresAt: NOW - 1000 },
  { ip: '198.18.10.106', mac: 'b8:27:eb:00:00:05', state: 'bound', expiresAt: NOW + 1000 },
];
const auto = { range: '198.18.10.100-198.18.10.108', leases, now: NOW };

describe('bulk paste of MACs only', () => {
  it('picks free addresses around reservations, this computer, routers, DNS, live leases and explicit lines', () => {
    const text = ['b8:27:eb:00:00:01 pi-1', 'B8-27-EB-00-00-02', 'b8:27:eb:00:00:03 198.18.10.105', 'b827.eb00.0004', 'b8:27:eb:00:00:05', 'b8:27:eb:00:00:06', 'b8:27:eb:00:00:07'].join('\r\n');
    const lines = parseBulkReservations(text, existing, ctx, auto);
    expect(lines.map((l) => [l.line, l.reservation?.mac, l.reservation?.ip, l.auto ?? false, l.errors])).toEqual([
      [1, 'b8:27:eb:00:00:01', '198.18.10.104', true, []], // .100 reserved, .101 leased, .102 server, .103 DNS; .104 is only history
      [2, 'b8:27:eb:00:00:02', '198.18.10.107', true, []], // .105 written on line 3, .106 leased
      [3, 'b8:27:eb:00:00:03', '198.18.10.105', false, []],
      [4, 'b8:27:eb:00:00:04', '198.18.10.108', true, []],
      [5, 'b8:27:eb:00:00:05', '198.18.10.106', true, []], // its own current lease
      [6, undefined, undefined, false, [expect.stringMatching(/no free address left in 198\.18\.10\.100-198\.18\.10\.108/)]],
      [7, undefined, undefined, false, [expect.stringMatching(/no free address left/)]],
    ]);
    expect(lines[0]!.reservation!.hostname).toBe('pi-1');
  });

  it('a MAC already reserved, or twice in the paste, is reported instead of given a second address', () => {
    const lines = parseBulkReservations('02-00-00-00-00-AA\nb8:27:eb:00:00:09\nb827eb000009\n', existing, ctx, auto);
    expect(lines.map((l) => l.errors)).toEqual([[expect.stringMatching(/02:00:00:00:00:aa is already reserved \(198\.18\.10\.100\)/)], [], [expect.stringMatching(/already reserved .* on an earlier line/)]]);
  });

  it('without a range it says what to set; lines with addresses work as before', () => {
    const lines = parseBulkReservations('b8:27:eb:00:00:01\nb8:27:eb:00:00:02 198.18.10.50 cam\n', [], ctx, {});
    expect(lines[0]!.errors).toEqual([expect.stringMatching(/set the range/)]);
    expect(lines[1]!.reservation).toEqual({ mac: 'b8:27:eb:00:00:02', ip: '198.18.10.50', hostname: 'cam' });
  });
});
