// Floods in the pure engine (issue 6 item 3): the per-MAC DISCOVER rate limit and the one for
// REQUEST/INFORM/DECLINE ('rate-limited', a counted drop reason), their bounded memory, and known-clients-only mode answering reservations only
// while a random-MAC flood runs. The real-server flood is test/integration/reliability/floods.test.ts.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/schema.js';
import { DROP_REASONS } from '../../../src-main/dhcp/events.js';
import { MessageType } from '../../../src-main/dhcp/options.js';
import { ClientRateLimit } from '../../../src-main/dhcp/rate-limit.js';
import { FakeClient, labConfig, nextMac, replyType, worldFactory } from '../../helpers/fake-dhcp.js';

const world = worldFactory();

describe('ClientRateLimit', () => {
  it('allows N per client per second, the rest refused; a new second starts over; other clients unaffected', () => {
    const r = new ClientRateLimit(3);
    const t = 1_000_000;
    expect([1, 2, 3, 4, 5].map(() => r.allow('a', t + 10))).toEqual([true, true, true, false, false]);
    expect(r.allow('b', t + 20)).toBe(true);
    expect(r.allow('a', t + 1000)).toBe(true);
    expect(r.tracked).toBe(1);
  });

  it('0 = no limit; memory is bounded by maxTracked (untracked clients pass)', () => {
    const off = new ClientRateLimit(0);
    for (let i = 0; i < 100; i++) expect(off.allow('a', 5)).toBe(true);
    expect(off.tracked).toBe(0);
    const r = new ClientRateLimit(1, 1000, 10);
    for (let i = 0; i < 1000; i++) r.allow(`m${i}`, 5);
    expect(r.tracked).toBe(10);
  });
});

describe('engine: per-MAC DISCOVER rate limit', () => {
  it('the 11th DISCOVER of one MAC within a second is dropped as rate-limited (the default 10/s), other MACs are served, the next second it is served again', () => {
    const cfg = parseConfig({ interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] });
    expect(cfg.discoverRateLimit).toBe(10);
    const w = world(labConfig({ discoverRateLimit: cfg.discoverRateLimit }));
    const noisy = new FakeClient(w, '02:00:00:00:0e:01');
    const results = Array.from({ length: 25 }, () => noisy.discover());
    expect(results.filter((d) => replyType(d) === MessageType.OFFER)).toHaveLength(10);
    const dropped = results.filter((d) => d.drop === 'rate-limited');
    expect(dropped).toHaveLength(15);
    expect(dropped[0]!.events).toEqual([expect.objectContaining({ type: 'drop', reason: 'rate-limited', mac: '02:00:00:00:0e:01', detail: 'more than 10 DHCPDISCOVERs in a second' })]);
    expect(DROP_REASONS['rate-limited']).toMatch(/rate limit/);
    expect(replyType(new FakeClient(w, '02:00:00:00:0e:02').discover())).toBe(MessageType.OFFER);
    w.advance(1);
    expect(replyType(noisy.discover())).toBe(MessageType.OFFER);
    // A DORA is not limited by its own retransmissions: REQUESTs are not counted.
    expect(replyType(noisy.dora())).toBe(MessageType.ACK);
  });

  it('discoverRateLimit 0 turns it off; a negative or fractional value is a clear config error', () => {
    const w = world(labConfig({ discoverRateLimit: 0 }));
    const c = new FakeClient(w, '02:00:00:00:0e:03');
    for (let i = 0; i < 50; i++) expect(replyType(c.discover())).toBe(MessageType.OFFER);
    const base = { interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] };
    expect(() => parseConfig({ ...base, discoverRateLimit: -1 })).toThrow(/discoverRateLimit/);
    expect(() => parseConfig({ ...base, discoverRateLimit: 1.5 })).toThrow(/discoverRateLimit: must be a whole number/);
  });
});

describe('engine: per-MAC REQUEST/INFORM/DECLINE rate limit', () => {
  it('the default 10/s: a bound client renewing 40 times in a second gets 10 ACKs (10 lease writes), the rest dropped as rate-limited with the message type', () => {
    const cfg = parseConfig({ interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] });
    expect(cfg.requestRateLimit).toBe(10);
    const w = world(labConfig({ requestRateLimit: cfg.requestRateLimit }));
    const c = new FakeClient(w, '02:00:00:00:0e:11');
    expect(replyType(c.dora())).toBe(MessageType.ACK); // 1 REQUEST of this second
    w.advance(1);
    const renewals = Array.from({ length: 40 }, () => c.renew());
    expect(renewals.filter((d) => replyType(d) === MessageType.ACK)).toHaveLength(10);
    expect(renewals.reduce((n, d) => n + d.writes.length, 0)).toBe(10);
    const dropped = renewals.filter((d) => d.drop === 'rate-limited');
    expect(dropped).toHaveLength(30);
    expect(dropped[0]!.events).toEqual([
      expect.objectContaining({ type: 'drop', reason: 'rate-limited', mac: '02:00:00:00:0e:11', messageType: MessageType.REQUEST, detail: 'a DHCPREQUEST beyond 10 REQUEST/INFORM/DECLINE messages in a second' }),
    ]);
    // Another client is not affected; the next second the noisy one renews again.
    expect(replyType(new FakeClient(w, '02:00:00:00:0e:12').dora())).toBe(MessageType.ACK);
    w.advance(1);
    expect(replyType(c.renew())).toBe(MessageType.ACK);
  });

  it('INFORMs and DECLINEs count in the same budget and are dropped with their own message type', () => {
    const w = world(labConfig({ requestRateLimit: 3 }));
    const c = new FakeClient(w, '02:00:00:00:0e:13');
    const informs = Array.from({ length: 5 }, () => c.inform('198.18.10.77'));
    expect(informs.filter((d) => replyType(d) === MessageType.ACK)).toHaveLength(3);
    expect(informs[3]!.events[0]).toMatchObject({ type: 'drop', reason: 'rate-limited', messageType: MessageType.INFORM, detail: 'a DHCPINFORM beyond 3 REQUEST/INFORM/DECLINE messages in a second' });
    const decline = c.decline('198.18.10.120');
    expect(decline.drop).toBe('rate-limited');
    expect(decline.events[0]).toMatchObject({ messageType: MessageType.DECLINE, detail: 'a DHCPDECLINE beyond 3 REQUEST/INFORM/DECLINE messages in a second' });
    // DISCOVERs have their own limit: not counted here.
    expect(replyType(c.discover())).toBe(MessageType.OFFER);
    expect(w.engine.requestRate.tracked).toBe(1);
  });

  it('a real client is never touched: DORA, retransmitted REQUESTs, renewals and a DECLINE over a minute', () => {
    const w = world(labConfig({ requestRateLimit: 10 }));
    const c = new FakeClient(w, '02:00:00:00:0e:14');
    // dhclient retransmits a REQUEST after 4 s, 8 s …; renews at T1; a burst of 3 at link-up is the most seen.
    for (let s = 0; s < 60; s += 4) {
      expect(replyType(c.dora())).toBe(MessageType.ACK);
      expect(replyType(c.renew())).toBe(MessageType.ACK);
      expect(replyType(c.initReboot())).toBe(MessageType.ACK);
      w.advance(4);
    }
    expect(w.log.filter((d) => d.drop === 'rate-limited')).toEqual([]);
  });

  it('requestRateLimit 0 turns it off; a negative or fractional value is a clear config error', () => {
    const w = world(labConfig({ requestRateLimit: 0 }));
    const c = new FakeClient(w, '02:00:00:00:0e:15');
    c.dora();
    for (let i = 0; i < 50; i++) expect(replyType(c.renew())).toBe(MessageType.ACK);
    const base = { interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] };
    expect(() => parseConfig({ ...base, requestRateLimit: -1 })).toThrow(/requestRateLimit/);
    expect(() => parseConfig({ ...base, requestRateLimit: 2.5 })).toThrow(/requestRateLimit: must be a whole number/);
  });
});

describe('engine: known-clients-only under a random-MAC flood', () => {
  it('answers only the reservation; every flood DISCOVER is a counted unknown-client drop; no hold is taken', () => {
    const w = world(labConfig({ knownClientsOnly: true, reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }], discoverRateLimit: 10 }));
    let unknown = 0;
    for (let i = 0; i < 2000; i++) {
      const d = new FakeClient(w, nextMac()).discover();
      expect(d.reply).toBeUndefined();
      if (d.drop === 'unknown-client') unknown++;
      if (i === 1000) {
        const printer = new FakeClient(w, '02:00:00:00:00:aa');
        expect(replyType(printer.dora())).toBe(MessageType.ACK);
        expect(printer.ip).toBe('198.18.10.20');
      }
    }
    expect(unknown).toBe(2000);
    expect(w.engine.holds.size).toBe(0);
    expect(w.engine.discoverRate.tracked).toBeLessThanOrEqual(2001);
  });
});
