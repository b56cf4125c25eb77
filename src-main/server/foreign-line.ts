// The log line of a reply from another DHCP server overheard while serving (event 'foreign-server').
// Its values travel with it as LogEntry.msg (foreign-offer/-ack/-nak/-reply, event-format.ts), from
// which the UI's banner and the desktop notification word it in other languages.
import type { EngineEvent } from '../dhcp/events.js';

type ForeignEvent = Extract<EngineEvent, { type: 'foreign-server' }>;

/** "WARNING another DHCP server is answering on this link (server id …, offered … to …)". */
export function foreignServerLine(ev: Pick<ForeignEvent, 'serverId' | 'yiaddr' | 'messageType' | 'mac'>): string {
  const what = ev.yiaddr !== '0.0.0.0' ? `${ev.messageType === 5 ? 'acknowledged' : 'offered'} ${ev.yiaddr}` : `sent a ${ev.messageType === 6 ? 'NAK' : 'reply'}`;
  return `WARNING another DHCP server is answering on this link (server id ${ev.serverId ?? 'unknown'}, ${what} to ${ev.mac})`;
}
