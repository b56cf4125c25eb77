// The engine's NAK reasons in the UI language (lib/nak-reason.ts): every reason sentence the
// engine can write (read from src-main/dhcp/engine.ts itself, so a new or reworded reason shows up
// here) is recognised and worded in Korean with its addresses kept; English stays the engine's
// sentence; the catalog's English mirrors the engine's templates. Also where they are shown: the
// NAK-loop hint and a NAK entry of the device timeline.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { nakReasonText } from '../../../src-renderer/src/lib/nak-reason.js';
import { entryDetail, hintText } from '../../../src-renderer/src/lib/timeline.js';
import { timelineHints } from '../../../src-main/devices/timeline-hints.js';

const HANGUL = /[\uac00-\ud7a3]/;
const source = readFileSync('src-main/dhcp/engine.ts', 'utf8');

/** The reason templates of engine.ts: the `why` map of NAK reasons and every this.nak(…) call's literal. */
function engineReasons(): string[] {
  const why = /const why: Record<string, string> = \{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
  const calls = source.split('\n').filter((l) => l.includes('this.nak(')).join('\n');
  return [...`${why}\n${calls}`.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
}
/** A template with its ${…} parts filled with addresses (the subnet one with a network). */
const fill = (template: string): string => template.replace(/\$\{[^}]*subnet[^}]*\}/g, '198.18.20.0/24').replace(/\$\{[^}]*\}/g, '198.18.21.5');

afterEach(() => setLocale('en'));

describe('NAK reasons', () => {
  const reasons = engineReasons().map(fill);

  it('the engine has the reasons this renderer knows, and the catalog mirrors their templates', () => {
    expect(reasons.length).toBeGreaterThanOrEqual(10);
    const keys = Object.keys(en).filter((k) => k.startsWith('nak.reason.'));
    expect(keys.length).toBe(reasons.length);
    for (const k of keys) {
      const template = (en as unknown as Record<string, string>)[k]!;
      const asSource = template.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '\\$\\{[^}]+\\}');
      expect(new RegExp(asSource).test(source), `${k}: ${template}`).toBe(true);
    }
  });

  it('English is the engine’s sentence; Korean words every one of them and keeps the addresses', () => {
    for (const r of reasons) expect(nakReasonText(r)).toBe(r);
    setLocale('ko');
    const english: string[] = [];
    for (const r of reasons) {
      const ko = nakReasonText(r);
      if (!HANGUL.test(ko)) english.push(r);
      for (const ip of r.match(/\d{1,3}(\.\d{1,3}){3}(\/\d+)?/g) ?? []) expect(ko, r).toContain(ip);
    }
    expect(english).toEqual([]);
    expect(nakReasonText('198.18.21.5 is reserved for another client')).toBe('198.18.21.5은(는) 다른 클라이언트용으로 예약되어 있습니다');
    expect(nakReasonText('a reason from a newer engine')).toBe('a reason from a newer engine');
  });

  it('the NAK-loop hint and a NAK in the timeline show the reason in Korean', () => {
    const nak = { at: 2, kind: 'nak' as const, ip: '198.18.20.50', detail: '198.18.20.50 is leased to another client' };
    const hints = timelineHints([{ at: 1, kind: 'request', ip: '198.18.20.50' }, nak, { at: 3, kind: 'request', ip: '198.18.20.50' }, { ...nak, at: 4 }]);
    const loop = hints.find((h) => h.code === 'nak-loop')!;
    expect(loop.text).toBe('NAK loop: the client keeps asking for 198.18.20.50, which this server refuses (198.18.20.50 is leased to another client).');
    expect(hintText(loop)).toBe(loop.text);
    setLocale('ko');
    expect(hintText(loop)).toBe('NAK 반복: 클라이언트가 198.18.20.50를 계속 요청하지만 이 서버가 거절합니다(198.18.20.50은(는) 다른 클라이언트에 임대되어 있습니다).');
    expect(entryDetail(nak)).toBe('198.18.20.50 · 198.18.20.50은(는) 다른 클라이언트에 임대되어 있습니다');
  });
});
