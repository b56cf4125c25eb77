// Why an option value is refused, in the UI language. The encoders (src-main/dhcp/options.ts,
// option-json.ts, vendor-options.ts) throw OptionValueError with the English sentence and its
// reason (code, values, and the inner reason of a "sub-option N: …" wrapper); other languages word
// the reason from the catalog's optErr.<code>. English, and any reason this renderer cannot word
// completely, show the engine's sentence.
import type { OptionErrorReason } from '../../../src-main/dhcp/options.js';
import { hasMessage, locale, translate, type Locale } from '../i18n/index.js';

function word(reason: OptionErrorReason, l: Locale): string | undefined {
  const key = `optErr.${reason.code}`;
  if (!hasMessage(key)) return undefined;
  const detail = reason.inner ? word(reason.inner, l) : '';
  if (detail === undefined) return undefined;
  return translate(l, key, { ...reason.params, detail });
}

/** An encoder's sentence (`detail`, after "option N (name): ") in the active language. */
export function optionErrorText(detail: string, reason: OptionErrorReason | undefined, l: Locale = locale()): string {
  if (l === 'en' || !reason) return detail;
  return word(reason, l) ?? detail;
}
