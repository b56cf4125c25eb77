// Engine texts worded again from their codes (i18n phase 3): the privileges report (problem `what`
// per platform, fix `id`, the summary from the report's facts), the steps of a NIC plan (the
// engine's fixed sentences) and the event log's lines (LogEntry.msg, every message code). Driven by the engine's own builders, so a new or reworded text in
// src-main shows up here: English must stay the engine's text exactly, Korean must be Korean.
import { afterEach, describe, expect, it } from 'vitest';
import { linuxReport, macReport, windowsReport, type PrivilegeReport } from '../../../src-main/server/privileges.js';
import { applySteps } from '../../../src-main/net/nic-plan.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { fixText, fixTitle, privilegeSummary, problemText } from '../../../src-renderer/src/lib/privileges.js';
import { stepWhy } from '../../../src-renderer/src/lib/nic.js';
import { describeEvent, eventLine } from '../../../src-main/server/event-format.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import type { EngineEvent } from '../../../src-main/dhcp/events.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';
import { LogMessageSchema, type LogEntry } from '../../../src-main/ipc/contract.js';
import { translate } from '../../../src-renderer/src/i18n/index.js';
import { lineMessage, logText } from '../../../src-renderer/src/lib/log-line.js';

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

// Every log message code, each optional part both present and absent.
const AT = Date.UTC(2025, 0, 2, 3, 4, 5);
const MAC = '02:aa:00:00:00:10';
const lease = (expiresAt: number): Lease => ({ ip: '198.18.20.100', clientId: `01:${MAC}`, mac: MAC, state: 'bound', subnet: '198.18.20.0/24', startsAt: AT, expiresAt, firstSeen: AT, lastSeen: AT });
const dhcp = (event: EngineEvent): ServiceEvent => ({ kind: 'dhcp', at: AT, event });
const c = { mac: MAC, clientId: `01:${MAC}` };
const events: ServiceEvent[] = [
  { kind: 'state', at: AT, state: 'running', detail: 'listening on lab0 198.18.20.1:67' },
  { kind: 'state', at: AT, state: 'interface-lost', detail: 'interface lab0 went away — reconnect the cable/adapter; serving resumes automatically' },
  { kind: 'state', at: AT, state: 'running' },
  { kind: 'state', at: AT, state: 'stopped' },
  { kind: 'packet', at: AT, packet: { direction: 'in', type: 'DISCOVER', mac: MAC, xid: 0x1a2b, peer: '0.0.0.0:68', size: 300 } },
  { kind: 'packet', at: AT, packet: { direction: 'out', type: 'OFFER', mac: MAC, xid: 0x1a2b, ip: '198.18.20.100', peer: '255.255.255.255:68', size: 1234 } },
  ...(['reservation', 'previous', 'requested', 'stable', 'first-free', 'reuse'] as const).map((source) => dhcp({ type: 'offer', ip: '198.18.20.100', ...c, subnet: '198.18.20.0/24', source })),
  dhcp({ type: 'offer', ip: '198.18.20.100', ...c, subnet: '198.18.20.0/24', hostname: 'pi-01', source: 'first-free' }),
  ...(['selecting', 'init-reboot', 'renewing', 'rebinding'] as const).map((state) => dhcp({ type: 'ack', ip: '198.18.20.100', ...c, subnet: '198.18.20.0/24', state, lease: lease(AT + 3_600_000) })),
  dhcp({ type: 'ack', ip: '198.18.20.100', ...c, subnet: '198.18.20.0/24', hostname: 'pi-01', state: 'selecting', lease: lease(AT + 86400_000 * 365 * 100) }),
  dhcp({ type: 'nak', ip: '198.18.21.5', ...c, reason: '198.18.21.5 is not on network 198.18.20.0/24', state: 'init-reboot' }),
  dhcp({ type: 'nak', ...c, reason: 'this client has a reservation for 198.18.20.50', state: 'rebinding' }),
  dhcp({ type: 'decline', ip: '198.18.20.100', ...c, until: AT + 600_000 }),
  dhcp({ type: 'release', ip: '198.18.20.100', ...c }),
  dhcp({ type: 'inform', ip: '198.18.20.77', ...c }),
  dhcp({ type: 'expire', ip: '198.18.20.100', ...c }),
  dhcp({ type: 'pool-exhausted', subnet: '198.18.20.0/24', ...c }),
  dhcp({ type: 'offer-evicted', ip: '198.18.20.100', ...c }),
  dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '198.18.20.150', messageType: 2, mac: MAC }),
  dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '198.18.20.150', messageType: 5, mac: MAC }),
  dhcp({ type: 'foreign-server', yiaddr: '0.0.0.0', messageType: 6, mac: MAC }),
  dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '0.0.0.0', mac: MAC }),
  // From the watcher: the server's MAC (or why it is unknown) and the network it offers from.
  dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '198.18.20.150', messageType: 2, mac: MAC, serverMac: '02:00:5e:20:00:02', network: '198.18.20.0/24', router: '198.18.20.2' }),
  dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '198.18.20.150', messageType: 5, mac: MAC, serverMacUnknown: 'no-privilege', network: '198.18.20.0/24' }),
  ...(['no-answer', 'unsupported', 'error'] as const).map((why) => dhcp({ type: 'foreign-server', serverId: '198.18.20.2', yiaddr: '0.0.0.0', messageType: 6, mac: MAC, serverMacUnknown: why })),
  dhcp({ type: 'conflict', ip: '198.18.20.100', ...c, source: 'decline', inUseBy: '02:bb:00:00:00:01' }),
  dhcp({ type: 'conflict', ip: '198.18.20.100', ...c, source: 'decline' }),
  dhcp({ type: 'conflict', ip: '198.18.20.100', ...c, source: 'probe', inUseBy: '02:bb:00:00:00:01', until: AT + 600_000 }),
  dhcp({ type: 'conflict', ip: '198.18.20.100', ...c, source: 'probe' }),
  dhcp({ type: 'drop', reason: 'wrong-server-id', ...c, messageType: 3 }),
  dhcp({ type: 'drop', reason: 'decode-error', detail: 'truncated option 53 (12 bytes from 198.18.20.9:68)' }),
  dhcp({ type: 'drop', reason: 'address-conflicts', detail: '3 addresses in use', ...c, messageType: 1 }),
];
const lines = events.map((e) => ({ event: e, line: eventLine(e, true)! }));
const entry = (i: number): LogEntry => ({ id: i, at: AT, level: 'info', kind: 'state', text: lines[i]!.line.text, ...(lines[i]!.line.msg ? { msg: lines[i]!.line.msg } : {}) });

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

  it('log lines: every message code is built by the engine, valid against the contract, and its English message mirrors the engine’s text', () => {
    const codes = new Set(lines.map(({ line }) => line.msg?.code));
    expect([...codes].sort()).toEqual(LogMessageSchema.options.map((o) => o.shape.code.value).sort());
    for (const { event, line } of lines) {
      expect(line.text).toBe(describeEvent(event, true)); // the CLI's words
      expect(LogMessageSchema.parse(line.msg)).toEqual(line.msg);
      const { key, params } = lineMessage(line.msg!, 'en');
      expect(translate('en', key as never, params), key).toBe(line.text);
    }
    // The English itself is unchanged (the CLI's log): a few lines written out.
    expect(lines.map(({ line }) => line.text)).toEqual(
      expect.arrayContaining([
        'RUNNING listening on lab0 198.18.20.1:67',
        '<- DISCOVER 02:aa:00:00:00:10 xid 0x1a2b from 0.0.0.0:68 (300 bytes)',
        'ACK 198.18.20.100 to 02:aa:00:00:00:10 (selecting, expires in 3600 s)',
        'ACK 198.18.20.100 to 02:aa:00:00:00:10 "pi-01" (selecting, never expires)',
        'NAK 02:aa:00:00:00:10 asked for 198.18.21.5: 198.18.21.5 is not on network 198.18.20.0/24 (init-reboot)',
        'DECLINE 198.18.20.100 by 02:aa:00:00:00:10: address conflict, quarantined until 2025-01-02T03:14:05.000Z',
        'WARNING another DHCP server is answering on this link (server id unknown, sent a NAK to 02:aa:00:00:00:10)',
        'WARNING another DHCP server is answering on this link (server id 198.18.20.2, MAC 02:00:5e:20:00:02, offered 198.18.20.150 to 02:aa:00:00:00:10; network 198.18.20.0/24, router 198.18.20.2)',
        'WARNING another DHCP server is answering on this link (server id 198.18.20.2, MAC unknown (needs CAP_NET_RAW), acknowledged 198.18.20.150 to 02:aa:00:00:00:10; network 198.18.20.0/24)',
        'DROP malformed message (could not be decoded) (truncated option 53 (12 bytes from 198.18.20.9:68))',
      ]),
    );
    // In English the log shows the engine's text itself.
    for (let i = 0; i < lines.length; i++) expect(logText(entry(i))).toBe(lines[i]!.line.text);
  });

  it('log lines in Korean: every code worded in Korean; addresses, MACs, message names and the APIPA note kept', () => {
    setLocale('ko');
    const english: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const ko = logText(entry(i));
      if (!HANGUL.test(ko)) english.push(ko);
      for (const v of Object.values(lines[i]!.line.msg!.params)) if (/^[\d.:a-f/x]+$/.test(v)) expect(ko, v).toContain(v); // addresses, MACs, xids, sizes
    }
    expect(english).toEqual([]);
    const ko = (text: string): string => logText(entry(lines.findIndex(({ line }) => line.text.startsWith(text))));
    expect(ko('ACK 198.18.20.100 to 02:aa:00:00:00:10 (selecting')).toBe('ACK 198.18.20.100 → 02:aa:00:00:00:10 (선택 중(SELECTING), 3600초 후 만료)');
    expect(ko('OFFER 198.18.20.100 to 02:aa:00:00:00:10 "pi-01"')).toBe('OFFER 198.18.20.100 → 02:aa:00:00:00:10 "pi-01" (첫 빈 주소)');
    expect(ko('POOL EXHAUSTED')).toMatch(/^주소 풀 소진: 198\.18\.20\.0\/24에 .*169\.254\.x\.x \(APIPA\)/);
    expect(ko('DROP 02:aa:00:00:00:10')).toBe('무시 02:aa:00:00:00:10: 클라이언트가 다른 DHCP 서버를 선택함');
    expect(ko('WARNING another DHCP server is answering on this link (server id 198.18.20.2, MAC 02:')).toBe(
      '경고: 다른 DHCP 서버가 이 링크에서 응답하고 있습니다 (서버 ID 198.18.20.2, MAC 02:00:5e:20:00:02, 02:aa:00:00:00:10에 198.18.20.150 제공; 네트워크 198.18.20.0/24, 라우터 198.18.20.2)',
    );
    expect(ko('WARNING another DHCP server is answering on this link (server id 198.18.20.2, MAC unknown (needs')).toMatch(/서버 ID 198\.18\.20\.2, MAC 알 수 없음 \(CAP_NET_RAW 필요\), /);
    expect(ko('<- DISCOVER')).toBe('<- DISCOVER 02:aa:00:00:00:10 xid 0x1a2b — 0.0.0.0:68에서 수신 (300바이트)');
    // A line without a code (a warning), or with a code this renderer cannot read, stays English.
    const warning = eventLine({ kind: 'warning', at: AT, code: 'socket-error', message: 'EPERM' })!;
    expect(warning.msg).toBeUndefined();
    expect(logText({ id: 99, at: AT, level: 'warn', kind: 'warning', text: warning.text })).toBe('WARNING EPERM');
    expect(logText({ id: 100, at: AT, level: 'info', kind: 'ack', text: 'ACK from a newer engine', msg: { code: 'ack', params: { ip: '1.2.3.4' } } as never })).toBe('ACK from a newer engine');
  });
});
