// Option 43 (vendor-specific information, RFC 2132 §8.4) built from typed sub-options: each entry is
// a code and a value of a simple type, encoded as code, length, data TLVs. The configuration keeps
// the typed list; the server, the exports and the UI's hex preview all call encodeVendorOption, so
// the preview shows exactly the bytes the server sends.
import { parseHex, toColonHex } from './option-json.js';
import { encodeAsKind, OptionValueError, type OptionErrorReason, type OptionKind } from './options.js';

export const VENDOR_OPTION = 43;

/** The value types a sub-option can have in the editor and in the configuration file. */
export type SubOptionType = 'ip' | 'ips' | 'text' | 'hex' | 'u8' | 'u16' | 'u32';

export interface VendorSubOption {
  code: number;
  type: SubOptionType;
  value: unknown;
}

export const SUB_OPTION_TYPES: readonly { type: SubOptionType; label: string }[] = [
  { type: 'ip', label: 'IPv4 address' },
  { type: 'ips', label: 'IPv4 addresses' },
  { type: 'text', label: 'Text' },
  { type: 'hex', label: 'Hex bytes' },
  { type: 'u8', label: 'Number (1 byte)' },
  { type: 'u16', label: 'Number (2 bytes)' },
  { type: 'u32', label: 'Number (4 bytes)' },
];

const KIND: Readonly<Record<Exclude<SubOptionType, 'hex'>, OptionKind>> = { ip: 'ip', ips: 'ips', text: 'string', u8: 'u8', u16: 'u16', u32: 'u32' };

function fail(detail: string, reason: OptionErrorReason): never {
  throw new OptionValueError(VENDOR_OPTION, detail, reason);
}

/** "sub-option 5: …": the inner reason worded into the wrapper's {detail}. */
const inSub = (code: number, inner: OptionErrorReason | undefined): OptionErrorReason => ({ code: 'vendor-sub', params: { sub: String(code) }, ...(inner ? { inner } : {}) });

function subOptionData(s: VendorSubOption, where: string): Uint8Array {
  if (s.type === 'hex') {
    const b = typeof s.value === 'string' ? parseHex(s.value) : undefined;
    if (!b) fail(`${where}: value must be hex such as "01:02:0a"`, inSub(s.code, { code: 'vendor-hex' }));
    return b;
  }
  const kind = KIND[s.type];
  const types = SUB_OPTION_TYPES.map((t) => t.type).join(', ');
  if (!kind) fail(`${where}: type must be one of ${types}`, inSub(s.code, { code: 'vendor-type', params: { types } }));
  let value = s.value;
  if ((s.type === 'u8' || s.type === 'u16' || s.type === 'u32') && typeof value === 'string' && /^\d+$/.test(value.trim())) value = Number(value);
  if (s.type === 'ips' && typeof value === 'string') value = value.split(/[\s,;]+/).filter(Boolean);
  try {
    return encodeAsKind(VENDOR_OPTION, kind, value);
  } catch (e) {
    if (e instanceof OptionValueError) fail(`${where}: ${e.detail}`, inSub(s.code, e.reason));
    throw e;
  }
}

/**
 * The JSON shapes option 43 accepts: a list of typed sub-options (encoded as TLVs), { "text": … }
 * for vendors that want plain text in 43 (Aruba), or a hex string (raw bytes, as before).
 */
export function encodeVendorOption(json: unknown): Uint8Array {
  if (typeof json === 'string') {
    const b = parseHex(json);
    if (!b) fail('value must be hex such as "01:04:c6:12:0a:05", a list of sub-options, or { "text": "…" }', { code: 'vendor-raw' });
    return b;
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const text = (json as { text?: unknown }).text;
    if (typeof text !== 'string' || text === '') fail('expected { "text": "…" } with non-empty text', { code: 'vendor-text' });
    return encodeAsKind(VENDOR_OPTION, 'string', text);
  }
  if (!Array.isArray(json) || json.length === 0) fail('expected a non-empty list of sub-options [{ "code": 1, "type": "ip", "value": "198.18.0.5" }]', { code: 'vendor-list' });
  const parts: number[] = [];
  const seen = new Set<number>();
  json.forEach((raw: unknown, i) => {
    const s = raw as Partial<VendorSubOption> | null;
    const code = typeof s?.code === 'string' && /^\d+$/.test(s.code) ? Number(s.code) : s?.code;
    const where = `sub-option ${typeof code === 'number' ? code : `#${i + 1}`}`;
    // RFC 2132 §8.4: codes 0 (pad) and 255 (end) keep their meaning inside 43.
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 1 || code > 254) fail(`sub-option #${i + 1}: code must be 1–254`, { code: 'vendor-code', params: { index: String(i + 1) } });
    if (seen.has(code)) fail(`${where} appears twice; put all its values in one entry`, { code: 'vendor-twice', params: { sub: String(code) } });
    seen.add(code);
    const data = subOptionData({ code, type: s!.type as SubOptionType, value: s!.value }, where);
    if (data.length > 255) fail(`${where} is ${data.length} bytes; a sub-option holds at most 255`, { code: 'vendor-long', params: { sub: String(code), bytes: String(data.length) } });
    parts.push(code, data.length, ...data);
  });
  return Uint8Array.from(parts);
}

/** The encoded bytes as colon hex, or the field-named problem (the UI's live preview) with its reason. */
export function previewVendorOption(json: unknown): { hex: string; length: number } | { error: string; reason?: OptionErrorReason } {
  try {
    const b = encodeVendorOption(json);
    return { hex: toColonHex(b), length: b.length };
  } catch (e) {
    if (e instanceof OptionValueError) return { error: e.detail, ...(e.reason ? { reason: e.reason } : {}) };
    throw e;
  }
}

export interface VendorTemplate {
  id: string;
  label: string;
  /** What the device sends in option 60, for a class that sends 43 only to it. */
  vendorClass?: { text: string; match: 'exact' | 'prefix' };
  /** The option 43 value in its JSON shape (addresses are placeholders to replace). */
  value: VendorSubOption[] | { text: string };
  hint: string;
}

/**
 * Templates whose formats come from the vendors' documentation:
 * - UniFi: sub-option 1 = controller IPv4 address, e.g. 01:04:ac:10:00:02 (Ubiquiti community
 *   answer "DHCP Option 43", community.ui.com/questions/59fb8337…; wiki.rlskeels.com dhcp-options/43).
 * - Cisco lightweight APs: type 0xf1 (241), length 4 × controllers, the WLC management addresses,
 *   e.g. f1:08:0a:7e:7e:02:0a:7f:7f:02; the AP sends "Cisco AP c1240" etc. in option 60 (Cisco
 *   Aironet 1200 Series Hardware Installation Guide, appendix G "Configuring DHCP Option 43 for
 *   Lightweight Access Points").
 * - Aruba campus APs: option 43 is the controller address as text and the AP sends "ArubaAP" in 60
 *   (HPE Aruba Networking "DHCP for APs: AOS-8 campus" technical documentation).
 * - Mitel MiNET IP phones (MiVoice Business / 3300 ICP): option 43 (or 125) is text, the
 *   identifier "id:ipphone.mitel.com;" then tag=value pairs separated by ";" — sw_tftp (TFTP server
 *   for the software load), call_srv (1-4 call server addresses), vlan, l2p, dscp (Mitel 3300 ICP
 *   Engineering Guidelines, "Vendor information data format (options 125 and 43)", table 74).
 * Phone presets that use other options (Avaya 242, Cisco 150, Polycom and Yealink 66) are
 * phone-templates.ts.
 */
export const VENDOR_TEMPLATES: readonly VendorTemplate[] = [
  {
    id: 'unifi',
    label: 'Ubiquiti UniFi: controller address',
    value: [{ code: 1, type: 'ip', value: '198.18.0.10' }],
    hint: 'UniFi devices on another network find the controller (Network application) at this address.',
  },
  {
    id: 'cisco-lwap',
    label: 'Cisco lightweight AP: controller list (0xf1)',
    vendorClass: { text: 'Cisco AP', match: 'prefix' },
    value: [{ code: 241, type: 'ips', value: ['198.18.0.10'] }],
    hint: 'Aironet APs join the wireless LAN controllers at these management addresses.',
  },
  {
    id: 'aruba',
    label: 'Aruba campus AP: controller address (text)',
    vendorClass: { text: 'ArubaAP', match: 'exact' },
    value: { text: '198.18.0.10' },
    hint: 'Aruba APs only read option 43 when their vendor class (ArubaAP) matched: use it in a vendor class.',
  },
  {
    id: 'mitel',
    label: 'Mitel IP phones: call server and TFTP server (text)',
    value: { text: 'id:ipphone.mitel.com;sw_tftp=198.18.0.10;call_srv=198.18.0.10' },
    hint: 'Mitel MiNET phones read the call server (call_srv) and the TFTP server of their software (sw_tftp) from this text; add ;vlan=N for a voice VLAN.',
  },
];

/** Sub-option list for display when the stored 43 is raw hex (best effort; undefined if not TLVs). */
export function hexAsSubOptions(hex: string): VendorSubOption[] | undefined {
  const b = parseHex(hex);
  if (!b || b.length === 0) return undefined;
  const out: VendorSubOption[] = [];
  let p = 0;
  while (p < b.length) {
    if (p + 2 > b.length || p + 2 + b[p + 1]! > b.length || b[p] === 0 || b[p] === 255) return undefined;
    out.push({ code: b[p]!, type: 'hex', value: toColonHex(b.subarray(p + 2, p + 2 + b[p + 1]!)) });
    p += 2 + b[p + 1]!;
  }
  return out;
}
