// The log line of a reply from another DHCP server overheard while serving (event 'foreign-server').
// Its values travel with it as LogEntry.msg (foreign-offer/-ack/-nak/-reply, event-format.ts), from
// which the UI's banner and the desktop notification word it in other languages.
import type { EngineEvent } from '../dhcp/events.js';
import { macWords } from '../net/dhcp-probe-message.js';

type ForeignEvent = Extract<EngineEvent, { type: 'foreign-server' }>;

/**
 * "WARNING another DHCP server is answering on this link (server id …, MAC …, offered … to …;
 * network …, router …)". The MAC and the network are there when the watcher learned them
 * (rogue-guard.ts); a BOOTREPLY seen on port 67 has neither.
 */
export function foreignServerLine(ev: Pick<ForeignEvent, 'serverId' | 'yiaddr' | 'messageType' | 'mac' | 'serverMac' | 'serverMacUnknown' | 'network' | 'router'>): string {
  const mac = ev.serverMac ? `, ${macWords({ mac: ev.serverMac })}` : ev.serverMacUnknown ? `, ${macWords({ unknown: ev.serverMacUnknown })}` : '';
  const range = ev.network ? `; network ${ev.network}${ev.router ? `, router ${ev.router}` : ''}` : '';
  const what = ev.yiaddr !== '0.0.0.0' ? `${ev.messageType === 5 ? 'acknowledged' : 'offered'} ${ev.yiaddr} to ${ev.mac}${range}` : `sent a ${ev.messageType === 6 ? 'NAK' : 'reply'} to ${ev.mac}`;
  return `WARNING another DHCP server is answering on this link (server id ${ev.serverId ?? 'unknown'}${mac}, ${what})`;
}
