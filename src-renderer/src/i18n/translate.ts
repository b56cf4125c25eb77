// The pure half of the UI-language runtime: catalogs, placeholder filling and plural selection for
// an explicit locale. No Svelte and no DOM, so the Electron main process (tray, notifications, quit
// dialog: src-main/app/i18n.ts) words its texts from the same catalogs with the same rules as the
// renderer. index.ts adds the renderer's reactive "current language" on top of it.
import { en } from './en.js';
import { ko } from './ko.js';

export type Locale = 'en' | 'ko';
export const LOCALES: readonly Locale[] = ['en', 'ko'];

/** A plural message: one text per CLDR plural category of the language; `other` is always there. */
export type PluralMessage = { readonly other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Message = string | PluralMessage;

export type MessageKey = keyof typeof en;

/**
 * Another language's catalog: exactly the English keys, a string where English has a string, a
 * plural message where English has one (Korean needs only `other`). Checked by tsc.
 */
export type CatalogOf<E> = { readonly [K in keyof E]: E[K] extends string ? string : PluralMessage };

export type ParamValue = string | number;

const CATALOGS: Record<Locale, Record<string, Message>> = { en, ko };

/** The UI language for the OS/browser languages: Korean for any ko* tag, English otherwise. */
export function localeFromLanguages(languages: readonly string[] | undefined): Locale {
  const first = languages?.[0];
  return first && /^ko\b/i.test(first) ? 'ko' : 'en';
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function pluralRule(l: Locale): Intl.PluralRules {
  let r = pluralRules.get(l);
  if (!r) pluralRules.set(l, (r = new Intl.PluralRules(l)));
  return r;
}

/** A number with the locale's grouping: 1,234. */
export function formatNumberIn(n: number, l: Locale): string {
  let f = numberFormats.get(l);
  if (!f) numberFormats.set(l, (f = new Intl.NumberFormat(l)));
  return f.format(n);
}

function fill(text: string, params: Record<string, ParamValue> | undefined, l: Locale): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : typeof v === 'number' ? formatNumberIn(v, l) : v;
  });
}

/** The raw message of `key` in `l` (English when `l` lacks it), or undefined for an unknown key. */
export function rawMessage(l: Locale, key: string): Message | undefined {
  return CATALOGS[l][key] ?? CATALOGS.en[key];
}

/** The text of `key` in locale `l`, `{name}` placeholders filled from `params`; plurals by `params.count`. */
export function translate(l: Locale, key: MessageKey, params?: Record<string, ParamValue>): string {
  const m = rawMessage(l, key);
  if (m === undefined) return key;
  if (typeof m === 'string') return fill(m, params, l);
  const count = Number(params?.count ?? 0);
  return fill(m[pluralRule(l).select(count)] ?? m.other, params, l);
}

/** Does the catalog have this key? For messages looked up by a code from the engine. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(CATALOGS.en, key);
}
