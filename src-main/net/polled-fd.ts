// What the sockets we read ourselves (pktinfo-socket.ts, arp-socket.ts) share: a raw non-blocking fd
// watched by libuv through koffi.node.poll (a uv_poll: no thread, no busy loop), read and written with
// recvmsg/sendmsg of one buffer, and closed in one order. Node's dgram/net cannot adopt these fds
// (pktinfo needs the arrival interface, a packet socket is neither AF_INET nor AF_UNIX).
import type { Libc, Msghdr, PollCallback, PollHandle } from './libc.js';
import { NetError, type NetErrorDetails } from './net-error.js';

/** Reads per poll wakeup before yielding to the event loop: a flood cannot starve everything else. */
export const MAX_READS_PER_WAKEUP = 64;

/**
 * A msghdr of one buffer. koffi passes the Buffers by reference; recvmsg writes back msg_namelen,
 * msg_controllen and msg_flags into this object.
 */
export function oneBufferMsghdr(name: Buffer, namelen: number, data: Buffer, control: Buffer | null = null, controllen = 0): Msghdr {
  return {
    msg_name: name,
    msg_namelen: namelen,
    msg_iov: [{ iov_base: data, iov_len: data.length }],
    msg_iovlen: 1,
    msg_control: control,
    msg_controllen: controllen,
    msg_flags: 0,
  };
}

/**
 * Starts watching `fd` for readability. When libuv cannot watch it, closes `fd` and throws NO_FFI:
 * "Could not watch <what>: <reason>" (`what` names the socket, e.g. "the ARP socket on eth0").
 */
export function watchFd(libc: Libc, fd: number, cb: PollCallback, what: string, details: NetErrorDetails): PollHandle {
  try {
    return libc.poll(fd, { readable: true }, cb);
  } catch (e) {
    libc.close(fd);
    throw new NetError('NO_FFI', `Could not watch ${what}: ${(e as Error).message}`, { ...details, cause: e });
  }
}

/** Stops and closes the poll handle, then the fd (closed even when the handle throws). */
export function closeWatchedFd(libc: Libc, fd: number, poll: PollHandle | undefined): void {
  try {
    poll?.stop();
    poll?.close();
  } finally {
    libc.close(fd);
  }
}
