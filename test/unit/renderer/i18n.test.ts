// The Korean catalog against the English one: same keys, same {placeholders}, nothing empty; and
// the i18n runtime: named parameters, plurals through Intl.PluralRules, locale from the OS language.
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { localeFromLanguages, segments, setLocale, t, translate, type Message, type MessageKey } from '../../../src-renderer/src/i18n/index.js';
import { formatAgo, formatCountdown, formatSeconds, formatStamp } from '../../../src-renderer/src/lib/format.js';
import { describeError } from '../../../src-renderer/src/lib/errors.js';
import { kindLabel } from '../../../src-renderer/src/lib/log-filter.js';

const texts = (m: Message): string[] => (typeof m === 'string' ? [m] : Object.values(m).filter((v): v is string => typeof v === 'string'));
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!).sort();

describe('catalogs', () => {
  const enKeys = Object.keys(en).sort();
  const koKeys = Object.keys(ko).sort();

  it('Korean has every English key and no other', () => {
    expect(koKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in ko))).toEqual([]);
    expect(enKeys.length).toBeGreaterThan(100);
  });

  it('every {param} of an English message appears in its Korean translation, and no unknown one', () => {
    const wrong: string[] = [];
    for (const k of enKeys as MessageKey[]) {
      const want = new Set(texts(en[k]).flatMap(placeholders));
      for (const text of texts(ko[k])) {
        const got = new Set(placeholders(text));
        for (const p of want) if (!got.has(p) && !(p === 'count' && typeof en[k] !== 'string')) wrong.push(`${k}: missing {${p}} in "${text}"`);
        for (const p of got) if (!want.has(p) && !(p === 'count' && typeof en[k] !== 'string')) wrong.push(`${k}: unknown {${p}} in "${text}"`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no empty strings; plural messages have `other`, English ones also `one`', () => {
    for (const [lang, cat] of [['en', en], ['ko', ko]] as const) {
      for (const [k, m] of Object.entries(cat) as [string, Message][]) {
        for (const text of texts(m)) expect(text.trim(), `${lang} ${k}`).not.toBe('');
        if (typeof m !== 'string') expect(m.other, `${lang} ${k}`).toBeTruthy();
      }
    }
    for (const m of Object.values(en) as Message[]) if (typeof m !== 'string') expect(m.one).toBeTruthy();
  });

  it('Korean text is Korean: most messages contain Hangul', () => {
    const hangul = Object.values(ko).flatMap(texts).filter((s) => /[\uac00-\ud7a3]/.test(s)).length;
    expect(hangul / Object.keys(ko).length).toBeGreaterThan(0.85);
  });
});

describe('runtime', () => {
  afterEach(() => setLocale('en'));

  it('fills named parameters and picks plural forms with Intl.PluralRules', () => {
    expect(translate('en', 'count.problems', { count: 1 })).toBe('1 problem');
    expect(translate('en', 'count.problems', { count: 12000 })).toBe('12,000 problems');
    expect(translate('ko', 'count.problems', { count: 1 })).toBe('문제 1개');
    expect(translate('ko', 'topbar.line.running', { interface: 'eth1', serverId: '198.18.0.1' })).toBe('eth1에서 서비스 중 · 198.18.0.1');
  });

  it('t() follows the active locale; lib functions follow it too', () => {
    expect(t('topbar.start')).toBe('Start');
    expect(formatSeconds(3600 + 1800)).toBe('1 h 30 min');
    expect(kindLabel('pool-exhausted')).toBe('POOL');
    expect(describeError({ code: 'port-busy', message: 'x' }).title).toBe('Port 67 is in use');
    setLocale('ko');
    expect(t('topbar.start')).toBe('시작');
    expect(formatSeconds(3600 + 1800)).toBe('1시간 30분');
    expect(formatCountdown(Date.now() + 2 * 86400_000 + 3 * 3600_000 + 500, Date.now())).toBe('2일 3시간');
    expect(formatAgo(0, 5 * 60_000)).toBe('5분 전');
    expect(formatStamp(new Date(2024, 2, 11, 14, 0).getTime(), new Date(2024, 2, 12, 14, 0).getTime())).toBe('3월 11일 14:00');
    expect(kindLabel('pool-exhausted')).toBe('주소 소진');
    expect(kindLabel('ack')).toBe('ACK');
    expect(describeError({ code: 'port-busy', message: 'x' }).title).toBe('포트 67이 사용 중입니다');
  });

  it('splits a message at its placeholders for markup', () => {
    expect(segments('pool.noAnswer').filter((s) => s.slot)).toEqual([{ slot: 'apipa' }]);
    setLocale('ko');
    const parts = segments('connection.noToken');
    expect(parts.filter((s) => s.slot).map((s) => s.slot)).toEqual(['command', 'suffix']);
    expect(parts.map((s) => s.text ?? `{${s.slot}}`).join('')).toBe(ko['connection.noToken']);
  });

  it('Korean for any ko* OS/browser language, English otherwise', () => {
    expect(localeFromLanguages(['ko-KR', 'en-US'])).toBe('ko');
    expect(localeFromLanguages(['ko'])).toBe('ko');
    expect(localeFromLanguages(['en-US', 'ko-KR'])).toBe('en');
    expect(localeFromLanguages(['kok-IN'])).toBe('en');
    expect(localeFromLanguages(['de-DE'])).toBe('en');
    expect(localeFromLanguages([])).toBe('en');
    expect(localeFromLanguages(undefined)).toBe('en');
  });
});

describe('engine codes have catalog entries', () => {
  it('every drop reason, timeline kind and sweep classification has a message', async () => {
    const { DROP_REASONS } = await import('../../../src-main/dhcp/events.js');
    const keys = new Set(Object.keys(en));
    const missing = [
      ...Object.keys(DROP_REASONS).map((r) => `drop.${r}`),
      ...['discover', 'request', 'offer', 'ack', 'nak', 'decline', 'release', 'inform', 'expire', 'drop', 'pool-exhausted', 'offer-evicted'].map((k) => `timeline.kind.${k}`),
      ...['ours', 'conflict', 'static'].map((k) => `sweep.kind.${k}`),
      ...['leased-ours', 'leased-conflict', 'reserved-ours', 'reserved-conflict', 'lease-ended', 'static'].map((k) => `sweep.note.${k}`),
      ...['in', 'out', 'offer', 'ack', 'nak', 'decline', 'release', 'inform', 'expire', 'drop', 'pool-exhausted', 'warning', 'state', 'foreign-server', 'conflict'].map((k) => `log.kind.${k}`),
    ].filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });
});
