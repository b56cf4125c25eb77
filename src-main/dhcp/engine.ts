// The protocol engine: decide(message, context) → Decision (the reply to send, the lease records
// to persist before sending it, events). RFC 2131 §4.3 server behaviour. The clock and the lease
// view are injected; the engine does no I/O. Its only state is the offer holds (memory-only by
// design) and the configuration.
import { type AddressingCapabilities, type Destination, replyDestination } from './addressing.js';
import { availability, isAssignable, isLive, proposeAddress, Reservations, type AllocationState, type Client } from './allocator.js';
import { DEFAULT_MAX_MESSAGE, maxPayloadFromOption57 } from './codec.js';
import type { DropReason, EngineEvent, RequestState } from './events.js';
import { ipToInt, readIp, ZERO_IP, type Ipv4 } from './ip.js';
import type { Lease, LeaseView } from './lease.js';
import { OfferHolds } from './offer-holds.js';
import { decodeSubOptions, getOption, getOptionLenient, MessageType, OptionValueError } from './options.js';
import { BOOTREPLY, BOOTREQUEST, clientKey, FLAG_BROADCAST, hwAddress, type DhcpPacket } from './packet.js';
import { leaseExpiry, subnetContaining, type EngineConfig, type ReservationPolicy, type SubnetPolicy } from './policy.js';
import { buildReplyOptions } from './reply-options.js';
import { selectClass } from './client-classes.js';
import { ClientRateLimit } from './rate-limit.js';

export interface Inbound {
  packet: DhcpPacket;
  /**
   * UDP source of the datagram, and whether it was broadcast: `broadcast` is true when it was not
   * addressed to the server's own address (a broadcast), false when it was (a unicast to us), and
   * absent where the socket cannot tell (Windows; see net/bound-socket.ts). It separates RENEWING
   * from REBINDING (RFC 2131 §4.3.2).
   */
  source: { address: Ipv4; port: number; broadcast?: boolean };
}

export interface EngineContext {
  /** Epoch milliseconds. */
  now: number;
  leases: LeaseView;
}

export interface Reply {
  packet: DhcpPacket;
  destination: Destination;
  /** Largest UDP payload the receiver accepts (client's option 57, RFC 2132 §9.10). */
  maxSize: number;
  /** A malformed hint of the request the reply could not follow (option 57 of the wrong length), for the log. */
  ignored?: string;
}

export interface Decision {
  reply?: Reply;
  /** Records to make durable *before* the reply leaves (ARCHITECTURE.md, Durability). */
  writes: Lease[];
  events: EngineEvent[];
  drop?: DropReason;
}

interface Req {
  pkt: DhcpPacket;
  type: number;
  client: Client;
  now: number;
  leases: LeaseView;
  /** UDP source address of the datagram. */
  source: Ipv4;
  /** Inbound.source.broadcast: true broadcast, false unicast to us, undefined unknown. */
  broadcast: boolean | undefined;
}

export class Engine {
  readonly holds: OfferHolds;
  /** Per-MAC DISCOVER rate limit (rate-limit.ts). */
  readonly discoverRate: ClientRateLimit;
  /** Per-MAC limit on REQUEST, INFORM and DECLINE together: each may rewrite a lease record or cost a reply. */
  readonly requestRate: ClientRateLimit;
  /** The drop details of the two limits by message type, built once (no string per dropped packet). */
  private readonly rateDetail: Record<number, string>;
  private config: EngineConfig;
  private reservations: Reservations;
  private excluded: Set<number>;
  private readonly selectorSubnets = new Map<Ipv4, SubnetPolicy | undefined>();

  constructor(
    config: EngineConfig,
    private readonly caps: AddressingCapabilities = { unicastToUnconfigured: false },
  ) {
    this.config = config;
    this.holds = new OfferHolds(config.maxOfferHolds);
    this.discoverRate = new ClientRateLimit(config.discoverRateLimit ?? 0);
    this.requestRate = new ClientRateLimit(config.requestRateLimit ?? 0);
    const perSecond = (name: string) => `a ${name} beyond ${this.requestRate.perWindow} REQUEST/INFORM/DECLINE messages in a second`;
    this.rateDetail = { [MessageType.DISCOVER]: `more than ${this.discoverRate.perWindow} DHCPDISCOVERs in a second`, [MessageType.REQUEST]: perSecond('DHCPREQUEST'), [MessageType.INFORM]: perSecond('DHCPINFORM'), [MessageType.DECLINE]: perSecond('DHCPDECLINE') };
    this.reservations = new Reservations(config.reservations);
    this.excluded = new Set([config.serverId, ...config.excluded].map(ipToInt));
  }

  get configuration(): EngineConfig {
    return this.config;
  }

  decide(msg: Inbound, ctx: EngineContext): Decision {
    const pkt = msg.packet;
    if (pkt.op !== BOOTREQUEST) {
      const d = drop('not-a-request');
      // A BOOTREPLY on our link comes from another DHCP server (or a relay): a rogue-server warning.
      if (pkt.op === BOOTREPLY) {
        let serverId: Ipv4 | undefined;
        let messageType: number | undefined;
        try {
          serverId = getOption(pkt.options, 54);
          messageType = getOption(pkt.options, 53);
        } catch {
          /* informative only */
        }
        // Our own reply coming back (a relay or a client's stack that echoes what it heard, seen in
        // the benchmark's flood lab) carries our server id: not another server.
        if (serverId !== this.config.serverId) d.events.push({ type: 'foreign-server', serverId, yiaddr: pkt.yiaddr, messageType, mac: hwAddress(pkt) });
      }
      return d;
    }
    const typeBytes = pkt.options.get(53);
    if (typeBytes === undefined) return drop('no-message-type', hwAddress(pkt));
    if (typeBytes.length !== 1) return drop('malformed-option', hwAddress(pkt), 'option 53 must be one octet');
    if (pkt.hlen === 0) return drop('bad-hardware-address');
    // RFC 2132 §9.14: a client identifier is a type octet plus at least one octet. A shorter one
    // is malformed, and one beyond 255 octets (RFC 3396 fragments) is no real client's; both are
    // dropped as Kea does. Served, the first would be echoed broken (RFC 6842) and the second would
    // become a lease record of any size.
    const clientIdBytes = pkt.options.get(61);
    if (clientIdBytes !== undefined && (clientIdBytes.length < 2 || clientIdBytes.length > 255)) return drop('malformed-option', hwAddress(pkt), `option 61 (client identifier) of ${clientIdBytes.length} octets; it must have 2 to 255`);
    // A relay agent forwards from the server port 67 (RFC 1542/2131, as RFC 8357 §1 sums them up;
    // RFC 8357 lets it use another port and then says so in option 82 sub-option 19), and from an
    // address of its own.
    // A giaddr in a message from the client port or from 0.0.0.0 is a client posing as a relay:
    // served, it would draw addresses from another subnet's pool and aim replies at giaddr:67.
    if (pkt.giaddr !== ZERO_IP && (msg.source.address === ZERO_IP || (msg.source.port !== 67 && !hasRelaySourcePort(pkt)))) {
      return drop('spoofed-relay', hwAddress(pkt), `giaddr ${pkt.giaddr} in a message from ${msg.source.address}:${msg.source.port}`);
    }
    const req: Req = {
      pkt,
      type: typeBytes[0]!,
      client: { clientId: clientKey(pkt), mac: hwAddress(pkt) },
      now: ctx.now,
      leases: ctx.leases,
      source: msg.source.address,
      broadcast: msg.source.broadcast,
    };
    try {
      switch (req.type) {
        case MessageType.DISCOVER:
          return this.discover(req);
        case MessageType.REQUEST:
          if (!this.requestRate.allow(req.client.mac, req.now)) return drop('rate-limited', req.client.mac, this.rateDetail[req.type], req);
          return this.request(req);
        case MessageType.DECLINE:
          if (!this.requestRate.allow(req.client.mac, req.now)) return drop('rate-limited', req.client.mac, this.rateDetail[req.type], req);
          return this.decline(req);
        case MessageType.RELEASE:
          return this.release(req);
        case MessageType.INFORM:
          if (!this.requestRate.allow(req.client.mac, req.now)) return drop('rate-limited', req.client.mac, this.rateDetail[req.type], req);
          return this.inform(req);
        default:
          return drop('bad-message-type', req.client.mac, `message type ${req.type}`, req);
      }
    } catch (e) {
      // Options the engine needs (50, 54, 82 …) are decoded strictly; a malformed one is the
      // client's fault, reported as a named drop, never an exception out of the engine.
      if (e instanceof OptionValueError) return drop('malformed-option', req.client.mac, e.message, req);
      throw e;
    }
  }

  /** Periodic housekeeping: bound leases past expiry become `expired` (persisted), old holds go. */
  sweep(ctx: EngineContext, all: Iterable<Lease>): Decision {
    this.holds.prune(ctx.now);
    const writes: Lease[] = [];
    const events: EngineEvent[] = [];
    for (const l of all) {
      if (l.state === 'bound' && l.expiresAt <= ctx.now) {
        writes.push({ ...l, state: 'expired' });
        events.push({ type: 'expire', ip: l.ip, mac: l.mac, clientId: l.clientId });
      }
    }
    return { writes, events };
  }

  // ---- RFC 2131 §4.3.1 DHCPDISCOVER -------------------------------------------------------

  private discover(r: Req): Decision {
    if (!this.discoverRate.allow(r.client.mac, r.now)) return drop('rate-limited', r.client.mac, this.rateDetail[MessageType.DISCOVER], r);
    const subnet = this.selectSubnet(r.pkt);
    if (!subnet) return drop('not-our-subnet', r.client.mac, relayDetail(r.pkt), r);
    if (this.config.knownClientsOnly && !this.reservations.forClient(r.client.clientId, r.client.mac)) return drop('unknown-client', r.client.mac, undefined, r);
    // Option 50 in a DISCOVER is only a hint (RFC 2131 §4.3.1 "MAY"): a malformed one is ignored.
    const requested = getOptionLenient(r.pkt.options, 50);
    this.holds.dropExpired(r.now);
    const st = this.allocState(r);
    let proposal = proposeAddress(r.client, subnet, requested, st);
    const events: EngineEvent[] = [];
    if (!proposal) {
      // Every free address is merely *offered* to someone: give up the oldest offer (a DISCOVER
      // flood from random MACs must not lock real clients out for the hold time).
      const victim = this.holds.oldestInSubnet(subnet.id, r.client.clientId, r.now);
      if (victim) {
        this.holds.release(victim.clientId);
        events.push({ type: 'offer-evicted', ip: victim.ip, mac: victim.mac, clientId: victim.clientId });
        proposal = proposeAddress(r.client, subnet, requested, st);
      }
    }
    if (!proposal) {
      const d = drop('pool-exhausted', r.client.mac, subnet.id, r);
      d.events.unshift({ type: 'pool-exhausted', subnet: subnet.id, mac: r.client.mac, clientId: r.client.clientId });
      return d;
    }
    const evicted = this.holds.put(
      { clientId: r.client.clientId, mac: r.client.mac, ip: proposal.ip, subnet: subnet.id, expiresAt: r.now + this.config.offerHoldSeconds * 1000 },
      r.now,
    );
    if (evicted) events.push({ type: 'offer-evicted', ip: evicted.ip, mac: evicted.mac, clientId: evicted.clientId });
    const reservation = this.reservationFor(r.client, proposal.ip);
    const reply = this.reply(r, MessageType.OFFER, proposal.ip, subnet, reservation, subnet.leaseTime);
    events.push({ type: 'offer', ip: proposal.ip, mac: r.client.mac, clientId: r.client.clientId, subnet: subnet.id, hostname: hostnameOf(r.pkt), source: proposal.source });
    return { reply, writes: [], events };
  }

  // ---- RFC 2131 §4.3.2 DHCPREQUEST ---------------------------------------------------------

  private request(r: Req): Decision {
    const serverId = getOption(r.pkt.options, 54);
    const requested = getOption(r.pkt.options, 50);
    const ciaddr = r.pkt.ciaddr;

    if (serverId !== undefined) {
      // SELECTING: the client broadcast its choice to every server.
      if (serverId !== this.config.serverId) {
        // Another server won; our offer is free again (RFC 2131 §4.3.2 "… the server … may
        // reuse the address").
        this.holds.release(r.client.clientId);
        return drop('wrong-server-id', r.client.mac, `selected ${serverId}`, r);
      }
      const ip = requested ?? (ciaddr !== ZERO_IP ? ciaddr : undefined);
      if (!ip) return drop('request-missing-address', r.client.mac, undefined, r);
      return this.grant(r, 'selecting', ip, true);
    }
    if (ciaddr === ZERO_IP) {
      // INIT-REBOOT: a client with a remembered address checks it is still valid.
      if (!requested) return drop('request-missing-address', r.client.mac, undefined, r);
      return this.grant(r, 'init-reboot', requested, false);
    }
    // RENEWING (unicast to us) or REBINDING (broadcast), RFC 2131 §4.3.2. The packets are alike;
    // only the IP destination tells them apart. A giaddr means it came through a relay, so it was
    // broadcast: REBINDING. Locally the socket says whether the datagram was addressed to our own
    // address (Linux: a second socket bound to it; macOS: IP_PKTINFO). Where it cannot tell
    // (Windows, `broadcast` undefined) the REQUEST is taken as RENEWING: its ciaddr picks the
    // subnet, so a local rebind with a ciaddr of a relayed subnet is not checked against this wire.
    const rebinding = r.pkt.giaddr !== ZERO_IP || r.broadcast === true;
    return this.grant(r, rebinding ? 'rebinding' : 'renewing', ciaddr, false);
  }

  /** Checks an address for a REQUEST and ACKs or NAKs it (or stays silent where the RFC says so). */
  private grant(r: Req, state: RequestState, ip: Ipv4, selecting: boolean): Decision {
    // A RENEWING client unicasts straight to us (no relay), so only ciaddr tells its network. A
    // REBINDING one broadcasts, so the network it is on *now* is known — through a relay by giaddr,
    // locally the interface's own subnet — and its ciaddr must be checked against that (RFC 2131
    // §4.3.2 "SHOULD check 'ciaddr' for correctness").
    const byCiaddr = state === 'renewing';
    const subnet = byCiaddr ? subnetContaining(this.config.subnets, ip) : this.selectSubnet(r.pkt);
    if (!subnet) {
      if (byCiaddr) return drop('not-our-subnet', r.client.mac, `ciaddr ${ip}`, r);
      return drop('not-our-subnet', r.client.mac, relayDetail(r.pkt), r);
    }
    if (this.config.knownClientsOnly && !this.reservations.forClient(r.client.clientId, r.client.mac)) return drop('unknown-client', r.client.mac, undefined, r);

    const st = this.allocState(r);
    let avail = availability(ip, r.client, subnet, st);
    const record = r.leases.byClient(r.client.clientId);
    const knowsClient = record !== undefined && record.subnet === subnet.id;
    if (avail === 'outside' && subnetContaining([subnet], ip) === undefined) {
      // Wrong network (RFC 2131 §4.3.2 INIT-REBOOT: "SHOULD send a DHCPNAK") — the client moved.
      // A non-authoritative server NAKs only clients it knows: the address may well belong to
      // another server's network on the same wire (ISC dhcpd's "authoritative" semantics).
      if (!selecting && !this.config.authoritative && record === undefined) return drop('no-record', r.client.mac, ip, r);
      return this.nak(r, state, ip, `${ip} is not on network ${subnet.id}`);
    }

    if (!selecting) {
      // INIT-REBOOT / RENEWING / REBINDING: "If the DHCP server has no record of this client,
      // then it MUST remain silent" — unless we are authoritative for this network.
      if (!knowsClient && !this.config.authoritative) return drop('no-record', r.client.mac, ip, r);
      if (knowsClient && record.ip !== ip && isLive(record, r.now) && record.state === 'bound') {
        // The client's notion of its address is wrong (§4.3.2): NAK, it will DISCOVER and get `record.ip`.
        return this.nak(r, state, ip, `requested ${ip}, but this client's lease is ${record.ip}`);
      }
    }
    const events: EngineEvent[] = [];
    if (avail === 'held' && selecting) {
      // An OFFER is not a commitment (RFC 2131 §4.3.1); a client that selected us outranks a mere
      // offer to somebody else. Under a DISCOVER flood the real client's own hold may have been
      // given up and its address re-offered to a random MAC that will never REQUEST it.
      const other = this.holds.onIp(ip, r.now);
      if (other) {
        this.holds.release(other.clientId);
        events.push({ type: 'offer-evicted', ip: other.ip, mac: other.mac, clientId: other.clientId });
      }
      avail = availability(ip, r.client, subnet, st);
    }
    if (!isAssignable(avail)) {
      const why: Record<string, string> = {
        taken: `${ip} is leased to another client`,
        held: `${ip} was just offered to another client`,
        quarantined: `${ip} was declined (address conflict) and is quarantined`,
        reserved: `${ip} is reserved for another client`,
        excluded: `${ip} cannot be leased (server, router or network address)`,
        outside: `${ip} is outside the address pool`,
      };
      return this.nak(r, state, ip, why[avail] ?? `${ip} is not available`);
    }
    // Reserved client asking for a pool address while its reservation is usable: steer it home.
    const reservation = this.reservations.forClient(r.client.clientId, r.client.mac);
    if (reservation && reservation.ip !== ip && availability(reservation.ip, r.client, subnet, st) === 'mine') {
      return this.nak(r, state, ip, `this client has a reservation for ${reservation.ip}`);
    }
    const d = this.ack(r, state, ip, subnet);
    d.events.unshift(...events);
    return d;
  }

  private ack(r: Req, state: RequestState, ip: Ipv4, subnet: SubnetPolicy): Decision {
    const { client, now, pkt } = r;
    const reservation = this.reservationFor(client, ip);
    const leaseTime = subnet.leaseTime;
    const previous = r.leases.byIp(ip);
    const earlier = r.leases.byClient(client.clientId);
    const relay = pkt.giaddr !== ZERO_IP ? pkt.giaddr : undefined;
    const agent = relayAgentIds(pkt);
    const lease: Lease = {
      ip,
      clientId: client.clientId,
      mac: client.mac,
      state: 'bound',
      subnet: subnet.id,
      startsAt: now,
      expiresAt: leaseExpiry(now, leaseTime),
      firstSeen: previous?.clientId === client.clientId ? previous.firstSeen : (earlier?.firstSeen ?? now),
      lastSeen: now,
      ...optional('hostname', hostnameOf(pkt) ?? reservation?.hostname ?? (previous?.clientId === client.clientId ? previous.hostname : undefined)),
      // Bounded like the host name: the client chooses their size (RFC 3396 lets one option span
      // a 64 KB message), and every renewal rewrites the record.
      ...optional('vendorClass', getOptionLenient(pkt.options, 60)?.slice(0, 255)),
      ...optional('paramRequest', getOptionLenient(pkt.options, 55)?.slice(0, 255)),
      ...optional('relay', relay),
      ...optional('circuitId', agent.circuitId),
      ...optional('remoteId', agent.remoteId),
    };
    const writes: Lease[] = [lease];
    // One binding per client: an older live binding elsewhere is superseded.
    if (earlier && earlier.ip !== ip && earlier.clientId === client.clientId && earlier.state === 'bound') {
      writes.push({ ...earlier, state: 'expired', expiresAt: Math.min(earlier.expiresAt, now), lastSeen: now });
    }
    this.holds.release(client.clientId);
    const reply = this.reply(r, MessageType.ACK, ip, subnet, reservation, leaseTime);
    return {
      reply,
      writes,
      events: [{ type: 'ack', ip, mac: client.mac, clientId: client.clientId, subnet: subnet.id, hostname: lease.hostname, state, lease }],
    };
  }

  private nak(r: Req, state: RequestState, ip: Ipv4 | undefined, reason: string): Decision {
    this.holds.release(r.client.clientId);
    const reply = this.reply(r, MessageType.NAK, ZERO_IP, undefined, undefined, undefined, reason);
    return {
      reply,
      writes: [],
      events: [{ type: 'nak', ...optional('ip', ip), mac: r.client.mac, clientId: r.client.clientId, reason, state }],
    };
  }

  // ---- RFC 2131 §4.3.3 DHCPDECLINE ---------------------------------------------------------

  private decline(r: Req): Decision {
    const serverId = getOption(r.pkt.options, 54);
    if (serverId !== undefined && serverId !== this.config.serverId) return drop('wrong-server-id', r.client.mac, `decline for ${serverId}`, r);
    const ip = getOption(r.pkt.options, 50);
    if (!ip) return drop('request-missing-address', r.client.mac, 'DHCPDECLINE without option 50', r);
    const lease = r.leases.byIp(ip);
    const held = this.holds.onIp(ip, r.now);
    const ours = (lease && lease.clientId === r.client.clientId) || held?.clientId === r.client.clientId;
    if (!ours) return drop('decline-not-ours', r.client.mac, ip, r);
    const subnet = subnetContaining(this.config.subnets, ip);
    const until = r.now + this.config.declineQuarantineSeconds * 1000;
    this.holds.release(r.client.clientId);
    const record: Lease = {
      ...(lease ?? { ip, firstSeen: r.now, subnet: subnet?.id ?? '' }),
      ip,
      clientId: r.client.clientId,
      mac: r.client.mac,
      subnet: lease?.subnet ?? subnet?.id ?? '',
      state: 'declined',
      startsAt: r.now,
      expiresAt: until,
      firstSeen: lease?.firstSeen ?? r.now,
      lastSeen: r.now,
    };
    return { writes: [record], events: [{ type: 'decline', ip, mac: r.client.mac, clientId: r.client.clientId, until }] };
  }

  /**
   * The service's ARP probe found `ip` in use by `inUseBy` before it was offered to `client`
   * (RFC 2131 §4.4.1: a server "SHOULD probe the reused address before allocating the address";
   * §3.1 step 2 "e.g., with ICMP echo request"; we use ARP, RFC 5227). Quarantined like a
   * DECLINE, the record naming the device that answered, and the client's offer hold released so
   * that deciding its DISCOVER again proposes the next candidate. A live binding is never
   * overwritten (the allocator does not propose one; this is belt and braces).
   */
  conflict(ip: Ipv4, inUseBy: string, client: Client, ctx: EngineContext): Decision {
    const now = ctx.now;
    if (this.holds.onIp(ip, now)?.clientId === client.clientId) this.holds.release(client.clientId);
    const existing = ctx.leases.byIp(ip);
    const until = now + this.config.declineQuarantineSeconds * 1000;
    const event: EngineEvent = { type: 'conflict', ip, mac: client.mac, clientId: client.clientId, source: 'probe', inUseBy, until };
    if (existing && existing.state === 'bound' && existing.expiresAt > now) return { writes: [], events: [{ ...event, until: existing.expiresAt }] };
    const subnet = subnetContaining(this.config.subnets, ip);
    const record: Lease = {
      ip,
      // The identity the answering device would have as a DHCP client (htype 1 + MAC), so the
      // record reads as "held by that device" in the lease table and exports.
      clientId: `01:${inUseBy}`,
      mac: inUseBy,
      state: 'declined',
      subnet: existing?.subnet ?? subnet?.id ?? '',
      startsAt: now,
      expiresAt: until,
      firstSeen: existing?.firstSeen ?? now,
      lastSeen: now,
    };
    return { writes: [record], events: [event] };
  }

  // ---- RFC 2131 §4.3.4 DHCPRELEASE ---------------------------------------------------------

  private release(r: Req): Decision {
    const serverId = getOption(r.pkt.options, 54);
    if (serverId !== undefined && serverId !== this.config.serverId) return drop('wrong-server-id', r.client.mac, `release for ${serverId}`, r);
    const ip = r.pkt.ciaddr;
    const lease = r.leases.byIp(ip);
    if (!lease || lease.clientId !== r.client.clientId || lease.state !== 'bound') return drop('release-not-ours', r.client.mac, ip, r);
    // Keep the record (stickiness: the client gets this address back next time), but free it now.
    const record: Lease = { ...lease, state: 'released', expiresAt: r.now, lastSeen: r.now };
    return { writes: [record], events: [{ type: 'release', ip, mac: r.client.mac, clientId: r.client.clientId }] };
  }

  // ---- RFC 2131 §4.3.5 DHCPINFORM ----------------------------------------------------------

  private inform(r: Req): Decision {
    const ip = r.pkt.ciaddr !== ZERO_IP ? r.pkt.ciaddr : r.source;
    const subnet = r.pkt.giaddr !== ZERO_IP || ip === ZERO_IP ? this.selectSubnet(r.pkt) : subnetContaining(this.config.subnets, ip);
    if (!subnet) return drop('not-our-subnet', r.client.mac, `ciaddr ${ip}`, r);
    if (this.config.knownClientsOnly && !this.reservations.forClient(r.client.clientId, r.client.mac)) return drop('unknown-client', r.client.mac, undefined, r);
    // The client configured its address itself: no yiaddr, no lease time (table 3).
    const reply = this.reply(r, MessageType.ACK, ZERO_IP, subnet, this.reservations.forClient(r.client.clientId, r.client.mac), undefined);
    return { reply, writes: [], events: [{ type: 'inform', ip, mac: r.client.mac, clientId: r.client.clientId }] };
  }

  // ---- helpers ------------------------------------------------------------------------------

  private allocState(r: Req): AllocationState {
    return { config: this.config, leases: r.leases, holds: this.holds, reservations: this.reservations, excluded: this.excluded, now: r.now };
  }

  private reservationFor(client: Client, ip: Ipv4): ReservationPolicy | undefined {
    const res = this.reservations.forClient(client.clientId, client.mac);
    return res && res.ip === ip ? res : undefined;
  }

  /**
   * RFC 2131 §4.3.1: the client's network is the relay's (giaddr) or, without a relay, the
   * interface's (subnets[0]). RFC 3527 link selection (82.5) and RFC 3011 subnet selection
   * (118) name it explicitly and win.
   */
  private selectSubnet(pkt: DhcpPacket): SubnetPolicy | undefined {
    const link = linkSelection(pkt);
    const selector = link ?? getOption(pkt.options, 118) ?? (pkt.giaddr !== ZERO_IP ? pkt.giaddr : undefined);
    if (selector !== undefined) return this.subnetOfSelector(selector);
    return this.config.subnets[0];
  }

  /**
   * subnetContaining() for a relay or link-selection address, remembered: a relayed network sends
   * every packet with the same few selectors, and the configuration never changes under an Engine.
   * Bounded, because the selector comes from the packet.
   */
  private subnetOfSelector(selector: Ipv4): SubnetPolicy | undefined {
    const known = this.selectorSubnets.get(selector);
    if (known !== undefined || this.selectorSubnets.has(selector)) return known;
    if (this.selectorSubnets.size >= 256) this.selectorSubnets.clear();
    const subnet = subnetContaining(this.config.subnets, selector);
    this.selectorSubnets.set(selector, subnet);
    return subnet;
  }

  private reply(
    r: Req,
    type: number,
    yiaddr: Ipv4,
    subnet: SubnetPolicy | undefined,
    reservation: ReservationPolicy | undefined,
    leaseTime: number | undefined,
    message?: string,
  ): Reply {
    const req = r.pkt;
    const isNak = type === MessageType.NAK;
    const isInformAck = r.type === MessageType.INFORM;
    // Vendor class / PXE architecture / iPXE (client-classes.ts): options, next server, boot file.
    const cls = isNak ? undefined : selectClass(this.config.classes, req.options);
    const packet: DhcpPacket = {
      op: BOOTREPLY,
      htype: req.htype,
      hlen: req.hlen,
      hops: 0,
      xid: req.xid,
      secs: 0,
      // §4.3.2: a NAK through a relay carries the broadcast bit so the relay broadcasts it.
      flags: isNak && req.giaddr !== ZERO_IP ? req.flags | FLAG_BROADCAST : req.flags,
      // Table 3: ciaddr 0 in OFFER and NAK; copied in an ACK (renewal, INFORM).
      ciaddr: type === MessageType.ACK ? req.ciaddr : ZERO_IP,
      yiaddr,
      siaddr: cls?.siaddr ?? ZERO_IP,
      giaddr: req.giaddr,
      chaddr: req.chaddr,
      sname: '',
      file: cls?.file ?? '',
      options: buildReplyOptions({
        type,
        serverId: this.config.serverId,
        subnet,
        reservation,
        clientClass: cls,
        leaseTime: isInformAck ? undefined : leaseTime,
        request: req.options,
        message,
      }),
    };
    // RFC 2132 §9.10: option 57 is two octets, at least 576. Anything else is only a hint we
    // cannot use: the reply keeps to the default size, and the log says why (never silently).
    const mms = req.options.get(57);
    const maxMessage = mms !== undefined && mms.length === 2 ? (mms[0]! << 8) | mms[1]! : undefined;
    const out: Reply = { packet, destination: replyDestination(req, type, yiaddr, this.caps, r.source), maxSize: maxPayloadFromOption57(maxMessage) };
    if (mms !== undefined && (maxMessage === undefined || maxMessage < 576)) out.ignored = maxMessageNote(mms.length, maxMessage);
    return out;
  }
}

/** Why a client's option 57 was not used (the service logs it as a warning). */
function maxMessageNote(octets: number, value: number | undefined): string {
  const why = value === undefined ? `is ${octets} octet${octets === 1 ? '' : 's'} long; it must be 2` : `says ${value} bytes, below the minimum of 576`;
  return `option 57 (maximum message size) ${why} (RFC 2132 §9.10): ignored, the reply keeps to the default ${DEFAULT_MAX_MESSAGE + 28}-byte message`;
}

function drop(reason: DropReason, mac?: string, detail?: string, r?: Req): Decision {
  return {
    writes: [],
    events: [{ type: 'drop', reason, ...optional('detail', detail), ...optional('mac', mac), ...optional('clientId', r?.client.clientId), ...optional('messageType', r?.type) }],
    drop: reason,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function relayDetail(pkt: DhcpPacket): string {
  return pkt.giaddr !== ZERO_IP ? `relay ${pkt.giaddr}` : 'no subnet for this interface';
}

/** Host name from option 12, else the FQDN (81), cleaned for display and the lease file. */
function hostnameOf(pkt: DhcpPacket): string | undefined {
  const raw = getOptionLenient(pkt.options, 12) ?? getOptionLenient(pkt.options, 81)?.name;
  if (!raw) return undefined;
  const clean = raw.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '').trim().slice(0, 253);
  return clean || undefined;
}

/** RFC 3527: sub-option 5 of option 82 names the client's link when giaddr cannot. */
function linkSelection(pkt: DhcpPacket): Ipv4 | undefined {
  const data = pkt.options.get(82);
  if (!data) return undefined;
  const sub = decodeSubOptions(82, data).find((s) => s.code === 5);
  if (!sub) return undefined;
  if (sub.data.length !== 4) throw new OptionValueError(82, 'link-selection sub-option must be 4 bytes');
  return readIp(sub.data, 0);
}

function relayAgentIds(pkt: DhcpPacket): { circuitId?: string; remoteId?: string } {
  const data = pkt.options.get(82);
  if (!data) return {};
  try {
    const subs = decodeSubOptions(82, data);
    const hex = (code: number) => {
      const s = subs.find((x) => x.code === code);
      return s ? Buffer.from(s.data).toString('hex') : undefined;
    };
    return { ...optional('circuitId', hex(1)), ...optional('remoteId', hex(2)) };
  } catch {
    return {};
  }
}

/** RFC 8357 §5: a relay that sends from a port other than 67 says so in option 82 sub-option 19. */
function hasRelaySourcePort(pkt: DhcpPacket): boolean {
  const data = pkt.options.get(82);
  if (!data) return false;
  try {
    return decodeSubOptions(82, data).some((s) => s.code === 19);
  } catch {
    return false;
  }
}
