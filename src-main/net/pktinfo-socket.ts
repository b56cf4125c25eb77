// A koffi-owned UDP socket that enforces the interface itself: every datagram is read with recvmsg
// and its IP_PKTINFO ifindex; those that arrived on another interface are dropped, and replies go
// out with sendmsg + IP_PKTINFO naming our ifindex.
//
// Why it exists: on macOS, IP_BOUND_IF scopes *egress*, but xnu's udp_input only filters ingress
// for interfaces flagged IFEF_RESTRICTED_RECV, so a wildcard socket with IP_BOUND_IF may still see
// broadcasts from every interface (research/sockets.md, macOS caveat). Node's dgram cannot tell the
// arrival interface (nodejs/node#35769), hence our own read loop, driven by koffi.node.poll (a libuv
// uv_poll: no thread, no busy loop). The research verified this exact pattern on Linux (ingress drop
// and egress pinning, even with a default route via the other interface); the integration tests run
// this module on Linux with the Linux ABI. Only the Darwin constants and struct layouts in abi.ts
// are unverified on a real Mac.
import { cmsgSpace, decodeSockaddrIn, encodePktinfoCmsg, encodeSockaddrIn, IN_PKTINFO_SIZE, parseCmsgs, pktinfoData, PKTINFO_DESTINATION, PKTINFO_IFINDEX, SOCKADDR_IN_SIZE } from './abi.js';
import type { Libc, PollHandle } from './libc.js';
import { closeWatchedFd, MAX_READS_PER_WAKEUP, oneBufferMsghdr, watchFd } from './polled-fd.js';
import { describeErrno, NetError, netErrorFromErrno, type MessageContext } from './net-error.js';
import { SocketEvents, type BoundSocket, type RemoteInfo } from './socket-base.js';

export interface PktinfoSocketOptions {
  libc: Libc;
  ifname: string;
  /** if_nametoindex(ifname), resolved by the caller (it owns the "no such interface" message). */
  ifindex: number;
  port: number;
  /** Also set IP_BOUND_IF (Darwin). Linux has no such option; its tests run with the filter alone. */
  boundIf: boolean;
  /** Receive buffer size; a DHCP message is at most a few KiB, larger datagrams are dropped as truncated. */
  maxDatagram?: number;
  platform?: NodeJS.Platform;
  execPath?: string;
  /** The server's own address: each datagram then says whether it was broadcast (IP_PKTINFO's ipi_addr, the header's destination). */
  unicastAddress?: string;
}

export interface PktinfoStats {
  received: number;
  /** Arrived on another interface: the reason this module exists. */
  droppedOtherInterface: number;
  /** No IP_PKTINFO attached or truncated datagram: dropped, because we cannot prove where it came from. */
  droppedUnverified: number;
}

const EAGAIN_NAMES = new Set(['EAGAIN', 'EWOULDBLOCK']);

interface PendingSend {
  buf: Buffer;
  port: number;
  address: string;
  resolve: () => void;
  reject: (e: NetError) => void;
}

export interface PktinfoSocket extends BoundSocket {
  stats(): PktinfoStats;
}

export function openPktinfoSocket(opts: PktinfoSocketOptions): PktinfoSocket {
  const { libc, ifname, ifindex, port } = opts;
  const abi = libc.abi;
  const ctx: MessageContext = {
    ifname,
    port,
    platform: opts.platform ?? process.platform,
    ...(opts.execPath !== undefined ? { execPath: opts.execPath } : {}),
  };
  const fail = (syscall: string, action = 'open the DHCP socket', destination?: string, errno = libc.errno()): NetError =>
    netErrorFromErrno({ ...ctx, errno, syscall, action, ...(destination ? { destination } : {}) });

  const type = abi.SOCK_DGRAM | (abi.SOCK_NONBLOCK ?? 0) | (abi.SOCK_CLOEXEC ?? 0);
  const fd = libc.socket(abi.AF_INET, type, 0);
  if (fd < 0) throw fail('socket');
  try {
    if (abi.SOCK_NONBLOCK === undefined) {
      // Darwin has no SOCK_NONBLOCK; the read loop relies on EAGAIN to know the queue is drained.
      const fl = libc.fcntl(fd, abi.F_GETFL, 0);
      if (fl < 0 || libc.fcntl(fd, abi.F_SETFL, fl | abi.O_NONBLOCK) < 0) throw fail('fcntl(O_NONBLOCK)');
      if (libc.fcntl(fd, abi.F_SETFD, abi.FD_CLOEXEC) < 0) throw fail('fcntl(FD_CLOEXEC)');
    }
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    if (libc.setsockopt(fd, abi.SOL_SOCKET, abi.SO_BROADCAST, one, 4) < 0) throw fail('setsockopt(SO_BROADCAST)');
    if (opts.boundIf) {
      if (abi.IP_BOUND_IF === undefined) {
        throw new NetError('UNSUPPORTED_PLATFORM', `IP_BOUND_IF does not exist on ${abi.os}.`, { ifname, port });
      }
      // Before bind(), like SO_BINDTODEVICE on Linux: no packet is ever queued unscoped.
      const idx = Buffer.alloc(4);
      idx.writeUInt32LE(ifindex);
      if (libc.setsockopt(fd, abi.IPPROTO_IP, abi.IP_BOUND_IF, idx, 4) < 0) throw fail('setsockopt(IP_BOUND_IF)');
    }
    if (libc.setsockopt(fd, abi.IPPROTO_IP, abi.IP_RECVPKTINFO, one, 4) < 0) throw fail('setsockopt(IP_PKTINFO)');
    // No SO_REUSEADDR: a conflicting DHCP server must show up as EADDRINUSE, not share the port silently.
    const sa = encodeSockaddrIn(abi, '0.0.0.0', port);
    if (libc.bind(fd, sa, sa.length) < 0) throw fail('bind');
  } catch (e) {
    libc.close(fd);
    throw e;
  }

  const events = new SocketEvents();
  const stats: PktinfoStats = { received: 0, droppedOtherInterface: 0, droppedUnverified: 0 };
  const data = Buffer.alloc(opts.maxDatagram ?? 16384);
  const name = Buffer.alloc(SOCKADDR_IN_SIZE);
  const control = Buffer.alloc(cmsgSpace(abi, IN_PKTINFO_SIZE) * 4); // room for pktinfo and whatever else
  const queue: PendingSend[] = [];
  // The address as the little-endian u32 of its network-order bytes, as ipi_addr is read below.
  const unicast = opts.unicastAddress !== undefined ? Buffer.from(opts.unicastAddress.split('.').map(Number)).readUInt32LE(0) : undefined;
  let closed = false;
  let poll: PollHandle | undefined;
  let wantWritable = false;

  const readAll = (): void => {
    for (let i = 0; i < MAX_READS_PER_WAKEUP && !closed; i++) {
      const msg = oneBufferMsghdr(name, name.length, data, control, control.length);
      const n = libc.recvmsg(fd, msg, abi.MSG_DONTWAIT);
      if (n < 0) {
        const errno = libc.errno();
        const en = describeErrno(errno).name;
        if (EAGAIN_NAMES.has(en)) return;
        if (en === 'EINTR') continue;
        // Report once per wakeup and yield: a pending socket error is cleared by this read, and
        // uv_poll is level-triggered, so whatever is still queued comes back on the next tick
        // instead of spinning here.
        events.error(fail('recvmsg', 'receive', undefined, errno));
        return;
      }
      if ((msg.msg_flags & (abi.MSG_TRUNC | abi.MSG_CTRUNC)) !== 0) {
        stats.droppedUnverified++;
        continue;
      }
      const info = pktinfoData(abi, parseCmsgs(abi, control, msg.msg_controllen));
      if (info === undefined) {
        stats.droppedUnverified++;
        continue;
      }
      if (info.readUInt32LE(PKTINFO_IFINDEX) !== ifindex) {
        stats.droppedOtherInterface++;
        continue;
      }
      const from = decodeSockaddrIn(abi, name.subarray(0, msg.msg_namelen));
      if (!from) {
        stats.droppedUnverified++;
        continue;
      }
      stats.received++;
      if (unicast !== undefined) (from as RemoteInfo).broadcast = info.readUInt32LE(PKTINFO_DESTINATION) !== unicast;
      events.message(Buffer.from(data.subarray(0, n)), from satisfies RemoteInfo);
    }
  };

  const trySend = (p: PendingSend): 'sent' | 'again' => {
    // IP_PKTINFO pins the egress interface per datagram; without it a broadcast follows the default
    // route (research/sockets.md, "Broadcast egress"). On macOS IP_BOUND_IF does the same; belt and braces.
    const msg = oneBufferMsghdr(encodeSockaddrIn(abi, p.address, p.port), SOCKADDR_IN_SIZE, p.buf, encodePktinfoCmsg(abi, ifindex), cmsgSpace(abi, IN_PKTINFO_SIZE));
    for (;;) {
      const n = libc.sendmsg(fd, msg, abi.MSG_DONTWAIT);
      if (n >= 0) {
        p.resolve();
        return 'sent';
      }
      const errno = libc.errno();
      const en = describeErrno(errno).name;
      if (en === 'EINTR') continue;
      if (EAGAIN_NAMES.has(en)) return 'again';
      p.reject(fail('sendmsg', 'send a reply', `${p.address}:${p.port}`, errno));
      return 'sent';
    }
  };

  const onPoll = (status: number, ev: { readable: boolean; writable: boolean }): void => {
    if (closed) return;
    if (status < 0) {
      // libuv reports poll errors as negative errno; the fd itself is broken, nothing more will come.
      events.error(fail('poll', 'receive', undefined, -status));
      return;
    }
    if (ev.readable) readAll();
    if (ev.writable) flush();
  };

  const setWritable = (on: boolean): void => {
    if (on === wantWritable || !poll || closed) return;
    wantWritable = on;
    poll.start({ readable: true, writable: on }, onPoll);
  };

  const flush = (): void => {
    while (queue.length > 0 && !closed) {
      if (trySend(queue[0]!) === 'again') {
        setWritable(true);
        return;
      }
      queue.shift();
    }
    setWritable(false);
  };

  poll = watchFd(libc, fd, onPoll, `the DHCP socket on ${ifname} for packets`, { ifname, port });

  return {
    ifname,
    port,
    mode: 'pktinfo',
    onMessage: (cb) => events.onMessage(cb),
    onError: (cb) => events.onError(cb),
    stats: () => ({ ...stats }),
    send(buf, toPort, address) {
      if (closed) {
        return Promise.reject(new NetError('CLOSED', `The DHCP socket on ${ifname} is closed — start the server again.`, { ifname, port }));
      }
      return new Promise<void>((resolve, reject) => {
        let b: Buffer;
        try {
          b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
          encodeSockaddrIn(abi, address, toPort); // validates before queueing
        } catch (e) {
          reject(new NetError('INVALID_ARGUMENT', `Cannot send to "${address}:${toPort}": ${(e as Error).message}.`, { ifname, port, cause: e }));
          return;
        }
        const p: PendingSend = { buf: b, port: toPort, address, resolve, reject };
        if (queue.length > 0 || trySend(p) === 'again') {
          queue.push(p);
          setWritable(true);
        }
      });
    },
    isHealthy() {
      // The socket is scoped by ifindex; a deleted or re-plugged interface gets a new one (or none).
      return !closed && libc.if_nametoindex(ifname) === ifindex;
    },
    close() {
      if (!closed) {
        closed = true;
        closeWatchedFd(libc, fd, poll);
        for (const p of queue.splice(0)) {
          p.reject(new NetError('CLOSED', `The DHCP socket on ${ifname} was closed before the packet could be sent.`, { ifname, port }));
        }
        events.clear();
      }
      return Promise.resolve();
    },
  };
}
