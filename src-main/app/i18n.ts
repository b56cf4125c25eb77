// The desktop shell's texts (tray, notifications, quit dialog, menu) in the UI's language, from the
// renderer's catalogs (src-renderer/src/i18n/en.ts, ko.ts) through their pure lookup (translate.ts:
// the same placeholders and plural rules as the window). The language is the one the window shows:
// the renderer reports it with `app.language` whenever it changes; until then the OS locale
// (app.getLocale()). Pure: the models take a ShellText and stay unit-testable without Electron.
import { hasMessage, localeFromLanguages, translate, type Locale, type MessageKey, type ParamValue } from '../../src-renderer/src/i18n/translate.js';
import type { LogEntry, UiLanguage } from '../ipc/contract.js';
import { foreignParams, isForeignMessage } from '../../src-renderer/src/lib/foreign-params.js';

export type { Locale };

// The contract's language list and the catalogs' must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameLanguages: Same<UiLanguage, Locale> = true;
void sameLanguages;

export interface ShellText {
  readonly locale: Locale;
  /** The text of `key` in this language, `{name}` placeholders filled; plural messages by `count`. */
  t(key: MessageKey, params?: Record<string, ParamValue>): string;
}

export function shellText(locale: Locale): ShellText {
  return { locale, t: (key, params) => translate(locale, key, params) };
}

/** The English texts: the models' default, so their English output is what it always was. */
export const ENGLISH: ShellText = shellText('en');

/** The shell's language for an OS locale tag (app.getLocale(): "ko", "ko-KR", "en-US" …). */
export function localeOfTag(tag: string | undefined): Locale {
  return localeFromLanguages(tag ? [tag] : undefined);
}

/**
 * A log entry of another DHCP server's reply (kind 'foreign-server') as a sentence in this language:
 * English as the engine wrote it, other languages from its code and values (LogEntry.msg); the
 * English line when it has none.
 */
export function foreignLine(e: Pick<LogEntry, 'text' | 'msg'>, tx: ShellText): string {
  const m = e.msg;
  if (tx.locale === 'en' || !isForeignMessage(m)) return e.text;
  const key = `foreign.line.${m.code.slice('foreign-'.length)}`;
  if (!hasMessage(key)) return e.text;
  return tx.t(key, foreignParams(m.params, (k, params) => (hasMessage(k) ? tx.t(k, params) : k)));
}
