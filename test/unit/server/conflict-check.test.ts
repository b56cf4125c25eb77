// DhcpService with the conflict check on, over a fake ARP link: a fresh OFFER waits for the probe,
// an address that answers is quarantined and the next one offered, REQUESTs are never delayed,
// and a relayed DISCOVER is not probed (ARP cannot reach another link).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decode } from '../../../src-main/dhcp/codec.js';
import { getOption } from '../../../src-main/dhcp/options.js';
import { LeaseStore } from '../../../src-main/leases/lease-store.js';
import type { ArpMessage } from '../../../src-main/net/arp-packet.js';
import { ArpProber } from '../../../src-main/net/arp-probe.js';
import type { ArpTransport } from '../../../src-main/net/arp-socket.js';
import { DhcpService, type ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import { labConfig } from '../../helpers/fake-dhcp.js';
import { clientMessage, MemoryTransport, MessageType, setOption, until } from '../../helpers/memory-transport.js';

const HOLDER = 'aa:bb:cc:00:00:05';

class FakeLink implements ArpTransport {
  readonly ifname = 'test0';
  readonly mac = '02:00:00:00:00:01';
  sent: string[] = [];
  held = new Set<string>();
  private l = new Set<(m: ArpMessage) => void>();
  sendProbe(ip: string) {
    this.sent.push(ip);
    if (this.held.has(ip)) setTimeout(() => this.l.forEach((f) => f({ op: 2, senderMac: HOLDER, senderIp: ip, targetMac: this.mac, targetIp: '0.0.0.0' })), 1);
  }
  onArp(cb: (m: ArpMessage) => void) {
    this.l.add(cb);
    return () => this.l.delete(cb);
  }
  isHealthy() {
    return true;
  }
  close() {}
}

const dirs: string[] = [];
const services: DhcpService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pd-cc-'));
  dirs.push(dir);
  const store = await LeaseStore.open(dir);
  const transport = new MemoryTransport();
  const link = new FakeLink();
  const prober = new ArpProber({ open: async () => link, timeoutMs: 120 });
  const svc = await DhcpService.start({ config: labConfig(), repository: store, openTransport: async () => transport, conflictCheck: { state: 'on', prober }, sweepIntervalMs: 60_000 });
  services.push(svc);
  const events: ServiceEvent[] = [];
  svc.on((e) => events.push(e));
  return { transport, link, svc, events, store };
}

const offers = (t: MemoryTransport) => t.sent.map((s) => decode(s.buf)).filter((p) => getOption(p.options, 53) === MessageType.OFFER);

describe('conflict check in the service', () => {
  it('delays a fresh OFFER by the probe, then offers; the REQUEST that follows is answered at once', async () => {
    const { transport, link, svc } = await setup();
    const t0 = performance.now();
    transport.deliver(clientMessage(MessageType.DISCOVER, 1));
    expect(offers(transport)).toHaveLength(0);
    await until(() => offers(transport).length === 1, 2000, 'OFFER');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    const ip = offers(transport)[0]!.yiaddr;
    expect(link.sent).toContain(ip);
    const probes = link.sent.length;
    transport.deliver(clientMessage(MessageType.REQUEST, 1, (p) => {
      setOption(p.options, 50, ip);
      setOption(p.options, 54, '198.18.10.1');
    }));
    await until(() => transport.sent.length === 2, 500, 'ACK');
    expect(link.sent.length).toBe(probes); // no probe for the REQUEST
    // The same client again (its own address): no probe, no wait.
    transport.deliver(clientMessage(MessageType.DISCOVER, 1));
    await until(() => offers(transport).length === 2, 50, 'second OFFER at once');
    expect(link.sent.length).toBe(probes);
    expect(svc.conflictCheckStatus()).toMatchObject({ state: 'on', timeoutMs: 120, stats: { probes: 1, conflicts: 0 } });
  });

  it('an address that answers is quarantined with the MAC that answered, and the next one is offered', async () => {
    const { transport, link, events, store } = await setup();
    // Learn the client's first candidate, then make it (and the next two) "held" by a device.
    transport.deliver(clientMessage(MessageType.DISCOVER, 2));
    await until(() => offers(transport).length === 1, 2000, 'OFFER');
    const first = offers(transport)[0]!.yiaddr;
    const { transport: t2, link: l2, events: ev2, store: s2 } = await setup();
    l2.held.add(first);
    t2.deliver(clientMessage(MessageType.DISCOVER, 2));
    await until(() => offers(t2).length === 1, 2000, 'OFFER after conflict');
    const second = offers(t2)[0]!.yiaddr;
    expect(second).not.toBe(first);
    const c = ev2.find((e) => e.kind === 'dhcp' && e.event.type === 'conflict');
    expect(c && c.kind === 'dhcp' && c.event).toMatchObject({ type: 'conflict', ip: first, inUseBy: HOLDER, source: 'probe' });
    expect(s2.view.byIp(first)).toMatchObject({ state: 'declined', mac: HOLDER });
    void link;
    void events;
    void store;
  });

  it('gives up on a DISCOVER after four addresses in use (counted), and never probes a relayed one', async () => {
    const { transport, link, svc } = await setup();
    for (let i = 100; i <= 150; i++) link.held.add(`198.18.10.${i}`);
    transport.deliver(clientMessage(MessageType.DISCOVER, 3));
    await until(() => (svc.counters.drops['address-conflicts'] ?? 0) === 1, 3000, 'drop');
    expect(offers(transport)).toHaveLength(0);
    expect(svc.conflictCheckStatus().stats?.conflicts).toBe(4);
    const before = link.sent.length;
    transport.deliver(clientMessage(MessageType.DISCOVER, 4, (p) => (p.giaddr = '198.18.10.1')), '198.18.10.1', 67);
    await new Promise((r) => setTimeout(r, 20));
    expect(link.sent.length).toBe(before);
  });
});
