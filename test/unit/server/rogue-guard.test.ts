// The rogue-server check wired into start-up and serving (server/rogue-guard.ts + controller.ts):
// what a probe result does to a start (refuse / override / warn / skip), the status while probing,
// and the watcher's findings as 'foreign-server' log entries — with the real controller, store,
// engine and service; only the socket and the probe/watcher are fakes.
import { describe, expect, it } from 'vitest';
import type { ForeignServer, ForeignWatcher, ProbeReport } from '../../../src-main/net/dhcp-probe.js';
import type { ServerStatus } from '../../../src-main/ipc/contract.js';
import { toServerError } from '../../../src-main/server/server-error.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import { describeEvent } from '../../../src-main/server/event-format.js';
import { foreignServerEvent, parseProbeTimeout, probeOutcome, type RogueCheck } from '../../../src-main/server/rogue-guard.js';
import { CLI_HINTS, UI_HINTS } from '../../../src-main/server/startup.js';
import { controllerLab } from '../../helpers/controller-lab.js';
import { MemoryTransport, until } from '../../helpers/memory-transport.js';

const ROGUE: ForeignServer = { serverId: '198.18.10.2', sourceIp: '198.18.10.2', messageType: 'offer', offered: '198.18.10.57', clientMac: '02:11:22:33:44:55', subnetMask: '255.255.255.0', network: '198.18.10.0/24', routers: ['198.18.10.2'] };
const FOUND: ProbeReport = { ifname: 'test0', status: 'found', servers: [ROGUE], listenedMs: 4000 };
const CLEAR: ProbeReport = { ifname: 'test0', status: 'clear', servers: [], listenedMs: 4000 };
const BUSY: ProbeReport = { ifname: 'test0', status: 'could-not-check', servers: [], reason: 'port-in-use', detail: 'the DHCP client port 68 on test0 is held by python3 (pid 7) without sharing it, so the replies of other servers cannot be heard.' };

describe('probeOutcome (pure)', () => {
  it('another server answered: refused with code foreign-server, naming its address, what it offered, its network — and the CLI override', () => {
    const out = probeOutcome(FOUND, { ifname: 'test0', allowOtherServer: false, hints: CLI_HINTS });
    expect(out.refuse?.code).toBe('foreign-server');
    expect(out.refuse?.message).toBe(
      'Another DHCP server answers on test0: 198.18.10.2 offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2). Serving here would hand out conflicting addresses — stop that server or pick another interface. Start anyway only if you are sure. To serve anyway, pass --allow-other-server.',
    );
    expect(toServerError(out.refuse)).toMatchObject({ code: 'foreign-server' });
    // With its MAC, the refusal names it, in English and in the values other languages word.
    const withMac = probeOutcome({ ...FOUND, servers: [{ ...ROGUE, sourceMac: '02:00:5e:10:00:02' }] }, { ifname: 'test0', allowOtherServer: false, hints: UI_HINTS }).refuse!;
    expect(withMac.message).toMatch(/^Another DHCP server answers on test0: 198\.18\.10\.2 \(MAC 02:00:5e:10:00:02\) offered 198\.18\.10\.57 /);
    expect(toServerError(withMac).params).toMatchObject({ servers: '198.18.10.2 (MAC 02:00:5e:10:00:02)' });
    // The UI has a button for it: no flag in the sentence.
    expect(probeOutcome(FOUND, { ifname: 'test0', allowOtherServer: false, hints: UI_HINTS }).refuse?.message).not.toMatch(/--allow/);
  });

  it('overridden: serves with a warning that names the server', () => {
    const out = probeOutcome(FOUND, { ifname: 'test0', allowOtherServer: true, hints: CLI_HINTS });
    expect(out.refuse).toBeUndefined();
    expect(out.warning).toBe('serving on test0 although another DHCP server answers there, as asked: 198.18.10.2 offered 198.18.10.57 (network 198.18.10.0/24, router 198.18.10.2) — clients may get conflicting addresses');
  });

  it('could not check: serves, and says so — never "clear"', () => {
    const out = probeOutcome(BUSY, { ifname: 'test0', allowOtherServer: false, hints: CLI_HINTS });
    expect(out.refuse).toBeUndefined();
    expect(out.info).toBeUndefined();
    expect(out.warning).toMatch(/^Could not check test0 for other DHCP servers: the DHCP client port 68 on test0 is held by python3 \(pid 7\).* Serving starts anyway\.$/);
  });

  it('skipped (probe timeout 0): a warning, not silence', () => {
    expect(probeOutcome(undefined, { ifname: 'test0', allowOtherServer: false, hints: CLI_HINTS }).warning).toBe(
      'the check for other DHCP servers on test0 was skipped (probe timeout 0) (pass --probe-timeout 4000 to check again): make sure no other DHCP server runs on this network',
    );
  });

  it('clear: an info line only', () => {
    expect(probeOutcome(CLEAR, { ifname: 'test0', allowOtherServer: false, hints: CLI_HINTS })).toEqual({ info: 'No other DHCP server answered on test0 within 4 s.' });
  });

  it('--probe-timeout accepts whole milliseconds 0…60000 only', () => {
    expect(parseProbeTimeout('0')).toBe(0);
    expect(parseProbeTimeout(' 250 ')).toBe(250);
    expect(parseProbeTimeout('60000')).toBe(60_000);
    for (const bad of ['-1', '1.5', '4s', '', '60001', '1e3']) expect(parseProbeTimeout(bad), bad).toBeUndefined();
  });

  it('a watcher finding becomes the engine\'s foreign-server event and its log line', () => {
    expect(foreignServerEvent(ROGUE)).toEqual({ type: 'foreign-server', serverId: '198.18.10.2', yiaddr: '198.18.10.57', messageType: 2, mac: '02:11:22:33:44:55', network: '198.18.10.0/24', router: '198.18.10.2' });
    // With the sender's MAC (learned by ARP) or why it is unknown: in the event and the line.
    const named = foreignServerEvent({ ...ROGUE, sourceMac: '02:00:5e:10:00:02' });
    expect(named).toMatchObject({ serverMac: '02:00:5e:10:00:02' });
    expect(describeEvent({ kind: 'dhcp', at: 0, event: named })).toBe(
      'WARNING another DHCP server is answering on this link (server id 198.18.10.2, MAC 02:00:5e:10:00:02, offered 198.18.10.57 to 02:11:22:33:44:55; network 198.18.10.0/24, router 198.18.10.2)',
    );
    const blind = foreignServerEvent({ ...ROGUE, sourceMacUnknown: 'no-privilege' });
    expect(blind).toMatchObject({ serverMacUnknown: 'no-privilege' });
    expect(describeEvent({ kind: 'dhcp', at: 0, event: blind })).toMatch(/\(server id 198\.18\.10\.2, MAC unknown \(needs CAP_NET_RAW\), offered /);
    const nak = foreignServerEvent({ sourceIp: '198.18.10.9', messageType: 'nak', clientMac: '02:00:00:00:00:01' });
    expect(nak).toEqual({ type: 'foreign-server', yiaddr: '0.0.0.0', messageType: 6, mac: '02:00:00:00:00:01' });
    const e: ServiceEvent = { kind: 'dhcp', at: 0, event: nak };
    expect(describeEvent(e)).toBe('WARNING another DHCP server is answering on this link (server id unknown, sent a NAK to 02:00:00:00:00:01)');
  });
});

// ---- the controller with a fake probe and watcher ----

const lab = controllerLab('pd-rogue-');

const DRAFT = { interface: 'test0', leaseTime: 600, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] };

class FakeRogueCheck implements RogueCheck {
  probes: { ifname: string; timeoutMs: number }[] = [];
  report: ProbeReport = CLEAR;
  probeDelayMs = 0;
  watchError: Error | undefined;
  found: ((s: ForeignServer) => void) | undefined;
  watching = false;
  replies = 0;
  async probe(ifname: string, timeoutMs: number): Promise<ProbeReport> {
    this.probes.push({ ifname, timeoutMs });
    if (this.probeDelayMs) await new Promise((r) => setTimeout(r, this.probeDelayMs));
    return this.report;
  }
  async watch(ifname: string, onFound: (s: ForeignServer) => void): Promise<ForeignWatcher> {
    if (this.watchError) throw this.watchError;
    this.found = (s) => {
      this.replies++;
      onFound(s);
    };
    this.watching = true;
    const self = this;
    return {
      ifname,
      get seen() {
        return self.replies ? [ROGUE] : [];
      },
      get replies() {
        return self.replies;
      },
      async stop() {
        self.watching = false;
      },
    };
  }
}

async function setup(rogue: FakeRogueCheck, probeTimeoutMs?: number) {
  const { c } = await lab.openController({
    statusMinIntervalMs: 20,
    openTransport: async () => new MemoryTransport('test0'),
    rogueCheck: rogue,
    ...(probeTimeoutMs !== undefined ? { probeTimeoutMs } : {}),
  });
  await c.saveSettings(DRAFT);
  const statuses: ServerStatus[] = [];
  c.subscribe((e) => e.name === 'status' && statuses.push(e.payload));
  const cliLines: ServiceEvent[] = [];
  c.onServiceEvent((e) => cliLines.push(e));
  return { c, statuses, cliLines };
}

describe('ServerController: the check before serving', () => {
  it('probes the chosen interface for 4 s by default, shows it in the status while it listens, then serves and watches', async () => {
    const rogue = new FakeRogueCheck();
    rogue.probeDelayMs = 50;
    const { c, statuses } = await setup(rogue);
    const st = await c.start();
    expect(st.state).toBe('running');
    expect(rogue.probes).toEqual([{ ifname: 'test0', timeoutMs: 4000 }]);
    const probing = statuses.find((s) => s.probe);
    expect(probing).toMatchObject({ state: 'starting', probe: { interface: 'test0', timeoutMs: 4000 } });
    expect(st.probe).toBeUndefined();
    expect(rogue.watching).toBe(true);
    expect(st.otherServers).toEqual({ replies: 0, reported: 0, servers: [] });
    expect(c.recentLog().map((e) => e.text)).toEqual(expect.arrayContaining(['CHECKING test0 for other DHCP servers (4 s)', 'No other DHCP server answered on test0 within 4 s.']));
    await c.stop();
    expect(rogue.watching).toBe(false);
  });

  it('another server answers: the start is refused (status.error foreign-server), nothing is served; "Start anyway" (allowOtherServer) serves with a warning', async () => {
    const rogue = new FakeRogueCheck();
    rogue.report = FOUND;
    const { c, cliLines } = await setup(rogue);
    const refused = await c.start();
    expect(refused.state).toBe('stopped');
    expect(refused.error?.code).toBe('foreign-server');
    expect(refused.error?.message).toMatch(/^Another DHCP server answers on test0: 198\.18\.10\.2 offered 198\.18\.10\.57/);
    expect(rogue.watching).toBe(false);
    const anyway = await c.start({ allowOtherServer: true });
    expect(anyway.state).toBe('running');
    expect(anyway.error).toBeUndefined();
    expect(cliLines.some((e) => e.kind === 'warning' && e.code === 'other-server-allowed' && e.message.includes('198.18.10.2 offered 198.18.10.57'))).toBe(true);
  });

  it('could not check: serves, with a warning in the log and for the CLI', async () => {
    const rogue = new FakeRogueCheck();
    rogue.report = BUSY;
    const { c, cliLines } = await setup(rogue);
    expect((await c.start()).state).toBe('running');
    expect(cliLines.find((e) => e.kind === 'warning' && e.code === 'probe-could-not-check')).toBeDefined();
    expect(c.recentLog().some((e) => e.level === 'warn' && e.text.startsWith('WARNING Could not check test0 for other DHCP servers'))).toBe(true);
  });

  it('probe timeout 0: no probe, a "skipped" warning', async () => {
    const rogue = new FakeRogueCheck();
    const { c, cliLines } = await setup(rogue, 0);
    expect((await c.start()).state).toBe('running');
    expect(rogue.probes).toEqual([]);
    expect(cliLines.some((e) => e.kind === 'warning' && e.code === 'probe-skipped')).toBe(true);
  });

  it('while serving, a foreign reply becomes a foreign-server warning (log kind foreign-server), counted in status.otherServers', async () => {
    const rogue = new FakeRogueCheck();
    const { c, cliLines } = await setup(rogue);
    await c.start();
    rogue.found!(ROGUE);
    rogue.found!(ROGUE);
    const entries = c.recentLog().filter((e) => e.kind === 'foreign-server');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ level: 'warn', mac: ROGUE.clientMac, text: 'WARNING another DHCP server is answering on this link (server id 198.18.10.2, offered 198.18.10.57 to 02:11:22:33:44:55; network 198.18.10.0/24, router 198.18.10.2)' });
    expect(cliLines.filter((e) => e.kind === 'dhcp' && e.event.type === 'foreign-server')).toHaveLength(2);
    expect(c.status().otherServers).toEqual({ replies: 2, reported: 2, servers: ['198.18.10.2'] });
  });

  it('the watcher cannot listen (port 68 held): serving goes on with a warning', async () => {
    const rogue = new FakeRogueCheck();
    rogue.watchError = new Error('the DHCP client port 68 on test0 is held by python3 (pid 7) without sharing it.');
    const { c } = await setup(rogue);
    expect((await c.start()).state).toBe('running');
    await until(() => c.recentLog().some((e) => e.text.includes('cannot be watched for while serving')), 1000, 'warning');
  });
});
