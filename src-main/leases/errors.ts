// Errors of the lease repository. Every message says what happened, names the path involved and
// what the user can do about it: these reach the CLI and the UI verbatim.

export type LeaseStoreErrorCode =
  /** The lease file was written by a newer Pocket DHCP (format marker > ours). */
  | 'NEWER_FORMAT'
  /** The data directory or the lease file cannot be written. */
  | 'NOT_WRITABLE'
  /** Another process holds leases.lock. */
  | 'LOCKED'
  /** A batch could not be appended or synced; its apply() promises are rejected. */
  | 'WRITE_FAILED'
  /** apply() after close(). */
  | 'CLOSED'
  /** apply() with a record that must never be persisted or would not load again. */
  | 'INVALID_RECORD'
  /** NeDB refused the (already repaired) file, or another I/O failure while opening. */
  | 'LOAD_FAILED';

export class LeaseStoreError extends Error {
  override readonly name = 'LeaseStoreError';
  readonly code: LeaseStoreErrorCode;
  readonly path: string | undefined;

  constructor(code: LeaseStoreErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;
}

/** Permission-like failures: the fix is the same (permissions, a read-only mount, an immutable file). */
export function isNotWritable(e: unknown): boolean {
  const code = errnoCode(e);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** The sentence to add when a write failed for want of space (ENOSPC), else ''. */
export function diskFullAdvice(e: unknown): string {
  return errnoCode(e) === 'ENOSPC' ? ' The disk is full: free some space, or choose another data directory (--data-dir).' : '';
}

export function describeErrno(e: unknown): string {
  const code = errnoCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/** The sentence for a data directory or file we cannot write to, naming the path and the fix. */
export function notWritableError(path: string, what: 'directory' | 'file', cause: unknown): LeaseStoreError {
  const code = errnoCode(cause);
  const why =
    code === 'EROFS'
      ? 'is on a read-only file system'
      : what === 'file'
        ? 'is not writable (it may belong to another user, e.g. created by "sudo pocket-dhcp", or be marked immutable)'
        : 'is not writable';
  const fix =
    code === 'EROFS'
      ? 'remount it read-write or choose another data directory (--data-dir)'
      : what === 'file'
        ? `give it back to this user (e.g. "sudo chown $(id -un) ${path}", "chattr -i ${path}") or choose another data directory (--data-dir)`
        : `fix its permissions (e.g. "chmod u+w ${path}") or choose another data directory (--data-dir)`;
  return new LeaseStoreError('NOT_WRITABLE', `The lease ${what} ${path} ${why} (${code ?? 'error'}). Pocket DHCP must write every lease there before it answers a client: ${fix}.`, { path, cause });
}
