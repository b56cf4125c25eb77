import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, formatRelative, leasesToCsv, leasesToJson, leasesToTable } from '../../../src-main/leases/export.js';
import { T0, mkLease } from './fixtures.js';

/** A minimal RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

const leases = [
  mkLease(10, { hostname: 'Lab PC, bench "3"', vendorClass: 'MSFT 5.0', relay: '198.18.0.1', paramRequest: [1, 3, 6] }),
  mkLease(9, { hostname: 'line\nbreak' }),
  mkLease(256 + 1, { state: 'released', expiresAt: T0 - 60_000 }),
  mkLease(2, { hostname: '=HYPERLINK("http://x")' }),
];

describe('leasesToJson', () => {
  it('has every field, ISO 8601 times, nulls for absent optionals, sorted by IP numerically', () => {
    const j = leasesToJson(leases);
    expect(j.map((x) => x.ip)).toEqual(['198.18.0.2', '198.18.0.9', '198.18.0.10', '198.18.1.1']);
    expect(Object.keys(j[0]!)).toEqual([...EXPORT_COLUMNS]);
    const lab = j[2]!;
    expect(lab).toMatchObject({
      mac: '02:00:00:00:00:0a',
      clientId: '01:02:00:00:00:00:0a',
      hostname: 'Lab PC, bench "3"',
      state: 'bound',
      subnet: '198.18.0.0/15',
      vendorClass: 'MSFT 5.0',
      relay: '198.18.0.1',
      paramRequest: [1, 3, 6],
      startsAt: '2025-01-15T12:00:00.000Z',
      expiresAt: '2025-01-15T13:00:00.000Z',
    });
    expect(j[1]).toMatchObject({ vendorClass: null, relay: null, paramRequest: null });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('leasesToCsv', () => {
  it('writes a header and RFC 4180 quoting that survives commas, quotes and line breaks', () => {
    const csv = leasesToCsv(leases);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(5);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const lab = rows.find((r) => r[col('ip')] === '198.18.0.10')!;
    expect(lab[col('hostname')]).toBe('Lab PC, bench "3"');
    expect(lab[col('paramRequest')]).toBe('1 3 6');
    expect(lab[col('expiresAt')]).toBe('2025-01-15T13:00:00.000Z');
    expect(rows.find((r) => r[col('ip')] === '198.18.0.9')![col('hostname')]).toBe('line\nbreak');
    expect(csv).toContain('"Lab PC, bench ""3"""');
    expect(rows.map((r) => r[0]).slice(1)).toEqual(['198.18.0.2', '198.18.0.9', '198.18.0.10', '198.18.1.1']);
  });

  it('defuses spreadsheet formulas from client-chosen names unless asked not to', () => {
    const col = EXPORT_COLUMNS.indexOf('hostname');
    expect(parseCsv(leasesToCsv(leases))[1]![col]).toBe(`'=HYPERLINK("http://x")`);
    expect(parseCsv(leasesToCsv(leases, { spreadsheetSafe: false }))[1]![col]).toBe('=HYPERLINK("http://x")');
  });

  it('an empty list is just the header', () => {
    expect(leasesToCsv([])).toBe(EXPORT_COLUMNS.join(',') + '\r\n');
  });
});

describe('leasesToTable', () => {
  it('aligns columns, sorts by IP and says when leases expire', () => {
    const t = leasesToTable(leases, T0 + 60_000);
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IP\s+MAC\s+VENDOR\s+HOSTNAME\s+STATE\s+EXPIRES$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['198.18.0.2', '198.18.0.9', '198.18.0.10', '198.18.1.1']);
    const macCol = lines[0]!.indexOf('MAC');
    for (const l of lines.slice(1)) expect(l.slice(macCol, macCol + 17)).toMatch(/^02:00:00:00:/);
    expect(t).toContain('expires in 59m 00s');
    expect(t).toContain('released 2m 00s ago');
    // A control character from a client never reaches the terminal.
    expect(t).toContain('line?break');
    expect(leasesToTable([])).toBe('(no leases)\n');
  });

  it('cuts long host names and strips escape sequences', () => {
    const t = leasesToTable([mkLease(1, { hostname: '\u001b[31m' + 'x'.repeat(60) })], T0);
    expect(t).not.toContain('\u001b');
    expect(t).toContain('…');
  });

  it('formatRelative', () => {
    expect(formatRelative(T0 + 90_000, T0)).toBe('in 1m 30s');
    expect(formatRelative(T0 - 2 * 86_400_000 - 3_600_000, T0)).toBe('2d 1h ago');
    expect(formatRelative(T0 + 3_660_000, T0)).toBe('in 1h 01m');
    expect(formatRelative(T0 + 200, T0)).toBe('now');
  });
});
