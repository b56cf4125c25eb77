import { describe, expect, it } from 'vitest';
import { getOption, MessageType } from '../../../src-main/dhcp/options.js';
import { FakeClient, labConfig, replyType, World } from '../../helpers/fake-dhcp.js';

describe('engine: DORA and renewal', () => {
  it('offers from the pool and ACKs the selected address with the RFC 2131 table 3 options', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:01', { hostname: 'pi-one' });
    const offer = c.discover();
    expect(replyType(offer)).toBe(MessageType.OFFER);
    const o = offer.reply!.packet;
    expect(o.yiaddr).toMatch(/^198\.18\.10\.(1[0-4]\d|150)$/);
    expect(w.leases.byIp(o.yiaddr)).toBeUndefined(); // an OFFER is not persisted
    expect(offer.writes).toEqual([]);
    const ack = c.select(offer);
    expect(replyType(ack)).toBe(MessageType.ACK);
    const a = ack.reply!.packet;
    expect(a.yiaddr).toBe(o.yiaddr);
    expect(getOption(a.options, 54)).toBe('198.18.10.1');
    expect(getOption(a.options, 51)).toBe(600);
    expect(getOption(a.options, 58)).toBe(300);
    expect(getOption(a.options, 59)).toBe(525);
    expect(getOption(a.options, 1)).toBe('255.255.255.0');
    expect(getOption(a.options, 3)).toEqual(['198.18.10.1']);
    expect(getOption(a.options, 6)).toEqual(['198.18.10.53']);
    expect(getOption(a.options, 15)).toBe('lab.test');
    // Requested options come first, in the client's order.
    expect([...a.options.keys()].slice(0, 9)).toEqual([53, 54, 51, 58, 59, 1, 3, 6, 15]);
    expect(ack.reply!.destination).toEqual({ address: '255.255.255.255', port: 68, rule: 'broadcast-flag' });
    const lease = w.leases.byIp(a.yiaddr)!;
    expect(lease).toMatchObject({ state: 'bound', mac: '02:00:00:00:00:01', hostname: 'pi-one', clientId: '01:02:00:00:00:00:01' });
    expect(lease.expiresAt - w.now).toBe(600_000);
  });

  it('renews by unicast to ciaddr and rebinds by broadcast, extending the lease', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:02');
    c.dora();
    const ip = c.ip!;
    w.advance(300);
    const renew = c.renew();
    expect(replyType(renew)).toBe(MessageType.ACK);
    expect(renew.reply!.packet.ciaddr).toBe(ip);
    expect(renew.reply!.destination).toEqual({ address: ip, port: 68, rule: 'ciaddr' });
    expect(renew.events[0]).toMatchObject({ type: 'ack', state: 'renewing' });
    expect(w.leases.byIp(ip)!.expiresAt).toBe(w.now + 600_000);
    w.advance(530);
    const rebind = c.rebind();
    expect(replyType(rebind)).toBe(MessageType.ACK);
    expect(rebind.reply!.packet.yiaddr).toBe(ip);
  });

  it('a returning client gets its old address back after expiry (stickiness)', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:03');
    c.dora();
    const ip = c.ip!;
    w.advance(601);
    expect(w.sweep().events).toEqual([expect.objectContaining({ type: 'expire', ip })]);
    expect(w.leases.byIp(ip)!.state).toBe('expired');
    // Another client arrives and must not take the remembered address while others are free.
    const other = new FakeClient(w, '02:00:00:00:00:04', { extra: (p) => p });
    other.dora(ip);
    expect(other.ip).toBe(ip); // …unless it explicitly asks for it (option 50), which is allowed
    const c2 = new FakeClient(w, '02:00:00:00:00:05');
    c2.dora();
    w.advance(601);
    w.sweep();
    const back = c2.dora();
    expect(back.reply!.packet.yiaddr).toBe(c2.ip);
  });
});

describe('engine: NAK rules (RFC 2131 §4.3.2)', () => {
  it('NAKs INIT-REBOOT for an address on the wrong network, broadcast', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:10');
    const d = c.initReboot('10.1.2.3');
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.reply!.destination.address).toBe('255.255.255.255');
    expect(d.reply!.packet.yiaddr).toBe('0.0.0.0');
    expect([...d.reply!.packet.options.keys()]).toEqual([53, 54, 56]);
  });

  it('NAKs INIT-REBOOT for an address leased to another client', () => {
    const w = new World();
    const a = new FakeClient(w, '02:00:00:00:00:11');
    a.dora();
    const b = new FakeClient(w, '02:00:00:00:00:12');
    expect(replyType(b.initReboot(a.ip))).toBe(MessageType.NAK);
  });

  it('stays silent on INIT-REBOOT without a record when not authoritative', () => {
    const w = new World(labConfig({ authoritative: false }));
    const c = new FakeClient(w, '02:00:00:00:00:13');
    const d = c.initReboot('198.18.10.120');
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe('no-record');
  });

  it('drops a SELECTING request for another server and frees its offer', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:14');
    const offer = c.discover();
    const d = c.select(offer, '198.18.10.254');
    expect(d.drop).toBe('wrong-server-id');
    expect(w.engine.holds.size).toBe(0);
  });
});

describe('engine: DECLINE, RELEASE, INFORM, exhaustion, relay', () => {
  it('DECLINE quarantines the address; the client gets another one', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:20');
    c.dora();
    const bad = c.ip!;
    const d = c.decline(bad);
    expect(d.reply).toBeUndefined();
    expect(d.events[0]).toMatchObject({ type: 'decline', ip: bad });
    expect(w.leases.byIp(bad)!.state).toBe('declined');
    const again = c.dora();
    expect(replyType(again)).toBe(MessageType.ACK);
    expect(c.ip).not.toBe(bad);
    const other = new FakeClient(w, '02:00:00:00:00:21');
    expect(replyType(other.initReboot(bad))).toBe(MessageType.NAK);
  });

  it('RELEASE frees the address but remembers the client', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:22');
    c.dora();
    const ip = c.ip!;
    expect(c.release().events[0]).toMatchObject({ type: 'release', ip });
    expect(w.leases.byIp(ip)!.state).toBe('released');
    expect(c.dora().reply!.packet.yiaddr).toBe(ip);
  });

  it('INFORM is ACKed without yiaddr and without lease time, unicast to ciaddr', () => {
    const w = new World();
    const c = new FakeClient(w, '02:00:00:00:00:23');
    const d = c.inform('198.18.10.7');
    expect(replyType(d)).toBe(MessageType.ACK);
    const p = d.reply!.packet;
    expect(p.yiaddr).toBe('0.0.0.0');
    expect(p.options.has(51)).toBe(false);
    expect(p.options.has(58)).toBe(false);
    expect(getOption(p.options, 3)).toEqual(['198.18.10.1']);
    expect(d.reply!.destination).toMatchObject({ address: '198.18.10.7', rule: 'ciaddr' });
  });

  it('reports pool exhaustion as an event and a counted drop', () => {
    const w = new World(labConfig({ subnets: [labConfig().subnets[0]!].map((s) => ({ ...s, rangeEnd: s.rangeStart + 1 })) }));
    new FakeClient(w, '02:00:00:00:00:30').dora();
    new FakeClient(w, '02:00:00:00:00:31').dora();
    const d = new FakeClient(w, '02:00:00:00:00:32').discover();
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe('pool-exhausted');
    expect(d.events[0]).toMatchObject({ type: 'pool-exhausted', subnet: '198.18.10.0/24' });
  });

  it('serves a relayed client from the giaddr subnet, replies to giaddr:67 and echoes option 82', () => {
    const cfg = labConfig();
    const relayed = { ...cfg.subnets[0]!, id: '198.18.50.0/24', cidr: { network: 0xc6123200, prefix: 24, mask: 0xffffff00 }, rangeStart: 0xc6123264, rangeEnd: 0xc612326e };
    const w = new World(labConfig({ subnets: [cfg.subnets[0]!, relayed] }));
    const agent = Uint8Array.from([1, 4, 0, 0, 0, 7, 2, 2, 0xab, 0xcd]);
    const c = new FakeClient(w, '02:00:00:00:00:40', { giaddr: '198.18.50.1', extra: (p) => p.options.set(82, agent) });
    const offer = c.discover();
    expect(offer.reply!.packet.yiaddr).toMatch(/^198\.18\.50\./);
    expect(offer.reply!.destination).toEqual({ address: '198.18.50.1', port: 67, rule: 'relay' });
    expect([...offer.reply!.packet.options.keys()].at(-1)).toBe(82);
    expect(offer.reply!.packet.options.get(82)).toEqual(agent);
    const ack = c.select(offer);
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(w.leases.byIp(c.ip!)).toMatchObject({ relay: '198.18.50.1', circuitId: '00000007', remoteId: 'abcd' });
  });
});
