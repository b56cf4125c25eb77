// The benchmark network, built with the test lab helper (test/helpers/netns.ts): namespaces named
// pdl-bench…, veth pairs, every address in 198.18.0.0/15, cleanup of namespaces and processes on
// exit (also on SIGINT/SIGTERM).
//
//   perf:  [c] cl0 198.18.0.2/15 ──veth── sv0 198.18.0.1/15 [s]
//          perfdhcp in c (a relay: giaddr 198.18.0.2, port 67) → server in s.
//   flood: [c] cl0 198.18.0.2/15 ──veth── sv0 ┐
//                                               br0 198.18.0.1/15 [s]   (server serves br0)
//          [r] rc0 (reserved MAC)  ──veth── sv1 ┘
//          perfdhcp floods from c while a reserved client in r asks for its address. The flood must
//          be given the server's address (unicast, as a relay agent sends): perfdhcp's default
//          broadcast would cross the bridge to rc0 and overflow udhcpc's packet socket.
import { createLab, netnsAvailable, type Lab } from '../../test/helpers/netns.js';

export const SERVER_IP = '198.18.0.1';
export const RELAY_IP = '198.18.0.2';
export const PREFIX = 15;
export const SUBNET = '198.18.0.0/15';
export const NETMASK = '255.254.0.0';
/** Pool: 131,070 addresses, so 100k distinct perfdhcp clients never exhaust it. */
export const POOL_FIRST = '198.18.1.0';
export const POOL_LAST = '198.19.255.254';
export const RESERVED_MAC = '02:00:5e:be:00:01';
export const RESERVED_IP = '198.18.0.50';

export interface BenchLab {
  lab: Lab;
  /** Interface the server serves on. */
  serverIf: string;
  /** Interface perfdhcp uses (-l). */
  clientIf: string;
  /** Namespace of the reserved client (flood lab only). */
  reservedIf?: string;
}

export function labAvailable(): { ok: true } | { ok: false; reason: string } {
  return netnsAvailable();
}

export async function perfLab(tag = 'benchperf'): Promise<BenchLab> {
  const lab = await createLab(tag);
  await lab.addNamespace('s');
  await lab.addNamespace('c');
  await lab.link('s', 'sv0', `${SERVER_IP}/${PREFIX}`, 'c', 'cl0', `${RELAY_IP}/${PREFIX}`);
  return { lab, serverIf: 'sv0', clientIf: 'cl0' };
}

export async function floodLab(tag = 'benchflood'): Promise<BenchLab> {
  const lab = await createLab(tag);
  await lab.addNamespace('s');
  await lab.addNamespace('c');
  await lab.addNamespace('r');
  await lab.link('s', 'sv0', null, 'c', 'cl0', `${RELAY_IP}/${PREFIX}`);
  await lab.link('s', 'sv1', null, 'r', 'rc0', null);
  await lab.ip('s', 'link', 'add', 'br0', 'type', 'bridge');
  await lab.ip('s', 'link', 'set', 'sv0', 'master', 'br0');
  await lab.ip('s', 'link', 'set', 'sv1', 'master', 'br0');
  await lab.ip('s', 'addr', 'add', `${SERVER_IP}/${PREFIX}`, 'dev', 'br0');
  await lab.ip('s', 'link', 'set', 'br0', 'up');
  await lab.ip('r', 'link', 'set', 'rc0', 'down');
  await lab.ip('r', 'link', 'set', 'rc0', 'address', RESERVED_MAC);
  await lab.ip('r', 'link', 'set', 'rc0', 'up');
  return { lab, serverIf: 'br0', clientIf: 'cl0', reservedIf: 'rc0' };
}
