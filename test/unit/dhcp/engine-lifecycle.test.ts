// RFC 2131 §4.3.3 DECLINE, §4.3.4 RELEASE, §4.3.5 INFORM; relays (RFC 3046 option 82, RFC 3527
// link selection, RFC 3011 subnet selection); client identity (§4.2, option 61); reply options
// (table 3, option 55 order, RFC 6842 echo, option 57); known-clients-only; what the engine does
// with messages it must not answer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DROP_REASONS, type DropReason } from '../../../src-main/dhcp/events.js';
import { getOption, MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { BOOTREPLY, type DhcpPacket } from '../../../src-main/dhcp/packet.js';
import { encodeOptionValue } from '../../../src-main/dhcp/options.js';
import { FakeClient, labConfig, replyCodes, replyType, subnet, worldFactory } from '../../helpers/fake-dhcp.js';

const world = worldFactory();
const lab = labConfig().subnets[0]!;
const relayedNet = subnet('198.18.50.0/24', '198.18.50.100-198.18.50.150', { options: new Map([[3, encodeOptionValue(3, ['198.18.50.1'])]]) });
const thirdNet = subnet('198.18.60.0/24', '198.18.60.100-198.18.60.150');
const nets = () => labConfig({ subnets: [lab, relayedNet, thirdNet] });

describe('DECLINE (§4.3.3)', () => {
  it('quarantines the address for the configured time, then it returns to the pool', () => {
    const w = world(labConfig({ declineQuarantineSeconds: 60, subnets: [{ ...lab, rangeEnd: lab.rangeStart }] }));
    const a = new FakeClient(w, '02:00:00:00:05:01');
    a.dora();
    const ip = a.ip!;
    const d = a.decline(ip);
    expect(d.reply).toBeUndefined();
    expect(d.events).toEqual([{ type: 'decline', ip, mac: '02:00:00:00:05:01', clientId: '01:02:00:00:00:05:01', until: w.now + 60_000 }]);
    expect(w.leases.byIp(ip)).toMatchObject({ state: 'declined', expiresAt: w.now + 60_000 });
    const b = new FakeClient(w, '02:00:00:00:05:02');
    expect(b.discover().drop).toBe('pool-exhausted');
    expect(replyType(b.initReboot(ip))).toBe(MessageType.NAK);
    w.advance(59);
    expect(b.discover().drop).toBe('pool-exhausted');
    w.advance(2);
    expect(replyType(b.dora())).toBe(MessageType.ACK);
    expect(b.ip).toBe(ip);
  });

  it('the declining client is not offered the declined address again while other addresses exist', () => {
    const w = world(labConfig({ subnets: [{ ...lab, rangeEnd: lab.rangeStart + 1 }] }));
    const a = new FakeClient(w, '02:00:00:00:05:03');
    a.dora();
    const bad = a.ip!;
    a.decline(bad);
    const again = a.discover(bad);
    expect(again.reply!.packet.yiaddr).not.toBe(bad);
  });

  it("ignores a DECLINE of someone else's address (named drop), and one for another server", () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:05:04');
    a.dora();
    const mallory = new FakeClient(w, '02:00:00:00:05:05');
    const d = mallory.decline(a.ip);
    expect(d.drop).toBe('decline-not-ours');
    expect(d.writes).toEqual([]);
    expect(w.leases.byIp(a.ip!)!.state).toBe('bound');
    const other = a.send(MessageType.DECLINE, (p) => {
      setOption(p.options, 50, a.ip!);
      setOption(p.options, 54, '198.18.10.2');
    });
    expect(other.drop).toBe('wrong-server-id');
    expect(w.leases.byIp(a.ip!)!.state).toBe('bound');
    expect(a.send(MessageType.DECLINE, (p) => setOption(p.options, 54, '198.18.10.1')).drop).toBe('request-missing-address');
  });

  it('a DECLINE of an address that was only offered (held) is honoured too', () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:05:06');
    const ip = a.discover().reply!.packet.yiaddr;
    const d = a.decline(ip);
    expect(d.events[0]).toMatchObject({ type: 'decline', ip });
    expect(w.leases.byIp(ip)).toMatchObject({ state: 'declined', subnet: '198.18.10.0/24' });
    expect(w.engine.holds.size).toBe(0);
  });
});

describe('RELEASE (§4.3.4)', () => {
  it('frees the address, keeps the record for stickiness', () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:06:01');
    a.dora();
    const ip = a.ip!;
    const d = a.release();
    expect(d.reply).toBeUndefined();
    expect(d.events).toEqual([{ type: 'release', ip, mac: '02:00:00:00:06:01', clientId: '01:02:00:00:00:06:01' }]);
    expect(w.leases.byIp(ip)).toMatchObject({ state: 'released', expiresAt: w.now });
  });

  it('only by the holder; a RELEASE for another server is ignored', () => {
    const w = world();
    const a = new FakeClient(w, '02:00:00:00:06:02');
    a.dora();
    const ip = a.ip!;
    const mallory = new FakeClient(w, '02:00:00:00:06:03');
    mallory.ip = ip;
    expect(mallory.release().drop).toBe('release-not-ours');
    expect(w.leases.byIp(ip)!.state).toBe('bound');
    a.serverId = '198.18.10.2';
    expect(a.release().drop).toBe('wrong-server-id');
    expect(w.leases.byIp(ip)!.state).toBe('bound');
    a.ip = ip;
    a.serverId = undefined; // no option 54 at all: still accepted from the holder
    expect(a.release().events[0]).toMatchObject({ type: 'release', ip });
    expect(a.send(MessageType.RELEASE, (p) => (p.ciaddr = ip)).drop).toBe('release-not-ours'); // already released
  });
});

describe('INFORM (§4.3.5)', () => {
  it('ACKs with configuration only: no yiaddr, no 51/58/59, ciaddr copied, no lease written', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:07:01');
    const d = c.inform('198.18.10.7');
    expect(replyType(d)).toBe(MessageType.ACK);
    const p = d.reply!.packet;
    expect(p.yiaddr).toBe('0.0.0.0');
    expect(p.ciaddr).toBe('198.18.10.7');
    for (const code of [51, 58, 59]) expect(p.options.has(code)).toBe(false);
    expect(getOption(p.options, 54)).toBe('198.18.10.1');
    expect(getOption(p.options, 1)).toBe('255.255.255.0');
    expect(d.writes).toEqual([]);
    expect(d.events).toEqual([{ type: 'inform', ip: '198.18.10.7', mac: '02:00:00:00:07:01', clientId: '01:02:00:00:00:07:01' }]);
  });

  it('with ciaddr 0, uses the UDP source address for the subnet and the reply', () => {
    const w = world(nets());
    const c = new FakeClient(w, '02:00:00:00:07:02', { broadcast: false });
    const d = c.send(MessageType.INFORM, () => {}, { address: '198.18.50.77', port: 68 });
    expect(replyType(d)).toBe(MessageType.ACK);
    expect(getOption(d.reply!.packet.options, 3)).toEqual(['198.18.50.1']); // that subnet's router
    expect(d.reply!.destination).toEqual({ address: '198.18.50.77', port: 68, rule: 'inform-source' });
    expect(d.events[0]).toMatchObject({ type: 'inform', ip: '198.18.50.77' });
  });

  it('from an address in none of our subnets: dropped', () => {
    const w = world();
    expect(new FakeClient(w, '02:00:00:00:07:03').inform('10.1.1.1').drop).toBe('not-our-subnet');
  });

  it('known-clients-only applies to INFORM as well', () => {
    const w = world(labConfig({ knownClientsOnly: true, reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }] }));
    expect(new FakeClient(w, '02:00:00:00:07:04').inform('198.18.10.7').drop).toBe('unknown-client');
    expect(replyType(new FakeClient(w, '02:00:00:00:00:aa').inform('198.18.10.20'))).toBe(MessageType.ACK);
  });
});

describe('relay agents (RFC 2131 §4.1, RFC 3046, RFC 3527, RFC 3011)', () => {
  const agent = Uint8Array.from([1, 4, 0, 0, 0, 7, 2, 2, 0xab, 0xcd, 9, 3, 0, 0, 1]);

  it('selects the subnet by giaddr, replies to giaddr:67, echoes option 82 unchanged and last', () => {
    const w = world(nets());
    const c = new FakeClient(w, '02:00:00:00:08:01', { giaddr: '198.18.60.1', extra: (p) => p.options.set(82, agent) });
    const offer = c.discover();
    expect(offer.reply!.packet.yiaddr).toMatch(/^198\.18\.60\.1[0-5]\d$/);
    expect(offer.reply!.destination).toEqual({ address: '198.18.60.1', port: 67, rule: 'relay' });
    expect(offer.reply!.packet.giaddr).toBe('198.18.60.1');
    expect(replyCodes(offer).at(-1)).toBe(82);
    expect(offer.reply!.packet.options.get(82)).toEqual(agent);
    const ack = c.select(offer);
    expect(replyCodes(ack).at(-1)).toBe(82);
    expect(ack.reply!.packet.options.get(82)).toEqual(agent);
    const nak = c.initReboot('198.18.10.120');
    expect(replyType(nak)).toBe(MessageType.NAK);
    expect(nak.reply!.packet.options.get(82)).toEqual(agent);
    expect(replyCodes(nak)).toEqual([53, 54, 56, 82]);
  });

  it('an unknown giaddr is not our subnet', () => {
    const w = world(nets());
    const d = new FakeClient(w, '02:00:00:00:08:02', { giaddr: '203.0.113.1' }).discover();
    expect(d.drop).toBe('not-our-subnet');
    expect(d.events[0]).toMatchObject({ detail: 'relay 203.0.113.1' });
  });

  it('link selection (82.5, RFC 3527) overrides giaddr; the reply still goes to the relay', () => {
    const w = world(nets());
    const withLink = Uint8Array.from([...agent, 5, 4, 198, 18, 60, 0]);
    const c = new FakeClient(w, '02:00:00:00:08:03', { giaddr: '198.18.50.1', extra: (p) => p.options.set(82, withLink) });
    const offer = c.discover();
    expect(offer.reply!.packet.yiaddr).toMatch(/^198\.18\.60\./);
    expect(offer.reply!.destination.address).toBe('198.18.50.1');
    expect(offer.reply!.packet.options.get(82)).toEqual(withLink);
    expect(replyType(c.select(offer))).toBe(MessageType.ACK);
  });

  it('a malformed link-selection sub-option is a named drop', () => {
    const w = world(nets());
    const bad = Uint8Array.from([5, 3, 198, 18, 60]);
    expect(new FakeClient(w, '02:00:00:00:08:04', { giaddr: '198.18.50.1', extra: (p) => p.options.set(82, bad) }).discover().drop).toBe('malformed-option');
    const broken = Uint8Array.from([1, 9, 0]);
    expect(new FakeClient(w, '02:00:00:00:08:05', { giaddr: '198.18.50.1', extra: (p) => p.options.set(82, broken) }).discover().drop).toBe('malformed-option');
  });

  it('subnet selection (118, RFC 3011) overrides giaddr and is echoed in OFFER and ACK (not in a NAK)', () => {
    const w = world(nets());
    const c = new FakeClient(w, '02:00:00:00:08:06', { giaddr: '198.18.50.1', extra: (p) => setOption(p.options, 118, '198.18.60.0') });
    const offer = c.discover();
    expect(offer.reply!.packet.yiaddr).toMatch(/^198\.18\.60\./);
    expect(getOption(offer.reply!.packet.options, 118)).toBe('198.18.60.0');
    const ack = c.select(offer);
    expect(getOption(ack.reply!.packet.options, 118)).toBe('198.18.60.0');
    const nak = c.initReboot('198.18.50.120');
    expect(replyType(nak)).toBe(MessageType.NAK);
    expect(replyCodes(nak)).not.toContain(118);
    // 118 naming a network we do not serve:
    expect(new FakeClient(w, '02:00:00:00:08:07', { extra: (p) => setOption(p.options, 118, '10.0.0.0') }).discover().drop).toBe('not-our-subnet');
  });

  it('records the relay and its circuit/remote ids on the lease', () => {
    const w = world(nets());
    const c = new FakeClient(w, '02:00:00:00:08:08', { giaddr: '198.18.50.1', extra: (p) => p.options.set(82, agent) });
    c.dora();
    expect(w.leases.byIp(c.ip!)).toMatchObject({ relay: '198.18.50.1', circuitId: '00000007', remoteId: 'abcd', subnet: '198.18.50.0/24' });
  });
});

describe('client identity (RFC 2131 §4.2, option 61)', () => {
  it('without option 61 the identity is htype + chaddr; with it, the option', () => {
    const w = world();
    const plain = new FakeClient(w, '02:00:00:00:09:01');
    plain.dora();
    expect(w.leases.byIp(plain.ip!)!.clientId).toBe('01:02:00:00:00:09:01');
    const named = new FakeClient(w, '02:00:00:00:09:02', { clientId: Uint8Array.from([0, ...Buffer.from('pi-7')]) });
    named.dora();
    expect(w.leases.byIp(named.ip!)).toMatchObject({ clientId: '00:70:69:2d:37', mac: '02:00:00:00:09:02' });
  });

  it('a client that starts sending 61 = 01:<its MAC> keeps its address', () => {
    const w = world();
    const before = new FakeClient(w, '02:00:00:00:09:03');
    before.dora();
    const after = new FakeClient(w, '02:00:00:00:09:03', { clientId: Uint8Array.from([1, 2, 0, 0, 0, 9, 3]) });
    expect(replyType(after.initReboot(before.ip))).toBe(MessageType.ACK);
    expect(after.discover().reply!.packet.yiaddr).toBe(before.ip);
  });

  it('two clients with the same MAC but different option 61 are different clients', () => {
    const w = world();
    const vm1 = new FakeClient(w, '02:00:00:00:09:04', { clientId: Uint8Array.from([0, ...Buffer.from('vm-1')]) });
    const vm2 = new FakeClient(w, '02:00:00:00:09:04', { clientId: Uint8Array.from([0, ...Buffer.from('vm-2')]) });
    vm1.dora();
    vm2.dora();
    expect(vm1.ip).toBeDefined();
    expect(vm2.ip).toBeDefined();
    const [ip1, ip2] = [vm1.ip!, vm2.ip!];
    expect(ip1).not.toBe(ip2);
    expect(replyType(vm2.initReboot(ip1))).toBe(MessageType.NAK);
    expect(w.leases.byIp(ip1)!.state).toBe('bound');
    expect(w.leases.byIp(ip2)!.state).toBe('bound');
  });

  it('echoes option 61 unchanged in OFFER, ACK and NAK (RFC 6842 §3)', () => {
    const w = world();
    const id = Uint8Array.from([255, 0, 0, 0, 1, 0, 4, 0xaa, 0xbb, 0xcc, 0xdd]);
    const c = new FakeClient(w, '02:00:00:00:09:05', { clientId: id });
    const offer = c.discover();
    expect(offer.reply!.packet.options.get(61)).toEqual(id);
    const ack = c.select(offer);
    expect(ack.reply!.packet.options.get(61)).toEqual(id);
    const nak = c.initReboot('10.0.0.1');
    expect(nak.reply!.packet.options.get(61)).toEqual(id);
    expect(replyCodes(nak)).toEqual([53, 54, 56, 61]);
    // Without 61 in the request, none in the reply.
    expect(replyCodes(new FakeClient(w, '02:00:00:00:09:06').discover())).not.toContain(61);
  });
});

describe('reply options', () => {
  it('follow table 3, then the client\'s parameter request list in its order, then the rest', () => {
    const extra = new Map([
      ...lab.options,
      [42, encodeOptionValue(42, ['198.18.10.123'])],
      [150, encodeOptionValue(150, ['198.18.10.5'])],
    ]);
    const w = world(labConfig({ subnets: [{ ...lab, options: extra }] }));
    const c = new FakeClient(w, '02:00:00:00:0a:01', { prl: [6, 42, 3, 28, 1, 119, 15] });
    const offer = c.discover();
    // Table 3 first (53, 54, 51, 58, 59), then 55's order (119 is not configured: skipped; 28 is
    // derived on request), then configured options nobody asked for.
    expect(replyCodes(offer)).toEqual([53, 54, 51, 58, 59, 6, 42, 3, 28, 1, 15, 150]);
    expect(getOption(offer.reply!.packet.options, 28)).toBe('198.18.10.255');
    const ack = c.select(offer);
    expect(replyCodes(ack)).toEqual(replyCodes(offer));
    expect(offer.reply!.packet.ciaddr).toBe('0.0.0.0');
    expect(offer.reply!.packet.siaddr).toBe('0.0.0.0');
    expect(offer.reply!.packet.hops).toBe(0);
  });

  it('a NAK carries only 53, 54 and 56 (plus the echoes)', () => {
    const w = world();
    const nak = new FakeClient(w, '02:00:00:00:0a:02', { prl: [1, 3, 6, 15, 51, 58] }).initReboot('10.0.0.1');
    expect(replyCodes(nak)).toEqual([53, 54, 56]);
    expect(getOption(nak.reply!.packet.options, 56)).toMatch(/not on network/);
  });

  it('reservation options and host name override the subnet\'s; per-message options in config are ignored', () => {
    const w = world(
      labConfig({
        reservations: [
          {
            mac: '02:00:00:00:0a:03',
            ip: '198.18.10.30',
            hostname: 'cam-1',
            options: new Map([
              [6, encodeOptionValue(6, ['1.1.1.1'])],
              [51, encodeOptionValue(51, 5)],
            ]),
          },
        ],
      }),
    );
    const ack = new FakeClient(w, '02:00:00:00:0a:03').dora();
    expect(getOption(ack.reply!.packet.options, 6)).toEqual(['1.1.1.1']);
    expect(getOption(ack.reply!.packet.options, 12)).toBe('cam-1');
    expect(getOption(ack.reply!.packet.options, 51)).toBe(600);
    expect(getOption(ack.reply!.packet.options, 3)).toEqual(['198.18.10.1']);
  });

  it("honours the client's maximum message size (57): the reply fits, requested options survive", () => {
    // Forty 30-byte vendor options make a reply far larger than 576 bytes.
    const big = new Map([...lab.options, ...Array.from({ length: 40 }, (_, i): [number, Uint8Array] => [224 + (i % 30), new Uint8Array(30).fill(i)])]);
    const w = world(labConfig({ subnets: [{ ...lab, options: big }] }));
    const small = new FakeClient(w, '02:00:00:00:0a:04', { prl: [1, 3, 6, 15, 230], extra: (p) => setOption(p.options, 57, 576) });
    const d = small.discover();
    expect(d.reply!.maxSize).toBe(548);
    const wire = w.wire.get(d)!;
    expect(wire.bytes.length).toBeLessThanOrEqual(548);
    expect(wire.omitted.length).toBeGreaterThan(0);
    for (const code of [53, 54, 51, 1, 3, 6, 15, 230]) expect(replyCodes(d)).toContain(code);
    for (const code of wire.omitted) expect([1, 3, 6, 15, 230, 53, 54, 51, 61, 82]).not.toContain(code);
    const roomy = new FakeClient(w, '02:00:00:00:0a:05', { extra: (p) => setOption(p.options, 57, 1500) });
    const r = roomy.discover();
    expect(r.reply!.maxSize).toBe(1472);
    expect(w.wire.get(r)!.omitted).toEqual([]);
    expect(w.wire.get(r)!.bytes.length).toBeGreaterThan(548);
    expect(w.wire.get(r)!.bytes.length).toBeLessThanOrEqual(1472);
    expect(r.reply!.ignored).toBeUndefined();
  });

  it('a malformed option 57 (wrong length, or below 576) is not used, and never silently: the reply says why, for the log', () => {
    const w = world(labConfig());
    const cases: [string, (p: DhcpPacket) => void, RegExp][] = [
      ['3 octets', (p) => p.options.set(57, Uint8Array.of(5, 220, 0)), /^option 57 \(maximum message size\) is 3 octets long; it must be 2 \(RFC 2132 §9\.10\): ignored, the reply keeps to the default 576-byte message$/],
      ['1 octet', (p) => p.options.set(57, Uint8Array.of(5)), /is 1 octet long; it must be 2/],
      ['255 octets', (p) => p.options.set(57, new Uint8Array(255).fill(0xff)), /is 255 octets long/],
      ['below the minimum', (p) => setOption(p.options, 57, 300), /says 300 bytes, below the minimum of 576/],
    ];
    for (const [i, [name, build, text]] of cases.entries()) {
      const d = new FakeClient(w, `02:00:00:00:0a:${(0x10 + i).toString(16)}`, { extra: build }).discover();
      expect(replyType(d), name).toBe(MessageType.OFFER);
      expect(d.reply!.maxSize, name).toBe(548);
      expect(d.reply!.ignored, name).toMatch(text);
    }
  });
});

describe('reply addressing through the engine', () => {
  it('with a transport that can unicast to unconfigured clients, an OFFER without the B flag goes to yiaddr', () => {
    const w = world(labConfig(), { unicastToUnconfigured: true });
    const c = new FakeClient(w, '02:00:00:00:0d:01', { broadcast: false });
    const offer = c.discover();
    expect(offer.reply!.destination).toEqual({ address: offer.reply!.packet.yiaddr, port: 68, rule: 'unicast-yiaddr' });
    const nak = c.initReboot('10.0.0.1');
    expect(nak.reply!.destination).toEqual({ address: '255.255.255.255', port: 68, rule: 'nak-broadcast' });
  });

  it('without it (the default), the same OFFER is broadcast', () => {
    const w = world();
    const offer = new FakeClient(w, '02:00:00:00:0d:02', { broadcast: false }).discover();
    expect(offer.reply!.destination).toEqual({ address: '255.255.255.255', port: 68, rule: 'broadcast-no-arp' });
    expect(offer.reply!.packet.flags).toBe(0); // flags are copied, not invented
  });
});

describe('host names', () => {
  it('come from option 12, else from option 81 — including the partial name dhcpcd sends', () => {
    const w = world();
    // dhcpcd 9.4.1's option 81, as captured: E and S flags, "pocket-fixture" without a root label.
    const fqdn = Uint8Array.from(Buffer.from('0500000e706f636b65742d66697874757265', 'hex'));
    const c = new FakeClient(w, '02:00:00:00:0e:01', { extra: (p) => p.options.set(81, fqdn) });
    c.dora();
    expect(w.leases.byIp(c.ip!)!.hostname).toBe('pocket-fixture');
    const both = new FakeClient(w, '02:00:00:00:0e:02', { hostname: 'from-12', extra: (p) => p.options.set(81, fqdn) });
    both.dora();
    expect(w.leases.byIp(both.ip!)!.hostname).toBe('from-12');
  });
});

describe('known-clients-only mode', () => {
  it('serves reserved clients and drops everyone else with a named reason', () => {
    const w = world(labConfig({ knownClientsOnly: true, reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20' }] }));
    const stranger = new FakeClient(w, '02:00:00:00:0b:01');
    expect(stranger.discover().drop).toBe('unknown-client');
    expect(stranger.initReboot('198.18.10.120').drop).toBe('unknown-client');
    const known = new FakeClient(w, '02:00:00:00:00:aa');
    expect(replyType(known.dora())).toBe(MessageType.ACK);
    expect(known.ip).toBe('198.18.10.20');
  });
});

describe('messages the server does not answer', () => {
  it('a BOOTREPLY on the link is another server: foreign-server event, counted drop', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:0c:01');
    const d = c.send(MessageType.OFFER, (p) => {
      p.op = BOOTREPLY;
      p.yiaddr = '198.18.10.222';
      setOption(p.options, 54, '198.18.10.254');
    });
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe('not-a-request');
    expect(d.events).toContainEqual({ type: 'foreign-server', serverId: '198.18.10.254', yiaddr: '198.18.10.222', messageType: MessageType.OFFER, mac: '02:00:00:00:0c:01' });
    // Even a malformed one is reported.
    const odd = c.send(MessageType.ACK, (p) => {
      p.op = BOOTREPLY;
      p.options.set(54, Uint8Array.of(1));
    });
    expect(odd.events).toContainEqual(expect.objectContaining({ type: 'foreign-server', serverId: undefined }));
  });

  it('our own reply echoed back to port 67 is dropped without a foreign-server event', () => {
    const w = world();
    const c = new FakeClient(w, '02:00:00:00:0c:02');
    const offer = c.send(MessageType.DISCOVER).reply!.packet;
    const d = w.engine.decide({ packet: offer, source: { address: '198.18.10.7', port: 67 } }, { now: w.now, leases: w.leases });
    expect(d.drop).toBe('not-a-request');
    expect(d.events.filter((e) => e.type === 'foreign-server')).toEqual([]);
  });

  const malformed: [string, (p: DhcpPacket) => void, DropReason][] = [
    ['no option 53 (plain BOOTP)', (p) => void p.options.delete(53), 'no-message-type'],
    ['option 53 of two octets', (p) => void p.options.set(53, Uint8Array.of(1, 1)), 'malformed-option'],
    ['a server-side message type (OFFER) as a request', (p) => setOption(p.options, 53, MessageType.OFFER), 'bad-message-type'],
    ['an unknown message type (LEASEQUERY)', (p) => setOption(p.options, 53, 10), 'bad-message-type'],
    ['hlen 0', (p) => void (p.hlen = 0), 'bad-hardware-address'],
    ['a zero-length client identifier (61)', (p) => void p.options.set(61, new Uint8Array(0)), 'malformed-option'],
    ['a giaddr in a message from the client port, not from a relay', (p) => void (p.giaddr = '198.18.10.7'), 'spoofed-relay'],
  ];
  it.each(malformed)('%s → %s', (_label, edit, reason) => {
    const w = world();
    const d = new FakeClient(w, '02:00:00:00:0c:02').send(MessageType.DISCOVER, edit);
    expect(d.reply).toBeUndefined();
    expect(d.drop).toBe(reason);
    expect(d.events).toContainEqual(expect.objectContaining({ type: 'drop', reason }));
  });

  it('every reason the engine itself can give is exercised by these scenarios', () => {
    // Reasons the service layer gives (not the engine): decode, send and store failures, and
    // every candidate answering the ARP conflict check (integration/server/conflict-check.test.ts).
    const serviceOnly = ['decode-error', 'send-failed', 'store-failed', 'address-conflicts'];
    const engineReasons = Object.keys(DROP_REASONS).filter((r) => !serviceOnly.includes(r));
    const src = [import.meta.url, new URL('./engine-request.test.ts', import.meta.url).href, new URL('./engine-discover.test.ts', import.meta.url).href, new URL('./rate-limit.test.ts', import.meta.url).href];
    const text = src.map((u) => readFileSync(new URL(u), 'utf8')).join('\n');
    for (const r of engineReasons) expect(text, `a scenario expects drop '${r}'`).toContain(`'${r}'`);
  });
});
