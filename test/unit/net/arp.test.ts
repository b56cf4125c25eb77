// ARP probe frames (RFC 5227 §2.1.1), their parser, and the prober's timing, cache and bounds
// against a fake link.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildArpProbe, conflictingMac, decodeSockaddrLl, encodeSockaddrLl, formatMac, parseArpFrame, parseMac, type ArpMessage } from '../../../src-main/net/arp-packet.js';
import { ArpProber, sweepAddresses } from '../../../src-main/net/arp-probe.js';
import type { ArpTransport } from '../../../src-main/net/arp-socket.js';
import { classifySweep, rangeAddresses } from '../../../src-main/server/pool-sweep.js';

const OUR = '02:00:00:00:00:01';
const HOST = 'aa:bb:cc:00:00:05';

/** A reply as Linux sends it to a DAD probe: unicast to us, tpa 0.0.0.0. */
function replyFrame(fromMac: string, fromIp: string): Buffer {
  const f = Buffer.alloc(60);
  f.set(parseMac(OUR), 0);
  f.set(parseMac(fromMac), 6);
  f.writeUInt16BE(0x0806, 12);
  f.writeUInt16BE(1, 14);
  f.writeUInt16BE(0x0800, 16);
  f[18] = 6;
  f[19] = 4;
  f.writeUInt16BE(2, 20);
  f.set(parseMac(fromMac), 22);
  f.set(fromIp.split('.').map(Number), 28);
  f.set(parseMac(OUR), 32);
  return f;
}

describe('ARP frames', () => {
  it('builds an RFC 5227 probe: broadcast, sender IP 0.0.0.0, target hardware 0', () => {
    const f = buildArpProbe(parseMac(OUR), '198.18.10.105');
    expect(f.length).toBe(60);
    expect(f.subarray(0, 14).toString('hex')).toBe('ffffffffffff' + '020000000001' + '0806');
    // htype 1, ptype 0800, hlen 6, plen 4, op 1, sha, spa 0, tha 0, tpa
    expect(f.subarray(14, 42).toString('hex')).toBe('0001' + '0800' + '06' + '04' + '0001' + '020000000001' + '00000000' + '000000000000' + 'c6120a69');
    expect(f.subarray(42).every((b) => b === 0)).toBe(true);
    const m = parseArpFrame(f)!;
    expect(m).toEqual({ op: 1, senderMac: OUR, senderIp: '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: '198.18.10.105' });
  });

  it('parses a reply and a VLAN-tagged frame; refuses non-ARP and short frames', () => {
    expect(parseArpFrame(replyFrame(HOST, '198.18.10.5'))).toMatchObject({ op: 2, senderMac: HOST, senderIp: '198.18.10.5', targetIp: '0.0.0.0' });
    const plain = replyFrame(HOST, '198.18.10.5');
    const tagged = Buffer.concat([plain.subarray(0, 12), Buffer.from([0x81, 0x00, 0x00, 0x0a]), plain.subarray(12)]);
    expect(parseArpFrame(tagged)?.senderIp).toBe('198.18.10.5');
    const ip = Buffer.from(plain);
    ip.writeUInt16BE(0x0800, 12);
    expect(parseArpFrame(ip)).toBeUndefined();
    expect(parseArpFrame(plain.subarray(0, 41))).toBeUndefined();
    const ipx = Buffer.from(plain);
    ipx.writeUInt16BE(0x8137, 16); // ptype not IPv4
    expect(parseArpFrame(ipx)).toBeUndefined();
  });

  it('decides who holds the probed address', () => {
    const m = (p: Partial<ArpMessage>): ArpMessage => ({ op: 2, senderMac: HOST, senderIp: '198.18.10.5', targetMac: OUR, targetIp: '0.0.0.0', ...p });
    expect(conflictingMac(m({}), '198.18.10.5', OUR)).toBe(HOST);
    expect(conflictingMac(m({}), '198.18.10.6', OUR)).toBeUndefined();
    // our own probe, seen by the packet socket
    expect(conflictingMac(m({ op: 1, senderMac: OUR, senderIp: '0.0.0.0', targetIp: '198.18.10.5' }), '198.18.10.5', OUR)).toBeUndefined();
    // another host probing the same address at the same time
    expect(conflictingMac(m({ op: 1, senderIp: '0.0.0.0', targetIp: '198.18.10.5' }), '198.18.10.5', OUR)).toBe(HOST);
    // the holder asking for somebody else (gratuitous or ordinary request from that address)
    expect(conflictingMac(m({ op: 1, targetIp: '198.18.10.1' }), '198.18.10.5', OUR)).toBe(HOST);
  });

  it('MAC text and sockaddr_ll', () => {
    expect(formatMac(parseMac('AA-BB-CC-0D-0E-0F'))).toBe('aa:bb:cc:0d:0e:0f');
    expect(() => parseMac('aa:bb:cc')).toThrow(RangeError);
    const sa = encodeSockaddrLl(7, 0x0806, parseMac('ff:ff:ff:ff:ff:ff'));
    expect(sa.toString('hex')).toBe('1100' + '0806' + '07000000' + '0000' + '00' + '06' + 'ffffffffffff0000');
    expect(decodeSockaddrLl(sa)).toEqual({ ifindex: 7, pkttype: 0, protocol: 0x0806 });
  });
});

/** A link with a table of hosts that answer probes, optionally after a delay or never. */
class FakeLink implements ArpTransport {
  readonly ifname = 'fake0';
  readonly mac = OUR;
  sent: string[] = [];
  healthy = true;
  closed = false;
  private listeners = new Set<(m: ArpMessage) => void>();
  constructor(readonly hosts: Record<string, { mac: string; delayMs?: number }> = {}) {}
  sendProbe(target: string): void {
    if (this.closed) throw new Error('closed');
    this.sent.push(target);
    const h = this.hosts[target];
    if (h) setTimeout(() => this.deliver({ op: 2, senderMac: h.mac, senderIp: target, targetMac: OUR, targetIp: '0.0.0.0' }), h.delayMs ?? 1);
  }
  deliver(m: ArpMessage): void {
    for (const l of [...this.listeners]) l(m);
  }
  onArp(cb: (m: ArpMessage) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  isHealthy(): boolean {
    return this.healthy && !this.closed;
  }
  close(): void {
    this.closed = true;
  }
}

describe('ArpProber', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the MAC that answers, and free after the timeout with two probes sent', async () => {
    const link = new FakeLink({ '198.18.10.5': { mac: HOST } });
    const p = new ArpProber({ open: async () => link, timeoutMs: 400, clock: () => Date.now() });
    await p.ready();
    const busy = p.probe('198.18.10.5');
    const free = p.probe('198.18.10.6');
    await vi.advanceTimersByTimeAsync(5);
    expect(await busy).toMatchObject({ outcome: 'in-use', inUseBy: HOST, cached: false });
    await vi.advanceTimersByTimeAsync(399);
    const f = await free;
    expect(f).toMatchObject({ outcome: 'free', cached: false });
    expect(f.ms).toBe(400);
    expect(link.sent.filter((ip) => ip === '198.18.10.6')).toHaveLength(2); // a second try at half the timeout
    expect(p.stats).toMatchObject({ probes: 2, conflicts: 1 });
  });

  it('caches verdicts for the TTL, shares a probe in flight, and can be told to forget', async () => {
    const link = new FakeLink({ '198.18.10.5': { mac: HOST } });
    const p = new ArpProber({ open: async () => link, timeoutMs: 100, cacheTtlMs: 60_000, clock: () => Date.now() });
    const a = p.probe('198.18.10.7');
    await vi.advanceTimersByTimeAsync(0);
    expect(p.inFlight('198.18.10.7')).toBeDefined();
    expect(p.probe('198.18.10.7')).toBe(a);
    await vi.advanceTimersByTimeAsync(100);
    await a;
    const sentBefore = link.sent.length;
    expect(await p.probe('198.18.10.7')).toMatchObject({ outcome: 'free', cached: true });
    expect(link.sent.length).toBe(sentBefore);
    expect(p.stats.cacheHits).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(p.cached('198.18.10.7')).toBeUndefined(); // TTL over
    p.probe('198.18.10.5');
    await vi.advanceTimersByTimeAsync(5);
    expect(p.cached('198.18.10.5')?.inUseBy).toBe(HOST);
    p.forget('198.18.10.5');
    expect(p.cached('198.18.10.5')).toBeUndefined();
  });

  it('bounds probes in flight: beyond the limit the address goes out unchecked (counted)', async () => {
    const link = new FakeLink();
    const p = new ArpProber({ open: async () => link, timeoutMs: 100, maxConcurrent: 2 });
    p.probe('198.18.10.10');
    p.probe('198.18.10.11');
    const third = await p.probe('198.18.10.12');
    expect(third).toMatchObject({ outcome: 'unchecked', reason: 'more than 2 probes in flight' });
    expect(p.stats.unchecked).toBe(1);
    await vi.advanceTimersByTimeAsync(100); // the first two finish: room again
    const later = p.probe('198.18.10.12');
    await vi.advanceTimersByTimeAsync(100);
    expect((await later).outcome).toBe('free');
  });

  it('reopens the socket after the interface went away; an open failure is "unchecked" with the reason', async () => {
    const links: FakeLink[] = [];
    let fail = false;
    const p = new ArpProber({
      open: async () => {
        if (fail) throw new Error('Cannot send ARP probes on fake0: no permission');
        const l = new FakeLink({ '198.18.10.5': { mac: HOST } });
        links.push(l);
        return l;
      },
      timeoutMs: 50,
    });
    await p.ready();
    links[0]!.healthy = false;
    const r = p.probe('198.18.10.5');
    await vi.advanceTimersByTimeAsync(5);
    expect((await r).inUseBy).toBe(HOST);
    expect(links).toHaveLength(2);
    links[1]!.healthy = false;
    fail = true;
    const u = await p.probe('198.18.10.9');
    expect(u).toMatchObject({ outcome: 'unchecked', reason: 'Cannot send ARP probes on fake0: no permission' });
    expect(p.lastError).toContain('no permission');
  });

  it('close() ends pending probes as unchecked', async () => {
    const link = new FakeLink();
    const p = new ArpProber({ open: async () => link, timeoutMs: 500 });
    const r = p.probe('198.18.10.20');
    await vi.advanceTimersByTimeAsync(1);
    p.close();
    expect((await r).outcome).toBe('unchecked');
    expect(link.closed).toBe(true);
  });
});

describe('sweep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('probes every address at the given rate and lists those that answered', async () => {
    const link = new FakeLink({ '198.18.10.102': { mac: HOST }, '198.18.10.104': { mac: 'aa:bb:cc:00:00:06' } });
    const ips = rangeAddresses('198.18.10.100-198.18.10.109');
    const done = sweepAddresses(link, ips, { ratePerSecond: 10, waitMs: 500 });
    await vi.advanceTimersByTimeAsync(450);
    expect(link.sent.length).toBe(5); // 10/s: one every 100 ms
    await vi.advanceTimersByTimeAsync(2000);
    expect(await done).toEqual([
      { ip: '198.18.10.102', mac: HOST },
      { ip: '198.18.10.104', mac: 'aa:bb:cc:00:00:06' },
    ]);
    expect(link.sent).toEqual(ips);
  });

  it('classifies answers against leases and reservations', () => {
    const now = 1_000_000;
    const lease = (ip: string, mac: string, state: 'bound' | 'expired' = 'bound') => ({ ip, mac, clientId: `01:${mac}`, state, subnet: '198.18.10.0/24', startsAt: 0, expiresAt: now + 1000, firstSeen: 0, lastSeen: 0 });
    const leases = new Map([
      ['198.18.10.100', lease('198.18.10.100', HOST)],
      ['198.18.10.101', lease('198.18.10.101', 'aa:bb:cc:00:00:99')],
      ['198.18.10.103', lease('198.18.10.103', HOST, 'expired')],
    ]);
    const hits = classifySweep(
      [
        { ip: '198.18.10.100', mac: HOST },
        { ip: '198.18.10.101', mac: HOST },
        { ip: '198.18.10.102', mac: 'aa:bb:cc:00:00:07' },
        { ip: '198.18.10.103', mac: HOST },
        { ip: '198.18.10.104', mac: 'aa:bb:cc:00:00:08' },
      ],
      { byIp: (ip) => leases.get(ip), reservations: [{ ip: '198.18.10.104', mac: 'aa:bb:cc:00:00:08', hostname: 'printer' }], now },
    );
    expect(hits.map((h) => h.kind)).toEqual(['ours', 'conflict', 'static', 'static', 'ours']);
    expect(hits[1]!.expectedMac).toBe('aa:bb:cc:00:00:99');
    expect(hits[2]!.note).toContain('exclude it from the range or reserve it');
    expect(hits[3]!.note).toContain('lease ended');
    expect(hits[4]!.hostname).toBe('printer');
  });

  it('refuses ranges that are malformed, reversed or too large', () => {
    expect(() => rangeAddresses('198.18.10.5')).toThrow(/not a range/);
    expect(() => rangeAddresses('198.18.10.9-198.18.10.5')).toThrow(/ends before/);
    expect(() => rangeAddresses('198.18.0.0-198.18.255.255')).toThrow(/at most 4096/);
    expect(rangeAddresses(' 198.18.10.254 - 198.18.11.1 ')).toEqual(['198.18.10.254', '198.18.10.255', '198.18.11.0', '198.18.11.1']);
  });
});
