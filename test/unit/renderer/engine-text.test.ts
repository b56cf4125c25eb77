// Engine texts worded again from their codes (i18n phase 3): the privileges report (problem `what`
// per platform, fix `id`, the summary from the report's facts) and the steps of a NIC plan (the
// engine's fixed sentences). Driven by the engine's own builders, so a new or reworded text in
// src-main shows up here: English must stay the engine's text exactly, Korean must be Korean.
import { afterEach, describe, expect, it } from 'vitest';
import { linuxReport, macReport, windowsReport, type PrivilegeReport } from '../../../src-main/server/privileges.js';
import { applySteps } from '../../../src-main/net/nic-plan.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { fixText, fixTitle, privilegeSummary, problemText } from '../../../src-renderer/src/lib/privileges.js';
import { stepWhy } from '../../../src-renderer/src/lib/nic.js';

const HANGUL = /[\uac00-\ud7a3]/;

const reports: PrivilegeReport[] = [
  linuxReport({ capEff: 0n, kernel: '6.1.0-18-amd64', unprivilegedPortStart: 1024, execPath: '/usr/bin/node' }),
  linuxReport({ capEff: 0n, kernel: '5.4.0', unprivilegedPortStart: 1024, execPath: '/usr/bin/node' }),
  linuxReport({ capEff: 0n, kernel: '5.4.0', unprivilegedPortStart: 67, execPath: '/usr/bin/node' }),
  linuxReport({ capEff: 0n, kernel: '6.1.0', unprivilegedPortStart: 1024, execPath: '/opt/app', electron: true, helper: { available: true, command: 'pkexec /opt/helper' } }),
  linuxReport({ capEff: 0n, kernel: '6.1.0', unprivilegedPortStart: 1024, execPath: '/opt/app', electron: true, helper: { available: false, reason: 'pkexec is not installed' } }),
  linuxReport({ capEff: (1n << 10n) | (1n << 12n) | (1n << 13n), kernel: '6.1.0', unprivilegedPortStart: 1024, execPath: '/usr/bin/node' }),
  linuxReport({ capEff: 1n << 10n, kernel: '6.1.0', unprivilegedPortStart: 1024, execPath: '/usr/bin/node' }),
  macReport({ darwinMajor: 17, root: false }),
  macReport({ darwinMajor: 23, root: false, firewallOn: true, blockAll: true }),
  macReport({ darwinMajor: 23, root: false, firewallOn: true }),
  macReport({ darwinMajor: 23, root: true }),
  windowsReport({ admin: false, firewallOn: true, ruleExists: false, execPath: 'C:\\Pocket DHCP\\pocket-dhcp.exe' }),
  windowsReport({ admin: true, firewallOn: true, ruleExists: true, execPath: 'C:\\x.exe' }),
];

const steps = [
  ...applySteps({ platform: 'linux', interface: 'eth1', address: '198.18.0.1', prefix: 24 }).steps,
  ...applySteps({ platform: 'linux', interface: 'eth1', address: '198.18.0.1', prefix: 24, networkManager: 'connected', networkManagerType: 'ethernet' }).steps,
  ...applySteps({ platform: 'darwin', interface: 'en5', address: '198.18.0.1', prefix: 24, macService: 'USB 10/100/1000 LAN' }).steps,
  ...applySteps({ platform: 'win32', interface: 'Ethernet 2', address: '198.18.0.1', prefix: 24 }).steps,
];

afterEach(() => setLocale('en'));

describe('engine texts in the UI language', () => {
  it('English is the engine’s own text, unchanged', () => {
    for (const r of reports) {
      expect(privilegeSummary(r)).toBe(r.summary);
      for (const p of r.problems) expect(problemText(r, p)).toBe(p.text);
      for (const f of r.fixes) {
        expect(fixTitle(f)).toBe(f.title);
        expect(fixText(r, f)).toBe(f.text);
      }
    }
    expect(steps.length).toBeGreaterThan(5);
    for (const s of steps) expect(stepWhy(s.why)).toBe(s.why);
  });

  it('Korean words every problem, fix, summary and plan step the engine builds (names and numbers kept)', () => {
    setLocale('ko');
    const english: string[] = [];
    const check = (ko: string, en: string): void => {
      if (!HANGUL.test(ko)) english.push(en);
    };
    for (const r of reports) {
      check(privilegeSummary(r), r.summary);
      for (const p of r.problems) check(problemText(r, p), p.text);
      for (const f of r.fixes) {
        check(fixTitle(f), f.title);
        check(fixText(r, f), f.text);
      }
    }
    for (const s of steps) check(stepWhy(s.why), s.why);
    expect(english).toEqual([]);
    const old = reports[1]!;
    expect(problemText(old, old.problems.find((p) => p.what === 'bind-device')!)).toMatch(/^이 커널\(5\.4\.0\)에서는/);
    const noHelper = reports[4]!;
    expect(fixText(noHelper, noHelper.fixes.find((f) => f.id === 'helper')!)).toBe('여기서는 권한 있는 도우미를 시작할 수 없습니다: pkexec is not installed.');
    expect(stepWhy('gives eth1 the address 198.18.0.1/24')).toBe('eth1에 주소 198.18.0.1/24 설정');
    expect(stepWhy('activates "pocket-dhcp-eth1" on eth1 (instead of "Wired 1")')).toBe('eth1에서 "pocket-dhcp-eth1" 활성화 ("Wired 1" 대신)');
    // A sentence the catalog does not know stays the engine's English.
    expect(stepWhy('flushes the neighbour cache')).toBe('flushes the neighbour cache');
  });
});
