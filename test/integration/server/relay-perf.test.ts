// Relayed traffic (RFC 2131 §4.1 giaddr, RFC 3046 option 82) and a bounded perfdhcp load.
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 198.18.50.2/24 (a "relay" on a second network)
// The config has a second subnet, 198.18.50.0/24, served by giaddr. perfdhcp with -l acts as a relay
// (giaddr = its own address, source port 67); a hand-made relayed DISCOVER/REQUEST with option 82
// checks the details: the reply goes to giaddr:67, comes from the relay's subnet, and echoes 82.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import {
  TempDirs,
  hex,
  ipHex,
  ipInRange,
  isDhcp,
  isPacket,
  labConfig,
  optionOf,
  probe,
  readLeases,
  runCli,
  sleep,
  startServer,
  type ProbePacket,
  type ServerHandle,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server relay/perfdhcp integration] skipped: ${avail.reason}`);

const RELAY = '198.18.50.2';
const RELAY_FIRST = '198.18.50.10';
const RELAY_LAST = '198.18.50.250';

/** perfdhcp's final report: sent/received/drops per exchange. */
function parsePerfdhcp(out: string): Record<string, { sent: number; received: number; drops: number }> {
  const res: Record<string, { sent: number; received: number; drops: number }> = {};
  for (const block of out.split('***Statistics for: ').slice(1)) {
    const name = block.slice(0, block.indexOf('***'));
    const num = (label: string): number => Number(new RegExp(`^${label}: (\\d+)`, 'm').exec(block)?.[1] ?? NaN);
    res[name] = { sent: num('sent packets'), received: num('received packets'), drops: num('drops') };
  }
  return res;
}

describe.skipIf(!avail.ok)(`relay and perfdhcp${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('relay');

  beforeAll(async () => {
    lab = await createLab('srvrelay');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', `${RELAY}/24`);
    // The relay's network is reachable over the same wire (as behind a router): on-link routes both ways.
    await lab.ip('s', 'route', 'add', '198.18.50.0/24', 'dev', 'sv0');
    await lab.ip('c', 'route', 'add', '198.18.10.0/24', 'dev', 'cl0');
    srv = await startServer(lab, 's', {
      config: labConfig({
        leaseTime: 600,
        extraSubnets: [{ subnet: '198.18.50.0/24', range: `${RELAY_FIRST}-${RELAY_LAST}`, router: '198.18.50.1', dns: '198.18.50.53', domain: 'relay.lab.test' }],
      }),
      dir: tmp.make('srv'),
    });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('perfdhcp (as a relay): ≥ 97 % of 1000 DORA exchanges complete, all served from the relay subnet', async () => {
    const from = srv.mark();
    const t0 = Date.now();
    // 200 exchanges/s, 1000 exchanges, 200 distinct clients, at most 10 s of sending, 1 s drop time.
    const run = lab.exec('c', 'perfdhcp', ['-4', '-l', 'cl0', '-r', '200', '-n', '1000', '-R', '200', '-p', '10', '-d', '1', '-W', '1000000', '-g', 'single', '198.18.10.1'], {
      timeoutMs: 40_000,
    });
    // Meanwhile `leases` reads the file the server is appending to ("read-only, safe while
    // serving"): every read must succeed and parse, whatever moment of a batch it catches.
    let finished = false;
    void run.then(() => (finished = true));
    const reads: { ok: boolean; count: number; stderr: string }[] = [];
    while (!finished) {
      const rr = await runCli(lab, 's', ['leases', '--data-dir', srv.dataDir, '--format', 'json']);
      let count = -1;
      try {
        count = (JSON.parse(rr.stdout) as unknown[]).length;
      } catch {
        // counted as a failure below
      }
      reads.push({ ok: rr.code === 0 && count >= 0, count, stderr: rr.stderr.trim() });
      await sleep(100);
    }
    const r = await run;
    const seconds = (Date.now() - t0) / 1000;
    expect(reads.filter((x) => !x.ok)).toEqual([]);
    const notes = reads.filter((x) => x.stderr);
    console.log(`[leases during load] ${reads.length} reads, counts ${reads.map((x) => x.count).join(' ')}; ${notes.length} printed a note${notes.length ? `: ${notes[0]!.stderr}` : ''}`);
    // Counts never go backwards: a read never sees an older state than the one before.
    expect(reads.map((x) => x.count)).toEqual([...reads.map((x) => x.count)].sort((a, b) => a - b));
    const stats = parsePerfdhcp(r.stdout);
    const dO = stats['DISCOVER-OFFER'];
    const rA = stats['REQUEST-ACK'];
    expect(dO, r.stdout + r.stderr).toBeDefined();
    expect(rA, r.stdout + r.stderr).toBeDefined();
    expect([0, 3]).toContain(r.code); // 3: some exchanges incomplete (judged below)
    const completed = rA!.received / dO!.sent;
    console.log(
      `[perfdhcp] ${seconds.toFixed(1)} s: DISCOVER-OFFER sent ${dO!.sent} received ${dO!.received} drops ${dO!.drops}; ` +
        `REQUEST-ACK sent ${rA!.sent} received ${rA!.received} drops ${rA!.drops}; completed ${(completed * 100).toFixed(1)} %`,
    );
    expect(dO!.sent).toBeGreaterThanOrEqual(1000);
    expect(completed).toBeGreaterThanOrEqual(0.97);

    // Every reply went to the relay: giaddr:67.
    const outs = srv.events().slice(from).filter((e) => isPacket('out', 'DHCPACK')(e) || isPacket('out', 'DHCPOFFER')(e));
    expect(outs.length).toBeGreaterThanOrEqual(dO!.received + rA!.received);
    expect(outs.filter((e) => (e as { packet: { peer: string } }).packet.peer !== `${RELAY}:67`)).toEqual([]);
    // The leases come from the relay's subnet and remember the relay.
    const relayed = (await readLeases(lab, 's', srv.dataDir)).filter((l) => l.ip.startsWith('198.18.50.'));
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed.length).toBeLessThanOrEqual(200);
    for (const l of relayed) {
      expect(ipInRange(l.ip, RELAY_FIRST, RELAY_LAST), l.ip).toBe(true);
      expect(l.state).toBe('bound');
      if ('relay' in l) expect(l.relay).toBe(RELAY);
    }
  });

  it('a relayed DISCOVER/REQUEST with option 82: served from the giaddr subnet, replies to giaddr:67, option 82 echoed last', async () => {
    const mac = '02:00:5e:50:00:01';
    const circuit = hex('sw1/port7');
    const remote = hex('relay-test-1');
    const o82 = `01${(circuit.length / 2).toString(16).padStart(2, '0')}${circuit}02${(remote.length / 2).toString(16).padStart(2, '0')}${remote}`;
    const base = (xid: number, extra: [number, string][]): ProbePacket => ({
      xid,
      chaddr: mac,
      hops: 1,
      giaddr: RELAY,
      options: [...extra, [55, '0103060f'], [82, o82]],
    });
    const from = srv.mark();
    const [offer] = await probe(lab, 'c', {
      bind: [RELAY, 67],
      sends: [{ to: ['198.18.10.1', 67], packet: base(0x7e1a0001, [[53, '01']]) }],
      listenMs: 3000,
      stopAfter: 1,
    });
    expect(offer, 'an OFFER to the relay').toBeDefined();
    expect(offer!.from).toEqual(['198.18.10.1', 67]);
    const p = offer!.packet;
    expect(p.op).toBe(2);
    expect(optionOf(p, 53)).toBe('02');
    expect(p.xid).toBe(0x7e1a0001);
    expect(p.giaddr).toBe(RELAY);
    expect(p.chaddr).toBe(mac);
    expect(ipInRange(p.yiaddr, RELAY_FIRST, RELAY_LAST), p.yiaddr).toBe(true);
    expect(optionOf(p, 54)).toBe(ipHex('198.18.10.1'));
    expect(optionOf(p, 1)).toBe(ipHex('255.255.255.0'));
    expect(optionOf(p, 3)).toBe(ipHex('198.18.50.1'));
    expect(optionOf(p, 6)).toBe(ipHex('198.18.50.53'));
    expect(optionOf(p, 15)).toBe(hex('relay.lab.test'));
    expect(optionOf(p, 82)).toBe(o82);
    expect(p.options.at(-1)?.[0]).toBe(82); // RFC 3046 §2.2: last

    const [ack] = await probe(lab, 'c', {
      bind: [RELAY, 67],
      sends: [{ to: ['198.18.10.1', 67], packet: base(0x7e1a0002, [[53, '03'], [50, ipHex(p.yiaddr)], [54, ipHex('198.18.10.1')]]) }],
      listenMs: 3000,
      stopAfter: 1,
    });
    expect(ack, 'an ACK to the relay').toBeDefined();
    expect(ack!.from).toEqual(['198.18.10.1', 67]);
    expect(optionOf(ack!.packet, 53)).toBe('05');
    expect(ack!.packet.yiaddr).toBe(p.yiaddr);
    expect(optionOf(ack!.packet, 82)).toBe(o82);

    const ev = await srv.waitEvent(isDhcp('ack', mac), { from });
    expect(ev.event.ip).toBe(p.yiaddr);
    const out = await srv.waitEvent(isPacket('out', 'DHCPACK', mac), { from });
    expect(out.packet.peer).toBe(`${RELAY}:67`);
    const lease = (await readLeases(lab, 's', srv.dataDir)).find((l) => l.mac === mac);
    expect(lease?.state).toBe('bound');
    expect(lease?.ip).toBe(p.yiaddr);
    // The relay and its agent ids are part of the lease record.
    expect(lease?.relay).toBe(RELAY);
    expect(lease?.circuitId).toBe(circuit);
    expect(lease?.remoteId).toBe(remote);
  });

  it('a relayed DISCOVER from a network with no configured subnet is dropped with a named reason', async () => {
    const mac = '02:00:5e:60:00:01';
    const from = srv.mark();
    const replies = await probe(lab, 'c', {
      bind: [RELAY, 67],
      sends: [{ to: ['198.18.10.1', 67], packet: { xid: 0x7e1a0003, chaddr: mac, hops: 1, giaddr: '198.18.60.2', options: [[53, '01']] } }],
      listenMs: 1500,
    });
    expect(replies).toEqual([]);
    const drop = await srv.waitEvent(isDhcp('drop', mac), { from, timeoutMs: 2000 });
    expect(drop.event.reason).toBe('not-our-subnet');
  });
});
