// The desktop shell in Korean: the tray, the notifications and the quit dialog worded from the UI
// catalogs in the window's language (src-main/app/i18n.ts). English output is covered by
// tray-notify.test.ts and quit-flow.test.ts (unchanged by the catalogs).
import { describe, expect, it } from 'vitest';
import type { LogEntry, NicSavedInfo, ServerStatus } from '../../../src-main/ipc/contract.js';
import { ENGLISH, foreignLine, localeOfTag, shellText } from '../../../src-main/app/i18n.js';
import { NotificationGate } from '../../../src-main/app/notify-model.js';
import { planQuit, restoreFailedDialog } from '../../../src-main/app/quit-flow.js';
import { trayModel } from '../../../src-main/app/tray-model.js';
import { eventLine } from '../../../src-main/server/event-format.js';

const KO = shellText('ko');
const HANGUL = /[\uac00-\ud7a3]/;

const counters = { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 };
const st = (state: ServerStatus['state'], o: Partial<ServerStatus> = {}): ServerStatus => ({ state, counters, pools: [{ subnet: 's', range: 'r', size: 50, bound: 3, offered: 1, declined: 0, free: 46 }], exhausted: false, interface: 'eth1', serverId: '192.168.77.1', ...o });

describe('the shell language', () => {
  it('follows the OS locale until the window says otherwise: ko* is Korean, anything else English', () => {
    expect(localeOfTag('ko')).toBe('ko');
    expect(localeOfTag('ko-KR')).toBe('ko');
    expect(localeOfTag('en-US')).toBe('en');
    expect(localeOfTag('de')).toBe('en');
    expect(localeOfTag('')).toBe('en');
    expect(ENGLISH.locale).toBe('en');
  });
});

describe('tray in Korean', () => {
  it('every label and the tooltip are Korean; names and addresses kept', () => {
    const m = trayModel(st('running', { exhausted: true }), KO);
    expect(m.tooltip).toBe('Pocket DHCP — eth1 (192.168.77.1)에서 서비스 중 · 활성 임대 3개 — 주소 풀 소진');
    expect(m.items.map((i) => i.label)).toEqual(['eth1 (192.168.77.1)에서 서비스 중', '활성 임대 3개 — 주소 풀 소진', 'Pocket DHCP 보기', '서비스 중지', 'Pocket DHCP 종료…']);
    for (const s of ['starting', 'interface-lost', 'stopping'] as const) for (const i of trayModel(st(s), KO).items) expect(i.label, `${s} ${i.id}`).toMatch(HANGUL);
    expect(trayModel(st('interface-lost', { interface: undefined }), KO).items[0]!.label).toBe('인터페이스가 사라졌습니다 — 돌아오기를 기다리는 중');
  });
});

describe('notifications in Korean', () => {
  let id = 0;
  const entry = (kind: LogEntry['kind'], o: Partial<LogEntry> = {}): LogEntry => ({ id: ++id, at: 0, level: 'warn', kind, text: `${kind} event`, ...o });
  /** A foreign-server entry as the engine logs it: its English line and its code + values. */
  const foreign = (serverId: string | undefined, yiaddr: string, messageType: number): LogEntry => {
    const line = eventLine({ kind: 'dhcp', at: 0, event: { type: 'foreign-server', ...(serverId ? { serverId } : {}), yiaddr, messageType, mac: '02:00:00:00:00:09' } } as never)!;
    return entry('foreign-server', { text: line.text, ...(line.msg ? { msg: line.msg } : {}) });
  };

  it('another DHCP server: the engine’s line worded from its values, the count of answers held back', () => {
    const g = new NotificationGate(60_000);
    const [n] = g.consider([foreign('198.18.0.254', '198.18.0.77', 2)], 1000, KO);
    expect(n).toEqual({
      kind: 'foreign-server',
      title: '이 네트워크에 다른 DHCP 서버가 있습니다',
      body: '다른 DHCP 서버가 이 링크에서 응답하고 있습니다 (서버 ID 198.18.0.254, 02:00:00:00:00:09에 198.18.0.77 제공). 장치가 그 서버에서 주소를 받을 수 있습니다 — 그 서버를 찾아 끄거나 다른 포트에서 서비스하세요.',
    });
    g.consider([foreign(undefined, '0.0.0.0', 6)], 2000, KO);
    const [later] = g.consider([foreign(undefined, '0.0.0.0', 6)], 70_000, KO);
    expect(later!.body).toMatch(/^다른 DHCP 서버가 이 링크에서 응답하고 있습니다 \(서버 ID 알 수 없음, 02:00:00:00:00:09에 NAK 전송\) \(응답 2개 확인\)\. /);
  });

  it('every foreign-server line of the engine has a Korean wording; English stays the engine’s line', () => {
    for (const [s, y, t] of [['198.18.0.1', '198.18.0.5', 2], ['198.18.0.1', '198.18.0.5', 5], [undefined, '0.0.0.0', 6], ['198.18.0.1', '0.0.0.0', 0]] as const) {
      const e = foreign(s, y, t);
      expect(foreignLine(e, ENGLISH)).toBe(e.text);
      expect(foreignLine(e, KO)).toMatch(HANGUL);
      expect(foreignLine(e, KO)).toContain('02:00:00:00:00:09');
    }
    // Without a code (an older engine): the English line rather than nothing.
    expect(foreignLine({ text: 'WARNING something new' }, KO)).toBe('WARNING something new');
  });

  it('the notification names the server by MAC (or says it is unknown) and the network it offers from, in both languages', () => {
    const line = (event: Record<string, unknown>) => {
      const l = eventLine({ kind: 'dhcp', at: 0, event: { type: 'foreign-server', serverId: '198.18.0.2', yiaddr: '198.18.0.77', messageType: 2, mac: '02:00:00:00:00:09', ...event } } as never)!;
      return entry('foreign-server', { text: l.text, ...(l.msg ? { msg: l.msg } : {}) });
    };
    const named = line({ serverMac: '02:00:5e:00:00:02', network: '198.18.0.0/24', router: '198.18.0.2' });
    expect(foreignLine(named, ENGLISH)).toBe('WARNING another DHCP server is answering on this link (server id 198.18.0.2, MAC 02:00:5e:00:00:02, offered 198.18.0.77 to 02:00:00:00:00:09; network 198.18.0.0/24, router 198.18.0.2)');
    expect(foreignLine(named, KO)).toBe('다른 DHCP 서버가 이 링크에서 응답하고 있습니다 (서버 ID 198.18.0.2, MAC 02:00:5e:00:00:02, 02:00:00:00:00:09에 198.18.0.77 제공; 네트워크 198.18.0.0/24, 라우터 198.18.0.2)');
    const blind = line({ serverMacUnknown: 'no-privilege' });
    expect(foreignLine(blind, ENGLISH)).toMatch(/server id 198\.18\.0\.2, MAC unknown \(needs CAP_NET_RAW\), offered/);
    expect(foreignLine(blind, KO)).toMatch(/서버 ID 198\.18\.0\.2, MAC 알 수 없음 \(CAP_NET_RAW 필요\), /);
  });

  it('address conflicts: one, many, with and without MAC and address', () => {
    const g = new NotificationGate(0);
    expect(g.consider([entry('decline', { mac: '02:00:00:00:00:01', ip: '192.168.77.105' })], 1, KO)).toEqual([
      { kind: 'conflict', title: '주소 충돌: 192.168.77.105', body: expect.stringMatching(/^02:00:00:00:00:01 장치가 192\.168\.77\.105 주소를 네트워크에서 이미 사용 중인 것을 발견했습니다/) },
    ]);
    expect(g.consider([entry('decline', { ip: 'a' }), entry('decline', { ip: 'b' })], 2, KO)[0]!.title).toBe('주소 충돌 2건');
    let now = 10;
    for (const o of [{ ip: '192.168.77.5' }, { mac: '02:00:00:00:00:01' }, {}]) {
      const [n] = g.consider([entry('decline', o)], ++now, KO);
      expect(n!.title).toMatch(HANGUL);
      expect(n!.body).toMatch(HANGUL);
    }
  });
});

describe('quit dialog in Korean', () => {
  const pool = (bound: number) => ({ subnet: '192.168.77.0/24', range: '192.168.77.100-192.168.77.200', size: 101, bound, offered: 0, declined: 0, free: 101 - bound });
  const status = (state: ServerStatus['state'], bound = 0) => ({ state, interface: 'eth1', serverId: '192.168.77.1', pools: [pool(bound)] });
  const saved: NicSavedInfo = { interface: 'eth1', address: '192.168.77.1', prefix: 24, method: 'ip', appliedAt: 1, by: 'app', complete: true, previous: 'no IPv4 address, disabled' };

  it('serving with a changed interface: question, detail and buttons in Korean, the actions unchanged', () => {
    const p = planQuit({ status: status('running', 12), saved: [saved] }, KO);
    if (p.kind !== 'ask') throw new Error('expected a question');
    expect(p.title).toBe('Pocket DHCP 종료');
    expect(p.message).toBe('Pocket DHCP가 eth1에서 서비스 중입니다. 중지하고 종료할까요?');
    expect(p.detail).toBe('장치 12대가 이 서버에서 임대를 받았습니다: 임대가 끝날 때까지 주소를 유지하지만 갱신할 수는 없습니다.\n\neth1 192.168.77.1/24은(는) Pocket DHCP가 설정했습니다. 복원하면 이전 설정(no IPv4 address, disabled)으로 돌아갑니다.');
    expect(p.buttons).toEqual(['중지하고 eth1 복원 후 종료', '중지하고 종료, 192.168.77.1 유지', '취소']);
    expect(p.actions).toEqual([
      { stop: true, restore: ['eth1'], quit: true },
      { stop: true, restore: [], quit: true },
      { stop: false, restore: [], quit: false },
    ]);
  });

  it('the other questions are Korean too', () => {
    const plans = [planQuit({ status: status('running', 0), saved: [] }, KO), planQuit({ status: { ...status('starting'), interface: undefined }, saved: [] }, KO), planQuit({ status: status('stopped'), saved: [saved] }, KO)];
    for (const p of plans) {
      if (p.kind !== 'ask') throw new Error('expected a question');
      for (const text of [p.title, p.message, p.detail, ...p.buttons]) expect(text).toMatch(HANGUL);
    }
    const failed = restoreFailedDialog('eth1', 'nmcli: connection not found', KO);
    expect(failed).toMatchObject({ message: 'eth1을(를) 복원하지 못했습니다', buttons: ['그래도 종료', '취소'], defaultId: 0, cancelId: 1 });
    expect(failed.detail).toMatch(/^nmcli: connection not found\n\n이전 설정은 저장되어 있습니다: .*"pocket-dhcp nic restore"/);
    expect(restoreFailedDialog('eth1', 'x')).toMatchObject({ title: 'Quit Pocket DHCP', message: 'eth1 could not be restored', buttons: ['Quit anyway', 'Cancel'] });
    expect(restoreFailedDialog('eth1', 'x').detail).toBe('x\n\nThe previous settings stay saved: Pocket DHCP offers to restore them at the next start (or run "pocket-dhcp nic restore").');
  });
});
