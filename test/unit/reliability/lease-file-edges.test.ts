// The lease file in the states a crash, a bad disk, an editor or another version can leave it in,
// beyond what test/unit/leases covers (a torn tail, one garbage line, an unfinished batch, a newer
// format at the store level, a read-only bind mount, ENOSPC during a batch): each one loads or is
// refused with a sentence that says what to do, and no record disappears without a copy.
//
// Real files throughout; the disk-full cases mount a small tmpfs (root only, skipped otherwise).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LeaseStoreError } from '../../../src-main/leases/errors.js';
import { readLeaseSnapshot } from '../../../src-main/leases/lease-reader.js';
import { DATA_FILE, LOCK_FILE, LeaseStore } from '../../../src-main/leases/lease-store.js';
import { recordProof } from '../../helpers/proof.js';
import { REPO_ROOT } from '../../helpers/server-lab.js';
import { T0, byIp, docLine, isRoot, mkLease, tempDir } from '../leases/fixtures.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function newDir(): string {
  const t = tempDir('pdl-edges-');
  cleanups.push(t.cleanup);
  return t.dir;
}

async function open(dir: string, opts: Parameters<typeof LeaseStore.open>[1] = {}): Promise<LeaseStore> {
  const s = await LeaseStore.open(dir, { now: () => T0, ...opts });
  cleanups.push(() => s.close().catch(() => {}));
  return s;
}

async function refusal(p: Promise<unknown>): Promise<LeaseStoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LeaseStoreError);
    return e as LeaseStoreError;
  }
  throw new Error('expected the lease store to refuse, but it opened');
}

const quarantineFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith(`${DATA_FILE}.quarantine-`));
/** Every line of every quarantine file in `dir`. */
const quarantined = (dir: string): string[] => quarantineFiles(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));

/** `pocket-dhcp leases` from the source (no build needed): exit code, stdout, stderr. */
function leasesCli(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'leases', '--data-dir', dataDir, '--format', 'json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A tmpfs of `size` at a fresh mount point, unmounted after the test; undefined when not possible. */
function smallDisk(size: string): string | undefined {
  if (!isRoot) return undefined;
  const mnt = join(newDir(), 'mnt');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'pdl-edges', mnt], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  cleanups.push(() => void spawnSync('umount', ['-l', mnt]));
  return mnt;
}

/** Fills the file system of `mnt` completely, then gives back `pages` pages of 4 KiB. */
function fill(mnt: string, pages = 0): string {
  const filler = join(mnt, 'filler');
  try {
    for (;;) appendFileSync(filler, Buffer.alloc(65536));
  } catch (e) {
    expect((e as { code?: string }).code).toBe('ENOSPC');
  }
  try {
    for (;;) appendFileSync(filler, Buffer.alloc(4096));
  } catch {
    // full to the page
  }
  if (pages > 0) truncateSync(filler, Math.max(0, statSync(filler).size - pages * 4096));
  return filler;
}

/** Cases that ran to their end, for the closing proof line. */
const proved: string[] = [];
const proof = (what: string): void => void proved.push(what);
afterAll(() => {
  if (proved.length) recordProof('lease file', `${proved.length} damaged-file and bad-disk cases (${proved.join(', ')}): each loaded or was refused with a message naming the path and the fix; 0 records lost without a copy`);
});

describe('lease file: damage beyond a torn tail', () => {
  it('a damaged last line that still has its newline is removed from the table but kept in the quarantine file', async () => {
    // An append cut by a crash ends before its newline; a complete unreadable line was written
    // whole and damaged later (bit rot, an editor). It must not vanish without a copy.
    const dir = newDir();
    const file = join(dir, DATA_FILE);
    writeFileSync(file, `${docLine(mkLease(1))}\n${docLine(mkLease(2))}\n{"_id":"198.18.0.3","ip":"198.18.0.3","state":"bou\u0000\u0000\n`);
    const s = await open(dir);
    expect(s.all().sort(byIp)).toEqual([mkLease(1), mkLease(2)]);
    expect(s.openReport.torn).toMatchObject({ line: 3 });
    expect(s.openReport.quarantined?.count).toBe(1);
    expect(quarantined(dir)).toEqual(['{"_id":"198.18.0.3","ip":"198.18.0.3","state":"bou\u0000\u0000']);
    expect(s.openReport.messages.join('\n')).toMatch(/Removed the unreadable last line \(line 3, .*a copy is in .*quarantine/);
    proof('damaged last line');
  });

  it('a torn tail, garbage in the middle and an unfinished batch in one file: all three repaired and reported, every committed record kept', async () => {
    const dir = newDir();
    const s0 = await open(dir);
    await s0.apply([mkLease(1, { hostname: 'v1' }), mkLease(2, { hostname: 'v1' }), mkLease(3)]);
    await s0.apply([mkLease(2, { hostname: 'v2' })]);
    await s0.close();
    const file = join(dir, DATA_FILE);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // Garbage in the middle of the committed part (a flipped byte: no longer JSON)…
    lines.splice(2, 0, '{"_id":"198.18.0.9","ip":"198.18.0.9",\u0001}');
    // …then a batch cut between its deletions and its records, whose insert was torn mid-line.
    const del = (ip: string) => JSON.stringify({ $$deleted: true, _id: ip });
    writeFileSync(file, `${[...lines, del(mkLease(1).ip), del(mkLease(3).ip), del('__batch__')].join('\n')}\n${docLine(mkLease(1, { hostname: 'v3' })).slice(0, 50)}`);

    const s = await open(dir);
    const r = s.openReport;
    expect(r.torn?.bytes).toBe(50);
    expect(r.uncommitted?.lines).toBe(3);
    expect(r.quarantined?.count).toBe(1);
    expect(quarantined(dir)).toEqual(['{"_id":"198.18.0.9","ip":"198.18.0.9",\u0001}']);
    expect(r.messages).toHaveLength(3);
    expect(s.all().sort(byIp).map((l) => [l.ip, l.hostname])).toEqual([
      [mkLease(1).ip, 'v1'],
      [mkLease(2).ip, 'v2'],
      [mkLease(3).ip, undefined],
    ]);
    await s.close();
    // The repaired file loads clean, with the same records.
    const again = await open(dir);
    expect(again.openReport.messages).toEqual([]);
    expect(again.size).toBe(3);
    proof('combined');
  });

  it('blank lines, CRLF line ends (a file edited on Windows) and a UTF-8 byte order mark', async () => {
    const blank = newDir();
    writeFileSync(join(blank, DATA_FILE), '\n\n\r\n \t\n');
    const e = await open(blank);
    expect(e.size).toBe(0);
    expect(e.openReport.messages).toEqual([]);

    const crlf = newDir();
    writeFileSync(join(crlf, DATA_FILE), `${docLine(mkLease(1))}\r\n\r\n${docLine(mkLease(2))}\r\n`);
    const c = await open(crlf);
    expect(c.all().sort(byIp)).toEqual([mkLease(1), mkLease(2)]);
    expect(c.openReport.messages).toEqual([]);

    // A BOM makes the first line unreadable JSON: it is quarantined and said so, not dropped.
    const bom = newDir();
    writeFileSync(join(bom, DATA_FILE), `\ufeff${docLine(mkLease(1))}\n${docLine(mkLease(2))}\n`);
    const b = await open(bom);
    expect(b.all()).toEqual([mkLease(2)]);
    expect(b.openReport.messages.join('\n')).toMatch(/Moved 1 unreadable line\(s\).*line 1 \(not valid JSON\)/);
    expect(quarantined(bom)).toEqual([`\ufeff${docLine(mkLease(1))}`]);
    proof('blank/crlf/bom');
  });

  it('a file that is not a lease file at all: loads empty, every byte kept in the quarantine file, reported line by line', async () => {
    const dir = newDir();
    const junk = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\nIHDR\u0000\u0001\n'), Buffer.from([0xff, 0xfe, 0x0a])]);
    writeFileSync(join(dir, DATA_FILE), junk);
    const s = await open(dir);
    expect(s.size).toBe(0);
    // Every non-blank line, byte for byte, in the quarantine file.
    const lines = (b: Buffer) => b.toString('latin1').split('\n').filter((l) => l.trim() !== '');
    expect(lines(readFileSync(join(dir, quarantineFiles(dir)[0]!)))).toEqual(lines(junk));
    expect(s.openReport.messages.join('\n')).toMatch(/Moved 4 unreadable line\(s\)/);
    proof('not a lease file');
  });

  it('a lock file left empty by a crash while it was being created: refused for a few seconds with a clear message, then taken over', async () => {
    const dir = newDir();
    writeFileSync(join(dir, DATA_FILE), `${docLine(mkLease(1))}\n`);
    const lock = join(dir, LOCK_FILE);
    writeFileSync(lock, '');
    const e = await refusal(LeaseStore.open(dir));
    expect(e.code).toBe('LOCKED');
    expect(e.message).toMatch(/Another Pocket DHCP is starting .* Try again in a few seconds/);
    // Ten seconds later it is debris from a crash, not a server starting.
    const old = (Date.now() - 11_000) / 1000;
    utimesSync(lock, old, old);
    const s = await open(dir);
    expect(s.size).toBe(1);
    expect(s.openReport.messages.join('\n')).toMatch(/Took over the stale lock .*unreadable and old/);
    proof('empty lock');
  });
});

describe('lease file: another version, read-only places', () => {
  it('a file from a newer version: the store and `pocket-dhcp leases` both refuse, saying to update, and the file is untouched', async () => {
    const dir = newDir();
    const file = join(dir, DATA_FILE);
    const content = `${JSON.stringify({ _id: '__meta__', format: 2, app: 'pocket-dhcp' })}\n${JSON.stringify({ _id: '198.18.0.1', ip: '198.18.0.1', v2: { shape: 'unknown to us' } })}\n{"torn`;
    writeFileSync(file, content);
    const e = await refusal(LeaseStore.open(dir));
    expect(e.code).toBe('NEWER_FORMAT');
    const cli = await leasesCli(dir);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/newer version of Pocket DHCP \(format 2\); update pocket-dhcp/);
    expect(cli.stderr).not.toMatch(/unexpected error|at .*\.ts:/);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(readdirSync(dir).sort()).toEqual([DATA_FILE]);
    proof('newer');
  });

  it('a read-only data directory: `pocket-dhcp leases` still reads it; the store refuses naming the directory and the fix', async (ctx) => {
    if (!isRoot) return ctx.skip('needs root for a read-only bind mount');
    const base = newDir();
    const src = join(base, 'src');
    const ro = join(base, 'ro');
    mkdirSync(src);
    mkdirSync(ro);
    const seed = await LeaseStore.open(src, { now: () => T0 });
    await seed.apply([mkLease(1), mkLease(2)]);
    await seed.close();
    // A torn tail too: the reader must not need to repair anything.
    appendFileSync(join(src, DATA_FILE), docLine(mkLease(3)).slice(0, 20));
    try {
      execFileSync('mount', ['--bind', src, ro], { stdio: 'ignore' });
      cleanups.push(() => void spawnSync('umount', [ro]));
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
    } catch {
      return ctx.skip('cannot make a read-only bind mount here');
    }
    const cli = await leasesCli(ro);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { ip: string }[]).map((l) => l.ip)).toEqual([mkLease(1).ip, mkLease(2).ip]);
    expect(cli.stderr).toMatch(/cut short by a crash \(20 bytes\); the server will drop it at its next start/);
    const e = await refusal(LeaseStore.open(ro));
    expect(e.code).toBe('NOT_WRITABLE');
    expect(e.message).toContain(ro);
    expect(e.message).toMatch(/read-only file system.*remount it read-write or choose another data directory/);
    proof('read-only');
  });
});

describe('lease file: a full disk', () => {
  it('at start, when the repair needs room for the quarantine file: refused, saying the disk is full; the file is untouched and loads once there is room', async (ctx) => {
    const mnt = smallDisk('256k');
    if (!mnt) return ctx.skip('needs root and tmpfs');
    const dir = join(mnt, 'data');
    mkdirSync(dir);
    const file = join(dir, DATA_FILE);
    const content = `${docLine(mkLease(1))}\nnot json at all\n${docLine(mkLease(2))}\n${docLine(mkLease(3)).slice(0, 30)}`;
    writeFileSync(file, content);
    const filler = fill(mnt, 1); // one page: enough for the lock file, not for the quarantine
    const e = await refusal(LeaseStore.open(dir, { now: () => T0 }));
    expect(e.message).toMatch(/ENOSPC|no space left/i);
    expect(e.message).toMatch(/free disk space|disk is full/i);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released: the next start is not blocked
    execFileSync('rm', [filler]);
    const s = await open(dir);
    expect(s.all().sort(byIp)).toEqual([mkLease(1), mkLease(2)]);
    expect(quarantined(dir)).toEqual(['not json at all']);
    proof('full at repair');
  });

  it('at the first start of a new data directory: refused with the reason and the fix, and nothing is left that blocks the next start', async (ctx) => {
    const mnt = smallDisk('128k');
    if (!mnt) return ctx.skip('needs root and tmpfs');
    // No room at all (the lock file cannot be made), then room for the lock but not the lease file.
    for (const pages of [0, 1]) {
      const dir = join(mnt, `data${pages}`);
      const filler = fill(mnt, pages);
      const e = await refusal(LeaseStore.open(dir, { now: () => T0 }));
      expect(e.message).toContain(dir);
      expect(e.message).toMatch(/no space left|ENOSPC/i);
      expect(e.message).toMatch(/The disk is full: free some space, or choose another data directory/);
      expect(existsSync(join(dir, LOCK_FILE)), 'the lock is released').toBe(false);
      execFileSync('rm', [filler]);
    }
    const dir = join(mnt, 'data1');
    const s = await open(dir);
    await s.apply([mkLease(1)]);
    expect(s.size).toBe(1);
    proof('full at first start');
  });

  it('with only a torn tail to cut, a full disk does not stop the start (cutting needs no space)', async (ctx) => {
    const mnt = smallDisk('128k');
    if (!mnt) return ctx.skip('needs root and tmpfs');
    const dir = join(mnt, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, DATA_FILE), `${JSON.stringify({ _id: '__meta__', format: 1 })}\n${docLine(mkLease(1))}\n${docLine(mkLease(2)).slice(0, 33)}`);
    fill(mnt, 1); // the lock file's page
    const s = await open(dir);
    expect(s.all()).toEqual([mkLease(1)]);
    expect(s.openReport.torn?.bytes).toBe(33);
    proof('full torn');
  });

  it('a compaction that runs out of space: a warning, the leases stay safe, batches go on and the file loads', async (ctx) => {
    const mnt = smallDisk('256k');
    if (!mnt) return ctx.skip('needs root and tmpfs');
    const dir = join(mnt, 'data');
    const warnings: string[] = [];
    const s = await open(dir, { compaction: { minLines: 20, ratio: 1.5 }, onWarning: (m) => warnings.push(m) });
    await s.apply([mkLease(1), mkLease(2), mkLease(3)]);
    // Room for a few more appends in the datafile's last page, none for the compacted copy.
    fill(mnt, 0);
    let version = 1;
    for (; version <= 12 && warnings.length === 0; version++) {
      await s.apply([mkLease(1 + (version % 3), { hostname: `v${version}` })]);
      // An idle moment after the batch: when the file has grown enough, the store compacts now.
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(warnings.join('\n'), `no compaction was attempted (${version} batches)`).toMatch(/Compacting .* failed .*leases are safe/);
    expect(s.stats().compactions).toBe(0);
    const inMemory = s.all().sort(byIp);
    await s.close();
    execFileSync('rm', [join(mnt, 'filler')]);
    const again = await open(dir);
    expect(again.all().sort(byIp)).toEqual(inMemory);
    proof('full compaction');
  });
});
