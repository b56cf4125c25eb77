// Options as JSON, for configuration files, the UI's typed editors and exports. The option
// table's kind decides the JSON shape: IPs and text as strings, numbers as numbers, lists as
// arrays, binary as hex ("01:02:ab" or "0102ab"), sub-options as [{ "code": 1, "hex": "…" }].
import { encodeVendorOption, VENDOR_OPTION } from './vendor-options.js';
import { decodeOptionValue, encodeOptionValue, optionDef, OptionValueError, type ClientIdentifier, type SubOption } from './options.js';

export type OptionJson = string | number | boolean | string[] | number[] | [string, string][] | Record<string, unknown> | Record<string, unknown>[] | null;

export function parseHex(text: string): Uint8Array | undefined {
  const clean = text.trim().replace(/^0x/i, '').replace(/[:\s-]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(clean)) return undefined;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toColonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Resolves `key` (name, or code as number/string) and encodes `json` into wire bytes; throws OptionValueError. */
export function optionFromJson(key: string | number, json: unknown): { code: number; data: Uint8Array } {
  const def = optionDef(key);
  const code = def?.code ?? (typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : NaN);
  if (!Number.isInteger(code) || code < 1 || code > 254) throw new OptionValueError(Number.isNaN(code) ? 0 : code, `unknown option "${key}" (use a name such as "ntp-servers" or a code 1–254)`, { code: 'unknown-option', params: { key: String(key) } });
  const kind = def?.kind ?? 'bytes';
  const hex = (v: unknown, what: 'value' | 'client identifier' | 'sub-option data'): Uint8Array => {
    const b = typeof v === 'string' ? parseHex(v) : undefined;
    if (!b) throw new OptionValueError(code, `${what} must be hex such as "01:02:0a"`, { code: what === 'value' ? 'hex-value' : what === 'client identifier' ? 'hex-client-id' : 'hex-sub-data' });
    return b;
  };
  // Option 43: typed sub-options (TLVs), { text }, or hex: vendor-options.ts.
  if (code === VENDOR_OPTION) return { code, data: encodeVendorOption(json) };
  let value: unknown = json;
  if (kind === 'bytes') value = hex(json, 'value');
  else if (kind === 'clientId') {
    const b = hex(json, 'client identifier');
    if (b.length < 2) throw new OptionValueError(code, 'client identifier needs a type octet and at least one more octet', { code: 'client-id-short' });
    value = { type: b[0]!, id: b.slice(1) } satisfies ClientIdentifier;
  } else if (kind === 'subOptions') {
    if (!Array.isArray(json)) throw new OptionValueError(code, 'expected [{ "code": 1, "hex": "…" }, …]', { code: 'sub-options-list' });
    value = json.map((s: { code?: unknown; hex?: unknown }) => ({ code: Number(s?.code), data: hex(s?.hex, 'sub-option data') }) satisfies SubOption);
  } else if (kind === 'empty') value = true;
  else if ((kind === 'u8' || kind === 'u16' || kind === 'u32' || kind === 'i32') && typeof json === 'string' && /^-?\d+$/.test(json.trim())) value = Number(json);
  return { code, data: encodeOptionValue(code, value) };
}

/** An option as the server puts it on the wire (optionWire). */
export interface OptionWire {
  code: number;
  /** The data, colon hex. */
  hex: string;
  /** Code, length and data (RFC 2132 §2); an option over 255 bytes is split into several (RFC 3396) and shown as its data only. */
  wire: string;
  length: number;
}

/**
 * The encoded option for display: the UI's hex preview and `pocket-dhcp options` both show these
 * bytes, from the encoder the server uses. Throws OptionValueError.
 */
export function optionWire(key: string | number, json: unknown): OptionWire {
  const { code, data } = optionFromJson(key, json);
  const hex = toColonHex(data);
  const wire = data.length <= 255 ? toColonHex(Uint8Array.of(code, data.length, ...data)) : hex;
  return { code, hex, wire, length: data.length };
}

/** Wire bytes → the JSON shape optionFromJson accepts (so a value survives a UI/config round trip). */
export function optionToJson(code: number, data: Uint8Array): unknown {
  const kind = optionDef(code)?.kind ?? 'bytes';
  try {
    const v = decodeOptionValue(code, data);
    if (kind === 'bytes') return toColonHex(v as Uint8Array);
    if (kind === 'clientId') return toColonHex(data);
    if (kind === 'subOptions') return (v as SubOption[]).map((s) => ({ code: s.code, hex: toColonHex(s.data) }));
    return v;
  } catch (e) {
    if (e instanceof OptionValueError) return toColonHex(data);
    throw e;
  }
}
