// The `--log json` line of every event kind is exactly what JSON.stringify({ ...e, at: ISO }) wrote
// before the hand-shaped heads and the cached times (the log is parsed by scripts and by the tests),
// and the cached ISO formatter agrees with Date#toISOString everywhere, second boundaries included.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/dhcp/events.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import { formatCountersJson, formatCountersText, formatEventJson, formatEventText } from '../../../src-main/server/event-format.js';
import { emptyCounters } from '../../../src-main/server/dhcp-service.js';
import { createIsoTime, isoTime } from '../../../src-main/server/iso-time.js';

const T0 = Date.parse('2026-11-23T09:00:59.998Z');

/** What formatEventJson wrote before it was made cheap: the reference. */
const reference = (e: ServiceEvent) => JSON.stringify({ ...e, at: new Date(e.at).toISOString() });

const lease = (o: Partial<Lease> = {}): Lease => ({
  ip: '198.18.0.7',
  clientId: '01:aa:bb:cc:00:00:07',
  mac: 'aa:bb:cc:00:00:07',
  state: 'bound',
  subnet: '198.18.0.0/24',
  startsAt: T0,
  expiresAt: T0 + 3600_000,
  firstSeen: T0 - 5000,
  lastSeen: T0,
  ...o,
});

const ack = (l: Lease, hostname?: string): EngineEvent => ({ type: 'ack', ip: l.ip, mac: l.mac, clientId: l.clientId, subnet: l.subnet, hostname, state: 'selecting', lease: l });

describe('formatEventJson', () => {
  const odd = 'quote " backslash \\ tab \t newline \n nul \u0000 é 漢 \u2028 😀';
  const full = lease({ hostname: odd, vendorClass: 'MSFT 5.0', paramRequest: [1, 3, 6, 15], relay: '198.18.0.2', circuitId: '0102', remoteId: 'ff' });
  const events: ServiceEvent[] = [
    { kind: 'dhcp', at: T0, event: { type: 'offer', ip: '198.18.0.7', mac: 'aa:bb:cc:00:00:07', clientId: '01:aa:bb:cc:00:00:07', subnet: '198.18.0.0/24', hostname: undefined, source: 'stable' } },
    { kind: 'dhcp', at: T0 + 1, event: { type: 'offer', ip: '198.18.0.7', mac: 'aa:bb:cc:00:00:07', clientId: '01:aa:bb:cc:00:00:07', subnet: '198.18.0.0/24', hostname: odd, source: 'previous' } },
    { kind: 'dhcp', at: T0 + 2, event: ack(lease()) },
    { kind: 'dhcp', at: T0 + 3, event: ack(full, odd) },
    { kind: 'lease', at: T0 + 3, lease: full },
    { kind: 'lease', at: T0 + 4, lease: lease({ state: 'expired', expiresAt: Number.MAX_SAFE_INTEGER }) },
    { kind: 'dhcp', at: T0 + 5, event: { type: 'nak', mac: 'aa:bb:cc:00:00:07', clientId: '01:aa', reason: 'address 198.18.9.9 is not on network 198.18.0.0/24', state: 'init-reboot' } },
    { kind: 'dhcp', at: T0 + 6, event: { type: 'drop', reason: 'decode-error', detail: odd } },
    { kind: 'dhcp', at: T0 + 7, event: { type: 'offer-evicted', ip: '198.18.0.8', mac: 'aa:bb:cc:00:00:08', clientId: '01:aa:bb:cc:00:00:08' } },
    { kind: 'dhcp', at: T0 + 8, event: { type: 'foreign-server', serverId: undefined, yiaddr: '0.0.0.0', messageType: 2, mac: 'aa:bb:cc:00:00:09' } },
    { kind: 'packet', at: T0 + 9, packet: { direction: 'in', type: 'DHCPDISCOVER', mac: 'aa:bb:cc:00:00:07', xid: 0x1234, peer: '0.0.0.0:68', size: 300 } },
    { kind: 'warning', at: T0 + 10, code: 'socket-error', message: odd },
    { kind: 'state', at: T0 + 11, state: 'running', detail: 'listening on sv0 198.18.0.1:67' },
    { kind: 'state', at: 1.5, state: 'stopped' },
  ];

  it('writes every event kind exactly as JSON.stringify of the event with an ISO time', () => {
    for (const e of events) expect(formatEventJson(e)).toBe(reference(e));
  });

  it('the ACK line and the lease line after it carry the same lease text', () => {
    const l = lease({ hostname: 'pc-1' });
    const a = formatEventJson({ kind: 'dhcp', at: T0, event: ack(l) });
    const b = formatEventJson({ kind: 'lease', at: T0, lease: l });
    expect(JSON.parse(a).event.lease).toEqual(JSON.parse(b).lease);
    expect(b).toBe(reference({ kind: 'lease', at: T0, lease: l }));
  });
});

describe('createIsoTime', () => {
  it('agrees with Date#toISOString across second boundaries, in any order', () => {
    const iso = createIsoTime();
    const times = [T0, T0 + 1, T0 + 2, T0 + 3, T0 - 1000, T0 + 1, 0, 999, 1000, 86_400_000 - 1, 253_402_300_799_999];
    for (let i = 0; i < 2000; i++) times.push(T0 + Math.floor(Math.random() * 10_000) - 5000);
    for (const t of times) expect(iso(t)).toBe(new Date(t).toISOString());
  });

  it('takes Date’s own path for fractions, negatives and far futures, and throws like it for NaN', () => {
    for (const t of [1.5, T0 + 0.25, -1, -86_400_001, 253_402_300_800_000, 8.64e15]) expect(isoTime(t)).toBe(new Date(t).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatEventText', () => {
  it('an ACK of an infinite lease "never expires"; a finite one "expires in N s"', () => {
    const forever = lease({ expiresAt: T0 + 0xffffffff * 1000 });
    expect(formatEventText({ kind: 'dhcp', at: T0, event: ack(forever) })).toBe(`${isoTime(T0)} ACK 198.18.0.7 to aa:bb:cc:00:00:07 (selecting, never expires)`);
    expect(formatEventText({ kind: 'dhcp', at: T0, event: ack(lease()) })).toBe(`${isoTime(T0)} ACK 198.18.0.7 to aa:bb:cc:00:00:07 (selecting, expires in 3600 s)`);
  });
});

describe('counters summary (serve on stop and SIGUSR1)', () => {
  const counters = () => ({ ...emptyCounters(), received: 40, offers: 10, acks: 9, naks: 1, sent: 20, drops: { 'rate-limited': 3, 'wrong-server-id': 7, 'pool-exhausted': 0 } });

  it('text: received, answers, and drops by reason, largest first (zero counts left out)', () => {
    expect(formatCountersText(counters())).toBe(
      'pocket-dhcp counters: received 40, offers 10, acks 9, naks 1, informs 0, declines 0, releases 0, sent 20, drops 10 (wrong-server-id 7, rate-limited 3)',
    );
    expect(formatCountersText(emptyCounters())).toBe('pocket-dhcp counters: received 0, offers 0, acks 0, naks 0, informs 0, declines 0, releases 0, sent 0, drops 0');
  });

  it('JSON: kind "counters", the ISO time and every counter', () => {
    expect(JSON.parse(formatCountersJson(counters(), T0))).toEqual({
      kind: 'counters',
      at: '2026-11-23T09:00:59.998Z',
      received: 40, offers: 10, acks: 9, naks: 1, informs: 0, declines: 0, releases: 0, expired: 0, sent: 20,
      drops: { 'rate-limited': 3, 'wrong-server-id': 7, 'pool-exhausted': 0 },
    });
  });
});
