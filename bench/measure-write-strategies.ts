// Measurements behind the write strategy of src-main/leases/lease-store.ts (figures are printed,
// never asserted; not a test — vitest only picks *.test.ts). Run:
//   node --import tsx bench/measure-write-strategies.ts
// 1. ways of writing one batch of N changed records through NeDB's public API, each followed by
//    one fdatasync; 2. LeaseStore.apply end to end, closed loop (C clients waiting for their ACK)
//    and open loop (requests at a fixed rate); 3. open() and one compaction at 200,000 records.
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Datastore from 'nedb-promises';

type Doc = Record<string, unknown> & { _id: string };

function doc(i: number, gen: number): Doc {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    _id: ip, ip, clientId: `01:aa:bb:cc:${(i >> 8 & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:${gen}`,
    mac: 'aa:bb:cc:dd:ee:ff', state: 'bound', subnet: '10.0.0.0/8', startsAt: 1_700_000_000_000 + gen,
    expiresAt: 1_700_000_360_000 + gen, firstSeen: 1_700_000_000_000, lastSeen: 1_700_000_000_000 + gen,
    hostname: `host-${i}`, vendorClass: 'MSFT 5.0', paramRequest: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
  };
}

async function syncPath(p: string): Promise<void> {
  const fh = await open(p, 'r+');
  try { await fh.datasync(); } finally { await fh.close(); }
}

type Strategy = (db: Datastore<Doc>, docs: Doc[], existing: Set<string>) => Promise<void>;

const strategies: Record<string, Strategy> = {
  'per-doc update upsert': async (db, docs) => {
    await Promise.all(docs.map((d) => db.update({ _id: d._id }, d, { upsert: true })));
  },
  'remove $in + insert array': async (db, docs) => {
    await db.remove({ _id: { $in: [...docs.map((d) => d._id), '__batch__'] } }, { multi: true });
    await db.insert([...docs, { _id: '__batch__', seq: 1 }]);
  },
  'insert new + per-doc update existing': async (db, docs, existing) => {
    const fresh = docs.filter((d) => !existing.has(d._id));
    const old = docs.filter((d) => existing.has(d._id));
    await Promise.all([
      fresh.length ? db.insert(fresh) : Promise.resolve(),
      ...old.map((d) => db.update({ _id: d._id }, d, {})),
    ]);
  },
};

const sizes = [1, 10, 50, 100, 250, 1000];
const preload = 10_000;
const budgetMs = 1500;

for (const workload of ['renew (all existing)', 'new clients (all new)'] as const) {
  console.log(`\n== ${workload}, store preloaded with ${preload} records, fdatasync per batch ==`);
  console.log(['batch', ...Object.keys(strategies)].join(' | '));
  for (const n of sizes) {
    const row: string[] = [String(n)];
    for (const [, strat] of Object.entries(strategies)) {
      const dir = mkdtempSync(join(tmpdir(), 'lease-bench-'));
      const file = join(dir, 'leases.db');
      const db = Datastore.create({ filename: file }) as Datastore<Doc>;
      await db.load();
      const base: Doc[] = [];
      for (let i = 0; i < preload; i++) base.push(doc(i, 0));
      await db.insert(base);
      await syncPath(file);
      const existing = new Set(base.map((d) => d._id));
      let next = preload;
      let gen = 1;
      let records = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < budgetMs) {
        const docs: Doc[] = [];
        if (workload.startsWith('renew')) {
          for (let k = 0; k < n; k++) docs.push(doc((gen * n + k) % preload, gen));
        } else {
          for (let k = 0; k < n; k++) docs.push(doc(next++, gen));
        }
        await strat(db, docs, existing);
        await syncPath(file);
        for (const d of docs) existing.add(d._id);
        records += n;
        gen++;
      }
      const secs = (performance.now() - t0) / 1000;
      row.push(`${Math.round(records / secs)}/s`);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(row.join(' | '));
  }
}

// ---- End to end through LeaseStore: C clients each waiting for its ACK (closed loop) ----------
const { LeaseStore } = await import('../src-main/leases/lease-store.js');
const { mkLease } = await import('../test/unit/leases/fixtures.js');
console.log('\n== LeaseStore.apply, closed loop, C outstanding clients, 5,000 existing records, 3 s ==');
console.log('C | ACKs/s | avg batch | max batch | syncs/s | avg sync ms | p50 / p99 ack latency ms');
for (const c of [1, 10, 50, 200, 1000]) {
  const dir = mkdtempSync(join(tmpdir(), 'lease-bench-'));
  const seed = await LeaseStore.open(dir);
  await seed.apply(Array.from({ length: 5000 }, (_, i) => mkLease(i)));
  await seed.close();
  const store = await LeaseStore.open(dir);
  const s0 = store.stats();
  const lat: number[] = [];
  let acks = 0;
  let stop = false;
  let seq = 0;
  const turn = new Array<number>(c).fill(0);
  const t0 = performance.now();
  await new Promise<void>((resolveAll) => {
    let running = c;
    const client = (k: number) => {
      if (stop) {
        if (--running === 0) resolveAll();
        return;
      }
      // Client k renews its own addresses k, k + C, k + 2C, … (no two clients share one).
      const i = (k + c * turn[k]!++) % 5000;
      seq++;
      const started = performance.now();
      store.apply([mkLease(i, { lastSeen: Date.now(), hostname: `h${seq}` })]).then(() => {
        acks++;
        lat.push(performance.now() - started);
        setImmediate(() => client(k));
      });
    };
    for (let k = 0; k < c; k++) client(k);
    setTimeout(() => (stop = true), 3000);
  });
  const secs = (performance.now() - t0) / 1000;
  const s = store.stats();
  const batches = s.batches - s0.batches;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2);
  console.log(`${c} | ${Math.round(acks / secs)} | write ${((s.writeMsTotal - s0.writeMsTotal) / batches).toFixed(2)} ms | ${((s.recordsWritten - s0.recordsWritten) / batches).toFixed(1)} | ${s.maxBatchSize} | ${Math.round(batches / secs)} | ${((s.syncMsTotal - s0.syncMsTotal) / batches).toFixed(2)} | ${q(0.5)} / ${q(0.99)}  (compactions ${s.compactions})`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

// ---- End to end, open loop: requests arrive at a fixed rate R, as from perfdhcp -r R --------
console.log('\n== LeaseStore.apply, open loop at rate R, 20,000 existing records, 4 s ==');
console.log('R/s | ACKs/s | avg batch | syncs/s | p50 / p99 / max ack latency ms | compactions');
for (const rate of [2000, 6000, 10000, 15000]) {
  const dir = mkdtempSync(join(tmpdir(), 'lease-bench-'));
  const seed = await LeaseStore.open(dir);
  await seed.apply(Array.from({ length: 20_000 }, (_, i) => mkLease(i, { ip: `10.0.${(i >> 8) & 255}.${i & 255}` })));
  await seed.close();
  const store = await LeaseStore.open(dir);
  const s0 = store.stats();
  const lat: number[] = [];
  let issued = 0;
  const t0 = performance.now();
  const durationMs = 4000;
  await new Promise<void>((done) => {
    let outstanding = 0;
    let finished = false;
    const pump = () => {
      const el = performance.now() - t0;
      if (el >= durationMs) {
        finished = true;
        if (outstanding === 0) done();
        return;
      }
      const owed = Math.floor((el / 1000) * rate) - issued;
      for (let k = 0; k < owed; k++) {
        const i = issued++ % 20_000;
        const started = performance.now();
        outstanding++;
        void store.apply([mkLease(i, { ip: `10.0.${(i >> 8) & 255}.${i & 255}`, lastSeen: Date.now() })]).then(() => {
          lat.push(performance.now() - started);
          if (--outstanding === 0 && finished) done();
        });
      }
      setImmediate(pump);
    };
    pump();
  });
  const secs = (performance.now() - t0) / 1000;
  const s = store.stats();
  const batches = s.batches - s0.batches;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1);
  console.log(`${rate} | ${Math.round(lat.length / secs)} | ${((s.recordsWritten - s0.recordsWritten) / batches).toFixed(1)} | ${Math.round(batches / secs)} | ${q(0.5)} / ${q(0.99)} / ${lat[lat.length - 1]!.toFixed(1)} | ${s.compactions}`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

// ---- Load time at the history bound ----------------------------------------------------------
{
  const dir = mkdtempSync(join(tmpdir(), 'lease-bench-'));
  const store = await LeaseStore.open(dir);
  const all = Array.from({ length: 200_000 }, (_, i) => mkLease(i, { ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, hostname: `host-${i}`, paramRequest: [1, 3, 6, 15, 119, 252] }));
  for (let i = 0; i < all.length; i += 10_000) await store.apply(all.slice(i, i + 10_000));
  await store.close();
  const h0 = process.memoryUsage().heapUsed;
  const again = await LeaseStore.open(dir);
  console.log(`\nopen() of ${again.size} records: ${again.openReport.loadMs} ms, heap +${Math.round((process.memoryUsage().heapUsed - h0) / 1e6)} MB`);
  const c0 = performance.now();
  await new Promise<void>((r) => (again as unknown as { db: { compactDatafile(cb: () => void): void } }).db.compactDatafile(r));
  console.log(`one NeDB compaction of ${again.size} records: ${Math.round(performance.now() - c0)} ms`);
  await again.close();
  rmSync(dir, { recursive: true, force: true });
}
