// Turns the `conflictCheck` setting into the service's ConflictCheckSetup: on (with an open ARP
// socket on the served interface), off by configuration, or unavailable with the reason (not
// Linux, no CAP_NET_RAW, no Ethernet address). Unavailable never stops the server: it serves
// without the check and says so in the status and the log.
import type { UserConfig } from '../config/schema.js';
import { ArpProber } from '../net/arp-probe.js';
import { openArpSocket, type ArpTransport } from '../net/arp-socket.js';
import type { ConflictCheckSetup } from './dhcp-service.js';

export async function setupConflictCheck(
  cfg: Pick<UserConfig, 'interface' | 'conflictCheck' | 'conflictCheckTimeoutMs'>,
  open: (ifname: string) => Promise<ArpTransport> = (ifname) => openArpSocket(ifname),
): Promise<ConflictCheckSetup> {
  if (cfg.conflictCheck === false) return { state: 'off' };
  const prober = new ArpProber({ open: () => open(cfg.interface), timeoutMs: cfg.conflictCheckTimeoutMs ?? undefined });
  try {
    await prober.ready();
    return { state: 'on', prober };
  } catch (e) {
    prober.close();
    return { state: 'unavailable', reason: (e as Error).message };
  }
}

/** One line for the log at start. */
export function describeConflictCheck(s: ConflictCheckSetup): string {
  if (s.state === 'on') return `conflict check on: fresh addresses are ARP-probed before they are offered (${s.prober.timeoutMs} ms)`;
  if (s.state === 'off') return 'conflict check off (settings: conflictCheck false / --no-conflict-check)';
  return `conflict check unavailable: ${s.reason} Serving without it.`;
}
