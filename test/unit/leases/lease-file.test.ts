// The line classifier and recovery rules of lease-file.ts, on hand-made file contents.
import { describe, expect, it } from 'vitest';
import { analyzeLeaseFile, isNewerFormat, needsRepair } from '../../../src-main/leases/lease-file.js';
import { docLine, mkLease } from './fixtures.js';

const del = (id: string) => JSON.stringify({ $$deleted: true, _id: id });
const marker = (seq: number) => JSON.stringify({ _id: '__batch__', seq });
const meta = (format: number) => JSON.stringify({ _id: '__meta__', format });
const file = (lines: string[], trailing = true) => Buffer.from(lines.join('\n') + (trailing && lines.length ? '\n' : ''));
const a1 = docLine(mkLease(1));
const a2 = docLine(mkLease(2));
const a1v2 = docLine(mkLease(1, { hostname: 'v2' }));

describe('analyzeLeaseFile', () => {
  it('accepts a clean file and an empty one', () => {
    for (const buf of [file([meta(1), a1, a2, marker(1)]), Buffer.alloc(0), Buffer.from('\n\n')]) {
      const a = analyzeLeaseFile(buf);
      expect(needsRepair(a)).toBe(false);
      expect(a.garbage).toEqual([]);
    }
    expect(analyzeLeaseFile(file([meta(1), a1])).docs.size).toBe(2);
  });

  it('reads an ASCII file (decoded once) and a UTF-8 one (line by line) alike: documents, byte offsets, raw garbage', () => {
    const garbage = '{"_id":"198.18.0.9",broken';
    for (const host of ['plain-host', 'küche-drucker-ß', '会議室']) {
      const lines = [meta(1), docLine(mkLease(1, { hostname: host })), garbage, a2, marker(1), del('198.18.0.2'), `${a1v2.slice(0, 20)}`];
      const buf = file(lines, false);
      const a = analyzeLeaseFile(buf);
      expect(a.docs.get('198.18.0.1')?.hostname).toBe(host);
      expect(a.garbage.map((g) => [g.line, g.raw.toString()])).toEqual([[3, garbage]]);
      expect(a.torn).toEqual({ line: 7, bytes: 20 });
      // The cut starts at the deletion line's first byte (a byte offset, whatever the characters before it).
      expect(a.keepPrefixBytes).toBe(buf.indexOf(del('198.18.0.2')));
      expect(a.kept.map((b) => b.toString())).toEqual(lines.slice(0, 5).filter((l) => l !== garbage));
    }
  });

  it('cuts a fragment without newline, even a parsable one', () => {
    const a = analyzeLeaseFile(Buffer.from(`${a1}\n${a2}`));
    expect(a.torn).toEqual({ line: 2, bytes: a2.length });
    expect(a.keepPrefixBytes).toBe(a1.length + 1);
    expect(a.needsRewrite).toBe(false);
    expect([...a.docs.keys()]).toEqual(['198.18.0.1']);
  });

  it('treats an unparsable last line (with newline) as torn, not as garbage', () => {
    const a = analyzeLeaseFile(file([a1, '{"_id":"198.18', '']));
    expect(a.torn).toMatchObject({ line: 2 });
    expect(a.garbage).toEqual([]);
  });

  it('quarantines garbage in the middle, including JSON that is not a valid lease', () => {
    const bad = JSON.stringify({ _id: '198.18.0.7', ip: '198.18.0.8', clientId: '', mac: '', state: 'bound', subnet: '', startsAt: 0, expiresAt: 0, firstSeen: 0, lastSeen: 0 });
    const a = analyzeLeaseFile(file([a1, 'xx', '[1,2]', bad, JSON.stringify({ foo: 1 }), a2]));
    expect(a.garbage.map((g) => [g.line, g.reason])).toEqual([
      [2, 'not valid JSON'],
      [3, 'not a JSON object'],
      [4, expect.stringMatching(/_id .* differs from ip/)],
      [5, 'document without an _id'],
    ]);
    expect(a.garbage[0]!.raw.toString()).toBe('xx');
    expect(a.needsRewrite).toBe(true);
    expect(a.kept.map((b) => b.toString())).toEqual([a1, a2]);
  });

  it('reports the format of the meta document', () => {
    expect(isNewerFormat(analyzeLeaseFile(file([meta(1), a1])))).toBe(false);
    expect(isNewerFormat(analyzeLeaseFile(file([meta(2), a1])))).toBe(true);
    expect(analyzeLeaseFile(file([a1])).format).toBeUndefined();
  });

  it('replays like NeDB: last line per _id wins, deletions remove', () => {
    const a = analyzeLeaseFile(file([a1, a2, marker(1), del(mkLease(1).ip), del('__batch__'), a1v2, marker(2)]));
    expect(needsRepair(a)).toBe(false);
    expect((a.docs.get('198.18.0.1') as { hostname?: string }).hostname).toBe('v2');
    expect(a.docs.get('__batch__')).toMatchObject({ seq: 2 });
  });

  describe('unfinished batch', () => {
    it('cuts deletions after the last marker (crash between remove and insert)', () => {
      const a = analyzeLeaseFile(file([a1, a2, marker(1), del(mkLease(1).ip), del('__batch__')]));
      expect(a.uncommitted).toEqual({ fromLine: 4, lines: 2 });
      expect(a.docs.has('198.18.0.1')).toBe(true);
      expect(a.docs.get('__batch__')).toMatchObject({ seq: 1 });
    });

    it('cuts deletions plus a partial insert (crash inside the insert append)', () => {
      const a = analyzeLeaseFile(file([a1, a2, marker(1), del(mkLease(1).ip), del(mkLease(2).ip), del('__batch__'), a1v2]));
      expect(a.uncommitted).toEqual({ fromLine: 4, lines: 4 });
      expect(a.docs.get('198.18.0.2')).toBeDefined();
      expect((a.docs.get('198.18.0.1') as { hostname?: string }).hostname).toBeUndefined();
    });

    it('cuts the first batch ever (no marker yet) only from its deletions', () => {
      const a = analyzeLeaseFile(file([meta(1), a1, del(mkLease(1).ip)]));
      expect(a.uncommitted).toEqual({ fromLine: 3, lines: 1 });
      expect(a.docs.has('198.18.0.1')).toBe(true);
    });

    it('never cuts compaction output that follows the marker (no deletions in it)', () => {
      // NeDB writes compacted documents in _id order, so the marker can sit mid-file.
      const a = analyzeLeaseFile(file([meta(1), marker(7), a1, a2]));
      expect(a.uncommitted).toBeNull();
      expect(a.docs.size).toBe(4);
    });

    it('keeps compaction output and cuts only the unfinished batch appended after it', () => {
      const a = analyzeLeaseFile(file([meta(1), marker(7), a1, a2, del(mkLease(1).ip), del('__batch__'), a1v2]));
      expect(a.uncommitted).toEqual({ fromLine: 5, lines: 3 });
      expect(a.docs.has('198.18.0.2')).toBe(true);
      expect(a.docs.has('198.18.0.1')).toBe(true);
      expect(a.needsRewrite).toBe(false);
    });

    it('limits the damage of a rotten marker line to the last batch', () => {
      const a = analyzeLeaseFile(file([a1, a2, marker(1), del(mkLease(1).ip), del('__batch__'), a1v2, '{"_id":"__batch__","se~~', del(mkLease(2).ip), del('__batch__')]));
      // Batch 2 (whose marker rotted) is kept; the deletions of the unfinished batch 3 are cut.
      expect(a.uncommitted).toEqual({ fromLine: 8, lines: 2 });
      expect(a.garbage.map((g) => g.line)).toEqual([7]);
      expect((a.docs.get('198.18.0.1') as { hostname?: string }).hostname).toBe('v2');
      expect(a.docs.has('198.18.0.2')).toBe(true);
    });
  });
});
