// Floods in the pure engine (issue 6 item 3): the per-MAC DISCOVER rate limit ('rate-limited', a
// counted drop reason), its bounded memory, and known-clients-only mode answering reservations only
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
