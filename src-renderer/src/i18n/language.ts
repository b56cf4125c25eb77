// Which language the UI shows: the user's choice ('auto' follows the OS/browser language,
// navigator.languages — Electron passes the OS locale through), kept with the other view
// preferences in localStorage (lib/prefs.ts). A preference of this window, not configuration:
// the engine and other windows never see it, and it is known synchronously at start-up, so the
// first paint is already in the right language.
import { loadPref, savePref } from '../lib/prefs.js';
import { resolveChoice, setLocale, type LanguageChoice } from './index.js';

const KEY = 'language';
const CHOICES: readonly LanguageChoice[] = ['auto', 'en', 'ko'];

let choice: LanguageChoice = 'auto';

function systemLanguages(): readonly string[] | undefined {
  if (typeof navigator === 'undefined') return undefined;
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function apply(): void {
  setLocale(resolveChoice(choice, systemLanguages()));
}

/** Reads the saved choice and applies it; follows OS/browser language changes while on 'auto'. */
export function initLanguage(): void {
  const saved = loadPref<string>(KEY, 'auto');
  choice = (CHOICES as readonly string[]).includes(saved) ? (saved as LanguageChoice) : 'auto';
  apply();
  if (typeof window !== 'undefined') window.addEventListener('languagechange', apply);
}

export function languageChoice(): LanguageChoice {
  return choice;
}

export function chooseLanguage(next: LanguageChoice): void {
  choice = next;
  savePref(KEY, next);
  apply();
}

/** The language 'auto' currently resolves to, for the picker's label. */
export function systemLocale(): ReturnType<typeof resolveChoice> {
  return resolveChoice('auto', systemLanguages());
}
