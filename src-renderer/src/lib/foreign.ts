// Another DHCP server's reply overheard while serving (a 'foreign-server' log entry) as the banner
// says it (MainArea): English is the engine's log line without its WARNING tag, other languages
// word it from the entry's code and values (LogEntry.msg, src-main/server/event-format.ts).
import type { LogEntry } from '../../../src-main/ipc/contract.js';
import { hasMessage, locale, tEngine, translate } from '../i18n/index.js';
import { foreignParams, isForeignMessage } from './foreign-params.js';

export function foreignBannerLine(e: Pick<LogEntry, 'text' | 'msg'>): string {
  const s = e.text.replace(/^WARNING /, '');
  const english = s.charAt(0).toUpperCase() + s.slice(1);
  const m = e.msg;
  if (!isForeignMessage(m)) return english;
  const l = locale();
  return tEngine(`foreign.line.${m.code.slice('foreign-'.length)}`, english, foreignParams(m.params, (key, params) => (hasMessage(key) ? translate(l, key, params) : key)));
}
