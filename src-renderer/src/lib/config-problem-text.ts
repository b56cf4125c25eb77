// Configuration problems (src-main/config/schema.ts and resolve.ts ConfigProblem) in the UI
// language. The engine writes each problem in English (the CLI prints it) with its code and values;
// other languages word it from the catalog's cfg.<code>. A type problem ("must be a number, not the
// text "x"") words its wanted type and the kind of value given from cfg.want.* and cfg.got.*; an
// option value's problem words the encoder's reason (optErr.*). English shows the engine's own
// sentence, and so does any language for a problem without a code (or one the catalog does not
// know); problems the UI builds itself (app.svelte.ts interfaceProblems) are already worded.
import type { ConfigProblem } from '../../../src-main/config/schema.js';
import type { ServerError } from '../../../src-main/ipc/contract.js';
import { tCode, tEngine } from '../i18n/index.js';
import { optionErrorText } from './option-error.js';

/** The problem's values in the UI language where they are words (a type, an option's reason). */
function localParams(p: ConfigProblem): Record<string, string> {
  const params = { ...p.params };
  if (p.code === 'type') {
    const value = params.value ?? '';
    params.want = tCode(`cfg.want.${params.want}`, params.want ?? '');
    params.got = tCode(`cfg.got.${params.got}`, params.got ?? '', { value });
  } else if (p.code === 'option-value') {
    params.detail = optionErrorText(params.detail ?? '', p.reason);
  }
  return params;
}

/** A configuration problem's sentence (without its field) in the UI language; a string is shown as is. */
export function configProblemText(p: ConfigProblem | string): string {
  if (typeof p === 'string') return p;
  return p.code ? tEngine(`cfg.${p.code}`, p.message, localParams(p)) : p.message;
}

/**
 * An option's problem as its editor shows it: without the "option N (name): " prefix of a value
 * problem (the editor names the option), in the UI language.
 */
export function optionProblemDetail(p: ConfigProblem): string {
  if (p.code === 'option-value') return optionErrorText(p.params?.detail ?? p.message, p.reason);
  return configProblemText(p).replace(/^option \d+ \([^)]*\): /, '');
}

/** "field: sentence" for one-line summaries (the Kea export's "fix the settings first", a refusal). */
export function configProblemLine(p: ConfigProblem): string {
  const text = configProblemText(p);
  return p.field ? `${p.field}: ${text}` : text;
}

/** A configuration refusal's values with its first problem worded in the UI language. */
export function refusalParams(e: ServerError): Record<string, string | number> {
  const params = e.params ?? {};
  return e.code === 'config' && e.problem && typeof params.problem === 'string' ? { ...params, problem: configProblemLine(e.problem) } : params;
}
