// The machine's network interfaces, as the interface picker and the server need them.
//
// Linux: `ip -j -d addr show` is the one source that tells whether an address came from DHCP
// (the "dynamic" flag = not IFA_F_PERMANENT, i.e. it has a finite lifetime, which is how dhclient,
// NetworkManager and systemd-networkd install leases) and the link kind (veth, bridge, …); sysfs
// adds cheap hints (no /sys/class/net/X/device = virtual, …/wireless or …/phy80211 = Wi-Fi).
// A DHCP-obtained address on the chosen interface means another DHCP server already serves that
// network, which the UI must warn about. Elsewhere, or without iproute2, os.networkInterfaces() is
// the fallback: it lists only interfaces with an address and cannot tell static from dynamic.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { isIpv4, ipToInt } from '../dhcp/ip.js';
import { NetError, noIpv4Message, noSuchInterfaceMessage } from './net-error.js';

export interface InterfaceAddress {
  address: string;
  prefix: number;
  /** Obtained by DHCP (finite lifetime). Always false when `source` is 'os' (unknown there). */
  dynamic: boolean;
}

export interface NetInterface {
  name: string;
  /** Kernel ifindex; undefined when `source` is 'os'. */
  index: number | undefined;
  /** aa:bb:cc:dd:ee:ff for Ethernet-like links; undefined for loopback, tun, etc. */
  mac: string | undefined;
  ipv4: InterfaceAddress[];
  /** Administratively enabled (IFF_UP). */
  adminUp: boolean;
  /** Enabled and link detected (IFF_UP and carrier / operstate UP): can pass traffic now. */
  up: boolean;
  loopback: boolean;
  /** No backing hardware (veth, bridge, tun, docker…). Undefined when unknown. */
  virtual: boolean | undefined;
  /** Wi-Fi. Undefined when unknown. */
  wireless: boolean | undefined;
  /** Link kind from `ip -d` ("veth", "bridge", "wireguard"…); undefined for plain hardware. */
  kind: string | undefined;
  /** Where the data came from: 'ip' (iproute2, complete) or 'os' (Node's os.networkInterfaces, partial). */
  source: 'ip' | 'os';
}

export interface SysfsHints {
  virtual?: boolean;
  wireless?: boolean;
}

/** IFA lifetime "forever" as iproute2 prints it in JSON. */
const FOREVER = 4294967295;

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  dynamic?: boolean;
  valid_life_time?: number;
}

interface IpLink {
  ifindex?: number;
  ifname?: string;
  flags?: string[];
  operstate?: string;
  link_type?: string;
  address?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: IpAddrInfo[];
}

/**
 * Parses `ip -j [-d] addr show`. `hints(name)` supplies sysfs facts (virtual/wireless); pass
 * nothing in tests. Throws on text that is not iproute2 JSON.
 */
export function parseIpAddrJson(text: string, hints: (name: string) => SysfsHints = () => ({})): NetInterface[] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('ip -j addr: expected a JSON array');
  const out: NetInterface[] = [];
  for (const raw of data as IpLink[]) {
    if (typeof raw?.ifname !== 'string') continue;
    const flags = Array.isArray(raw.flags) ? raw.flags : [];
    const loopback = flags.includes('LOOPBACK') || raw.link_type === 'loopback';
    const adminUp = flags.includes('UP');
    // operstate is "UNKNOWN" for lo, tun and many virtual links that do not report carrier;
    // LOWER_UP (carrier) is then the better signal.
    const up = adminUp && (raw.operstate === 'UP' || flags.includes('LOWER_UP'));
    const ipv4: InterfaceAddress[] = [];
    for (const a of raw.addr_info ?? []) {
      if (a.family !== 'inet' || typeof a.local !== 'string' || !isIpv4(a.local)) continue;
      const finite = typeof a.valid_life_time === 'number' && a.valid_life_time !== FOREVER;
      ipv4.push({ address: a.local, prefix: a.prefixlen ?? 32, dynamic: a.dynamic === true || finite });
    }
    const kind = raw.linkinfo?.info_kind;
    const h = hints(raw.ifname);
    out.push({
      name: raw.ifname,
      index: typeof raw.ifindex === 'number' ? raw.ifindex : undefined,
      mac: raw.link_type === 'ether' && typeof raw.address === 'string' ? raw.address.toLowerCase() : undefined,
      ipv4,
      adminUp,
      up,
      loopback,
      virtual: loopback || kind !== undefined ? true : h.virtual,
      wireless: h.wireless,
      kind,
      source: 'ip',
    });
  }
  return out;
}

/** From os.networkInterfaces(): only interfaces with an address appear, all of them presumed up. */
export function fromNodeInterfaces(map: NodeJS.Dict<NetworkInterfaceInfo[]>): NetInterface[] {
  const out: NetInterface[] = [];
  for (const [name, entries] of Object.entries(map)) {
    if (!entries || entries.length === 0) continue;
    const ipv4: InterfaceAddress[] = [];
    let mac: string | undefined;
    let loopback = false;
    for (const e of entries) {
      // Node 18.0–18.3 reported family as a number.
      const fam = e.family as unknown;
      if (e.internal) loopback = true;
      if (e.mac && e.mac !== '00:00:00:00:00:00') mac = e.mac.toLowerCase();
      if ((fam === 'IPv4' || fam === 4) && isIpv4(e.address)) {
        const prefix = e.cidr ? Number(e.cidr.split('/')[1]) : maskPrefix(e.netmask);
        ipv4.push({ address: e.address, prefix: Number.isFinite(prefix) ? prefix : 32, dynamic: false });
      }
    }
    out.push({
      name,
      index: undefined,
      mac: loopback ? undefined : mac,
      ipv4,
      adminUp: true,
      up: true,
      loopback,
      virtual: loopback ? true : undefined,
      wireless: undefined,
      kind: undefined,
      source: 'os',
    });
  }
  return out;
}

function maskPrefix(mask: string): number {
  if (!isIpv4(mask)) return NaN;
  let n = ipToInt(mask);
  let p = 0;
  while (n & 0x80000000) {
    p++;
    n = (n << 1) >>> 0;
  }
  return p;
}

export function sysfsHints(name: string, root = '/sys/class/net'): SysfsHints {
  if (!existsSync(`${root}/${name}`)) return {};
  return {
    virtual: !existsSync(`${root}/${name}/device`),
    wireless: existsSync(`${root}/${name}/wireless`) || existsSync(`${root}/${name}/phy80211`),
  };
}

function runIp(args: string[], timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ip', args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (err, stdout) => {
      resolve(err ? undefined : stdout);
    });
  });
}

export interface ListOptions {
  platform?: NodeJS.Platform;
}

/** All interfaces, loopback included (the UI decides what to offer). Never rejects. */
export async function listInterfaces(opts: ListOptions = {}): Promise<NetInterface[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'linux') {
    const text = await runIp(['-j', '-d', 'addr', 'show']);
    if (text !== undefined) {
      try {
        return parseIpAddrJson(text, (n) => sysfsHints(n));
      } catch {
        // Very old iproute2 without -j prints text; fall through to Node's view.
      }
    }
  }
  return fromNodeInterfaces(networkInterfaces());
}

export async function findInterface(name: string, opts: ListOptions = {}): Promise<NetInterface | undefined> {
  return (await listInterfaces(opts)).find((i) => i.name === name);
}

export interface ServerAddress {
  ifname: string;
  index: number | undefined;
  address: string;
  prefix: number;
  /** The address came from DHCP: another DHCP server serves this network (warn the user). */
  dynamic: boolean;
}

const isLinkLocal = (ip: string): boolean => (ipToInt(ip) & 0xffff0000) >>> 0 === 0xa9fe0000;

/**
 * The IPv4 address the server answers from on `ifname`. Prefers a static address over a DHCP one,
 * and never a link-local 169.254/16 (APIPA). Rejects with NetError ENODEV or NO_IPV4.
 */
export async function serverAddressFor(ifname: string, opts: ListOptions = {}): Promise<ServerAddress> {
  const list = await listInterfaces(opts);
  return pickServerAddress(list, ifname);
}

/** Pure core of serverAddressFor. */
export function pickServerAddress(list: NetInterface[], ifname: string): ServerAddress {
  const itf = list.find((i) => i.name === ifname);
  if (!itf) {
    // os.networkInterfaces() omits interfaces without addresses, so "missing" may mean "no IPv4".
    if (list.length > 0 && list[0]!.source === 'os') {
      throw new NetError(
        'NO_IPV4',
        `Interface "${ifname}" does not exist or has no IPv4 address — pick one from "pocket-dhcp interfaces" and set a static address first.`,
        { ifname },
      );
    }
    throw new NetError('ENODEV', noSuchInterfaceMessage(ifname), { ifname });
  }
  const usable = itf.ipv4.filter((a) => !isLinkLocal(a.address));
  if (usable.length === 0) {
    throw new NetError('NO_IPV4', noIpv4Message(ifname, itf.ipv4.length > 0), { ifname });
  }
  const best = usable.find((a) => !a.dynamic) ?? usable[0]!;
  return { ifname, index: itf.index, address: best.address, prefix: best.prefix, dynamic: best.dynamic };
}

/** Stable fingerprint of what matters to a user; lifetimes and counters are not part of NetInterface. */
function fingerprint(list: NetInterface[]): string {
  return JSON.stringify([...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

/**
 * Polls the interface list every `intervalMs` and calls `cb` with the new list whenever it differs
 * from the previous one (the first poll only sets the baseline). Returns a stop function. The timer
 * is unref'd: watching never keeps the process alive on its own.
 */
export function watchInterfaces(
  cb: (list: NetInterface[]) => void,
  intervalMs = 2000,
  opts: ListOptions = {},
): () => void {
  let stopped = false;
  let last: string | undefined;
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy || stopped) return; // a slow `ip` must not pile up concurrent polls
    busy = true;
    try {
      const list = await listInterfaces(opts);
      const fp = fingerprint(list);
      if (stopped) return;
      if (last !== undefined && fp !== last) {
        last = fp;
        cb(list);
      } else {
        last = fp;
      }
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
