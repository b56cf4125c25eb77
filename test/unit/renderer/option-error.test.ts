// Option value errors in the UI language (lib/option-error.ts): the encoders (options.ts,
// option-json.ts, vendor-options.ts) are run on wrong values until every reason code has been
// thrown; the English catalog entry, filled with the reason's values (and its inner reason for a
// sub-option), must be the engine's sentence exactly, and Korean must be Korean with the values
// kept. Both ways: every optErr.* entry is reached. Also the configuration problem of an option as
// its editor shows it.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src-main/config/schema.js';
import { optionFromJson } from '../../../src-main/dhcp/option-json.js';
import { allOptionDefs, encodeOptionValue, OptionValueError, type OptionErrorReason, type OptionKind } from '../../../src-main/dhcp/options.js';
import { encodeVendorOption, previewVendorOption } from '../../../src-main/dhcp/vendor-options.js';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { setLocale, translate } from '../../../src-renderer/src/i18n/index.js';
import { optionErrorText } from '../../../src-renderer/src/lib/option-error.js';
import { optionProblemDetail } from '../../../src-renderer/src/lib/config-problem-text.js';
import type { ConfigProblem } from '../../../src-main/config/schema.js';

const HANGUL = /[\uac00-\ud7a3]/;
const of = (kind: OptionKind): number => allOptionDefs().find((d) => d.kind === kind)!.code;

/** Wrong values, each refused by the encoder with a reason. */
const CASES: (() => unknown)[] = [
  () => optionFromJson('routers', ['198.18.0.1', '10.20.0']),
  () => optionFromJson(of('u8'), 300),
  () => optionFromJson(of('mask'), '255.0.255.0'),
  () => optionFromJson(of('ips'), []),
  () => optionFromJson(of('ipPairs'), []),
  () => optionFromJson(of('ipPairs'), [['198.18.0.1']]),
  () => optionFromJson(of('bool'), 'yes'),
  () => optionFromJson(of('u8s'), 'x'),
  () => optionFromJson(of('u16s'), []),
  () => optionFromJson(of('string'), ''),
  () => optionFromJson(of('string'), 'a\0b'),
  () => optionFromJson(of('domains'), []),
  () => optionFromJson(of('domains'), [5]),
  () => optionFromJson(of('domains'), ['.']),
  () => optionFromJson(of('domains'), ['lab.bad_label!']),
  () => optionFromJson(of('domains'), [`${'a.'.repeat(130)}b`]),
  () => optionFromJson(121, []),
  () => optionFromJson(121, [{ destination: '10.0.0', router: '198.18.0.1' }]),
  () => optionFromJson(121, [{ destination: '10.0.0.1/8', router: '198.18.0.1' }]),
  () => encodeOptionValue(300, new Uint8Array(1)),
  () => optionFromJson('no-such-option', 1),
  () => optionFromJson(224, 'zz'),
  () => optionFromJson(of('clientId'), 'zz'),
  () => optionFromJson(of('clientId'), '01'),
  () => optionFromJson(of('subOptions'), 'x'),
  () => optionFromJson(of('subOptions'), [{ code: 1, hex: 'zz' }]),
  () => encodeVendorOption('zz'),
  () => encodeVendorOption({ text: '' }),
  () => encodeVendorOption([]),
  () => encodeVendorOption([{ code: 0, type: 'ip', value: '198.18.0.1' }]),
  () => encodeVendorOption([{ code: 1, type: 'ip', value: '198.18.0.1' }, { code: 1, type: 'ip', value: '198.18.0.2' }]),
  () => encodeVendorOption([{ code: 1, type: 'text', value: 'x'.repeat(300) }]),
  () => encodeVendorOption([{ code: 5, type: 'hex', value: 'zz' }]),
  () => encodeVendorOption([{ code: 5, type: 'weird', value: 'x' }]),
  () => encodeVendorOption([{ code: 1, type: 'ip', value: '10.20.0' }]),
  () => encodeVendorOption([{ code: 2, type: 'u16', value: 70000 }]),
];

const errors: OptionValueError[] = CASES.map((f, i) => {
  try {
    f();
  } catch (e) {
    if (e instanceof OptionValueError) return e;
    throw e;
  }
  throw new Error(`case ${i} was accepted`);
});

/** The English catalog's sentence for a reason, inner reasons worded into {detail}. */
const english = (r: OptionErrorReason): string => translate('en', `optErr.${r.code}` as never, { ...r.params, detail: r.inner ? english(r.inner) : '' });
const codes = (r: OptionErrorReason): string[] => [r.code, ...(r.inner ? codes(r.inner) : [])];
const values = (r: OptionErrorReason): string[] => [...Object.values(r.params ?? {}), ...(r.inner ? values(r.inner) : [])];

afterEach(() => setLocale('en'));

describe('option value errors', () => {
  it('every wrong value is refused with a reason, and every optErr entry is reached', () => {
    expect(errors.filter((e) => !e.reason).map((e) => e.message)).toEqual([]);
    const reached = new Set(errors.flatMap((e) => codes(e.reason!)));
    expect(Object.keys(en).filter((k) => k.startsWith('optErr.') && !reached.has(k.slice(7)))).toEqual([]);
    expect([...reached].filter((c) => !(`optErr.${c}` in en))).toEqual([]);
  });

  it('English: the catalog mirrors the encoder’s sentence; the UI shows the sentence itself', () => {
    for (const e of errors) {
      expect(english(e.reason!), e.message).toBe(e.detail);
      expect(optionErrorText(e.detail, e.reason)).toBe(e.detail);
    }
  });

  it('Korean: every reason worded in Korean, values kept', () => {
    setLocale('ko');
    for (const e of errors) {
      const ko = optionErrorText(e.detail, e.reason);
      expect(ko, e.detail).toMatch(HANGUL);
      for (const v of values(e.reason!)) expect(ko, e.detail).toContain(v);
    }
    const sub = errors.find((e) => e.reason?.inner?.code === 'not-ipv4')!;
    expect(optionErrorText(sub.detail, sub.reason)).toBe('하위 옵션 1: "10.20.0"은(는) IPv4 주소가 아닙니다');
    // The vendor editor's live preview carries the reason too.
    const live = previewVendorOption([{ code: 1, type: 'ip', value: '10.20.0' }]);
    expect(live).toEqual({ error: 'sub-option 1: "10.20.0" is not an IPv4 address', reason: sub.reason });
    // A reason this renderer cannot word (a newer engine) stays English as a whole.
    expect(optionErrorText('sub-option 1: something new', { code: 'vendor-sub', params: { sub: '1' }, inner: { code: 'brand-new' } })).toBe('sub-option 1: something new');
  });

  it('an option’s configuration problem, as its editor shows it: the engine’s sentence without the prefix, or Korean', () => {
    const value = ['198.18.10.1', '198.18.10'];
    let problem: ConfigProblem | undefined;
    try {
      parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', options: { 'ntp-servers': value } }] });
    } catch (e) {
      problem = (e as ConfigError).problems.find((p) => p.field.endsWith('ntp-servers'));
    }
    expect(problem?.message).toBe('option 42 (ntp-servers): "198.18.10" is not an IPv4 address');
    expect(problem?.code).toBe('option-value');
    expect(optionProblemDetail(problem!)).toBe('"198.18.10" is not an IPv4 address');
    setLocale('ko');
    expect(optionProblemDetail(problem!)).toBe('"198.18.10"은(는) IPv4 주소가 아닙니다');
    // A problem without a code (written by the UI itself) is shown as it is, without the prefix.
    expect(optionProblemDetail({ field: 'subnets[0].options.42', message: 'option 42 (ntp-servers): something else' })).toBe('something else');
  });
});
