// The options of a reply: which ones (RFC 2131 §4.3.1 table 3), their values (subnet, then
// reservation overrides, then per-message fields), and their order — the client's parameter
// request list (option 55) first, in its order, so that when the client's maximum message size
// forces the codec to drop something, what the client asked for survives.
import { intToIp } from './ip.js';
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
  /** Lease time in seconds for OFFER/ACK of a lease; absent for INFORM and NAK. */
  leaseTime?: number;
  request: OptionMap;
  message?: string;
}

export function buildReplyOptions(input: ReplyOptionInput): OptionMap {
  const { type, request } = input;
  const out: OptionMap = new Map();
  out.set(OPT.MESSAGE_TYPE, Uint8Array.of(type));
  out.set(OPT.SERVER_ID, encodeOptionValue(OPT.SERVER_ID, input.serverId));

  if (type === MessageType.NAK) {
    // RFC 2131 table 3: a NAK carries only 53, 54, 56 (and the echoes below).
    if (input.message) out.set(OPT.MESSAGE, encodeOptionValue(OPT.MESSAGE, input.message));
    appendEchoes(out, request, false);
    return out;
  }

  if (input.leaseTime !== undefined && input.subnet) {
    out.set(OPT.LEASE_TIME, encodeOptionValue(OPT.LEASE_TIME, input.leaseTime));
    const t1 = renewalTime(input.subnet, input.leaseTime);
    const t2 = rebindingTime(input.subnet, input.leaseTime);
    if (t1 !== undefined) out.set(OPT.RENEWAL, encodeOptionValue(OPT.RENEWAL, t1));
    if (t2 !== undefined) out.set(OPT.REBINDING, encodeOptionValue(OPT.REBINDING, t2));
  }

  const available = availableOptions(input.subnet, input.reservation);

  // Requested options first, in the client's order; then what the server sends unasked (the
  // configured options, RFC 2131 §4.3.1 "MAY"). Broadcast address (28) is derived and sent only
  // when asked for: it rarely differs from what the mask implies.
  const prl = request.get(OPT.PARAM_REQUEST);
  if (prl) {
    for (const code of prl) {
      if (out.has(code)) continue;
      const data = available.get(code) ?? (code === OPT.BROADCAST && input.subnet ? encodeOptionValue(OPT.BROADCAST, broadcastAddress(input.subnet)) : undefined);
      if (data) out.set(code, data);
    }
  }
  for (const [code, data] of available) if (!out.has(code)) out.set(code, data);
  appendEchoes(out, request, true);
  return out;
}

// The configured options of a subnet (and of a reservation over it) never change while serving:
// encode them once per policy object instead of once per reply.
const subnetCache = new WeakMap<SubnetPolicy, ReadonlyMap<number, Uint8Array>>();
const reservationCache = new WeakMap<ReservationPolicy, WeakMap<SubnetPolicy, ReadonlyMap<number, Uint8Array>>>();
const NONE: ReadonlyMap<number, Uint8Array> = new Map();

function availableOptions(subnet: SubnetPolicy | undefined, reservation: ReservationPolicy | undefined): ReadonlyMap<number, Uint8Array> {
  if (!subnet) return reservation ? withReservation(NONE, reservation) : NONE;
  let base = subnetCache.get(subnet);
  if (!base) {
    const m = new Map<number, Uint8Array>();
    m.set(OPT.SUBNET_MASK, encodeOptionValue(OPT.SUBNET_MASK, intToIp(subnet.cidr.mask)));
    for (const [code, data] of subnet.options) if (!PER_MESSAGE_OPTIONS.has(code)) m.set(code, data);
    subnetCache.set(subnet, (base = m));
  }
  if (!reservation || (!reservation.hostname && !reservation.options)) return base;
  let perSubnet = reservationCache.get(reservation);
  if (!perSubnet) reservationCache.set(reservation, (perSubnet = new WeakMap()));
  let merged = perSubnet.get(subnet);
  if (!merged) perSubnet.set(subnet, (merged = withReservation(base, reservation)));
  return merged;
}

function withReservation(base: ReadonlyMap<number, Uint8Array>, reservation: ReservationPolicy): ReadonlyMap<number, Uint8Array> {
  const m = new Map(base);
  if (reservation.hostname) m.set(OPT.HOST_NAME, encodeOptionValue(OPT.HOST_NAME, reservation.hostname));
  if (reservation.options) for (const [code, data] of reservation.options) if (!PER_MESSAGE_OPTIONS.has(code)) m.set(code, data);
  return m;
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
