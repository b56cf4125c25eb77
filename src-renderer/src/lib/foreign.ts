// Another DHCP server's reply overheard while serving (a 'foreign-server' log entry) as the banner
// says it (MainArea): English is the engine's log line without its WARNING tag, other languages
// word it from the entry's code and values (LogEntry.msg, src-main/server/event-format.ts).
import type { LogEntry } from '../../../src-main/ipc/contract.js';
import { t, tEngine } from '../i18n/index.js';

export function foreignBannerLine(e: Pick<LogEntry, 'text' | 'msg'>): string {
  const s = e.text.replace(/^WARNING /, '');
  const english = s.charAt(0).toUpperCase() + s.slice(1);
  const m = e.msg;
  if (!m || (m.code !== 'foreign-offer' && m.code !== 'foreign-ack' && m.code !== 'foreign-nak' && m.code !== 'foreign-reply')) return english;
  return tEngine(`foreign.line.${m.code.slice('foreign-'.length)}`, english, { server: m.params.serverId ?? t('log.line.unknownServer'), ip: 'ip' in m.params ? m.params.ip : '', mac: m.params.mac });
}
