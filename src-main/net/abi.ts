// Socket ABI facts for the two platforms where we drive BSD sockets through koffi, plus pure
// encoders/decoders for the structures we exchange with the kernel. No koffi here, so all of it is
// unit-testable anywhere.
//
// Sources: Linux uapi asm-generic/socket.h, linux/in.h, bits/socket.h (x86_64, arm64, arm, riscv,
// loongarch — not MIPS/SPARC/Alpha/PA-RISC, which number SOL_SOCKET differently). Darwin: xnu
// bsd/sys/socket.h, bsd/netinet/in.h (IP_BOUND_IF 25, IP_PKTINFO = IP_RECVPKTINFO 26, in_pktinfo
// {u_int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr}), as summarised in research/sockets.md.

export interface SocketAbi {
  readonly os: 'linux' | 'darwin';
  readonly AF_INET: number;
  readonly SOCK_DGRAM: number;
  /** Linux can create the socket non-blocking and close-on-exec in one call; Darwin needs fcntl. */
  readonly SOCK_NONBLOCK: number | undefined;
  readonly SOCK_CLOEXEC: number | undefined;
  readonly SOL_SOCKET: number;
  readonly SO_REUSEADDR: number;
  readonly SO_BROADCAST: number;
  readonly SO_BINDTODEVICE: number | undefined;
  readonly IPPROTO_IP: number;
  readonly IP_BOUND_IF: number | undefined;
  /** setsockopt to enable per-packet info on receive. */
  readonly IP_RECVPKTINFO: number;
  /** cmsg_type of the in_pktinfo control message (receive and send). */
  readonly IP_PKTINFO: number;
  readonly MSG_DONTWAIT: number;
  readonly MSG_TRUNC: number;
  readonly MSG_CTRUNC: number;
  readonly F_GETFL: number;
  readonly F_SETFL: number;
  readonly F_SETFD: number;
  readonly O_NONBLOCK: number;
  readonly FD_CLOEXEC: number;
  /** BSD sockaddrs start with a length byte (sin_len) and a one-byte family. */
  readonly sockaddrHasLen: boolean;
  /** struct cmsghdr: cmsg_len is size_t on Linux, socklen_t (u32) on Darwin. */
  readonly cmsgLenSize: 4 | 8;
  /** CMSG_ALIGN: sizeof(size_t) on Linux, 4 on Darwin (__DARWIN_ALIGN32). */
  readonly cmsgAlign: 4 | 8;
  /** msghdr.msg_iovlen / msg_controllen: size_t on Linux, int / socklen_t on Darwin. */
  readonly msghdrSizeFields: 'size_t' | 'u32';
}

export function linuxAbi(pointerSize: 4 | 8 = 8): SocketAbi {
  return {
    os: 'linux',
    AF_INET: 2,
    SOCK_DGRAM: 2,
    SOCK_NONBLOCK: 0o4000,
    SOCK_CLOEXEC: 0o2000000,
    SOL_SOCKET: 1,
    SO_REUSEADDR: 2,
    SO_BROADCAST: 6,
    SO_BINDTODEVICE: 25,
    IPPROTO_IP: 0,
    IP_BOUND_IF: undefined,
    IP_RECVPKTINFO: 8,
    IP_PKTINFO: 8,
    MSG_DONTWAIT: 0x40,
    MSG_TRUNC: 0x20,
    MSG_CTRUNC: 0x08,
    F_GETFL: 3,
    F_SETFL: 4,
    F_SETFD: 2,
    O_NONBLOCK: 0o4000,
    FD_CLOEXEC: 1,
    sockaddrHasLen: false,
    cmsgLenSize: pointerSize,
    cmsgAlign: pointerSize,
    msghdrSizeFields: 'size_t',
  };
}

export const DARWIN_ABI: SocketAbi = {
  os: 'darwin',
  AF_INET: 2,
  SOCK_DGRAM: 2,
  SOCK_NONBLOCK: undefined,
  SOCK_CLOEXEC: undefined,
  SOL_SOCKET: 0xffff,
  SO_REUSEADDR: 0x4,
  SO_BROADCAST: 0x20,
  SO_BINDTODEVICE: undefined,
  IPPROTO_IP: 0,
  IP_BOUND_IF: 25,
  IP_RECVPKTINFO: 26,
  IP_PKTINFO: 26,
  MSG_DONTWAIT: 0x80,
  MSG_TRUNC: 0x10,
  MSG_CTRUNC: 0x20,
  F_GETFL: 3,
  F_SETFL: 4,
  F_SETFD: 2,
  O_NONBLOCK: 0x4,
  FD_CLOEXEC: 1,
  sockaddrHasLen: true,
  cmsgLenSize: 4,
  cmsgAlign: 4,
  msghdrSizeFields: 'u32',
};

export const SOCKADDR_IN_SIZE = 16;
export const IN_PKTINFO_SIZE = 12;
/** IFNAMSIZ (16) includes the terminating NUL on both Linux and Darwin. */
export const IFNAMSIZ = 16;

function ipBytes(ip: string): number[] {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new RangeError(`not an IPv4 address: ${ip}`);
  }
  return p;
}

/** struct sockaddr_in for `ip:port`. */
export function encodeSockaddrIn(abi: SocketAbi, ip: string, port: number): Buffer {
  const b = Buffer.alloc(SOCKADDR_IN_SIZE);
  if (abi.sockaddrHasLen) {
    b.writeUInt8(SOCKADDR_IN_SIZE, 0);
    b.writeUInt8(abi.AF_INET, 1);
  } else {
    b.writeUInt16LE(abi.AF_INET, 0); // sa_family_t is host order; every Linux target we ship is little-endian
  }
  b.writeUInt16BE(port, 2);
  Buffer.from(ipBytes(ip)).copy(b, 4);
  return b;
}

export function decodeSockaddrIn(abi: SocketAbi, b: Buffer): { address: string; port: number } | undefined {
  if (b.length < 8) return undefined;
  const family = abi.sockaddrHasLen ? b.readUInt8(1) : b.readUInt16LE(0);
  if (family !== abi.AF_INET) return undefined;
  return { address: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port: b.readUInt16BE(2) };
}

function align(abi: SocketAbi, n: number): number {
  return (n + abi.cmsgAlign - 1) & ~(abi.cmsgAlign - 1);
}

/** CMSG_ALIGN(sizeof(struct cmsghdr)): where the data of a control message starts. */
export function cmsgHeaderSize(abi: SocketAbi): number {
  return align(abi, abi.cmsgLenSize + 8);
}

/** CMSG_SPACE(len) */
export function cmsgSpace(abi: SocketAbi, len: number): number {
  return cmsgHeaderSize(abi) + align(abi, len);
}

export interface Cmsg {
  level: number;
  type: number;
  data: Buffer;
}

/** Walks a control buffer the way CMSG_FIRSTHDR/CMSG_NXTHDR do. Stops at the first malformed header. */
export function parseCmsgs(abi: SocketAbi, control: Buffer, controlLen: number): Cmsg[] {
  const out: Cmsg[] = [];
  const hdr = cmsgHeaderSize(abi);
  const end = Math.min(controlLen, control.length);
  let off = 0;
  while (off + hdr <= end) {
    const len = abi.cmsgLenSize === 8 ? Number(control.readBigUInt64LE(off)) : control.readUInt32LE(off);
    if (len < hdr || off + len > end) break;
    const level = control.readInt32LE(off + abi.cmsgLenSize);
    const type = control.readInt32LE(off + abi.cmsgLenSize + 4);
    out.push({ level, type, data: control.subarray(off + hdr, off + len) });
    off += align(abi, len);
  }
  return out;
}

/** A control buffer holding one IP_PKTINFO message that pins the outgoing interface. */
export function encodePktinfoCmsg(abi: SocketAbi, ifindex: number): Buffer {
  const hdr = cmsgHeaderSize(abi);
  const b = Buffer.alloc(cmsgSpace(abi, IN_PKTINFO_SIZE));
  const len = hdr + IN_PKTINFO_SIZE; // CMSG_LEN; xnu's udp_check_pktinfo insists on exactly this
  if (abi.cmsgLenSize === 8) b.writeBigUInt64LE(BigInt(len), 0);
  else b.writeUInt32LE(len, 0);
  b.writeInt32LE(abi.IPPROTO_IP, abi.cmsgLenSize);
  b.writeInt32LE(abi.IP_PKTINFO, abi.cmsgLenSize + 4);
  b.writeUInt32LE(ifindex, hdr); // ipi_ifindex (host order, LE on our targets); spec_dst/addr stay 0
  return b;
}

/** ipi_ifindex of the IP_PKTINFO message, if the kernel attached one. */
export function pktinfoIfindex(abi: SocketAbi, cmsgs: Cmsg[]): number | undefined {
  return pktinfoData(abi, cmsgs)?.readUInt32LE(PKTINFO_IFINDEX);
}

/** Offsets in struct in_pktinfo { u32 ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr }. */
export const PKTINFO_IFINDEX = 0;
/** ipi_addr: the IP header's destination address (255.255.255.255 for a broadcast). */
export const PKTINFO_DESTINATION = 8;

/** The data of the in_pktinfo control message, or undefined. */
export function pktinfoData(abi: SocketAbi, cmsgs: Cmsg[]): Buffer | undefined {
  return cmsgs.find((m) => m.level === abi.IPPROTO_IP && m.type === abi.IP_PKTINFO && m.data.length >= IN_PKTINFO_SIZE)?.data;
}

/** NUL-terminated interface name for SO_BINDTODEVICE; the caller validated its length. */
export function ifnameBuffer(ifname: string): Buffer {
  return Buffer.from(`${ifname}\0`, 'utf8');
}

/** getsockopt(SO_BINDTODEVICE) returns the name with its NUL (length includes it), or "" if unbound. */
export function decodeIfname(buf: Buffer, len: number): string {
  const s = buf.subarray(0, Math.min(len, buf.length));
  const nul = s.indexOf(0);
  return (nul >= 0 ? s.subarray(0, nul) : s).toString('utf8');
}

/** Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
export function checkIfname(ifname: string): 'ok' | 'too_long' | 'invalid' {
  if (ifname.length === 0 || ifname === '.' || ifname === '..' || /[/:\s\0]/.test(ifname)) return 'invalid';
  if (Buffer.byteLength(ifname, 'utf8') > IFNAMSIZ - 1) return 'too_long';
  return 'ok';
}
