// One line per event for the CLI's log: human-readable by default, JSON lines with `--log json`.
import { DROP_REASONS } from '../dhcp/events.js';
import type { ServiceEvent } from './dhcp-service.js';

function time(at: number): string {
  return new Date(at).toISOString();
}

function until(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  return s >= 86400 * 365 * 50 ? 'never' : `${s} s`;
}

/** Human line, or undefined for events the text log leaves out (per-packet lines unless verbose). */
export function formatEventText(e: ServiceEvent, verbose = false): string | undefined {
  const text = describeEvent(e, verbose);
  return text === undefined ? undefined : `${time(e.at)} ${text}`;
}

/**
 * The words of a log line without its timestamp — the one place for them: the CLI's text log
 * prefixes the time, the UI's log shows its own time column (LogEntry.text).
 */
export function describeEvent(e: ServiceEvent, verbose = false): string | undefined {
  switch (e.kind) {
    case 'state':
      return `${e.state.toUpperCase()}${e.detail ? ` ${e.detail}` : ''}`;
    case 'warning':
      return `WARNING ${e.message}`;
    case 'lease':
      return undefined;
    case 'packet':
      return verbose ? `${e.packet.direction === 'in' ? '<-' : '->'} ${e.packet.type} ${e.packet.mac} xid 0x${e.packet.xid.toString(16)}${e.packet.ip ? ` ${e.packet.ip}` : ''} ${e.packet.direction === 'in' ? 'from' : 'to'} ${e.packet.peer} (${e.packet.size} bytes)` : undefined;
    case 'dhcp': {
      const ev = e.event;
      const host = 'hostname' in ev && ev.hostname ? ` "${ev.hostname}"` : '';
      switch (ev.type) {
        case 'offer':
          return `OFFER ${ev.ip} to ${ev.mac}${host} (${ev.source})`;
        case 'ack':
          return `ACK ${ev.ip} to ${ev.mac}${host} (${ev.state}, expires in ${until(ev.lease.expiresAt, e.at)})`;
        case 'nak':
          return `NAK ${ev.mac}${ev.ip ? ` asked for ${ev.ip}` : ''}: ${ev.reason} (${ev.state})`;
        case 'decline':
          return `DECLINE ${ev.ip} by ${ev.mac}: address conflict, quarantined until ${time(ev.until)}`;
        case 'release':
          return `RELEASE ${ev.ip} by ${ev.mac}`;
        case 'inform':
          return `INFORM from ${ev.mac} at ${ev.ip}`;
        case 'expire':
          return `EXPIRE ${ev.ip} of ${ev.mac}`;
        case 'pool-exhausted':
          return `POOL EXHAUSTED in ${ev.subnet}: no address for ${ev.mac}; it will fall back to a 169.254.x.x (APIPA) address — widen the range or remove stale leases`;
        case 'offer-evicted':
          return `OFFER WITHDRAWN ${ev.ip} from ${ev.mac} (pool under pressure)`;
        case 'foreign-server':
          return `WARNING another DHCP server is answering on this link (server id ${ev.serverId ?? 'unknown'}, ${ev.yiaddr !== '0.0.0.0' ? `${ev.messageType === 5 ? 'acknowledged' : 'offered'} ${ev.yiaddr}` : `sent a ${ev.messageType === 6 ? 'NAK' : 'reply'}`} to ${ev.mac})`;
        case 'conflict':
          if (ev.source === 'decline') return `CONFLICT ${ev.ip} declined by ${ev.mac}; ${ev.inUseBy ? `in use by ${ev.inUseBy}` : 'no device answered the ARP probe (the client may have seen a device that is gone now)'}`;
          return `CONFLICT ${ev.ip} is in use by ${ev.inUseBy ?? 'another device'} (answered an ARP probe before the OFFER to ${ev.mac}); quarantined${ev.until !== undefined ? ` until ${time(ev.until)}` : ''}, offering another address — exclude it from the range or reserve it for that device`;
        case 'drop':
          return `DROP ${ev.mac ?? ''}${ev.mac ? ': ' : ''}${DROP_REASONS[ev.reason]}${ev.detail ? ` (${ev.detail})` : ''}`;
      }
    }
  }
}

export function formatEventJson(e: ServiceEvent): string {
  return JSON.stringify({ ...e, at: time(e.at) });
}
