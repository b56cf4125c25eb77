// Child process for the lease store crash and lock tests.
//
//   node --import tsx test/helpers/lease-writer-child.ts DIR          write forever (crash test)
//   node --import tsx test/helpers/lease-writer-child.ts DIR --open   open, report, exit (lock test)
//
// Write mode: applies bound leases for a pool of IPs in bursts (many apply() calls per event-loop
// turn, so batches of varying size), each lease carrying version n in lastSeen = BASE + n, and
// prints "acked <ip>" after each apply() resolves. Versions are assigned and acknowledged in order
// per IP, so the parent knows that the k-th ack of an IP this run means version start+k is durable.
// A low compaction threshold makes compactions happen while the parent kills us.
import { pathToFileURL } from 'node:url';
import { LeaseStore } from '../../src-main/leases/lease-store.js';
import type { Lease } from '../../src-main/dhcp/lease.js';

export const CRASH_BASE = 1_700_000_000_000;
export const CRASH_POOL = 400;

export function crashIp(i: number): string {
  return `198.18.${(i >> 8) & 255}.${i & 255}`;
}

export function crashLease(i: number, version: number): Lease {
  return {
    ip: crashIp(i),
    clientId: `01:02:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    state: 'bound',
    subnet: '198.18.0.0/15',
    startsAt: CRASH_BASE + version,
    expiresAt: CRASH_BASE + 10 * 365 * 86_400_000,
    firstSeen: CRASH_BASE,
    lastSeen: CRASH_BASE + version,
    hostname: `host-${i}, "v${version}"`,
    vendorClass: 'udhcp 1.36.1',
    paramRequest: [1, 3, 6, 12, 15, 28, 42],
  };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: lease-writer-child.ts DIR [--open]');

  if (process.argv[3] === '--open') {
    try {
      const store = await LeaseStore.open(dir);
      process.stdout.write(`opened ${store.size}\n`);
      await store.close();
    } catch (e) {
      const err = e as { code?: string; message?: string };
      process.stdout.write(`error ${err.code ?? '?'} ${err.message ?? String(e)}\n`);
    }
    return;
  }

  const store = await LeaseStore.open(dir, { now: () => CRASH_BASE, compaction: { minLines: 1500, ratio: 2 } });
  const version: number[] = [];
  for (let i = 0; i < CRASH_POOL; i++) {
    const l = store.view.byIp(crashIp(i));
    version.push(l ? l.lastSeen - CRASH_BASE : 0);
  }
  process.stdout.write('ready\n');
  let inflight = 0;
  let next = 0;
  const tick = () => {
    const burst = 1 + Math.floor(Math.random() * 60);
    for (let k = 0; k < burst && inflight < 3000; k++) {
      // Mostly walk the pool (renewals of existing records after the first pass, which is what
      // makes NeDB write deletions), sometimes jump.
      const i = Math.random() < 0.8 ? next++ % CRASH_POOL : Math.floor(Math.random() * CRASH_POOL);
      const v = ++version[i]!;
      inflight++;
      store.apply([crashLease(i, v)]).then(
        () => {
          inflight--;
          process.stdout.write(`acked ${crashIp(i)}\n`);
        },
        (e: unknown) => {
          process.stderr.write(`apply failed: ${String(e)}\n`);
          process.exit(3);
        },
      );
    }
    setImmediate(tick);
  };
  tick();
}

// Run only as a script, not when the test imports the lease helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  });
}
