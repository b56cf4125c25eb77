// dhcp-probe.ts / dhcp-probe-message.ts without a network: the DISCOVER we send, reading real
// captured replies of dnsmasq and Kea, the sentences the user sees, and the probe's and the
// watcher's logic over a scripted socket (which replies count, which are ours, what happens when
// port 68 cannot be opened). test/integration/reliability/dhcp-probe.test.ts does it for real.
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../../src-main/dhcp/codec.js';
import { getOption, MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { BOOTREPLY, emptyPacket, FLAG_BROADCAST } from '../../../src-main/dhcp/packet.js';
import type { BoundSocket } from '../../../src-main/net/bound-socket.js';
import { NetError } from '../../../src-main/net/net-error.js';
import { checkForDhcpServers, DhcpProbeError, probeForDhcpServers, watchForForeignServers, type ForeignServer } from '../../../src-main/net/dhcp-probe.js';
import { buildProbeDiscover, foreignServerWarning, probeMessage, randomLocalMac, readServerReply } from '../../../src-main/net/dhcp-probe-message.js';
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
      'Another DHCP server is answering on eth1: 198.18.10.2 acknowledged 198.18.10.57 to 02:00:00:00:00:01. Clients may get conflicting addresses — stop that server or unplug this interface from its network.',
    );
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
    const found = await probeForDhcpServers('eth1', { timeoutMs: 150, ownAddresses: ['198.18.10.1'], open: async () => sock });
    expect(found.map((s) => [s.serverId, s.offered])).toEqual([['198.18.10.2', '198.18.10.57']]);
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
    const w = await watchForForeignServers('eth1', (s) => seen.push(s), { ownAddresses: ['198.18.10.1'], repeatAfterMs: 60_000, open: async () => sock });
    const d = buildProbeDiscover(1, Uint8Array.of(2, 0, 0, 0, 0, 9));
    sock.deliver(reply(d, { serverId: '198.18.10.1', yiaddr: '198.18.10.100' }), '198.18.10.1'); // ours, looped back
    sock.deliver(reply(d, { serverId: '198.18.10.2', yiaddr: '198.18.10.57' }), '198.18.10.2');
    sock.deliver(reply(d, { serverId: '198.18.10.2', yiaddr: '198.18.10.57', type: MessageType.ACK }), '198.18.10.2'); // same server: quiet
    sock.deliver(reply(d, { serverId: '198.18.10.3', type: MessageType.NAK }), '198.18.10.3');
    sock.deliver(Buffer.from(d), '0.0.0.0'); // a client's DISCOVER
    sock.deliver(Buffer.from('junk'), '198.18.10.4');
    expect(seen.map((s) => [s.serverId, s.messageType])).toEqual([
      ['198.18.10.2', 'offer'],
      ['198.18.10.3', 'nak'],
    ]);
    expect(w.seen.map((s) => s.serverId)).toEqual(['198.18.10.2', '198.18.10.3']);
    await w.stop();
    expect(sock.closed).toBe(true);
  });
});
