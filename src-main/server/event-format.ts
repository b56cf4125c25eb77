// One line per event for the CLI's log: human-readable by default, JSON lines with `--log json`.
import { DROP_REASONS, type EngineEvent } from '../dhcp/events.js';
import type { Proposal } from '../dhcp/allocator.js';
import type { Lease } from '../dhcp/lease.js';
import type { LogMessage } from '../ipc/contract.js';
import type { Counters, ServiceEvent } from './dhcp-service.js';
import { foreignServerLine } from './foreign-line.js';
import { isoTime } from './iso-time.js';

const time = isoTime;

/** Seconds until `at` as the log says it ("3600"), or undefined for a lease that never ends. */
function secondsUntil(at: number, now: number): string | undefined {
  const s = Math.round((at - now) / 1000);
  return s >= 86400 * 365 * 50 ? undefined : String(s);
}

/** Human line, or undefined for events the text log leaves out (per-packet lines unless verbose). */
export function formatEventText(e: ServiceEvent, verbose = false): string | undefined {
  const text = describeEvent(e, verbose);
  return text === undefined ? undefined : `${time(e.at)} ${text}`;
}

/**
 * The words of a log line without its timestamp — the CLI's text log prefixes the time, the UI's
 * log shows its own time column (LogEntry.text).
 */
export function describeEvent(e: ServiceEvent, verbose = false): string | undefined {
  return eventLine(e, verbose)?.text;
}

/** A log line: its English text, and (for the UI's other languages) its code and the values in it. */
export interface EventLine {
  text: string;
  msg?: LogMessage;
}

/**
 * The one place for the words of a log line: the values are picked once into `msg.params` and the
 * English text is built from those same values, so the UI's other languages (worded from the code
 * and params, renderer lib/log-line.ts) say exactly what the English line says. Warnings carry no
 * code: their message is the engine's English sentence.
 */
export function eventLine(e: ServiceEvent, verbose = false): EventLine | undefined {
  switch (e.kind) {
    case 'state': {
      const p = { state: e.state, ...(e.detail ? { detail: e.detail } : {}) };
      return { text: `${p.state.toUpperCase()}${p.detail ? ` ${p.detail}` : ''}`, msg: { code: 'state', params: p } };
    }
    case 'warning':
      return { text: `WARNING ${e.message}` };
    case 'lease':
      return undefined;
    case 'packet': {
      if (!verbose) return undefined;
      const k = e.packet;
      const p = { type: k.type, mac: k.mac, xid: `0x${k.xid.toString(16)}`, ...(k.ip ? { ip: k.ip } : {}), peer: k.peer, size: String(k.size) };
      const into = k.direction === 'in';
      return {
        text: `${into ? '<-' : '->'} ${p.type} ${p.mac} xid ${p.xid}${p.ip ? ` ${p.ip}` : ''} ${into ? 'from' : 'to'} ${p.peer} (${p.size} bytes)`,
        msg: { code: into ? 'packet-in' : 'packet-out', params: p },
      };
    }
    case 'dhcp':
      return dhcpLine(e.event, e.at);
  }
}

function dhcpLine(ev: EngineEvent, at: number): EventLine {
  const hostname = 'hostname' in ev && ev.hostname ? { hostname: ev.hostname } : {};
  const host = hostname.hostname ? ` "${hostname.hostname}"` : '';
  switch (ev.type) {
    case 'offer': {
      const p = { ip: ev.ip, mac: ev.mac, ...hostname, source: ev.source as Proposal['source'] };
      return { text: `OFFER ${p.ip} to ${p.mac}${host} (${p.source})`, msg: { code: 'offer', params: p } };
    }
    case 'ack': {
      const expiresIn = secondsUntil(ev.lease.expiresAt, at);
      const p = { ip: ev.ip, mac: ev.mac, ...hostname, state: ev.state, ...(expiresIn !== undefined ? { expiresIn } : {}) };
      return { text: `ACK ${p.ip} to ${p.mac}${host} (${p.state}, ${expiresIn !== undefined ? `expires in ${expiresIn} s` : 'never expires'})`, msg: { code: 'ack', params: p } };
    }
    case 'nak': {
      const p = { mac: ev.mac, ...(ev.ip ? { ip: ev.ip } : {}), reason: ev.reason, state: ev.state };
      return { text: `NAK ${p.mac}${p.ip ? ` asked for ${p.ip}` : ''}: ${p.reason} (${p.state})`, msg: { code: 'nak', params: p } };
    }
    case 'decline': {
      const p = { ip: ev.ip, mac: ev.mac, until: time(ev.until) };
      return { text: `DECLINE ${p.ip} by ${p.mac}: address conflict, quarantined until ${p.until}`, msg: { code: 'decline', params: p } };
    }
    case 'release':
      return { text: `RELEASE ${ev.ip} by ${ev.mac}`, msg: { code: 'release', params: { ip: ev.ip, mac: ev.mac } } };
    case 'inform':
      return { text: `INFORM from ${ev.mac} at ${ev.ip}`, msg: { code: 'inform', params: { ip: ev.ip, mac: ev.mac } } };
    case 'expire':
      return { text: `EXPIRE ${ev.ip} of ${ev.mac}`, msg: { code: 'expire', params: { ip: ev.ip, mac: ev.mac } } };
    case 'pool-exhausted':
      return {
        text: `POOL EXHAUSTED in ${ev.subnet}: no address for ${ev.mac}; it will fall back to a 169.254.x.x (APIPA) address — widen the range or remove stale leases`,
        msg: { code: 'pool-exhausted', params: { subnet: ev.subnet, mac: ev.mac } },
      };
    case 'offer-evicted':
      return { text: `OFFER WITHDRAWN ${ev.ip} from ${ev.mac} (pool under pressure)`, msg: { code: 'offer-evicted', params: { ip: ev.ip, mac: ev.mac } } };
    case 'foreign-server': {
      const server = { ...(ev.serverId ? { serverId: ev.serverId } : {}), ...(ev.serverMac ? { serverMac: ev.serverMac } : ev.serverMacUnknown ? { serverMacUnknown: ev.serverMacUnknown } : {}) };
      const text = foreignServerLine(ev);
      if (ev.yiaddr !== '0.0.0.0') {
        const range = ev.network ? { network: ev.network, ...(ev.router ? { router: ev.router } : {}) } : {};
        return { text, msg: { code: ev.messageType === 5 ? 'foreign-ack' : 'foreign-offer', params: { ...server, ip: ev.yiaddr, mac: ev.mac, ...range } } };
      }
      return { text, msg: { code: ev.messageType === 6 ? 'foreign-nak' : 'foreign-reply', params: { ...server, mac: ev.mac } } };
    }
    case 'conflict': {
      if (ev.source === 'decline') {
        if (ev.inUseBy) return { text: `CONFLICT ${ev.ip} declined by ${ev.mac}; in use by ${ev.inUseBy}`, msg: { code: 'conflict-declined', params: { ip: ev.ip, mac: ev.mac, inUseBy: ev.inUseBy } } };
        return {
          text: `CONFLICT ${ev.ip} declined by ${ev.mac}; no device answered the ARP probe (the client may have seen a device that is gone now)`,
          msg: { code: 'conflict-unanswered', params: { ip: ev.ip, mac: ev.mac } },
        };
      }
      const p = { ip: ev.ip, mac: ev.mac, ...(ev.inUseBy ? { inUseBy: ev.inUseBy } : {}), ...(ev.until !== undefined ? { until: time(ev.until) } : {}) };
      return {
        text: `CONFLICT ${p.ip} is in use by ${p.inUseBy ?? 'another device'} (answered an ARP probe before the OFFER to ${p.mac}); quarantined${p.until !== undefined ? ` until ${p.until}` : ''}, offering another address — exclude it from the range or reserve it for that device`,
        msg: { code: 'conflict-probe', params: p },
      };
    }
    case 'drop': {
      const p = { reason: ev.reason, ...(ev.mac ? { mac: ev.mac } : {}), ...(ev.detail ? { detail: ev.detail } : {}) };
      return { text: `DROP ${p.mac ?? ''}${p.mac ? ': ' : ''}${DROP_REASONS[p.reason]}${p.detail ? ` (${p.detail})` : ''}`, msg: { code: 'drop', params: p } };
    }
  }
}

/**
 * The `--log json` line of an event: the event as it is, with `at` as an ISO time —
 * `JSON.stringify({ ...e, at: isoTime(e.at) })`, written without copying the event. The kinds of
 * the packet path ('dhcp': one per OFFER and ACK, 'lease': one per ACK) get their fixed head by
 * hand; the ACK's lease record, which the 'lease' line after it repeats, is serialised once.
 */
export function formatEventJson(e: ServiceEvent): string {
  switch (e.kind) {
    case 'dhcp': {
      const ev = e.event;
      const body = ev.type === 'ack' ? ackJson(ev) : JSON.stringify(ev);
      return `{"kind":"dhcp","at":"${time(e.at)}","event":${body}}`;
    }
    case 'lease':
      return `{"kind":"lease","at":"${time(e.at)}","lease":${leaseLines.get(e.lease) ?? JSON.stringify(e.lease)}}`;
    default:
      return JSON.stringify({ ...e, at: time(e.at) });
  }
}

type AckEvent = Extract<EngineEvent, { type: 'ack' }>;

/** JSON.stringify(ev) of an ACK event: its fields in the engine's order (dhcp/engine.ts ack()), the lease from leaseJson. */
function ackJson(ev: AckEvent): string {
  const host = ev.hostname === undefined ? '' : `,"hostname":${JSON.stringify(ev.hostname)}`;
  const q = JSON.stringify;
  return `{"type":"ack","ip":${q(ev.ip)},"mac":${q(ev.mac)},"clientId":${q(ev.clientId)},"subnet":${q(ev.subnet)}${host},"state":${q(ev.state)},"lease":${leaseJson(ev.lease)}}`;
}

/**
 * Lease records serialised for the ACK line, kept for the 'lease' line that follows once the
 * record is on disk (the same object: dhcp-service.ts emits the decision's writes). Records are
 * never changed after the engine made them, so a kept line stays true; entries go with the record.
 */
const leaseLines = new WeakMap<Lease, string>();

/** The ACK's lease as JSON, kept for the 'lease' line. */
function leaseJson(lease: Lease): string {
  let s = leaseLines.get(lease);
  if (s === undefined) {
    s = JSON.stringify(lease);
    leaseLines.set(lease, s);
  }
  return s;
}

/**
 * The service's counters as one summary line — printed by `serve` when it stops (and on SIGUSR1):
 * what was received and answered, and every drop by its named reason (dhcp/events.ts), largest first.
 */
export function formatCountersText(c: Counters): string {
  const drops = Object.entries(c.drops).filter(([, n]) => n !== undefined && n > 0) as [string, number][];
  drops.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = drops.reduce((sum, [, n]) => sum + n, 0);
  const byReason = drops.length ? ` (${drops.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : '';
  return `pocket-dhcp counters: received ${c.received}, offers ${c.offers}, acks ${c.acks}, naks ${c.naks}, informs ${c.informs}, declines ${c.declines}, releases ${c.releases}, sent ${c.sent}, drops ${total}${byReason}`;
}

/** The `--log json` form: `{"kind":"counters","at":…,"received":…,…,"drops":{"reason":n}}`. */
export function formatCountersJson(c: Counters, at: number): string {
  return JSON.stringify({ kind: 'counters', at: time(at), ...c, drops: { ...c.drops } });
}
