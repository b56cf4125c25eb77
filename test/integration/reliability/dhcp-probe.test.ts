// Rogue-server safety (src-main/net/dhcp-probe.ts) against a real other server: dnsmasq, the one
// most home routers and lab boxes run. One Ethernet segment (a bridge in namespace SW) joins
//   S  sv0 198.18.10.1/24   us: the probe, the watcher, and our server when it runs
//   R  rg0 198.18.10.2/24   dnsmasq, pool 198.18.10.50–.60 (files in a temp dir, --port=0, bound to rg0)
//   C  cl0                  a DHCP client (busybox udhcpc, broadcast replies)
// S also has up0 to a dead-end namespace U, where a DHCP client (dhclient) holds port 68.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeSegment, createLab, netnsAvailable, readLines, systemBinary, type Lab, type LineReader } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { REPO_ROOT, ROGUE_IP as ROGUE, TempDirs, cliMissing, isPacket, labConfig, runCli, runUdhcpc, sleep, spawnDhclient, startRogueDnsmasq, startServer, writeConfig, type DhcpEvent, type LogEvent, type ServerHandle } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const missing = avail.ok ? cliMissing() : undefined;
const skip = !avail.ok ? avail.reason : missing;
if (skip) console.warn(`[rogue-server probe integration] skipped: ${skip}`);

interface ProbeJson {
  report: {
    status: string;
    servers: { serverId?: string; sourceIp: string; sourceMac?: string; sourceMacUnknown?: string; offered?: string; network?: string; routers?: string[]; afterMs?: number; clientMac: string }[];
    reason?: string;
    detail?: string;
  };
  message: string;
}

describe.skipIf(Boolean(skip))(`rogue DHCP server probe and watcher against dnsmasq${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('probe');
  let dnsmasq: ChildProcess | undefined;
  let dnsmasqLog: LineReader | undefined;
  let srv: ServerHandle | undefined;
  const proofs: string[] = [];
  /** The Ethernet address of dnsmasq's veth (rg0): what every report must name it by. */
  let rogueMac = '';
  const re = (s: string) => s.replace(/[.()]/g, '\\$&');

  const startDnsmasq = async (): Promise<void> => {
    ({ child: dnsmasq, log: dnsmasqLog } = await startRogueDnsmasq(lab, 'r', 'rg0', tmp.make('dnsmasq')));
  };
  const stopDnsmasq = async (): Promise<void> => {
    if (dnsmasq) await lab.kill(dnsmasq, 1000);
    dnsmasq = undefined;
  };

  /**
   * checkForDhcpServers in S, through the source (tsx), with the message the user would see.
   * `withoutNetRaw`: run it with CAP_NET_RAW taken out of the bounding set (setpriv), as a user who
   * granted only the port capability would.
   */
  const probe = async (opts: { timeoutMs?: number } = {}, o: { withoutNetRaw?: boolean } = {}): Promise<ProbeJson> => {
    const code = `
      const m = await import('./src-main/net/dhcp-probe.ts');
      const report = await m.checkForDhcpServers('sv0', ${JSON.stringify(opts)});
      console.log(JSON.stringify({ report, message: m.probeMessage(report) }));`;
    const args = ['--input-type=module', '-e', code];
    const r = o.withoutNetRaw
      ? await lab.exec('s', systemBinary('setpriv'), ['--bounding-set', '-net_raw', '--inh-caps', '-net_raw', process.execPath, '--import', 'tsx', ...args], { cwd: REPO_ROOT, timeoutMs: 30_000 })
      : await lab.execNode('s', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`probe exited ${r.code ?? r.signal}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ProbeJson;
  };

  beforeAll(async () => {
    lab = await createLab('relprobe');
    for (const ns of ['s', 'r', 'c', 'sw', 'u']) await lab.addNamespace(ns);
    await bridgeSegment(lab, 'sw', [['s', 'sv0', '198.18.10.1/24'], ['r', 'rg0', `${ROGUE}/24`], ['c', 'cl0', null]]);
    await lab.link('s', 'up0', null, 'u', 'u0', null);
    rogueMac = (await lab.exec('r', 'cat', ['/sys/class/net/rg0/address'])).stdout.trim();
    expect(rogueMac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  });

  afterAll(async () => {
    await srv?.stop();
    await stopDnsmasq();
    await lab?.cleanup();
    tmp.cleanup();
    if (proofs.length) recordProof('rogue server', proofs.join('; '));
  });

  it('finds dnsmasq and names it: server id, MAC (by ARP), the address it offered, its network and router — with the default listening time', async () => {
    await startDnsmasq();
    const { report, message } = await probe();
    expect(report.status, message).toBe('found');
    expect(report.servers).toHaveLength(1);
    const s = report.servers[0]!;
    expect(s.serverId).toBe(ROGUE);
    expect(s.sourceIp).toBe(ROGUE);
    expect(s.sourceMac, "dnsmasq's veth MAC, learned by ARP").toBe(rogueMac);
    expect(Number(s.offered!.split('.')[3])).toBeGreaterThanOrEqual(50);
    expect(Number(s.offered!.split('.')[3])).toBeLessThanOrEqual(60);
    expect(s.network).toBe('198.18.10.0/24');
    expect(s.routers).toEqual([ROGUE]);
    expect(message).toBe(
      `Another DHCP server answers on sv0: ${ROGUE} (MAC ${rogueMac}) offered ${s.offered} (network 198.18.10.0/24, router ${ROGUE}). ` +
        'Serving here would hand out conflicting addresses — stop that server or pick another interface. Start anyway only if you are sure.',
    );
    // dnsmasq pings an address before its first OFFER of it (3 s): why the default is 4 s, not 2.
    console.log(`[probe] dnsmasq's first OFFER came ${s.afterMs} ms after the DISCOVER`);
    expect(dnsmasqLog!.lines.some((l) => l.includes(`DHCPOFFER(rg0) ${s.offered} ${s.clientMac}`))).toBe(true);
    expect(s.clientMac).toMatch(/^[0-9a-f][26ae]:/); // a random locally administered MAC
    proofs.push(`dnsmasq found and named (${ROGUE}, MAC ${rogueMac} by ARP, offered ${s.offered} of 198.18.10.0/24, first OFFER after ${s.afterMs} ms)`);
  });

  it('without CAP_NET_RAW the probe still finds dnsmasq, and says its MAC is unknown for want of CAP_NET_RAW', async () => {
    const { report, message } = await probe({}, { withoutNetRaw: true });
    expect(report.status, message).toBe('found');
    expect(report.servers[0]).toMatchObject({ serverId: ROGUE, sourceMacUnknown: 'no-privilege' });
    expect(report.servers[0]!.sourceMac).toBeUndefined();
    expect(message).toMatch(new RegExp(`^Another DHCP server answers on sv0: ${re(ROGUE)} \\(MAC unknown \\(needs CAP_NET_RAW\\)\\) offered 198\\.18\\.10\\.(5\\d|60) \\(network 198\\.18\\.10\\.0/24`));
    proofs.push('without CAP_NET_RAW: found, "MAC unknown (needs CAP_NET_RAW)"');
  });

  it('no false positive when only our own server answers (it does answer the probe, on the wire and by loopback)', async () => {
    await stopDnsmasq();
    srv = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('srv') });
    const from = srv.mark();
    const { report, message } = await probe();
    expect(report.status, message).toBe('clear');
    expect(message).toBe('No other DHCP server answered on sv0 within 4 s.');
    // It was our server's OFFER that the probe heard and recognised as ours, not silence.
    const offers = srv.events().slice(from).filter(isPacket('out', 'DHCPOFFER'));
    expect(offers.length).toBeGreaterThan(0);
    proofs.push(`our own server answered the probe ${offers.length} time(s) and was not reported`);
  });

  it('with both running, only dnsmasq is reported', async () => {
    await startDnsmasq();
    const { report } = await probe();
    expect(report.status).toBe('found');
    expect(report.servers.map((s) => s.serverId)).toEqual([ROGUE]);
  });

  it('watchForForeignServers while serving: a client DISCOVERs, dnsmasq’s replies are reported, ours never', async () => {
    // dnsmasq and our server both run (previous test).
    const watcher = lab.spawnNode('s', [
      '--input-type=module',
      '-e',
      `const m = await import('./src-main/net/dhcp-probe.ts');
       const w = await m.watchForForeignServers('sv0', (s) => console.log(JSON.stringify({ found: s, warning: m.foreignServerWarning('sv0', s) })), { repeatAfterMs: 0 });
       console.log('watching');
       process.on('SIGTERM', () => void w.stop().then(() => process.exit(0)));`,
    ]);
    const out = readLines(watcher.stdout!);
    const err = readLines(watcher.stderr!);
    try {
      await out.waitFor(/^watching$/, { timeoutMs: 15_000 }).catch((e: Error) => {
        throw new Error(`${e.message}\n${err.lines.join('\n')}`);
      });
      const from = srv!.mark();
      const dir = tmp.make('udhcpc');
      const run = await runUdhcpc(lab, 'c', 'cl0', { dir, args: ['-B'], tries: 3 });
      expect(run.result.code, run.result.stderr).toBe(0);
      // Our server answers at once; dnsmasq pings the address first and OFFERs 3 s later.
      await out.waitFor((l) => l.startsWith('{'), { timeoutMs: 8000 });
      await sleep(300);
      const found = out.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { found: { serverId: string; messageType: string; offered: string; sourceMac?: string }; warning: string });
      expect(found.length, 'dnsmasq answered the client by broadcast').toBeGreaterThan(0);
      expect(new Set(found.map((f) => f.found.serverId))).toEqual(new Set([ROGUE]));
      expect(new Set(found.map((f) => f.found.sourceMac))).toEqual(new Set([rogueMac]));
      expect(found[0]!.warning).toMatch(
        new RegExp(`^Another DHCP server is answering on sv0: ${re(ROGUE)} \\(MAC ${rogueMac}\\) (offered|acknowledged) 198\\.18\\.10\\.\\d+ to [0-9a-f:]{17} \\(network 198\\.18\\.10\\.0/24, router ${re(ROGUE)}\\)\\. Clients may get conflicting addresses`),
      );
      // Our server answered the same client by broadcast (looped back to the watcher): ignored.
      // Waited for, not looked up: a fresh address is ARP-probed first (500 ms), so our OFFER can
      // come after udhcpc has already taken a quicker one from dnsmasq.
      await srv!.waitEvent((e) => isPacket('out', 'DHCPOFFER')(e) && e.packet.peer === '255.255.255.255:68', { from, timeoutMs: 5000 });
      const ours = srv!.events().slice(from).filter((e) => isPacket('out', 'DHCPOFFER')(e) && e.packet.peer === '255.255.255.255:68');
      await sleep(300);
      const heard = out.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { found: { serverId: string } });
      expect(new Set(heard.map((f) => f.found.serverId)), 'our looped-back OFFER was not reported').toEqual(new Set([ROGUE]));
      // Our server's own watcher (wired in at start; dnsmasq came up after it, in the previous test)
      // heard dnsmasq too — its OFFERs to the probes there and to this client: a foreign-server
      // warning in its log naming dnsmasq, once, though dnsmasq sent several replies since (one
      // report per server a minute).
      const isForeign = (e: LogEvent): e is DhcpEvent => e.kind === 'dhcp' && (e as DhcpEvent).event.type === 'foreign-server';
      const warned = (await srv!.waitEvent(isForeign, { timeoutMs: 8000 })) as DhcpEvent;
      expect(warned.event).toMatchObject({ serverId: ROGUE, serverMac: rogueMac, network: '198.18.10.0/24', router: ROGUE, messageType: 2, mac: expect.stringMatching(/^[0-9a-f:]{17}$/) });
      expect(Number(String(warned.event.yiaddr).split('.')[3])).toBeGreaterThanOrEqual(50);
      await sleep(500);
      expect(srv!.events().filter(isForeign)).toHaveLength(1);

      // Only our server: nothing reported.
      await stopDnsmasq();
      const before = out.lines.length;
      const again = await runUdhcpc(lab, 'c', 'cl0', { dir, name: 'udhcpc2', args: ['-B'], tries: 3 });
      expect(again.result.code, again.result.stderr).toBe(0);
      await sleep(500);
      expect(out.lines.slice(before).filter((l) => l.startsWith('{'))).toEqual([]);
      proofs.push(`watcher: ${found.length} dnsmasq replies reported, ${ours.length} + later replies of our own server ignored; the serving server logged dnsmasq as a foreign server`);
    } finally {
      await lab.kill(watcher, 2000);
    }
  });

  it('port 68 held by a DHCP client that shares it (dhclient): the probe still works; held by a program that does not: "could not check", naming it', async () => {
    // Our server's watcher shares port 68 too; the unsharing holder below needs it free.
    await srv?.stop();
    srv = undefined;
    await startDnsmasq();
    // dhclient on another interface holds 0.0.0.0:68 (SO_REUSEADDR) for as long as it runs.
    const dh = spawnDhclient(lab, 's', 'up0', { dir: tmp.make('dhclient'), timeoutSec: 60 });
    try {
      await sleep(1000);
      const ss = await lab.exec('s', 'ss', ['-ulpn', 'sport = :68']);
      expect(ss.stdout).toMatch(/dhclient/);
      const shared = await probe();
      expect(shared.report.status, shared.message).toBe('found');
    } finally {
      await dh.stop();
    }

    const holder = lab.spawn('s', systemBinary('python3'), ['-c', 'import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(("0.0.0.0",68))\nprint("bound",flush=True)\ntime.sleep(60)']);
    try {
      await readLines(holder.stdout!).waitFor(/^bound$/, { timeoutMs: 5000 });
      const { report, message } = await probe();
      expect(report.status).toBe('could-not-check');
      expect(report.reason).toBe('port-in-use');
      expect(message).toMatch(new RegExp(`^Could not check sv0 for other DHCP servers: the DHCP client port 68 on sv0 is held by python3 \\(pid ${holder.pid}\\) without sharing it`));
      expect(message).toMatch(/Make sure no other DHCP server runs on this network before you start\.$/);
      // The watcher refuses the same way (a typed error, not a crash).
      const w = await lab.execNode('s', ['--input-type=module', '-e', `const m = await import('./src-main/net/dhcp-probe.ts'); try { await m.watchForForeignServers('sv0', () => {}); console.log('started'); } catch (e) { console.log(e.name + ' ' + e.reason); }`], { timeoutMs: 20_000 });
      expect(w.stdout.trim()).toBe('DhcpProbeError port-in-use');
      proofs.push('EADDRINUSE → "could not check" naming the holder; coexists with dhclient');
    } finally {
      await lab.kill(holder, 500);
      await stopDnsmasq();
    }
  });

  it('`serve` with dnsmasq answering on the interface: refuses (exit 1) with a message naming dnsmasq\'s address and what it offered; nothing served', async () => {
    await startDnsmasq();
    try {
      const dir = tmp.make('refuse');
      // No --probe-timeout: the product default (4 s), which dnsmasq's 3 s ping-before-offer needs.
      const t0 = Date.now();
      const r = await runCli(lab, 's', ['serve', '--config', writeConfig(dir, labConfig()), '--data-dir', `${dir}/data`, '--log', 'json'], 20_000);
      const took = Date.now() - t0;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/checking sv0 for other DHCP servers \(4 s\)/);
      expect(r.stderr).toMatch(new RegExp(`Another DHCP server answers on sv0: ${re(ROGUE)} \\(MAC ${rogueMac}\\) offered 198\\.18\\.10\\.(5\\d|60) \\(network 198\\.18\\.10\\.0/24, router ${re(ROGUE)}\\)`));
      expect(r.stderr).toMatch(/To serve anyway, pass --allow-other-server\./);
      expect(r.stdout).not.toMatch(/"kind":"started"/);
      expect(r.stdout).not.toMatch(/DHCPOFFER/);
      proofs.push(`serve refused with dnsmasq on the link (exit 1 after ${took} ms, dnsmasq named by IP and MAC)`);
    } finally {
      await stopDnsmasq();
    }
  });

  it('`serve --allow-other-server` with dnsmasq answering: serves, with a warning naming dnsmasq', async () => {
    await startDnsmasq();
    let s: ServerHandle | undefined;
    try {
      s = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('anyway'), args: ['--probe-timeout', '4000', '--allow-other-server'], bannerTimeoutMs: 20_000 });
      const warning = s.events().find((e) => e.kind === 'warning' && e.code === 'other-server-allowed');
      expect(warning, s.tail(20)).toBeDefined();
      expect(String(warning!.message)).toMatch(new RegExp(`^serving on sv0 although another DHCP server answers there, as asked: ${re(ROGUE)} \\(MAC ${rogueMac}\\) offered`));
      const run = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc-anyway'), args: ['-B'], tries: 3 });
      expect(run.result.code, run.result.stderr).toBe(0);
      proofs.push('--allow-other-server served next to dnsmasq, with a warning');
    } finally {
      await s?.stop();
      await stopDnsmasq();
    }
  });
});
