// Test doubles for engine scenarios: an in-memory lease view that applies the engine's writes the
// way the real repository does, a fake clock, and a fake client that speaks the RFC 2131 client
// side (DISCOVER/REQUEST/…) through the real codec, so every scenario also exercises encode/decode.
import type { UserConfigInput } from '../../src-main/config/schema.js';
import { afterEach, expect } from 'vitest';
import type { AddressingCapabilities } from '../../src-main/dhcp/addressing.js';
import { decode, encode, encodeWithReport, type EncodeResult } from '../../src-main/dhcp/codec.js';
import { Engine, type Decision, type Inbound } from '../../src-main/dhcp/engine.js';
import { DROP_REASONS } from '../../src-main/dhcp/events.js';
import { parseMac, ZERO_IP, type Ipv4 } from '../../src-main/dhcp/ip.js';
import type { Lease, LeaseView } from '../../src-main/dhcp/lease.js';
import { getOption, MessageType, setOption, type OptionMap } from '../../src-main/dhcp/options.js';
import { BOOTREPLY, emptyPacket, FLAG_BROADCAST, type DhcpPacket } from '../../src-main/dhcp/packet.js';
import type { EngineConfig, SubnetPolicy } from '../../src-main/dhcp/policy.js';
import { parseCidr, ipToInt } from '../../src-main/dhcp/ip.js';
import { encodeOptionValue } from '../../src-main/dhcp/options.js';

export class MemoryLeases implements LeaseView {
  readonly ips = new Map<Ipv4, Lease>();
  readonly clients = new Map<string, Lease>();
  byIp(ip: Ipv4) {
    return this.ips.get(ip);
  }
  byClient(id: string) {
    return this.clients.get(id);
  }
  apply(writes: Lease[]) {
    for (const l of writes) {
      this.ips.set(l.ip, l);
      const cur = this.clients.get(l.clientId);
      if (!cur || cur.ip === l.ip || l.lastSeen >= cur.lastSeen) this.clients.set(l.clientId, l);
    }
  }
  all() {
    return [...this.ips.values()];
  }
}

export function subnet(id: string, range: string, extra: Partial<SubnetPolicy> = {}): SubnetPolicy {
  const cidr = parseCidr(id)!;
  const [a, b] = range.split('-') as [string, string];
  return { id, cidr, rangeStart: ipToInt(a), rangeEnd: ipToInt(b), leaseTime: 600, options: new Map(), ...extra };
}

export function labConfig(over: Partial<EngineConfig> = {}): EngineConfig {
  const options: OptionMap = new Map([
    [3, encodeOptionValue(3, ['198.18.10.1'])],
    [6, encodeOptionValue(6, ['198.18.10.53'])],
    [15, encodeOptionValue(15, 'lab.test')],
  ]);
  return {
    serverId: '198.18.10.1',
    subnets: [subnet('198.18.10.0/24', '198.18.10.100-198.18.10.150', { options })],
    reservations: [],
    authoritative: true,
    offerHoldSeconds: 30,
    maxOfferHolds: 1000,
    declineQuarantineSeconds: 600,
    knownClientsOnly: false,
    excluded: [],
    ...over,
  };
}

/** Engine + leases + clock: `world.send(packet)` runs decide(), applies writes, returns the decision. */
export class World {
  now = Date.UTC(2026, 10, 23, 9, 0, 0);
  readonly leases = new MemoryLeases();
  readonly engine: Engine;
  readonly log: Decision[] = [];
  /** The reply of each decision as it went on the wire (bytes and the options left out for 57). */
  readonly wire = new WeakMap<Decision, EncodeResult>();
  constructor(
    readonly config: EngineConfig = labConfig(),
    caps?: AddressingCapabilities,
  ) {
    this.engine = new Engine(config, caps);
  }
  advance(seconds: number) {
    this.now += seconds * 1000;
  }
  send(pkt: DhcpPacket, source: Inbound['source'] = { address: ZERO_IP, port: 68 }): Decision {
    // Through the wire format both ways, as the service does.
    const d = this.engine.decide({ packet: decode(encode(pkt)), source }, { now: this.now, leases: this.leases });
    this.leases.apply(d.writes);
    if (d.reply) {
      const enc = encodeWithReport(d.reply.packet, { maxSize: d.reply.maxSize });
      this.wire.set(d, enc);
      d.reply = { ...d.reply, packet: decode(enc.bytes) };
    }
    this.log.push(d);
    return d;
  }

  /** Every decision so far that dropped: each must name a known reason and carry a drop event. */
  badDrops(): Decision[] {
    return this.log.filter((d) => d.drop !== undefined && (!(d.drop in DROP_REASONS) || !d.events.some((e) => e.type === 'drop' && e.reason === d.drop) || d.reply !== undefined));
  }
  sweep(): Decision {
    const d = this.engine.sweep({ now: this.now, leases: this.leases }, this.leases.all());
    this.leases.apply(d.writes);
    return d;
  }
}

/**
 * A World factory for a test file: after each test, every World it made is checked — each drop
 * names a reason from DROP_REASONS, carries its drop event and sends no reply.
 */
export function worldFactory(): (config?: EngineConfig, caps?: AddressingCapabilities) => World {
  const made: World[] = [];
  afterEach(() => {
    for (const w of made.splice(0)) expect(w.badDrops(), 'every drop names a known reason').toEqual([]);
  });
  return (config, caps) => {
    const w = new World(config, caps);
    made.push(w);
    return w;
  };
}

/** The options of a reply in wire order (53 first … 82 last). */
export function replyCodes(d: Decision): number[] {
  return d.reply ? [...d.reply.packet.options.keys()] : [];
}

let macCounter = 0;
/** A fresh locally administered MAC for flood tests. */
export function nextMac(): string {
  const n = ++macCounter;
  return `0a:00:${((n >> 24) & 255).toString(16).padStart(2, '0')}:${((n >> 16) & 255).toString(16).padStart(2, '0')}:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
}

let xidCounter = 0x1000;

export interface FakeClientOptions {
  clientId?: Uint8Array;
  hostname?: string;
  broadcast?: boolean;
  prl?: number[];
  giaddr?: Ipv4;
  extra?: (p: DhcpPacket) => void;
}

/** A scripted RFC 2131 client. Methods build one message, send it, and return the decision. */
export class FakeClient {
  readonly chaddr: Uint8Array;
  ip: Ipv4 | undefined;
  serverId: Ipv4 | undefined;
  constructor(
    readonly world: World,
    readonly mac: string,
    readonly opts: FakeClientOptions = {},
  ) {
    this.chaddr = new Uint8Array(16);
    this.chaddr.set(Buffer.from(parseMac(mac)!.replace(/:/g, ''), 'hex'));
  }

  /** Builds a message of `type`, lets `build` adjust it, sends it from `source`. */
  send(type: number, build?: (p: DhcpPacket) => void, source?: { address: Ipv4; port: number }): Decision {
    const d = this.transmit(this.packet(type, build), source);
    this.learn(d);
    return d;
  }

  packet(type: number, build?: (p: DhcpPacket) => void): DhcpPacket {
    const p = emptyPacket();
    p.xid = ++xidCounter;
    p.chaddr = this.chaddr.slice();
    if (this.opts.broadcast !== false) p.flags = FLAG_BROADCAST;
    if (this.opts.giaddr) {
      p.giaddr = this.opts.giaddr;
      p.hops = 1;
    }
    setOption(p.options, 53, type);
    if (this.opts.clientId) p.options.set(61, this.opts.clientId);
    if (this.opts.hostname) setOption(p.options, 12, this.opts.hostname);
    setOption(p.options, 55, this.opts.prl ?? [1, 3, 6, 15, 51, 54, 58, 59]);
    this.opts.extra?.(p);
    build?.(p);
    return p;
  }

  discover(requested?: Ipv4): Decision {
    return this.transmit(this.packet(MessageType.DISCOVER, (p) => requested && setOption(p.options, 50, requested)));
  }

  /** SELECTING: request the offered address from the server that offered it. */
  select(offer: Decision, serverId?: Ipv4): Decision {
    const yiaddr = offer.reply!.packet.yiaddr;
    const sid = serverId ?? getOption(offer.reply!.packet.options, 54)!;
    const d = this.transmit(
      this.packet(MessageType.REQUEST, (p) => {
        setOption(p.options, 50, yiaddr);
        setOption(p.options, 54, sid);
      }),
    );
    this.learn(d);
    return d;
  }

  /** DISCOVER → OFFER → REQUEST → ACK; returns the ACK decision. */
  dora(requested?: Ipv4): Decision {
    const offer = this.discover(requested);
    if (!offer.reply) return offer;
    return this.select(offer);
  }

  initReboot(ip: Ipv4 | undefined = this.ip): Decision {
    const d = this.transmit(this.packet(MessageType.REQUEST, (p) => ip && setOption(p.options, 50, ip)));
    this.learn(d);
    return d;
  }

  /** RENEWING at T1: unicast straight to the server (never relayed), ciaddr set, no 50/54, no broadcast flag. */
  renew(): Decision {
    const d = this.transmit(
      this.packet(MessageType.REQUEST, (p) => {
        p.ciaddr = this.ip!;
        p.flags = 0;
        p.giaddr = ZERO_IP;
        p.hops = 0;
      }),
      { address: this.ip!, port: 68, broadcast: false },
    );
    this.learn(d);
    return d;
  }

  /** REBINDING at T2: broadcast, ciaddr set. `broadcast: undefined` is a socket that cannot tell (Windows). */
  rebind(o: { broadcast?: boolean | undefined } = { broadcast: true }): Decision {
    const source: Inbound['source'] = { address: this.ip!, port: 68, ...(o.broadcast !== undefined ? { broadcast: o.broadcast } : {}) };
    const d = this.transmit(this.packet(MessageType.REQUEST, (p) => (p.ciaddr = this.ip!)), source);
    this.learn(d);
    return d;
  }

  release(): Decision {
    const ip = this.ip!;
    this.ip = undefined;
    return this.transmit(
      this.packet(MessageType.RELEASE, (p) => {
        p.ciaddr = ip;
        p.flags = 0;
        p.options.delete(55);
        if (this.serverId) setOption(p.options, 54, this.serverId);
      }),
    );
  }

  decline(ip: Ipv4 = this.ip!): Decision {
    this.ip = undefined;
    return this.transmit(
      this.packet(MessageType.DECLINE, (p) => {
        setOption(p.options, 50, ip);
        setOption(p.options, 54, this.serverId ?? this.world.config.serverId);
        p.options.delete(55);
      }),
    );
  }

  inform(ciaddr: Ipv4): Decision {
    return this.transmit(
      this.packet(MessageType.INFORM, (p) => {
        p.ciaddr = ciaddr;
        p.flags = 0;
      }),
      { address: ciaddr, port: 68 },
    );
  }

  /**
   * As the packet reaches the server: a relayed one (giaddr = our relay) comes from the relay
   * agent's address and the server port 67 (RFC 8357 §1), whatever the client used.
   */
  private transmit(p: DhcpPacket, source?: Inbound['source']): Decision {
    const relayed = this.opts.giaddr !== undefined && p.giaddr === this.opts.giaddr;
    return this.world.send(p, relayed ? { address: this.opts.giaddr!, port: 67 } : source);
  }

  private learn(d: Decision) {
    const r = d.reply?.packet;
    if (!r) return;
    const t = getOption(r.options, 53);
    if (t === MessageType.ACK) {
      this.ip = r.yiaddr;
      this.serverId = getOption(r.options, 54);
    } else if (t === MessageType.NAK) this.ip = undefined;
  }
}

export function replyType(d: Decision): number | undefined {
  return d.reply ? getOption(d.reply.packet.options, 53) : undefined;
}

// ---- packets for codec tests ---------------------------------------------------------------

/** Hand-built messages shaped like what real clients and servers send: seeds for mutation tests. */
export function syntheticPackets(): Uint8Array[] {
  const mac = Uint8Array.from([0x02, 0, 0x5e, 0x10, 0, 0x11, ...new Array<number>(10).fill(0)]);
  const base = (type: number, build: (p: DhcpPacket) => void): Uint8Array => {
    const p = emptyPacket();
    p.xid = 0x5eed0000 + type;
    p.chaddr = mac.slice();
    setOption(p.options, 53, type);
    build(p);
    return encode(p, { maxSize: 1500 });
  };
  return [
    base(MessageType.DISCOVER, (p) => {
      p.flags = FLAG_BROADCAST;
      setOption(p.options, 61, { type: 1, id: mac.slice(0, 6) });
      setOption(p.options, 57, 1500);
      setOption(p.options, 12, 'pocket-client');
      setOption(p.options, 60, 'dhcpcd-9.4.1:Linux-6.1.0:x86_64:GenuineIntel');
      setOption(p.options, 55, [1, 121, 33, 3, 6, 28, 51, 58, 59, 119, 15, 26, 42]);
      setOption(p.options, 81, { flags: 0x05, rcode1: 0, rcode2: 0, name: 'pocket-client.lab.test' });
    }),
    base(MessageType.REQUEST, (p) => {
      setOption(p.options, 50, '198.18.0.120');
      setOption(p.options, 54, '198.18.0.1');
      setOption(p.options, 55, [1, 3, 6, 15]);
      p.giaddr = '198.18.0.2';
      p.hops = 1;
      setOption(p.options, 82, [
        { code: 1, data: Uint8Array.of(0, 4, 0, 1) },
        { code: 2, data: Uint8Array.of(0xab, 0xcd, 0xef) },
        { code: 5, data: Uint8Array.of(198, 18, 0, 0) },
      ]);
    }),
    base(MessageType.ACK, (p) => {
      p.op = BOOTREPLY;
      p.yiaddr = '198.18.0.120';
      setOption(p.options, 54, '198.18.0.1');
      setOption(p.options, 51, 120);
      setOption(p.options, 1, '255.255.255.0');
      setOption(p.options, 3, ['198.18.0.1']);
      setOption(p.options, 6, ['198.18.0.1', '198.18.0.53']);
      setOption(p.options, 119, ['lab.test', 'corp.lab.test', 'eng.corp.lab.test']);
      setOption(p.options, 121, [
        { destination: '0.0.0.0/0', router: '198.18.0.1' },
        { destination: '10.229.0.128/25', router: '198.18.0.254' },
      ]);
      setOption(p.options, 43, Uint8Array.of(1, 4, 198, 18, 0, 9, 255));
    }),
    // An overloaded reply: options continue in file and sname.
    (() => {
      const p = emptyPacket();
      p.op = BOOTREPLY;
      p.chaddr = mac.slice();
      setOption(p.options, 53, MessageType.OFFER);
      setOption(p.options, 54, '198.18.0.1');
      for (let c = 224; c < 234; c++) p.options.set(c, new Uint8Array(40).fill(c));
      return encode(p, { maxSize: 548 });
    })(),
    base(MessageType.INFORM, (p) => {
      p.ciaddr = '198.18.0.77';
      setOption(p.options, 55, [1, 3, 6, 15, 44, 46, 47, 31, 33, 121, 249, 43, 252]);
    }),
  ];
}

// ---- configuration ------------------------------------------------------------------------

/** A lab-bench configuration using every documented setting (config and engine tests share it). */
export const EXAMPLE_CONFIG = {
  interface: 'eth1',
  dataDir: '/var/lib/pocket-dhcp',
  leaseTime: 3600,
  authoritative: true,
  knownClientsOnly: false,
  offerHoldSeconds: 30,
  maxOfferHolds: 10000,
  declineQuarantineSeconds: 600,
  subnets: [
    {
      subnet: '198.18.10.0/24',
      range: '198.18.10.100-198.18.10.200',
      router: '198.18.10.1',
      dns: ['198.18.10.1', '198.18.10.53'],
      domain: 'lab.test',
      renewalTime: 1200,
      rebindingTime: 3000,
      options: {
        'ntp-servers': ['198.18.10.1'],
        '150': ['198.18.10.5'],
        'domain-search': ['lab.test', 'corp.lab.test'],
        'classless-static-route': [
          { destination: '10.0.0.0/8', router: '198.18.10.254' },
          { destination: '0.0.0.0/0', router: '198.18.10.1' },
        ],
        'tftp-server-name': '198.18.10.5',
        'boot-file-name': 'pxelinux.0',
        'interface-mtu': 1500,
        'vendor-encapsulated-options': '01:04:c6:12:0a:05',
      },
    },
    { subnet: '198.18.50.0/24', range: '198.18.50.100 - 198.18.50.150', router: ['198.18.50.1'], leaseTime: 600 },
  ],
  reservations: [
    { mac: '02:00:00:00:00:AA', ip: '198.18.10.20', hostname: 'printer' },
    { mac: '0200.0000.00bb', ip: '198.18.10.21', clientId: '01:02:00:00:00:00:bb', options: { 'boot-file-name': 'ipxe.efi' } },
    { mac: '02-00-00-00-00-cc', ip: '198.18.50.20' },
  ],
} satisfies UserConfigInput;
