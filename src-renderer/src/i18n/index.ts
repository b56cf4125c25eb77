// The renderer's UI language: English and Korean catalogs (en.ts, ko.ts), named parameters,
// plurals through Intl.PluralRules, and numbers/dates through Intl for the active locale.
//
// Why our own ~100 lines rather than a library: we need (1) a Korean catalog that fails tsc /
// svelte-check when a key is missing or a parameter is misspelt, (2) no eval/new Function (the CSP
// is `script-src 'self'`), (3) plain TS usable from lib/*.ts and node unit tests, and (4) Svelte 5
// reactivity without stores. svelte-i18n is store-based with untyped string keys (a missing Korean
// key only shows at run time); @inlang/paraglide-js needs a compile step and an inlang project and
// silently falls back to the base locale for a missing message; typesafe-i18n is no longer
// maintained; i18next is large, and its key typing does not check a second catalog's completeness.
// Intl does the hard parts (plural rules, number and date formats) for all of them anyway.
//
// Reactivity: `locale()` reads one reactive cell (a SvelteMap entry), so any template, $derived or
// $effect that produced text with t() re-runs when the language changes. Reading it costs no more
// than reading a $state: a table row calls t() a few times each time it updates (createSubscriber
// made every such call set up and tear down an effect of its own). Outside a reactive context (node
// tests, plain functions) it is just a read.
import { SvelteMap } from 'svelte/reactivity';
import { formatNumberIn, hasMessage, localeFromLanguages, pluralRule, rawMessage, translate, type Locale, type MessageKey, type ParamValue } from './translate.js';
import type { en } from './en.js';

export { hasMessage, localeFromLanguages, LOCALES, translate } from './translate.js';
export type { CatalogOf, Locale, Message, MessageKey, ParamValue, PluralMessage } from './translate.js';

/** What the user chose: follow the OS/browser language, or a fixed one. */
export type LanguageChoice = 'auto' | Locale;

type English = typeof en;

/** `{name}` placeholders of a message text, as a union of names. */
type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type ParamNames<M> = M extends string ? Placeholders<M> : M extends { other: infer O } ? Placeholders<O> | 'count' : never;
/** t()'s optional second argument: required, with exactly the message's placeholders, when it has any. */
type ParamsArg<K extends MessageKey> = [ParamNames<English[K]>] extends [never] ? [] : [params: Record<ParamNames<English[K]>, ParamValue>];

let current: Locale = 'en';
const active = new SvelteMap<'locale', Locale>([['locale', current]]);
active.get('locale'); // creates the entry's signal now, not inside the first reader

/** The active locale (reactive inside Svelte templates, $derived and $effect). */
export function locale(): Locale {
  active.get('locale');
  return current;
}

export function setLocale(l: Locale): void {
  if (l === current) return;
  current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  active.set('locale', l);
}

export function resolveChoice(choice: LanguageChoice, languages: readonly string[] | undefined): Locale {
  return choice === 'auto' ? localeFromLanguages(languages) : choice;
}

/** A number with the locale's grouping: 1,234. */
export function formatNumber(n: number, l: Locale = locale()): string {
  return formatNumberIn(n, l);
}

/** Translates `key` into the active language, filling `{name}` placeholders from `params`. */
export function t<K extends MessageKey>(key: K, ...args: ParamsArg<K>): string {
  return translate(locale(), key, args[0] as Record<string, ParamValue> | undefined);
}

/**
 * The text for a key built at run time from an engine code (a drop reason, a lease state, a hint
 * code): the active language's message, or `fallback` (the engine's English) when the catalog has
 * no such key. Parameters as for t(), unchecked.
 */
export function tCode(key: string, fallback: string, params?: Record<string, ParamValue>): string {
  return hasMessage(key) ? translate(locale(), key, params) : fallback;
}

/** A piece of a message for markup: plain text, or the name of a placeholder the caller renders. */
export type Segment = { text: string; slot?: undefined } | { slot: string; text?: undefined };

/**
 * The active language's text for `key`, split at its placeholders, so markup (<code>, <b>, a
 * button) can go where the translation puts it: "Open {command} …" → text, slot "command", text.
 */
export function segments(key: MessageKey, count?: number): Segment[] {
  const l = locale();
  const raw = rawMessage(l, key);
  // A plural message: the form for `count` (its {count} is left to the caller as a slot).
  const text = typeof raw === 'string' ? raw : raw === undefined ? key : count === undefined ? raw.other : (raw[pluralRule(l).select(count)] ?? raw.other);
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ slot: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/**
 * Text the engine wrote in English, worded again from its code in the other languages: in English
 * the engine's own text as it is (never a second copy that could drift from it), otherwise the
 * catalog's message for `key`, or the engine's text when the catalog has no such key.
 */
export function tEngine(key: string, english: string, params?: Record<string, ParamValue>): string {
  return locale() === 'en' ? english : tCode(key, english, params);
}
