// The shape every platform's interface-bound socket presents to the DHCP service, and the small
// listener registry they share. Kept apart from bound-socket.ts so the macOS implementation
// (pktinfo-socket.ts) does not import the Linux/Windows code.
import type { NetError } from './net-error.js';

export interface RemoteInfo {
  address: string;
  port: number;
  /**
   * Whether the datagram was broadcast: true when it was not addressed to the socket's
   * `unicastAddress` (255.255.255.255, the subnet's broadcast), false when it was; absent when the
   * socket was opened without one or cannot tell (Windows). Tells REBINDING from RENEWING.
   */
  broadcast?: boolean;
}

/**
 * linux-bindtodevice: SO_BINDTODEVICE before bind(), handed to dgram (research/sockets.md, fd mode).
 * pktinfo:            koffi-owned socket read with recvmsg; packets from other interfaces are dropped
 *                     by their IP_PKTINFO ifindex, replies pinned with IP_PKTINFO (+ IP_BOUND_IF on macOS).
 * win32-address:      dgram bound to the interface's own IPv4 address.
 */
export type SocketMode = 'linux-bindtodevice' | 'pktinfo' | 'win32-address';

export interface BoundSocket {
  readonly ifname: string;
  readonly port: number;
  readonly mode: SocketMode;
  /** Register a datagram handler; returns an unsubscribe function. Only packets that arrived on `ifname`. */
  onMessage(cb: (buf: Buffer, rinfo: RemoteInfo) => void): () => void;
  /**
   * Asynchronous socket failures (not send failures: those reject send()). Without a listener they are
   * reported through process.emitWarning instead of crashing the process.
   */
  onError(cb: (err: NetError) => void): () => void;
  /** Resolves when the kernel accepted the datagram; rejects with a NetError (ENODEV after unplug, …). */
  send(buf: Uint8Array, port: number, address: string): Promise<void>;
  /**
   * False once the socket is closed or can no longer serve `ifname` — the interface was deleted or
   * re-plugged (a new ifindex; the old binding stays dead and no 'error' event ever fires, see
   * research/sockets.md "Pitfalls"). Cheap (one syscall): poll it, or call it when the interface list changes.
   */
  isHealthy(): boolean;
  /** Idempotent. */
  close(): Promise<void>;
}

export class SocketEvents {
  private readonly messageCbs = new Set<(buf: Buffer, rinfo: RemoteInfo) => void>();
  private readonly errorCbs = new Set<(err: NetError) => void>();

  onMessage(cb: (buf: Buffer, rinfo: RemoteInfo) => void): () => void {
    this.messageCbs.add(cb);
    return () => this.messageCbs.delete(cb);
  }

  onError(cb: (err: NetError) => void): () => void {
    this.errorCbs.add(cb);
    return () => this.errorCbs.delete(cb);
  }

  message(buf: Buffer, rinfo: RemoteInfo): void {
    for (const cb of this.messageCbs) {
      try {
        cb(buf, rinfo);
      } catch (e) {
        // A throwing handler must not stop delivery to the others or kill the socket's read loop.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  error(err: NetError): void {
    if (this.errorCbs.size === 0) {
      process.emitWarning(err.message, { code: err.code, detail: 'pocket-dhcp bound socket' });
      return;
    }
    for (const cb of this.errorCbs) cb(err);
  }

  clear(): void {
    this.messageCbs.clear();
    this.errorCbs.clear();
  }
}
