// DhcpService: socket → codec → engine → repository (durable) → socket. The one place where the
// pure engine meets I/O. It owns the order that makes leases durable (an ACK leaves only after its
// lease record is on disk), counts everything it drops, watches the socket's health, and emits
// events for the log, the CLI and the UI.
import { decode, DecodeError, encodeWithReport, EncodeError } from '../dhcp/codec.js';
import { Engine, type Decision } from '../dhcp/engine.js';
import { DROP_REASONS, type DropReason, type EngineEvent } from '../dhcp/events.js';
import type { Lease, LeaseView } from '../dhcp/lease.js';
import { messageTypeName } from '../dhcp/options.js';
import { hwAddress, type DhcpPacket } from '../dhcp/packet.js';
import type { EngineConfig } from '../dhcp/policy.js';
import type { ArpProber, ProberStats } from '../net/arp-probe.js';

/** What the service needs of the socket layer (src-main/net BoundSocket satisfies it). */
export interface DhcpTransport {
  readonly ifname: string;
  /** `broadcast`: whether the datagram was broadcast or addressed to us; absent when the socket cannot tell (Inbound.source). */
  onMessage(cb: (buf: Buffer, rinfo: { address: string; port: number; broadcast?: boolean }) => void): () => void;
  onError(cb: (err: Error) => void): () => void;
  send(buf: Uint8Array, port: number, address: string): Promise<void>;
  isHealthy(): boolean;
  close(): Promise<void>;
}

/** What the service needs of the lease repository (src-main/leases LeaseStore satisfies it). */
export interface LeaseRepository {
  readonly view: LeaseView;
  all(): Lease[];
  /** Updates the in-memory index at once; resolves when the records are durable. */
  apply(leases: Lease[]): Promise<void>;
}

export interface Counters {
  received: number;
  offers: number;
  acks: number;
  naks: number;
  informs: number;
  declines: number;
  releases: number;
  expired: number;
  drops: Partial<Record<DropReason, number>>;
  /** Replies that left the socket. */
  sent: number;
}

export type PacketSummary = {
  direction: 'in' | 'out';
  type: string;
  mac: string;
  xid: number;
  ip?: string;
  peer: string;
  size: number;
};

export type ServiceEvent =
  | { kind: 'dhcp'; at: number; event: EngineEvent }
  | { kind: 'packet'; at: number; packet: PacketSummary }
  | { kind: 'lease'; at: number; lease: Lease }
  | { kind: 'warning'; at: number; code: string; message: string }
  | { kind: 'state'; at: number; state: ServiceState; detail?: string };

export type ServiceState = 'running' | 'interface-lost' | 'stopped';

export interface ServiceOptions {
  config: EngineConfig;
  repository: LeaseRepository;
  /** Opens the interface-bound socket; called again to recover after the NIC was re-plugged. */
  openTransport: () => Promise<DhcpTransport>;
  clock?: () => number;
  sweepIntervalMs?: number;
  healthIntervalMs?: number;
  /** Emit a 'packet' event per datagram (the UI's log wants them; a benchmark does not). */
  packetEvents?: boolean;
  /** ARP conflict check before fresh OFFERs and after DECLINEs; see conflictCheckStatus(). */
  conflictCheck?: ConflictCheckSetup;
}

/** How the conflict check was set up at start: on (with its prober), off by configuration, or unavailable and why. */
export type ConflictCheckSetup = { state: 'on'; prober: ArpProber } | { state: 'off' } | { state: 'unavailable'; reason: string };

export interface ConflictCheckStatus {
  state: 'on' | 'off' | 'unavailable';
  /** Why it is unavailable (or why the last probe could not be sent while on). */
  reason?: string;
  timeoutMs?: number;
  stats?: ProberStats;
}

/** Probes per DISCOVER before giving up on it (each conflict quarantines one address). */
const MAX_PROBES_PER_DISCOVER = 4;

export function emptyCounters(): Counters {
  return { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 };
}

export class DhcpService {
  readonly engine: Engine;
  readonly counters: Counters = emptyCounters();
  readonly startedAt: number;
  /** Replaced, never changed in place, so emit() can walk it while a listener unsubscribes. */
  private listeners: readonly ((e: ServiceEvent) => void)[] = [];
  private transport: DhcpTransport | undefined;
  private unsubscribe: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  /** Lease writes and sends not finished yet; stop() waits for them (a counter: no promise per packet just to track it). */
  private inflight = 0;
  private drained: (() => void)[] = [];
  private stopped = false;
  private _state: ServiceState = 'running';
  private readonly clock: () => number;

  private constructor(private readonly opts: ServiceOptions) {
    this.engine = new Engine(opts.config);
    this.clock = opts.clock ?? Date.now;
    this.startedAt = this.clock();
  }

  /** Opens the socket (errors propagate: the caller shows them) and starts serving. */
  static async start(opts: ServiceOptions): Promise<DhcpService> {
    const svc = new DhcpService(opts);
    svc.attach(await opts.openTransport());
    svc.timers.push(setInterval(() => svc.sweep(), opts.sweepIntervalMs ?? 5_000));
    svc.timers.push(setInterval(() => void svc.checkHealth(), opts.healthIntervalMs ?? 2_000));
    for (const t of svc.timers) t.unref();
    svc.emit({ kind: 'state', at: svc.clock(), state: 'running', detail: `listening on ${svc.transport!.ifname} ${opts.config.serverId}:67` });
    if (opts.conflictCheck?.state === 'unavailable') svc.warn('conflict-check-unavailable', `conflict check unavailable: ${opts.conflictCheck.reason} Serving without it.`);
    return svc;
  }

  get state(): ServiceState {
    return this._state;
  }

  get ifname(): string | undefined {
    return this.transport?.ifname;
  }

  on(listener: (e: ServiceEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners = [...this.listeners.slice(0, i), ...this.listeners.slice(i + 1)];
    };
  }

  /** Stops receiving, waits for in-flight lease writes and replies, closes the socket. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.detach();
    // Pending probes end at once ('unchecked'); their OFFERs are not sent (stopped).
    if (this.opts.conflictCheck?.state === 'on') this.opts.conflictCheck.prober.close();
    if (this.inflight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    await this.transport?.close();
    this.transport = undefined;
    this._state = 'stopped';
    this.emit({ kind: 'state', at: this.clock(), state: 'stopped' });
  }

  /** Calls each listener in turn (an exception propagates, as from an EventEmitter). One call per event per listener, nothing allocated. */
  private emit(e: ServiceEvent): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(e);
  }

  private attach(t: DhcpTransport): void {
    this.transport = t;
    this.unsubscribe = [
      t.onMessage((buf, rinfo) => this.receive(buf, rinfo)),
      t.onError((err) => this.warn('socket-error', err.message)),
    ];
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  private warn(code: string, message: string): void {
    this.emit({ kind: 'warning', at: this.clock(), code, message });
  }

  private countDrop(reason: DropReason): void {
    this.counters.drops[reason] = (this.counters.drops[reason] ?? 0) + 1;
  }

  /** Handles one datagram. Public for tests that feed bytes without a socket. */
  receive(buf: Buffer, rinfo: { address: string; port: number; broadcast?: boolean }): void {
    if (this.stopped) return;
    this.counters.received++;
    const now = this.clock();
    let packet: DhcpPacket;
    try {
      packet = decode(buf);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.countDrop('decode-error');
      this.emit({ kind: 'dhcp', at: now, event: { type: 'drop', reason: 'decode-error', detail: `${e.message} (${buf.length} bytes from ${rinfo.address}:${rinfo.port})` } });
      return;
    }
    if (this.opts.packetEvents !== false) this.emitPacket('in', packet, `${rinfo.address}:${rinfo.port}`, buf.length, now);
    const decision = this.engine.decide({ packet, source: rinfo }, { now, leases: this.opts.repository.view });
    // Only OFFERs of fresh addresses and DECLINEs look further (a few events at most); REQUESTs
    // and renewals go straight on.
    if (this.prober !== undefined && decision.events.length > 0 && this.conflictCheck(decision, packet, rinfo, now, 1)) return;
    this.apply(decision, now);
  }

  private get prober(): ArpProber | undefined {
    const c = this.opts.conflictCheck;
    return c?.state === 'on' ? c.prober : undefined;
  }

  conflictCheckStatus(): ConflictCheckStatus {
    const c = this.opts.conflictCheck;
    if (!c || c.state === 'off') return { state: 'off' };
    if (c.state === 'unavailable') return { state: 'unavailable', reason: c.reason };
    return { state: 'on', timeoutMs: c.prober.timeoutMs, stats: { ...c.prober.stats }, ...(c.prober.lastError ? { reason: c.prober.lastError } : {}) };
  }

  /**
   * Takes over `d` when it is an OFFER of an address not known to be this client's (a fresh
   * allocation): the OFFER waits for an ARP probe (net/arp-probe.ts); an address that answers is
   * quarantined through the engine and the DISCOVER decided again, at most MAX_PROBES_PER_DISCOVER
   * times. Also probes a DECLINEd address to name who holds it. Returns true when it took `d`.
   */
  private conflictCheck(d: Decision, packet: DhcpPacket, rinfo: { address: string; port: number; broadcast?: boolean }, now: number, attempt: number): boolean {
    // ARP reaches only our own link: a relayed client (giaddr set) lives on another one.
    if (packet.giaddr !== '0.0.0.0') return false;
    const prober = this.prober!;
    for (const ev of d.events) {
      if (ev.type === 'decline') {
        this.apply(d, now);
        this.probeDeclined(prober, ev);
        return true;
      }
      if (ev.type !== 'offer') continue;
      const ip = ev.ip;
      const client = { clientId: ev.clientId, mac: ev.mac };
      let wait = prober.inFlight(ip);
      let report = true;
      if (wait) report = false; // a retransmitted DISCOVER: the first one reports what the probe finds
      else if (ev.source === 'previous' || this.opts.repository.view.byIp(ip)?.clientId === ev.clientId) return false;
      else wait = prober.probe(ip);
      this.inflight++;
      wait.then(
        (r) => {
          try {
            if (this.stopped) return;
            const at = this.clock();
            if (r.outcome !== 'in-use' || !r.inUseBy) return this.apply(d, at);
            if (report) this.apply(this.engine.conflict(ip, r.inUseBy, client, { now: at, leases: this.opts.repository.view }), at);
            if (attempt >= MAX_PROBES_PER_DISCOVER) {
              this.countDrop('address-conflicts');
              this.emit({ kind: 'dhcp', at, event: { type: 'drop', reason: 'address-conflicts', detail: `${attempt} addresses in use`, mac: client.mac, clientId: client.clientId, messageType: 1 } });
              return;
            }
            const next = this.engine.decide({ packet, source: rinfo }, { now: at, leases: this.opts.repository.view });
            if (!this.conflictCheck(next, packet, rinfo, at, attempt + 1)) this.apply(next, at);
          } finally {
            this.settled();
          }
        },
        () => this.settled(),
      );
      return true;
    }
    return false;
  }

  /** A DECLINE says "somebody else has this address": ask the wire who (for the log and the UI). */
  private probeDeclined(prober: ArpProber, ev: Extract<EngineEvent, { type: 'decline' }>): void {
    prober.forget(ev.ip);
    this.inflight++;
    prober.probe(ev.ip, { fresh: true }).then(
      (r) => {
        try {
          if (this.stopped || r.outcome === 'unchecked') return;
          const event: EngineEvent = { type: 'conflict', ip: ev.ip, mac: ev.mac, clientId: ev.clientId, source: 'decline', until: ev.until, ...(r.inUseBy ? { inUseBy: r.inUseBy } : {}) };
          this.emit({ kind: 'dhcp', at: this.clock(), event });
        } finally {
          this.settled();
        }
      },
      () => this.settled(),
    );
  }

  private apply(d: Decision, now: number): void {
    for (const event of d.events) {
      this.count(event);
      this.emit({ kind: 'dhcp', at: now, event });
    }
    if (d.drop) this.countDrop(d.drop);
    let bytes: Uint8Array | undefined;
    if (d.reply) {
      try {
        const enc = encodeWithReport(d.reply.packet, { maxSize: d.reply.maxSize });
        bytes = enc.bytes;
        if (d.reply.ignored !== undefined) this.warn('option-ignored', `request of ${hwAddress(d.reply.packet)}: ${d.reply.ignored}`);
        if (enc.omitted.length) this.warn('options-omitted', `reply to ${hwAddress(d.reply.packet)} left out option(s) ${enc.omitted.join(', ')}: they do not fit the client's maximum message size (${d.reply.maxSize} bytes)`);
      } catch (e) {
        if (!(e instanceof EncodeError)) throw e;
        this.countDrop('send-failed');
        this.warn('encode-failed', `could not build the reply to ${hwAddress(d.reply.packet)}: ${e.message}`);
      }
    }
    const reply = d.reply;
    if (d.writes.length === 0) {
      if (reply && bytes) this.send(bytes, reply.packet, reply.destination.address, reply.destination.port);
      return;
    }
    // Durability: the reply (an ACK) leaves only once its lease is on disk.
    this.inflight++;
    this.opts.repository.apply(d.writes).then(
      () => {
        try {
          for (const lease of d.writes) this.emit({ kind: 'lease', at: now, lease });
          if (reply && bytes) this.send(bytes, reply.packet, reply.destination.address, reply.destination.port);
        } finally {
          this.settled();
        }
      },
      (err: Error) => {
        try {
          this.countDrop('store-failed');
          this.warn('store-failed', `lease not saved, reply withheld: ${err.message}`);
        } finally {
          this.settled();
        }
      },
    );
  }

  private send(bytes: Uint8Array, packet: DhcpPacket, address: string, port: number): void {
    const t = this.transport;
    if (!t) return;
    this.inflight++;
    t.send(bytes, port, address).then(
      () => {
        try {
          this.counters.sent++;
          if (this.opts.packetEvents !== false) this.emitPacket('out', packet, `${address}:${port}`, bytes.length, this.clock());
        } finally {
          this.settled();
        }
      },
      (err: Error) => {
        try {
          this.countDrop('send-failed');
          this.warn('send-failed', `could not send ${messageTypeName(packet.options.get(53)?.[0])} to ${address}:${port}: ${err.message}`);
        } finally {
          this.settled();
        }
      },
    );
  }

  /** One lease write or send has finished; wakes stop() when it was the last. */
  private settled(): void {
    if (--this.inflight > 0 || this.drained.length === 0) return;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private emitPacket(direction: 'in' | 'out', p: DhcpPacket, peer: string, size: number, at: number): void {
    const ip = direction === 'out' ? p.yiaddr : p.ciaddr;
    this.emit({
      kind: 'packet',
      at,
      packet: {
        direction,
        type: messageTypeName(p.options.get(53)?.[0]),
        mac: hwAddress(p),
        xid: p.xid,
        ...(ip !== '0.0.0.0' ? { ip } : {}),
        peer,
        size,
      },
    });
  }

  private count(e: EngineEvent): void {
    const c = this.counters;
    switch (e.type) {
      case 'offer':
        c.offers++;
        break;
      case 'ack':
        c.acks++;
        break;
      case 'nak':
        c.naks++;
        break;
      case 'inform':
        c.informs++;
        c.acks++;
        break;
      case 'decline':
        c.declines++;
        break;
      case 'release':
        c.releases++;
        break;
      case 'expire':
        c.expired++;
        break;
      default:
        break;
    }
  }

  /** Expires leases past their end and drops old offer holds. */
  sweep(): void {
    if (this.stopped) return;
    const now = this.clock();
    const d = this.engine.sweep({ now, leases: this.opts.repository.view }, this.opts.repository.all());
    if (d.writes.length || d.events.length) this.apply(d, now);
  }

  /**
   * A re-plugged USB NIC gets a new ifindex and the old device binding silently receives nothing
   * (research/sockets.md, Pitfalls). Poll health; when lost, try to reopen on the same name.
   */
  private async checkHealth(): Promise<void> {
    if (this.stopped || !this.transport) return;
    if (this.transport.isHealthy()) {
      if (this._state === 'interface-lost') this.setState('running');
      return;
    }
    if (this._state !== 'interface-lost') {
      this.setState('interface-lost', `interface ${this.transport.ifname} went away — reconnect the cable/adapter; serving resumes automatically`);
      this.warn('interface-lost', `interface ${this.transport.ifname} is gone (unplugged or renamed); waiting for it to come back`);
    }
    try {
      const next = await this.opts.openTransport();
      if (this.stopped) return void (await next.close());
      this.detach();
      await this.transport.close().catch(() => undefined);
      this.attach(next);
      this.setState('running', `listening again on ${next.ifname}`);
    } catch {
      // Still gone; the next tick tries again.
    }
  }

  private setState(state: ServiceState, detail?: string): void {
    this._state = state;
    this.emit({ kind: 'state', at: this.clock(), state, ...(detail ? { detail } : {}) });
  }
}

export function describeDrop(reason: DropReason): string {
  return DROP_REASONS[reason];
}
