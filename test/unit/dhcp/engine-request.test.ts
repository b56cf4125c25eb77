// RFC 2131 §4.3.2 DHCPREQUEST, per client state: SELECTING, INIT-REBOOT, RENEWING, REBINDING —
// when to ACK, when to NAK, when to stay silent — and the lease/T1/T2 times of §4.4.5.
import { describe, expect, it } from 'vitest';
import { FLAG_BROADCAST } from '../../../src-main/dhcp/packet.js';
import { getOption, MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { INFINITE_LEASE } from '../../../src-main/dhcp/policy.js';
import { FakeClient, labConfig, replyCodes, replyType, subnet, worldFactory } from '../../helpers/fake-dhcp.js';

const world = worldFactory();
const lab = labConfig().subnets[0]!;
const relayedNet = subnet('198.18.50.0/24', '198.18.50.100-198.18.50.150');
const twoNets = () => labConfig({ subnets: [lab, relayedNet] });

describe('REQUEST in SELECTING (server identifier present)', () => {
  it('ACKs the offered address and records the binding', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:01:01');
    const offer = c.discover();
    const ack = c.select(offer);
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(ack.reply!.packet.yiaddr).toBe(offer.reply!.packet.yiaddr);
    expect(ack.events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'selecting' }));
    expect(ack.writes).toEqual([expect.objectContaining({ ip: offer.reply!.packet.yiaddr, state: 'bound' })]);
    expect(w.engine.holds.size).toBe(0); // the hold became a lease
  });

  it('NAKs when the address was leased to someone else meanwhile', () => {
    const w = world(labConfig({ offerHoldSeconds: 5 }));
    const a = new FakeClient(w, '02:00:00:00:01:02');
    const offer = a.discover('198.18.10.140');
    w.advance(6); // a's hold lapses while it dawdles
    const b = new FakeClient(w, '02:00:00:00:01:03');
    b.dora('198.18.10.140');
    expect(b.ip).toBe('198.18.10.140');
    const nak = a.select(offer);
    expect(replyType(nak)).toBe(MessageType.NAK);
    expect(nak.events).toContainEqual(expect.objectContaining({ type: 'nak', state: 'selecting', ip: '198.18.10.140', reason: expect.stringContaining('leased to another client') }));
    expect(nak.reply!.packet.yiaddr).toBe('0.0.0.0');
    expect(w.leases.byIp('198.18.10.140')!.clientId).toBe(b.world.leases.byIp('198.18.10.140')!.clientId);
  });

  it('drops a REQUEST for another server and releases our offer at once', () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:01:04');
    const offer = a.discover();
    const ip = offer.reply!.packet.yiaddr;
    expect(w.engine.holds.onIp(ip, w.now)).toBeDefined();
    const d = a.select(offer, '198.18.10.2');
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe('wrong-server-id');
    expect(d.events).toEqual([expect.objectContaining({ type: 'drop', reason: 'wrong-server-id', detail: 'selected 198.18.10.2' })]);
    expect(w.engine.holds.onIp(ip, w.now)).toBeUndefined();
    expect(new FakeClient(w, '02:00:00:00:01:05').discover(ip).reply!.packet.yiaddr).toBe(ip);
  });

  it('drops a SELECTING REQUEST without a requested address (option 50) as malformed', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:01:06');
    c.discover();
    const d = c.send(MessageType.REQUEST, (p) => setOption(p.options, 54, '198.18.10.1'));
    expect(d.drop).toBe('request-missing-address');
    expect(d.reply).toBeUndefined();
  });

  it('drops a REQUEST whose server identifier is malformed', () => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:01:07').send(MessageType.REQUEST, (p) => {
      p.options.set(54, Uint8Array.of(198, 18, 10));
      setOption(p.options, 50, '198.18.10.120');
    });
    expect(d.drop).toBe('malformed-option');
    expect(d.events[0]).toMatchObject({ type: 'drop', reason: 'malformed-option', detail: expect.stringContaining('option 54') });
  });
});

describe('REQUEST in INIT-REBOOT (no server identifier, ciaddr 0, option 50)', () => {
  it('ACKs a client that reboots with the address it holds', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:02:01');
    c.dora();
    const ip = c.ip!;
    w.advance(100);
    const d = c.initReboot(ip);
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(d.reply!.packet.yiaddr).toBe(ip);
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'init-reboot' }));
    expect(w.leases.byIp(ip)!.expiresAt).toBe(w.now + 600_000);
  });

  it('NAKs (broadcast) an address on the wrong network — the client moved', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:02:02');
    const d = c.initReboot('192.168.1.50');
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ type: 'nak', state: 'init-reboot', reason: expect.stringContaining('not on network 198.18.10.0/24') });
    expect(d.reply!.destination).toEqual({ address: '255.255.255.255', port: 68, rule: 'nak-broadcast' });
    // An address of one of our *other* (relayed) networks is the wrong network here as well.
    const w2 = world(twoNets());
    expect(replyType(new FakeClient(w2, '02:00:00:00:02:02').initReboot('198.18.50.120'))).toBe(MessageType.NAK);
  });

  it("NAKs another client's address", () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:02:03');
    a.dora();
    const d = new FakeClient(w, '02:00:00:00:02:04').initReboot(a.ip);
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ reason: expect.stringContaining('leased to another client') });
    expect(w.leases.byIp(a.ip!)!.clientId).toBe('01:02:00:00:00:02:03');
  });

  it('NAKs an address the client asks for when it holds a different live lease', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:02:05');
    c.dora('198.18.10.120');
    const d = c.initReboot('198.18.10.121');
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ reason: expect.stringContaining("this client's lease is 198.18.10.120") });
  });

  it('NAKs a quarantined (declined) address and a reserved one', () => {
    const w = world(labConfig({ reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.125' }] }));
    const a = new FakeClient(w, '02:00:00:00:02:06');
    a.dora('198.18.10.124');
    a.decline('198.18.10.124');
    const b = new FakeClient(w, '02:00:00:00:02:07');
    expect(replyType(b.initReboot('198.18.10.124'))).toBe(MessageType.NAK);
    expect(replyType(b.initReboot('198.18.10.125'))).toBe(MessageType.NAK);
  });

  it('steers a reserved client away from a pool address to its reservation', () => {
    const w = world(labConfig({ reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }] }));
    const c = new FakeClient(w, '02:00:00:00:00:aa');
    const d = c.initReboot('198.18.10.120');
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ reason: expect.stringContaining('reservation for 198.18.10.20') });
    c.dora();
    expect(c.ip).toBe('198.18.10.20');
  });

  it('authoritative: re-grants a free address it has no record of (the lease file was lost)', () => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:02:08').initReboot('198.18.10.122');
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(w.leases.byIp('198.18.10.122')).toMatchObject({ state: 'bound', mac: '02:00:00:00:02:08' });
  });

  it('authoritative: NAKs an address of our subnet that is outside the pool', () => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:02:09').initReboot('198.18.10.20');
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ reason: expect.stringContaining('outside the address pool') });
  });

  it('not authoritative: silent about clients it has no record of, even on the wrong network', () => {
    const w = world(labConfig({ authoritative: false }));
    const c = new FakeClient(w, '02:00:00:00:02:10');
    for (const ip of ['198.18.10.122', '198.18.10.20', '10.1.2.3']) {
      const d = c.initReboot(ip);
      expect(d.reply, ip).toBeUndefined();
      expect(d.drop, ip).toBe('no-record');
    }
  });

  it('not authoritative: still ACKs and NAKs clients it knows', () => {
    const w = world(labConfig({ authoritative: false }));
    const c = new FakeClient(w, '02:00:00:00:02:11');
    c.dora();
    const ip = c.ip!;
    expect(replyType(c.initReboot(ip))).toBe(MessageType.ACK);
    expect(replyType(c.initReboot('10.1.2.3'))).toBe(MessageType.NAK); // it moved: we know it, we tell it
  });

  it('drops an INIT-REBOOT without option 50', () => {
    const w = world();
    expect(new FakeClient(w, '02:00:00:00:02:12').initReboot(undefined).drop).toBe('request-missing-address');
  });
});

describe('REQUEST in RENEWING (unicast, ciaddr set)', () => {
  it('ACKs by unicast to ciaddr, extends the lease, sends T1 = ½ and T2 = ⅞ of the lease', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:03:01');
    c.dora();
    const ip = c.ip!;
    w.advance(300);
    const d = c.renew();
    expect(replyType(d)).toBe(MessageType.ACK);
    const p = d.reply!.packet;
    expect(p.yiaddr).toBe(ip);
    expect(p.ciaddr).toBe(ip);
    expect(d.reply!.destination).toEqual({ address: ip, port: 68, rule: 'ciaddr' });
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'renewing' }));
    expect(getOption(p.options, 51)).toBe(600);
    expect(getOption(p.options, 58)).toBe(300);
    expect(getOption(p.options, 59)).toBe(525);
    const lease = w.leases.byIp(ip)!;
    expect(lease.expiresAt).toBe(w.now + 600_000);
    expect(lease.startsAt).toBe(w.now);
    expect(lease.firstSeen).toBe(w.now - 300_000);
  });

  it('sends configured renewal and rebinding times', () => {
    const w = world(labConfig({ subnets: [{ ...lab, leaseTime: 7200, renewalTime: 1800, rebindingTime: 5400 }] }));
    const c = new FakeClient(w, '02:00:00:00:03:02');
    const ack = c.dora();
    expect(getOption(ack.reply!.packet.options, 51)).toBe(7200);
    expect(getOption(ack.reply!.packet.options, 58)).toBe(1800);
    expect(getOption(ack.reply!.packet.options, 59)).toBe(5400);
    const offer = c.discover();
    expect(getOption(offer.reply!.packet.options, 58)).toBe(1800);
  });

  it('an infinite lease (0xffffffff) has no T1/T2 and never expires', () => {
    const w = world(labConfig({ subnets: [{ ...lab, leaseTime: INFINITE_LEASE, renewalTime: 100 }] }));
    const c = new FakeClient(w, '02:00:00:00:03:03');
    const ack = c.dora();
    const codes = replyCodes(ack);
    expect(getOption(ack.reply!.packet.options, 51)).toBe(0xffffffff);
    expect(codes).not.toContain(58);
    expect(codes).not.toContain(59);
    w.advance(10 * 365 * 86400);
    expect(w.sweep().writes).toEqual([]);
    expect(w.leases.byIp(c.ip!)!.state).toBe('bound');
    expect(replyType(c.renew())).toBe(MessageType.ACK);
  });

  it('renews a relayed client that unicasts straight to us (no giaddr): its subnet comes from ciaddr', () => {
    const w = world(twoNets());
    const c = new FakeClient(w, '02:00:00:00:03:04', { giaddr: '198.18.50.1' });
    c.dora();
    expect(c.ip).toMatch(/^198\.18\.50\./);
    const d = c.renew();
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(d.reply!.destination).toEqual({ address: c.ip, port: 68, rule: 'ciaddr' });
  });

  it('re-binds an expired lease nobody took; NAKs one that went to someone else', () => {
    const w = world(labConfig({ subnets: [{ ...lab, rangeEnd: lab.rangeStart }] }));
    const a = new FakeClient(w, '02:00:00:00:03:05');
    a.dora();
    const ip = a.ip!;
    w.advance(700);
    w.sweep();
    expect(replyType(a.renew())).toBe(MessageType.ACK);
    w.advance(700);
    w.sweep();
    const b = new FakeClient(w, '02:00:00:00:03:06');
    b.dora();
    expect(b.ip).toBe(ip);
    a.ip = ip;
    const d = a.renew();
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.reply!.destination.address).toBe('255.255.255.255'); // NAKs are broadcast (§4.1)
  });

  it('drops a renewal for an address in no subnet of ours', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:03:07');
    c.ip = '10.9.9.9';
    const d = c.renew();
    expect(d.drop).toBe('not-our-subnet');
  });

  it('not authoritative: silent about a renewal it has no record of', () => {
    const w = world(labConfig({ authoritative: false }));
    const c = new FakeClient(w, '02:00:00:00:03:08');
    c.ip = '198.18.10.140';
    expect(c.renew().drop).toBe('no-record');
  });

  it('one binding per client: an old, not yet swept binding is closed when another address is granted', () => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:03:11');
    d.dora('198.18.10.130');
    w.advance(601); // expired, but sweep() has not run yet: the record still says 'bound'
    const ack = d.initReboot('198.18.10.131');
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(ack.writes.map((l) => [l.ip, l.state])).toEqual([
      ['198.18.10.131', 'bound'],
      ['198.18.10.130', 'expired'],
    ]);
    expect(w.leases.byIp('198.18.10.130')!.expiresAt).toBeLessThanOrEqual(w.now);
  });
});

describe('REQUEST in REBINDING (broadcast, ciaddr set)', () => {
  it('ACKs a rebinding client on the local link (reply to ciaddr)', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:04:01');
    c.dora();
    w.advance(530);
    const d = c.rebind();
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(d.reply!.destination).toEqual({ address: c.ip, port: 68, rule: 'ciaddr' });
  });

  it('through a relay: classified as rebinding, ACKed to the relay', () => {
    const w = world(twoNets());
    const c = new FakeClient(w, '02:00:00:00:04:02', { giaddr: '198.18.50.1' });
    c.dora();
    const d = c.rebind();
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'rebinding' }));
    expect(d.reply!.destination).toEqual({ address: '198.18.50.1', port: 67, rule: 'relay' });
  });

  it('through a relay: a NAK goes to the relay with the broadcast bit set (§4.3.2)', () => {
    const w = world(twoNets());
    const a = new FakeClient(w, '02:00:00:00:04:03', { giaddr: '198.18.50.1' });
    a.dora();
    const b = new FakeClient(w, '02:00:00:00:04:04', { giaddr: '198.18.50.1', broadcast: false });
    b.ip = a.ip;
    const d = b.send(MessageType.REQUEST, (p) => {
      p.ciaddr = a.ip!;
      p.flags = 0;
    });
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ type: 'nak', state: 'rebinding' });
    expect(d.reply!.destination).toEqual({ address: '198.18.50.1', port: 67, rule: 'relay' });
    expect(d.reply!.packet.flags & FLAG_BROADCAST).toBe(FLAG_BROADCAST);
    expect(d.reply!.packet.giaddr).toBe('198.18.50.1');
  });

  it('through a relay: a ciaddr that is not on the relay\'s network is NAKed (the client moved)', () => {
    const w = world(twoNets());
    const c = new FakeClient(w, '02:00:00:00:04:05');
    c.dora(); // on the local network
    const moved = new FakeClient(w, '02:00:00:00:04:05', { giaddr: '198.18.50.1' });
    moved.ip = c.ip;
    const d = moved.rebind();
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ reason: expect.stringContaining('not on network 198.18.50.0/24') });
  });

  it('a local broadcast with ciaddr is REBINDING; the same REQUEST unicast to us is RENEWING', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:04:07');
    c.dora();
    w.advance(530);
    expect(c.rebind().events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'rebinding', ip: c.ip }));
    expect(c.renew().events).toContainEqual(expect.objectContaining({ type: 'ack', state: 'renewing', ip: c.ip }));
  });

  // RFC 2131 §4.3.2 REBINDING: "The DHCP server SHOULD check 'ciaddr' for correctness": a client
  // that rebinds by broadcast on our own wire with an address of a relayed network has moved here.
  it('a local rebind whose ciaddr is on a relayed network is NAKed (the client moved onto this wire); renewing by unicast it is ACKed', () => {
    const w = world(twoNets());
    const remote = new FakeClient(w, '02:00:00:00:04:08', { giaddr: '198.18.50.1' });
    remote.dora();
    expect(remote.ip).toMatch(/^198\.18\.50\./);
    // Unicast renewal from wherever it is: the subnet is ciaddr's, no relay needed (§4.3.2 RENEWING).
    const here = new FakeClient(w, '02:00:00:00:04:08');
    here.ip = remote.ip;
    expect(here.renew().events[0]).toMatchObject({ type: 'ack', state: 'renewing', ip: remote.ip });
    // Broadcast on the local wire: the client is on 198.18.10.0/24 now.
    here.ip = remote.ip;
    const d = here.rebind();
    expect(replyType(d)).toBe(MessageType.NAK);
    expect(d.events[0]).toMatchObject({ type: 'nak', state: 'rebinding', reason: `${remote.ip} is not on network 198.18.10.0/24` });
    // §4.1: a NAK to a client on the local wire (giaddr 0) is broadcast.
    expect(d.reply!.destination).toMatchObject({ address: '255.255.255.255', port: 68 });
  });

  it('a socket that cannot tell broadcast from unicast (Windows): the REQUEST is taken as RENEWING', () => {
    const w = world(twoNets());
    const remote = new FakeClient(w, '02:00:00:00:04:09', { giaddr: '198.18.50.1' });
    remote.dora();
    const here = new FakeClient(w, '02:00:00:00:04:09');
    here.ip = remote.ip;
    expect(here.rebind({ broadcast: undefined }).events[0]).toMatchObject({ type: 'ack', state: 'renewing', ip: remote.ip });
  });

  it('through an unknown relay: dropped as not our subnet', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:04:06', { giaddr: '203.0.113.1' });
    c.ip = '203.0.113.50';
    expect(c.rebind().drop).toBe('not-our-subnet');
  });
});
