// Stall hints for the headless log (serve without --web): a device's new hint is reported once per
// MAC and hint code, from the same timelines and rules as the UI's device panel; a client that binds
// normally never costs a hint computation; the memory of what was reported is bounded.
import { describe, expect, it, vi } from 'vitest';
import * as hintsModule from '../../../src-main/devices/timeline-hints.js';
import { hintLogLine, StallHintReporter } from '../../../src-main/devices/stall-hints.js';
import { DeviceTimelines } from '../../../src-main/devices/timeline.js';
import type { EngineEvent } from '../../../src-main/dhcp/events.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';

const MAC = '02:00:5e:77:00:01';
const c = (mac: string) => ({ mac, clientId: `01:${mac}` });
const dhcp = (at: number, event: EngineEvent): ServiceEvent => ({ kind: 'dhcp', at, event });
const offer = (at: number, mac = MAC): ServiceEvent => dhcp(at, { type: 'offer', ip: '198.18.10.100', ...c(mac), subnet: '198.18.10.0/24', source: 'first-free' });
const ack = (at: number, mac = MAC): ServiceEvent =>
  dhcp(at, { type: 'ack', ip: '198.18.10.100', ...c(mac), subnet: '198.18.10.0/24', state: 'selecting', lease: { ip: '198.18.10.100', mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: at, expiresAt: at + 600_000, firstSeen: at, lastSeen: at } });
const nak = (at: number, mac = MAC): ServiceEvent => dhcp(at, { type: 'nak', ip: '10.9.9.9', ...c(mac), reason: '10.9.9.9 is not on network 198.18.10.0/24', state: 'init-reboot' });

/** Feeds events as the controller does: the timelines first, then the reporter. */
function feed(t: DeviceTimelines, r: StallHintReporter, events: ServiceEvent[]) {
  const out: { mac: string; codes: string[] }[] = [];
  for (const e of events) {
    t.observe(e);
    const found = r.check(e);
    if (found) out.push({ mac: found.mac, codes: found.hints.map((h) => h.code) });
  }
  return out;
}

describe('StallHintReporter', () => {
  it('OFFERs without a REQUEST: reported at the second, once per MAC, not again while it goes on', () => {
    const t = new DeviceTimelines();
    const r = new StallHintReporter(t);
    expect(feed(t, r, [offer(1)])).toEqual([]);
    expect(feed(t, r, [offer(2)])).toEqual([{ mac: MAC, codes: ['offers-unanswered'] }]);
    expect(feed(t, r, [offer(3), offer(4)])).toEqual([]);
    // Bound now, and stalling again later: still once per MAC and code.
    expect(feed(t, r, [ack(5), offer(6), offer(7)])).toEqual([]);
    // Another device has its own.
    expect(feed(t, r, [offer(8, '02:00:5e:77:00:02'), offer(9, '02:00:5e:77:00:02')])).toEqual([{ mac: '02:00:5e:77:00:02', codes: ['offers-unanswered'] }]);
  });

  it('a NAK loop is its own hint code; the text is the device panel\'s', () => {
    const t = new DeviceTimelines();
    const r = new StallHintReporter(t);
    t.observe(nak(1));
    expect(r.check(nak(1))).toBeUndefined();
    t.observe(nak(2));
    const found = r.check(nak(2))!;
    expect(found.hints.map((h) => h.code)).toEqual(['nak-loop']);
    expect(found.hints[0]!.text).toBe(t.timeline(MAC).hints[0]!.text);
  });

  it('a client that binds normally costs no hint computation', () => {
    const t = new DeviceTimelines();
    const r = new StallHintReporter(t);
    const spy = vi.spyOn(hintsModule, 'timelineHints');
    for (let i = 0; i < 50; i++) {
      const mac = `02:00:5e:77:01:${i.toString(16).padStart(2, '0')}`;
      expect(feed(t, r, [offer(i * 10, mac), ack(i * 10 + 1, mac), ack(i * 10 + 5, mac), offer(i * 10 + 7, mac), ack(i * 10 + 8, mac)])).toEqual([]);
    }
    expect(spy).not.toHaveBeenCalled();
    expect(r.size).toBe(0);
    // (The spy sees the reporter's calls: a stalling client does compute its hints.)
    feed(t, r, [offer(1000), offer(1001)]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('remembers at most maxDevices MACs (least recently reported forgotten first)', () => {
    const t = new DeviceTimelines();
    const r = new StallHintReporter(t, 3);
    for (let i = 0; i < 10; i++) {
      const mac = `02:00:5e:77:02:${i.toString(16).padStart(2, '0')}`;
      feed(t, r, [offer(i * 10, mac), offer(i * 10 + 1, mac)]);
    }
    expect(r.size).toBe(3);
  });

  it('log lines: text after the time, or a "hint" JSON record', () => {
    const t = new DeviceTimelines();
    const r = new StallHintReporter(t);
    feed(t, r, [offer(Date.UTC(2026, 10, 23, 10, 0, 0))]);
    t.observe(offer(Date.UTC(2026, 10, 23, 10, 0, 4)));
    const found = r.check(offer(Date.UTC(2026, 10, 23, 10, 0, 4)))!;
    expect(hintLogLine(found.mac, found.hints[0]!, found.at, false)).toMatch(/^2026-11-23T10:00:04\.000Z HINT 02:00:5e:77:00:01 2 OFFERs sent, no REQUEST: /);
    expect(JSON.parse(hintLogLine(found.mac, found.hints[0]!, found.at, true))).toEqual({
      kind: 'hint',
      at: '2026-11-23T10:00:04.000Z',
      mac: MAC,
      code: 'offers-unanswered',
      level: 'warn',
      text: expect.stringMatching(/^2 OFFERs sent, no REQUEST/),
      params: { count: 2 },
    });
  });
});

describe('DeviceTimelines.recent', () => {
  it('reads newest first without copying, also once the ring has wrapped', () => {
    const t = new DeviceTimelines({ macs: 2, entries: 3 });
    for (let i = 1; i <= 5; i++) t.observe(offer(i));
    expect([0, 1, 2, 3].map((b) => t.recent(MAC, b)?.at)).toEqual([5, 4, 3, undefined]);
    expect(t.recent('nobody', 0)).toBeUndefined();
  });
});
