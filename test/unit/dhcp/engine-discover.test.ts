// RFC 2131 §4.3.1 DHCPDISCOVER: which address is offered (allocator order, never the forbidden
// ones), offer holds (§4.3.1 "SHOULD make an effort" not to offer an address twice), the hold cap
// under a random-MAC flood, and pool exhaustion.
import { describe, expect, it } from 'vitest';
import { ipToInt } from '../../../src-main/dhcp/ip.js';
import { MessageType } from '../../../src-main/dhcp/options.js';
import { FakeClient, labConfig, nextMac, replyType, subnet, worldFactory } from '../../helpers/fake-dhcp.js';

const world = worldFactory();
const lab = labConfig().subnets[0]!;

/** Lab config with a pool of `n` addresses from .100. */
function smallPool(n: number, over: Parameters<typeof labConfig>[0] = {}) {
  return labConfig({ subnets: [{ ...lab, rangeEnd: lab.rangeStart + n - 1 }], ...over });
}

describe('DISCOVER: which address is offered', () => {
  it('offers the same address to the same MAC on a fresh server (stable pick)', () => {
    const macs = ['02:00:00:00:01:01', '02:00:00:00:01:02', 'a4:5e:60:d1:22:9b'];
    const first = macs.map((m) => new FakeClient(world(), m).discover().reply!.packet.yiaddr);
    const again = macs.map((m) => new FakeClient(world(), m).discover().reply!.packet.yiaddr);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const w = world();
    const d = new FakeClient(w, macs[0]!).discover();
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', ip: first[0], source: 'stable' }));
  });

  it('spreads different clients over the pool (no two stable picks collide into one offer)', () => {
    const w = world();
    const ips = Array.from({ length: 40 }, () => new FakeClient(w, nextMac()).discover().reply!.packet.yiaddr);
    expect(new Set(ips).size).toBe(40);
  });

  it('a reservation wins over everything, even outside the range and against option 50', () => {
    const w = world(labConfig({ reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer' }] }));
    const c = new FakeClient(w, '02:00:00:00:00:aa');
    const d = c.discover('198.18.10.140');
    expect(d.reply!.packet.yiaddr).toBe('198.18.10.20');
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', source: 'reservation' }));
    const ack = c.select(d);
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(ack.reply!.packet.options.get(12)).toEqual(Uint8Array.from(Buffer.from('printer')));
    expect(w.leases.byIp('198.18.10.20')).toMatchObject({ state: 'bound', hostname: 'printer' });
  });

  it('a reservation by client identifier (option 61) works too', () => {
    const id = Uint8Array.from([0, ...Buffer.from('sensor-7')]);
    const w = world(labConfig({ reservations: [{ clientId: '00:' + Buffer.from('sensor-7').toString('hex').match(/../g)!.join(':'), ip: '198.18.10.21' }] }));
    expect(new FakeClient(w, '02:00:00:00:00:ab', { clientId: id }).discover().reply!.packet.yiaddr).toBe('198.18.10.21');
    expect(new FakeClient(w, '02:00:00:00:00:ab').discover().reply!.packet.yiaddr).not.toBe('198.18.10.21');
  });

  it('offers the client its previous lease again', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:00:01');
    c.dora('198.18.10.133');
    expect(c.ip).toBe('198.18.10.133');
    const d = c.discover();
    expect(d.reply!.packet.yiaddr).toBe('198.18.10.133');
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', source: 'previous' }));
  });

  it('honours a requested address (option 50) when it is free', () => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:00:02').discover('198.18.10.140');
    expect(d.reply!.packet.yiaddr).toBe('198.18.10.140');
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', source: 'requested' }));
  });

  it('ignores a requested address that is taken, reserved for someone else, outside the pool or malformed', () => {
    const w = world(labConfig({ reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.130' }] }));
    const a = new FakeClient(w, '02:00:00:00:00:03');
    a.dora('198.18.10.140');
    const b = new FakeClient(w, '02:00:00:00:00:04');
    for (const asked of ['198.18.10.140', '198.18.10.130', '198.18.10.20', '10.0.0.5', '198.18.10.255', '198.18.10.1']) {
      const d = b.discover(asked);
      expect(replyType(d), asked).toBe(MessageType.OFFER);
      expect(d.reply!.packet.yiaddr, asked).not.toBe(asked);
    }
    const bad = b.send(MessageType.DISCOVER, (p) => p.options.set(50, Uint8Array.of(1, 2, 3)));
    expect(replyType(bad)).toBe(MessageType.OFFER); // a malformed hint is ignored, not fatal
  });

  it('never offers the server address, routers/DNS in the range, or the network/broadcast address', () => {
    // A /29 whose "range" spans the whole subnet: the engine must refuse .0 (network), .7
    // (broadcast), .1 (server), .2 (router) and .3 (DNS) on its own.
    const s = subnet('198.18.10.0/29', '198.18.10.0-198.18.10.7');
    const w = world(labConfig({ serverId: '198.18.10.1', subnets: [s], excluded: ['198.18.10.2', '198.18.10.3'] }));
    const offered = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const c = new FakeClient(w, nextMac());
      const forbidden = ['198.18.10.0', '198.18.10.7', '198.18.10.1', '198.18.10.2', '198.18.10.3'][i % 5]!;
      const d = c.dora(forbidden);
      if (d.reply) offered.add(d.reply.packet.yiaddr);
    }
    expect([...offered].sort()).toEqual(['198.18.10.4', '198.18.10.5', '198.18.10.6']);
  });

  it('a /31 has no network or broadcast address: both are usable (RFC 3021)', () => {
    const s = subnet('198.18.10.0/31', '198.18.10.1-198.18.10.1');
    const w = world(labConfig({ serverId: '198.18.10.0', subnets: [s] }));
    const c = new FakeClient(w, '02:00:00:00:00:31', { prl: [1, 3, 28] });
    const ack = c.dora();
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(c.ip).toBe('198.18.10.1');
    // Option 28 on a /31 is the limited broadcast: the "directed broadcast" would be the client itself.
    expect(ack.reply!.packet.options.get(28)).toEqual(Uint8Array.of(255, 255, 255, 255));
    expect(ack.reply!.packet.options.get(1)).toEqual(Uint8Array.of(255, 255, 255, 254));
  });
});

describe('DISCOVER: offer holds', () => {
  it('two clients are never offered the same address while a hold lives', () => {
    const w = world(smallPool(5));
    const offers = Array.from({ length: 5 }, () => new FakeClient(w, nextMac()).discover());
    const ips = offers.map((d) => d.reply!.packet.yiaddr);
    expect(new Set(ips).size).toBe(5);
    // Asking for a held address does not get it either.
    const late = new FakeClient(w, nextMac()).discover(ips[4]);
    expect(late.reply!.packet.yiaddr).not.toBe(ips[4]);
    expect(w.engine.holds.size).toBe(5);
  });

  it('the same client re-DISCOVERing keeps its held address, without a second hold', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:00:05');
    const a = c.discover().reply!.packet.yiaddr;
    w.advance(5);
    const b = c.discover();
    expect(b.reply!.packet.yiaddr).toBe(a);
    expect(w.engine.holds.size).toBe(1);
  });

  it('a hold expires after offerHoldSeconds; the address is then free for others', () => {
    const w = world(labConfig({ offerHoldSeconds: 10 }));
    const a = new FakeClient(w, '02:00:00:00:00:06').discover('198.18.10.140');
    expect(a.reply!.packet.yiaddr).toBe('198.18.10.140');
    const b = new FakeClient(w, '02:00:00:00:00:07');
    w.advance(9);
    expect(b.discover('198.18.10.140').reply!.packet.yiaddr).not.toBe('198.18.10.140');
    w.advance(2);
    const bOffer = b.discover('198.18.10.140');
    expect(bOffer.reply!.packet.yiaddr).toBe('198.18.10.140');
    // The first client, coming back late, still gets it: its REQUEST outranks b's mere offer…
    const late = new FakeClient(w, '02:00:00:00:00:06').select(a);
    expect(replyType(late)).toBe(MessageType.ACK);
    expect(late.events).toContainEqual(expect.objectContaining({ type: 'offer-evicted', mac: '02:00:00:00:00:07', ip: '198.18.10.140' }));
    // …and b, now asking for a bound address, is NAKed and starts over.
    expect(replyType(b.select(bOffer))).toBe(MessageType.NAK);
  });

  it('sweep() drops expired holds', () => {
    const w = world(labConfig({ offerHoldSeconds: 10 }));
    new FakeClient(w, nextMac()).discover();
    new FakeClient(w, nextMac()).discover();
    expect(w.engine.holds.size).toBe(2);
    w.advance(11);
    w.sweep();
    expect(w.engine.holds.size).toBe(0);
  });

  it('a full pool of mere offers gives up the oldest offer instead of starving a new client', () => {
    const w = world(smallPool(3));
    const first = new FakeClient(w, '02:00:00:00:00:08');
    const offer = first.discover();
    new FakeClient(w, nextMac()).discover();
    new FakeClient(w, nextMac()).discover();
    const d = new FakeClient(w, '02:00:00:00:00:09').discover();
    expect(replyType(d)).toBe(MessageType.OFFER);
    expect(d.reply!.packet.yiaddr).toBe(offer.reply!.packet.yiaddr);
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer-evicted', mac: '02:00:00:00:00:08', ip: offer.reply!.packet.yiaddr }));
  });

  it('a random-MAC DISCOVER flood is capped at maxOfferHolds and a reserved client is still served', () => {
    const w = world(
      labConfig({
        maxOfferHolds: 8,
        subnets: [{ ...lab, rangeEnd: lab.rangeStart + 19 }],
        reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.110' }],
      }),
    );
    const evicted: string[] = [];
    for (let i = 0; i < 300; i++) {
      const d = new FakeClient(w, nextMac()).discover();
      expect(replyType(d)).toBe(MessageType.OFFER);
      expect(d.reply!.packet.yiaddr).not.toBe('198.18.10.110');
      for (const e of d.events) if (e.type === 'offer-evicted') evicted.push(e.mac);
      expect(w.engine.holds.size).toBeLessThanOrEqual(8);
    }
    expect(evicted.length).toBeGreaterThanOrEqual(300 - 8);
    const printer = new FakeClient(w, '02:00:00:00:00:aa');
    expect(replyType(printer.dora())).toBe(MessageType.ACK);
    expect(printer.ip).toBe('198.18.10.110');
    // An ordinary client in the middle of the flood still completes DORA.
    const laptop = new FakeClient(w, '02:00:00:00:00:bb');
    const offer = laptop.discover();
    for (let i = 0; i < 20; i++) new FakeClient(w, nextMac()).discover();
    expect(replyType(laptop.select(offer))).toBe(MessageType.ACK);
  });
});

describe('DISCOVER: pool exhaustion', () => {
  it('is an event and a counted drop; after a release the pool serves again', () => {
    const w = world(smallPool(2));
    const a = new FakeClient(w, '02:00:00:00:00:10');
    a.dora();
    new FakeClient(w, '02:00:00:00:00:11').dora();
    const c = new FakeClient(w, '02:00:00:00:00:12');
    const d = c.discover();
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe('pool-exhausted');
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'pool-exhausted', subnet: '198.18.10.0/24', mac: '02:00:00:00:00:12' }),
      expect.objectContaining({ type: 'drop', reason: 'pool-exhausted' }),
    ]);
    const freed = a.ip!;
    a.release();
    const again = c.dora();
    expect(replyType(again)).toBe(MessageType.ACK);
    expect(c.ip).toBe(freed);
  });

  it('expired leases of others are reused once nothing never-used is left (oldest first)', () => {
    const w = world(smallPool(2));
    const a = new FakeClient(w, '02:00:00:00:00:13');
    a.dora();
    w.advance(100);
    const b = new FakeClient(w, '02:00:00:00:00:14');
    b.dora();
    w.advance(601);
    w.sweep();
    const c = new FakeClient(w, '02:00:00:00:00:15');
    const d = c.discover();
    expect(d.reply!.packet.yiaddr).toBe(a.ip);
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'offer', source: 'reuse' }));
  });

  it('a one-address range serves exactly one client at a time', () => {
    const w = world(smallPool(1));
    const a = new FakeClient(w, '02:00:00:00:00:16');
    expect(replyType(a.dora())).toBe(MessageType.ACK);
    expect(a.ip).toBe('198.18.10.100');
    expect(new FakeClient(w, '02:00:00:00:00:17').discover().drop).toBe('pool-exhausted');
    expect(ipToInt(a.ip!)).toBe(lab.rangeStart);
  });
});
