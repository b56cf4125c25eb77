import { describe, expect, it } from 'vitest';
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { columnLabel, filterLeases, LEASE_COLUMNS, nextSort, sortLeases, warmFilter } from '../../../src-renderer/src/lib/lease-table.js';

function row(ip: string, mac: string, extra: Partial<LeaseRow> = {}): LeaseRow {
  return { ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '192.168.77.0/24', startsAt: 0, expiresAt: 1000, firstSeen: 0, lastSeen: 0, ...extra };
}

const rows: LeaseRow[] = [
  row('192.168.77.100', 'b8:27:eb:00:00:01', { hostname: 'pi-b', lastSeen: 30, expiresAt: 500, vendorClass: 'udhcp 1.36' }),
  row('192.168.77.9', 'dc:a6:32:00:00:02', { hostname: 'Pi-A', lastSeen: 10, state: 'expired', expiresAt: 100 }),
  row('192.168.77.20', 'aa:bb:cc:dd:ee:03', { lastSeen: 20, state: 'offered', expiresAt: 900, vendorClass: 'MSFT 5.0' }),
  row('10.0.0.5', 'aa:bb:cc:dd:ee:04', { hostname: 'printer', lastSeen: 40, state: 'declined' }),
];
const ips = (list: LeaseRow[]) => list.map((r) => r.ip);

describe('sorting', () => {
  it('sorts IPs numerically, not as text', () => {
    expect(ips(sortLeases(rows, { column: 'ip', dir: 'asc' }))).toEqual(['10.0.0.5', '192.168.77.9', '192.168.77.20', '192.168.77.100']);
    expect(ips(sortLeases(rows, { column: 'ip', dir: 'desc' }))).toEqual(['192.168.77.100', '192.168.77.20', '192.168.77.9', '10.0.0.5']);
  });

  it('sorts text case-insensitively with empty values last in both directions', () => {
    expect(ips(sortLeases(rows, { column: 'hostname', dir: 'asc' }))).toEqual(['192.168.77.9', '192.168.77.100', '10.0.0.5', '192.168.77.20']);
    expect(ips(sortLeases(rows, { column: 'hostname', dir: 'desc' }))).toEqual(['10.0.0.5', '192.168.77.100', '192.168.77.9', '192.168.77.20']);
  });

  it('sorts times and states, ties broken by IP', () => {
    expect(ips(sortLeases(rows, { column: 'lastSeen', dir: 'desc' }))).toEqual(['10.0.0.5', '192.168.77.100', '192.168.77.20', '192.168.77.9']);
    expect(ips(sortLeases(rows, { column: 'expiresAt', dir: 'asc' }))).toEqual(['192.168.77.9', '192.168.77.100', '192.168.77.20', '10.0.0.5']);
    expect(sortLeases(rows, { column: 'state', dir: 'asc' }).map((r) => r.state)).toEqual(['bound', 'offered', 'declined', 'expired']);
  });

  it('sorts by the vendor class (option 60) on its own, even where the OUI vendor is known', () => {
    const withOui = [...rows, row('192.168.77.30', 'b8:27:eb:00:00:05', { vendor: 'Raspberry Pi Trading Ltd', vendorClass: 'android-dhcp-14' })];
    expect(ips(sortLeases(withOui, { column: 'vendorClass', dir: 'asc' }))).toEqual(['192.168.77.30', '192.168.77.20', '192.168.77.100', '10.0.0.5', '192.168.77.9']);
    expect(ips(sortLeases(withOui, { column: 'vendorClass', dir: 'desc' }))).toEqual(['192.168.77.100', '192.168.77.20', '192.168.77.30', '10.0.0.5', '192.168.77.9']);
    // The Vendor column sorts by the OUI vendor only: the vendor class does not leak into it.
    expect(ips(sortLeases(withOui, { column: 'vendor', dir: 'asc' }))[0]).toBe('192.168.77.30');
    expect(sortLeases(withOui, { column: 'vendor', dir: 'asc' }).filter((r) => r.vendor === undefined).map((r) => r.ip)).toEqual(['10.0.0.5', '192.168.77.9', '192.168.77.20', '192.168.77.100']);
  });

  it('the vendorClass column has a header in the UI language', () => {
    expect(LEASE_COLUMNS).toContain('vendorClass');
    expect(LEASE_COLUMNS.indexOf('vendorClass')).toBe(LEASE_COLUMNS.indexOf('vendor') + 1);
    expect(columnLabel('vendorClass')).toBe('Vendor class');
  });

  it('does not mutate its input', () => {
    const copy = rows.slice();
    sortLeases(rows, { column: 'mac', dir: 'desc' });
    expect(rows).toEqual(copy);
  });

  it('clicking a column toggles the direction; time columns start newest first', () => {
    expect(nextSort({ column: 'ip', dir: 'asc' }, 'ip')).toEqual({ column: 'ip', dir: 'desc' });
    expect(nextSort({ column: 'ip', dir: 'asc' }, 'hostname')).toEqual({ column: 'hostname', dir: 'asc' });
    expect(nextSort({ column: 'ip', dir: 'asc' }, 'lastSeen')).toEqual({ column: 'lastSeen', dir: 'desc' });
  });

  it('sorts 10,000 rows quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `aa:bb:cc:${(i >> 16).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, { lastSeen: (i * 7919) % 10_000 }));
    const t = performance.now();
    const sorted = sortLeases(filterLeases(many, ''), { column: 'ip', dir: 'desc' });
    expect(performance.now() - t).toBeLessThan(250);
    expect(sorted[0]!.ip).toBe('10.0.39.15');
  });
});

describe('filtering', () => {
  it('matches any column, case-insensitively, every word', () => {
    expect(ips(filterLeases(rows, 'pi'))).toEqual(['192.168.77.100', '192.168.77.9']);
    expect(ips(filterLeases(rows, 'PI-a'))).toEqual(['192.168.77.9']);
    expect(ips(filterLeases(rows, 'msft'))).toEqual(['192.168.77.20']);
    expect(ips(filterLeases(rows, 'udhcp 1.36'))).toEqual(['192.168.77.100']);
    expect(ips(filterLeases([...rows, row('192.168.77.30', 'b8:27:eb:00:00:05', { vendor: 'Raspberry Pi Trading Ltd', vendorClass: 'android-dhcp-14' })], 'android raspberry'))).toEqual(['192.168.77.30']);
    expect(ips(filterLeases(rows, 'declined'))).toEqual(['10.0.0.5']);
    expect(ips(filterLeases(rows, '192.168.77.1'))).toEqual(['192.168.77.100']);
    expect(ips(filterLeases(rows, 'aa:bb bound'))).toEqual([]);
    expect(ips(filterLeases(rows, 'aa:bb offered'))).toEqual(['192.168.77.20']);
  });

  it('matches MACs typed in other notations', () => {
    expect(ips(filterLeases(rows, 'B8-27-EB'))).toEqual(['192.168.77.100']);
    expect(ips(filterLeases(rows, 'dca6.3200'))).toEqual(['192.168.77.9']);
    expect(ips(filterLeases(rows, 'aabbccddee04'))).toEqual(['10.0.0.5']);
  });

  it('an empty query keeps everything', () => {
    expect(filterLeases(rows, '  ')).toHaveLength(4);
  });
});

describe('warmFilter (the filter text prepared in idle time)', () => {
  const many = Array.from({ length: 1000 }, (_, i) => row(`198.18.${i >> 8}.${i & 255}`, `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`));
  it('stops when the budget runs out (checked every 256 rows) and resumes where it stopped', () => {
    let asked = 0;
    const stop = warmFilter(many, 0, () => ++asked < 2);
    expect(stop).toBe(512);
    expect(warmFilter(many, stop, () => true)).toBe(1000);
  });
  it('leaves filtering unchanged', () => {
    warmFilter(many, 0, () => true);
    expect(filterLeases(many, '02:00:00:00:03').length).toBe(232);
    expect(filterLeases(many, '198.18.1.7').map((r) => r.ip)).toEqual(['198.18.1.7', '198.18.1.70', '198.18.1.71', '198.18.1.72', '198.18.1.73', '198.18.1.74', '198.18.1.75', '198.18.1.76', '198.18.1.77', '198.18.1.78', '198.18.1.79']);
  });
});
