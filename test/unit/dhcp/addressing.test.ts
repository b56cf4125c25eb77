// RFC 2131 §4.1, "If the 'giaddr' field in a DHCP message from a client is non-zero, the server
// sends any return messages to the 'DHCP server' port on the BOOTP relay agent whose address
// appears in 'giaddr'. If the 'giaddr' field is zero and the 'ciaddr' field is nonzero, then the
// server unicasts DHCPOFFER and DHCPACK messages to the address in 'ciaddr'. If 'giaddr' is zero
// and 'ciaddr' is zero, and the broadcast bit is set, then the server broadcasts DHCPOFFER and
// DHCPACK messages to 0xffffffff. If the broadcast bit is not set and 'giaddr' is zero and
// 'ciaddr' is zero, then the server unicasts DHCPOFFER and DHCPACK messages to the client's
// hardware address and 'yiaddr' address. In all cases, when 'giaddr' is zero, the server
// broadcasts any DHCPNAK messages to 0xffffffff."
// The table below is that paragraph; every combination of its inputs must match exactly its row.
import { describe, expect, it } from 'vitest';
import { CLIENT_PORT, replyDestination, SERVER_PORT, type Destination } from '../../../src-main/dhcp/addressing.js';
import { MessageType, setOption } from '../../../src-main/dhcp/options.js';
import { emptyPacket, FLAG_BROADCAST } from '../../../src-main/dhcp/packet.js';

const RELAY = '198.18.50.1';
const CIADDR = '198.18.10.77';
const YIADDR = '198.18.10.120';
const BCAST = '255.255.255.255';

type Reply = 'OFFER' | 'ACK' | 'NAK';
interface Case {
  giaddr: boolean;
  reply: Reply;
  ciaddr: boolean;
  broadcastBit: boolean;
  unicastToUnconfigured: boolean;
}

// Rows in the order the RFC states them; '*' = any.
const TABLE: { when: Partial<Record<keyof Case, boolean | Reply | readonly Reply[]>>; then: Destination }[] = [
  { when: { giaddr: true }, then: { address: RELAY, port: SERVER_PORT, rule: 'relay' } },
  { when: { giaddr: false, reply: 'NAK' }, then: { address: BCAST, port: CLIENT_PORT, rule: 'nak-broadcast' } },
  { when: { giaddr: false, reply: ['OFFER', 'ACK'], ciaddr: true }, then: { address: CIADDR, port: CLIENT_PORT, rule: 'ciaddr' } },
  { when: { giaddr: false, reply: ['OFFER', 'ACK'], ciaddr: false, broadcastBit: true }, then: { address: BCAST, port: CLIENT_PORT, rule: 'broadcast-flag' } },
  // "unicasts … to the client's hardware address and 'yiaddr'" — only if the transport can
  // address a host that has no IP yet; otherwise the permitted fallback is broadcast.
  { when: { giaddr: false, reply: ['OFFER', 'ACK'], ciaddr: false, broadcastBit: false, unicastToUnconfigured: true }, then: { address: YIADDR, port: CLIENT_PORT, rule: 'unicast-yiaddr' } },
  { when: { giaddr: false, reply: ['OFFER', 'ACK'], ciaddr: false, broadcastBit: false, unicastToUnconfigured: false }, then: { address: BCAST, port: CLIENT_PORT, rule: 'broadcast-no-arp' } },
];

function matches(c: Case, when: (typeof TABLE)[number]['when']): boolean {
  return (Object.keys(when) as (keyof Case)[]).every((k) => {
    const w = when[k];
    return Array.isArray(w) ? w.includes(c[k] as Reply) : w === c[k];
  });
}

const bools = [false, true];
const cases: Case[] = [];
for (const giaddr of bools)
  for (const reply of ['OFFER', 'ACK', 'NAK'] as const)
    for (const ciaddr of bools)
      for (const broadcastBit of bools)
        for (const unicastToUnconfigured of bools) cases.push({ giaddr, reply, ciaddr, broadcastBit, unicastToUnconfigured });

function request(c: Pick<Case, 'giaddr' | 'ciaddr' | 'broadcastBit'>, type: number = MessageType.REQUEST) {
  const p = emptyPacket();
  setOption(p.options, 53, type);
  if (c.giaddr) p.giaddr = RELAY;
  if (c.ciaddr) p.ciaddr = CIADDR;
  if (c.broadcastBit) p.flags = FLAG_BROADCAST;
  return p;
}

describe('reply addressing (RFC 2131 §4.1)', () => {
  it('covers all 48 combinations, each matching exactly one row of the table', () => {
    expect(cases).toHaveLength(48);
    for (const c of cases) expect(TABLE.filter((row) => matches(c, row.when)), JSON.stringify(c)).toHaveLength(1);
  });

  it.each(cases.map((c) => [`giaddr=${c.giaddr ? RELAY : 0} ${c.reply} ciaddr=${c.ciaddr ? CIADDR : 0} B=${+c.broadcastBit} unicastToUnconfigured=${c.unicastToUnconfigured}`, c] as const))('%s', (_name, c) => {
    const type = MessageType[c.reply];
    const yiaddr = c.reply === 'NAK' ? '0.0.0.0' : YIADDR;
    const got = replyDestination(request(c), type, yiaddr, { unicastToUnconfigured: c.unicastToUnconfigured });
    expect(got).toEqual(TABLE.find((row) => matches(c, row.when))!.then);
  });
});

describe('reply addressing for DHCPINFORM (RFC 2131 §4.3.5)', () => {
  it('ciaddr set: straight to ciaddr, whatever the source and broadcast bit', () => {
    const p = request({ giaddr: false, ciaddr: true, broadcastBit: true }, MessageType.INFORM);
    expect(replyDestination(p, MessageType.ACK, '0.0.0.0', { unicastToUnconfigured: false }, '198.18.10.99')).toEqual({ address: CIADDR, port: 68, rule: 'ciaddr' });
  });

  it('ciaddr 0: to the UDP source address, which is the client (ISC dhcpd does the same)', () => {
    for (const broadcastBit of bools) {
      const p = request({ giaddr: false, ciaddr: false, broadcastBit }, MessageType.INFORM);
      expect(replyDestination(p, MessageType.ACK, '0.0.0.0', { unicastToUnconfigured: false }, '198.18.10.99')).toEqual({ address: '198.18.10.99', port: 68, rule: 'inform-source' });
    }
  });

  it('ciaddr 0 and no usable source: broadcast, never a unicast to 0.0.0.0', () => {
    const p = request({ giaddr: false, ciaddr: false, broadcastBit: false }, MessageType.INFORM);
    for (const source of [undefined, '0.0.0.0', '255.255.255.255'])
      expect(replyDestination(p, MessageType.ACK, '0.0.0.0', { unicastToUnconfigured: true }, source)).toEqual({ address: BCAST, port: 68, rule: 'broadcast-no-arp' });
  });

  it('relayed: to the relay', () => {
    const p = request({ giaddr: true, ciaddr: false, broadcastBit: false }, MessageType.INFORM);
    expect(replyDestination(p, MessageType.ACK, '0.0.0.0', { unicastToUnconfigured: false }, RELAY)).toEqual({ address: RELAY, port: 67, rule: 'relay' });
  });

  it('the source address plays no part for other message types', () => {
    const p = request({ giaddr: false, ciaddr: false, broadcastBit: false }, MessageType.DISCOVER);
    expect(replyDestination(p, MessageType.OFFER, YIADDR, { unicastToUnconfigured: false }, '198.18.10.99')).toEqual({ address: BCAST, port: 68, rule: 'broadcast-no-arp' });
  });
});
