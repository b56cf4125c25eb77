// The lease journal on real files in a temp dir: batching, rotation, torn last line, search,
// CSV, and the recorder's bind/renew/release/expire/decline mapping.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JOURNAL_OLD_FILE, JournalRecorder, JournalWriter, journalEntryOf, journalLineOf, journalToCsv, journalToTable, parseJournalLine, readJournal } from '../../../src-main/devices/journal.js';
import type { JournalEntry } from '../../../src-main/devices/journal-types.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pdhcp-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const lease = (n: number, o: Partial<Lease> = {}): Lease => ({
  ip: `198.18.0.${n}`,
  clientId: `01:aa:bb:cc:00:00:${n.toString(16).padStart(2, '0')}`,
  mac: `aa:bb:cc:00:00:${n.toString(16).padStart(2, '0')}`,
  state: 'bound',
  subnet: '198.18.0.0/24',
  startsAt: T0,
  expiresAt: T0 + 3600_000,
  firstSeen: T0,
  lastSeen: T0,
  ...o,
});

describe('JournalRecorder', () => {
  it('maps durable lease events to transitions; the ACK state tells bind from renew', () => {
    const out: JournalEntry[] = [];
    const r = new JournalRecorder((at, ev, l) => out.push(journalEntryOf(at, ev, l)));
    const l = lease(5, { hostname: 'cam' });
    r.observe({ kind: 'dhcp', at: T0, event: { type: 'ack', ip: l.ip, mac: l.mac, clientId: l.clientId, subnet: l.subnet, state: 'selecting', lease: l } });
    r.observe({ kind: 'lease', at: T0, lease: l });
    r.observe({ kind: 'dhcp', at: T0 + 1, event: { type: 'ack', ip: l.ip, mac: l.mac, clientId: l.clientId, subnet: l.subnet, state: 'renewing', lease: l } });
    r.observe({ kind: 'lease', at: T0 + 1, lease: l });
    r.observe({ kind: 'lease', at: T0 + 2, lease: { ...l, state: 'released' } });
    r.observe({ kind: 'lease', at: T0 + 3, lease: { ...l, state: 'expired' } });
    r.observe({ kind: 'lease', at: T0 + 4, lease: { ...l, state: 'declined' } });
    // An ACK whose lease never became durable (store failure) journals nothing.
    r.observe({ kind: 'dhcp', at: T0 + 5, event: { type: 'ack', ip: '198.18.0.6', mac: l.mac, clientId: l.clientId, subnet: l.subnet, state: 'selecting', lease: lease(6) } });
    expect(out.map((e) => e.event)).toEqual(['bind', 'renew', 'release', 'expire', 'decline']);
    expect(out[0]).toEqual({ at: '2026-11-23T09:00:00.000Z', event: 'bind', ip: l.ip, mac: l.mac, clientId: l.clientId, hostname: 'cam', expiresAt: '2026-11-23T10:00:00.000Z', subnet: l.subnet });
  });

  it('an infinite lease has no expiresAt (no Date can hold it)', () => {
    expect(journalEntryOf(T0, 'bind', lease(1, { expiresAt: Number.MAX_SAFE_INTEGER })).expiresAt).toBeUndefined();
  });

  it('a journal line is exactly JSON.stringify of its entry, for every event and odd host names', () => {
    const events = ['bind', 'renew', 'release', 'expire', 'decline'] as const;
    const names = [undefined, '', 'cam', 'quote " backslash \\ nl \n 漢 \u2028'];
    const ends = [T0 + 3600_000, T0 + 999, Number.MAX_SAFE_INTEGER, T0 + 0.5];
    let n = 0;
    for (const event of events) {
      for (const hostname of names) {
        for (const expiresAt of ends) {
          const at = T0 + (n++ * 377) % 5000;
          const l = lease(n % 250, { ...(hostname === undefined ? {} : { hostname }), expiresAt });
          expect(journalLineOf(at, event, l)).toBe(JSON.stringify(journalEntryOf(at, event, l)));
        }
      }
    }
  });
});

describe('JournalWriter and readJournal (real files)', () => {
  it('appends in batches and reads back with filters', async () => {
    const dir = tmp();
    const w = await JournalWriter.open(dir, { flushMs: 60_000 });
    for (let i = 1; i <= 20; i++) w.append(journalEntryOf(T0 + i * 60_000, i % 2 ? 'bind' : 'renew', lease(i % 4, { hostname: `host-${i % 4}` })));
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false); // buffered: nothing written yet
    await w.flush();
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n')).toHaveLength(20);
    await w.close();

    expect((await readJournal(dir)).entries).toHaveLength(20);
    const byMac = await readJournal(dir, { mac: 'aa:bb:cc:00:00:01' });
    expect(byMac.entries.every((e) => e.mac === 'aa:bb:cc:00:00:01')).toBe(true);
    expect(byMac.entries).toHaveLength(5);
    expect((await readJournal(dir, { ip: '198.18.0.2' })).entries).toHaveLength(5);
    expect((await readJournal(dir, { hostname: 'HOST-3' })).entries).toHaveLength(5);
    const window = await readJournal(dir, { since: T0 + 5 * 60_000, until: T0 + 10 * 60_000 });
    expect(window.entries.map((e) => e.at)).toEqual([5, 6, 7, 8, 9, 10].map((i) => new Date(T0 + i * 60_000).toISOString()));
    const newest = await readJournal(dir, { limit: 3 });
    expect(newest.entries.map((e) => e.at)).toEqual([18, 19, 20].map((i) => new Date(T0 + i * 60_000).toISOString()));
    expect(newest.omitted).toBe(17);
  });

  it('rotates at maxBytes into journal.1.jsonl and reads both, oldest first', async () => {
    const dir = tmp();
    const w = await JournalWriter.open(dir, { maxBytes: 2000, flushLines: 5 });
    for (let i = 0; i < 40; i++) {
      w.append(journalEntryOf(T0 + i, 'bind', lease(1)));
      if (i % 5 === 4) await w.flush();
    }
    await w.close();
    expect(existsSync(join(dir, JOURNAL_OLD_FILE))).toBe(true);
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThanOrEqual(2000 + 5 * 250);
    const all = (await readJournal(dir)).entries;
    // Bounded: the oldest rotated away, the rest in order.
    expect(all.length).toBeLessThan(40);
    expect(all[all.length - 1]!.at).toBe(new Date(T0 + 39).toISOString());
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('a last line torn by a crash is skipped by readers and cut off when the journal opens again', async () => {
    const dir = tmp();
    const good = JSON.stringify(journalEntryOf(T0, 'bind', lease(1)));
    writeFileSync(join(dir, JOURNAL_FILE), `${good}\n${good.slice(0, 40)}`);
    const before = await readJournal(dir);
    expect(before.entries).toHaveLength(1);
    expect(before.unreadable).toBe(1);
    const w = await JournalWriter.open(dir);
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe(`${good}\n`);
    w.append(journalEntryOf(T0 + 1, 'release', lease(1)));
    await w.close();
    const after = await readJournal(dir);
    expect(after.entries.map((e) => e.event)).toEqual(['bind', 'release']);
    expect(after.unreadable).toBe(0);
  });

  it('a torn line with no newline at all leaves an empty file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, JOURNAL_FILE), '{"at":"2026-');
    const w = await JournalWriter.open(dir);
    await w.close();
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
  });

  it('hand-edited junk lines are counted, not fatal; an absent journal is empty', async () => {
    const dir = tmp();
    expect(await readJournal(dir)).toEqual({ entries: [], omitted: 0, unreadable: 0 });
    appendFileSync(join(dir, JOURNAL_FILE), 'junk\n{"at":"x","event":"bind"}\n' + JSON.stringify(journalEntryOf(T0, 'expire', lease(2))) + '\n');
    const r = await readJournal(dir);
    expect(r.entries.map((e) => e.event)).toEqual(['expire']);
    expect(r.unreadable).toBe(2);
    expect(parseJournalLine('{"at":"2026-01-01T00:00:00Z","event":"hack","ip":"1","mac":"m","clientId":"c"}')).toBeUndefined();
  });
});

describe('journal output', () => {
  it('CSV has the header and neutralises formulas in host names', () => {
    const csv = journalToCsv([journalEntryOf(T0, 'bind', lease(1, { hostname: '=HYPERLINK("x")' }))]);
    const [head, row] = csv.split('\r\n');
    expect(head).toBe('at,event,ip,mac,hostname,clientId,expiresAt,subnet');
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('the table is aligned and strips control characters', () => {
    const t = journalToTable([journalEntryOf(T0, 'bind', lease(1, { hostname: 'a\u001b[31m' }))]);
    expect(t.split('\n')[0]).toMatch(/^TIME\s+EVENT\s+IP\s+MAC\s+HOSTNAME$/);
    expect(t).not.toContain('\u001b');
    expect(journalToTable([])).toBe('no journal entries\n');
  });
});
