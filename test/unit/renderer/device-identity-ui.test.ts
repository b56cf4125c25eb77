// The renderer side of device identity and the timeline: the Vendor column's text and sort, the
// search over vendor names and the random-MAC label, and the timeline's wording helpers.
import { describe, expect, it } from 'vitest';
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { filterLeases, sortLeases, vendorText } from '../../../src-renderer/src/lib/lease-table.js';
import { direction, entryDetail, formatDelta, localInputToMs } from '../../../src-renderer/src/lib/timeline.js';

const row = (ip: string, mac: string, extra: Partial<LeaseRow> = {}): LeaseRow => ({ ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.0.0/24', startsAt: 0, expiresAt: 1000, firstSeen: 0, lastSeen: 0, ...extra });

const rows: LeaseRow[] = [
  row('198.18.0.10', 'b8:27:eb:00:00:01', { vendor: 'Raspberry Pi Foundation', clientGuess: 'BusyBox udhcpc (embedded Linux)' }),
  row('198.18.0.11', '02:00:5e:00:00:02', { randomMac: true, hostname: 'phone' }),
  row('198.18.0.12', '00:15:5d:00:00:03', { vendor: 'Microsoft Corporation', vendorClass: 'MSFT 5.0' }),
  row('198.18.0.13', '00:00:00:00:00:04', { vendorClass: 'HP LaserJet' }),
];

describe('vendor column', () => {
  it('shows the OUI vendor or "private/random MAC" — never the vendor class, which has its own column', () => {
    expect(rows.map(vendorText)).toEqual(['Raspberry Pi Foundation', 'private/random MAC', 'Microsoft Corporation', undefined]);
  });

  it('sorts by that text, rows without a vendor last', () => {
    expect(sortLeases(rows, { column: 'vendor', dir: 'asc' }).map((r) => r.ip)).toEqual(['198.18.0.12', '198.18.0.11', '198.18.0.10', '198.18.0.13']);
  });

  it('the search matches vendor names, the random-MAC label, vendor class and the client guess', () => {
    const ips = (q: string) => filterLeases(rows, q).map((r) => r.ip);
    expect(ips('raspberry')).toEqual(['198.18.0.10']);
    expect(ips('microsoft')).toEqual(['198.18.0.12']);
    expect(ips('random')).toEqual(['198.18.0.11']);
    expect(ips('laserjet')).toEqual(['198.18.0.13']);
    expect(ips('busybox')).toEqual(['198.18.0.10']);
  });
});

describe('timeline wording', () => {
  it('relative times between steps', () => {
    expect(formatDelta(0)).toBe('+<1 ms');
    expect(formatDelta(13)).toBe('+13 ms');
    expect(formatDelta(1450)).toBe('+1.4 s');
    expect(formatDelta(42_000)).toBe('+42 s');
    expect(formatDelta(125_000)).toBe('+2 min 05 s');
    expect(formatDelta(3 * 3600_000 + 600_000)).toBe('+3 h 10 min');
  });

  it('who sent a step, and its detail line', () => {
    expect([direction('discover'), direction('offer'), direction('expire')]).toEqual(['in', 'out', 'note']);
    expect(entryDetail({ at: 0, kind: 'drop', reason: 'wrong-server-id', detail: 'selected 198.18.0.2' })).toBe('client selected another DHCP server · selected 198.18.0.2');
    expect(entryDetail({ at: 0, kind: 'ack', ip: '198.18.0.5', state: 'renewing' })).toBe('198.18.0.5 · renewing');
  });

  it('datetime-local values', () => {
    expect(localInputToMs('')).toBeUndefined();
    expect(localInputToMs('nonsense')).toBeUndefined();
    expect(localInputToMs('2026-11-23T09:30')).toBe(new Date(2026, 10, 23, 9, 30).getTime());
  });
});
