// The one option table. Every DHCPv4 option the project knows is a row here (code, name, kind);
// the row's kind drives decoding to a typed value, encoding with validation, the UI's editors and
// the exports. Options travel through the codec as raw bytes (Map<code, Uint8Array>) so unknown
// and malformed options survive a round trip untouched; typed access happens only where a value is
// needed (insomniacslk/dhcp's approach). Names follow ISC Kea's option-def names where Kea has one,
// so configurations exported for Kea use the same words.
import { formatCidr, ipToInt, intToIp, isIpv4, maskToPrefix, prefixToMask, readIp, writeIp } from './ip.js';

export type OptionKind =
  | 'ip'
  | 'mask'
  | 'ips'
  | 'ipPairs'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'i32'
  | 'bool'
  | 'u8s'
  | 'u16s'
  | 'string'
  | 'bytes'
  | 'clientId'
  | 'routes'
  | 'domains'
  | 'subOptions'
  | 'fqdn'
  | 'empty';

export interface SubOption {
  code: number;
  data: Uint8Array;
}

export interface ClasslessRoute {
  /** "a.b.c.d/n" */
  destination: string;
  router: string;
}

export interface ClientFqdn {
  /** RFC 4702 §2.1 flags: S=1, O=2, E=4, N=8. */
  flags: number;
  rcode1: number;
  rcode2: number;
  name: string;
}

export interface ClientIdentifier {
  /** 0 = opaque, 1 = Ethernet (then id is a MAC), 255 = RFC 4361 IAID+DUID. */
  type: number;
  id: Uint8Array;
}

/** The TypeScript type of a decoded value, per kind. */
export interface KindValues {
  ip: string;
  mask: string;
  ips: string[];
  ipPairs: [string, string][];
  u8: number;
  u16: number;
  u32: number;
  i32: number;
  bool: boolean;
  u8s: number[];
  u16s: number[];
  string: string;
  bytes: Uint8Array;
  clientId: ClientIdentifier;
  routes: ClasslessRoute[];
  domains: string[];
  subOptions: SubOption[];
  fqdn: ClientFqdn;
  empty: true;
}

export interface OptionDef {
  code: number;
  name: string;
  kind: OptionKind;
  /** Short human description, shown in the UI's option picker. */
  label: string;
  /** Names of sub-options for kind 'subOptions' (option 82, 43). */
  subNames?: Readonly<Record<number, string>>;
}

const RELAY_SUBOPTIONS = {
  1: 'circuit-id',
  2: 'remote-id',
  4: 'docsis-device-class',
  5: 'link-selection',
  6: 'subscriber-id',
  7: 'radius-attributes',
  8: 'authentication',
  9: 'vendor-specific',
  10: 'relay-flags',
  11: 'server-id-override',
  12: 'relay-id',
  151: 'vss',
  152: 'vss-control',
} as const;

// RFC 2132 unless noted. `as const` so typed accessors can infer the value type from the code.
export const OPTION_TABLE = [
  { code: 1, name: 'subnet-mask', kind: 'mask', label: 'Subnet mask' },
  { code: 2, name: 'time-offset', kind: 'i32', label: 'Time offset from UTC (s)' },
  { code: 3, name: 'routers', kind: 'ips', label: 'Default gateway(s)' },
  { code: 4, name: 'time-servers', kind: 'ips', label: 'Time servers (RFC 868)' },
  { code: 5, name: 'name-servers', kind: 'ips', label: 'IEN 116 name servers' },
  { code: 6, name: 'domain-name-servers', kind: 'ips', label: 'DNS servers' },
  { code: 7, name: 'log-servers', kind: 'ips', label: 'Log servers' },
  { code: 8, name: 'cookie-servers', kind: 'ips', label: 'Cookie servers' },
  { code: 9, name: 'lpr-servers', kind: 'ips', label: 'LPR servers' },
  { code: 10, name: 'impress-servers', kind: 'ips', label: 'Impress servers' },
  { code: 11, name: 'resource-location-servers', kind: 'ips', label: 'Resource location servers' },
  { code: 12, name: 'host-name', kind: 'string', label: 'Host name' },
  { code: 13, name: 'boot-size', kind: 'u16', label: 'Boot file size (512-byte blocks)' },
  { code: 14, name: 'merit-dump', kind: 'string', label: 'Merit dump file' },
  { code: 15, name: 'domain-name', kind: 'string', label: 'Domain name' },
  { code: 16, name: 'swap-server', kind: 'ip', label: 'Swap server' },
  { code: 17, name: 'root-path', kind: 'string', label: 'Root path' },
  { code: 18, name: 'extensions-path', kind: 'string', label: 'Extensions path' },
  { code: 19, name: 'ip-forwarding', kind: 'bool', label: 'IP forwarding' },
  { code: 20, name: 'non-local-source-routing', kind: 'bool', label: 'Non-local source routing' },
  { code: 21, name: 'policy-filter', kind: 'ipPairs', label: 'Policy filter (address, mask)' },
  { code: 22, name: 'max-dgram-reassembly', kind: 'u16', label: 'Max datagram reassembly size' },
  { code: 23, name: 'default-ip-ttl', kind: 'u8', label: 'Default IP TTL' },
  { code: 24, name: 'path-mtu-aging-timeout', kind: 'u32', label: 'Path MTU aging timeout (s)' },
  { code: 25, name: 'path-mtu-plateau-table', kind: 'u16s', label: 'Path MTU plateau table' },
  { code: 26, name: 'interface-mtu', kind: 'u16', label: 'Interface MTU' },
  { code: 27, name: 'all-subnets-local', kind: 'bool', label: 'All subnets are local' },
  { code: 28, name: 'broadcast-address', kind: 'ip', label: 'Broadcast address' },
  { code: 29, name: 'perform-mask-discovery', kind: 'bool', label: 'Perform mask discovery' },
  { code: 30, name: 'mask-supplier', kind: 'bool', label: 'Mask supplier' },
  { code: 31, name: 'router-discovery', kind: 'bool', label: 'Perform router discovery' },
  { code: 32, name: 'router-solicitation-address', kind: 'ip', label: 'Router solicitation address' },
  { code: 33, name: 'static-routes', kind: 'ipPairs', label: 'Static routes (destination, router)' },
  { code: 34, name: 'trailer-encapsulation', kind: 'bool', label: 'Trailer encapsulation' },
  { code: 35, name: 'arp-cache-timeout', kind: 'u32', label: 'ARP cache timeout (s)' },
  { code: 36, name: 'ieee802-3-encapsulation', kind: 'bool', label: 'IEEE 802.3 encapsulation' },
  { code: 37, name: 'default-tcp-ttl', kind: 'u8', label: 'Default TCP TTL' },
  { code: 38, name: 'tcp-keepalive-interval', kind: 'u32', label: 'TCP keepalive interval (s)' },
  { code: 39, name: 'tcp-keepalive-garbage', kind: 'bool', label: 'TCP keepalive garbage' },
  { code: 40, name: 'nis-domain', kind: 'string', label: 'NIS domain' },
  { code: 41, name: 'nis-servers', kind: 'ips', label: 'NIS servers' },
  { code: 42, name: 'ntp-servers', kind: 'ips', label: 'NTP servers' },
  { code: 43, name: 'vendor-encapsulated-options', kind: 'bytes', label: 'Vendor-specific information' },
  { code: 44, name: 'netbios-name-servers', kind: 'ips', label: 'NetBIOS (WINS) name servers' },
  { code: 45, name: 'netbios-dd-server', kind: 'ips', label: 'NetBIOS datagram distribution servers' },
  { code: 46, name: 'netbios-node-type', kind: 'u8', label: 'NetBIOS node type' },
  { code: 47, name: 'netbios-scope', kind: 'string', label: 'NetBIOS scope' },
  { code: 48, name: 'font-servers', kind: 'ips', label: 'X font servers' },
  { code: 49, name: 'x-display-manager', kind: 'ips', label: 'X display managers' },
  { code: 50, name: 'dhcp-requested-address', kind: 'ip', label: 'Requested IP address' },
  { code: 51, name: 'dhcp-lease-time', kind: 'u32', label: 'Lease time (s)' },
  { code: 52, name: 'dhcp-option-overload', kind: 'u8', label: 'Option overload' },
  { code: 53, name: 'dhcp-message-type', kind: 'u8', label: 'DHCP message type' },
  { code: 54, name: 'dhcp-server-identifier', kind: 'ip', label: 'Server identifier' },
  { code: 55, name: 'dhcp-parameter-request-list', kind: 'u8s', label: 'Parameter request list' },
  { code: 56, name: 'dhcp-message', kind: 'string', label: 'Message' },
  { code: 57, name: 'dhcp-max-message-size', kind: 'u16', label: 'Maximum DHCP message size' },
  { code: 58, name: 'dhcp-renewal-time', kind: 'u32', label: 'Renewal time T1 (s)' },
  { code: 59, name: 'dhcp-rebinding-time', kind: 'u32', label: 'Rebinding time T2 (s)' },
  { code: 60, name: 'vendor-class-identifier', kind: 'string', label: 'Vendor class identifier' },
  { code: 61, name: 'dhcp-client-identifier', kind: 'clientId', label: 'Client identifier' },
  { code: 62, name: 'nwip-domain-name', kind: 'string', label: 'NetWare/IP domain' },
  { code: 63, name: 'nwip-suboptions', kind: 'bytes', label: 'NetWare/IP sub-options' },
  { code: 64, name: 'nisplus-domain-name', kind: 'string', label: 'NIS+ domain' },
  { code: 65, name: 'nisplus-servers', kind: 'ips', label: 'NIS+ servers' },
  { code: 66, name: 'tftp-server-name', kind: 'string', label: 'TFTP server name' },
  { code: 67, name: 'boot-file-name', kind: 'string', label: 'Boot file name' },
  { code: 68, name: 'mobile-ip-home-agent', kind: 'ips', label: 'Mobile IP home agents' },
  { code: 69, name: 'smtp-server', kind: 'ips', label: 'SMTP servers' },
  { code: 70, name: 'pop-server', kind: 'ips', label: 'POP3 servers' },
  { code: 71, name: 'nntp-server', kind: 'ips', label: 'NNTP servers' },
  { code: 72, name: 'www-server', kind: 'ips', label: 'WWW servers' },
  { code: 73, name: 'finger-server', kind: 'ips', label: 'Finger servers' },
  { code: 74, name: 'irc-server', kind: 'ips', label: 'IRC servers' },
  { code: 75, name: 'streettalk-server', kind: 'ips', label: 'StreetTalk servers' },
  { code: 76, name: 'streettalk-directory-assistance-server', kind: 'ips', label: 'StreetTalk directory assistance' },
  { code: 77, name: 'user-class', kind: 'bytes', label: 'User class (RFC 3004)' },
  { code: 78, name: 'slp-directory-agent', kind: 'bytes', label: 'SLP directory agent (RFC 2610)' },
  { code: 79, name: 'slp-service-scope', kind: 'bytes', label: 'SLP service scope (RFC 2610)' },
  { code: 80, name: 'rapid-commit', kind: 'empty', label: 'Rapid commit (RFC 4039)' },
  { code: 81, name: 'fqdn', kind: 'fqdn', label: 'Client FQDN (RFC 4702)' },
  { code: 82, name: 'dhcp-agent-options', kind: 'subOptions', label: 'Relay agent information (RFC 3046)', subNames: RELAY_SUBOPTIONS },
  { code: 85, name: 'nds-servers', kind: 'ips', label: 'NDS servers (RFC 2241)' },
  { code: 86, name: 'nds-tree-name', kind: 'string', label: 'NDS tree name' },
  { code: 87, name: 'nds-context', kind: 'string', label: 'NDS context' },
  { code: 88, name: 'bcms-controller-names', kind: 'domains', label: 'BCMCS controller names (RFC 4280)' },
  { code: 89, name: 'bcms-controller-address', kind: 'ips', label: 'BCMCS controller addresses' },
  { code: 90, name: 'authenticate', kind: 'bytes', label: 'Authentication (RFC 3118)' },
  { code: 91, name: 'client-last-transaction-time', kind: 'u32', label: 'Client last transaction time (RFC 4388)' },
  { code: 92, name: 'associated-ip', kind: 'ips', label: 'Associated IPs (RFC 4388)' },
  { code: 93, name: 'client-system', kind: 'u16s', label: 'Client system architecture (RFC 4578)' },
  { code: 94, name: 'client-ndi', kind: 'bytes', label: 'Client network device interface (RFC 4578)' },
  { code: 97, name: 'uuid-guid', kind: 'bytes', label: 'Client machine UUID (RFC 4578)' },
  { code: 98, name: 'uap-servers', kind: 'string', label: 'User authentication URLs (RFC 2485)' },
  { code: 99, name: 'geoconf-civic', kind: 'bytes', label: 'Civic location (RFC 4776)' },
  { code: 100, name: 'pcode', kind: 'string', label: 'POSIX time zone (RFC 4833)' },
  { code: 101, name: 'tcode', kind: 'string', label: 'TZ database time zone (RFC 4833)' },
  { code: 108, name: 'v6-only-preferred', kind: 'u32', label: 'IPv6-only preferred (RFC 8925)' },
  { code: 114, name: 'v4-captive-portal', kind: 'string', label: 'Captive portal URI (RFC 8910)' },
  { code: 116, name: 'auto-config', kind: 'u8', label: 'Auto-configure (RFC 2563)' },
  { code: 117, name: 'name-service-search', kind: 'u16s', label: 'Name service search (RFC 2937)' },
  { code: 118, name: 'subnet-selection', kind: 'ip', label: 'Subnet selection (RFC 3011)' },
  { code: 119, name: 'domain-search', kind: 'domains', label: 'Domain search list (RFC 3397)' },
  { code: 120, name: 'sip-server', kind: 'bytes', label: 'SIP servers (RFC 3361)' },
  { code: 121, name: 'classless-static-route', kind: 'routes', label: 'Classless static routes (RFC 3442)' },
  { code: 124, name: 'vivco-suboptions', kind: 'bytes', label: 'Vendor-identifying vendor class (RFC 3925)' },
  { code: 125, name: 'vivso-suboptions', kind: 'bytes', label: 'Vendor-identifying vendor options (RFC 3925)' },
  { code: 138, name: 'capwap-ac-v4', kind: 'ips', label: 'CAPWAP access controllers (RFC 5417)' },
  { code: 150, name: 'tftp-server-address', kind: 'ips', label: 'TFTP server addresses (Cisco, RFC 5859)' },
  { code: 209, name: 'pxelinux-configfile', kind: 'string', label: 'PXELINUX config file (RFC 5071)' },
  { code: 210, name: 'pxelinux-pathprefix', kind: 'string', label: 'PXELINUX path prefix (RFC 5071)' },
  { code: 211, name: 'pxelinux-reboottime', kind: 'u32', label: 'PXELINUX reboot time (RFC 5071)' },
  // A site-specific code (224-254, RFC 3942) that Avaya deskphones read as "MCIPADD=…,MCPORT=1719,HTTPSRVR=…"
  // (Avaya 9600 Series IP Deskphones Administrator Guide, "Configuring DHCP Option 242").
  { code: 242, name: 'avaya-ip-phone', kind: 'string', label: 'Avaya IP phone settings (site-specific)' },
  { code: 249, name: 'ms-classless-static-route', kind: 'routes', label: 'Classless static routes (Microsoft)' },
  { code: 252, name: 'wpad-url', kind: 'string', label: 'Web proxy auto-discovery URL' },
] as const satisfies readonly OptionDef[];

type Table = typeof OPTION_TABLE;
export type KnownOptionCode = Table[number]['code'];
export type KnownOptionName = Table[number]['name'];
/** The decoded value type of a known option code. */
type KindOfCode<C extends KnownOptionCode> = Extract<Table[number], { code: C }> extends { kind: infer K extends OptionKind } ? K : never;
export type OptionValue<C extends KnownOptionCode> = KindValues[KindOfCode<C>];

/** Raw options as they travel through the codec: code → data, in wire order. */
export type OptionMap = Map<number, Uint8Array>;

const BY_CODE = new Map<number, OptionDef>();
const BY_NAME = new Map<string, OptionDef>();
for (const d of OPTION_TABLE as readonly OptionDef[]) {
  BY_CODE.set(d.code, d);
  BY_NAME.set(d.name, d);
}

/** Looks an option up by code, by table name, or by a numeric string ("150"). */
export function optionDef(codeOrName: number | string): OptionDef | undefined {
  if (typeof codeOrName === 'number') return BY_CODE.get(codeOrName);
  if (/^\d{1,3}$/.test(codeOrName)) return BY_CODE.get(Number(codeOrName));
  return BY_NAME.get(codeOrName.toLowerCase());
}

export function optionName(code: number): string {
  return BY_CODE.get(code)?.name ?? `option-${code}`;
}

/** Every known definition, in code order (for pickers and docs). */
export function allOptionDefs(): readonly OptionDef[] {
  return OPTION_TABLE;
}

// Message types, RFC 2132 §9.6 (+ RFC 4388 lease query, 6926 bulk, 7724 active).
export const MessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

const MESSAGE_TYPE_NAMES: Record<number, string> = {
  1: 'DHCPDISCOVER',
  2: 'DHCPOFFER',
  3: 'DHCPREQUEST',
  4: 'DHCPDECLINE',
  5: 'DHCPACK',
  6: 'DHCPNAK',
  7: 'DHCPRELEASE',
  8: 'DHCPINFORM',
  10: 'DHCPLEASEQUERY',
  11: 'DHCPLEASEUNASSIGNED',
  12: 'DHCPLEASEUNKNOWN',
  13: 'DHCPLEASEACTIVE',
};

export function messageTypeName(t: number | undefined): string {
  return t === undefined ? 'BOOTP' : (MESSAGE_TYPE_NAMES[t] ?? `DHCP-type-${t}`);
}

// ---------------------------------------------------------------------------------------------
// Values: decode (bytes → typed) and encode (typed → bytes, validated)

/**
 * Why a value was refused, by code and the values in the sentence, for the UI's other languages
 * (its catalog's optErr.<code>; the English entries mirror `detail` exactly). `inner` is the
 * reason inside a wrapper ("sub-option 1: …"), worded into its {detail}.
 */
export interface OptionErrorReason {
  code: string;
  params?: Record<string, string>;
  inner?: OptionErrorReason;
}

/** A value that does not fit its option's kind: bad length on decode, out of range on encode. */
export class OptionValueError extends Error {
  override name = 'OptionValueError';
  constructor(
    readonly code: number,
    /** The sentence after "option N (name): ". */
    readonly detail: string,
    /** Set for what a person can type wrong (the encoders); absent for wire decoding. */
    readonly reason?: OptionErrorReason,
  ) {
    super(`option ${code} (${optionName(code)}): ${detail}`);
  }
}

function fail(code: number, detail: string, reason?: OptionErrorReason): never {
  throw new OptionValueError(code, detail, reason);
}

/**
 * Bytes → text, one character per byte (ISO-8859-1), the inverse of Buffer.from(text, 'latin1').
 * Not TextDecoder('latin1'): by the WHATWG Encoding spec that label means windows-1252, which
 * maps 0x80–0x9f elsewhere (and newer Node versions follow the spec), breaking round trips.
 */
export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** NVT ASCII per RFC 2132, but many clients send UTF-8 host names: decode as UTF-8, drop trailing NULs. */
function decodeText(data: Uint8Array): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return utf8.decode(data.subarray(0, end));
}

function u16(data: Uint8Array, off: number): number {
  return (data[off]! << 8) | data[off + 1]!;
}

function u32(data: Uint8Array, off: number): number {
  return ((data[off]! << 24) | (data[off + 1]! << 16) | (data[off + 2]! << 8) | data[off + 3]!) >>> 0;
}

function requireLength(code: number, data: Uint8Array, exact?: number, multiple?: number, min = 0): void {
  if (exact !== undefined && data.length !== exact) fail(code, `length ${data.length}, expected ${exact}`);
  if (multiple !== undefined && data.length % multiple !== 0) fail(code, `length ${data.length} is not a multiple of ${multiple}`);
  if (data.length < min) fail(code, `length ${data.length}, expected at least ${min}`);
}

/** RFC 1035 §4.1.4 names with compression pointers, as used by option 119 (RFC 3397 §2) and 81 (E flag). */
export function decodeDomainList(code: number, data: Uint8Array): string[] {
  const names: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    const labels: string[] = [];
    let p = pos;
    let jumped = false;
    let hops = 0;
    for (;;) {
      if (p >= data.length) fail(code, `name runs past the end at offset ${p}`);
      const len = data[p]!;
      if (len === 0) {
        p++;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (p + 1 >= data.length) fail(code, `truncated compression pointer at offset ${p}`);
        const target = ((len & 0x3f) << 8) | data[p + 1]!;
        // Pointers may only point backwards; a forward or self pointer could loop forever.
        if (target >= p) fail(code, `compression pointer at offset ${p} does not point backwards`);
        if (++hops > 128) fail(code, 'too many compression pointers');
        if (!jumped) pos = p + 2;
        jumped = true;
        p = target;
        continue;
      }
      if (len > 63) fail(code, `label length ${len} at offset ${p}`);
      if (p + 1 + len > data.length) fail(code, `label runs past the end at offset ${p}`);
      labels.push(decodeLatin1(data.subarray(p + 1, p + 1 + len)));
      p += 1 + len;
    }
    if (!jumped) pos = p;
    names.push(labels.join('.'));
  }
  return names;
}

/**
 * RFC 4702 §2.3.1: one name in canonical wire format, uncompressed. A fully qualified name ends
 * with the root label; a partial name (just a host name, as dhcpcd 9 sends: see the
 * dhcpcd-*-fqdn fixtures) simply ends with the data.
 */
function decodeFqdnWire(code: number, data: Uint8Array): string {
  const labels: string[] = [];
  let p = 0;
  while (p < data.length) {
    const len = data[p]!;
    if (len === 0) {
      if (p + 1 !== data.length) fail(code, `data after the end of the name at offset ${p + 1}`);
      break;
    }
    if (len > 63) fail(code, `label length ${len} at offset ${p} (compression is not allowed here)`);
    if (p + 1 + len > data.length) fail(code, `label runs past the end at offset ${p}`);
    labels.push(decodeLatin1(data.subarray(p + 1, p + 1 + len)));
    p += 1 + len;
  }
  return labels.join('.');
}

const LABEL_RE = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function checkDomain(code: number, name: string): string[] {
  const trimmed = name.replace(/\.$/, '');
  if (trimmed === '') fail(code, 'a domain name must not be empty', { code: 'domain-empty' });
  const labels = trimmed.split('.');
  for (const l of labels) if (!LABEL_RE.test(l)) fail(code, `"${name}" is not a valid domain name (label "${l}")`, { code: 'domain-label', params: { name, label: l } });
  if (trimmed.length > 253) fail(code, `"${name}" is longer than 253 characters`, { code: 'domain-long', params: { name } });
  return labels;
}

/** Encodes names with suffix compression (RFC 3397 §2 allows it; it keeps long search lists short). */
export function encodeDomainList(code: number, names: readonly string[]): Uint8Array {
  const out: number[] = [];
  const suffixes = new Map<string, number>();
  for (const name of names) {
    const labels = checkDomain(code, name);
    let i = 0;
    for (; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = suffixes.get(suffix);
      if (at !== undefined) {
        out.push(0xc0 | (at >> 8), at & 0xff);
        break;
      }
      if (out.length < 0x3fff) suffixes.set(suffix, out.length);
      out.push(labels[i]!.length, ...Buffer.from(labels[i]!, 'latin1'));
    }
    if (i === labels.length) out.push(0);
  }
  return Uint8Array.from(out);
}

function decodeByKind(code: number, kind: OptionKind, data: Uint8Array): unknown {
  switch (kind) {
    case 'ip':
      requireLength(code, data, 4);
      return readIp(data, 0);
    case 'mask': {
      requireLength(code, data, 4);
      return readIp(data, 0);
    }
    case 'ips': {
      requireLength(code, data, undefined, 4, 4);
      const ips: string[] = [];
      for (let i = 0; i < data.length; i += 4) ips.push(readIp(data, i));
      return ips;
    }
    case 'ipPairs': {
      requireLength(code, data, undefined, 8, 8);
      const pairs: [string, string][] = [];
      for (let i = 0; i < data.length; i += 8) pairs.push([readIp(data, i), readIp(data, i + 4)]);
      return pairs;
    }
    case 'u8':
      requireLength(code, data, 1);
      return data[0]!;
    case 'u16':
      requireLength(code, data, 2);
      return u16(data, 0);
    case 'u32':
      requireLength(code, data, 4);
      return u32(data, 0);
    case 'i32':
      requireLength(code, data, 4);
      return u32(data, 0) | 0;
    case 'bool':
      requireLength(code, data, 1);
      return data[0] !== 0;
    case 'u8s':
      return Array.from(data);
    case 'u16s': {
      requireLength(code, data, undefined, 2, 2);
      const list: number[] = [];
      for (let i = 0; i < data.length; i += 2) list.push(u16(data, i));
      return list;
    }
    case 'string':
      // RFC 2132 §2: text options "should not" be NUL-terminated, but many are; tolerate it.
      requireLength(code, data, undefined, undefined, 1);
      return decodeText(data);
    case 'bytes':
      return data.slice();
    case 'clientId':
      // RFC 2132 §9.14: type octet plus at least one octet of identifier.
      requireLength(code, data, undefined, undefined, 2);
      return { type: data[0]!, id: data.slice(1) };
    case 'routes':
      return decodeRoutes(code, data);
    case 'domains':
      return decodeDomainList(code, data);
    case 'subOptions':
      return decodeSubOptions(code, data);
    case 'fqdn': {
      requireLength(code, data, undefined, undefined, 3);
      const flags = data[0]!;
      const rest = data.subarray(3);
      // RFC 4702 §2.3.1: E bit set → canonical wire format, else (deprecated) ASCII.
      const name = flags & 0x04 ? decodeFqdnWire(code, rest) : decodeText(rest);
      return { flags, rcode1: data[1]!, rcode2: data[2]!, name };
    }
    case 'empty':
      requireLength(code, data, 0);
      return true;
  }
}

function decodeRoutes(code: number, data: Uint8Array): ClasslessRoute[] {
  // RFC 3442 §2: width octet, then ceil(width/8) significant octets of destination, then router.
  const routes: ClasslessRoute[] = [];
  let p = 0;
  while (p < data.length) {
    const width = data[p]!;
    if (width > 32) fail(code, `prefix width ${width} at offset ${p}`);
    const sig = Math.ceil(width / 8);
    if (p + 1 + sig + 4 > data.length) fail(code, `route at offset ${p} runs past the end`);
    const dest = [0, 0, 0, 0];
    for (let i = 0; i < sig; i++) dest[i] = data[p + 1 + i]!;
    const network = (ipToInt(dest.join('.')) & prefixToMask(width)) >>> 0;
    routes.push({ destination: `${intToIp(network)}/${width}`, router: readIp(data, p + 1 + sig) });
    p += 1 + sig + 4;
  }
  return routes;
}

/** RFC 3046 §2.0 (option 82) and RFC 2132 §8.4 (option 43): code, length, data TLVs. */
export function decodeSubOptions(code: number, data: Uint8Array): SubOption[] {
  const subs: SubOption[] = [];
  let p = 0;
  while (p < data.length) {
    if (p + 2 > data.length) fail(code, `sub-option header truncated at offset ${p}`);
    const len = data[p + 1]!;
    if (p + 2 + len > data.length) fail(code, `sub-option ${data[p]} at offset ${p} runs past the end`);
    subs.push({ code: data[p]!, data: data.slice(p + 2, p + 2 + len) });
    p += 2 + len;
  }
  return subs;
}

export function encodeSubOptions(code: number, subs: readonly SubOption[]): Uint8Array {
  const parts: number[] = [];
  for (const s of subs) {
    if (!Number.isInteger(s.code) || s.code < 0 || s.code > 255) fail(code, `sub-option code ${s.code} is not 0–255`);
    if (s.data.length > 255) fail(code, `sub-option ${s.code} is longer than 255 bytes`);
    parts.push(s.code, s.data.length, ...s.data);
  }
  return Uint8Array.from(parts);
}

function checkIp(code: number, v: unknown): string {
  if (typeof v !== 'string' || !isIpv4(v)) fail(code, `"${String(v)}" is not an IPv4 address`, { code: 'not-ipv4', params: { value: String(v) } });
  return v;
}

function checkInt(code: number, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(code, `${String(v)} is not an integer ${min}–${max}`, { code: 'not-int', params: { value: String(v), min: String(min), max: String(max) } });
  return v;
}

function putIps(ips: readonly string[]): Uint8Array {
  const out = new Uint8Array(ips.length * 4);
  ips.forEach((ip, i) => writeIp(out, i * 4, ip));
  return out;
}

function encodeByKind(code: number, kind: OptionKind, v: unknown): Uint8Array {
  switch (kind) {
    case 'ip':
      return putIps([checkIp(code, v)]);
    case 'mask': {
      const ip = checkIp(code, v);
      if (maskToPrefix(ipToInt(ip)) === undefined) fail(code, `${ip} is not a contiguous subnet mask`, { code: 'not-mask', params: { value: ip } });
      return putIps([ip]);
    }
    case 'ips': {
      if (!Array.isArray(v) || v.length === 0) fail(code, 'expected a non-empty list of IPv4 addresses', { code: 'ips-empty' });
      return putIps(v.map((x) => checkIp(code, x)));
    }
    case 'ipPairs': {
      if (!Array.isArray(v) || v.length === 0) fail(code, 'expected a non-empty list of address pairs', { code: 'pairs-empty' });
      return putIps(
        v.flatMap((pair) => {
          if (!Array.isArray(pair) || pair.length !== 2) fail(code, 'each entry must be a pair of addresses', { code: 'pair' });
          return [checkIp(code, pair[0]), checkIp(code, pair[1])];
        }),
      );
    }
    case 'u8':
      return Uint8Array.of(checkInt(code, v, 0, 0xff));
    case 'u16': {
      const n = checkInt(code, v, 0, 0xffff);
      return Uint8Array.of(n >> 8, n & 0xff);
    }
    case 'u32':
    case 'i32': {
      const n = kind === 'u32' ? checkInt(code, v, 0, 0xffffffff) : checkInt(code, v, -0x80000000, 0x7fffffff);
      return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    }
    case 'bool':
      if (typeof v !== 'boolean') fail(code, 'expected true or false', { code: 'bool' });
      return Uint8Array.of(v ? 1 : 0);
    case 'u8s':
      if (!Array.isArray(v)) fail(code, 'expected a list of numbers 0–255', { code: 'u8s' });
      return Uint8Array.from(v.map((x) => checkInt(code, x, 0, 0xff)));
    case 'u16s': {
      if (!Array.isArray(v) || v.length === 0) fail(code, 'expected a non-empty list of numbers 0–65535', { code: 'u16s' });
      const out = new Uint8Array(v.length * 2);
      v.forEach((x, i) => {
        const n = checkInt(code, x, 0, 0xffff);
        out[i * 2] = n >> 8;
        out[i * 2 + 1] = n & 0xff;
      });
      return out;
    }
    case 'string': {
      if (typeof v !== 'string' || v.length === 0) fail(code, 'expected non-empty text', { code: 'text-empty' });
      if (v.includes('\0')) fail(code, 'text must not contain NUL characters', { code: 'text-nul' });
      return new Uint8Array(Buffer.from(v, 'utf8'));
    }
    case 'bytes':
      if (!(v instanceof Uint8Array)) fail(code, 'expected bytes');
      return v.slice();
    case 'clientId': {
      const c = v as ClientIdentifier;
      if (typeof c !== 'object' || c === null || !(c.id instanceof Uint8Array) || c.id.length === 0) fail(code, 'expected { type, id } with a non-empty id');
      return Uint8Array.from([checkInt(code, c.type, 0, 255), ...c.id]);
    }
    case 'routes':
      return encodeRoutes(code, v);
    case 'domains': {
      if (!Array.isArray(v) || v.length === 0) fail(code, 'expected a non-empty list of domain names', { code: 'domains-empty' });
      return encodeDomainList(
        code,
        v.map((x) => (typeof x === 'string' ? x : fail(code, 'domain names must be text', { code: 'domain-text' }))),
      );
    }
    case 'subOptions':
      if (!Array.isArray(v)) fail(code, 'expected a list of { code, data } sub-options');
      return encodeSubOptions(code, v as SubOption[]);
    case 'fqdn': {
      const f = v as ClientFqdn;
      if (typeof f !== 'object' || f === null || typeof f.name !== 'string') fail(code, 'expected { flags, rcode1, rcode2, name }');
      const flags = checkInt(code, f.flags, 0, 0x0f);
      const name = flags & 0x04 ? (f.name ? encodeDomainList(code, [f.name]) : new Uint8Array()) : Buffer.from(f.name, 'utf8');
      return Uint8Array.from([flags, checkInt(code, f.rcode1, 0, 255), checkInt(code, f.rcode2, 0, 255), ...name]);
    }
    case 'empty':
      return new Uint8Array(0);
  }
}

function encodeRoutes(code: number, v: unknown): Uint8Array {
  if (!Array.isArray(v) || v.length === 0) fail(code, 'expected a non-empty list of { destination, router }', { code: 'routes-empty' });
  const out: number[] = [];
  for (const r of v as ClasslessRoute[]) {
    const m = typeof r?.destination === 'string' ? /^([\d.]+)\/(\d{1,2})$/.exec(r.destination) : null;
    if (!m || !isIpv4(m[1]!) || Number(m[2]) > 32) fail(code, `"${String(r?.destination)}" is not a destination like 10.0.0.0/8`, { code: 'route-destination', params: { value: String(r?.destination) } });
    const width = Number(m[2]);
    const network = ipToInt(m[1]!);
    const mask = prefixToMask(width);
    if ((network & ~mask) >>> 0 !== 0) {
      const suggestion = formatCidr({ network: (network & mask) >>> 0, prefix: width, mask });
      fail(code, `${r.destination} has host bits set (did you mean ${suggestion}?)`, { code: 'route-host-bits', params: { value: r.destination, suggestion } });
    }
    out.push(width);
    for (let i = 0; i < Math.ceil(width / 8); i++) out.push((network >>> (24 - 8 * i)) & 0xff);
    out.push(...putIps([checkIp(code, r.router)]));
  }
  return Uint8Array.from(out);
}

/** Encodes a value as a given kind, errors naming `code` (sub-options of 43 use the kinds of the table). */
export function encodeAsKind(code: number, kind: OptionKind, value: unknown): Uint8Array {
  return encodeByKind(code, kind, value);
}

/** Decodes raw option data to its typed value by the table; unknown codes decode as bytes. */
export function decodeOptionValue(code: number, data: Uint8Array): unknown {
  return decodeByKind(code, BY_CODE.get(code)?.kind ?? 'bytes', data);
}

/** Encodes and validates a typed value for a code; unknown codes accept bytes only. */
export function encodeOptionValue(code: number, value: unknown): Uint8Array {
  if (!Number.isInteger(code) || code < 1 || code > 254) fail(code, 'option codes are 1–254', { code: 'code-range' });
  return encodeByKind(code, BY_CODE.get(code)?.kind ?? 'bytes', value);
}

/** Typed read of one option; undefined when absent. Throws OptionValueError when present but malformed. */
export function getOption<C extends KnownOptionCode>(opts: OptionMap, code: C): OptionValue<C> | undefined {
  const data = opts.get(code);
  if (data === undefined) return undefined;
  const value: unknown = decodeOptionValue(code, data);
  return value as OptionValue<C>;
}

/** Like getOption, but a malformed value reads as undefined (for fields that are merely informative). */
export function getOptionLenient<C extends KnownOptionCode>(opts: OptionMap, code: C): OptionValue<C> | undefined {
  try {
    return getOption(opts, code);
  } catch (e) {
    if (e instanceof OptionValueError) return undefined;
    throw e;
  }
}

/** Typed, validated write of one option. */
export function setOption<C extends KnownOptionCode>(opts: OptionMap, code: C, value: OptionValue<C>): void {
  opts.set(code, encodeOptionValue(code, value));
}

/** RFC 3442 §2: a client that gets option 121 ignores option 3, so the list should carry its own 0.0.0.0/0. */
export function routesCoverDefault(routes: readonly ClasslessRoute[]): boolean {
  return routes.some((r) => r.destination.endsWith('/0'));
}

/** Name of a sub-option of option 82 (or another option with named sub-options). */
export function subOptionName(code: number, sub: number): string {
  const def = BY_CODE.get(code);
  return def?.subNames?.[sub] ?? `sub-option-${sub}`;
}
