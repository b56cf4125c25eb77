// Small JSON documents next to the lease file (reservations, settings). Written atomically:
// a crash leaves either the old or the new file, never half of one — settings are rewritten
// whole and read rarely, so the temp-file-and-rename dance costs nothing.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ZodType } from 'zod';
import { fsyncDir } from './fsync.js';

export class JsonFileError extends Error {
  override readonly name = 'JsonFileError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** "at line 3, column 7" from V8's "… at position 41 …" (or its "(line 3 column 7)" form). */
function whereInText(text: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : '';
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return ` at line ${lc[1]}, column ${lc[2]}`;
  const m = /position (\d+)/.exec(msg);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/**
 * Reads and parses a JSON file; `undefined` when it does not exist (first run). With a zod schema
 * the value is validated too. Throws JsonFileError naming the file and the position of a syntax
 * error, so a hand-edited settings file can be fixed.
 */
export async function readJsonFile(path: string): Promise<unknown>;
export async function readJsonFile<T>(path: string, schema: ZodType<T>): Promise<T | undefined>;
export async function readJsonFile<T>(path: string, schema?: ZodType<T>): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new JsonFileError(path, `Cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  // Editors on Windows like to prepend a byte order mark; JSON.parse does not.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const what = text.trim() === '' ? 'is empty' : `is not valid JSON${whereInText(text, e)}`;
    throw new JsonFileError(path, `${path} ${what}: fix it, or delete it to start from defaults.`, { cause: e });
  }
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
  throw new JsonFileError(path, `${path} has invalid content — ${problems}. Fix it, or delete it to start from defaults.`, { cause: r.error });
}

/**
 * Replaces `path` with `value` as pretty JSON: temp file in the same directory, fsync, rename,
 * fsync the directory. The rename is atomic on POSIX and NTFS; the directory fsync makes the new
 * name survive a power loss. A file's existing permissions are kept (settings may hold a web
 * token); a new file gets `mode` (default 0o600).
 */
export async function writeJsonFileAtomic(path: string, value: unknown, opts: { mode?: number } = {}): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) throw new TypeError(`writeJsonFileAtomic(${path}): the value cannot be represented as JSON`);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const mode = opts.mode ?? (await stat(path).then((s) => s.mode & 0o777, () => 0o600));
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(text + '\n', 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await renameWithRetry(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new JsonFileError(path, `Cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
  await fsyncDir(dir);
}

/** Windows refuses to replace a file that a virus scanner or indexer has open for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (process.platform !== 'win32' || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES') || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}
