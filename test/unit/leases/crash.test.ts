// Crash test: a child process applies leases as fast as it can and prints "acked <ip>" after each
// apply() resolves; we SIGKILL it at random moments (during open, mid-batch, mid-compaction —
// wherever it lands), reopen the store, and check that every acknowledged version is there.
// The same data directory is reused across rounds, so each round also recovers the previous
// round's torn tail / unfinished batch and takes over its stale lock.
//
// SIGKILL keeps the page cache, so this exercises write ordering and recovery, not fdatasync
// (which only matters for power loss).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaseStore } from '../../../src-main/leases/lease-store.js';
import { CRASH_BASE, CRASH_POOL, crashIp } from '../../helpers/lease-writer-child.js';
import { tempDir } from './fixtures.js';

const CHILD = join(import.meta.dirname, '../../helpers/lease-writer-child.ts');
const ROUNDS = 8;

interface RoundResult {
  acks: Map<string, number>;
  ready: boolean;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runAndKill(dir: string, killAfterReadyMs: number | null, killAfterSpawnMs: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = new Map<string, number>();
    let ready = false;
    let buf = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    // Round kinds: killed a random time after "ready" (writing), or a random time after spawn
    // (possibly still opening: repair, NeDB load, lock takeover).
    const spawnTimer = killAfterReadyMs === null ? setTimeout(kill, killAfterSpawnMs) : setTimeout(kill, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready') {
          ready = true;
          if (killAfterReadyMs !== null) setTimeout(kill, killAfterReadyMs);
        } else if (line.startsWith('acked ')) {
          const ip = line.slice(6);
          acks.set(ip, (acks.get(ip) ?? 0) + 1);
        }
      }
      // A partial last line (cut by the kill) is ignored: it was never a complete "acked".
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(spawnTimer);
      resolve({ acks, ready, signal, stderr });
    });
  });
}

describe('LeaseStore crash safety', () => {
  const t = tempDir('leases-crash-');
  afterAll(() => t.cleanup());

  it(`every acknowledged lease survives SIGKILL at random moments (${ROUNDS} rounds)`, { timeout: 120_000 }, async () => {
    // Version of each IP known durable before the round (what the child will resume from).
    const durable = new Map<string, number>();
    let totalAcks = 0;
    let repairs = 0;
    const log: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const duringOpen = round % 4 === 3;
      const delay = duringOpen ? 150 + Math.floor(Math.random() * 600) : 20 + Math.floor(Math.random() * 700);
      const r = await runAndKill(t.dir, duringOpen ? null : delay, delay);
      expect(r.signal, `child should die by our SIGKILL, not on its own: ${r.stderr}`).toBe('SIGKILL');

      const store = await LeaseStore.open(t.dir, { now: () => CRASH_BASE });
      try {
        const rep = store.openReport;
        if (rep.torn || rep.uncommitted) repairs++;
        expect(rep.quarantined, 'a crash must never produce garbage lines in the middle').toBeNull();
        if (r.ready) expect(rep.staleLock, 'the killed child leaves its lock behind').not.toBeNull();
        for (const [ip, n] of r.acks) {
          const expected = (durable.get(ip) ?? 0) + n;
          const rec = store.view.byIp(ip);
          expect(rec, `acked ${ip} missing after round ${round}`).toBeDefined();
          expect(rec!.lastSeen - CRASH_BASE, `acked version of ${ip} lost after round ${round}`).toBeGreaterThanOrEqual(expected);
        }
        for (let i = 0; i < CRASH_POOL; i++) {
          const rec = store.view.byIp(crashIp(i));
          if (rec) durable.set(crashIp(i), rec.lastSeen - CRASH_BASE);
        }
        const acked = [...r.acks.values()].reduce((a, b) => a + b, 0);
        totalAcks += acked;
        log.push(`round ${round}: kill ${duringOpen ? 'after spawn' : 'after ready'} +${delay} ms, ${acked} acks, torn=${rep.torn ? rep.torn.bytes + 'B' : '-'} uncommitted=${rep.uncommitted?.lines ?? '-'} records=${store.size}`);
      } finally {
        await store.close();
      }
    }
    console.log(log.join('\n') + `\n${repairs} of ${ROUNDS} rounds needed a repair`);
    expect(totalAcks).toBeGreaterThan(1000);
  });
});
