// Stall hints in the headless server's log, with the real CLI in network namespaces:
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 (no address)
// A client that sends DISCOVERs and never REQUESTs (hand-made packets, like a device whose firewall
// eats the replies) makes `serve` — without --web and without --verbose — log the device panel's
// "OFFERs sent, no REQUEST" hint: once for that MAC, as a "hint" record with --log json and as a
// `HINT <mac> …` line in the text log. A client that binds normally (busybox udhcpc) gets none.
// `pocket-dhcp timeline --mac` rebuilds the same timeline and hint from the saved JSON log.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { TempDirs, isDhcp, labConfig, probe, runCli, runUdhcpc, setMac, sleep, startServer, type LogEvent, type ServerHandle } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[stall hints integration] skipped: ${avail.reason}`);

const SILENT_MAC = '02:00:5e:77:00:01';
const GOOD_MAC = '02:00:5e:77:00:02';

/** One DISCOVER from SILENT_MAC's port 68; the OFFER comes back and is never answered. */
async function discoverOnce(lab: Lab, xid: number): Promise<number> {
  const replies = await probe(lab, 'c', {
    bind: ['0.0.0.0', 68],
    device: 'cl0',
    sends: [{ to: ['255.255.255.255', 67], packet: { xid, chaddr: SILENT_MAC, flags: 0x8000, options: [[53, '01'], [55, '0103060f']] } }],
    listenMs: 3000,
    stopAfter: 1,
  });
  return replies.length;
}

const isHint = (mac: string) => (e: LogEvent): boolean => e.kind === 'hint' && e.mac === mac;

describe.skipIf(!avail.ok)(`stall hints in the serve log${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle | undefined;
  const tmp = new TempDirs('stallhint');

  beforeAll(async () => {
    lab = await createLab('stallhint');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('--log json without --verbose: one "hint" record for the client that never REQUESTs, none for one that binds', async () => {
    const dir = tmp.make('json');
    srv = await startServer(lab, 's', { config: labConfig({ top: { conflictCheck: false } }), dir, verbose: false });
    const t0 = Date.now();
    // Three DISCOVERs a second apart (a client's retransmissions), each answered with an OFFER.
    for (let i = 0; i < 3; i++) {
      expect(await discoverOnce(lab, 0x5a110000 + i)).toBe(1);
      if (i < 2) await sleep(1000);
    }
    const hint = await srv.waitEvent(isHint(SILENT_MAC), { timeoutMs: 5000 });
    // The log is written in batches: wait for the third OFFER's line too.
    const firstOffer = await srv.waitEvent(isDhcp('offer', SILENT_MAC));
    const secondOffer = await srv.waitEvent(isDhcp('offer', SILENT_MAC), { from: srv.events().indexOf(firstOffer) + 1 });
    await srv.waitEvent(isDhcp('offer', SILENT_MAC), { from: srv.events().indexOf(secondOffer) + 1, timeoutMs: 5000 });
    expect(hint).toMatchObject({ kind: 'hint', code: 'offers-unanswered', level: 'warn', params: { count: 2 } });
    expect(hint.text).toMatch(/^2 OFFERs sent, no REQUEST: the client does not seem to receive or accept the replies/);
    const offers = srv.events().filter(isDhcp('offer', SILENT_MAC));
    expect(offers.length).toBe(3);
    // Logged right after the second OFFER, and only once for this MAC although a third went unanswered.
    expect(srv.events().indexOf(hint)).toBeGreaterThan(srv.events().indexOf(offers[1]!));
    expect(srv.events().filter(isHint(SILENT_MAC))).toHaveLength(1);
    // Without --verbose there are no per-packet records.
    expect(srv.events().some((e) => e.kind === 'packet')).toBe(false);

    await setMac(lab, 'c', 'cl0', GOOD_MAC);
    const { result } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc') });
    expect(result.code, result.stderr).toBe(0);
    await srv.waitEvent(isDhcp('ack', GOOD_MAC), { timeoutMs: 5000 });
    await sleep(300);
    expect(srv.events().filter((e) => e.kind === 'hint')).toHaveLength(1);
    recordProof('device timeline', `a client that never REQUESTs is named in the headless log (HINT, once) ${((Date.now() - t0) / 1000).toFixed(1)} s after its first DISCOVER; a normal bind logs none`);
  });

  it('`pocket-dhcp timeline --mac` rebuilds the device\'s steps and the hint from the saved JSON log', async () => {
    const log = join(tmp.make('log'), 'serve.log');
    writeFileSync(log, `${srv!.out.lines.join('\n')}\n`);
    const r = await runCli(lab, 's', ['timeline', '--mac', SILENT_MAC.toUpperCase(), log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${SILENT_MAC}: 3 step\\(s\\) in `, 'm'));
    expect(r.stdout.match(/^\S+Z +(\+\S+ \S+ +)?OFFER +198\.18\.10\.1\d\d$/gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/hints:\n {2}! 3 OFFERs sent, no REQUEST/);
    expect(r.stdout).toMatch(/run serve with --verbose/);
    const good = await runCli(lab, 's', ['timeline', '--mac', GOOD_MAC, log, '--format', 'json']);
    expect(good.code, good.stderr).toBe(0);
    const j = JSON.parse(good.stdout) as { entries: { kind: string }[]; hints: unknown[] };
    expect(j.entries.map((e) => e.kind)).toEqual(['offer', 'ack']);
    expect(j.hints).toEqual([]);
  });

  it('the text log says `HINT <mac> …` (with --verbose the timeline also has the DISCOVERs)', async () => {
    await srv?.stop();
    await setMac(lab, 'c', 'cl0', SILENT_MAC);
    srv = await startServer(lab, 's', { config: labConfig({ top: { conflictCheck: false } }), dir: tmp.make('text'), log: 'text' });
    const from = srv.out.lines.length;
    expect(await discoverOnce(lab, 0x5a120000)).toBe(1);
    await sleep(500);
    expect(await discoverOnce(lab, 0x5a120001)).toBe(1);
    const line = await srv.out.waitFor(/ HINT /, { timeoutMs: 5000, from });
    expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z HINT ${SILENT_MAC} 2 OFFERs sent, no REQUEST: `));
    // The DISCOVER packets were logged (-v) and precede the hint.
    const discovers = srv.out.lines.slice(from).filter((l) => l.includes(`<- DHCPDISCOVER ${SILENT_MAC}`));
    expect(discovers.length).toBe(2);
  });
});
