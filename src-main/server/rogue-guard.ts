// Rogue-server safety at start-up and while serving (issue 6 item 4; ARCHITECTURE.md: "a lab tool
// must never become a rogue server"). The sockets are in net/dhcp-probe.ts; this module decides
// what a probe's result means for a start — refuse, warn, or go — and turns a reply the watcher
// overhears into the engine's 'foreign-server' event, so it reaches the log, the UI, the CLI and
// desktop notifications (app/notify-model.ts) the same way as a BOOTREPLY seen on port 67.
import type { EngineEvent } from '../dhcp/events.js';
import { MessageType } from '../dhcp/options.js';
import {
  checkForDhcpServers,
  DEFAULT_PROBE_TIMEOUT_MS,
  distinctServersOf,
  probeMessage,
  serverDetail,
  watchForForeignServers,
  type ForeignServer,
  type ForeignWatcher,
  type ProbeReport,
} from '../net/dhcp-probe.js';
import { StartupError, type StartupHints } from './startup.js';

export { DEFAULT_PROBE_TIMEOUT_MS };

/** Longest probe accepted from the command line or a request: a start must not hang for minutes. */
export const MAX_PROBE_TIMEOUT_MS = 60_000;

/** The two network halves, injectable (tests; a fake transport has no interface to probe). */
export interface RogueCheck {
  probe(ifname: string, timeoutMs: number): Promise<ProbeReport>;
  watch(ifname: string, onFound: (s: ForeignServer) => void, onError: (e: Error) => void): Promise<ForeignWatcher>;
}

/** The real probe and watcher on the interface-bound port-68 socket. */
export const SYSTEM_ROGUE_CHECK: RogueCheck = {
  probe: (ifname, timeoutMs) => checkForDhcpServers(ifname, { timeoutMs }),
  watch: (ifname, onFound, onError) => watchForForeignServers(ifname, onFound, { onError }),
};

export interface ProbeOutcome {
  /** Do not serve: another server answered and the user did not override. */
  refuse?: StartupError;
  /** Serve, but tell the user (could not check, check skipped, started despite another server). */
  warning?: string;
  /** Serve; a line for the log ("No other DHCP server answered on eth1 within 4 s."). */
  info?: string;
}

/**
 * Pure: what a start does with a probe result. `report` undefined = the probe was skipped (a probe
 * timeout of 0): that is said as a warning, never taken for a clear network.
 */
export function probeOutcome(report: ProbeReport | undefined, o: { ifname: string; allowOtherServer: boolean; hints: StartupHints }): ProbeOutcome {
  if (!report) {
    const again = o.hints.probeTimeout ? ` (${o.hints.probeTimeout})` : '';
    return { warning: `the check for other DHCP servers on ${o.ifname} was skipped (probe timeout 0)${again}: make sure no other DHCP server runs on this network` };
  }
  switch (report.status) {
    case 'clear':
      return { info: probeMessage(report) };
    case 'could-not-check':
      return { warning: `${probeMessage(report)} Serving starts anyway.` };
    case 'found': {
      if (!o.allowOtherServer) {
        const message = `${probeMessage(report)}${o.hints.allowOtherServer ? ` ${o.hints.allowOtherServer}` : ''}`;
        // For other languages: who answered (server ids and, when known, MACs; the English message
        // has the details).
        const servers = distinctServersOf(report.servers);
        const params = { interface: report.ifname, count: servers.length, servers: servers.map((s) => `${s.serverId ?? s.sourceIp}${s.sourceMac ? ` (MAC ${s.sourceMac})` : ''}`).join(', ') };
        return { refuse: new StartupError('foreign-server', message, [], { text: { variant: servers.length === 1 ? 'one' : 'many', params } }) };
      }
      const servers = distinctServersOf(report.servers);
      return { warning: `serving on ${report.ifname} although another DHCP server answers there, as asked: ${servers.map(serverDetail).join('; ')} — clients may get conflicting addresses` };
    }
  }
}

/** "4 s" / "0.2 s": the probe's listening time as the log and the CLI say it. */
export function probeSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

const TYPE_CODES: Record<ForeignServer['messageType'], number | undefined> = { offer: MessageType.OFFER, ack: MessageType.ACK, nak: MessageType.NAK, other: undefined };

/** A reply overheard by the watcher as the engine's foreign-server event: who sent it (id, MAC) and what it tells of its range. */
export function foreignServerEvent(s: ForeignServer): Extract<EngineEvent, { type: 'foreign-server' }> {
  const type = TYPE_CODES[s.messageType];
  return {
    type: 'foreign-server',
    ...(s.serverId ? { serverId: s.serverId } : {}),
    yiaddr: s.offered ?? '0.0.0.0',
    ...(type !== undefined ? { messageType: type } : {}),
    mac: s.clientMac,
    ...(s.sourceMac ? { serverMac: s.sourceMac } : s.sourceMacUnknown ? { serverMacUnknown: s.sourceMacUnknown } : {}),
    ...(s.offered && s.network ? { network: s.network, ...(s.routers?.length ? { router: s.routers[0]! } : {}) } : {}),
  };
}

/** Parses `--probe-timeout MS`: a whole number of milliseconds, 0 to skip. */
export function parseProbeTimeout(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= MAX_PROBE_TIMEOUT_MS ? n : undefined;
}
