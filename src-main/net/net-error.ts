// One error type for the network layer. Every failure a technician can meet (port taken, no
// privileges, interface gone) becomes a NetError whose message says what happened and what to do;
// `code` is for programs, `errno`/`syscall` for bug reports. Message builders are pure so they can be
// unit-tested without sockets.
import { realpathSync } from 'node:fs';
import { getSystemErrorMap } from 'node:util';
import type { PortHolder } from './port-holder.js';

export type NetErrorCode =
  // Straight from the OS (same spelling as errno names, so callers can reuse their knowledge).
  | 'EACCES'
  | 'EPERM'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENODEV'
  | 'ENETDOWN'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EMSGSIZE'
  | 'ENOBUFS'
  | 'EAGAIN'
  // Ours.
  | 'NAME_TOO_LONG' // > 15 bytes: IFNAMSIZ is 16 including the NUL (Linux and Darwin)
  | 'INVALID_NAME'
  | 'INVALID_ARGUMENT'
  | 'NO_IPV4' // the interface has no usable IPv4 address to serve from
  | 'NO_FFI' // koffi's native binary could not be loaded
  | 'CLOSED'
  | 'UNSUPPORTED_PLATFORM'
  | 'UNKNOWN';

export interface NetErrorDetails {
  /** Numeric errno as the OS reported it (positive), when the failure came from a system call. */
  errno?: number;
  /** Symbolic errno (e.g. "EMFILE") — also set when `code` is 'UNKNOWN'. */
  errnoName?: string;
  /** The failing call, e.g. "bind", "setsockopt(SO_BINDTODEVICE)", "send". */
  syscall?: string;
  ifname?: string;
  port?: number;
  /** On EADDRINUSE: who holds the port, as far as we could see. */
  holders?: PortHolder[];
  cause?: unknown;
}

export class NetError extends Error {
  override readonly name = 'NetError';
  readonly code: NetErrorCode;
  readonly errno: number | undefined;
  readonly errnoName: string | undefined;
  readonly syscall: string | undefined;
  readonly ifname: string | undefined;
  readonly port: number | undefined;
  readonly holders: PortHolder[] | undefined;

  constructor(code: NetErrorCode, message: string, details: NetErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.errno = details.errno;
    this.errnoName = details.errnoName;
    this.syscall = details.syscall;
    this.ifname = details.ifname;
    this.port = details.port;
    this.holders = details.holders;
  }

  /** Plain object for IPC/JSON (Error's own properties are not enumerable). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      errno: this.errno,
      errnoName: this.errnoName,
      syscall: this.syscall,
      ifname: this.ifname,
      port: this.port,
      holders: this.holders,
    };
  }
}

export function isNetError(e: unknown): e is NetError {
  return e instanceof NetError;
}

// ---- errno helpers ----

const OS_CODES = new Set<string>([
  'EACCES', 'EPERM', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENODEV', 'ENETDOWN', 'ENETUNREACH',
  'EHOSTUNREACH', 'EMSGSIZE', 'ENOBUFS', 'EAGAIN',
]);

/**
 * Symbolic name and description of a positive errno of *this* OS. libuv's error map is keyed by
 * -errno on POSIX, so Node already carries the table; no per-platform constants needed here.
 */
export function describeErrno(errno: number): { name: string; text: string } {
  const entry = getSystemErrorMap().get(-Math.abs(errno));
  if (entry) return { name: entry[0], text: entry[1] };
  return { name: `errno ${errno}`, text: 'unknown system error' };
}

// ---- message builders (pure) ----

export interface MessageContext {
  ifname: string;
  port: number;
  platform: NodeJS.Platform;
  /** The binary that needs the capability (node or Electron); resolved through symlinks for setcap. */
  execPath?: string;
  /** Interface address the socket was bound to (Windows). */
  address?: string;
}

function where(ctx: MessageContext): string {
  return `port ${ctx.port} on ${ctx.ifname}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** setcap refuses symlinks, so name the real file; fall back to a shell expression the user can paste. */
export function realExecPath(execPath: string = process.execPath): string {
  try {
    return realpathSync(execPath);
  } catch {
    return execPath;
  }
}

function setcapHint(ctx: MessageContext, caps: string): string {
  const target = ctx.execPath ? `"${ctx.execPath}"` : '"$(readlink -f "$(which node)")"';
  return `sudo setcap ${caps}=+ep ${target}`;
}

export function noSuchInterfaceMessage(ifname: string): string {
  return `Interface "${ifname}" does not exist — pick one from "pocket-dhcp interfaces".`;
}

export function interfaceGoneMessage(ifname: string): string {
  return (
    `Interface "${ifname}" has disappeared (unplugged, disabled or renamed) — reconnect it, ` +
    `then restart the DHCP server on it.`
  );
}

export function nameTooLongMessage(ifname: string): string {
  return (
    `Interface name "${ifname}" is ${Buffer.byteLength(ifname)} bytes long; interface names have at most ` +
    `15 — pick one from "pocket-dhcp interfaces".`
  );
}

export function privilegeMessage(ctx: MessageContext): string {
  const p = ctx.port;
  switch (ctx.platform) {
    case 'linux':
      return (
        `Binding UDP port ${p} needs privileges: run as root, or grant the capability once: ` +
        setcapHint(ctx, 'cap_net_bind_service')
      );
    case 'darwin':
      return `Binding UDP port ${p} on ${ctx.ifname} was refused — run Pocket DHCP with administrator rights (sudo).`;
    case 'win32':
      return (
        `Windows refused UDP port ${p} on ${ctx.ifname}${ctx.address ? ` (${ctx.address})` : ''}: another service ` +
        `has reserved it (Internet Connection Sharing or Hyper-V's DHCP) or security software blocks it — ` +
        `stop that service, or run Pocket DHCP as Administrator.`
      );
    default:
      return `Binding UDP port ${p} needs privileges — run Pocket DHCP as root/Administrator.`;
  }
}

/** Linux before 5.7 (commit c427bfec18f2) required CAP_NET_RAW for SO_BINDTODEVICE. */
export function bindToDevicePermissionMessage(ctx: MessageContext): string {
  return (
    `Binding a socket to interface ${ctx.ifname} needs CAP_NET_RAW on this Linux kernel (older than 5.7): ` +
    `run as root, or grant the capabilities once: ${setcapHint(ctx, 'cap_net_raw,cap_net_bind_service')}`
  );
}

interface KnownServer {
  what: string;
  stop: string;
}

/** Programs that typically sit on port 67, and how a technician stops them. */
function knownServer(h: PortHolder, platform: NodeJS.Platform): KnownServer | undefined {
  const cmd = h.command ?? '';
  const cmdline = (h.cmdline ?? []).join(' ');
  if (cmd === 'dnsmasq' && /NetworkManager/.test(cmdline)) {
    return {
      what: 'DHCP server',
      stop: 'turn off connection sharing in NetworkManager for that interface ("nmcli connection down <shared connection>")',
    };
  }
  if (cmd === 'dnsmasq' && /libvirt/.test(cmdline)) {
    return { what: 'DHCP server', stop: 'stop the libvirt network that uses it ("sudo virsh net-destroy <network>")' };
  }
  const services: Record<string, string> = {
    dnsmasq: 'dnsmasq',
    dhcpd: 'isc-dhcp-server',
    'kea-dhcp4': 'kea-dhcp4-server',
    udhcpd: 'udhcpd',
    'systemd-network': 'systemd-networkd',
  };
  const svc = services[cmd];
  if (svc === 'systemd-networkd') {
    return {
      what: 'DHCP server',
      stop: 'remove DHCPServer=yes from the .network file of that interface and run "sudo networkctl reload"',
    };
  }
  if (svc) return { what: 'DHCP server', stop: `e.g. "sudo systemctl stop ${svc}"` };
  if (cmd === 'bootpd' && platform === 'darwin') {
    return { what: 'DHCP server', stop: 'turn off Internet Sharing in System Settings → General → Sharing' };
  }
  return undefined;
}

function holderLabel(h: PortHolder): string {
  if (h.pid === undefined) return `a program of user ${h.user ?? h.uid}`;
  return `${h.command ?? 'process'} (pid ${h.pid})`;
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function whoHoldsHint(ctx: MessageContext): string {
  switch (ctx.platform) {
    case 'linux':
      return `"sudo ss -ulpn 'sport = :${ctx.port}'" shows which`;
    case 'darwin':
      return `"sudo lsof -nP -iUDP:${ctx.port}" shows which`;
    case 'win32':
      return `"Get-Process -Id (Get-NetUDPEndpoint -LocalPort ${ctx.port}).OwningProcess" in PowerShell shows which`;
    default:
      return 'check which program uses it';
  }
}

/**
 * On Linux in fd mode, EADDRINUSE means a socket on the same port that is not bound to another
 * device: a wildcard listener (e.g. a system dnsmasq) or one bound to this very interface
 * (research/sockets.md, "Port sharing"). Holders bound to other devices cannot conflict, so they
 * are not blamed.
 */
export function portInUseMessage(ctx: MessageContext, holders: PortHolder[]): string {
  const relevant = holders.filter((h) => h.device === undefined || h.device === ctx.ifname);
  const withPid = relevant.filter((h) => h.pid !== undefined);
  const shown = withPid.length > 0 ? withPid : relevant;
  const head = `${capitalize(where(ctx))} is already in use by `;
  if (shown.length === 0) {
    return `${head}another program (${whoHoldsHint(ctx)}) — stop it or choose another interface.`;
  }
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const h of shown) {
    const l = holderLabel(h);
    if (!seen.has(l)) {
      seen.add(l);
      labels.push(l);
    }
  }
  const first = shown[0]!;
  const known = knownServer(first, ctx.platform);
  if (known) {
    const stop = known.stop.startsWith('e.g.') ? `stop that ${known.what} (${known.stop})` : known.stop;
    return `${head}${listWords(labels)} — ${stop} or choose another interface.`;
  }
  if (first.pid !== undefined) {
    return `${head}${listWords(labels)} — stop that program (e.g. "sudo kill ${first.pid}") or choose another interface.`;
  }
  return `${head}${listWords(labels)} (${whoHoldsHint(ctx)}) — stop it or choose another interface.`;
}

export function noIpv4Message(ifname: string, linkLocalOnly = false): string {
  if (linkLocalOnly) {
    return (
      `${ifname} only has a link-local address (169.254.x.x), which a DHCP server cannot serve from — ` +
      `set a static address first (Interface → Static address).`
    );
  }
  return `${ifname} has no IPv4 address — set a static address first (Interface → Static address).`;
}

export interface ErrnoContext extends MessageContext {
  errno: number;
  syscall: string;
  /** Set when the errno name is known (Node errors carry it; koffi gives numbers only). */
  errnoName?: string;
  /** What we were doing, for the catch-all message: "open the DHCP socket", "send a reply". */
  action: string;
  /** Destination of a failed send. */
  destination?: string;
  holders?: PortHolder[];
}

/** Turns an errno from socket setup or send into the NetError a technician can act on. */
export function netErrorFromErrno(ctx: ErrnoContext): NetError {
  const d = describeErrno(ctx.errno);
  const name = ctx.errnoName ?? d.name;
  const details: NetErrorDetails = {
    errno: ctx.errno,
    errnoName: name,
    syscall: ctx.syscall,
    ifname: ctx.ifname,
    port: ctx.port,
  };
  const isSend = ctx.syscall === 'send' || ctx.syscall === 'sendmsg';
  const dest = ctx.destination ? ` to ${ctx.destination}` : '';
  switch (name) {
    case 'EACCES':
      if (isSend) {
        return new NetError(
          'EACCES',
          `Sending${dest} on ${ctx.ifname} was refused (a broadcast without permission, or a firewall rule) — ` +
            `check the firewall allows UDP ports 67/68 on ${ctx.ifname}.`,
          details,
        );
      }
      return new NetError('EACCES', privilegeMessage(ctx), details);
    case 'EPERM':
      if (ctx.syscall === 'setsockopt(SO_BINDTODEVICE)') {
        return new NetError('EPERM', bindToDevicePermissionMessage(ctx), details);
      }
      if (isSend) {
        return new NetError(
          'EPERM',
          `A firewall rule blocked sending${dest} on ${ctx.ifname} — allow outgoing UDP from port ${ctx.port} on that interface.`,
          details,
        );
      }
      return new NetError(
        'EPERM',
        `The system refused to ${ctx.action} on ${ctx.ifname} (${ctx.syscall}: operation not permitted) — ` +
          `a security policy (SELinux, AppArmor, sandbox) may block it; run as root or check the policy.`,
        details,
      );
    case 'EADDRINUSE': {
      const holders = ctx.holders ?? [];
      return new NetError('EADDRINUSE', portInUseMessage(ctx, holders), { ...details, holders });
    }
    case 'EADDRNOTAVAIL':
      return new NetError(
        'EADDRNOTAVAIL',
        `${ctx.address ?? 'The address'} is no longer assigned to ${ctx.ifname} — set the static address again, then restart.`,
        details,
      );
    case 'ENODEV':
    case 'ENXIO':
      // During setup: the name never existed. Later (send, health check): the device the socket was
      // bound to was deleted; the binding is an ifindex and never follows a re-plugged NIC.
      return new NetError(
        'ENODEV',
        ctx.syscall.startsWith('setsockopt') || ctx.syscall === 'if_nametoindex'
          ? noSuchInterfaceMessage(ctx.ifname)
          : interfaceGoneMessage(ctx.ifname),
        details,
      );
    case 'ENETDOWN':
      return new NetError(
        'ENETDOWN',
        `${ctx.ifname} is down — connect the cable (or enable the interface), then try again.`,
        details,
      );
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new NetError(
        name,
        `No route${dest} through ${ctx.ifname} — check that ${ctx.ifname} is up and has its static address.`,
        details,
      );
    case 'EMSGSIZE':
      return new NetError(
        'EMSGSIZE',
        `A packet${dest} was too large for ${ctx.ifname} (MTU) — reduce the number of DHCP options sent.`,
        details,
      );
    case 'ENOBUFS':
    case 'EAGAIN':
    case 'EWOULDBLOCK':
      return new NetError(
        name === 'EWOULDBLOCK' ? 'EAGAIN' : name,
        `The send queue of ${ctx.ifname} is full (${name}); the packet${dest} was dropped — the client will retry.`,
        details,
      );
    default:
      return new NetError(
        OS_CODES.has(name) ? (name as NetErrorCode) : 'UNKNOWN',
        `Could not ${ctx.action} on ${ctx.ifname}: ${d.text} (${name} in ${ctx.syscall}) — ` +
          `try again; if it persists, restart Pocket DHCP and report this message.`,
        details,
      );
  }
}

/** Node's errors carry `code` ("EADDRINUSE") and a negative libuv `errno`. */
export function netErrorFromNode(err: unknown, ctx: Omit<ErrnoContext, 'errno' | 'syscall'> & { syscall?: string }): NetError {
  if (err instanceof NetError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') {
    return new NetError('CLOSED', `The DHCP socket on ${ctx.ifname} is closed — start the server again.`, {
      ifname: ctx.ifname,
      port: ctx.port,
      cause: err,
    });
  }
  const errno = typeof e?.errno === 'number' ? Math.abs(e.errno) : undefined;
  if (errno === undefined && code === undefined) {
    return new NetError(
      'UNKNOWN',
      `Could not ${ctx.action} on ${ctx.ifname}: ${e?.message ?? String(err)} — try again; if it persists, restart Pocket DHCP.`,
      { ifname: ctx.ifname, port: ctx.port, cause: err },
    );
  }
  const ne = netErrorFromErrno({
    ...ctx,
    errno: errno ?? 0,
    ...(code !== undefined ? { errnoName: code } : {}),
    syscall: ctx.syscall ?? e?.syscall ?? 'unknown',
  });
  return new NetError(ne.code, ne.message, {
    errno: ne.errno,
    errnoName: ne.errnoName,
    syscall: ne.syscall,
    ifname: ne.ifname,
    port: ne.port,
    holders: ne.holders,
    cause: err,
  });
}

export function noFfiMessage(platform: NodeJS.Platform, arch: string, reason: string): string {
  return (
    `The native socket helper (koffi) could not be loaded on ${platform}-${arch} (${reason}) — ` +
    `reinstall Pocket DHCP; a source install needs the "@koromix/koffi-${platform}-${arch}" package.`
  );
}
