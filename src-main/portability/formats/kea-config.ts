// "Export to Kea": a complete kea-dhcp4 configuration for the same subnets, pools, timers, options
// and reservations, pointing its memfile lease database at the lease file exported beside it
// (kea.ts), optionally with the High Availability hook for two servers. Verified with Kea 2.2.0
// (Debian 12): `kea-dhcp4 -t` accepts it and a real Kea serves our leases from it (see
// test/integration/portability/kea-run.test.ts).
import { classSpecs } from '../../config/resolve.js';
import type { UserConfig } from '../../config/schema.js';
import { cidrContains, intToIp, ipToInt, parseCidr } from '../../dhcp/ip.js';
import type { Lease } from '../../dhcp/lease.js';
import { optionFromJson } from '../../dhcp/option-json.js';
import { decodeOptionValue, optionDef, OptionValueError, type OptionKind } from '../../dhcp/options.js';
import { INFINITE_LEASE, rebindingTime, renewalTime } from '../../dhcp/policy.js';
import { addNote, ExportError, type TextCode } from '../model.js';

/** Where Debian's kea-common installs the hook libraries (amd64); other systems pass --kea-hooks-dir. */
export const DEFAULT_KEA_HOOKS_DIR = '/usr/lib/x86_64-linux-gnu/kea/hooks';
export const DEFAULT_KEA_LEASE_FILE = '/var/lib/kea/kea-leases4.csv';
export const KEA_CONTROL_SOCKET = '/run/kea/kea4-ctrl-socket';

export type HaMode = 'load-balancing' | 'hot-standby';

export interface HaPeer {
  name: string;
  /** The peer's Kea Control Agent, e.g. http://198.18.0.1:8000/ */
  url: string;
}

export interface HaOptions {
  mode: HaMode;
  /** Which of the two peers this configuration is for. */
  thisServer: string;
  /** Exactly two: the first is the primary. */
  peers: [HaPeer, HaPeer];
}

export interface KeaExportOptions {
  /** Interface Kea listens on (default: the configuration's). */
  interface?: string;
  /** Absolute path of the lease file on the Kea machine. */
  leaseFile?: string;
  ha?: HaOptions;
  hooksDir?: string;
}

/**
 * Options Kea 2.2 has no definition for (checked with `kea-dhcp4 -t`, one option at a time):
 * written by code as raw bytes, which Kea sends unchanged.
 */
const KEA_UNDEFINED = new Set([120, 121, 150, 209, 210, 211, 242, 249, 252]);

export type KeaOptionData = { name?: string; code: number; space?: string; 'csv-format'?: boolean; data: string };

/** One option as Kea option-data: by name with Kea's text syntax where it has one, else raw hex. */
export function keaOptionData(code: number, data: Uint8Array): KeaOptionData {
  const hex = Buffer.from(data).toString('hex').toUpperCase();
  const def = optionDef(code);
  if (!def || KEA_UNDEFINED.has(code)) return { code, space: 'dhcp4', 'csv-format': false, data: hex };
  const raw = { name: def.name, code, 'csv-format': false, data: hex };
  let value: unknown;
  try {
    value = decodeOptionValue(code, data);
  } catch (e) {
    if (e instanceof OptionValueError) return raw;
    throw e;
  }
  const text = csvText(def.kind, value);
  return text === undefined ? raw : { name: def.name, code, data: text };
}

function csvText(kind: OptionKind, v: unknown): string | undefined {
  switch (kind) {
    case 'ip':
    case 'mask':
      return v as string;
    case 'ips':
    case 'domains':
      return (v as string[]).join(', ');
    case 'ipPairs':
      return (v as [string, string][]).flat().join(', ');
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i32':
      return String(v);
    case 'bool':
      return v ? 'true' : 'false';
    case 'u8s':
    case 'u16s':
      return (v as number[]).join(', ');
    case 'string': {
      // Kea splits text data at commas; a string holding one travels as raw bytes instead.
      const s = v as string;
      return /[,\\]/.test(s) ? undefined : s;
    }
    default:
      return undefined;
  }
}

function optionList(entries: [string | number, unknown][]): KeaOptionData[] {
  return entries.map(([k, v]) => {
    const { code, data } = optionFromJson(k, v);
    return keaOptionData(code, data);
  });
}

/** The range minus addresses that are real hosts (routers, DNS servers): Kea has no exclusion list. */
export function poolRanges(range: string, exclude: readonly string[]): [number, number][] {
  const [a, b] = range.split('-').map((x) => ipToInt(x.trim())) as [number, number];
  const ex = [...new Set(exclude.map(ipToInt))].filter((n) => n >= a && n <= b).sort((x, y) => x - y);
  const out: [number, number][] = [];
  let lo = a;
  for (const n of ex) {
    if (n > lo) out.push([lo, n - 1]);
    lo = n + 1;
  }
  if (lo <= b) out.push([lo, b]);
  return out;
}

const fmtPool = ([a, b]: [number, number]) => `${intToIp(a)} - ${intToIp(b)}`;

/** Halves of a set of pools for the two load-balancing servers (HA_<name> classes). */
function splitPools(ranges: [number, number][]): [[number, number][], [number, number][]] {
  const total = ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  let left = Math.ceil(total / 2);
  const first: [number, number][] = [];
  const second: [number, number][] = [];
  for (const [a, b] of ranges) {
    const size = b - a + 1;
    if (left >= size) {
      first.push([a, b]);
      left -= size;
    } else if (left > 0) {
      first.push([a, a + left - 1]);
      second.push([a + left, b]);
      left = 0;
    } else second.push([a, b]);
  }
  return [first, second];
}

export interface KeaExport {
  config: Record<string, unknown>;
  /** Things the user should know about the result (HA needs kea-ctrl-agent, …), in English. */
  notes: string[];
  /** notes[i]'s code and values (kea.note.<code> in the UI's catalogs), same index. */
  noteCodes: (TextCode | null)[];
}

/** Subnet id of a lease for the exported configuration: the position of its subnet (1-based). */
export function keaSubnetIds(cfg: UserConfig): (l: Pick<Lease, 'ip' | 'subnet'>) => number | undefined {
  const nets = cfg.subnets.map((s) => parseCidr(s.subnet)!);
  return (l) => {
    const byName = cfg.subnets.findIndex((s) => s.subnet === l.subnet);
    if (byName >= 0) return byName + 1;
    const i = nets.findIndex((c) => cidrContains(c, ipToInt(l.ip)));
    return i >= 0 ? i + 1 : undefined;
  };
}

/**
 * The kea-dhcp4 configuration of a valid user configuration. `leases` supplies the relay agents
 * seen per subnet (relayed subnets get `relay.ip-addresses`).
 */
export function buildKeaConfig(cfg: UserConfig, leases: readonly Lease[], opts: KeaExportOptions = {}): KeaExport {
  const out: Pick<KeaExport, 'notes' | 'noteCodes'> = { notes: [], noteCodes: [] };
  const hooksDir = (opts.hooksDir ?? DEFAULT_KEA_HOOKS_DIR).replace(/\/+$/, '');
  const ha = opts.ha;
  if (ha) {
    if (ha.peers.length !== 2) throw new ExportError('High Availability needs exactly two peers');
    if (ha.peers[0].name === ha.peers[1].name) throw new ExportError('the two HA peers need different names');
    if (!ha.peers.some((p) => p.name === ha.thisServer)) throw new ExportError(`this server "${ha.thisServer}" is not one of the peers (${ha.peers.map((p) => p.name).join(', ')})`);
    for (const p of ha.peers) if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(p.url)) throw new ExportError(`peer ${p.name}: "${p.url}" is not a URL like http://198.18.0.1:8000/`);
  }
  const relays = new Map<string, Set<string>>();
  for (const l of leases) if (l.relay) (relays.get(l.subnet) ?? relays.set(l.subnet, new Set()).get(l.subnet)!).add(l.relay);

  const lease = cfg.leaseTime;
  const timers = (t: number, s: { renewalTime?: number; rebindingTime?: number }) =>
    t === INFINITE_LEASE ? {} : { 'renew-timer': renewalTime(s, t)!, 'rebind-timer': rebindingTime(s, t)! };

  const subnet4 = cfg.subnets.map((s, i) => {
    const cidr = parseCidr(s.subnet)!;
    const exclude = [...(s.router ?? []), ...(s.dns ?? [])];
    const ranges = poolRanges(s.range, exclude);
    let pools: Record<string, unknown>[];
    if (ha?.mode === 'load-balancing') {
      const [one, two] = splitPools(ranges);
      pools = [...one.map((r) => ({ pool: fmtPool(r), 'client-class': `HA_${ha.peers[0].name}` })), ...two.map((r) => ({ pool: fmtPool(r), 'client-class': `HA_${ha.peers[1].name}` }))];
    } else pools = ranges.map((r) => ({ pool: fmtPool(r), ...(cfg.knownClientsOnly ? { 'client-class': 'KNOWN' } : {}) }));
    const optionData = optionList([
      ...(s.router ? [['routers', s.router] as [string, unknown]] : []),
      ...(s.dns ? [['domain-name-servers', s.dns] as [string, unknown]] : []),
      ...(s.domain ? [['domain-name', s.domain.replace(/\.$/, '')] as [string, unknown]] : []),
      ...Object.entries(s.options ?? {}),
    ]);
    const reservations = cfg.reservations
      .filter((r) => cidrContains(cidr, ipToInt(r.ip)))
      .map((r) => {
        return {
          // Kea takes one identifier per reservation; ours match by MAC or client id, and the MAC
          // is the one every client has.
          'hw-address': normaliseMacText(r.mac),
          'ip-address': r.ip,
          ...(r.hostname ? { hostname: r.hostname } : {}),
          ...(r.options && Object.keys(r.options).length ? { 'option-data': optionList(Object.entries(r.options)) } : {}),
        };
      });
    const relayList = i > 0 ? [...(relays.get(s.subnet) ?? [])].sort() : [];
    if (i > 0 && relayList.length === 0) addNote(out, 'relay', { subnet: s.subnet }, `${s.subnet} is served through a relay agent; Kea selects it by the relay's address (giaddr) inside the subnet. If your relay uses an address outside ${s.subnet}, add it under "relay": { "ip-addresses": [...] }.`);
    const leaseTime = s.leaseTime ?? lease;
    return {
      id: i + 1,
      subnet: `${intToIp(cidr.network)}/${cidr.prefix}`,
      pools,
      ...(s.leaseTime !== undefined || s.renewalTime !== undefined || s.rebindingTime !== undefined ? { 'valid-lifetime': leaseTime, ...timers(leaseTime, s) } : {}),
      ...(optionData.length ? { 'option-data': optionData } : {}),
      ...(reservations.length ? { reservations } : {}),
      ...(relayList.length ? { relay: { 'ip-addresses': relayList } } : {}),
    };
  });

  const clientClasses = keaClientClasses(cfg, out);
  const dhcp4: Record<string, unknown> = {
    'interfaces-config': { interfaces: [opts.interface ?? cfg.interface] },
    'lease-database': { type: 'memfile', persist: true, name: opts.leaseFile ?? DEFAULT_KEA_LEASE_FILE, 'lfc-interval': 3600 },
    'valid-lifetime': lease,
    ...timers(lease, {}),
    authoritative: cfg.authoritative,
    ...(cfg.declineQuarantineSeconds > 0 ? { 'decline-probation-period': cfg.declineQuarantineSeconds } : {}),
    ...(clientClasses.length ? { 'client-classes': clientClasses } : {}),
    subnet4,
  };
  if (cfg.knownClientsOnly && ha?.mode === 'load-balancing') addNote(out, 'known-only-lb', {}, '"known clients only" is not carried over with load balancing: the pools are split between the two servers by the HA_ classes instead.');
  if (ha) {
    const roles = ha.mode === 'load-balancing' ? ['primary', 'secondary'] : ['primary', 'standby'];
    dhcp4['control-socket'] = { 'socket-type': 'unix', 'socket-name': KEA_CONTROL_SOCKET };
    dhcp4['hooks-libraries'] = [
      { library: `${hooksDir}/libdhcp_lease_cmds.so` },
      {
        library: `${hooksDir}/libdhcp_ha.so`,
        parameters: {
          'high-availability': [
            {
              'this-server-name': ha.thisServer,
              mode: ha.mode,
              'heartbeat-delay': 10000,
              'max-response-delay': 60000,
              'max-ack-delay': 5000,
              'max-unacked-clients': 5,
              peers: ha.peers.map((p, i) => ({ name: p.name, url: p.url.endsWith('/') ? p.url : `${p.url}/`, role: roles[i], 'auto-failover': true })),
            },
          ],
        },
      },
    ];
    addNote(out, 'ha', { socket: KEA_CONTROL_SOCKET }, `High Availability: each Kea server needs kea-ctrl-agent listening at its peer URL and forwarding to ${KEA_CONTROL_SOCKET}; export once per server with its own "this server" name.`);
  }
  return { config: { Dhcp4: dhcp4 }, ...out };
}

/** A byte string as a Kea expression hex literal (no quoting problems whatever the text holds). */
function keaHex(text: string): string {
  return `0x${Buffer.from(text, 'utf8').toString('hex')}`;
}

/**
 * Our classes (client-classes.ts; the PXE section first) as Kea client-classes. Each test also says
 * "not member of an earlier class", so Kea assigns at most one of them, as our first-match rule
 * does. Kea's option precedence puts subnet options above class options (ours: class above
 * subnet), so an option set in both is reported in the notes.
 */
function keaClientClasses(cfg: UserConfig, notes: Pick<KeaExport, 'notes' | 'noteCodes'>): Record<string, unknown>[] {
  const specs = classSpecs(cfg);
  const subnetCodes = new Set<number>();
  for (const s of cfg.subnets) {
    if (s.router) subnetCodes.add(3);
    if (s.dns) subnetCodes.add(6);
    if (s.domain) subnetCodes.add(15);
    for (const [k, v] of Object.entries(s.options ?? {})) subnetCodes.add(optionFromJson(k, v).code);
  }
  return specs.map((c, i) => {
    const tests: string[] = [];
    if (c.vendorClass !== undefined) {
      const n = Buffer.byteLength(c.vendorClass, 'utf8');
      tests.push(c.match === 'prefix' ? `substring(option[60].hex, 0, ${n}) == ${keaHex(c.vendorClass)}` : `option[60].hex == ${keaHex(c.vendorClass)}`);
    }
    if (c.userClass !== undefined) tests.push(`option[77].hex == ${keaHex(c.userClass)}`);
    if (c.arch) tests.push(`(${c.arch.map((a) => `option[93].hex == 0x${a.toString(16).padStart(4, '0')}`).join(' or ')})`);
    for (const earlier of specs.slice(0, i)) tests.push(`not member('${earlier.name}')`);
    const optionData = optionList(Object.entries(c.options ?? {}));
    const shadowed = optionData.filter((o) => subnetCodes.has(o.code)).map((o) => o.code);
    if (shadowed.length) {
      const many = shadowed.length > 1;
      addNote(notes, many ? 'class-shadowed-many' : 'class-shadowed-one', { name: c.name, codes: shadowed.join(', ') }, `class "${c.name}": Kea prefers subnet options over class options, so option${many ? 's' : ''} ${shadowed.join(', ')} set in both will come from the subnet; remove ${many ? 'them' : 'it'} from the subnet's option-data if the class must win.`);
    }
    return {
      name: c.name,
      test: tests.join(' and '),
      ...(c.nextServer ? { 'next-server': c.nextServer } : {}),
      ...(c.bootFile ? { 'boot-file-name': c.bootFile } : {}),
      ...(optionData.length ? { 'option-data': optionData } : {}),
    };
  });
}

function normaliseMacText(mac: string): string {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.match(/../g)!.join(':');
}
