// Codec round trips over real captured packets (test/fixtures/packets.ts: dhclient, udhcpc,
// dhcpcd, dnsmasq, Kea, perfdhcp — see capture-packets.sh) and over messages from public sources
// (test/fixtures/public-packets.ts: Wireshark's dhcp.pcap, Kea's captures, Windows, Android, a
// crafted option-overload message).
//
// What is compared: not bytes (encode normalises: 53 first, 82 last, no pad options, one END,
// padding to 300, no overload unless needed), but the decoded packet — every BOOTP header field,
// sname/file as text, and every option's (concatenated) data by code. So for each fixture x:
//   decode(encode(decode(x))) deep-equals decode(x), nothing is omitted, and a second
//   encode is byte-identical to the first.
import { describe, expect, it } from 'vitest';
import { decode, DEFAULT_MAX_MESSAGE, encodeWithReport, MAGIC_COOKIE } from '../../../src-main/dhcp/codec.js';
import { Engine } from '../../../src-main/dhcp/engine.js';
import { DROP_REASONS } from '../../../src-main/dhcp/events.js';
import { decodeOptionValue, getOption, getOptionLenient, MessageType, optionDef } from '../../../src-main/dhcp/options.js';
import { BOOTREPLY, BOOTREQUEST, hwAddress } from '../../../src-main/dhcp/packet.js';
import { PACKETS } from '../../fixtures/packets.js';
import { PUBLIC_PACKETS } from '../../fixtures/public-packets.js';
import { labConfig, MemoryLeases, subnet } from '../../helpers/fake-dhcp.js';

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

describe('codec over captured packets', () => {
  it('has fixtures from several real clients and servers', () => {
    expect(PACKETS.length).toBeGreaterThanOrEqual(10);
    const names = PACKETS.map((p) => p.name).join(' ');
    for (const who of ['dhclient', 'udhcpc', 'dhcpcd']) expect(names).toContain(who);
    for (const p of PACKETS) expect(p.source.length).toBeGreaterThan(0);
    expect(new Set(PACKETS.map((p) => p.name)).size).toBe(PACKETS.length);
  });

  it('has fixtures from public sources, each with its provenance', () => {
    const names = PUBLIC_PACKETS.map((p) => p.name).join(' ');
    for (const who of ['wireshark', 'kea-capture', 'windows', 'android', 'overload']) expect(names).toContain(who);
    for (const p of PUBLIC_PACKETS) expect(p.source).toMatch(/ @ [0-9a-f]{40}|same (source|commit)|same file/);
    expect(new Set([...PACKETS, ...PUBLIC_PACKETS].map((p) => p.name)).size).toBe(PACKETS.length + PUBLIC_PACKETS.length);
  });

  describe.each([...PACKETS, ...PUBLIC_PACKETS].map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const wire = bytesOf(f.hex);

    it('decodes to a plausible DHCP message', () => {
      const p = decode(wire);
      expect([BOOTREQUEST, BOOTREPLY]).toContain(p.op);
      expect(((wire[236]! << 24) | (wire[237]! << 16) | (wire[238]! << 8) | wire[239]!) >>> 0).toBe(MAGIC_COOKIE);
      const type = getOption(p.options, 53);
      expect(type).toBeGreaterThanOrEqual(MessageType.DISCOVER);
      expect(type).toBeLessThanOrEqual(MessageType.INFORM);
      // Requests come from clients, replies from servers.
      const fromServer = type === MessageType.OFFER || type === MessageType.ACK || type === MessageType.NAK;
      expect(p.op).toBe(fromServer ? BOOTREPLY : BOOTREQUEST);
      expect(p.htype).toBe(1);
      expect(p.hlen).toBe(6);
      expect(hwAddress(p)).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(hwAddress(p)).not.toBe('00:00:00:00:00:00');
      expect(p.chaddr.subarray(6).every((b) => b === 0)).toBe(true);
      if (fromServer) expect(p.options.has(54)).toBe(true);
      // A client id of type 1 carries the client's own MAC.
      const cid = p.options.get(61);
      if (cid && cid[0] === 1 && cid.length === 7) expect([...cid.subarray(1)]).toEqual([...p.chaddr.subarray(0, 6)]);
    });

    it('every option the table knows decodes to its typed value', () => {
      const p = decode(wire);
      for (const [code, data] of p.options) {
        if (optionDef(code)) expect(() => decodeOptionValue(code, data), `option ${code}`).not.toThrow();
      }
    });

    it('decode(encode(decode(x))) equals decode(x); re-encoding is byte-stable', () => {
      const p = decode(wire);
      const maxSize = Math.max(DEFAULT_MAX_MESSAGE, wire.length);
      const once = encodeWithReport(p, { maxSize });
      expect(once.omitted).toEqual([]);
      expect(once.bytes.length).toBeLessThanOrEqual(maxSize);
      expect(once.bytes.length).toBeGreaterThanOrEqual(300);
      const q = decode(once.bytes);
      expect(q).toEqual(p);
      expect(once.bytes[240]).toBe(53);
      const twice = encodeWithReport(q, { maxSize });
      expect(Buffer.from(twice.bytes).equals(Buffer.from(once.bytes))).toBe(true);
    });
  });

  it('the engine answers every captured client message without throwing, or drops it with a named reason', () => {
    const engine = new Engine(labConfig({ serverId: '198.18.0.1', subnets: [subnet('198.18.0.0/24', '198.18.0.100-198.18.0.250')] }));
    const leases = new MemoryLeases();
    for (const f of [...PACKETS, ...PUBLIC_PACKETS]) {
      const p = decode(bytesOf(f.hex));
      const d = engine.decide({ packet: p, source: { address: p.ciaddr, port: 68 } }, { now: Date.UTC(2026, 10, 23), leases });
      leases.apply(d.writes);
      if (d.drop) expect(Object.keys(DROP_REASONS), f.name).toContain(d.drop);
      // A reply is another server's unless it carries our own server id (our reply echoed back).
      if (p.op === BOOTREPLY) expect(d.events.some((e) => e.type === 'foreign-server'), f.name).toBe(getOptionLenient(p.options, 54) !== '198.18.0.1');
      if (d.reply) expect(() => encodeWithReport(d.reply!.packet, { maxSize: d.reply!.maxSize }), f.name).not.toThrow();
    }
  });

  // Other encoders pad, order and overload differently; where ours writes other bytes, say why.
  const NOT_BYTE_EXACT: Record<string, string> = {
    'wireshark-dhcp-pcap-discover': '272 bytes: ours pads to the 300-byte BOOTP minimum',
    'wireshark-dhcp-pcap-request': '272 bytes: ours pads to 300',
    'kea-capture-genexis-discover': 'zero padding to 576 bytes: ours stops at 300',
    'android-7-discover': 'one pad octet after END: ours writes none',
    'android-7-request': 'one pad octet after END: ours writes none',
    'android-network-offer': '11 octets after END and 289 bytes: ours drops them and pads to 300',
    'crafted-overload-discover': 'option 52 spreads options into sname and file: ours needs no overload for them',
  };

  it.each(PUBLIC_PACKETS.map((f) => [f.name, f] as const))('public %s: re-encoded byte for byte unless listed with a reason', (name, f) => {
    const wire = bytesOf(f.hex);
    const bytes = encodeWithReport(decode(wire), { maxSize: Math.max(DEFAULT_MAX_MESSAGE, wire.length) }).bytes;
    expect(Buffer.from(bytes).equals(Buffer.from(wire)), NOT_BYTE_EXACT[name] ?? 'byte-exact').toBe(!(name in NOT_BYTE_EXACT));
  });

  it('option overload (52 = 3): options, file and sname are read in that order and split options concatenated (RFC 2131 §4.1, RFC 3396)', () => {
    const f = PUBLIC_PACKETS.find((x) => x.name === 'crafted-overload-discover')!;
    const p = decode(bytesOf(f.hex));
    expect(Buffer.from(p.options.get(56)!).toString('latin1')).toBe('Paddingfile name field overloadsname field overload');
    expect(p.options.has(52)).toBe(false); // consumed by the decoder
    expect([...p.options.keys()]).toEqual([53, 57, 55, 51, 56, 61]);
    // The overloaded fields carried options, not names.
    expect([p.sname, p.file]).toEqual(['', '']);
  });

  it('octets after the END option are ignored (android-network-offer)', () => {
    const p = decode(bytesOf(PUBLIC_PACKETS.find((x) => x.name === 'android-network-offer')!.hex));
    expect([...p.options.keys()]).toEqual([53, 54, 51, 1, 3, 6]);
    expect(getOption(p.options, 6)).toEqual(['8.8.8.8', '8.8.4.4']);
  });

  it('typed values of the public captures: Windows vendor class, Android host name, Kea infinite lease, relayed option 82', () => {
    const get = (name: string) => decode(bytesOf(PUBLIC_PACKETS.find((x) => x.name === name)!.hex));
    expect(getOption(get('windows-msft5-discover').options, 60)).toBe('MSFT 5.0');
    expect(getOption(get('windows-msft5-discover').options, 12)).toBe('PC103553');
    expect(getOption(get('android-7-discover').options, 60)).toBe('android-dhcp-7.1.2');
    expect(getOption(get('kea-capture-genexis-discover').options, 51)).toBe(0xffffffff);
    const relayed = get('kea-capture-docsis-relayed-discover');
    expect(relayed.giaddr).toBe('10.254.226.1');
    expect(relayed.hops).toBe(1);
    expect(getOption(relayed.options, 82)!.map((s) => s.code)).toEqual([1, 2, 9]);
  });
});
