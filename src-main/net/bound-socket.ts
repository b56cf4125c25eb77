// A UDP socket that sends and receives on exactly one interface — the heart of "never answer on a
// network the user did not choose". Node's dgram cannot bind to a device (nodejs/node#35769), and
// binding to the interface's IP stops broadcast reception on Linux, so per platform
// (research/sockets.md):
//
// Linux   "fd mode": socket(SOCK_NONBLOCK|SOCK_CLOEXEC) → SO_BROADCAST → SO_BINDTODEVICE → bind
//         0.0.0.0:port through koffi, then dgram.createSocket('udp4').bind({ fd }). The device is
//         set *before* bind(), so no datagram from another interface can ever be queued (binding
//         first and setting the device afterwards leaked 9 foreign packets in 10 starts under a
//         flood). Broadcast replies leave through the device even when the default route points
//         elsewhere. No SO_REUSEADDR, so a second DHCP server on the same port is an EADDRINUSE we
//         can name instead of a silent split of the traffic.
//         With `unicastAddress` (the server's own address) a second socket, bound to that address
//         on the same device, takes the datagrams addressed to it: Linux delivers a unicast to the
//         most specific bound socket and a broadcast only to sockets bound to the wildcard (or to
//         the broadcast address). So the socket a datagram arrived on tells a broadcast from a
//         unicast at no cost per packet — RENEWING (unicast) from REBINDING (broadcast), RFC 2131
//         §4.3.2. (IP_PKTINFO would tell too, but reading it means our own recvmsg loop through
//         koffi instead of libuv's: measured 7.4–9.0 µs of CPU per datagram against 4.6 µs.)
// macOS   IP_BOUND_IF (egress) + our own recvmsg loop that drops datagrams whose IP_PKTINFO ifindex
//         is not ours (xnu does not filter ingress for IP_BOUND_IF) — see pktinfo-socket.ts.
// Windows dgram bound to the interface's IPv4:port: Windows delivers that interface's broadcasts to
//         such a socket (Linux does not), and the bound source address picks the egress interface.
//         Not verified here (no Windows machine); see the research's Windows section.
import dgram from 'node:dgram';
import { networkInterfaces as osInterfaces } from 'node:os';
import { checkIfname, decodeIfname, encodeSockaddrIn, ifnameBuffer, IFNAMSIZ } from './abi.js';
import { serverAddressFor } from './interfaces.js';
import { loadLibc, type Libc } from './libc.js';
import {
  NetError,
  nameTooLongMessage,
  netErrorFromErrno,
  netErrorFromNode,
  noSuchInterfaceMessage,
  realExecPath,
  type MessageContext,
} from './net-error.js';
import { openPktinfoSocket } from './pktinfo-socket.js';
import { findPortHolders } from './port-holder.js';
import { SocketEvents, type BoundSocket } from './socket-base.js';

export type { BoundSocket, RemoteInfo, SocketMode } from './socket-base.js';
export { NetError, isNetError, type NetErrorCode } from './net-error.js';

export interface OpenBoundSocketOptions {
  ifname: string;
  /** 67 for a DHCP server. */
  port?: number;
  platform?: NodeJS.Platform;
  /**
   * Share the port with other SO_REUSEADDR sockets (Linux). For the client-port (68) listeners of
   * dhcp-probe.ts, which must coexist with a DHCP client such as dhclient on the machine; never
   * for the server's port 67, where a conflict must be an EADDRINUSE we can name.
   */
  reuseAddr?: boolean;
  /**
   * The server's own IPv4 address on `ifname`: received datagrams then say whether they were
   * broadcast or addressed to it (RemoteInfo.broadcast). Linux and macOS; ignored on Windows.
   */
  unicastAddress?: string;
}

/** Opens the interface-bound socket. Rejects with a NetError whose message tells the user what to do. */
export async function openBoundSocket(opts: OpenBoundSocketOptions): Promise<BoundSocket> {
  const { ifname } = opts;
  const port = opts.port ?? 67;
  const platform = opts.platform ?? process.platform;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new NetError('INVALID_ARGUMENT', `Port ${port} is not a valid UDP port (0–65535).`, { ifname, port });
  }
  if (platform === 'win32') return openWindows(ifname, port);
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new NetError(
      'UNSUPPORTED_PLATFORM',
      `Pocket DHCP cannot bind a socket to one interface on ${platform}; supported are Linux, macOS and Windows.`,
      { ifname, port },
    );
  }
  const check = checkIfname(ifname);
  if (check === 'too_long') throw new NetError('NAME_TOO_LONG', nameTooLongMessage(ifname), { ifname, port });
  if (check === 'invalid') {
    throw new NetError('INVALID_NAME', `"${ifname}" is not a valid interface name — pick one from "pocket-dhcp interfaces".`, {
      ifname,
      port,
    });
  }
  const libc = await loadLibc(platform);
  const ctx: MessageContext = { ifname, port, platform, execPath: realExecPath() };
  return platform === 'linux' ? openLinux(libc, ctx, opts.reuseAddr === true, opts.unicastAddress) : openDarwin(libc, ctx, opts.unicastAddress);
}

// ---- Linux ----

async function openLinux(libc: Libc, ctx: MessageContext, reuseAddr = false, unicastAddress?: string): Promise<BoundSocket> {
  const { ifname, port } = ctx;
  const abi = libc.abi;
  const fail = (syscall: string): NetError => {
    const errno = libc.errno(); // read before anything else can clobber it
    const holders = syscall === 'bind' ? findPortHolders(port, 'udp') : undefined;
    return netErrorFromErrno({ ...ctx, errno, syscall, action: 'open the DHCP socket', ...(holders ? { holders } : {}) });
  };
  const one = Buffer.alloc(4);
  one.writeInt32LE(1);
  const zero = Buffer.alloc(4);

  /** socket → SO_BROADCAST → [SO_REUSEADDR] → SO_BINDTODEVICE → bind(address:port); closes the fd on failure. */
  const boundFd = (address: string, reuse: boolean): number => {
    const fd = libc.socket(abi.AF_INET, abi.SOCK_DGRAM | abi.SOCK_NONBLOCK! | abi.SOCK_CLOEXEC!, 0);
    if (fd < 0) throw fail('socket');
    try {
      if (libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_BROADCAST, one, 4) < 0) throw fail('setsockopt(SO_BROADCAST)');
      if (reuse && libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_REUSEADDR, one, 4) < 0) throw fail('setsockopt(SO_REUSEADDR)');
      const dev = ifnameBuffer(ifname);
      if (libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_BINDTODEVICE!, dev, dev.length) < 0) {
        throw fail('setsockopt(SO_BINDTODEVICE)'); // ENODEV: no such interface in this namespace
      }
      const sa = encodeSockaddrIn(abi, address, port);
      if (libc.bind(fd, sa, sa.length) < 0) throw fail('bind'); // EACCES: no CAP_NET_BIND_SERVICE; EADDRINUSE
      return fd;
    } catch (e) {
      libc.close(fd);
      throw e;
    }
  };

  // The wildcard socket first, without SO_REUSEADDR: another DHCP server on the port is an EADDRINUSE.
  const fd = boundFd('0.0.0.0', reuseAddr);
  // The unicast socket: binding a second socket to the port needs SO_REUSEADDR on both while it
  // binds (it is turned off on both below, so no third server can join later).
  let ufd: number | undefined;
  if (unicastAddress !== undefined) {
    libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_REUSEADDR, one, 4);
    try {
      ufd = boundFd(unicastAddress, true);
    } catch {
      // Not fatal: served without it, a datagram's destination is unknown (RENEWING is assumed).
      ufd = undefined;
    }
  }

  let sock: dgram.Socket;
  let usock: dgram.Socket | undefined;
  try {
    sock = await adoptFd(libc, fd, ctx);
  } catch (e) {
    if (ufd !== undefined) libc.close(ufd);
    throw e;
  }
  if (ufd !== undefined) {
    try {
      usock = await adoptFd(libc, ufd, ctx);
    } catch {
      usock = undefined; // adoptFd closed it; served without it as above
    }
  }
  // libuv's uv__udp_open() turns SO_REUSEADDR *on* for every adopted fd (measured: 0 before
  // bind({fd}), 1 after). Left on, a later wildcard DHCP server that also sets SO_REUSEADDR would
  // bind silently and share our broadcasts; with it off, that server gets EADDRINUSE instead.
  if (!reuseAddr) libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_REUSEADDR, zero, 4);
  if (usock) libc.setsockopt(ufd!, abi.SOL_SOCKET, abi.SO_REUSEADDR, zero, 4);
  // SO_RCVBUFFORCE (Linux 33) passes net.core.rmem_max when we hold CAP_NET_ADMIN (root); without
  // it the call fails harmlessly and enlargeReceiveBuffer's SO_RCVBUF (capped at rmem_max) applies.
  const want = Buffer.alloc(4);
  want.writeInt32LE(RECEIVE_BUFFER_BYTES);
  if (libc.setsockopt(fd, abi.SOL_SOCKET, 33, want, 4) < 0) enlargeReceiveBuffer(sock);
  if (usock && libc.setsockopt(ufd!, abi.SOL_SOCKET, 33, want, 4) < 0) enlargeReceiveBuffer(usock);

  const events = new SocketEvents();
  let closed = false;
  const onError = (err: Error) => events.error(netErrorFromNode(err, { ...ctx, action: 'receive' }));
  if (usock) {
    // The wildcard socket gets only what was not addressed to the unicast socket's address.
    sock.on('message', (msg, rinfo) => events.message(msg, { address: rinfo.address, port: rinfo.port, broadcast: true }));
    usock.on('message', (msg, rinfo) => events.message(msg, { address: rinfo.address, port: rinfo.port, broadcast: false }));
    usock.on('error', onError);
  } else {
    sock.on('message', (msg, rinfo) => events.message(msg, { address: rinfo.address, port: rinfo.port }));
  }
  sock.on('error', onError);
  const nameBuf = Buffer.alloc(IFNAMSIZ);

  return {
    ifname,
    port,
    mode: 'linux-bindtodevice',
    onMessage: (cb) => events.onMessage(cb),
    onError: (cb) => events.onError(cb),
    // Replies leave through the wildcard socket (broadcasts need it; unicasts take its device too).
    send: (buf, toPort, address) => dgramSend(sock, buf, toPort, address, ctx, () => closed),
    isHealthy() {
      if (closed) return false;
      // The binding is an ifindex: once that device is deleted this fails with ENODEV; if a new
      // device took the name, the old index no longer maps to it (research: "Pitfalls found").
      const len: [number] = [nameBuf.length];
      if (libc.getsockopt(fd, abi.SOL_SOCKET, abi.SO_BINDTODEVICE!, nameBuf, len) < 0) return false;
      return decodeIfname(nameBuf, len[0]) === ifname;
    },
    close: async () => {
      if (usock) await closeDgram(usock, new SocketEvents(), () => undefined);
      await closeDgram(sock, events, () => (closed = true));
    },
  };
}

/** Hands a bound fd to dgram (uv_udp_open adopts it; from then on sock.close() closes it). Closes the fd on failure. */
async function adoptFd(libc: Libc, fd: number, ctx: MessageContext): Promise<dgram.Socket> {
  const sock = dgram.createSocket({ type: 'udp4' });
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      // Throws synchronously if it cannot adopt the fd.
      sock.bind({ fd }, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    return sock;
  } catch (e) {
    try {
      sock.close();
    } catch {
      // never started: the fd is still ours
    }
    libc.close(fd);
    throw netErrorFromNode(e, { ...ctx, action: 'hand the DHCP socket to Node', syscall: 'uv_udp_open' });
  }
}

/**
 * The default receive buffer (~208 KB on Linux) holds ~30 ms of traffic at 10k packets/s: a GC
 * pause or a burst of relayed DISCOVERs overflows it and the kernel drops datagrams before we can
 * read them (the benchmark saw this as UDP RcvbufErrors, and a reserved client's packets lost in a
 * flood). 4 MiB rides out pauses of a few hundred ms; the kernel caps it at net.core.rmem_max.
 */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

function enlargeReceiveBuffer(sock: dgram.Socket): void {
  try {
    sock.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch {
    // Not fatal: the default buffer still works, it only drops earlier under bursts.
  }
}

// ---- macOS ----

function openDarwin(libc: Libc, ctx: MessageContext, unicastAddress?: string): BoundSocket {
  const ifindex = libc.if_nametoindex(ctx.ifname);
  if (ifindex === 0) {
    throw new NetError('ENODEV', noSuchInterfaceMessage(ctx.ifname), {
      ifname: ctx.ifname,
      port: ctx.port,
      errno: libc.errno(),
      syscall: 'if_nametoindex',
    });
  }
  return openPktinfoSocket({
    libc,
    ifname: ctx.ifname,
    ifindex,
    port: ctx.port,
    boundIf: true,
    platform: 'darwin',
    ...(unicastAddress !== undefined ? { unicastAddress } : {}),
    ...(ctx.execPath !== undefined ? { execPath: ctx.execPath } : {}),
  });
}

// ---- Windows ----

async function openWindows(ifname: string, port: number): Promise<BoundSocket> {
  // Rejects with ENODEV / NO_IPV4 and the "set a static address first" message.
  const local = await serverAddressFor(ifname, { platform: 'win32' });
  const ctx: MessageContext = { ifname, port, platform: 'win32', address: local.address };
  const sock = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      // exclusive: this socket is not shared with cluster workers; no SO_REUSEADDR.
      sock.bind({ address: local.address, port, exclusive: true }, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    sock.setBroadcast(true);
    enlargeReceiveBuffer(sock);
  } catch (e) {
    try {
      sock.close();
    } catch {
      // not started
    }
    throw netErrorFromNode(e, { ...ctx, action: 'open the DHCP socket', syscall: 'bind', holders: [] });
  }
  const events = new SocketEvents();
  let closed = false;
  sock.on('message', (msg, rinfo) => events.message(msg, { address: rinfo.address, port: rinfo.port }));
  sock.on('error', (err) => events.error(netErrorFromNode(err, { ...ctx, action: 'receive' })));
  let healthy = true;
  let lastCheck = 0;
  return {
    ifname,
    port,
    mode: 'win32-address',
    onMessage: (cb) => events.onMessage(cb),
    onError: (cb) => events.onError(cb),
    send: (buf, toPort, address) => dgramSend(sock, buf, toPort, address, ctx, () => closed),
    isHealthy() {
      if (closed) return false;
      // Healthy while the interface still carries the address we bound to. os.networkInterfaces()
      // is a synchronous system call sequence: check at most once a second.
      const now = Date.now();
      if (now - lastCheck >= 1000) {
        lastCheck = now;
        healthy = windowsStillHas(ifname, local.address);
      }
      return healthy;
    },
    close: () => closeDgram(sock, events, () => (closed = true)),
  };
}

function windowsStillHas(ifname: string, address: string): boolean {
  return (osInterfaces()[ifname] ?? []).some((e) => e.address === address);
}

// ---- shared dgram helpers ----

function dgramSend(
  sock: dgram.Socket,
  buf: Uint8Array,
  port: number,
  address: string,
  ctx: MessageContext,
  isClosed: () => boolean,
): Promise<void> {
  if (isClosed()) {
    return Promise.reject(
      new NetError('CLOSED', `The DHCP socket on ${ctx.ifname} is closed — start the server again.`, {
        ifname: ctx.ifname,
        port: ctx.port,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) =>
      reject(netErrorFromNode(err, { ...ctx, action: 'send a reply', syscall: 'send', destination: `${address}:${port}` }));
    try {
      sock.send(buf, port, address, (err) => (err ? fail(err) : resolve()));
    } catch (e) {
      // Synchronous argument errors (bad port/address) and ERR_SOCKET_DGRAM_NOT_RUNNING.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_SOCKET_BAD_PORT' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_ARG_VALUE') {
        reject(new NetError('INVALID_ARGUMENT', `Cannot send to "${address}:${port}": ${(e as Error).message}`, {
          ifname: ctx.ifname,
          port: ctx.port,
          cause: e,
        }));
      } else {
        fail(e);
      }
    }
  });
}

function closeDgram(sock: dgram.Socket, events: SocketEvents, markClosed: () => void): Promise<void> {
  markClosed();
  return new Promise<void>((resolve) => {
    try {
      sock.close(() => resolve());
    } catch {
      resolve(); // ERR_SOCKET_DGRAM_NOT_RUNNING: closed before — close() is idempotent
    }
  }).then(() => events.clear());
}
