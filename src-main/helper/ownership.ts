// Files the privileged helper (or the elevated `nic` CLI) writes into the user's data directory must
// stay the user's: the app reopens the same directory unprivileged afterwards, and a root-owned
// settings.json (0600) or a root-owned lease file (after NeDB's compaction replaced the inode)
// would lock it out. The rule is simple — everything in the data directory belongs to whoever owns
// the directory — and applied with lchown (never through a symlink) to regular files and
// directories only, one level deep (the directory holds a handful of files).
import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface OwnedEntry {
  name: string;
  uid: number;
  gid: number;
  kind: 'file' | 'dir' | 'other';
}

/** Pure: the entries whose owner differs from the directory's (symlinks and devices are left alone). */
export function entriesToFix(dir: { uid: number; gid: number }, entries: readonly OwnedEntry[]): OwnedEntry[] {
  return entries.filter((e) => e.kind !== 'other' && (e.uid !== dir.uid || e.gid !== dir.gid));
}

/**
 * Gives every file in `dataDir` (and in its direct subdirectories) to the directory's owner, when
 * this process runs as root and the directory is someone else's. Returns how many entries changed.
 * Never throws: ownership is repaired on the next call if it fails now.
 */
export async function keepOwnership(dataDir: string): Promise<number> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 0;
  let changed = 0;
  try {
    const top = await lstat(dataDir);
    if (!top.isDirectory() || top.uid === 0) return 0;
    const owner = { uid: top.uid, gid: top.gid };
    const walk = async (dir: string, depth: number): Promise<void> => {
      const names = await readdir(dir).catch(() => [] as string[]);
      const entries: Array<OwnedEntry & { path: string }> = [];
      for (const name of names) {
        const path = join(dir, name);
        const st = await lstat(path).catch(() => undefined);
        if (!st) continue;
        entries.push({ name, path, uid: st.uid, gid: st.gid, kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other' });
      }
      for (const e of entriesToFix(owner, entries) as Array<OwnedEntry & { path: string }>) {
        try {
          await lchown(e.path, owner.uid, owner.gid);
          changed++;
        } catch {
          // gone meanwhile (a temp file renamed away)
        }
      }
      if (depth > 0) for (const e of entries) if (e.kind === 'dir') await walk(e.path, depth - 1);
    };
    await walk(dataDir, 1);
  } catch {
    // the directory is gone or unreadable: nothing to keep
  }
  return changed;
}
