// The exact commands that give an interface a static IPv4 address, and the ones that put back what
// it had before, per operating system. Pure: the user sees these commands before anything runs, so
// they must be copy-pasteable and must never be a way to inject a second command. Every command
// is an argv array (run without a shell); its text form is quoted for the shell the user would
// paste it into. Interface and service names are checked here (and in the contract).
//
//   Linux, NetworkManager manages the device → a temporary profile "pocket-dhcp-IF" (`save no`:
//     in memory only, gone after a reboot) activated on it; restore deletes the profile and
//     re-activates the connection that was active before. Otherwise `ip addr add` (+ `ip link set
//     up`); restore deletes exactly that address and puts the link state back.
//   macOS → `networksetup -setmanual SERVICE ADDR MASK`; restore replays the service's previous
//     configuration (DHCP, manual, BOOTP, off) read with `networksetup -getinfo`.
//   Windows → `netsh interface ipv4 set address name=IF static ADDR MASK`; restore `source=dhcp`
//     or the previous static address(es) read with PowerShell's Get-NetIPAddress.
import { cidrBroadcast, intToIp, ipToInt, isIpv4, parseCidr, prefixToMask } from '../dhcp/ip.js';
import type { NicPrevious } from './nic-snapshot.js';

export interface NicPlanRequest {
  platform: NodeJS.Platform;
  interface: string;
  address: string;
  prefix: number;
  /**
   * Linux: NetworkManager's state of this device (`nmcli device status`), when NM manages it —
   * then the address goes through nmcli, or NM's DHCP client would fight an `ip addr add`.
   * Undefined, 'unmanaged' or 'connected (externally)': plain iproute2.
   */
  networkManager?: string;
  /** Linux with NetworkManager: the device type (`nmcli device status` TYPE), e.g. "ethernet". */
  networkManagerType?: string;
  /** macOS: the network service the device belongs to ("USB 10/100/1000 LAN"); default: the device name. */
  macService?: string;
}

export interface NicPlanResult {
  interface: string;
  address: string;
  prefix: number;
  /** What a user would type in a terminal (with sudo where needed). */
  commands: string[];
  note: string;
}

export class NicPlanError extends Error {
  override readonly name = 'NicPlanError';
}

export type NicMethod = 'ip' | 'nmcli' | 'networksetup' | 'netsh';

/** One command of a change: run without a shell, in order; a failing step stops the change unless `optional`. */
export interface NicStep {
  argv: string[];
  /** What it does, in words. */
  why: string;
  /** A cleanup whose failure does not matter (e.g. re-activating a connection NM would retry anyway). */
  optional?: boolean;
}

/** Characters no interface or service name needs, and every shell treats specially. */
const UNSAFE = /["'`$\\\u0000-\u001f\u007f;|&<>!]/;

export function checkName(what: string, name: string): void {
  if (name.length === 0 || name.length > 256) throw new NicPlanError(`${what} "${name}" is empty or too long`);
  if (UNSAFE.test(name)) throw new NicPlanError(`${what} "${name}" contains characters that cannot be passed safely to a command (quotes, $, \\, control characters)`);
}

/** POSIX sh word: bare when it is plainly safe, else single-quoted (with any ' written as '\''). */
export function shWord(s: string): string {
  if (/^[A-Za-z0-9_.:@%+=,/-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Windows command-line argument as CommandLineToArgvW reads it back (the rules of the MSVC
 * runtime: quote when there is a space/tab/quote; backslashes double only before a quote).
 */
export function winArg(s: string): string {
  if (s !== '' && !/[\s"]/.test(s)) return s;
  // netsh's own spelling, name="Ethernet 2": the same argument once the quotes are read.
  const kv = /^([A-Za-z]+)=([^"\\]*)$/.exec(s);
  if (kv) return `${kv[1]}="${kv[2]}"`;
  let out = '"';
  let slashes = 0;
  for (const ch of s) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(slashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(slashes) + ch;
    }
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

/** An argv as the text a user would paste: sh quoting on Linux/macOS, cmd.exe quoting on Windows. */
export function formatArgv(argv: readonly string[], platform: NodeJS.Platform): string {
  return argv.map((a) => (platform === 'win32' ? winArg(a) : shWord(a))).join(' ');
}

export function dottedMask(prefix: number): string {
  return intToIp(prefixToMask(prefix));
}

/** NetworkManager actively manages the device (so iproute2 changes would be undone). */
export function nmManages(state: string | undefined): boolean {
  if (!state) return false;
  const s = state.trim().toLowerCase();
  return s !== 'unmanaged' && !s.includes('externally');
}

/** The temporary NetworkManager profile for `ifname`. */
export function nmProfileName(ifname: string): string {
  return `pocket-dhcp-${ifname}`;
}

export function nicMethod(req: Pick<NicPlanRequest, 'platform' | 'networkManager'>): NicMethod {
  switch (req.platform) {
    case 'linux':
      return nmManages(req.networkManager) ? 'nmcli' : 'ip';
    case 'darwin':
      return 'networksetup';
    case 'win32':
      return 'netsh';
    default:
      throw new NicPlanError(`setting a static address is not supported on ${req.platform}; configure the address with the system's network tools`);
  }
}

/** Checks the request; returns the CIDR text. Throws NicPlanError with a sentence for the user. */
export function checkRequest(req: Pick<NicPlanRequest, 'interface' | 'address' | 'prefix'>): string {
  const { address, prefix } = req;
  checkName('Interface name', req.interface);
  if (!isIpv4(address)) throw new NicPlanError(`"${address}" is not an IPv4 address like 192.168.77.1`);
  if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new NicPlanError(`prefix /${prefix} must be between /8 and /30`);
  const n = ipToInt(address);
  const net = parseCidr(`${intToIp((n & prefixToMask(prefix)) >>> 0)}/${prefix}`)!;
  if (n === net.network) throw new NicPlanError(`${address} is the network address of ${intToIp(net.network)}/${prefix} — pick a host address such as ${intToIp(net.network + 1)}`);
  if (n === cidrBroadcast(net)) throw new NicPlanError(`${address} is the broadcast address of ${intToIp(net.network)}/${prefix} — pick a host address such as ${intToIp(net.network + 1)}`);
  return `${address}/${prefix}`;
}

// ---- commands that change the interface (argv) ----

function ipAddSteps(ifname: string, cidr: string, prev: Extract<NicPrevious, { method: 'ip' }> | undefined): NicStep[] {
  const [address, prefix] = cidr.split('/');
  const has = prev?.addresses.some((a) => a.address === address && String(a.prefix) === prefix);
  const steps: NicStep[] = [];
  if (!has) steps.push({ argv: ['ip', 'addr', 'add', cidr, 'dev', ifname], why: `gives ${ifname} the address ${cidr}` });
  if (!prev || !prev.adminUp) steps.push({ argv: ['ip', 'link', 'set', ifname, 'up'], why: `enables ${ifname}` });
  return steps;
}

function nmcliAddSteps(ifname: string, cidr: string, prev: Extract<NicPrevious, { method: 'nmcli' }> | undefined): NicStep[] {
  const con = nmProfileName(ifname);
  const steps: NicStep[] = [];
  // A profile left over from a session that crashed is replaced, not duplicated.
  if (prev?.profileExists) steps.push({ argv: ['nmcli', 'connection', 'delete', 'id', con], why: `removes the old temporary profile "${con}"` });
  steps.push({
    argv: ['nmcli', 'connection', 'add', 'save', 'no', 'type', 'ethernet', 'con-name', con, 'ifname', ifname, 'connection.autoconnect', 'no', 'ipv4.method', 'manual', 'ipv4.addresses', cidr, 'ipv6.method', 'ignore'],
    why: `adds a temporary NetworkManager profile "${con}" (kept in memory only, gone after a reboot) with the address ${cidr}`,
  });
  steps.push({ argv: ['nmcli', '--wait', '20', 'connection', 'up', 'id', con, 'ifname', ifname], why: `activates "${con}" on ${ifname}${prev?.activeConnection ? ` (instead of "${prev.activeConnection.name}")` : ''}` });
  return steps;
}

function networksetupAddSteps(service: string, address: string, prefix: number): NicStep[] {
  return [{ argv: ['/usr/sbin/networksetup', '-setmanual', service, address, dottedMask(prefix)], why: `sets the network service "${service}" to the manual address ${address}/${prefix} (no router, so the default route stays on your other connections)` }];
}

function netshAddSteps(ifname: string, address: string, prefix: number): NicStep[] {
  return [{ argv: ['netsh', 'interface', 'ipv4', 'set', 'address', `name=${ifname}`, 'static', address, dottedMask(prefix)], why: `gives "${ifname}" the static address ${address}/${prefix} (no gateway, so the default route stays on your other connections)` }];
}

export interface ChangeRequest extends NicPlanRequest {
  /** What the interface has now (nic-snapshot.ts); without it the full set of commands is planned. */
  previous?: NicPrevious;
}

/** The commands that set the address, for the method the machine calls for. */
export function applySteps(req: ChangeRequest): { method: NicMethod; steps: NicStep[] } {
  const cidr = checkRequest(req);
  const method = nicMethod(req);
  const ifname = req.interface;
  const prev = req.previous && req.previous.method === method ? req.previous : undefined;
  switch (method) {
    case 'ip':
      return { method, steps: ipAddSteps(ifname, cidr, prev as Extract<NicPrevious, { method: 'ip' }> | undefined) };
    case 'nmcli': {
      const type = req.networkManagerType?.toLowerCase();
      if (type && type !== 'ethernet') {
        throw new NicPlanError(
          `NetworkManager manages ${ifname} as a ${type} device; Pocket DHCP sets static addresses only on wired (Ethernet) devices through NetworkManager — give ${ifname} the address ${cidr} in its connection settings, or use a USB Ethernet adapter`,
        );
      }
      return { method, steps: nmcliAddSteps(ifname, cidr, prev as Extract<NicPrevious, { method: 'nmcli' }> | undefined) };
    }
    case 'networksetup': {
      const service = req.macService ?? ifname;
      checkName('Network service name', service);
      return { method, steps: networksetupAddSteps(service, req.address, req.prefix) };
    }
    case 'netsh':
      return { method, steps: netshAddSteps(ifname, req.address, req.prefix) };
  }
}

// ---- commands that put the previous configuration back ----

/** What was changed, as saved before changing it (nic-state.ts). */
export interface AppliedChange {
  platform: NodeJS.Platform;
  interface: string;
  address: string;
  prefix: number;
  method: NicMethod;
  previous: NicPrevious;
  /** ip: the address was not there before (so restore deletes it). */
  addedAddress?: boolean;
}

/**
 * The commands that undo `change`. `current` (a fresh snapshot) skips what is already undone, so
 * restoring twice runs nothing the second time; without it everything is planned.
 */
export function restoreSteps(change: AppliedChange, current?: NicPrevious): NicStep[] {
  const ifname = change.interface;
  const cidr = `${change.address}/${change.prefix}`;
  const prev = change.previous;
  switch (prev.method) {
    case 'ip': {
      const now = current?.method === 'ip' ? current : undefined;
      const steps: NicStep[] = [];
      const present = (a: { address: string; prefix: number }) => !now || now.addresses.some((x) => x.address === a.address && x.prefix === a.prefix);
      if (change.addedAddress !== false && present({ address: change.address, prefix: change.prefix })) {
        steps.push({ argv: ['ip', 'addr', 'del', cidr, 'dev', ifname], why: `removes ${cidr} from ${ifname}` });
      }
      // Fixed addresses it had and lost meanwhile come back; DHCP ones are the DHCP client's job.
      for (const a of prev.addresses) {
        if (a.dynamic || (now ? present(a) : true)) continue;
        steps.push({ argv: ['ip', 'addr', 'add', `${a.address}/${a.prefix}`, ...(a.broadcast ? ['broadcast', a.broadcast] : []), 'dev', ifname], why: `puts back ${a.address}/${a.prefix}` });
      }
      if (!prev.adminUp && (!now || now.adminUp)) steps.push({ argv: ['ip', 'link', 'set', ifname, 'down'], why: `disables ${ifname} again, as it was` });
      return steps;
    }
    case 'nmcli': {
      const con = nmProfileName(ifname);
      const now = current?.method === 'nmcli' ? current : undefined;
      const steps: NicStep[] = [];
      if (!now || now.profileExists) steps.push({ argv: ['nmcli', 'connection', 'delete', 'id', con], why: `deletes the temporary profile "${con}"` });
      const was = prev.activeConnection;
      if (was && (!now || now.activeConnection?.uuid !== was.uuid)) {
        steps.push({ argv: ['nmcli', '--wait', '20', 'connection', 'up', 'uuid', was.uuid, 'ifname', ifname], why: `re-activates "${was.name}" on ${ifname}, as before`, optional: true });
      }
      return steps;
    }
    case 'networksetup': {
      const service = prev.service;
      checkName('Network service name', service);
      const ns = '/usr/sbin/networksetup';
      const c = prev.config;
      if (current?.method === 'networksetup' && sameMacConfig(current.config, c)) return [];
      switch (c.kind) {
        case 'dhcp':
          return [{ argv: [ns, '-setdhcp', service], why: `sets "${service}" back to DHCP` }];
        case 'bootp':
          return [{ argv: [ns, '-setbootp', service], why: `sets "${service}" back to BOOTP` }];
        case 'manual-dhcp-router':
          return [{ argv: [ns, '-setmanualwithdhcprouter', service, c.address], why: `sets "${service}" back to ${c.address} with a router from DHCP` }];
        case 'manual':
          return [{ argv: [ns, '-setmanual', service, c.address, c.mask, ...(c.router ? [c.router] : [])], why: `sets "${service}" back to ${c.address} mask ${c.mask}${c.router ? ` router ${c.router}` : ''}` }];
        case 'off':
          return [{ argv: [ns, '-setv4off', service], why: `turns IPv4 on "${service}" off again, as it was` }];
      }
      return [];
    }
    case 'netsh': {
      if (current?.method === 'netsh' && current.dhcp === prev.dhcp && sameAddressSet(current.addresses, prev.addresses)) return [];
      const name = `name=${ifname}`;
      if (prev.dhcp) return [{ argv: ['netsh', 'interface', 'ipv4', 'set', 'address', name, 'source=dhcp'], why: `sets "${ifname}" back to DHCP` }];
      const fixed = prev.addresses.filter((a) => !a.dynamic);
      if (fixed.length === 0) return [{ argv: ['netsh', 'interface', 'ipv4', 'set', 'address', name, 'source=dhcp'], why: `"${ifname}" had no static address: back to DHCP (Windows' default)` }];
      const [first, ...rest] = fixed;
      const gw = prev.gateway ? [prev.gateway] : [];
      return [
        { argv: ['netsh', 'interface', 'ipv4', 'set', 'address', name, 'static', first!.address, dottedMask(first!.prefix), ...gw], why: `puts back ${first!.address}/${first!.prefix}${prev.gateway ? ` with gateway ${prev.gateway}` : ''}` },
        ...rest.map((a) => ({ argv: ['netsh', 'interface', 'ipv4', 'add', 'address', name, a.address, dottedMask(a.prefix)], why: `puts back ${a.address}/${a.prefix}` })),
      ];
    }
  }
}

function sameAddressSet(a: readonly { address: string; prefix: number }[], b: readonly { address: string; prefix: number }[]): boolean {
  const key = (l: readonly { address: string; prefix: number }[]) => l.map((x) => `${x.address}/${x.prefix}`).sort().join(',');
  return key(a) === key(b);
}

function sameMacConfig(a: Extract<NicPrevious, { method: 'networksetup' }>['config'], b: Extract<NicPrevious, { method: 'networksetup' }>['config']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- commands that read the current configuration (never change anything) ----

export function snapshotArgv(method: NicMethod, ifname: string, macService?: string): string[][] {
  switch (method) {
    case 'ip':
      return [['ip', '-j', 'addr', 'show', 'dev', ifname]];
    case 'nmcli':
      return [
        ['ip', '-j', 'addr', 'show', 'dev', ifname],
        ['nmcli', '-t', '-f', 'NAME,UUID,TYPE,DEVICE', 'connection', 'show'],
        ['nmcli', '-t', '-f', 'NAME,UUID,DEVICE', 'connection', 'show', '--active'],
      ];
    case 'networksetup':
      return [['/usr/sbin/networksetup', '-getinfo', macService ?? ifname]];
    case 'netsh':
      return [['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', windowsSnapshotScript(ifname)]];
  }
}

/** PowerShell single-quoted string literal. */
export function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Locale-independent (netsh's text is translated): the adapter's DHCP state, addresses and gateway as JSON. */
export function windowsSnapshotScript(ifname: string): string {
  const a = psQuote(ifname);
  return [
    `$ErrorActionPreference = 'Stop'`,
    `$i = Get-NetIPInterface -InterfaceAlias ${a} -AddressFamily IPv4`,
    `$ad = @(Get-NetIPAddress -InterfaceAlias ${a} -AddressFamily IPv4 -ErrorAction SilentlyContinue | ForEach-Object { @{ address = $_.IPAddress; prefix = [int]$_.PrefixLength; origin = [string]$_.PrefixOrigin } })`,
    `$gw = @(Get-NetRoute -InterfaceAlias ${a} -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | ForEach-Object { $_.NextHop })`,
    `@{ dhcp = [string]$i.Dhcp; addresses = $ad; gateways = $gw } | ConvertTo-Json -Depth 4 -Compress`,
  ].join('; ');
}

// ---- the plan shown to a user who runs the commands themselves ----

/** With sudo (Linux/macOS) in front, as a terminal user types it. */
function manualText(argv: readonly string[], platform: NodeJS.Platform): string {
  const text = formatArgv(platform === 'darwin' && argv[0] === '/usr/sbin/networksetup' ? ['networksetup', ...argv.slice(1)] : argv, platform);
  return platform === 'win32' ? text : `sudo ${text}`;
}

export function buildNicPlan(req: NicPlanRequest): NicPlanResult {
  const { platform } = req;
  const { method, steps } = applySteps(req);
  const cidr = `${req.address}/${req.prefix}`;
  const ifname = req.interface;
  const base = { interface: ifname, address: req.address, prefix: req.prefix };
  const commands = steps.map((s) => manualText(s.argv, platform));
  switch (method) {
    case 'nmcli': {
      const con = nmProfileName(ifname);
      return {
        ...base,
        commands,
        note: `NetworkManager manages ${ifname}, so the address is set through it (an "ip addr add" would be undone by NetworkManager's DHCP client): a temporary profile "${con}", kept in memory only, replaces the active connection on ${ifname} until it is deleted or the computer restarts. To undo it: sudo nmcli connection delete id ${shWord(con)} (NetworkManager then reconnects ${ifname} as before).`,
      };
    }
    case 'ip':
      return {
        ...base,
        commands,
        note: `Adds ${cidr} to ${ifname} and enables the interface. The address lasts until the next reboot or until it is removed; to undo it: sudo ip addr del ${cidr} dev ${shWord(ifname)}`,
      };
    case 'networksetup': {
      const service = req.macService ?? ifname;
      return {
        ...base,
        commands,
        note: `Sets the network service "${service}"${service !== ifname ? ` (device ${ifname})` : ''} to a manual address ${req.address} with subnet mask ${dottedMask(req.prefix)}. This replaces its DHCP setting until changed back; to undo it: sudo networksetup -setdhcp ${shWord(service)}`,
      };
    }
    case 'netsh':
      return {
        ...base,
        commands,
        note: `Run in an Administrator command prompt. Gives "${ifname}" the static address ${req.address} with subnet mask ${dottedMask(req.prefix)} (no gateway, so the default route stays on your other connections). To undo it: netsh interface ipv4 set address ${winArg(`name=${ifname}`)} source=dhcp`,
      };
  }
}

/**
 * Parses `networksetup -listnetworkserviceorder` into device → service name:
 *   (1) USB 10/100/1000 LAN
 *   (Hardware Port: USB 10/100/1000 LAN, Device: en7)
 * A disabled service is listed as "(*) Name".
 */
export function parseMacServiceOrder(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let service: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const s = /^\((?:\d+|\*)\)\s+(.+)$/.exec(line);
    if (s) {
      service = s[1]!.replace(/^\*/, '').trim();
      continue;
    }
    const d = /^\(Hardware Port: .*, Device: ([^)]*)\)$/.exec(line);
    if (d && service) {
      const dev = d[1]!.trim();
      if (dev && !out.has(dev)) out.set(dev, service);
      service = undefined;
    }
  }
  return out;
}

/** Splits one line of `nmcli -t` output at unescaped colons (nmcli writes "\:" and "\\" inside fields). */
export function splitNmcliTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses `nmcli -t -f DEVICE,STATE device status` ("eth0:connected", "veth1:unmanaged") into
 * device → state; with `-f DEVICE,TYPE,STATE` use parseNmcliDevices. Colons in names are escaped.
 */
export function parseNmcliDeviceStatus(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const f = splitNmcliTerse(line);
    if (f.length < 2) continue;
    const dev = f[0]!;
    const state = f[f.length - 1]!.trim();
    if (dev && state) out.set(dev, state);
  }
  return out;
}

/** `nmcli -t -f DEVICE,TYPE,STATE device status` → device → { type, state }. */
export function parseNmcliDevices(text: string): Map<string, { type: string; state: string }> {
  const out = new Map<string, { type: string; state: string }>();
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const f = splitNmcliTerse(line);
    if (f.length < 3 || !f[0]) continue;
    out.set(f[0], { type: f[1]!.trim(), state: f.slice(2).join(':').trim() });
  }
  return out;
}
