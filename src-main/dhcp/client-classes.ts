// Client classes: a class matches what a client says about itself — its vendor class (option 60,
// exactly or as a prefix: "MSFT 5.0", "PXEClient", "udhcp"), its user class (option 77, "iPXE"),
// its PXE architecture (option 93, RFC 4578) — and adds or overrides options for the clients it
// matches, plus the BOOTP next-server (siaddr) and boot file fields. Like Kea's client classes and
// dnsmasq's dhcp-vendorclass/dhcp-userclass/dhcp-match tags, reduced to what a lab bench needs.
//
// Precedence of a reply's options (reply-options.ts): reservation > class > subnet. (There are no
// global options apart from the subnet's.) Classes are tried in order and the FIRST match applies:
// the PXE section's classes come first (iPXE, then one per architecture), then the user's classes
// in the order configured.
//
// Matching is on raw bytes with no allocation: this runs for every reply.
import type { Ipv4 } from './ip.js';
import type { OptionMap } from './options.js';

export interface ClassPolicy {
  name: string;
  /** Option 60 bytes to match; with `vendorPrefix`, the client's value need only start with them. */
  vendorClass?: Uint8Array;
  vendorPrefix?: boolean;
  /** Option 77 bytes to match: the whole option (iPXE sends plain "iPXE") or one RFC 3004 instance. */
  userClass?: Uint8Array;
  /** Option 93 architecture types (RFC 4578 §2.1), any of which matches. */
  arch?: readonly number[];
  /** Encoded options, merged over the subnet's. */
  options: OptionMap;
  /** RFC 2131 §2 siaddr: the next server in the boot process (the TFTP server). */
  siaddr?: Ipv4;
  /** RFC 2131 §2 file: the boot file name (at most 127 bytes). */
  file?: string;
}

const VENDOR_CLASS = 60;
const USER_CLASS = 77;
const CLIENT_ARCH = 93;

function startsWith(data: Uint8Array, want: Uint8Array, off = 0): boolean {
  if (data.length - off < want.length) return false;
  for (let i = 0; i < want.length; i++) if (data[off + i] !== want[i]) return false;
  return true;
}

function equalBytes(a: Uint8Array, aOff: number, aLen: number, b: Uint8Array): boolean {
  return aLen === b.length && startsWith(a, b, aOff);
}

/** RFC 3004 §4 user classes are length-prefixed instances; iPXE sends its name bare. Either matches. */
function userClassMatches(data: Uint8Array, want: Uint8Array): boolean {
  if (equalBytes(data, 0, data.length, want)) return true;
  let p = 0;
  while (p < data.length) {
    const len = data[p]!;
    if (len === 0 || p + 1 + len > data.length) return false;
    if (equalBytes(data, p + 1, len, want)) return true;
    p += 1 + len;
  }
  return false;
}

function archMatches(data: Uint8Array, arch: readonly number[]): boolean {
  // RFC 4578 §2.1: a list of 16-bit types; a client with several (rare) matches on any.
  for (let p = 0; p + 1 < data.length; p += 2) if (arch.includes((data[p]! << 8) | data[p + 1]!)) return true;
  return false;
}

export function classMatches(c: ClassPolicy, request: OptionMap): boolean {
  if (c.vendorClass) {
    const v = request.get(VENDOR_CLASS);
    if (!v) return false;
    if (c.vendorPrefix ? !startsWith(v, c.vendorClass) : !equalBytes(v, 0, v.length, c.vendorClass)) return false;
  }
  if (c.userClass) {
    const u = request.get(USER_CLASS);
    if (!u || !userClassMatches(u, c.userClass)) return false;
  }
  if (c.arch) {
    const a = request.get(CLIENT_ARCH);
    if (!a || !archMatches(a, c.arch)) return false;
  }
  return true;
}

/** The first class that matches the request, or undefined. */
export function selectClass(classes: readonly ClassPolicy[] | undefined, request: OptionMap): ClassPolicy | undefined {
  if (!classes) return undefined;
  for (const c of classes) if (classMatches(c, request)) return c;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// PXE: RFC 4578 §2.1 processor architecture types (IANA "Processor Architecture Types" registry).

export const ARCH_NAMES: Readonly<Record<number, string>> = {
  0: 'x86 BIOS',
  1: 'NEC/PC98',
  2: 'EFI Itanium',
  3: 'DEC Alpha',
  4: 'Arc x86',
  5: 'Intel Lean Client',
  6: 'EFI IA32',
  7: 'EFI BC (x64)',
  8: 'EFI Xscale',
  9: 'EFI x86-64',
  10: 'ARM 32-bit UEFI',
  11: 'ARM 64-bit UEFI',
  15: 'x86 UEFI HTTP',
  16: 'x64 UEFI HTTP',
  18: 'ARM 32-bit UEFI HTTP',
  19: 'ARM 64-bit UEFI HTTP',
  20: 'x86 BIOS HTTP',
};

export function archName(type: number): string {
  return ARCH_NAMES[type] ?? `architecture ${type}`;
}

/**
 * The PXE section's boot files, by firmware. RFC 4578 lists 7 as "EFI BC" and 9 as "EFI x86-64";
 * firmware in the field sends 7 for x64 (the RFC's errata 4624 swaps them), so x64 matches both.
 */
export const PXE_ARCH: Readonly<Record<'bios' | 'uefiIa32' | 'uefiX64' | 'arm32' | 'arm64', readonly number[]>> = {
  bios: [0],
  uefiIa32: [6],
  uefiX64: [7, 9],
  arm32: [10],
  arm64: [11],
};

export type PxeFirmware = keyof typeof PXE_ARCH;

/** Which PXE section field serves a client architecture (undefined: none of them). */
export function firmwareOfArch(type: number): PxeFirmware | undefined {
  for (const k of Object.keys(PXE_ARCH) as PxeFirmware[]) if (PXE_ARCH[k].includes(type)) return k;
  return undefined;
}

export interface PxeSettings {
  /** TFTP server: an IPv4 address (also siaddr) or a host name (option 66 only). */
  tftpServer?: string;
  bios?: string;
  uefiIa32?: string;
  uefiX64?: string;
  arm32?: string;
  arm64?: string;
  /** Script URL for clients already running iPXE (user class "iPXE"): chain-loads it instead of iPXE again. */
  ipxeScript?: string;
}

/** A class in the configuration's JSON shape (what the PXE section generates, what a user writes). */
export interface ClassSpec {
  name: string;
  vendorClass?: string;
  match?: 'exact' | 'prefix';
  userClass?: string;
  arch?: number[];
  options?: Record<string, unknown>;
  nextServer?: string;
  bootFile?: string;
}

export const PXE_FIRMWARE_LABELS: Readonly<Record<PxeFirmware, string>> = {
  bios: 'BIOS',
  uefiIa32: 'UEFI IA32',
  uefiX64: 'UEFI x64',
  arm32: 'ARM32 UEFI',
  arm64: 'ARM64 UEFI',
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The classes the PXE section stands for, in match order: iPXE first (it also sends option 93 and
 * "PXEClient", and must get the script, not the iPXE binary again — the classic chain-load loop),
 * then one class per firmware with a boot file. Each sets option 67 and the BOOTP file field (PXE
 * ROMs read the field; RFC 2131 §2), option 66 and siaddr from the TFTP server (RFC 2131 §2: siaddr
 * is the "next server to use in bootstrap").
 */
export function pxeClasses(pxe: PxeSettings | undefined): ClassSpec[] {
  if (!pxe) return [];
  const out: ClassSpec[] = [];
  const server = pxe.tftpServer?.trim();
  const serverFields = (): Pick<ClassSpec, 'nextServer'> & { options: Record<string, unknown> } => ({
    ...(server && IPV4.test(server) ? { nextServer: server } : {}),
    options: server ? { 'tftp-server-name': server } : {},
  });
  if (pxe.ipxeScript?.trim()) {
    const url = pxe.ipxeScript.trim();
    out.push({ name: 'pxe-ipxe', userClass: 'iPXE', bootFile: url, options: { 'boot-file-name': url } });
  }
  for (const fw of Object.keys(PXE_ARCH) as PxeFirmware[]) {
    const file = pxe[fw]?.trim();
    if (!file) continue;
    const s = serverFields();
    out.push({ name: `pxe-${fw}`, arch: [...PXE_ARCH[fw]], bootFile: file, ...(s.nextServer ? { nextServer: s.nextServer } : {}), options: { ...s.options, 'boot-file-name': file } });
  }
  return out;
}
