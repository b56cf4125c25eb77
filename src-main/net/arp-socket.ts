// A packet socket that sends ARP probes and hears ARP traffic on exactly one interface (Linux).
//
// socket(AF_PACKET, SOCK_RAW, 0) — protocol 0 receives nothing yet — then bind() to a sockaddr_ll
// naming ETH_P_ARP and our ifindex: from the first frame on, only ARP of this interface is queued
// (packet(7); creating the socket with ETH_P_ARP directly would queue other interfaces' ARP until
// bind). Needs CAP_NET_RAW (root has it). Read with koffi.node.poll (libuv uv_poll on the raw fd:
// no thread, no busy loop; polled-fd.ts, shared with pktinfo-socket.ts) and non-blocking recvmsg;
// sent with sendmsg. Node's dgram/net cannot adopt a packet socket (libuv's uv_udp_open/uv_pipe_open
// expect AF_INET/AF_UNIX semantics), hence the poll handle.
//
// Other platforms: macOS would need BPF (/dev/bpf*), Windows SendARP() from iphlpapi (which *does*
// poison caches: it uses the host's own address). Neither is built; openArpSocket() rejects with
// UNSUPPORTED_PLATFORM and the server runs without conflict checks.
import { readFileSync } from 'node:fs';
import type { Ipv4 } from '../dhcp/ip.js';
import { checkIfname } from './abi.js';
import { buildArpProbe, decodeSockaddrLl, encodeSockaddrLl, ETH_P_ARP, formatMac, PACKET_OUTGOING, parseArpFrame, parseMac, SOCKADDR_LL_SIZE, type ArpMessage, type Mac } from './arp-packet.js';
import { loadLibc, type Libc, type PollCallback } from './libc.js';
import { describeErrno, NetError, type NetErrorCode } from './net-error.js';
import { closeWatchedFd, MAX_READS_PER_WAKEUP, oneBufferMsghdr, watchFd } from './polled-fd.js';

/** What conflict checks and sweeps need of the link: send a probe, hear ARP. */
export interface ArpTransport {
  readonly ifname: string;
  readonly mac: Mac;
  /** Broadcasts an RFC 5227 probe for `target`; throws a NetError when the frame cannot leave. */
  sendProbe(target: Ipv4): void;
  onArp(cb: (msg: ArpMessage) => void): () => void;
  /** False once the interface is gone (deleted or re-plugged with a new ifindex). */
  isHealthy(): boolean;
  close(): void;
}

const AF_PACKET = 17;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;

export const CAP_NET_RAW_HINT = 'ARP probes need CAP_NET_RAW: run as root (sudo), or grant it once with "sudo setcap cap_net_raw,cap_net_bind_service=+ep $(readlink -f $(which node))"';

function arpError(code: NetErrorCode, ifname: string, syscall: string, errno: number): NetError {
  const { name, text } = describeErrno(errno);
  const why =
    name === 'EPERM' || name === 'EACCES'
      ? `no permission to open a raw packet socket (${name}). ${CAP_NET_RAW_HINT}`
      : name === 'ENODEV' || name === 'ENXIO'
        ? `interface ${ifname} does not exist (any more) — see "pocket-dhcp interfaces"`
        : name === 'ENETDOWN'
          ? `interface ${ifname} is down — bring it up (ip link set ${ifname} up)`
          : name === 'EAFNOSUPPORT'
            ? 'this kernel has no packet sockets (CONFIG_PACKET)'
            : `${syscall} failed: ${text} (${name})`;
  const c: NetErrorCode = name === 'EPERM' || name === 'EACCES' || name === 'ENODEV' || name === 'ENETDOWN' ? name : code;
  return new NetError(c, `Cannot send ARP probes on ${ifname}: ${why}.`, { ifname, errno, errnoName: name, syscall });
}

/** The interface's Ethernet address, from sysfs (works with or without an IPv4 address on it). */
export function interfaceMac(ifname: string): Mac | undefined {
  try {
    const mac = readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim();
    parseMac(mac);
    return mac.toLowerCase();
  } catch {
    return undefined;
  }
}

export interface OpenArpOptions {
  platform?: NodeJS.Platform;
  /** Overrides sysfs (tests). */
  mac?: Mac;
}

/** Opens the packet socket on `ifname`. Rejects with a NetError whose message says what to do. */
export async function openArpSocket(ifname: string, opts: OpenArpOptions = {}): Promise<ArpTransport> {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'linux') {
    throw new NetError('UNSUPPORTED_PLATFORM', `ARP conflict checks are built for Linux only; on ${platform} the server runs without them.`, { ifname });
  }
  if (checkIfname(ifname) !== 'ok') throw new NetError('INVALID_NAME', `"${ifname}" is not a valid interface name — pick one from "pocket-dhcp interfaces".`, { ifname });
  const libc = await loadLibc(platform);
  const ifindex = libc.if_nametoindex(ifname);
  if (ifindex === 0) throw new NetError('ENODEV', `Cannot send ARP probes on ${ifname}: no such interface — see "pocket-dhcp interfaces".`, { ifname });
  const macText = opts.mac ?? interfaceMac(ifname);
  if (!macText || macText === '00:00:00:00:00:00') {
    throw new NetError('UNSUPPORTED_PLATFORM', `Cannot send ARP probes on ${ifname}: it has no Ethernet address (a tunnel or loopback device has no ARP).`, { ifname });
  }
  return openLinux(libc, ifname, ifindex, macText);
}

function openLinux(libc: Libc, ifname: string, ifindex: number, macText: Mac): ArpTransport {
  const fd = libc.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw arpError('UNKNOWN', ifname, 'socket(AF_PACKET)', libc.errno());
  const addr = encodeSockaddrLl(ifindex, ETH_P_ARP);
  if (libc.bind(fd, addr, addr.length) < 0) {
    const errno = libc.errno();
    libc.close(fd);
    throw arpError('UNKNOWN', ifname, 'bind(sockaddr_ll)', errno);
  }
  const mac = parseMac(macText);
  const listeners = new Set<(m: ArpMessage) => void>();
  const data = Buffer.alloc(2048);
  const name = Buffer.alloc(SOCKADDR_LL_SIZE);
  const dest = encodeSockaddrLl(ifindex, ETH_P_ARP, Uint8Array.from([255, 255, 255, 255, 255, 255]));
  let closed = false;

  const readAll = (): void => {
    for (let i = 0; i < MAX_READS_PER_WAKEUP && !closed; i++) {
      const msg = oneBufferMsghdr(name, name.length, data);
      const n = libc.recvmsg(fd, msg, MSG_DONTWAIT);
      if (n < 0) {
        const en = describeErrno(libc.errno()).name;
        if (en === 'EINTR') continue;
        return; // EAGAIN: drained; anything else (ENETDOWN) shows up as isHealthy() / a send error
      }
      const from = decodeSockaddrLl(name.subarray(0, msg.msg_namelen));
      if (from && (from.pkttype === PACKET_OUTGOING || from.ifindex !== ifindex)) continue;
      const arp = parseArpFrame(data.subarray(0, n));
      if (!arp) continue;
      for (const l of [...listeners]) l(arp);
    }
  };

  const onPoll: PollCallback = (status, ev) => {
    if (!closed && status >= 0 && ev.readable) readAll();
  };
  const poll = watchFd(libc, fd, onPoll, `the ARP socket on ${ifname}`, { ifname });

  return {
    ifname,
    mac: formatMac(mac),
    sendProbe(target) {
      if (closed) throw new NetError('CLOSED', `The ARP socket on ${ifname} is closed.`, { ifname });
      const frame = buildArpProbe(mac, target);
      const msg = oneBufferMsghdr(dest, dest.length, frame);
      for (;;) {
        if (libc.sendmsg(fd, msg, MSG_DONTWAIT) >= 0) return;
        const errno = libc.errno();
        if (describeErrno(errno).name === 'EINTR') continue;
        throw arpError('UNKNOWN', ifname, 'sendmsg', errno);
      }
    },
    onArp(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    isHealthy: () => !closed && libc.if_nametoindex(ifname) === ifindex,
    close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      closeWatchedFd(libc, fd, poll);
    },
  };
}
