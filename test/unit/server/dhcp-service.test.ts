// DhcpService with the real codec, engine and LeaseStore (real files in a temp dir); only the
// socket is replaced by an in-memory transport, so the ordering rules can be observed exactly.
// The real socket is exercised in test/integration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decode, encode } from '../../../src-main/dhcp/codec.js';
import { getOption, MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { emptyPacket, FLAG_BROADCAST } from '../../../src-main/dhcp/packet.js';
import { LeaseStore } from '../../../src-main/leases/lease-store.js';
import { DhcpService, type DhcpTransport, type ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import { labConfig } from '../../helpers/fake-dhcp.js';

class MemoryTransport implements DhcpTransport {
  readonly ifname = 'test0';
  sent: { buf: Uint8Array; port: number; address: string; at: number }[] = [];
  healthy = true;
  closed = false;
  private handler: ((buf: Buffer, rinfo: { address: string; port: number }) => void) | undefined;
  onMessage(cb: (buf: Buffer, rinfo: { address: string; port: number }) => void) {
    this.handler = cb;
    return () => (this.handler = undefined);
  }
  onError() {
    return () => undefined;
  }
  async send(buf: Uint8Array, port: number, address: string) {
    this.sent.push({ buf, port, address, at: performance.now() });
  }
  isHealthy() {
    return this.healthy;
  }
  async close() {
    this.closed = true;
  }
  deliver(buf: Uint8Array, address = '0.0.0.0', port = 68) {
    this.handler?.(Buffer.from(buf), { address, port });
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-svc-'));
  dirs.push(dir);
  const store = await LeaseStore.open(dir);
  const transport = new MemoryTransport();
  const events: ServiceEvent[] = [];
  const svc = await DhcpService.start({ config: labConfig(), repository: store, openTransport: async () => transport, healthIntervalMs: 50, sweepIntervalMs: 60_000 });
  svc.on((e) => events.push(e));
  return { dir, store, transport, svc, events };
}

function message(type: number, mac: number, build?: (p: ReturnType<typeof emptyPacket>) => void): Uint8Array {
  const p = emptyPacket();
  p.xid = 0x1000 + mac;
  p.flags = FLAG_BROADCAST;
  p.chaddr.set([2, 0, 0, 0, (mac >> 8) & 255, mac & 255]);
  setOption(p.options, 53, type);
  build?.(p);
  return encode(p);
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('DhcpService', () => {
  it('a DISCOVER with a malformed option 57 is served, and the log says the option was ignored (a warning naming the client)', async () => {
    const { transport, svc, events } = await setup();
    try {
      transport.deliver(message(MessageType.DISCOVER, 0x57, (p) => p.options.set(57, Uint8Array.of(2, 64, 0))));
      await until(() => transport.sent.length === 1);
      expect(getOption(decode(transport.sent[0]!.buf).options, 53)).toBe(MessageType.OFFER);
      const warnings = events.filter((e) => e.kind === 'warning');
      expect(warnings).toEqual([
        expect.objectContaining({ code: 'option-ignored', message: 'request of 02:00:00:00:00:57: option 57 (maximum message size) is 3 octets long; it must be 2 (RFC 2132 §9.10): ignored, the reply keeps to the default 576-byte message' }),
      ]);
      // A well-formed one is used without a word.
      transport.deliver(message(MessageType.DISCOVER, 0x58, (p) => setOption(p.options, 57, 1500)));
      await until(() => transport.sent.length === 2);
      expect(events.filter((e) => e.kind === 'warning')).toHaveLength(1);
    } finally {
      await svc.stop();
    }
  });

  it('sends an ACK only after its lease is durable, and the lease is on disk after a reopen', async () => {
    const { dir, store, transport, svc, events } = await setup();
    const applied: number[] = [];
    const realApply = store.apply.bind(store);
    store.apply = (leases) => realApply(leases).then(() => void applied.push(performance.now()));
    transport.deliver(message(MessageType.DISCOVER, 1));
    await until(() => transport.sent.length === 1);
    const offer = decode(transport.sent[0]!.buf);
    expect(getOption(offer.options, 53)).toBe(MessageType.OFFER);
    expect(applied).toHaveLength(0); // an OFFER is never persisted
    transport.deliver(
      message(MessageType.REQUEST, 1, (p) => {
        setOption(p.options, 50, offer.yiaddr);
        setOption(p.options, 54, '198.18.10.1');
      }),
    );
    await until(() => transport.sent.length === 2);
    expect(applied).toHaveLength(1);
    expect(applied[0]!).toBeLessThanOrEqual(transport.sent[1]!.at);
    expect(getOption(decode(transport.sent[1]!.buf).options, 53)).toBe(MessageType.ACK);
    expect(events.some((e) => e.kind === 'lease' && e.lease.ip === offer.yiaddr)).toBe(true);
    await svc.stop();
    await store.close();
    const again = await LeaseStore.open(dir);
    expect(again.view.byIp(offer.yiaddr)).toMatchObject({ state: 'bound', mac: '02:00:00:00:00:01' });
    await again.close();
  });

  it('hands each event to every listener once, in subscription order; one that unsubscribes mid-event stops cleanly', async () => {
    const { transport, svc, events } = await setup();
    const order: string[] = [];
    let off: () => void = () => undefined;
    off = svc.on((e) => {
      order.push(`once:${e.kind}`);
      off(); // unsubscribing inside the call must not skip the listener after it
    });
    svc.on((e) => order.push(`after:${e.kind}`));
    const before = events.length;
    transport.deliver(message(MessageType.DISCOVER, 3));
    await until(() => transport.sent.length === 1);
    // The DISCOVER in, the OFFER decided, the OFFER out (packetEvents is on here).
    expect(order).toEqual(['once:packet', 'after:packet', 'after:dhcp', 'after:packet']);
    expect(events.slice(before).map((e) => e.kind)).toEqual(['packet', 'dhcp', 'packet']);
    transport.deliver(message(MessageType.DISCOVER, 4));
    await until(() => transport.sent.length === 2 && order.length === 7);
    expect(order.slice(4)).toEqual(['after:packet', 'after:dhcp', 'after:packet']);
    await svc.stop();
  });

  it('withholds the ACK and counts store-failed when the lease cannot be written', async () => {
    const { store, transport, svc } = await setup();
    transport.deliver(message(MessageType.DISCOVER, 2));
    await until(() => transport.sent.length === 1);
    const offer = decode(transport.sent[0]!.buf);
    await store.close(); // every later apply() rejects
    transport.deliver(
      message(MessageType.REQUEST, 2, (p) => {
        setOption(p.options, 50, offer.yiaddr);
        setOption(p.options, 54, '198.18.10.1');
      }),
    );
    await until(() => (svc.counters.drops['store-failed'] ?? 0) === 1);
    expect(transport.sent).toHaveLength(1);
    await svc.stop();
  });

  it('counts undecodable datagrams and keeps serving', async () => {
    const { transport, svc, events, store } = await setup();
    transport.deliver(Uint8Array.from([1, 2, 3]));
    const bad = message(MessageType.DISCOVER, 3);
    bad[236] = 0; // magic cookie destroyed
    transport.deliver(bad);
    expect(svc.counters.drops['decode-error']).toBe(2);
    expect(events.filter((e) => e.kind === 'dhcp' && e.event.type === 'drop' && e.event.reason === 'decode-error')).toHaveLength(2);
    transport.deliver(message(MessageType.DISCOVER, 4));
    await until(() => transport.sent.length === 1);
    expect(svc.counters.received).toBe(3);
    await svc.stop();
    await store.close();
  });

  it('reopens the socket when the interface comes back after being lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-svc-'));
    dirs.push(dir);
    const store = await LeaseStore.open(dir);
    const first = new MemoryTransport();
    const second = new MemoryTransport();
    let opens = 0;
    const svc = await DhcpService.start({
      config: labConfig(),
      repository: store,
      openTransport: async () => {
        opens++;
        if (opens === 1) return first;
        if (opens === 2) throw new Error('still gone');
        return second;
      },
      healthIntervalMs: 20,
    });
    const states: string[] = [];
    svc.on((e) => e.kind === 'state' && states.push(e.state));
    first.healthy = false;
    await until(() => svc.state === 'running' && opens >= 3);
    expect(states).toEqual(['interface-lost', 'running']);
    expect(first.closed).toBe(true);
    second.deliver(message(MessageType.DISCOVER, 5));
    await until(() => second.sent.length === 1);
    await svc.stop();
    await store.close();
  });
});

describe('DhcpService.stop', () => {
  it('waits for lease writes and replies still in flight, then closes the socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-svc-'));
    dirs.push(dir);
    const store = await LeaseStore.open(dir);
    const transport = new MemoryTransport();
    let releaseWrite: (() => void) | undefined;
    const repository = {
      view: store.view,
      all: () => store.all(),
      // A slow disk: the write completes only when the test says so.
      apply: (l: Parameters<LeaseStore['apply']>[0]) => store.apply(l).then(() => new Promise<void>((r) => (releaseWrite = r))),
    };
    const svc = await DhcpService.start({ config: labConfig(), repository, openTransport: async () => transport, healthIntervalMs: 60_000, sweepIntervalMs: 60_000 });
    transport.deliver(message(MessageType.DISCOVER, 7));
    await until(() => transport.sent.length === 1);
    const offer = decode(transport.sent[0]!.buf);
    transport.deliver(
      message(MessageType.REQUEST, 7, (p) => {
        setOption(p.options, 50, offer.yiaddr);
        setOption(p.options, 54, getOption(offer.options, 54)!);
      }),
    );
    await until(() => releaseWrite !== undefined);
    let stopped = false;
    const stopping = svc.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(stopped, 'stop() waits for the pending write').toBe(false);
    expect(transport.closed).toBe(false);
    releaseWrite!();
    await stopping;
    // The ACK still went out (its lease is durable), before the socket closed.
    expect(transport.sent.map((s) => decode(s.buf).options.get(53)?.[0])).toEqual([MessageType.OFFER, MessageType.ACK]);
    expect(transport.closed).toBe(true);
    await store.close();
  });
});
