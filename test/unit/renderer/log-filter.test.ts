import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src-main/ipc/contract.js';
import { filterLog, mergeLog } from '../../../src-renderer/src/lib/log-filter.js';
import { eventLine } from '../../../src-main/server/event-format.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';

const e = (id: number, kind: LogEntry['kind'], extra: Partial<LogEntry> = {}): LogEntry => ({ id, at: 1000 + id, level: 'info', kind, text: `${kind} ${id}`, ...extra });

const entries: LogEntry[] = [
  e(1, 'in', { mac: 'b8:27:eb:00:00:01', text: 'DHCPDISCOVER from b8:27:eb:00:00:01' }),
  e(2, 'offer', { mac: 'b8:27:eb:00:00:01', ip: '192.168.77.100' }),
  e(3, 'ack', { mac: 'b8:27:eb:00:00:01', ip: '192.168.77.100' }),
  e(4, 'drop', { mac: 'dc:a6:32:00:00:02', reason: 'wrong-server-id', level: 'warn', text: 'client selected another DHCP server' }),
  e(5, 'pool-exhausted', { mac: 'dc:a6:32:00:00:03', level: 'error' }),
  e(6, 'state', { text: 'server started on eth1' }),
];
const ids = (l: LogEntry[]) => l.map((x) => x.id);

describe('log filter', () => {
  it('filters by a MAC in any notation, or by a fragment of one', () => {
    expect(ids(filterLog(entries, { mac: 'B8-27-EB-00-00-01' }))).toEqual([1, 2, 3]);
    expect(ids(filterLog(entries, { mac: 'dca6.3200.0002' }))).toEqual([4]);
    expect(ids(filterLog(entries, { mac: 'dc:a6' }))).toEqual([4, 5]);
  });

  it('filters by group', () => {
    expect(ids(filterLog(entries, { group: 'dhcp' }))).toEqual([2, 3]);
    expect(ids(filterLog(entries, { group: 'packets' }))).toEqual([1]);
    expect(ids(filterLog(entries, { group: 'problems' }))).toEqual([4, 5]);
    expect(ids(filterLog(entries, { group: 'all' }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('searches text, IP and kind; combines with the other filters', () => {
    expect(ids(filterLog(entries, { text: 'another server' }))).toEqual([4]);
    expect(ids(filterLog(entries, { text: '77.100' }))).toEqual([2, 3]);
    expect(ids(filterLog(entries, { text: '77.100', group: 'dhcp', mac: 'b827eb000001' }))).toEqual([2, 3]);
  });
});

describe('log search in another language', () => {
  afterEach(() => setLocale('en'));
  const line = eventLine({ kind: 'dhcp', at: 1, event: { type: 'expire', ip: '192.168.77.100', mac: 'b8:27:eb:00:00:01', clientId: '01:b8:27:eb:00:00:01' } })!;
  const expire = e(7, 'expire', { mac: 'b8:27:eb:00:00:01', ip: '192.168.77.100', text: line.text, msg: line.msg! });

  it('matches the words shown (Korean) and the engine’s English', () => {
    setLocale('ko');
    const all = [...entries, expire];
    expect(ids(filterLog(all, { text: '임대 만료' }))).toEqual([7]);
    expect(ids(filterLog(all, { text: 'EXPIRE 192.168.77.100 of' }))).toEqual([7]);
    setLocale('en');
    expect(ids(filterLog(all, { text: '임대 만료' }))).toEqual([]);
  });
});

describe('bounded buffer', () => {
  it('appends, deduplicates by id and keeps the newest', () => {
    let buf = mergeLog([], entries.slice(0, 3), 4);
    buf = mergeLog(buf, [entries[2]!, entries[3]!, entries[4]!], 4);
    expect(ids(buf)).toEqual([2, 3, 4, 5]);
    expect(mergeLog(buf, [], 4)).toBe(buf);
    expect(mergeLog(buf, [entries[4]!], 4)).toBe(buf);
  });

  it('orders a batch that arrives out of order', () => {
    expect(ids(mergeLog([e(1, 'in')], [e(3, 'in'), e(2, 'in')], 10))).toEqual([1, 2, 3]);
  });

  it('deduplicates like keying the whole buffer (only entries as recent as the batch can repeat)', () => {
    // The former merge, which keyed every entry of the buffer for each batch.
    const reference = (buffer: LogEntry[], batch: LogEntry[], limit: number): LogEntry[] => {
      if (!batch.length) return buffer;
      const key = (x: LogEntry): string => `${x.id}@${x.at}`;
      const seen = new Set(buffer.map(key));
      const fresh = batch.filter((x) => !seen.has(key(x)));
      if (!fresh.length) return buffer;
      const last = buffer[buffer.length - 1];
      let merged: LogEntry[];
      if (!last || fresh.every((x) => x.id > last.id) || fresh.every((x) => x.at >= last.at)) merged = [...buffer, ...fresh.slice().sort((a, b) => a.id - b.id)];
      else merged = [...buffer, ...fresh].sort((a, b) => a.at - b.at || a.id - b.id);
      return merged.length > limit ? merged.slice(merged.length - limit) : merged;
    };
    const entryArb = fc.record({ id: fc.integer({ min: 1, max: 40 }), at: fc.integer({ min: 0, max: 30 }) }).map(({ id, at }) => e(id, 'in', { at }));
    fc.assert(
      fc.property(fc.array(fc.array(entryArb, { maxLength: 8 }), { maxLength: 10 }), fc.integer({ min: 1, max: 20 }), (batches, limit) => {
        let mine: LogEntry[] = [];
        let theirs: LogEntry[] = [];
        for (const batch of batches) {
          mine = mergeLog(mine, batch, limit);
          theirs = reference(theirs, batch, limit);
          expect(mine.map((x) => `${x.id}@${x.at}`)).toEqual(theirs.map((x) => `${x.id}@${x.at}`));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps entries of a restarted engine whose ids start again', () => {
    const old = [e(7, 'in', { at: 100 }), e(8, 'in', { at: 200 })];
    const fresh = [e(1, 'state', { at: 300 }), e(2, 'in', { at: 301 })];
    expect(mergeLog(old, fresh, 10).map((x) => `${x.id}@${x.at}`)).toEqual(['7@100', '8@200', '1@300', '2@301']);
  });
});
