// An in-memory DhcpTransport (no socket) and a DHCP client message builder, for unit tests of the
// service and the controller: deliver() feeds bytes as if received on port 67, `sent` records replies.
import { decode, encode } from '../../src-main/dhcp/codec.js';
import { getOption, MessageType, setOption } from '../../src-main/dhcp/options.js';
import { emptyPacket, FLAG_BROADCAST, type DhcpPacket } from '../../src-main/dhcp/packet.js';
import type { DhcpTransport } from '../../src-main/server/dhcp-service.js';
import type { NetInterface } from '../../src-main/net/interfaces.js';

export class MemoryTransport implements DhcpTransport {
  sent: { buf: Uint8Array; port: number; address: string }[] = [];
  healthy = true;
  closed = false;
  private handler: ((buf: Buffer, rinfo: { address: string; port: number }) => void) | undefined;
  constructor(readonly ifname = 'test0') {}
  onMessage(cb: (buf: Buffer, rinfo: { address: string; port: number }) => void) {
    this.handler = cb;
    return () => (this.handler = undefined);
  }
  onError() {
    return () => undefined;
  }
  async send(buf: Uint8Array, port: number, address: string) {
    this.sent.push({ buf, port, address });
  }
  isHealthy() {
    return this.healthy;
  }
  async close() {
    this.closed = true;
  }
  deliver(buf: Uint8Array, address = '0.0.0.0', port = 68) {
    this.handler?.(Buffer.from(buf), { address, port });
  }
  /** Replies of one message type, decoded. */
  replies(type: number): DhcpPacket[] {
    return this.sent.map((s) => decode(s.buf)).filter((p) => getOption(p.options, 53) === type);
  }
}

/** A client message from MAC 02:00:00:00:hi:lo. */
export function clientMessage(type: number, mac: number, build?: (p: DhcpPacket) => void): Uint8Array {
  const p = emptyPacket();
  p.xid = 0x1000 + mac;
  p.flags = FLAG_BROADCAST;
  p.chaddr.set([2, 0, 0, 0, (mac >> 8) & 255, mac & 255]);
  setOption(p.options, 53, type);
  build?.(p);
  return encode(p);
}

export function macOf(n: number): string {
  return `02:00:00:00:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
}

export { MessageType, setOption };

/** An interface as listInterfaces() reports it. */
export function fakeInterface(name: string, ipv4: { address: string; prefix: number; dynamic?: boolean }[], over: Partial<NetInterface> = {}): NetInterface {
  return {
    name,
    index: 7,
    mac: '02:00:00:00:ff:01',
    ipv4: ipv4.map((a) => ({ dynamic: false, ...a })),
    adminUp: true,
    up: true,
    loopback: false,
    virtual: true,
    wireless: false,
    kind: 'veth',
    source: 'ip',
    ...over,
  };
}

export const until = async (cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
