// The few libc calls Node's dgram does not offer (SO_BINDTODEVICE, IP_BOUND_IF, IP_PKTINFO with
// recvmsg/sendmsg), bound through koffi. koffi is imported lazily: importing this module never
// loads a native binary, so the CLI, the tests and Windows keep working where koffi's per-platform
// package is missing (koffi 3 ships binaries as optional @koromix/koffi-<os>-<arch> packages, see
// research/sockets.md "koffi installation facts"). The first loadLibc() turns that into NO_FFI.
import type { KoffiFunc, TypeObject } from 'koffi';
import { DARWIN_ABI, linuxAbi, type SocketAbi } from './abi.js';
import { NetError, noFfiMessage } from './net-error.js';

type KoffiModule = typeof import('koffi');

export interface Iovec {
  iov_base: Buffer;
  iov_len: number;
}

/** struct msghdr as koffi marshals it; koffi passes the Buffers by reference and writes back the lengths. */
export interface Msghdr {
  msg_name: Buffer | null;
  msg_namelen: number;
  msg_iov: Iovec[];
  msg_iovlen: number;
  msg_control: Buffer | null;
  msg_controllen: number;
  msg_flags: number;
}

export interface PollEvents {
  readable: boolean;
  writable: boolean;
  disconnect: boolean;
}

/** `status` < 0 is a libuv error (e.g. UV_EBADF); then `ev` carries no readiness. */
export type PollCallback = (status: number, ev: PollEvents) => void;

export interface PollHandle {
  start(opts: { readable?: boolean; writable?: boolean }, cb: PollCallback): void;
  stop(): void;
  close(): void;
}

export interface Libc {
  readonly abi: SocketAbi;
  socket(domain: number, type: number, protocol: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  /** `len` is in/out: a one-element array, as koffi marshals `_Inout_ uint32_t *`. */
  getsockopt(fd: number, level: number, name: number, value: Buffer, len: [number]): number;
  bind(fd: number, addr: Buffer, len: number): number;
  close(fd: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  recvmsg(fd: number, msg: Msghdr, flags: number): number;
  sendmsg(fd: number, msg: Msghdr, flags: number): number;
  /** 0 when there is no such interface (errno ENXIO/ENODEV). */
  if_nametoindex(name: string): number;
  /** errno of the last call on this thread; read it right after the failing call. */
  errno(): number;
  /** uv_poll on a raw fd (libuv's loop, no thread): how the Darwin socket is read without dgram. */
  poll(fd: number, opts: { readable?: boolean; writable?: boolean }, cb: PollCallback): PollHandle;
}

const cache = new Map<string, Promise<Libc>>();

/** Loads koffi and binds libc for `platform` (linux or darwin). Rejects with NetError NO_FFI / UNSUPPORTED_PLATFORM. */
export function loadLibc(platform: NodeJS.Platform = process.platform): Promise<Libc> {
  let p = cache.get(platform);
  if (!p) {
    p = bindLibc(platform);
    cache.set(platform, p);
    p.catch(() => cache.delete(platform)); // a later attempt (after reinstall) may succeed
  }
  return p;
}

async function importKoffi(): Promise<KoffiModule> {
  try {
    const mod = (await import('koffi')) as KoffiModule & { default?: KoffiModule };
    return (mod.default ?? mod) as KoffiModule;
  } catch (e) {
    throw new NetError('NO_FFI', noFfiMessage(process.platform, process.arch, (e as Error).message ?? String(e)), {
      cause: e,
    });
  }
}

async function bindLibc(platform: NodeJS.Platform): Promise<Libc> {
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new NetError('UNSUPPORTED_PLATFORM', `Raw socket options are only used on Linux and macOS, not on ${platform}.`);
  }
  if (platform !== process.platform) {
    throw new NetError(
      'UNSUPPORTED_PLATFORM',
      `Cannot load the ${platform} C library on ${process.platform}: interface-bound sockets use the host's own libc.`,
    );
  }
  const koffi = await importKoffi();
  let lib: ReturnType<KoffiModule['load']>;
  try {
    lib = platform === 'linux' ? koffi.load('libc.so.6') : koffi.load('libSystem.B.dylib');
  } catch (e) {
    if (platform === 'linux') {
      // musl (Alpine) names it differently; koffi ships a musl build too.
      try {
        lib = koffi.load('libc.so');
      } catch {
        throw new NetError('NO_FFI', noFfiMessage(platform, process.arch, `libc: ${(e as Error).message}`), { cause: e });
      }
    } else {
      throw new NetError('NO_FFI', noFfiMessage(platform, process.arch, `libSystem: ${(e as Error).message}`), { cause: e });
    }
  }
  const abi = platform === 'linux' ? linuxAbi(koffi.sizeof('size_t') === 4 ? 4 : 8) : DARWIN_ABI;

  // Anonymous structs: koffi's type registry is global, and a named "msghdr" could clash with
  // another module's declaration.
  const sizeField = abi.msghdrSizeFields === 'size_t' ? 'size_t' : 'uint32_t';
  const iovec: TypeObject = koffi.struct({ iov_base: 'void *', iov_len: 'size_t' });
  const msghdr: TypeObject = koffi.struct({
    msg_name: 'void *',
    msg_namelen: 'uint32_t',
    msg_iov: koffi.pointer(iovec),
    msg_iovlen: abi.msghdrSizeFields === 'size_t' ? 'size_t' : 'int',
    msg_control: 'void *',
    msg_controllen: sizeField,
    msg_flags: 'int',
  });

  const f = <T extends (...args: never[]) => unknown>(fn: unknown) => fn as KoffiFunc<T>;
  const socket = f<Libc['socket']>(lib.func('int socket(int, int, int)'));
  const setsockopt = f<Libc['setsockopt']>(lib.func('int setsockopt(int, int, int, const void *, uint32_t)'));
  const getsockopt = f<Libc['getsockopt']>(lib.func('int getsockopt(int, int, int, _Out_ void *, _Inout_ uint32_t *)'));
  const bindFn = f<Libc['bind']>(lib.func('int bind(int, const void *, uint32_t)'));
  const close = f<Libc['close']>(lib.func('int close(int)'));
  const fcntl = lib.func('int fcntl(int, int, ...)');
  const recvmsg = lib.func('recvmsg', 'intptr_t', ['int', koffi.inout(koffi.pointer(msghdr)), 'int']);
  const sendmsg = lib.func('sendmsg', 'intptr_t', ['int', koffi.pointer(msghdr), 'int']);
  const ifNameToIndex = f<Libc['if_nametoindex']>(lib.func('unsigned int if_nametoindex(const char *)'));

  return {
    abi,
    socket: (d, t, p) => socket(d, t, p),
    setsockopt: (fd, level, name, value, len) => setsockopt(fd, level, name, value, len),
    getsockopt: (fd, level, name, value, len) => getsockopt(fd, level, name, value, len),
    bind: (fd, addr, len) => bindFn(fd, addr, len),
    close: (fd) => close(fd),
    // Variadic: koffi needs the type of each extra argument.
    fcntl: (fd, cmd, arg) => Number(fcntl(fd, cmd, 'int', arg)),
    recvmsg: (fd, msg, flags) => Number(recvmsg(fd, msg, flags)),
    sendmsg: (fd, msg, flags) => Number(sendmsg(fd, msg, flags)),
    if_nametoindex: (name) => ifNameToIndex(name),
    errno: () => koffi.errno(),
    poll: (fd, opts, cb) => {
      const handle = koffi.node.poll(fd, opts, normalizePollCallback(cb)) as unknown as PollHandle;
      return {
        start: (o, c) => handle.start(o, normalizePollCallback(c)),
        stop: () => handle.stop(),
        close: () => handle.close(),
      };
    },
  };
}

/**
 * koffi 3.3's poll callback is (status, events) although its index.d.ts declares (events) — the
 * API is marked "not yet documented and might change" in its changelog. Accept both shapes.
 */
function normalizePollCallback(cb: PollCallback): (...args: unknown[]) => void {
  return (a, b) => {
    if (typeof a === 'number') cb(a, (b ?? { readable: false, writable: false, disconnect: false }) as PollEvents);
    else cb(0, a as PollEvents);
  };
}
