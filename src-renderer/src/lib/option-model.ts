// The advanced-options editor is driven by the one option table (src-main/dhcp/options.ts): which
// options can be added, how each is searched for, which editor its kind gets, and the value a
// fresh entry starts with. Values are kept in the config's JSON shape (option-json.ts), so what
// the editor writes is exactly what the config file and the engine read.
import { optionWire } from '../../../src-main/dhcp/option-json.js';
import { allOptionDefs, optionDef, OptionValueError, type OptionDef, type OptionKind } from '../../../src-main/dhcp/options.js';
import { PER_MESSAGE_OPTIONS } from '../../../src-main/dhcp/reply-options.js';
import { t, tEngine } from '../i18n/index.js';
import { routesWarning } from '../../../src-main/config/warnings.js';

/** The editor a kind gets. */
export type EditorKind = 'ip' | 'ipList' | 'ipPairs' | 'number' | 'numberList' | 'bool' | 'text' | 'hex' | 'routes' | 'domains' | 'flag';

/** Options with their own field in the Scope form, or filled in from the scope itself (why, in the UI language). */
const SCOPE_FIELDS: ReadonlyMap<number, () => string> = new Map([
  [1, () => t('opt.why.scope1')],
  [3, () => t('opt.why.scope3')],
  [6, () => t('opt.why.scope6')],
  [15, () => t('opt.why.scope15')],
]);

/** Kinds a person does not type: client-side or relay-side structures. */
const NOT_CONFIGURABLE: ReadonlySet<OptionKind> = new Set<OptionKind>(['subOptions', 'fqdn', 'clientId']);

export function editorKind(kind: OptionKind): EditorKind {
  switch (kind) {
    case 'ip':
    case 'mask':
      return 'ip';
    case 'ips':
      return 'ipList';
    case 'ipPairs':
      return 'ipPairs';
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i32':
      return 'number';
    case 'u8s':
    case 'u16s':
      return 'numberList';
    case 'bool':
      return 'bool';
    case 'string':
      return 'text';
    case 'routes':
      return 'routes';
    case 'domains':
      return 'domains';
    case 'empty':
      return 'flag';
    default:
      return 'hex';
  }
}

export const NUMBER_RANGE: Readonly<Partial<Record<OptionKind, [number, number]>>> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
  u8s: [0, 0xff],
  u16s: [0, 0xffff],
};

/** Why an option cannot be added here, or undefined if it can. */
export function notAddableReason(code: number): string | undefined {
  if (PER_MESSAGE_OPTIONS.has(code)) return t('opt.why.perMessage');
  const scope = SCOPE_FIELDS.get(code);
  if (scope) return scope();
  const def = optionDef(code);
  if (def && NOT_CONFIGURABLE.has(def.kind)) return t('opt.why.notConfigurable');
  return undefined;
}

/** Options the picker offers, in code order. */
export function pickableOptions(): OptionDef[] {
  return allOptionDefs().filter((d) => notAddableReason(d.code) === undefined);
}

/**
 * Picker search by code ("42"), name ("ntp") or label ("time server"): every word of the query
 * must match. Exact code matches come first, then name prefixes, then the rest in code order.
 */
export function searchOptions(query: string, defs: readonly OptionDef[] = pickableOptions()): OptionDef[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return defs.slice();
  const hits = defs.filter((d) => {
    const text = `${d.code} ${d.name} ${d.label}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const score = (d: OptionDef): number => (String(d.code) === query.trim() ? 0 : d.name.startsWith(words[0]!) ? 1 : 2);
  return hits.sort((a, b) => score(a) - score(b) || a.code - b.code);
}

/** A code typed into the picker that is not in the table (sent as raw hex bytes). */
export function customCode(query: string): number | undefined {
  const q = query.trim();
  if (!/^\d{1,3}$/.test(q)) return undefined;
  const code = Number(q);
  if (code < 1 || code > 254 || optionDef(code) || PER_MESSAGE_OPTIONS.has(code)) return undefined;
  return code;
}

/** The config key an option is stored under: its table name, or its code for unknown options. */
export function optionKey(code: number): string {
  return optionDef(code)?.name ?? String(code);
}

/** Resolves a stored key ("ntp-servers", "42", "224") to its code and definition. */
export function resolveOptionKey(key: string): { code: number; def: OptionDef | undefined } | undefined {
  const def = optionDef(key);
  if (def) return { code: def.code, def };
  if (/^\d{1,3}$/.test(key)) return { code: Number(key), def: undefined };
  return undefined;
}

/** The value a newly added option starts with (an empty editor, not a valid value: validation says what is missing). */
export function initialValue(def: OptionDef | undefined): unknown {
  // Option 43 starts as one typed sub-option (vendor-options.ts), not raw hex.
  if (def?.code === 43) return [{ code: 1, type: 'ip', value: '' }];
  switch (editorKind(def?.kind ?? 'bytes')) {
    case 'ipList':
    case 'domains':
    case 'numberList':
    case 'ipPairs':
      return [];
    case 'routes':
      return [{ destination: '', router: '' }];
    case 'bool':
      return true;
    case 'flag':
      return true;
    case 'number':
      return 0;
    default:
      return '';
  }
}

/** Splits list text typed as "a, b c" into items. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** Number list text to numbers; items that are not integers stay as text so validation names them. */
export function parseNumberList(text: string): (number | string)[] {
  return splitList(text).map((t) => (/^-?\d+$/.test(t) ? Number(t) : t));
}

/**
 * The encoded option as the server sends it: `wire` is code, length, data in hex (an option over
 * 255 bytes is split into several, RFC 3396, and shown as its data only). Undefined while the
 * value does not encode; { error } carries the encoder's message for editors that show it live.
 */
export function encodedPreview(code: number, value: unknown): { hex: string; wire: string; length: number } | { error: string } | undefined {
  if (!code) return undefined;
  try {
    const { hex, wire, length } = optionWire(code, value);
    return { hex, wire, length };
  } catch (e) {
    if (e instanceof OptionValueError) return { error: e.message.replace(/^option \d+ \([^)]*\): /, '') };
    return undefined;
  }
}

/**
 * The option 121 warning (src-main/config/warnings.ts routesWarning, the engine's one rule) in the
 * UI language; undefined when the routes are fine. Its one English sentence is its code.
 */
export function routesWarningText(routes: unknown, hasRouter: boolean): string | undefined {
  const english = routesWarning(routes, hasRouter);
  return english === undefined ? undefined : tEngine('opt.routesNoDefault', english);
}

/** A sub-option type's label (SUB_OPTION_TYPES of src-main/dhcp/vendor-options.ts) by its type. */
export function subOptionTypeLabel(type: string, english: string): string {
  return tEngine(`vendor.type.${type}`, english);
}

/** A vendor template's name and hint (VENDOR_TEMPLATES) by its id. */
export function templateText(tpl: { id: string; label: string; hint: string }): { label: string; hint: string } {
  return { label: tEngine(`vendor.tpl.${tpl.id}`, tpl.label), hint: tEngine(`vendor.tpl.${tpl.id}.hint`, tpl.hint) };
}

/** A phone preset's name and hint (PHONE_TEMPLATES of src-main/dhcp/phone-templates.ts) by its id. */
export function phoneTemplateText(tpl: { id: string; label: string; hint: string }): { label: string; hint: string } {
  return { label: tEngine(`phone.tpl.${tpl.id}`, tpl.label), hint: tEngine(`phone.tpl.${tpl.id}.hint`, tpl.hint) };
}

/**
 * Puts a preset's options into an options object: each replaces the option with the same code,
 * whatever key it is stored under ("66" or "tftp-server-name"), so no option is set twice.
 */
export function applyPresetOptions(target: Record<string, unknown>, preset: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(preset)) {
    const code = resolveOptionKey(key)?.code;
    for (const k of Object.keys(target)) if (k !== key && code !== undefined && resolveOptionKey(k)?.code === code) delete target[k];
    target[key] = structuredClone(value);
  }
}
