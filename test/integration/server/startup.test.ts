// Start-up refusals and a clean stop, through the real CLI (`node bin/pocket-dhcp.js serve`).
// Exit codes (src-main/cli/index.ts): 2 = invalid configuration or usage, 1 = runtime failure.
// Everything runs inside a lab namespace, so nothing can ever bind a port of the host:
//   S: sv0 198.18.10.1/24 ──veth── C: cl0;  S: sv9 (no IPv4) ──veth── C: cl9
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, readLines, systemBinary, type Lab } from '../../helpers/netns.js';
import {
  TempDirs,
  ipHex,
  isDhcp,
  labConfig,
  probe,
  readLeases,
  runCli,
  runUdhcpc,
  setMac,
  spawnServer,
  startServer,
  type Json,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server start-up integration] skipped: ${avail.reason}`);

describe.skipIf(!avail.ok)(`start-up refusals and SIGTERM${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('start');

  beforeAll(async () => {
    lab = await createLab('srvstart');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    await lab.link('s', 'sv9', null, 'c', 'cl9', null);
  });

  afterAll(async () => {
    await lab?.cleanup();
    tmp.cleanup();
  });

  /** Runs `serve` with `config` to completion (it must refuse quickly). */
  const refuse = async (config: Json): Promise<{ code: number | null; stderr: string; stdout: string }> => {
    const dir = tmp.make('refuse');
    const h = spawnServer(lab, 's', { config, dir });
    const timer = setTimeout(() => void h.kill9(), 15_000);
    const st = await h.exited;
    clearTimeout(timer);
    await new Promise((r) => setTimeout(r, 50)); // last stderr chunk
    // A refused start leaves no lease-store lock behind.
    if (existsSync(join(dir, 'data'))) expect(readdirSync(join(dir, 'data')).filter((f) => f.endsWith('.lock'))).toEqual([]);
    return { code: st.code, stderr: h.err.lines.join('\n'), stdout: h.out.lines.join('\n') };
  };

  it('invalid config file → exit 2, the message names the field', async () => {
    const backwards = await refuse(labConfig({ subnet: { range: '198.18.10.150-198.18.10.100' } }));
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/invalid configuration/);
    expect(backwards.stderr).toContain('subnets[0].range');

    const typo = await refuse({ ...labConfig(), leaseTme: 600 });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"leaseTme"');

    const short = await refuse(labConfig({ leaseTime: 5 }));
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/leaseTime: must be at least 10 seconds/);

    const badIp = await refuse(labConfig({ subnet: { router: '198.18.10.300' } }));
    expect(badIp.code).toBe(2);
    expect(badIp.stderr).toContain('subnets[0].router');
  });

  it('config file that is not JSON → exit 2 with "not valid JSON"', async () => {
    const dir = tmp.make('badjson');
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "interface": "sv0", ');
    const r = await runCli(lab, 's', ['serve', '--config', path, '--data-dir', join(dir, 'data')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).toContain(path);
  });

  it('unknown interface → exit 2, naming it', async () => {
    const r = await refuse({ ...labConfig(), interface: 'nosuch0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('interface');
    expect(r.stderr).toContain('"nosuch0" does not exist');
  });

  it('interface without an IPv4 address → exit 1, asking for a static address', async () => {
    const r = await refuse({ ...labConfig(), interface: 'sv9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sv9');
    expect(r.stderr).toContain('static address');
  });

  it("server address inside the range → exit 2, naming subnets[0].range and the server's address", async () => {
    const r = await refuse(labConfig({ subnet: { range: '198.18.10.1-198.18.10.50' } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('subnets[0].range');
    expect(r.stderr).toContain('198.18.10.1');
  });

  it('port 67 held in the namespace by a plain socket → exit 1, naming the holder', async () => {
    const holder = lab.spawn('s', systemBinary('python3'), [
      '-c',
      "import socket,sys,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',67))\nprint('READY',flush=True)\ntime.sleep(60)",
    ]);
    try {
      await readLines(holder.stdout!).waitFor(/READY/, { timeoutMs: 10_000 });
      const r = await refuse(labConfig());
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/port 67 on sv0 is already in use by/i);
      expect(r.stderr).toContain(`pid ${holder.pid}`);
      expect(r.stderr).toMatch(/python3?/);
    } finally {
      await lab.kill(holder);
    }
  });

  it('port 67 held by another pocket-dhcp on the same interface → exit 1, naming it', async () => {
    const first = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('first') });
    try {
      const r = await refuse(labConfig());
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/port 67 on sv0 is already in use by/i);
      expect(r.stderr).toContain(`pid ${first.pid}`);
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
  });

  it('text log: the "serving on" banner names interface, address and pool; SIGTERM prints "stopping"', async () => {
    const srv = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('text'), log: 'text' });
    const banner = srv.out.lines.find((l) => l.startsWith('pocket-dhcp serving on'))!;
    expect(banner).toContain('sv0 198.18.10.1/24');
    expect(banner).toContain('198.18.10.100-198.18.10.150 (51 addresses)');
    const st = await srv.stop();
    expect(st.code).toBe(0);
    expect(srv.out.lines.some((l) => l === 'pocket-dhcp stopping (SIGTERM)')).toBe(true);
  });

  /** A DHCPREQUEST in SELECTING state for another server (option 54 = 198.18.10.99), broadcast from C. */
  const selectOtherServer = async (chaddr: string): Promise<void> => {
    const replies = await probe(lab, 'c', {
      bind: ['0.0.0.0', 68],
      device: 'cl0',
      sends: [{ to: ['255.255.255.255', 67], packet: { xid: 0x5e1ec7, chaddr, flags: 0x8000, options: [[53, '03'], [54, ipHex('198.18.10.99')], [50, ipHex('198.18.10.120')]] } }],
      listenMs: 300,
    });
    expect(replies).toEqual([]);
  };

  it('text log, SIGUSR1 then SIGINT: a counters line on demand while serving, another on stop, exit 0', async () => {
    const srv = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('int'), log: 'text' });
    await selectOtherServer('02:00:5e:10:12:03');
    const COUNTERS = /^pocket-dhcp counters: received 1, offers 0, acks 0, naks 0, informs 0, declines 0, releases 0, sent 0, drops 1 \(wrong-server-id 1\)$/;
    await srv.out.waitFor(/DROP 02:00:5e:10:12:03: client selected another DHCP server/, { timeoutMs: 5000 });
    process.kill(srv.pid, 'SIGUSR1');
    await srv.out.waitFor(COUNTERS, { timeoutMs: 5000 });
    // Still serving: no stop, and a second DHCPREQUEST is handled.
    expect(srv.child.exitCode).toBeNull();
    expect(srv.out.lines.some((l) => l.startsWith('pocket-dhcp stopping'))).toBe(false);
    await selectOtherServer('02:00:5e:10:12:04');
    await srv.out.waitFor(/DROP 02:00:5e:10:12:04:/, { timeoutMs: 5000 });

    process.kill(srv.pid, 'SIGINT');
    const st = await srv.exited;
    expect(st).toEqual({ code: 0, signal: null });
    const stopAt = srv.out.lines.indexOf('pocket-dhcp stopping (SIGINT)');
    expect(stopAt).toBeGreaterThan(-1);
    const after = srv.out.lines.slice(stopAt + 1).filter((l) => l.startsWith('pocket-dhcp counters:'));
    expect(after).toEqual(['pocket-dhcp counters: received 2, offers 0, acks 0, naks 0, informs 0, declines 0, releases 0, sent 0, drops 2 (wrong-server-id 2)']);
  });

  it('SIGTERM sent the moment the banner appears is handled: exit 0 and "stopping", every time (8 starts)', async () => {
    // Regression: the handlers used to be installed after the banner; a SIGTERM sent in reply to
    // it killed ~40 % of the starts with the default action (no "stopping", store not closed).
    const dir = tmp.make('race');
    const results: string[] = [];
    for (let i = 0; i < 8; i++) {
      const srv = await startServer(lab, 's', { config: labConfig(), dir, dataDir: join(dir, 'data') });
      const st = await srv.stop();
      const said = srv.events().some((e) => e.kind === 'stopping');
      results.push(`${st.code ?? st.signal}${said ? '' : ' (no stopping line)'}`);
    }
    expect(results).toEqual(Array(8).fill('0'));
    expect(readdirSync(join(dir, 'data')).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('SIGTERM stops cleanly: exit 0, a "stopping" line, the lease file intact and loadable', async () => {
    const dir = tmp.make('term');
    const srv = await startServer(lab, 's', { config: labConfig(), dir });
    const mac = '02:00:5e:10:12:01';
    await setMac(lab, 'c', 'cl0', mac);
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud') });
    expect(result.code, result.stderr).toBe(0);
    const ip = (await rec.waitFor(['bound'], { timeoutMs: 1000 })).ip!;
    await srv.waitEvent(isDhcp('ack', mac));
    // A REQUEST that selects another server: dropped as "wrong-server-id", counted in the summary.
    await selectOtherServer('02:00:5e:10:12:02');
    await srv.waitEvent((e) => isDhcp('drop')(e) && e.event.reason === 'wrong-server-id');

    const t0 = Date.now();
    const st = await srv.stop(10_000);
    const stopMs = Date.now() - t0;
    expect(st).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(5000);
    expect(srv.events().some((e) => e.kind === 'stopping' && e.signal === 'SIGTERM')).toBe(true);
    expect(srv.err.lines.filter((l) => /error|unexpected/i.test(l))).toEqual([]);
    // One counters line after "stopping": what the run received, answered and dropped (by reason).
    const counters = srv.events().filter((e) => e.kind === 'counters');
    expect(counters).toHaveLength(1);
    expect(srv.events().findIndex((e) => e.kind === 'counters')).toBeGreaterThan(srv.events().findIndex((e) => e.kind === 'stopping'));
    expect(counters[0]).toMatchObject({ acks: 1, naks: 0, drops: { 'wrong-server-id': 1 } });
    // DISCOVER (udhcpc may repeat it while the OFFER waits for the ARP conflict check), REQUEST, ours.
    expect(counters[0]!.offers).toBeGreaterThanOrEqual(1);
    expect(counters[0]!.received).toBeGreaterThanOrEqual(3);
    expect(counters[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Intact: every line of every data file is complete JSON; no lock left; the lease reads back.
    const files = readdirSync(srv.dataDir);
    expect(files.filter((f) => f.endsWith('.lock'))).toEqual([]);
    for (const f of files.filter((x) => x.endsWith('.db'))) {
      const text = readFileSync(join(srv.dataDir, f), 'utf8');
      expect(text.endsWith('\n'), `${f} ends with a newline`).toBe(true);
      for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line), `${f}: ${line}`).not.toThrow();
    }
    const leases = await readLeases(lab, 's', srv.dataDir);
    expect(leases.filter((l) => l.mac === mac).map((l) => [l.ip, l.state])).toEqual([[ip, 'bound']]);

    // And a restart on it serves the same client the same address.
    const again = await startServer(lab, 's', { config: labConfig(), dir, dataDir: srv.dataDir });
    try {
      const second = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('ud2') });
      expect(second.result.code, second.result.stderr).toBe(0);
      expect((await second.rec.waitFor(['bound'], { timeoutMs: 1000 })).ip).toBe(ip);
    } finally {
      expect((await again.stop()).code).toBe(0);
    }
  });
});
