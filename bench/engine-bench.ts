// In-process figures, no sockets, no disk: Engine.decide over a real LeaseIndex (what the server's
// store hands the engine), and the codec alone. Packets are perfdhcp-shaped (relayed: giaddr set,
// options 53, 55, 61 — see test/fixtures/packets.ts "perfdhcp-discover-relayed").
//   node --import tsx bench/engine-bench.ts [--quick] [--cpu-prof]
import { decode, encodeWithReport } from '../src-main/dhcp/codec.js';
import { Engine } from '../src-main/dhcp/engine.js';
import { intToIp, ipToInt, parseCidr, writeIp } from '../src-main/dhcp/ip.js';
import type { Lease } from '../src-main/dhcp/lease.js';
import { encodeOptionValue, MessageType, setOption, type OptionMap } from '../src-main/dhcp/options.js';
import { emptyPacket } from '../src-main/dhcp/packet.js';
import type { EngineConfig, SubnetPolicy } from '../src-main/dhcp/policy.js';
import { LeaseIndex } from '../src-main/leases/lease-index.js';
import { cleanLease } from '../src-main/leases/lease-record.js';

const SERVER = '198.18.0.1';
const RELAY = '198.18.0.2';

export interface EngineBenchResult {
  name: string;
  /** What was measured, one line. */
  what: string;
  ops: number;
  seconds: number;
  /** Operations per second (the unit is in `unit`). */
  rate: number;
  unit: string;
}

function subnetPolicy(id: string, first: string, last: string): SubnetPolicy {
  const options: OptionMap = new Map([
    [3, encodeOptionValue(3, [SERVER])],
    [6, encodeOptionValue(6, [SERVER])],
  ]);
  return { id, cidr: parseCidr(id)!, rangeStart: ipToInt(first), rangeEnd: ipToInt(last), leaseTime: 3600, options };
}

export function benchConfig(subnet: SubnetPolicy, over: Partial<EngineConfig> = {}): EngineConfig {
  return {
    serverId: SERVER,
    subnets: [subnet],
    reservations: [],
    authoritative: true,
    offerHoldSeconds: 30,
    maxOfferHolds: 10_000,
    declineQuarantineSeconds: 600,
    knownClientsOnly: false,
    discoverRateLimit: 10, // the product's default (config/schema.ts): the per-MAC limiter is on the measured path
    excluded: [SERVER],
    ...over,
  };
}

/** A relayed, perfdhcp-like client message, encoded. Client n has MAC 00:0c:nn:nn:nn:nn. */
function clientMessage(n: number, type: number, requested?: string): Uint8Array {
  const p = emptyPacket();
  p.xid = (n * 2654435761) >>> 0;
  p.hops = 1;
  p.giaddr = RELAY;
  const mac = Uint8Array.of(0x00, 0x0c, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  p.chaddr.set(mac);
  setOption(p.options, 53, type);
  setOption(p.options, 55, [1, 28, 2, 3, 15, 6, 12]);
  p.options.set(61, Uint8Array.of(1, ...mac));
  if (requested) {
    setOption(p.options, 50, requested);
    setOption(p.options, 54, SERVER);
  }
  return encodeWithReport(p).bytes;
}

/** Offset of option `code`'s data in an encoded message (plain options area). */
function optionOffset(bytes: Uint8Array, code: number): number {
  let p = 240;
  while (p < bytes.length && bytes[p] !== 255) {
    if (bytes[p] === 0) {
      p++;
      continue;
    }
    if (bytes[p] === code) return p + 2;
    p += 2 + bytes[p + 1]!;
  }
  throw new Error(`option ${code} not found`);
}

interface Prepared {
  discover: Uint8Array[];
  request: Uint8Array[];
  reqOff: number;
}

function prepare(first: number, count: number): Prepared {
  const discover: Uint8Array[] = [];
  const request: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    discover.push(clientMessage(first + i, MessageType.DISCOVER));
    request.push(clientMessage(first + i, MessageType.REQUEST, '0.0.0.0'));
  }
  return { discover, request, reqOff: optionOffset(request[0]!, 50) };
}

const SRC = { address: RELAY, port: 67 };

/**
 * Full DORA per client through decode → decide → encode, the ACK's writes applied to the index the
 * way LeaseStore.apply does (cleanLease + index.set). Returns decisions (2 per DORA) and seconds.
 */
function doraLoop(engine: Engine, index: LeaseIndex, prep: Prepared, clock: { now: number }): { decisions: number; seconds: number; acks: number } {
  let acks = 0;
  const ctx = { now: clock.now, leases: index };
  const t0 = performance.now();
  for (let i = 0; i < prep.discover.length; i++) {
    ctx.now = clock.now += 0.1;
    const offer = engine.decide({ packet: decode(prep.discover[i]!), source: SRC }, ctx);
    if (!offer.reply) continue;
    encodeWithReport(offer.reply.packet, { maxSize: offer.reply.maxSize });
    const req = prep.request[i]!;
    writeIp(req, prep.reqOff, offer.reply.packet.yiaddr);
    const ack = engine.decide({ packet: decode(req), source: SRC }, ctx);
    for (const w of ack.writes) index.set(cleanLease(w));
    if (ack.reply) {
      encodeWithReport(ack.reply.packet, { maxSize: ack.reply.maxSize });
      acks++;
    }
  }
  return { decisions: prep.discover.length * 2, seconds: (performance.now() - t0) / 1000, acks };
}

function leaseFor(n: number, ip: string, subnet: string, now: number, state: Lease['state'] = 'bound'): Lease {
  const mac = [0x0a, 0x0b, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return { ip, clientId: `01:${mac}`, mac, state, subnet, startsAt: now - 1000, expiresAt: state === 'bound' ? now + 3_600_000 : now - 1, firstSeen: now - 1000, lastSeen: now - 1000 };
}

export function runEngineBench(opts: { quick?: boolean; only?: string } = {}): EngineBenchResult[] {
  const want = (n: string) => !opts.only || opts.only.split(',').includes(n);
  const out: EngineBenchResult[] = [];
  const clients = opts.quick ? 30_000 : 100_000;
  const t = { now: Date.UTC(2026, 10, 23, 9, 0, 0) };

  // 1. New clients into the benchmark's /15 pool (the perfdhcp workload).
  if (want('dora')) {
    const sub = subnetPolicy('198.18.0.0/15', '198.18.1.0', '198.19.255.254');
    // Warm-up on other clients, so the JIT has settled before the timed loop.
    const warm = new Engine(benchConfig(sub));
    doraLoop(warm, new LeaseIndex(), prepare(5_000_000, 20_000), t);
    const engine = new Engine(benchConfig(sub));
    const index = new LeaseIndex();
    const r = doraLoop(engine, index, prepare(1, clients), t);
    if (r.acks !== clients) throw new Error(`engine bench: ${r.acks} of ${clients} DORAs completed`);
    out.push({ name: 'dora-new', what: `${clients.toLocaleString('en-US')} new clients, DORA each (decode→decide→encode, writes into LeaseIndex), /15 pool`, ops: r.decisions, seconds: r.seconds, rate: r.decisions / r.seconds, unit: 'decisions/s' });
    out.push({ name: 'dora-new-dora', what: 'same, as full DORAs', ops: r.decisions / 2, seconds: r.seconds, rate: r.decisions / 2 / r.seconds, unit: 'DORA/s' });

    // 2. The same clients again (returning devices: previous lease found, ACK renews it).
    const again = doraLoop(engine, index, prepare(1, clients), t);
    out.push({ name: 'dora-returning', what: `the same ${clients.toLocaleString('en-US')} clients again (previous lease)`, ops: again.decisions, seconds: again.seconds, rate: again.decisions / again.seconds, unit: 'decisions/s' });
  }

  // 3. A full /20 pool (3,838 addresses all leased to others): DISCOVERs from new MACs find nothing
  // free — the pool-exhausted path, which used to scan the whole range (three times).
  if (want('exhausted')) {
    const sub = subnetPolicy('198.18.0.0/20', '198.18.1.0', '198.18.15.254');
    const engine = new Engine(benchConfig(sub));
    const index = new LeaseIndex();
    const now = t.now;
    let n = 0;
    for (let ip = sub.rangeStart; ip <= sub.rangeEnd; ip++) index.set(cleanLease(leaseFor(++n, intToIp(ip), sub.id, now)));
    const count = opts.quick ? 2_000 : 10_000;
    const prep = prepare(9_000_000, count);
    const ctx = { now, leases: index };
    const t0 = performance.now();
    let exhausted = 0;
    for (let i = 0; i < count; i++) {
      const d = engine.decide({ packet: decode(prep.discover[i]!), source: SRC }, ctx);
      if (d.drop === 'pool-exhausted') exhausted++;
    }
    const s = (performance.now() - t0) / 1000;
    if (exhausted !== count) throw new Error(`engine bench: ${exhausted} of ${count} DISCOVERs saw pool-exhausted`);
    out.push({ name: 'discover-exhausted', what: `DISCOVER from new MACs, /20 pool fully leased (pool-exhausted drop)`, ops: count, seconds: s, rate: count / s, unit: 'decisions/s' });
  }

  // 3b. A DISCOVER flood from random MACs into a /22 pool (766 addresses) with no leases: after
  // the first 766 every address is merely offered, and each DISCOVER gives up the oldest offer.
  if (want('flood')) {
    const sub = subnetPolicy('198.18.0.0/22', '198.18.1.0', '198.18.3.254');
    const engine = new Engine(benchConfig(sub));
    const index = new LeaseIndex();
    const count = opts.quick ? 20_000 : 100_000;
    const prep = prepare(30_000_000, count);
    const ctx = { now: t.now, leases: index };
    let offers = 0;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      ctx.now += 0.1;
      const d = engine.decide({ packet: decode(prep.discover[i]!), source: SRC }, ctx);
      if (d.reply) {
        encodeWithReport(d.reply.packet, { maxSize: d.reply.maxSize });
        offers++;
      }
    }
    const s = (performance.now() - t0) / 1000;
    if (offers !== count) throw new Error(`engine bench: ${offers} of ${count} flood DISCOVERs were offered an address`);
    out.push({ name: 'discover-flood', what: `DISCOVER flood from new MACs, /22 pool, every address offered (oldest offer given up)`, ops: count, seconds: s, rate: count / s, unit: 'decisions/s' });
  }

  // 4. A /22 pool (766 addresses) of expired history only (every address had a previous owner): each new client
  // is given the address released longest ago (the "reuse" pick).
  if (want('reuse')) {
    const sub = subnetPolicy('198.18.0.0/22', '198.18.1.0', '198.18.3.254');
    const engine = new Engine(benchConfig(sub, { maxOfferHolds: 100 }));
    const index = new LeaseIndex();
    const now = t.now;
    let n = 100_000_000;
    for (let ip = sub.rangeStart; ip <= sub.rangeEnd; ip++) index.set(cleanLease(leaseFor(++n, intToIp(ip), sub.id, now - 5000, 'expired')));
    const count = opts.quick ? 1_000 : 3_000;
    const r = doraLoop(engine, index, prepare(20_000_000, count), { now });
    out.push({ name: 'dora-reuse', what: `new clients into a /22 pool of expired history (oldest-released pick)`, ops: r.decisions, seconds: r.seconds, rate: r.decisions / r.seconds, unit: 'decisions/s' });
  }

  // 5. Codec alone: decode a DISCOVER and encode an OFFER-sized reply.
  if (want('codec')) {
    const sub = subnetPolicy('198.18.0.0/15', '198.18.1.0', '198.19.255.254');
    const engine = new Engine(benchConfig(sub));
    const bytes = clientMessage(42, MessageType.DISCOVER);
    const offer = engine.decide({ packet: decode(bytes), source: SRC }, { now: t.now, leases: new LeaseIndex() }).reply!;
    const count = opts.quick ? 200_000 : 1_000_000;
    for (let i = 0; i < 50_000; i++) encodeWithReport(decode(bytes).options.size ? offer.packet : offer.packet);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      decode(bytes);
      encodeWithReport(offer.packet, { maxSize: offer.maxSize });
    }
    const s = (performance.now() - t0) / 1000;
    out.push({ name: 'codec', what: 'decode(DISCOVER) + encode(OFFER)', ops: count, seconds: s, rate: count / s, unit: 'pairs/s' });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const res = runEngineBench({ quick: process.argv.includes('--quick'), ...(only ? { only } : {}) });
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(res) + '\n');
    process.exit(0);
  }
  for (const r of res) console.log(`${r.name.padEnd(20)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)} ${r.unit.padEnd(12)} ${r.what}`);
}
