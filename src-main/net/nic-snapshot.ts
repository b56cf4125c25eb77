// What an interface's IPv4 configuration is *before* Pocket DHCP changes it — saved (nic-state.ts)
// so it can be put back on Stop, on quit, or on the next start after a crash. Pure parsers of the
// read-only commands in nic-plan.ts `snapshotArgv`; the I/O is in nic-change.ts.
import { isIpv4 } from '../dhcp/ip.js';
import { splitNmcliTerse } from './nic-plan.js';

export interface SnapshotAddress {
  address: string;
  prefix: number;
  /** From DHCP (finite lifetime): not re-added on restore, the DHCP client brings it back. */
  dynamic: boolean;
  /** Linux: the explicit broadcast address, when one was set. */
  broadcast?: string;
}

export type MacConfig =
  | { kind: 'dhcp' }
  | { kind: 'bootp' }
  | { kind: 'manual'; address: string; mask: string; router?: string }
  | { kind: 'manual-dhcp-router'; address: string }
  | { kind: 'off' };

export type NicPrevious =
  | { method: 'ip'; adminUp: boolean; addresses: SnapshotAddress[] }
  | {
      method: 'nmcli';
      adminUp: boolean;
      addresses: SnapshotAddress[];
      /** The connection NetworkManager had active on the device. */
      activeConnection?: { name: string; uuid: string };
      /** A "pocket-dhcp-IF" profile exists already (left over by a crash). */
      profileExists: boolean;
    }
  | { method: 'networksetup'; service: string; config: MacConfig }
  | { method: 'netsh'; dhcp: boolean; addresses: SnapshotAddress[]; gateway?: string };

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const FOREVER = 4294967295;

interface IpJsonAddr {
  family?: string;
  local?: string;
  prefixlen?: number;
  broadcast?: string;
  dynamic?: boolean;
  valid_life_time?: number;
}

/** `ip -j addr show dev IF` → admin state and IPv4 addresses of that one interface. */
export function parseIpDevice(text: string, ifname: string): { adminUp: boolean; addresses: SnapshotAddress[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SnapshotError(`cannot read the configuration of ${ifname}: "ip -j addr" printed no JSON`);
  }
  if (!Array.isArray(data)) throw new SnapshotError(`cannot read the configuration of ${ifname}: unexpected "ip -j addr" output`);
  const link = (data as Array<{ ifname?: string; flags?: string[]; addr_info?: IpJsonAddr[] }>).find((l) => l?.ifname === ifname);
  if (!link) throw new SnapshotError(`interface ${ifname} does not exist`);
  const addresses: SnapshotAddress[] = [];
  for (const a of link.addr_info ?? []) {
    if (a.family !== 'inet' || typeof a.local !== 'string' || !isIpv4(a.local)) continue;
    const finite = typeof a.valid_life_time === 'number' && a.valid_life_time !== FOREVER;
    addresses.push({ address: a.local, prefix: a.prefixlen ?? 32, dynamic: a.dynamic === true || finite, ...(a.broadcast && isIpv4(a.broadcast) ? { broadcast: a.broadcast } : {}) });
  }
  return { adminUp: Array.isArray(link.flags) && link.flags.includes('UP'), addresses };
}

export interface NmConnection {
  name: string;
  uuid: string;
  type?: string;
  device?: string;
}

/** `nmcli -t -f NAME,UUID[,TYPE],DEVICE connection show [--active]`. */
export function parseNmcliConnections(text: string, fields: readonly string[] = ['NAME', 'UUID', 'TYPE', 'DEVICE']): NmConnection[] {
  const out: NmConnection[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const f = splitNmcliTerse(line);
    const get = (k: string) => {
      const i = fields.indexOf(k);
      return i >= 0 ? f[i] : undefined;
    };
    const name = get('NAME');
    const uuid = get('UUID');
    if (!name || !uuid) continue;
    const type = get('TYPE');
    const device = get('DEVICE');
    out.push({ name, uuid, ...(type ? { type } : {}), ...(device && device !== '--' ? { device } : {}) });
  }
  return out;
}

/** The nmcli snapshot from its three read-only commands (nic-plan.ts snapshotArgv 'nmcli'). */
export function nmcliSnapshot(ifname: string, ipJson: string, allText: string, activeText: string, profileName: string): Extract<NicPrevious, { method: 'nmcli' }> {
  const dev = parseIpDevice(ipJson, ifname);
  const all = parseNmcliConnections(allText, ['NAME', 'UUID', 'TYPE', 'DEVICE']);
  const active = parseNmcliConnections(activeText, ['NAME', 'UUID', 'DEVICE']).find((c) => c.device === ifname && c.name !== profileName);
  return {
    method: 'nmcli',
    ...dev,
    ...(active ? { activeConnection: { name: active.name, uuid: active.uuid } } : {}),
    profileExists: all.some((c) => c.name === profileName),
  };
}

/**
 * `networksetup -getinfo SERVICE`:
 *   DHCP Configuration | Manual Configuration | BOOTP Configuration |
 *   Manually Using DHCP Router Configuration
 *   IP address: 192.168.1.23
 *   Subnet mask: 255.255.255.0
 *   Router: 192.168.1.1
 * With IPv4 off there is no IPv4 block at all.
 */
export function parseNetworksetupInfo(text: string, service: string): Extract<NicPrevious, { method: 'networksetup' }> {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => /is not a recognized network service/i.test(l))) throw new SnapshotError(`"${service}" is not a network service on this Mac`);
  const field = (name: string): string | undefined => {
    const l = lines.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    const v = l?.slice(name.length + 1).trim();
    return v && v.toLowerCase() !== 'none' && isIpv4(v) ? v : undefined;
  };
  const header = lines.find((l) => /configuration$/i.test(l))?.toLowerCase();
  const address = field('IP address');
  const mask = field('Subnet mask');
  const router = field('Router');
  let config: MacConfig;
  if (header === 'dhcp configuration') config = { kind: 'dhcp' };
  else if (header === 'bootp configuration') config = { kind: 'bootp' };
  else if (header?.startsWith('manually using dhcp router')) {
    if (!address) throw new SnapshotError(`cannot read the manual address of "${service}"`);
    config = { kind: 'manual-dhcp-router', address };
  } else if (header === 'manual configuration') {
    if (!address || !mask) throw new SnapshotError(`cannot read the manual address of "${service}"`);
    config = { kind: 'manual', address, mask, ...(router ? { router } : {}) };
  } else if (!address) config = { kind: 'off' };
  else throw new SnapshotError(`cannot tell how "${service}" is configured (unknown "networksetup -getinfo" output) — not changing it`);
  return { method: 'networksetup', service, config };
}

/** The JSON of nic-plan.ts `windowsSnapshotScript` (PowerShell may turn a one-element array into a value). */
export function parseWindowsSnapshot(text: string, ifname: string): Extract<NicPrevious, { method: 'netsh' }> {
  let v: { dhcp?: unknown; addresses?: unknown; gateways?: unknown };
  try {
    v = JSON.parse(text.trim());
  } catch {
    throw new SnapshotError(`cannot read the configuration of "${ifname}" (PowerShell printed no JSON) — not changing it`);
  }
  if (!v || typeof v !== 'object') throw new SnapshotError(`cannot read the configuration of "${ifname}"`);
  const list = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : x === null || x === undefined ? [] : [x as T]);
  const addresses: SnapshotAddress[] = [];
  for (const a of list<{ address?: unknown; prefix?: unknown; origin?: unknown }>(v.addresses)) {
    if (typeof a?.address !== 'string' || !isIpv4(a.address)) continue;
    const prefix = Number(a.prefix);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) continue;
    // APIPA (169.254/16, origin WellKnown) and DHCP leases are not the user's configuration.
    const origin = String(a.origin ?? '').toLowerCase();
    addresses.push({ address: a.address, prefix, dynamic: origin !== 'manual' });
  }
  const gateway = list<unknown>(v.gateways).find((g): g is string => typeof g === 'string' && isIpv4(g) && g !== '0.0.0.0');
  return { method: 'netsh', dhcp: String(v.dhcp ?? '').toLowerCase() === 'enabled', addresses, ...(gateway ? { gateway } : {}) };
}

/** One line for the user: what the interface had. */
export function describePrevious(p: NicPrevious): string {
  const addrs = (l: readonly SnapshotAddress[]) => (l.length ? l.map((a) => `${a.address}/${a.prefix}${a.dynamic ? ' (DHCP)' : ''}`).join(', ') : 'no IPv4 address');
  switch (p.method) {
    case 'ip':
      return `${addrs(p.addresses)}, ${p.adminUp ? 'enabled' : 'disabled'}`;
    case 'nmcli':
      return `${p.activeConnection ? `NetworkManager connection "${p.activeConnection.name}"` : 'no active NetworkManager connection'} (${addrs(p.addresses)})`;
    case 'networksetup': {
      const c = p.config;
      return c.kind === 'manual' ? `manual ${c.address} mask ${c.mask}${c.router ? ` router ${c.router}` : ''}` : c.kind === 'manual-dhcp-router' ? `manual ${c.address} with a router from DHCP` : c.kind === 'off' ? 'IPv4 off' : c.kind.toUpperCase();
    }
    case 'netsh':
      return p.dhcp ? `DHCP (${addrs(p.addresses)})` : `static ${addrs(p.addresses.filter((a) => !a.dynamic))}${p.gateway ? ` gateway ${p.gateway}` : ''}`;
  }
}
