// Who holds a port? Used to turn EADDRINUSE into "in use by dnsmasq (pid 1234)".
//
// Linux only, and without external tools: /proc/net/udp(+udp6) lists the sockets of *our* network
// namespace (bind conflicts are per namespace) with their inode; every process's /proc/PID/fd/N is a
// symlink "socket:[inode]", which maps inodes to processes (inodes are unique machine-wide, so
// scanning all PIDs is safe even across namespaces). /proc/net/udp does not show a device binding
// (SO_BINDTODEVICE); `ss` gets it over sock_diag netlink and prints "0.0.0.0%eth1:67", so when `ss`
// is installed we ask it for that one detail. Without root, other users' /proc/PID/fd are unreadable:
// we still report address, port and owner uid.
//
// The parsers are pure and exported for tests; findPortHolders() does the I/O.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';

export type PortProto = 'udp' | 'tcp';

export interface PortHolder {
  proto: 'udp' | 'udp6' | 'tcp' | 'tcp6';
  /** Local address as bound: "0.0.0.0", "198.18.10.1", "::". */
  localAddress: string;
  port: number;
  /** Device binding (SO_BINDTODEVICE) as `ss` shows it, e.g. "eth1"; undefined = none or not visible. */
  device?: string;
  inode: number;
  uid: number;
  /** Login name of `uid`, from /etc/passwd. */
  user?: string;
  /** Undefined when the owning process could not be seen (not root). */
  pid?: number;
  /** /proc/PID/comm, e.g. "dnsmasq". */
  command?: string;
  /** /proc/PID/cmdline split at NULs. */
  cmdline?: string[];
}

export interface ProcNetEntry {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel socket state (hex in the file): 0x07 = TCP_CLOSE (unconnected UDP), 0x0A = LISTEN. */
  state: number;
  uid: number;
  inode: number;
}

const TCP_LISTEN = 0x0a;

/**
 * Decodes an address column of /proc/net/{udp,tcp}{,6}. The kernel prints each 32-bit word of the
 * network-order address with "%08X" as a *host-order* integer, so on little-endian machines the
 * bytes of every word appear reversed ("0100007F" = 127.0.0.1).
 */
export function decodeProcAddress(hex: string, hostEndianness: 'LE' | 'BE' = endianness()): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = parseInt(hex.slice(w, w + 8), 16) >>> 0;
    const be = [word >>> 24, (word >>> 16) & 255, (word >>> 8) & 255, word & 255];
    bytes.push(...(hostEndianness === 'LE' ? be.reverse() : be));
  }
  if (bytes.length === 4) return bytes.join('.');
  return formatIpv6(bytes);
}

function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // IPv4-mapped (::ffff:a.b.c.d) reads better in dotted form.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  // RFC 5952: compress the longest run (>= 2) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses the text of /proc/net/udp, udp6, tcp or tcp6. Malformed lines are skipped. */
export function parseProcNet(text: string, hostEndianness: 'LE' | 'BE' = endianness()): ProcNetEntry[] {
  const out: ProcNetEntry[] = [];
  for (const line of text.split('\n')) {
    // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ..."
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0]!)) continue;
    const [local, remote, st, , , , uid, , inode] = f.slice(1, 10);
    const [la, lp] = (local ?? '').split(':');
    const [ra, rp] = (remote ?? '').split(':');
    const localAddress = decodeProcAddress(la ?? '', hostEndianness);
    const remoteAddress = decodeProcAddress(ra ?? '', hostEndianness);
    if (localAddress === undefined || remoteAddress === undefined) continue;
    const e: ProcNetEntry = {
      localAddress,
      localPort: parseInt(lp ?? '', 16),
      remoteAddress,
      remotePort: parseInt(rp ?? '', 16),
      state: parseInt(st ?? '', 16),
      uid: Number(uid),
      inode: Number(inode),
    };
    if ([e.localPort, e.remotePort, e.state, e.uid, e.inode].some((n) => !Number.isFinite(n))) continue;
    out.push(e);
  }
  return out;
}

/** "socket:[12345]" → 12345; anything else (files, pipes, anon inodes) → undefined. */
export function parseSocketLink(link: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : undefined;
}

/** /proc/PID/cmdline: NUL-separated, usually NUL-terminated. */
export function parseCmdline(raw: string): string[] {
  const parts = raw.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export interface SsSocket {
  localAddress: string;
  port: number;
  device?: string;
  inode: number;
}

/**
 * Parses `ss -H -a -n -e -u` (or -t) output. The local column is "ADDR[%DEV]:PORT" where ADDR may be
 * "*", "0.0.0.0", "[::]" or "[fe80::1%eth0]"; a device binding shows as "%DEV" *outside* brackets.
 */
export function parseSsSockets(text: string): SsSocket[] {
  const out: SsSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const ino = f.map((t) => /^ino:(\d+)$/.exec(t)).find((m) => m !== null);
    if (!ino) continue;
    const local = f[3]!;
    const colon = local.lastIndexOf(':');
    if (colon < 0) continue;
    const port = Number(local.slice(colon + 1));
    let addr = local.slice(0, colon);
    let device: string | undefined;
    const close = addr.lastIndexOf(']');
    const pct = addr.lastIndexOf('%');
    if (pct > close) {
      device = addr.slice(pct + 1);
      addr = addr.slice(0, pct);
    }
    if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
    if (!Number.isInteger(port)) continue;
    const s: SsSocket = { localAddress: addr, port, inode: Number(ino[1]) };
    if (device !== undefined && device !== '') s.device = device;
    out.push(s);
  }
  return out;
}

/** /etc/passwd → uid → name. */
export function parsePasswd(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] && /^\d+$/.test(f[2]!)) m.set(Number(f[2]), f[0]);
  }
  return m;
}

export interface FindPortHoldersOptions {
  platform?: NodeJS.Platform;
  /** Root of procfs; tests point this at a fixture tree. */
  procRoot?: string;
  /** Ask `ss` for device bindings (default true). */
  useSs?: boolean;
  /** uid → login names; default /etc/passwd. */
  passwdFile?: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** inode → pids owning a descriptor on it, restricted to `wanted`. Unreadable PIDs are skipped. */
function pidsByInode(procRoot: string, wanted: Set<number>): Map<number, number[]> {
  const result = new Map<number, number[]>();
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((d) => /^\d+$/.test(d));
  } catch {
    return result;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process without root
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = parseSocketLink(link);
      if (inode === undefined || !wanted.has(inode)) continue;
      const list = result.get(inode) ?? [];
      if (!list.includes(Number(pid))) list.push(Number(pid));
      result.set(inode, list);
    }
  }
  return result;
}

function ssDevices(proto: PortProto, port: number): Map<number, string> {
  const m = new Map<number, string>();
  try {
    const text = execFileSync('ss', ['-H', '-a', '-n', '-e', proto === 'udp' ? '-u' : '-t', `sport = :${port}`], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    for (const s of parseSsSockets(text)) if (s.device) m.set(s.inode, s.device);
  } catch {
    // ss missing or failed: the device binding is a nicety, the rest of the answer stands.
  }
  return m;
}

/**
 * Sockets bound to local `port` in the current network namespace and the processes holding them.
 * For TCP only listening sockets count. Never throws; returns [] on non-Linux platforms.
 */
export function findPortHolders(port: number, proto: PortProto = 'udp', opts: FindPortHoldersOptions = {}): PortHolder[] {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'linux') return [];
  const procRoot = opts.procRoot ?? '/proc';
  try {
    const entries: Array<ProcNetEntry & { proto: PortHolder['proto'] }> = [];
    for (const v of ['', '6'] as const) {
      const text = readText(`${procRoot}/net/${proto}${v}`);
      if (text === undefined) continue;
      for (const e of parseProcNet(text)) {
        if (e.localPort !== port) continue;
        if (proto === 'tcp' && e.state !== TCP_LISTEN) continue;
        entries.push({ ...e, proto: `${proto}${v}` as PortHolder['proto'] });
      }
    }
    if (entries.length === 0) return [];
    const owners = pidsByInode(procRoot, new Set(entries.map((e) => e.inode)));
    const devices = opts.useSs === false ? new Map<number, string>() : ssDevices(proto, port);
    const users = parsePasswd(readText(opts.passwdFile ?? '/etc/passwd') ?? '');
    const out: PortHolder[] = [];
    for (const e of entries) {
      const base: PortHolder = {
        proto: e.proto,
        localAddress: e.localAddress,
        port: e.localPort,
        inode: e.inode,
        uid: e.uid,
      };
      const device = devices.get(e.inode);
      if (device !== undefined) base.device = device;
      const user = users.get(e.uid);
      if (user !== undefined) base.user = user;
      const pids = owners.get(e.inode) ?? [];
      if (pids.length === 0) {
        out.push(base);
        continue;
      }
      for (const pid of pids) {
        const h: PortHolder = { ...base, pid };
        const comm = readText(`${procRoot}/${pid}/comm`);
        if (comm !== undefined) h.command = comm.trim();
        const cmdline = readText(`${procRoot}/${pid}/cmdline`);
        if (cmdline !== undefined) h.cmdline = parseCmdline(cmdline);
        out.push(h);
      }
    }
    return out;
  } catch {
    return [];
  }
}
