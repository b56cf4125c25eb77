// The values of another DHCP server's log line (LogEntry.msg foreign-offer/-ack/-nak/-reply) as
// the catalog's {server}, {ip}, {mac} and {range} in one language — shared by the event log
// (log-line.ts), the banner (foreign.ts) and the desktop notification (src-main/app/i18n.ts), so the
// three say the same. English composes exactly as src-main/server/foreign-line.ts writes the line.
// Pure: the caller passes its translate function.
import type { LogMessage } from '../../../src-main/ipc/contract.js';

type ForeignMessage = Extract<LogMessage, { code: 'foreign-offer' | 'foreign-ack' | 'foreign-nak' | 'foreign-reply' }>;

export function isForeignMessage(m: LogMessage | undefined): m is ForeignMessage {
  return m !== undefined && (m.code === 'foreign-offer' || m.code === 'foreign-ack' || m.code === 'foreign-nak' || m.code === 'foreign-reply');
}

/** `tr(key, params)`: the catalog message of `key` in the caller's language. */
export function foreignParams(p: ForeignMessage['params'], tr: (key: string, params?: Record<string, string>) => string): Record<string, string> {
  let server = p.serverId ?? tr('log.line.unknownServer');
  if (p.serverMac) server = tr('log.line.serverMac', { server, serverMac: p.serverMac });
  else if (p.serverMacUnknown) server = tr(`log.line.serverMacUnknown.${p.serverMacUnknown}`, { server });
  const network = 'network' in p ? p.network : undefined;
  const router = 'router' in p ? p.router : undefined;
  const range = network ? (router ? tr('log.line.foreignRangeRouter', { network, router }) : tr('log.line.foreignRange', { network })) : '';
  return { server, ip: 'ip' in p ? p.ip : '', mac: p.mac, range };
}
