// readLeaseSnapshot (lease-reader.ts, used by `pocket-dhcp leases`) against a live LeaseStore.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseStoreError } from '../../../src-main/leases/errors.js';
import { readLeaseSnapshot } from '../../../src-main/leases/lease-reader.js';
import { DATA_FILE, LeaseStore } from '../../../src-main/leases/lease-store.js';
import { T0, byIp, docLine, mkLease, tempDir } from './fixtures.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('readLeaseSnapshot', () => {
  it('reads the table while a server holds the lock, as a restart would load it, without writing', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect(await readLeaseSnapshot(t.dir)).toMatchObject({ missing: true, leases: [] });
    const store = await LeaseStore.open(t.dir, { now: () => T0 });
    try {
      await store.apply([mkLease(1), mkLease(2, { expiresAt: T0 + 10 })]);
      // The server is in the middle of a batch: its deletions are written, its insert is not.
      const file = join(t.dir, DATA_FILE);
      appendFileSync(file, JSON.stringify({ $$deleted: true, _id: mkLease(1).ip }) + '\n' + docLine(mkLease(3)).slice(0, 30));
      const bytes = readFileSync(file);
      const snap = await readLeaseSnapshot(t.dir, T0 + 100);
      expect(snap.missing).toBe(false);
      expect(snap.leases.sort(byIp).map((l) => [l.ip, l.state])).toEqual([
        [mkLease(1).ip, 'bound'],
        [mkLease(2).ip, 'expired'],
      ]);
      expect(readFileSync(file)).toEqual(bytes);
    } finally {
      await store.close().catch(() => {});
    }
  });

  it('refuses a newer format', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, DATA_FILE), JSON.stringify({ _id: '__meta__', format: 9 }) + '\n');
    await expect(readLeaseSnapshot(t.dir)).rejects.toBeInstanceOf(LeaseStoreError);
  });
});
