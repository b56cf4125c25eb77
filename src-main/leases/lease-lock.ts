// leases.lock: one server per lease file. Two processes appending to one NeDB file would each
// replay only their own view, hand out the same addresses and overwrite each other at compaction.
//
// The lock is a file created with O_EXCL holding the owner's pid, host and boot id. It is not an
// OS lock (flock) because those vanish silently on some network/USB file systems and cannot say
// *who* holds them; a pid file can, and a technician can delete it by hand when told to.
// A lock whose process is gone (crash, power cut) is stale and taken over, with a message.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { LeaseStoreError, diskFullAdvice, errnoCode, isNotWritable, notWritableError } from './errors.js';

export interface LockOwner {
  app: string;
  pid: number;
  host: string;
  /** Linux boot id: a lock from before a reboot is stale whatever its pid now belongs to. */
  bootId?: string;
  startedAt: string;
  /** Distinguishes two locks of one pid (a store reopened in the same process). */
  nonce: string;
}

export interface HeldLock {
  readonly path: string;
  /** The previous owner whose stale lock was taken over, if any. */
  readonly takenOverFrom: LockOwner | null;
  release(): Promise<void>;
}

/** Lock paths held by this process: a second open() in the same process must fail too. */
const heldHere = new Set<string>();

/** A lock file that does not parse is normally one being written right now; after this long it is debris. */
const UNREADABLE_GRACE_MS = 10_000;

let bootIdCache: string | undefined | null = null;
function currentBootId(): string | undefined {
  if (bootIdCache === null) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      bootIdCache = undefined;
    }
  }
  return bootIdCache;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user — still alive.
    return errnoCode(e) === 'EPERM';
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string') {
      return { app: String(o.app ?? ''), pid: o.pid, host: o.host, startedAt: String(o.startedAt ?? '?'), nonce: String(o.nonce ?? ''), ...(typeof o.bootId === 'string' ? { bootId: o.bootId } : {}) };
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host}, started ${o.startedAt}`;
}

type Verdict = { stale: true; why: string } | { stale: false; error: LeaseStoreError };

function judge(path: string, owner: LockOwner): Verdict {
  const held = (why: string) => ({ stale: false as const, error: new LeaseStoreError('LOCKED', why, { path }) });
  if (owner.host !== hostname()) {
    return held(
      `The lease file next to ${path} is in use by Pocket DHCP on another computer (${describeOwner(owner)}). ` +
        `Two servers must never share one lease file. If that server is not running, delete ${path} and start again.`,
    );
  }
  if (owner.pid === process.pid) {
    if (heldHere.has(path)) return held(`The lease file next to ${path} is already open in this process; close the other LeaseStore first.`);
    return { stale: true, why: `it names this process id (${owner.pid}) but was left by an earlier run that reused the pid` };
  }
  const boot = currentBootId();
  if (owner.bootId && boot && owner.bootId !== boot) return { stale: true, why: `it was left before the last reboot (${describeOwner(owner)})` };
  if (isAlive(owner.pid)) {
    return held(
      `The lease file next to ${path} is in use by another Pocket DHCP (${describeOwner(owner)}). ` +
        `Two servers must never share one lease file: stop the other one first. If no Pocket DHCP is running, delete ${path}.`,
    );
  }
  return { stale: true, why: `process ${owner.pid} is no longer running (${describeOwner(owner)}); it probably crashed` };
}

async function createExclusive(path: string, content: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.datasync();
  } catch (e) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw e;
  }
  await fh.close();
}

/**
 * Takes leases.lock or throws LeaseStoreError LOCKED (someone else has it) / NOT_WRITABLE.
 * `onStale` receives one sentence per stale lock taken over.
 */
export async function acquireLock(lockPath: string, onStale: (message: string) => void = () => {}): Promise<HeldLock> {
  const path = resolve(lockPath);
  const me: LockOwner = {
    app: 'pocket-dhcp',
    pid: process.pid,
    host: hostname(),
    ...(currentBootId() ? { bootId: currentBootId()! } : {}),
    startedAt: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const content = JSON.stringify(me) + '\n';
  let takenOverFrom: LockOwner | null = null;

  for (let attempt = 0; attempt < 5; attempt++) {
    if (heldHere.has(path)) throw new LeaseStoreError('LOCKED', `The lease file next to ${path} is already open in this process; close the other LeaseStore first.`, { path });
    try {
      await createExclusive(path, content);
      heldHere.add(path);
      let released = false;
      return {
        path,
        takenOverFrom,
        release: async () => {
          if (released) return;
          released = true;
          heldHere.delete(path);
          // Only remove the file if it is still ours (a technician may have deleted and
          // another server re-created it while we ran).
          const now = await readFile(path, 'utf8').catch(() => '');
          if (parseOwner(now)?.nonce === me.nonce) await unlink(path).catch(() => {});
        },
      };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') {
        if (isNotWritable(e)) throw notWritableError(resolve(path, '..'), 'directory', e);
        throw new LeaseStoreError('LOAD_FAILED', `Could not create the lock file ${path}: ${(e as Error).message}.${diskFullAdvice(e)}`, { path, cause: e });
      }
    }

    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') continue; // released meanwhile
      throw new LeaseStoreError('LOAD_FAILED', `Could not read the lock file ${path}: ${(e as Error).message}`, { path, cause: e });
    }
    const owner = parseOwner(raw);
    let why: string;
    if (!owner) {
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => Infinity);
      if (age < UNREADABLE_GRACE_MS) {
        throw new LeaseStoreError('LOCKED', `Another Pocket DHCP is starting on this lease file (${path} is being written). Try again in a few seconds.`, { path });
      }
      why = 'it is unreadable and old';
    } else {
      const v = judge(path, owner);
      if (!v.stale) throw v.error;
      why = v.why;
    }

    // Move the stale lock aside atomically: of two processes taking over at once, only one
    // rename succeeds; the other sees ENOENT and starts over (and then finds the winner's lock).
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(path, aside);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') continue;
      if (isNotWritable(e)) throw notWritableError(resolve(path, '..'), 'directory', e);
      throw e;
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== raw) {
      // Someone replaced the stale lock between our read and our rename: that one is live.
      await rename(aside, path).catch(() => {});
      continue;
    }
    await unlink(aside).catch(() => {});
    takenOverFrom = owner ?? null;
    onStale(`Took over the stale lock ${path}: ${why}. Its leases are recovered from the lease file.`);
  }
  throw new LeaseStoreError('LOCKED', `Could not take the lock ${path}: other processes keep creating it. Make sure only one Pocket DHCP uses this data directory.`, { path });
}
