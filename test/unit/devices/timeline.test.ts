// The per-device timeline tracker: service events → entries, bounded in devices (LRU) and entries.
import { describe, expect, it } from 'vitest';
import { DeviceTimelines, timelineEntryOf } from '../../../src-main/devices/timeline.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';

const MAC = 'aa:bb:cc:00:00:01';
const pkt = (type: string, at: number, mac = MAC, direction: 'in' | 'out' = 'in'): ServiceEvent => ({ kind: 'packet', at, packet: { direction, type, mac, xid: 1, peer: '0.0.0.0:68', size: 300 } });

describe('timeline entries from service events', () => {
  it('client DISCOVER/REQUEST from packets; OFFER/ACK/NAK/drops from the engine; replies and other packets ignored', () => {
    expect(timelineEntryOf(pkt('DHCPDISCOVER', 1))).toEqual({ mac: MAC, entry: { at: 1, kind: 'discover' } });
    expect(timelineEntryOf(pkt('DHCPREQUEST', 2))?.entry.kind).toBe('request');
    expect(timelineEntryOf(pkt('DHCPOFFER', 3, MAC, 'out'))).toBeUndefined();
    expect(timelineEntryOf(pkt('DHCPDECLINE', 3))).toBeUndefined(); // the engine's decline event has the address
    expect(timelineEntryOf({ kind: 'dhcp', at: 4, event: { type: 'offer', ip: '198.18.0.9', mac: MAC, clientId: 'x', subnet: 's', source: 'pool' } })?.entry).toEqual({ at: 4, kind: 'offer', ip: '198.18.0.9' });
    expect(timelineEntryOf({ kind: 'dhcp', at: 5, event: { type: 'nak', ip: '10.0.0.1', mac: MAC, clientId: 'x', reason: 'r', state: 'init-reboot' } })?.entry).toEqual({ at: 5, kind: 'nak', ip: '10.0.0.1', state: 'init-reboot', detail: 'r' });
    expect(timelineEntryOf({ kind: 'dhcp', at: 6, event: { type: 'drop', reason: 'wrong-server-id', mac: MAC, detail: 'selected 198.18.0.2' } })?.entry).toEqual({ at: 6, kind: 'drop', reason: 'wrong-server-id', detail: 'selected 198.18.0.2' });
    expect(timelineEntryOf({ kind: 'dhcp', at: 7, event: { type: 'drop', reason: 'decode-error' } })).toBeUndefined();
    expect(timelineEntryOf({ kind: 'warning', at: 8, code: 'x', message: 'y' })).toBeUndefined();
  });
});

describe('DeviceTimelines', () => {
  it('keeps the newest entries per device, oldest first, and says when it dropped some', () => {
    const t = new DeviceTimelines({ macs: 10, entries: 3 });
    for (let i = 1; i <= 5; i++) t.observe(pkt('DHCPDISCOVER', i));
    expect(t.entries(MAC).map((e) => e.at)).toEqual([3, 4, 5]);
    expect(t.timeline(MAC).truncated).toBe(true);
  });

  it('forgets the least recently active device first', () => {
    const t = new DeviceTimelines({ macs: 2, entries: 10 });
    t.observe(pkt('DHCPDISCOVER', 1, 'a'));
    t.observe(pkt('DHCPDISCOVER', 2, 'b'));
    t.observe(pkt('DHCPDISCOVER', 3, 'a')); // a is now the most recent
    t.observe(pkt('DHCPDISCOVER', 4, 'c')); // evicts b
    expect(t.entries('b')).toEqual([]);
    expect(t.entries('a').length).toBe(2);
    expect(t.size).toBe(2);
  });

  it('reports changed MACs once, and builds hints and identity', () => {
    const t = new DeviceTimelines();
    for (let i = 0; i < 3; i++) {
      t.observe(pkt('DHCPDISCOVER', i * 10));
      t.observe({ kind: 'dhcp', at: i * 10 + 1, event: { type: 'offer', ip: '198.18.0.9', mac: MAC, clientId: 'x', subnet: 's', source: 'pool' } });
    }
    expect(t.takeChanged()).toEqual([MAC]);
    expect(t.takeChanged()).toEqual([]);
    const tl = t.timeline(MAC, { paramRequest: [1, 3, 6] });
    expect(tl.hints.map((h) => h.code)).toEqual(['offers-unanswered']);
    expect(tl.identity).toEqual({ randomMac: true, fingerprint: '1,3,6' }); // 0xaa has the locally administered bit
  });
});
