// The one-click pool sweep through the controller (pool.sweep): the configured interface and range,
// ARP probes over the openArp hook (a fake link that answers for a few addresses), each answer
// classified against the lease store and the saved reservations, a log line, one sweep at a time,
// and clear refusals when there is nothing to sweep or no packet socket.
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import type { ArpMessage } from '../../../src-main/net/arp-packet.js';
import type { ArpTransport } from '../../../src-main/net/arp-socket.js';
import { controllerLab, TEST_DRAFT } from '../../helpers/controller-lab.js';
import { until } from '../../helpers/memory-transport.js';

const OURS = '02:00:00:00:00:01';
const STATIC = '02:00:00:00:00:05';
const RESERVED_FOR = '02:00:00:00:00:aa';
const INTRUDER = '02:00:00:00:00:bb';

/** An ARP link on which some addresses have a device: `answers` maps address → the MAC that replies. */
class FakeLink implements ArpTransport {
  readonly ifname = 'test0';
  readonly mac = '02:00:00:00:00:fe';
  probed: string[] = [];
  closed = false;
  private listeners = new Set<(m: ArpMessage) => void>();
  constructor(private readonly answers: Record<string, string>) {}
  sendProbe(ip: string): void {
    this.probed.push(ip);
    const mac = this.answers[ip];
    if (mac) setTimeout(() => this.listeners.forEach((f) => f({ op: 2, senderMac: mac, senderIp: ip, targetMac: this.mac, targetIp: '0.0.0.0' })), 2);
  }
  onArp(cb: (m: ArpMessage) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  isHealthy(): boolean {
    return true;
  }
  close(): void {
    this.closed = true;
  }
}

const lab = controllerLab('pd-ctl-sweep-');
const H = 3_600_000;
const lease = (ip: string, mac: string, over: Partial<Lease> = {}): Lease => {
  const now = Date.now();
  return { ip, mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: now - H, expiresAt: now + H, firstSeen: now - H, lastSeen: now - H, hostname: 'pi', ...over };
};

describe('controller.sweepPool', () => {
  it('probes the configured range on the configured interface and classifies every answer', async () => {
    const link = new FakeLink({ '198.18.10.100': OURS, '198.18.10.105': STATIC, '198.18.10.110': INTRUDER, '198.18.10.120': '02:00:00:00:00:0e' });
    const opened: string[] = [];
    const { c, of } = await lab.setup({
      openArp: async (ifname) => {
        opened.push(ifname);
        return link;
      },
    });
    await c.saveSettings({ ...TEST_DRAFT, reservations: [{ mac: RESERVED_FOR, ip: '198.18.10.110', hostname: 'cam' }] });
    await c.store.apply([lease('198.18.10.100', OURS), lease('198.18.10.120', '02:00:00:00:00:0e', { state: 'expired', expiresAt: Date.now() - 1000 })]);

    const r = await c.sweepPool({ ratePerSecond: 200 });
    expect(opened).toEqual(['test0']);
    expect(link.closed).toBe(true);
    // Every address of 198.18.10.100-198.18.10.150, once, in order.
    expect(link.probed).toHaveLength(51);
    expect(link.probed[0]).toBe('198.18.10.100');
    expect(link.probed[50]).toBe('198.18.10.150');
    expect(r).toMatchObject({ interface: 'test0', range: '198.18.10.100-198.18.10.150', probed: 51, ratePerSecond: 200 });
    expect(r.hits.map((h) => [h.ip, h.mac, h.kind, h.noteCode])).toEqual([
      ['198.18.10.100', OURS, 'ours', 'leased-ours'],
      ['198.18.10.105', STATIC, 'static', 'static'],
      ['198.18.10.110', INTRUDER, 'conflict', 'reserved-conflict'],
      ['198.18.10.120', '02:00:00:00:00:0e', 'static', 'lease-ended'],
    ]);
    expect(r.hits[0]).toMatchObject({ hostname: 'pi', note: 'leased to this device (pi)' });
    expect(r.hits[2]).toMatchObject({ expectedMac: RESERVED_FOR, hostname: 'cam' });
    expect(r.hits[3]).toMatchObject({ leaseState: 'expired' });

    // The log says what was found, the devices not leased by us by name.
    const lines = c.recentLog().map((e) => e.text);
    expect(lines).toContainEqual(`SWEEP 198.18.10.100-198.18.10.150 on test0: 4 of 51 address(es) in use, 3 not leased by us: 198.18.10.105 (${STATIC}), 198.18.10.110 (${INTRUDER}), 198.18.10.120 (02:00:00:00:00:0e)`);
    await until(() => of('log').flat().some((e) => e.kind === 'conflict' && e.level === 'warn' && e.text.startsWith('SWEEP ')), 2000, 'the SWEEP line pushed to the UI');
  });

  it('an explicit interface and range win; one sweep at a time; a second one after it is fine', async () => {
    const links: FakeLink[] = [];
    const { c } = await lab.setup({
      openArp: async () => {
        const l = new FakeLink({ '198.18.10.201': STATIC });
        links.push(l);
        return l;
      },
    });
    await c.saveSettings(TEST_DRAFT);
    const first = c.sweepPool({ interface: 'test0', range: '198.18.10.200 - 198.18.10.203', ratePerSecond: 200 });
    await expect(c.sweepPool({ range: '198.18.10.200-198.18.10.201' })).rejects.toThrow('a sweep is already running — wait for its result');
    const r = await first;
    expect(r).toMatchObject({ range: '198.18.10.200-198.18.10.203', probed: 4, hits: [{ ip: '198.18.10.201', kind: 'static' }] });
    expect(links[0]!.probed).toEqual(['198.18.10.200', '198.18.10.201', '198.18.10.202', '198.18.10.203']);
    // Only the first sweep opened a socket; the refused one did not.
    expect(links).toHaveLength(1);
    await expect(c.sweepPool({ range: '198.18.10.210-198.18.10.210', ratePerSecond: 200 })).resolves.toMatchObject({ probed: 1, hits: [] });
  });

  it('says what is missing: no interface, no range, a bad range, no packet socket', async () => {
    const { c } = await lab.setup({
      openArp: async () => {
        throw new Error('ARP probes need CAP_NET_RAW (run as root or grant the capability)');
      },
    });
    await expect(c.sweepPool()).rejects.toThrow('choose an interface first (Settings → Interface)');
    await c.saveSettings({ interface: 'test0' });
    await expect(c.sweepPool()).rejects.toThrow('enter an address range first (Settings → Range)');
    await c.saveSettings(TEST_DRAFT);
    await expect(c.sweepPool({ range: '198.18.10.9-198.18.10.1' })).rejects.toThrow('"198.18.10.9-198.18.10.1" ends before it starts');
    await expect(c.sweepPool()).rejects.toThrow(/CAP_NET_RAW/);
    // A failed sweep does not leave the controller thinking one is still running.
    await expect(c.sweepPool()).rejects.toThrow(/CAP_NET_RAW/);
  });
});
