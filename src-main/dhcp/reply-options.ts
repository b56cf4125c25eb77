// The options of a reply: which ones (RFC 2131 §4.3.1 table 3), their values (precedence, lowest
// first: subnet, then the client's class — vendor class / PXE architecture / iPXE — then the
// reservation, then per-message fields), and their order — the client's parameter
// request list (option 55) first, in its order, so that when the client's maximum message size
// forces the codec to drop something, what the client asked for survives.
import { intToIp } from './ip.js';
import type { ClassPolicy } from './client-classes.js';
import { encodeOptionValue, MessageType, type OptionMap } from './options.js';
import { broadcastAddress, rebindingTime, renewalTime, type ReservationPolicy, type SubnetPolicy } from './policy.js';

const OPT = {
  SUBNET_MASK: 1,
  HOST_NAME: 12,
  BROADCAST: 28,
  LEASE_TIME: 51,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAM_REQUEST: 55,
  MESSAGE: 56,
  RENEWAL: 58,
  REBINDING: 59,
  CLIENT_ID: 61,
  RELAY_AGENT: 82,
  SUBNET_SELECTION: 118,
} as const;

/**
 * Options a server never copies from configuration into a reply: they are per-message (the
 * configuration rejects them in `options`, pointing at the setting that controls them).
 */
export const PER_MESSAGE_OPTIONS: ReadonlySet<number> = new Set<number>([50, 51, 52, 53, 54, 55, 57, 58, 59, 61, 82, 118]);

export interface ReplyOptionInput {
  type: number;
  serverId: string;
  subnet?: SubnetPolicy;
  reservation?: ReservationPolicy;
  /** The client's class (client-classes.ts selectClass), if one matched. */
  clientClass?: ClassPolicy;
  /** Lease time in seconds for OFFER/ACK of a lease; absent for INFORM and NAK. */
  leaseTime?: number;
  request: OptionMap;
  message?: string;
}

export function buildReplyOptions(input: ReplyOptionInput): OptionMap {
  const { type, request } = input;
  const out: OptionMap = new Map();
  out.set(OPT.MESSAGE_TYPE, typeBytes(type));
  out.set(OPT.SERVER_ID, serverIdBytes(input.serverId));

  if (type === MessageType.NAK) {
    // RFC 2131 table 3: a NAK carries only 53, 54, 56 (and the echoes below).
    if (input.message) out.set(OPT.MESSAGE, encodeOptionValue(OPT.MESSAGE, input.message));
    appendEchoes(out, request, false);
    return out;
  }

  if (input.leaseTime !== undefined && input.subnet) {
    const t = leaseTimes(input.subnet, input.leaseTime);
    out.set(OPT.LEASE_TIME, t.lease);
    if (t.renewal) out.set(OPT.RENEWAL, t.renewal);
    if (t.rebinding) out.set(OPT.REBINDING, t.rebinding);
  }

  const available = availableOptions(input.subnet, input.clientClass, input.reservation);

  // Requested options first, in the client's order; then what the server sends unasked (the
  // configured options, RFC 2131 §4.3.1 "MAY"). Broadcast address (28) is derived and sent only
  // when asked for: it rarely differs from what the mask implies.
  const prl = request.get(OPT.PARAM_REQUEST);
  if (prl) {
    for (const code of prl) {
      if (out.has(code)) continue;
      const data = available.get(code) ?? (code === OPT.BROADCAST && input.subnet ? broadcastBytes(input.subnet) : undefined);
      if (data) out.set(code, data);
    }
  }
  // Keys and get(), not entries: no [code, data] pair allocated per option and reply.
  for (const code of available.keys()) if (!out.has(code)) out.set(code, available.get(code)!);
  appendEchoes(out, request, true);
  return out;
}

// The configured options of a subnet (and of a class and a reservation over it) never change while
// serving: merge them once per subnet × class × reservation instead of once per reply. Each layer
// is cached on the (stable, cached) map below it, so the key is the whole chain.
const subnetCache = new WeakMap<SubnetPolicy, ReadonlyMap<number, Uint8Array>>();
const classCache = new WeakMap<ClassPolicy, WeakMap<ReadonlyMap<number, Uint8Array>, ReadonlyMap<number, Uint8Array>>>();
const reservationCache = new WeakMap<ReservationPolicy, WeakMap<ReadonlyMap<number, Uint8Array>, ReadonlyMap<number, Uint8Array>>>();
const NONE: ReadonlyMap<number, Uint8Array> = new Map();

function availableOptions(subnet: SubnetPolicy | undefined, cls: ClassPolicy | undefined, reservation: ReservationPolicy | undefined): ReadonlyMap<number, Uint8Array> {
  let base = NONE;
  if (subnet) {
    const cached = subnetCache.get(subnet);
    if (cached) base = cached;
    else {
      const m = new Map<number, Uint8Array>();
      m.set(OPT.SUBNET_MASK, encodeOptionValue(OPT.SUBNET_MASK, intToIp(subnet.cidr.mask)));
      for (const [code, data] of subnet.options) if (!PER_MESSAGE_OPTIONS.has(code)) m.set(code, data);
      subnetCache.set(subnet, (base = m));
    }
  }
  if (cls && cls.options.size) base = layered(classCache, cls, base, (m) => overlay(m, cls.options));
  if (reservation && (reservation.hostname || reservation.options)) {
    base = layered(reservationCache, reservation, base, (m) => {
      if (reservation.hostname) m.set(OPT.HOST_NAME, encodeOptionValue(OPT.HOST_NAME, reservation.hostname));
      if (reservation.options) overlay(m, reservation.options);
    });
  }
  return base;
}

// The per-message values that are the same in most replies — the message type, the server
// identifier, a subnet's lease time with its T1/T2 (RFC 2132 §9.2, §9.11, §9.12) and its broadcast
// address — are encoded once too. Like the configured options, these bytes are shared between
// replies and only ever read (the codec copies them into the datagram).
const TYPE_BYTES: Uint8Array[] = [];

function typeBytes(type: number): Uint8Array {
  return (TYPE_BYTES[type] ??= Uint8Array.of(type));
}

let lastServerId = '';
let lastServerIdBytes: Uint8Array | undefined;

function serverIdBytes(serverId: string): Uint8Array {
  if (lastServerIdBytes === undefined || serverId !== lastServerId) {
    lastServerIdBytes = encodeOptionValue(OPT.SERVER_ID, serverId);
    lastServerId = serverId;
  }
  return lastServerIdBytes;
}

interface LeaseTimes {
  lease: Uint8Array;
  renewal: Uint8Array | undefined;
  rebinding: Uint8Array | undefined;
}

/** Lease times seen per subnet: in practice one (the subnet's); bounded because callers may pass any. */
const MAX_LEASE_TIMES = 16;
const leaseTimesCache = new WeakMap<SubnetPolicy, Map<number, LeaseTimes>>();

function leaseTimes(subnet: SubnetPolicy, leaseTime: number): LeaseTimes {
  let per = leaseTimesCache.get(subnet);
  if (!per) leaseTimesCache.set(subnet, (per = new Map()));
  let t = per.get(leaseTime);
  if (!t) {
    const t1 = renewalTime(subnet, leaseTime);
    const t2 = rebindingTime(subnet, leaseTime);
    t = {
      lease: encodeOptionValue(OPT.LEASE_TIME, leaseTime),
      renewal: t1 === undefined ? undefined : encodeOptionValue(OPT.RENEWAL, t1),
      rebinding: t2 === undefined ? undefined : encodeOptionValue(OPT.REBINDING, t2),
    };
    if (per.size >= MAX_LEASE_TIMES) per.clear();
    per.set(leaseTime, t);
  }
  return t;
}

const broadcastCache = new WeakMap<SubnetPolicy, Uint8Array>();

function broadcastBytes(subnet: SubnetPolicy): Uint8Array {
  let b = broadcastCache.get(subnet);
  if (!b) broadcastCache.set(subnet, (b = encodeOptionValue(OPT.BROADCAST, broadcastAddress(subnet))));
  return b;
}

type Layer = ReadonlyMap<number, Uint8Array>;

function layered<K extends object>(cache: WeakMap<K, WeakMap<Layer, Layer>>, key: K, below: Layer, apply: (m: Map<number, Uint8Array>) => void): Layer {
  let per = cache.get(key);
  if (!per) cache.set(key, (per = new WeakMap()));
  let merged = per.get(below);
  if (!merged) {
    const m = new Map(below);
    apply(m);
    per.set(below, (merged = m));
  }
  return merged;
}

function overlay(m: Map<number, Uint8Array>, options: OptionMap): void {
  for (const [code, data] of options) if (!PER_MESSAGE_OPTIONS.has(code)) m.set(code, data);
}

/**
 * RFC 6842 §3: echo the client identifier; RFC 3011 §3: echo the subnet selection option (a client
 * that sent one discards an OFFER/ACK without it; a NAK keeps to table 3); RFC 3046 §2.2: echo the
 * relay agent information, last.
 */
function appendEchoes(out: OptionMap, request: OptionMap, subnetSelection: boolean): void {
  const cid = request.get(OPT.CLIENT_ID);
  if (cid) out.set(OPT.CLIENT_ID, cid);
  const sel = subnetSelection ? request.get(OPT.SUBNET_SELECTION) : undefined;
  if (sel) out.set(OPT.SUBNET_SELECTION, sel);
  const relay = request.get(OPT.RELAY_AGENT);
  if (relay) out.set(OPT.RELAY_AGENT, relay);
}
