// dhcp-probe.ts / dhcp-probe-message.ts without a network: the DISCOVER we send, reading real
// captured replies of dnsmasq and Kea, the sentences the user sees, and the probe's and the
// watcher's logic over a scripted socket (which replies count, which are ours, what happens when
// port 68 cannot be opened). test/integration/reliability/dhcp-probe.test.ts does it for real.
import { describe, expect, it, vi } from 'vitest';
import { decode, encode } from '../../../src-main/dhcp/codec.js';
import { getOption, MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { BOOTREPLY, emptyPacket, FLAG_BROADCAST } from '../../../src-main/dhcp/packet.js';
import type { BoundSocket } from '../../../src-main/net/bound-socket.js';
import { NetError } from '../../../src-main/net/net-error.js';
import { checkForDhcpServers, DhcpProbeError, probeForDhcpServers, watchForForeignServers, type ForeignServer } from '../../../src-main/net/dhcp-probe.js';
import { buildProbeDiscover, foreignServerWarning, probeMessage, randomLocalMac, readServerReply, type MacLookup } from '../../../src-main/net/dhcp-probe-message.js';
import type { ArpMessage } from '../../../src-main/net/arp-packet.js';
import type { ArpTransport } from '../../../src-main/net/arp-socket.js';
import { lookupMac } from '../../../src-main/net/server-mac.js';
import { PACKETS } from '../../fixtures/packets.js';

const fixture = (name: string): Buffer => Buffer.from(PACKETS.find((p) => p.name === name)!.hex, 'hex');

/** A reply a server would send to the probe's DISCOVER. */
function reply(discover: Uint8Array, o: { serverId?: string; yiaddr?: string; type?: number; xid?: number }): Buffer {
  const d = decode(discover);
  const p = emptyPacket();
  p.op = BOOTREPLY;
  p.xid = o.xid ?? d.xid;
  p.flags = FLAG_BROADCAST;
  p.chaddr = d.chaddr;
  p.yiaddr = o.yiaddr ?? '0.0.0.0';
  setOption(p.options, 53, o.type ?? MessageType.OFFER);
  if (o.serverId) setOption(p.options, 54, o.serverId);
  setOption(p.options, 1, '255.255.255.0');
  return Buffer.from(encode(p));
}

/** A BoundSocket double: records sends, lets the test deliver datagrams. */
class FakeSocket implements BoundSocket {
  readonly ifname = 'eth1';
  readonly port = 68;
  readonly mode = 'linux-bindtodevice' as const;
  sent: { buf: Uint8Array; port: number; address: string }[] = [];
  closed = false;
  private cb: ((b: Buffer, r: { address: string; port: number }) => void) | undefined;
  onSend: (buf: Uint8Array) => void = () => {};
  onMessage(cb: (b: Buffer, r: { address: string; port: number }) => void) {
    this.cb = cb;
    return () => (this.cb = undefined);
  }
  onError() {
    return () => {};
  }
  deliver(buf: Buffer, from: string): void {
    this.cb?.(buf, { address: from, port: 67 });
  }
  send(buf: Uint8Array, port: number, address: string) {
    this.sent.push({ buf, port, address });
    this.onSend(buf);
    return Promise.resolve();
  }
  isHealthy() {
    return !this.closed;
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('the probe DISCOVER and reading replies', () => {
  it('the DISCOVER: broadcast flag, a random locally administered unicast MAC as chaddr and client id, a parameter list', () => {
    for (let i = 0; i < 200; i++) {
      const mac = randomLocalMac((n) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
      expect(mac[0]! & 0x03).toBe(0x02);
      const p = decode(buildProbeDiscover(0xdeadbeef, mac));
      expect(p.op).toBe(1);
      expect(p.xid).toBe(0xdeadbeef);
      expect(p.flags & FLAG_BROADCAST).toBe(FLAG_BROADCAST);
      expect([...p.chaddr.subarray(0, 6)]).toEqual([...mac]);
      expect(getOption(p.options, 53)).toBe(MessageType.DISCOVER);
      expect([...p.options.get(61)!]).toEqual([1, ...mac]);
      expect(getOption(p.options, 55)).toEqual([1, 3, 6, 15, 51, 54]);
    }
  });

  it('reads real captured OFFERs, ACKs and NAKs of dnsmasq and Kea', () => {
    const offer = readServerReply(fixture('dnsmasq-offer-dhclient'), { address: '198.18.0.1' })!;
    expect(offer).toMatchObject({ messageType: 'offer', serverId: '198.18.0.1', sourceIp: '198.18.0.1', offered: '198.18.0.138', subnetMask: '255.255.255.0', network: '198.18.0.0/24', routers: ['198.18.0.1'] });
    expect(readServerReply(fixture('kea-ack-dhcpcd'), { address: '198.18.0.1' })).toMatchObject({ messageType: 'ack' });
    expect(readServerReply(fixture('kea-nak'), { address: '198.18.0.1' })).toMatchObject({ messageType: 'nak' });
    // Through a relay: the UDP source is the relay, the server id the server.
    const relayed = readServerReply(fixture('kea-offer-to-relay'), { address: '198.18.50.1' })!;
    expect(relayed.sourceIp).toBe('198.18.50.1');
    expect(relayed.serverId).not.toBe('198.18.50.1');
    // Requests, garbage and other transactions are not server replies (of ours).
    expect(readServerReply(fixture('dhclient-discover'), { address: '0.0.0.0' })).toBeUndefined();
    expect(readServerReply(Buffer.from('not dhcp'), { address: '198.18.0.1' })).toBeUndefined();
    expect(readServerReply(fixture('dnsmasq-offer-dhclient'), { address: '198.18.0.1' }, { xid: 1 })).toBeUndefined();
  });
});

describe('the messages', () => {
  const dnsmasq: ForeignServer = { serverId: '198.18.10.2', sourceIp: '198.18.10.2', messageType: 'offer', offered: '198.18.10.57', clientMac: '02:00:00:00:00:01', network: '198.18.10.0/24', routers: ['198.18.10.2'] };

  it('one server, several servers, a server behind a relay, none, and could-not-check', () => {
    expect(probeMessage({ ifname: 'eth1', status: 'found', servers: [dnsmasq], listenedMs: 4000 })).toBe(
      'Another DHCP server answers on eth1: 198.18.10.2 offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2). Serving here would hand out conflicting addresses — stop that server or pick another interface. Start anyway only if you are sure.',
    );
    const router: ForeignServer = { serverId: '198.18.10.254', sourceIp: '198.18.10.254', messageType: 'offer', offered: '198.18.10.140', clientMac: '02:00:00:00:00:01' };
    const relayed: ForeignServer = { serverId: '198.18.99.1', sourceIp: '198.18.10.253', messageType: 'nak', clientMac: '02:00:00:00:00:01' };
    expect(probeMessage({ ifname: 'eth1', status: 'found', servers: [dnsmasq, router, { ...dnsmasq, offered: '198.18.10.58' }, relayed], listenedMs: 4000 })).toBe(
      '3 other DHCP servers answer on eth1: 198.18.10.2 offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2); 198.18.10.254 offered 198.18.10.140; ' +
        '198.18.99.1 (from 198.18.10.253) refused our test request (DHCPNAK). Serving here would hand out conflicting addresses — stop those servers or pick another interface. Start anyway only if you are sure.',
    );
    expect(probeMessage({ ifname: 'eth1', status: 'clear', servers: [], listenedMs: 4000 })).toBe('No other DHCP server answered on eth1 within 4 s.');
    expect(probeMessage({ ifname: 'eth1', status: 'clear', servers: [], listenedMs: 2500 })).toBe('No other DHCP server answered on eth1 within 2.5 s.');
    expect(probeMessage({ ifname: 'eth1', status: 'could-not-check', servers: [], reason: 'port-in-use', detail: 'the DHCP client port 68 on eth1 is held by dhcpcd (pid 7) without sharing it, so the replies of other servers cannot be heard.' })).toBe(
      'Could not check eth1 for other DHCP servers: the DHCP client port 68 on eth1 is held by dhcpcd (pid 7) without sharing it, so the replies of other servers cannot be heard. Make sure no other DHCP server runs on this network before you start.',
    );
    expect(foreignServerWarning('eth1', { ...dnsmasq, messageType: 'ack' })).toBe(
      'Another DHCP server is answering on eth1: 198.18.10.2 acknowledged 198.18.10.57 to 02:00:00:00:00:01 (network 198.18.10.0/24, router 198.18.10.2). Clients may get conflicting addresses — stop that server or unplug this interface from its network.',
    );
  });

  it('name the server by IP and MAC; without CAP_NET_RAW the MAC is "unknown (needs CAP_NET_RAW)"; through a relay it is the relay\'s', () => {
    const named = { ...dnsmasq, sourceMac: '02:00:5e:10:00:02' };
    expect(probeMessage({ ifname: 'eth1', status: 'found', servers: [named], listenedMs: 4000 })).toBe(
      'Another DHCP server answers on eth1: 198.18.10.2 (MAC 02:00:5e:10:00:02) offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2). Serving here would hand out conflicting addresses — stop that server or pick another interface. Start anyway only if you are sure.',
    );
    expect(probeMessage({ ifname: 'eth1', status: 'found', servers: [{ ...dnsmasq, sourceMacUnknown: 'no-privilege' }], listenedMs: 4000 })).toMatch(
      /^Another DHCP server answers on eth1: 198\.18\.10\.2 \(MAC unknown \(needs CAP_NET_RAW\)\) offered 198\.18\.10\.57 \(network 198\.18\.10\.0\/24, router 198\.18\.10\.2\)\. /,
    );
    const relayed: ForeignServer = { serverId: '198.18.99.1', sourceIp: '198.18.10.253', messageType: 'offer', offered: '198.18.99.20', subnetMask: '255.255.255.0', network: '198.18.99.0/24', clientMac: '02:00:00:00:00:01', sourceMac: '02:00:5e:10:00:fd' };
    expect(probeMessage({ ifname: 'eth1', status: 'found', servers: [relayed], listenedMs: 4000 })).toMatch(/: 198\.18\.99\.1 \(from 198\.18\.10\.253, relay MAC 02:00:5e:10:00:fd\) offered 198\.18\.99\.20 \(network 198\.18\.99\.0\/24\)\. /);
    // Only a mask and no offered address: the mask is what is known of the range.
    expect(foreignServerWarning('eth1', { serverId: '198.18.10.2', sourceIp: '198.18.10.2', messageType: 'ack', offered: '198.18.10.9', subnetMask: '255.255.0.0', clientMac: '02:00:00:00:00:01', sourceMacUnknown: 'no-answer' })).toBe(
      'Another DHCP server is answering on eth1: 198.18.10.2 (MAC unknown (no answer to an ARP probe)) acknowledged 198.18.10.9 to 02:00:00:00:00:01 (mask 255.255.0.0). Clients may get conflicting addresses — stop that server or unplug this interface from its network.',
    );
  });
});

/** A packet socket that answers ARP probes for `hosts` (ip → MAC), as a link with those hosts would. */
function fakeArp(hosts: Record<string, string>): ArpTransport & { probes: string[]; closed: boolean } {
  const listeners = new Set<(m: ArpMessage) => void>();
  const t = {
    ifname: 'eth1',
    mac: '02:00:00:00:00:aa',
    probes: [] as string[],
    closed: false,
    sendProbe(target: string) {
      t.probes.push(target);
      const mac = hosts[target];
      if (mac) setTimeout(() => listeners.forEach((l) => l({ op: 2, senderMac: mac, senderIp: target, targetMac: t.mac, targetIp: '0.0.0.0' })), 2);
    },
    onArp(cb: (m: ArpMessage) => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    isHealthy: () => !t.closed,
    close() {
      t.closed = true;
    },
  };
  return t;
}

describe('lookupMac: the MAC of an address, asked of the link by ARP', () => {
  it('the host that answers is named; silence is "no-answer"; the socket is closed either way', async () => {
    const arp = fakeArp({ '198.18.10.2': '02:00:5e:10:00:02' });
    expect(await lookupMac('eth1', '198.18.10.2', { open: async () => arp, timeoutMs: 100 })).toEqual({ mac: '02:00:5e:10:00:02' });
    expect(arp.probes).toEqual(['198.18.10.2']);
    expect(arp.closed).toBe(true);
    const quiet = fakeArp({});
    expect(await lookupMac('eth1', '198.18.10.3', { open: async () => quiet, timeoutMs: 60 })).toEqual({ unknown: 'no-answer' });
    expect(quiet.closed).toBe(true);
  });

  it('no CAP_NET_RAW (EPERM), another platform, another failure: unknown with the reason, never a rejection', async () => {
    const perm = new NetError('EPERM', 'Cannot send ARP probes on eth1: no permission to open a raw packet socket (EPERM).');
    expect(await lookupMac('eth1', '198.18.10.2', { open: () => Promise.reject(perm) })).toEqual({ unknown: 'no-privilege' });
    expect(await lookupMac('eth1', '198.18.10.2', { open: () => Promise.reject(new NetError('UNSUPPORTED_PLATFORM', 'Linux only')) })).toEqual({ unknown: 'unsupported' });
    expect(await lookupMac('eth1', '198.18.10.2', { open: () => Promise.reject(new Error('boom')) })).toEqual({ unknown: 'error' });
  });
});

describe('probeForDhcpServers and watchForForeignServers over a scripted socket', () => {
  it('collects foreign OFFERs to its own DISCOVER, ignores its own server, other transactions and requests; sends twice; closes the socket', async () => {
    const sock = new FakeSocket();
    sock.onSend = (buf) => {
      if (sock.sent.length > 1) return; // answer the first DISCOVER only
      setTimeout(() => {
        sock.deliver(reply(buf, { serverId: '198.18.10.1', yiaddr: '198.18.10.100' }), '198.18.10.1'); // ours
        sock.deliver(reply(buf, { serverId: '198.18.10.2', yiaddr: '198.18.10.57' }), '198.18.10.2');
        sock.deliver(reply(buf, { serverId: '198.18.10.2', yiaddr: '198.18.10.57' }), '198.18.10.2'); // repeated
        sock.deliver(reply(buf, { serverId: '198.18.10.3', yiaddr: '198.18.10.9', xid: 7 }), '198.18.10.3'); // someone else's
        sock.deliver(Buffer.from(buf), '198.18.10.1'); // our own DISCOVER, looped back
      }, 10);
    };
    const lookups: string[] = [];
    const found = await probeForDhcpServers('eth1', {
      timeoutMs: 150,
      ownAddresses: ['198.18.10.1'],
      open: async () => sock,
      lookupMac: async (ifname, ip) => (lookups.push(`${ifname} ${ip}`), { mac: '02:00:5e:10:00:02' }),
    });
    expect(found.map((s) => [s.serverId, s.offered, s.sourceMac])).toEqual([['198.18.10.2', '198.18.10.57', '02:00:5e:10:00:02']]);
    expect(lookups, 'one ARP lookup per server, not per reply').toEqual(['eth1 198.18.10.2']);
    expect(found[0]!.afterMs).toBeGreaterThanOrEqual(0);
    expect(sock.sent.map((s) => `${s.address}:${s.port}`)).toEqual(['255.255.255.255:67', '255.255.255.255:67']);
    expect(decode(sock.sent[0]!.buf).xid).toBe(decode(sock.sent[1]!.buf).xid); // a retransmission of the same DISCOVER
    expect(sock.closed).toBe(true);
  });

  it('a port it cannot open is "could not check", with the reason; never a crash, never "clear"', async () => {
    const cases: [NetError, string, RegExp][] = [
      [new NetError('EADDRINUSE', 'x', { holders: [{ proto: 'udp', localAddress: '0.0.0.0', port: 68, inode: 1, uid: 0, pid: 42, command: 'dhcpcd' }] }), 'port-in-use', /port 68 on eth1 is held by dhcpcd \(pid 42\) without sharing it/],
      [new NetError('ENODEV', 'There is no interface eth1 — pick one from the list.'), 'no-interface', /There is no interface eth1/],
      [new NetError('EACCES', 'Binding port 68 needs privileges.'), 'no-privilege', /needs the same privileges as serving/],
    ];
    for (const [err, reason, text] of cases) {
      const r = await checkForDhcpServers('eth1', { timeoutMs: 10, open: () => Promise.reject(err) });
      expect(r).toMatchObject({ status: 'could-not-check', reason });
      expect(probeMessage(r)).toMatch(text);
      await expect(probeForDhcpServers('eth1', { open: () => Promise.reject(err) })).rejects.toBeInstanceOf(DhcpProbeError);
      await expect(watchForForeignServers('eth1', () => {}, { open: () => Promise.reject(err) })).rejects.toMatchObject({ name: 'DhcpProbeError', reason });
    }
  });

  it('the MAC lookup failing for want of CAP_NET_RAW does not fail the probe: the server is found, its MAC "unknown (needs CAP_NET_RAW)"', async () => {
    const sock = new FakeSocket();
    sock.onSend = (buf) => {
      if (sock.sent.length === 1) setTimeout(() => sock.deliver(reply(buf, { serverId: '198.18.10.2', yiaddr: '198.18.10.57' }), '198.18.10.2'), 5);
    };
    const perm = new NetError('EPERM', 'no permission to open a raw packet socket (EPERM)');
    const r = await checkForDhcpServers('eth1', { timeoutMs: 80, ownAddresses: ['198.18.10.1'], open: async () => sock, lookupMac: (i, ip) => lookupMac(i, ip, { open: () => Promise.reject(perm) }) });
    expect(r.status).toBe('found');
    expect(r.servers[0]).toMatchObject({ serverId: '198.18.10.2', sourceMacUnknown: 'no-privilege' });
    expect(r.servers[0]!.sourceMac).toBeUndefined();
    expect(probeMessage(r)).toMatch(/^Another DHCP server answers on eth1: 198\.18\.10\.2 \(MAC unknown \(needs CAP_NET_RAW\)\) offered 198\.18\.10\.57/);
  });

  it('a DISCOVER that cannot be sent is "could not check", not "clear"', async () => {
    const sock = new FakeSocket();
    sock.send = () => Promise.reject(new Error('ENETDOWN: network is down'));
    const r = await checkForDhcpServers('eth1', { timeoutMs: 30, open: async () => sock });
    expect(r).toMatchObject({ status: 'could-not-check', reason: 'send-failed' });
    expect(probeMessage(r)).toMatch(/the test DISCOVER could not be sent on eth1 \(ENETDOWN/);
  });

  it('the watcher reports foreign OFFER/ACK/NAKs, first sighting then at most every repeatAfterMs; never our own replies or requests', async () => {
    const sock = new FakeSocket();
    const seen: ForeignServer[] = [];
    const macs: Record<string, MacLookup> = { '198.18.10.2': { mac: '02:00:5e:10:00:02' }, '198.18.10.3': { unknown: 'no-privilege' } };
    const lookups: string[] = [];
    const w = await watchForForeignServers('eth1', (s) => seen.push(s), { ownAddresses: ['198.18.10.1'], repeatAfterMs: 60_000, open: async () => sock, lookupMac: async (_i, ip) => (lookups.push(ip), macs[ip]!) });
    const d = buildProbeDiscover(1, Uint8Array.of(2, 0, 0, 0, 0, 9));
    sock.deliver(reply(d, { serverId: '198.18.10.1', yiaddr: '198.18.10.100' }), '198.18.10.1'); // ours, looped back
    sock.deliver(reply(d, { serverId: '198.18.10.2', yiaddr: '198.18.10.57' }), '198.18.10.2');
    sock.deliver(reply(d, { serverId: '198.18.10.2', yiaddr: '198.18.10.57', type: MessageType.ACK }), '198.18.10.2'); // same server: quiet
    sock.deliver(reply(d, { serverId: '198.18.10.3', type: MessageType.NAK }), '198.18.10.3');
    sock.deliver(Buffer.from(d), '0.0.0.0'); // a client's DISCOVER
    sock.deliver(Buffer.from('junk'), '198.18.10.4');
    // Each first report waits for the server's MAC lookup (one per server).
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen.map((s) => [s.serverId, s.messageType, s.sourceMac ?? s.sourceMacUnknown])).toEqual([
      ['198.18.10.2', 'offer', '02:00:5e:10:00:02'],
      ['198.18.10.3', 'nak', 'no-privilege'],
    ]);
    expect(lookups).toEqual(['198.18.10.2', '198.18.10.3']);
    expect(w.seen.map((s) => [s.serverId, s.sourceMac])).toEqual([
      ['198.18.10.2', '02:00:5e:10:00:02'],
      ['198.18.10.3', undefined],
    ]);
    await w.stop();
    expect(sock.closed).toBe(true);
  });
});
