import { afterEach, describe, expect, it } from 'vitest';
import { optionDef } from '../../../src-main/dhcp/options.js';
import { optionFromJson } from '../../../src-main/dhcp/option-json.js';
import { PHONE_TEMPLATES } from '../../../src-main/dhcp/phone-templates.js';
import { VENDOR_TEMPLATES } from '../../../src-main/dhcp/vendor-options.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { applyPresetOptions, customCode, editorKind, initialValue, notAddableReason, optionKey, parseNumberList, phoneTemplateText, pickableOptions, resolveOptionKey, searchOptions, splitList, templateText } from '../../../src-renderer/src/lib/option-model.js';

describe('option picker', () => {
  it('offers the table minus per-message options, scope fields and client-side structures', () => {
    const codes = pickableOptions().map((d) => d.code);
    for (const c of [42, 66, 67, 119, 121, 150, 252, 26, 43]) expect(codes).toContain(c);
    for (const c of [1, 3, 6, 15, 50, 51, 53, 54, 55, 58, 59, 61, 81, 82]) expect(codes).not.toContain(c);
    expect(notAddableReason(51)).toMatch(/server/);
    expect(notAddableReason(3)).toMatch(/Router/);
    expect(notAddableReason(42)).toBeUndefined();
  });

  it('searches by code, name and label; an exact code comes first', () => {
    expect(searchOptions('42')[0]!.code).toBe(42);
    expect(searchOptions('ntp').map((d) => d.code)).toEqual([42, 71]); // ntp-servers (name prefix) before nntp-server
    expect(searchOptions('tftp').map((d) => d.code)).toEqual([66, 150]);
    expect(searchOptions('static route').map((d) => d.code)).toEqual([33, 121, 249]);
    expect(searchOptions('zzz')).toEqual([]);
    expect(searchOptions('').length).toBe(pickableOptions().length);
  });

  it('accepts a code outside the table as raw bytes', () => {
    expect(customCode('224')).toBe(224);
    expect(customCode('42')).toBeUndefined();
    expect(customCode('53')).toBeUndefined();
    expect(customCode('255')).toBeUndefined();
    expect(customCode('abc')).toBeUndefined();
    expect(optionKey(224)).toBe('224');
    expect(optionKey(42)).toBe('ntp-servers');
    expect(resolveOptionKey('224')).toEqual({ code: 224, def: undefined });
    expect(resolveOptionKey('ntp-servers')?.code).toBe(42);
    expect(resolveOptionKey('150')?.def?.name).toBe('tftp-server-address');
  });
});

describe('typed editors', () => {
  it('maps every kind to an editor', () => {
    const kinds = Object.fromEntries(pickableOptions().map((d) => [d.kind, editorKind(d.kind)]));
    expect(kinds).toMatchObject({ ip: 'ip', ips: 'ipList', u8: 'number', u16: 'number', u32: 'number', i32: 'number', bool: 'bool', string: 'text', bytes: 'hex', routes: 'routes', domains: 'domains', ipPairs: 'ipPairs', u16s: 'numberList', empty: 'flag' });
  });

  it('what each editor produces is what the engine accepts', () => {
    const cases: [string, unknown][] = [
      ['ntp-servers', splitList('192.168.77.1, 192.168.77.2')],
      ['domain-search', splitList('lab.local example.test')],
      ['interface-mtu', 1400],
      ['ip-forwarding', false],
      ['tftp-server-name', 'boot.lab'],
      ['vendor-encapsulated-options', '01:04:c0:a8:4d:01'],
      ['classless-static-route', [{ destination: '0.0.0.0/0', router: '192.168.77.1' }, { destination: '10.0.0.0/8', router: '192.168.77.254' }]],
      ['policy-filter', [['10.0.0.0', '255.0.0.0']]],
      ['path-mtu-plateau-table', parseNumberList('68, 296, 1500')],
      ['rapid-commit', initialValue(optionDef(80))],
      ['224', 'de:ad:be:ef'],
    ];
    for (const [key, value] of cases) expect(() => optionFromJson(key, value), key).not.toThrow();
  });

  it('a fresh entry starts empty (validation then says what is missing)', () => {
    expect(initialValue(optionDef(42))).toEqual([]);
    expect(initialValue(optionDef(121))).toEqual([{ destination: '', router: '' }]);
    expect(initialValue(optionDef(26))).toBe(0);
    expect(initialValue(optionDef(66))).toBe('');
    expect(initialValue(undefined)).toBe('');
    expect(() => optionFromJson('ntp-servers', [])).toThrow(/non-empty/);
  });

  it('keeps non-numbers in number lists so validation can name them', () => {
    expect(parseNumberList('1, 2 x3')).toEqual([1, 2, 'x3']);
  });
});

describe('device templates in the UI (option 43 templates and phone presets)', () => {
  afterEach(() => setLocale('en'));

  it('every template and preset has its name and hint in English (the engine\'s words) and in Korean', () => {
    const all = [...VENDOR_TEMPLATES.map((x) => ({ tpl: x, text: templateText })), ...PHONE_TEMPLATES.map((x) => ({ tpl: x, text: phoneTemplateText }))];
    for (const { tpl, text } of all) {
      setLocale('en');
      expect(text(tpl), tpl.id).toEqual({ label: tpl.label, hint: tpl.hint });
      setLocale('ko');
      const ko = text(tpl);
      expect(ko.label, tpl.id).not.toBe(tpl.label);
      expect(ko.label, tpl.id).toMatch(/[\uac00-\ud7a3]/);
      expect(ko.hint, tpl.id).toMatch(/[\uac00-\ud7a3]/);
    }
    expect(VENDOR_TEMPLATES.map((x) => x.id)).toContain('mitel');
  });

  it('a phone preset replaces an option set under another key (name or code), keeps the rest', () => {
    const options: Record<string, unknown> = { '66': 'old.example', 'ntp-servers': ['198.18.10.1'] };
    applyPresetOptions(options, PHONE_TEMPLATES.find((x) => x.id === 'yealink')!.options);
    expect(options).toEqual({ 'ntp-servers': ['198.18.10.1'], 'tftp-server-name': 'http://198.18.0.10/yealink/' });
    // The preset's own value is copied, not shared with the table.
    (options as { 'tftp-server-name': string })['tftp-server-name'] = 'changed';
    expect(PHONE_TEMPLATES.find((x) => x.id === 'yealink')!.options['tftp-server-name']).toBe('http://198.18.0.10/yealink/');
    applyPresetOptions(options, PHONE_TEMPLATES.find((x) => x.id === 'cisco-phone')!.options);
    expect(options['tftp-server-address']).toEqual(['198.18.0.10']);
  });
});
