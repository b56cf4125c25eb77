// Test doubles for engine scenarios: an in-memory lease view that applies the engine's writes the
// way the real repository does, a fake clock, and a fake client that speaks the RFC 2131 client
// side (DISCOVER/REQUEST/…) through the real codec, so every scenario also exercises encode/decode.
import { decode, encode } from '../../src-main/dhcp/codec.js';
import { Engine, type Decision } from '../../src-main/dhcp/engine.js';
import { parseMac, ZERO_IP, type Ipv4 } from '../../src-main/dhcp/ip.js';
import type { Lease, LeaseView } from '../../src-main/dhcp/lease.js';
import { getOption, MessageType, setOption, type OptionMap } from '../../src-main/dhcp/options.js';
import { emptyPacket, FLAG_BROADCAST, type DhcpPacket } from '../../src-main/dhcp/packet.js';
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
  constructor(readonly config: EngineConfig = labConfig()) {
    this.engine = new Engine(config);
  }
  advance(seconds: number) {
    this.now += seconds * 1000;
  }
  send(pkt: DhcpPacket, source = { address: ZERO_IP, port: 68 }): Decision {
    // Through the wire format both ways, as the service does.
    const d = this.engine.decide({ packet: decode(encode(pkt)), source }, { now: this.now, leases: this.leases });
    this.leases.apply(d.writes);
    if (d.reply) d.reply = { ...d.reply, packet: decode(encode(d.reply.packet, { maxSize: d.reply.maxSize })) };
    this.log.push(d);
    return d;
  }
  sweep(): Decision {
    const d = this.engine.sweep({ now: this.now, leases: this.leases }, this.leases.all());
    this.leases.apply(d.writes);
    return d;
  }
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
    return this.world.send(this.packet(MessageType.DISCOVER, (p) => requested && setOption(p.options, 50, requested)));
  }

  /** SELECTING: request the offered address from the server that offered it. */
  select(offer: Decision, serverId?: Ipv4): Decision {
    const yiaddr = offer.reply!.packet.yiaddr;
    const sid = serverId ?? getOption(offer.reply!.packet.options, 54)!;
    const d = this.world.send(
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
    const d = this.world.send(this.packet(MessageType.REQUEST, (p) => ip && setOption(p.options, 50, ip)));
    this.learn(d);
    return d;
  }

  /** RENEWING at T1: unicast, ciaddr set, no 50/54, no broadcast flag. */
  renew(): Decision {
    const d = this.world.send(
      this.packet(MessageType.REQUEST, (p) => {
        p.ciaddr = this.ip!;
        p.flags = 0;
      }),
      { address: this.ip!, port: 68 },
    );
    this.learn(d);
    return d;
  }

  /** REBINDING at T2: broadcast, ciaddr set. */
  rebind(): Decision {
    const d = this.world.send(this.packet(MessageType.REQUEST, (p) => (p.ciaddr = this.ip!)), { address: this.ip!, port: 68 });
    this.learn(d);
    return d;
  }

  release(): Decision {
    const ip = this.ip!;
    this.ip = undefined;
    return this.world.send(
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
    return this.world.send(
      this.packet(MessageType.DECLINE, (p) => {
        setOption(p.options, 50, ip);
        setOption(p.options, 54, this.serverId ?? this.world.config.serverId);
        p.options.delete(55);
      }),
    );
  }

  inform(ciaddr: Ipv4): Decision {
    return this.world.send(
      this.packet(MessageType.INFORM, (p) => {
        p.ciaddr = ciaddr;
        p.flags = 0;
      }),
      { address: ciaddr, port: 68 },
    );
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
