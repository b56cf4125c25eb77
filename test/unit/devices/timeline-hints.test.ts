// The stall hints are a pure function of a device's timeline: every rule on plain event lists.
import { describe, expect, it } from 'vitest';
import { timelineHints } from '../../../src-main/devices/timeline-hints.js';
import type { TimelineEntry } from '../../../src-main/devices/timeline-types.js';

let t = 0;
const e = (kind: TimelineEntry['kind'], extra: Partial<TimelineEntry> = {}): TimelineEntry => ({ at: (t += 1000), kind, ...extra });
const codes = (entries: TimelineEntry[]) => timelineHints(entries).map((h) => h.code);

describe('timeline hints', () => {
  it('a normal DORA has no hint', () => {
    expect(codes([e('discover'), e('offer', { ip: '198.18.0.10' }), e('request'), e('ack', { ip: '198.18.0.10', state: 'selecting' })])).toEqual([]);
  });

  it('OFFERs sent, no REQUEST: at least two unanswered offers', () => {
    const one = [e('discover'), e('offer', { ip: '198.18.0.10' })];
    expect(codes(one)).toEqual([]);
    const three = [e('discover'), e('offer'), e('discover'), e('offer'), e('discover'), e('offer')];
    const hints = timelineHints(three);
    expect(hints.map((h) => h.code)).toEqual(['offers-unanswered']);
    expect(hints[0]!.text).toMatch(/^3 OFFERs sent, no REQUEST/);
    // A REQUEST after the offers ends the stall; an ACK ends the attempt.
    expect(codes([...three, e('request')])).toEqual([]);
    expect(codes([...three, e('request'), e('ack')])).toEqual([]);
  });

  it('NAK loop for an address from another network', () => {
    const nak = () => e('nak', { ip: '10.9.8.7', state: 'init-reboot', detail: '10.9.8.7 is not on network 198.18.0.0/24' });
    expect(codes([e('request'), nak()])).toEqual([]);
    const h = timelineHints([e('request'), nak(), e('request'), nak()]);
    expect(h.map((x) => x.code)).toEqual(['nak-loop']);
    expect(h[0]!.text).toContain('10.9.8.7, an address from another network');
    // Other NAK reasons loop too, with the server's reason.
    const other = timelineHints([e('nak', { ip: '198.18.0.5', detail: '198.18.0.5 is leased to another client' }), e('nak', { ip: '198.18.0.5', detail: '198.18.0.5 is leased to another client' })]);
    expect(other[0]!.text).toContain('leased to another client');
    // An ACK after the NAKs: the client recovered.
    expect(codes([nak(), nak(), e('discover'), e('offer'), e('request'), e('ack')])).toEqual([]);
  });

  it('REQUEST for another server offer', () => {
    const h = timelineHints([e('discover'), e('offer'), e('request'), e('drop', { reason: 'wrong-server-id', detail: 'selected 198.18.0.254' })]);
    expect(h.map((x) => x.code)).toEqual(['other-server']);
    expect(h[0]!.text).toContain('198.18.0.254');
  });

  it('DECLINE names the address in conflict, even after a later ACK', () => {
    const h = timelineHints([e('ack', { ip: '198.18.0.10' }), e('decline', { ip: '198.18.0.10' }), e('discover'), e('offer', { ip: '198.18.0.11' }), e('request'), e('ack', { ip: '198.18.0.11' })]);
    expect(h.map((x) => x.code)).toEqual(['decline']);
    expect(h[0]!.text).toContain('something else uses 198.18.0.10');
  });

  it('pool exhausted', () => {
    expect(codes([e('discover'), e('pool-exhausted', { detail: '198.18.0.0/24' })])).toEqual(['pool-exhausted']);
  });

  it('a non-authoritative server staying silent, and a request from another network', () => {
    expect(codes([e('request'), e('drop', { reason: 'no-record', detail: '198.18.0.77' })])).toEqual(['not-authoritative']);
    expect(codes([e('request'), e('drop', { reason: 'not-our-subnet', detail: 'ciaddr 10.0.0.5' })])).toEqual(['wrong-network']);
  });
});
