// LeaseStore against real files in temp directories.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { LeaseStoreError } from '../../../src-main/leases/errors.js';
import { DATA_FILE, LOCK_FILE, LeaseStore } from '../../../src-main/leases/lease-store.js';
import { T0, byIp, chattr, docLine, fileLines, isRoot, mkLease, tempDir } from './fixtures.js';

const CHILD = join(import.meta.dirname, '../../helpers/lease-writer-child.ts');

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function newDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function openStore(dir: string, opts: Parameters<typeof LeaseStore.open>[1] = {}): Promise<LeaseStore> {
  const s = await LeaseStore.open(dir, { now: () => T0, ...opts });
  cleanups.push(() => s.close().catch(() => {}));
  return s;
}

async function expectStoreError(p: Promise<unknown>, code: string): Promise<LeaseStoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LeaseStoreError);
    expect((e as LeaseStoreError).code).toBe(code);
    return e as LeaseStoreError;
  }
  throw new Error(`expected a LeaseStoreError ${code}, but it succeeded`);
}

/** Writes a datafile by hand (as a crash or another version would have left it). */
function writeData(dir: string, lines: string[], trailingNewline = true): string {
  const file = join(dir, DATA_FILE);
  writeFileSync(file, lines.join('\n') + (trailingNewline && lines.length ? '\n' : ''));
  return file;
}

describe('LeaseStore: basics and durability', () => {
  it('round trip: applied records come back identical after close and reopen', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    expect(s.openReport.created).toBe(true);
    const leases: Lease[] = [
      mkLease(1),
      mkLease(2, { hostname: 'printer, 2nd floor "HP"\nline', vendorClass: 'MSFT 5.0', paramRequest: [1, 3, 6, 15, 119, 252], relay: '198.18.0.1', circuitId: '0a0b', remoteId: 'ff00' }),
      mkLease(3, { state: 'released', expiresAt: T0, hostname: 'Zürich-Ω-📟' }),
      mkLease(4, { state: 'declined', clientId: '' }),
      mkLease(300, { state: 'expired' }),
    ];
    await s.apply(leases);
    await s.close();

    const again = await openStore(dir);
    expect(again.openReport.created).toBe(false);
    expect(again.size).toBe(leases.length);
    expect(again.all().sort(byIp)).toEqual([...leases].sort(byIp));
    for (const l of leases) expect(again.view.byIp(l.ip)).toEqual(l);
    expect(again.view.byClient(leases[1]!.clientId)).toEqual(leases[1]);
    // NeDB format: one JSON document per line, _id = the IP, plus the format marker.
    const docs = fileLines(join(dir, DATA_FILE)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs.find((d) => d._id === '__meta__')).toMatchObject({ format: 1 });
    expect(docs.find((d) => d._id === '198.18.0.2')).toMatchObject({ ip: '198.18.0.2', hostname: leases[1]!.hostname });
  });

  it('updates the index synchronously, before the record is on disk', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    const l = mkLease(7, { hostname: 'sync-check' });
    const p = s.apply([l]);
    expect(s.view.byIp(l.ip)).toEqual(l);
    expect(s.view.byClient(l.clientId)).toEqual(l);
    expect(s.size).toBe(1);
    // Not yet written: the batch is cut at the end of this event-loop turn.
    expect(readFileSync(join(dir, DATA_FILE), 'utf8')).not.toContain('sync-check');
    await p;
    expect(readFileSync(join(dir, DATA_FILE), 'utf8')).toContain('sync-check');
  });

  it('group commit: the apply() calls of one turn become one batch and one fdatasync', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    const before = s.stats();
    const ps: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) ps.push(s.apply([mkLease(i)]));
    await Promise.all(ps);
    const after = s.stats();
    expect(after.batches - before.batches).toBe(1);
    expect(after.syncs - before.syncs).toBe(1);
    expect(after.lastBatchSize).toBe(200);
    expect(after.maxBatchSize).toBe(200);
    expect(after.recordsWritten - before.recordsWritten).toBe(200);
    expect(after.syncMsTotal).toBeGreaterThan(0);

    // Calls in separate turns while a batch is being written accumulate into the next one.
    const q: Promise<void>[] = [s.apply([mkLease(1000)])];
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 50; i++) q.push(s.apply([mkLease(1001 + i)]));
    await Promise.all(q);
    expect(s.stats().batches - after.batches).toBeLessThanOrEqual(2);
    expect(s.size).toBe(251);
  });

  it('refuses offered and malformed records without touching the index', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    const e = await expectStoreError(s.apply([mkLease(1), mkLease(2, { state: 'offered' })]), 'INVALID_RECORD');
    expect(e.message).toMatch(/offered/);
    expect(s.size).toBe(0);
    await expectStoreError(s.apply([mkLease(3, { expiresAt: Number.NaN })]), 'INVALID_RECORD');
    await expectStoreError(s.apply([mkLease(3, { ip: '300.1.1.1' })]), 'INVALID_RECORD');
    expect(s.size).toBe(0);
  });

  it('close() flushes what was applied and not awaited; apply() after close is refused', async () => {
    const dir = newDir();
    const s = await LeaseStore.open(dir);
    void s.apply([mkLease(5)]);
    await s.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await expectStoreError(s.apply([mkLease(6)]), 'CLOSED');
    const again = await openStore(dir);
    expect(again.view.byIp(mkLease(5).ip)).toEqual(mkLease(5));
  });

  it('records in the index are frozen (an in-place edit would bypass the journal)', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1)]);
    const l = s.view.byIp(mkLease(1).ip)!;
    expect(() => {
      (l as { state: string }).state = 'released';
    }).toThrow(TypeError);
  });

  it('bound leases whose time ran out while stopped are expired in memory at load', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1, { expiresAt: T0 + 1000 }), mkLease(2, { expiresAt: T0 + 10_000_000 }), mkLease(3, { state: 'released', expiresAt: T0 })]);
    await s.close();

    const later = await openStore(dir, { now: () => T0 + 5000 });
    expect(later.openReport.expiredAtLoad).toBe(1);
    expect(later.view.byIp(mkLease(1).ip)!.state).toBe('expired');
    expect(later.view.byIp(mkLease(2).ip)!.state).toBe('bound');
    expect(later.view.byIp(mkLease(3).ip)!.state).toBe('released');
    // Memory only: the file still says bound (the engine's sweep persists the transition).
    const onDisk = fileLines(join(dir, DATA_FILE)).map((x) => JSON.parse(x) as Lease).find((d) => d.ip === mkLease(1).ip);
    expect(onDisk!.state).toBe('bound');
  });

  it('compacts when the file has grown well beyond the live records, between batches', async () => {
    const dir = newDir();
    const s = await openStore(dir, { compaction: { minLines: 200, ratio: 2 } });
    for (let round = 1; round <= 60; round++) {
      await s.apply(Array.from({ length: 10 }, (_, i) => mkLease(i, { lastSeen: T0 + round })));
      // A compaction writes its snapshot in the background and is put in place between batches
      // or once the store is idle; batches arriving meanwhile go to its tail (tested below), so
      // here the next batch waits, as at a lab's pace.
      await vi.waitFor(() => expect(s.stats().compacting).toBe(false), { timeout: 5000, interval: 2 });
    }
    const st = s.stats();
    expect(st.compactions).toBeGreaterThan(0);
    // 10 leases + meta + batch marker, plus what was appended since the last compaction.
    const lines = fileLines(join(dir, DATA_FILE)).length;
    expect(lines).toBeLessThan(200 + 30);
    expect(st.fileLines).toBe(lines);
    await s.close();
    const again = await openStore(dir);
    expect(again.size).toBe(10);
    expect(again.view.byIp(mkLease(3).ip)!.lastSeen).toBe(T0 + 60);
  });

  it('compacts without stopping the store: the event loop turns and batches are acknowledged while the snapshot is written', async () => {
    const dir = newDir();
    const N = 30_000;
    const s = await openStore(dir, { compaction: { minLines: 1000, ratio: 1.5 } });
    // N records, then a new version of each: the file passes 1.5 × the live records.
    await s.apply(Array.from({ length: N }, (_, i) => mkLease(i)));
    await s.apply(Array.from({ length: N }, (_, i) => mkLease(i, { lastSeen: T0 + 1 })));
    // The second batch started a compaction of N + 2 documents: it is now writing its snapshot.
    expect(s.stats()).toMatchObject({ compacting: true, compactions: 0 });
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    // Batches during the snapshot: each is acknowledged (appended and synced to the old file) and
    // also goes to the new one.
    const during: number[] = [];
    for (let k = 0; k < 5; k++) {
      await s.apply([mkLease(N + k), mkLease(k, { lastSeen: T0 + 2 + k })]);
      during.push(s.stats().compactions);
    }
    await vi.waitFor(() => expect(s.stats().compactions).toBe(1), { timeout: 20_000, interval: 5 });
    spinning = false;
    expect(during[0], 'the first batch was acknowledged before the compaction finished').toBe(0);
    // The loop turned while the snapshot was written (NeDB's own compaction is one synchronous loop).
    expect(turns).toBeGreaterThan(10);
    expect(s.stats().compacting).toBe(false);
    expect(existsSync(join(dir, `${DATA_FILE}~`)), 'the new file replaced the datafile').toBe(false);
    // The new file: one line per document of the snapshot (N leases, meta, batch marker) plus the
    // five batches appended since (a new lease, a deletion and a new version, the marker's deletion
    // and the new marker: 5 lines each).
    const lines = fileLines(join(dir, DATA_FILE));
    expect(s.stats().fileLines).toBe(lines.length);
    expect(lines.length).toBe(N + 2 + 5 * 5);
    await s.close();
    const again = await openStore(dir);
    expect(again.size).toBe(N + 5);
    expect(again.view.byIp(mkLease(4).ip)!.lastSeen).toBe(T0 + 6);
    expect(again.view.byIp(mkLease(N + 4).ip)).toBeDefined();
    expect(again.view.byIp(mkLease(N - 1).ip)!.lastSeen).toBe(T0 + 1);
  });
});

describe('LeaseStore: history bound', () => {
  it('drops the oldest non-bound records beyond maxRecords, keeps bound ones and live quarantines', async () => {
    const dir = newDir();
    const s = await openStore(dir, { maxRecords: 10 });
    const bound = Array.from({ length: 7 }, (_, i) => mkLease(i, { lastSeen: T0 - 1_000_000 }));
    const declinedLive = mkLease(50, { state: 'declined', lastSeen: T0 - 2_000_000, expiresAt: T0 + 600_000 });
    const released = Array.from({ length: 6 }, (_, i) => mkLease(100 + i, { state: 'released', lastSeen: T0 - 60_000 + i * 1000 }));
    await s.apply([...bound, declinedLive, ...released]);
    // 14 records > 10: prune to 10 - slack(1) = 9 → 5 dropped, the oldest released ones.
    expect(s.size).toBe(9);
    for (const l of bound) expect(s.view.byIp(l.ip)).toBeDefined();
    expect(s.view.byIp(declinedLive.ip)).toBeDefined();
    for (const l of released.slice(0, 5)) expect(s.view.byIp(l.ip)).toBeUndefined();
    expect(s.view.byIp(released[5]!.ip)).toBeDefined();
    expect(s.stats().pruned).toBe(5);
    await s.close();

    const again = await openStore(dir, { maxRecords: 10 });
    expect(again.size).toBe(9);
    for (const l of released.slice(0, 5)) expect(again.view.byIp(l.ip)).toBeUndefined();
  });

  it('never drops bound leases, even beyond maxRecords', async () => {
    const dir = newDir();
    const s = await openStore(dir, { maxRecords: 5 });
    await s.apply(Array.from({ length: 8 }, (_, i) => mkLease(i)));
    expect(s.size).toBe(8);
  });

  it('prunes at load when the file holds more than maxRecords', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply(Array.from({ length: 20 }, (_, i) => mkLease(i, { state: 'expired', lastSeen: T0 + i })));
    await s.close();
    const again = await openStore(dir, { maxRecords: 10 });
    expect(again.openReport.pruned).toBe(11);
    expect(again.size).toBe(9);
    expect(again.view.byIp(mkLease(19).ip)).toBeDefined();
    expect(again.view.byIp(mkLease(0).ip)).toBeUndefined();
    await again.close();
    expect((await openStore(dir)).size).toBe(9);
  });
});

describe('LeaseStore: repair at load', () => {
  it('opens an empty file', async () => {
    const dir = newDir();
    writeData(dir, []);
    const s = await openStore(dir);
    expect(s.size).toBe(0);
    expect(s.openReport.created).toBe(false);
    expect(s.openReport.quarantined).toBeNull();
    expect(s.openReport.torn).toBeNull();
    await s.apply([mkLease(1)]);
  });

  it('cuts a torn last line (no newline) and loads the rest', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1), mkLease(2), mkLease(3)]);
    await s.close();
    const file = join(dir, DATA_FILE);
    appendFileSync(file, docLine(mkLease(4)).slice(0, 40));

    const again = await openStore(dir);
    expect(again.openReport.torn).toMatchObject({ bytes: 40 });
    expect(again.openReport.messages.join('\n')).toMatch(/incomplete last line/);
    expect(again.openReport.quarantined).toBeNull();
    expect(again.size).toBe(3);
    expect(readdirSync(dir).some((f) => f.includes('quarantine'))).toBe(false);
  });

  it('cuts an unparsable last line even when it has its newline', async () => {
    const dir = newDir();
    writeData(dir, [docLine(mkLease(1)), '\u0000\u0000\u0000\u0000']);
    const s = await openStore(dir);
    expect(s.openReport.torn).toMatchObject({ line: 2 });
    expect(s.size).toBe(1);
  });

  it('quarantines a garbage line in the middle and reports it (NeDB alone would refuse this file)', async () => {
    const dir = newDir();
    const file = writeData(dir, [docLine(mkLease(1)), 'this is {not json', docLine(mkLease(2)), JSON.stringify({ _id: '198.18.0.9', ip: '198.18.0.9', state: 'offered' }), docLine(mkLease(3))]);
    const s = await openStore(dir);
    const q = s.openReport.quarantined!;
    expect(q).not.toBeNull();
    expect(q.count).toBe(2);
    expect(q.lines.map((l) => l.line)).toEqual([2, 4]);
    expect(q.lines[1]!.reason).toMatch(/not a valid lease record/);
    expect(readFileSync(q.file, 'utf8')).toBe('this is {not json\n' + JSON.stringify({ _id: '198.18.0.9', ip: '198.18.0.9', state: 'offered' }) + '\n');
    expect(q.file.startsWith(`${file}.quarantine-`)).toBe(true);
    expect(s.openReport.messages.join('\n')).toMatch(/line 2 \(not valid JSON\)/);
    expect(s.all().sort(byIp)).toEqual([mkLease(1), mkLease(2), mkLease(3)]);
    expect(readFileSync(file, 'utf8')).not.toContain('not json');
  });

  it('undoes the deletions of a batch that a crash cut between its two appends', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1, { hostname: 'v1' }), mkLease(2, { hostname: 'v1' })]);
    await s.close();
    const file = join(dir, DATA_FILE);
    // What NeDB's remove() appends for a renewal of .1 and .2 — then the process died before insert().
    appendFileSync(file, ['198.18.0.1', '198.18.0.2', '__batch__'].map((id) => JSON.stringify({ $$deleted: true, _id: id })).join('\n') + '\n');
    // ...and the first record of the insert made it, the rest did not.
    appendFileSync(file, docLine(mkLease(1, { hostname: 'v2' })) + '\n');

    const again = await openStore(dir);
    expect(again.openReport.uncommitted).toEqual({ fromLine: expect.any(Number), lines: 4 });
    expect(again.openReport.messages.join('\n')).toMatch(/never acknowledged/);
    expect(again.view.byIp('198.18.0.1')!.hostname).toBe('v1');
    expect(again.view.byIp('198.18.0.2')!.hostname).toBe('v1');
  });

  it('keeps a completed batch (deletions + records + marker)', async () => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1, { hostname: 'v1' }), mkLease(2, { hostname: 'v1' })]);
    await s.apply([mkLease(1, { hostname: 'v2' })]);
    await s.close();
    // Reopen twice: the second load reads the file compacted by the first.
    for (let i = 0; i < 2; i++) {
      const again = await openStore(dir);
      expect(again.openReport.uncommitted).toBeNull();
      expect(again.view.byIp('198.18.0.1')!.hostname).toBe('v2');
      expect(again.view.byIp('198.18.0.2')!.hostname).toBe('v1');
      await again.close();
    }
  });

  it('refuses a file written by a newer format, leaving it untouched', async () => {
    const dir = newDir();
    const file = writeData(dir, [JSON.stringify({ _id: '__meta__', format: 2, app: 'pocket-dhcp' }), JSON.stringify({ _id: '198.18.0.1', v2field: true }), 'torn']);
    const bytes = readFileSync(file);
    const e = await expectStoreError(LeaseStore.open(dir), 'NEWER_FORMAT');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/newer version of Pocket DHCP/);
    expect(e.message).toMatch(/format 2; this version reads format 1/);
    expect(e.message).toMatch(/Update Pocket DHCP/);
    expect(readFileSync(file)).toEqual(bytes);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('recovers from a compaction interrupted after the old file was removed (leases.db~ only)', async () => {
    const dir = newDir();
    writeFileSync(join(dir, `${DATA_FILE}~`), docLine(mkLease(1)) + '\n');
    const s = await openStore(dir);
    expect(s.size).toBe(1);
  });
});

describe('LeaseStore: unwritable places', () => {
  it('names the directory and the fix when the data directory is read-only', async (ctx) => {
    if (!isRoot) {
      // Without root a chmod'ed directory does the same job.
      const dir = newDir();
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      cleanups.push(() => chmodSync(ro, 0o755));
      const e = await expectStoreError(LeaseStore.open(ro), 'NOT_WRITABLE');
      expect(e.message).toContain(ro);
      return;
    }
    // Root ignores permission bits, so use a read-only bind mount.
    const base = newDir();
    const src = join(base, 'src');
    const ro = join(base, 'ro');
    mkdirSync(src);
    mkdirSync(ro);
    const seed = await LeaseStore.open(src);
    await seed.apply([mkLease(1)]);
    await seed.close();
    try {
      execFileSync('mount', ['--bind', src, ro], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot bind-mount here (no mount privilege in this container)');
      return;
    }
    cleanups.push(() => {
      spawnSync('umount', [ro]);
    });
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot remount read-only here');
      return;
    }
    const e = await expectStoreError(LeaseStore.open(ro), 'NOT_WRITABLE');
    expect(e.message).toContain(ro);
    expect(e.message).toMatch(/read-only file system/);
    expect(e.message).toMatch(/remount it read-write or choose another data directory/);
    // A data directory that would have to be created inside it.
    const e2 = await expectStoreError(LeaseStore.open(join(ro, 'sub')), 'NOT_WRITABLE');
    expect(e2.message).toContain(join(ro, 'sub'));
  });

  it('names the file and the fix when leases.db is not writable', async (ctx) => {
    const dir = newDir();
    const seed = await LeaseStore.open(dir);
    await seed.apply([mkLease(1)]);
    await seed.close();
    const file = join(dir, DATA_FILE);
    if (isRoot) {
      if (!chattr('+i', file)) {
        ctx.skip('chattr +i is not supported on this file system, and root ignores permission bits');
        return;
      }
      cleanups.push(() => void chattr('-i', file));
    } else {
      chmodSync(file, 0o444);
    }
    const e = await expectStoreError(LeaseStore.open(dir), 'NOT_WRITABLE');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/chown|choose another data directory/);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('rejects every promise of a batch that cannot be written, and retries with the next batch', async (ctx) => {
    const dir = newDir();
    const s = await openStore(dir);
    await s.apply([mkLease(1)]);
    const file = join(dir, DATA_FILE);
    if (isRoot) {
      if (!chattr('+i', file)) {
        ctx.skip('chattr +i is not supported on this file system, and root ignores permission bits');
        return;
      }
      cleanups.push(() => void chattr('-i', file));
    } else {
      chmodSync(file, 0o444);
    }
    const failed = [s.apply([mkLease(2)]), s.apply([mkLease(3)])];
    for (const p of failed) {
      const e = await expectStoreError(p, 'WRITE_FAILED');
      expect(e.message).toContain(file);
    }
    expect(s.stats().failedBatches).toBe(1);
    expect(s.view.byIp(mkLease(2).ip)).toBeDefined(); // the index stays authoritative
    if (isRoot) chattr('-i', file);
    else chmodSync(file, 0o644);
    await s.apply([mkLease(4)]);
    await s.close();
    const again = await openStore(dir);
    expect(again.all().map((l) => l.ip).sort()).toEqual([1, 2, 3, 4].map((i) => mkLease(i).ip).sort());
  });
});

describe('LeaseStore: lock file', () => {
  it('refuses a second open of the same directory in this process', async () => {
    const dir = newDir();
    await openStore(dir);
    const e = await expectStoreError(LeaseStore.open(dir), 'LOCKED');
    expect(e.message).toMatch(/already open in this process/);
  });

  it('refuses a second open from another process, naming the owner and the way out', async () => {
    const dir = newDir();
    await openStore(dir);
    const out = await runChild([dir, '--open']);
    expect(out).toMatch(/^error LOCKED /);
    expect(out).toContain(`pid ${process.pid}`);
    expect(out).toContain(join(dir, LOCK_FILE));
    expect(out).toMatch(/stop the other one first/);
  });

  it('takes over a stale lock of a dead process, with a message', async () => {
    const dir = newDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ app: 'pocket-dhcp', pid: dead, host: hostname(), startedAt: '2025-01-01T00:00:00.000Z', nonce: 'x' }));
    const s = await openStore(dir);
    expect(s.openReport.staleLock).toMatchObject({ pid: dead });
    expect(s.openReport.messages.join('\n')).toMatch(new RegExp(`stale lock .*process ${dead} is no longer running`));
    const now = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(now.pid).toBe(process.pid);
  });

  it('takes over a lock from before a reboot even if its pid is alive again', async () => {
    const dir = newDir();
    if (!existsSync('/proc/sys/kernel/random/boot_id')) return; // Linux only
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ app: 'pocket-dhcp', pid: process.ppid, host: hostname(), bootId: 'another-boot', startedAt: 'x', nonce: 'x' }));
    const s = await openStore(dir);
    expect(s.openReport.staleLock).toMatchObject({ pid: process.ppid });
  });

  it('refuses a live lock and a lock from another host', async () => {
    const dir = newDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ app: 'pocket-dhcp', pid: process.ppid, host: hostname(), startedAt: 'x', nonce: 'x' }));
    await expectStoreError(LeaseStore.open(dir), 'LOCKED');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ app: 'pocket-dhcp', pid: 4242, host: 'bench-pi.local', startedAt: 'x', nonce: 'x' }));
    const e = await expectStoreError(LeaseStore.open(dir), 'LOCKED');
    expect(e.message).toMatch(/another computer/);
    expect(e.message).toContain('bench-pi.local');
  });
});

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('LeaseStore: disk full', () => {
  it('a batch torn by ENOSPC is rejected; the retry after space is freed is durable and loads', async (ctx) => {
    if (!isRoot) {
      ctx.skip('needs root to mount a small tmpfs');
      return;
    }
    const base = newDir();
    const mnt = join(base, 'mnt');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot mount tmpfs here');
      return;
    }
    cleanups.push(() => {
      spawnSync('umount', ['-l', mnt]);
    });
    const s = await LeaseStore.open(join(mnt, 'data'), { now: () => T0 });
    cleanups.push(() => s.close().catch(() => {}));
    const seed = Array.from({ length: 30 }, (_, i) => mkLease(i + 1, { hostname: 'v1' }));
    await s.apply(seed);

    // Leave 500 bytes of room in the datafile's last page, then fill every free page: the next
    // batch's first append (30 deletion lines, ~1.3 kB) is cut short mid-line by ENOSPC.
    const file = join(mnt, 'data', DATA_FILE);
    const size = readFileSync(file).length;
    appendFileSync(file, '\n'.repeat((4096 - 500 - (size % 4096) + 4096) % 4096)); // empty lines: skipped by NeDB and by us
    const filler = join(mnt, 'filler');
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(4096));
    } catch (e) {
      expect((e as { code?: string }).code).toBe('ENOSPC');
    }

    const e = await expectStoreError(s.apply(seed.map((l) => ({ ...l, hostname: 'v2' }))), 'WRITE_FAILED');
    expect(e.message).toMatch(/disk is full/);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(false); // really torn

    execFileSync('rm', [filler]);
    await s.apply([mkLease(31, { hostname: 'v2' })]); // carries the 30 rejected records again
    await s.close();

    const again = await openStore(join(mnt, 'data'));
    for (let i = 1; i <= 31; i++) {
      expect(again.view.byIp(mkLease(i).ip)?.hostname, `198.18.0.${i}`).toBe('v2');
    }
  });
});
