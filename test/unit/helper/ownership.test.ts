// Files the root helper writes into the user's data directory go back to the directory's owner
// (lchown, never through a symlink).
import { chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesToFix, keepOwnership } from '../../../src-main/helper/ownership.js';

describe('ownership', () => {
  it('entriesToFix: files and directories of another owner; symlinks and devices left alone', () => {
    const e = (name: string, uid: number, kind: 'file' | 'dir' | 'other' = 'file') => ({ name, uid, gid: uid, kind });
    expect(entriesToFix({ uid: 1000, gid: 1000 }, [e('leases.db', 0), e('settings.json', 1000), e('link', 0, 'other'), e('q', 0, 'dir')]).map((x) => x.name)).toEqual(['leases.db', 'q']);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('keepOwnership (as root): gives root-written files to the directory owner; symlink targets untouched', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pd-own-'));
    try {
      const target = join(d, '..', `pd-own-target-${process.pid}`);
      writeFileSync(target, 'x');
      chownSync(d, 65534, 65534);
      writeFileSync(join(d, 'settings.json'), '{}');
      mkdirSync(join(d, 'sub'));
      writeFileSync(join(d, 'sub', 'x'), '');
      symlinkSync(target, join(d, 'link'));
      expect(await keepOwnership(d)).toBe(3);
      expect(lstatSync(join(d, 'settings.json')).uid).toBe(65534);
      expect(lstatSync(join(d, 'sub', 'x')).gid).toBe(65534);
      expect(lstatSync(join(d, 'link')).uid).toBe(0);
      expect(lstatSync(target).uid).toBe(0);
      expect(await keepOwnership(d)).toBe(0);
      rmSync(target);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('does nothing for a directory root owns, or when not root', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pd-own-'));
    try {
      writeFileSync(join(d, 'a'), '');
      expect(await keepOwnership(d)).toBe(0);
      expect(await keepOwnership(join(d, 'missing'))).toBe(0);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
