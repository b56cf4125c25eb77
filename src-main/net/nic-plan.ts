// The exact command(s) that give an interface a static IPv4 address, per operating system. Pure:
// the user sees these commands before anything runs (applying them, elevated, is a separate step),
// so they must be copy-pasteable and must never be a way to inject a second command — interface
// and service names are checked and quoted for the shell they are meant for.
import { cidrBroadcast, intToIp, ipToInt, isIpv4, parseCidr, prefixToMask } from '../dhcp/ip.js';

export interface NicPlanRequest {
  platform: NodeJS.Platform;
  interface: string;
  address: string;
  prefix: number;
  /**
   * Linux: NetworkManager's state of this device (`nmcli device status`), when NM manages it —
   * then the address goes through nmcli, or NM's DHCP client would fight an `ip addr add`.
   * Undefined or 'unmanaged': plain iproute2.
   */
  networkManager?: string;
  /** macOS: the network service the device belongs to ("USB 10/100/1000 LAN"); default: the device name. */
  macService?: string;
}

export interface NicPlanResult {
  interface: string;
  address: string;
  prefix: number;
  commands: string[];
  note: string;
}

export class NicPlanError extends Error {
  override readonly name = 'NicPlanError';
}

/** Characters no interface or service name needs, and every shell treats specially. */
const UNSAFE = /["'`$\\\u0000-\u001f\u007f;|&<>!]/;

function checkName(what: string, name: string): void {
  if (name.length === 0 || name.length > 256) throw new NicPlanError(`${what} "${name}" is empty or too long`);
  if (UNSAFE.test(name)) throw new NicPlanError(`${what} "${name}" contains characters that cannot be passed safely to a command (quotes, $, \\, control characters)`);
}

/** POSIX sh word: bare when it is plainly safe, else single-quoted (names never contain quotes). */
function shWord(s: string): string {
  return /^[A-Za-z0-9_.:@%+=,/-]+$/.test(s) ? s : `'${s}'`;
}

export function dottedMask(prefix: number): string {
  return intToIp(prefixToMask(prefix));
}

export function buildNicPlan(req: NicPlanRequest): NicPlanResult {
  const { platform, address, prefix } = req;
  const ifname = req.interface;
  checkName('Interface name', ifname);
  if (!isIpv4(address)) throw new NicPlanError(`"${address}" is not an IPv4 address like 192.168.77.1`);
  if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new NicPlanError(`prefix /${prefix} must be between /8 and /30`);
  const n = ipToInt(address);
  const net = parseCidr(`${intToIp((n & prefixToMask(prefix)) >>> 0)}/${prefix}`)!;
  if (n === net.network) throw new NicPlanError(`${address} is the network address of ${intToIp(net.network)}/${prefix} — pick a host address such as ${intToIp(net.network + 1)}`);
  if (n === cidrBroadcast(net)) throw new NicPlanError(`${address} is the broadcast address of ${intToIp(net.network)}/${prefix} — pick a host address such as ${intToIp(net.network + 1)}`);
  const mask = dottedMask(prefix);
  const cidr = `${address}/${prefix}`;
  const base = { interface: ifname, address, prefix };

  switch (platform) {
    case 'linux':
      if (req.networkManager && req.networkManager !== 'unmanaged') {
        if (/^connect/.test(req.networkManager)) {
          // `device modify` changes the active connection at runtime only: the saved profile is
          // untouched, and `nmcli device reapply` (or reconnecting) restores it.
          return {
            ...base,
            commands: [`sudo nmcli device modify ${shWord(ifname)} ipv4.method manual ipv4.addresses ${cidr}`],
            note: `NetworkManager manages ${ifname}, so the address is set through it (an "ip addr add" would be undone by NetworkManager's DHCP client). The change is temporary: the saved connection profile is not modified. To undo it: sudo nmcli device reapply ${shWord(ifname)}`,
          };
        }
        const con = `pocket-dhcp-${ifname}`;
        return {
          ...base,
          commands: [
            `sudo nmcli connection add type ethernet ifname ${shWord(ifname)} con-name ${shWord(con)} ipv4.method manual ipv4.addresses ${cidr} ipv6.method disabled`,
            `sudo nmcli connection up ${shWord(con)}`,
          ],
          note: `NetworkManager manages ${ifname} but has no active connection on it, so a connection profile "${con}" with the static address ${cidr} is added and activated. To undo it: sudo nmcli connection delete ${shWord(con)}`,
        };
      }
      return {
        ...base,
        commands: [`sudo ip addr add ${cidr} dev ${shWord(ifname)}`, `sudo ip link set ${shWord(ifname)} up`],
        note: `Adds ${cidr} to ${ifname} and enables the interface. The address lasts until the next reboot or until it is removed; to undo it: sudo ip addr del ${cidr} dev ${shWord(ifname)}`,
      };
    case 'darwin': {
      const service = req.macService ?? ifname;
      checkName('Network service name', service);
      return {
        ...base,
        commands: [`sudo networksetup -setmanual "${service}" ${address} ${mask}`],
        note: `Sets the network service "${service}"${service !== ifname ? ` (device ${ifname})` : ''} to a manual address ${address} with subnet mask ${mask}. This replaces its DHCP setting until changed back; to undo it: sudo networksetup -setdhcp "${service}"`,
      };
    }
    case 'win32':
      return {
        ...base,
        commands: [`netsh interface ipv4 set address name="${ifname}" static ${address} ${mask}`],
        note: `Run in an Administrator command prompt. Gives "${ifname}" the static address ${address} with subnet mask ${mask} (no gateway, so the default route stays on your other connections). To undo it: netsh interface ipv4 set address name="${ifname}" source=dhcp`,
      };
    default:
      throw new NicPlanError(`setting a static address is not supported on ${platform}; configure ${cidr} on ${ifname} with the system's network tools`);
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

/**
 * Parses `nmcli -t -f DEVICE,STATE device status` ("eth0:connected", "veth1:unmanaged") into
 * device → state. Colons in names are escaped by nmcli -t (backslash, colon).
 */
export function parseNmcliDeviceStatus(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const m = /^((?:\\.|[^:])*):(.*)$/.exec(line);
    if (!m) continue;
    const dev = m[1]!.replace(/\\(.)/g, '$1');
    const state = m[2]!.trim();
    if (dev && state) out.set(dev, state);
  }
  return out;
}
