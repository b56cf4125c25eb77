// Writing bytes and making them durable. Node's appendFile/rename never sync; these helpers do it explicitly.
import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Writes all of `text` (UTF-8) to `fd` synchronously: into the page cache, microseconds for a
 * batch's lines, where a trip through libuv's thread pool would cost more. A short write (rare for
 * a regular file) continues where it stopped; on an O_APPEND descriptor every write lands at the end.
 */
export function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

/**
 * fdatasync a file *by path*: open, sync, close. NeDB's compaction writes a temp file and renames
 * it over the datafile, so a long-lived descriptor would keep syncing the old, unlinked inode
 * while new appends go to the new one. Opening per sync costs two extra syscalls (~20 µs), small
 * next to the sync itself (~0.7 ms here). 'r+' because Windows' FlushFileBuffers needs write access.
 */
export async function datasyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/**
 * fsync a directory so a newly created or renamed entry in it survives a power loss (POSIX puts
 * the name in the directory, not in the file). Windows cannot open directories this way and
 * NTFS journals renames, so the attempt is skipped there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (e) {
    // Some file systems (and some FUSE mounts) refuse fsync on directories; nothing more can be done.
    const code = (e as { code?: string }).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM') throw e;
  } finally {
    await fh.close();
  }
}
