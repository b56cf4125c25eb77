// The controller's device timeline and lease journal, with a real LeaseStore and journal in a temp
// dir, the real engine and service, and an in-memory socket: a DORA shows up as a timeline with a
// push, a NAK loop gets its hint, and the journal keeps the bind across a restart.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../src-main/dhcp/codec.js';
import { JOURNAL_FILE } from '../../../src-main/devices/journal.js';
import { controllerLab, TEST_DRAFT as DRAFT } from '../../helpers/controller-lab.js';
import { clientMessage, macOf, MessageType, setOption, until } from '../../helpers/memory-transport.js';

const lab = controllerLab('pd-dev-');

async function setup(dir?: string) {
  const s = await lab.setup({}, dir);
  await s.c.saveSettings(DRAFT);
  await s.c.start();
  return s;
}

describe('controller: device timeline and lease journal', () => {
  it('a DORA is a timeline (pushed), and a bind in the journal that survives a restart', async () => {
    const { dir, c, transport, of } = await setup();
    const mac = macOf(8);
    transport.deliver(clientMessage(MessageType.DISCOVER, 8, (p) => setOption(p.options, 55, [1, 3, 6, 15])));
    await until(() => transport.sent.length > 0, 2000, 'OFFER');
    const offer = decode(transport.sent[0]!.buf);
    transport.deliver(
      clientMessage(MessageType.REQUEST, 8, (p) => {
        setOption(p.options, 50, offer.yiaddr);
        setOption(p.options, 54, '198.18.10.1');
        setOption(p.options, 55, [1, 3, 6, 15]);
        setOption(p.options, 12, 'cam-1');
      }),
    );
    await until(() => transport.sent.length > 1, 2000, 'ACK');
    await until(() => of('timeline').some((t) => t.macs.includes(mac)), 1000, 'timeline push');

    const tl = c.deviceTimeline(mac);
    expect(tl.entries.map((e) => e.kind)).toEqual(['discover', 'offer', 'request', 'ack']);
    expect(tl.entries[3]).toMatchObject({ ip: offer.yiaddr, state: 'selecting' });
    expect(tl.hints).toEqual([]);
    expect(tl.identity).toEqual({ randomMac: true, fingerprint: '1,3,6,15' });
    const row = c.leaseRows().find((r) => r.mac === mac)!;
    expect(row).toMatchObject({ randomMac: true, fingerprint: '1,3,6,15' });

    const found = await c.searchJournal({ mac });
    expect(found.entries.map((e) => [e.event, e.ip, e.hostname])).toEqual([['bind', offer.yiaddr, 'cam-1']]);
    const csv = await c.exportJournal({ ip: offer.yiaddr });
    expect(csv.filename).toMatch(/^pocket-dhcp-journal-\d{4}-\d{2}-\d{2}T\d{4}\.csv$/);
    expect(csv.content.trim().split('\r\n')).toHaveLength(2);

    await lab.closeAndForget(c);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(true);
    const again = await setup(dir);
    expect((await again.c.searchJournal({ mac })).entries.map((e) => e.event)).toEqual(['bind']);
  });

  it('a client insisting on an address from another network gets the NAK-loop hint', async () => {
    const { c, transport } = await setup();
    for (let i = 0; i < 2; i++) {
      // INIT-REBOOT: no server id, no ciaddr, requested 10.9.8.7.
      transport.deliver(clientMessage(MessageType.REQUEST, 9, (p) => setOption(p.options, 50, '10.9.8.7')));
      await until(() => transport.sent.length > i, 2000, 'NAK');
    }
    const tl = c.deviceTimeline(macOf(9));
    expect(tl.entries.map((e) => e.kind)).toEqual(['request', 'nak', 'request', 'nak']);
    expect(tl.hints.map((h) => h.code)).toEqual(['nak-loop']);
    expect(tl.hints[0]!.text).toContain('10.9.8.7, an address from another network');
  });
});
