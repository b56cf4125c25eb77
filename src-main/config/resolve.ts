// From the validated user configuration plus the interface's actual address to the engine's
// resolved policy. The checks that need the interface live here: the server's address must be in
// the first subnet and outside every pool (RFC 2131 §4.1: a server cannot lease to itself).
import { cidrContains, intToIp, ipToInt, parseCidr, parseMac, type Ipv4 } from '../dhcp/ip.js';
import { optionFromJson, parseHex, toColonHex } from '../dhcp/option-json.js';
import type { OptionMap } from '../dhcp/options.js';
import type { EngineConfig, ReservationPolicy, SubnetPolicy } from '../dhcp/policy.js';
import { pxeClasses, type ClassPolicy, type ClassSpec } from '../dhcp/client-classes.js';
import { ConfigError, type ConfigProblem, type UserConfig } from './schema.js';

export interface InterfaceAddress {
  address: Ipv4;
  prefix: number;
}

function encodeOptions(base: [number, unknown][], extra: Record<string, unknown> | undefined): OptionMap {
  const out: OptionMap = new Map();
  for (const [code, value] of base) out.set(code, optionFromJson(code, value).data);
  for (const [key, value] of Object.entries(extra ?? {})) {
    const { code, data } = optionFromJson(key, value);
    out.set(code, data);
  }
  return out;
}

export function resolveConfig(cfg: UserConfig, iface: InterfaceAddress): EngineConfig {
  const problems: ConfigProblem[] = [];
  const server = ipToInt(iface.address);
  const subnets: SubnetPolicy[] = cfg.subnets.map((s, i) => {
    const cidr = parseCidr(s.subnet)!;
    const [a, b] = s.range.split('-').map((x) => x.trim()) as [string, string];
    const policy: SubnetPolicy = {
      id: s.subnet,
      cidr,
      rangeStart: ipToInt(a),
      rangeEnd: ipToInt(b),
      leaseTime: s.leaseTime ?? cfg.leaseTime,
      ...(s.renewalTime !== undefined ? { renewalTime: s.renewalTime } : {}),
      ...(s.rebindingTime !== undefined ? { rebindingTime: s.rebindingTime } : {}),
      options: encodeOptions(
        [
          ...(s.router ? [[3, s.router] as [number, unknown]] : []),
          ...(s.dns ? [[6, s.dns] as [number, unknown]] : []),
          ...(s.domain ? [[15, s.domain.replace(/\.$/, '')] as [number, unknown]] : []),
        ],
        s.options,
      ),
    };
    if (server >= policy.rangeStart && server <= policy.rangeEnd) {
      problems.push({
        field: `subnets[${i}].range`,
        message: `contains the server's own address ${iface.address} (interface ${cfg.interface}); a DHCP server cannot lease to itself — move the range or the interface address`,
        code: 'range-has-server',
        params: { address: iface.address, interface: cfg.interface },
      });
    }
    return policy;
  });

  const own = subnets[0]!;
  if (!cidrContains(own.cidr, server)) {
    const ifNet = parseCidr(`${intToIp((server & ((0xffffffff << (32 - iface.prefix)) >>> 0)) >>> 0)}/${iface.prefix}`);
    const params = { interface: cfg.interface, address: `${iface.address}/${iface.prefix}`, subnet: own.id, ...(ifNet ? { network: `${intToIp(ifNet.network)}/${iface.prefix}` } : {}) };
    problems.push({
      field: 'subnets[0].subnet',
      message: `interface ${cfg.interface} has ${iface.address}/${iface.prefix}, which is not in ${own.id}; the first subnet must be the interface's own network${ifNet ? ` (${intToIp(ifNet.network)}/${iface.prefix})` : ''}, or give the interface an address in ${own.id}`,
      code: ifNet ? 'not-interface-network' : 'not-interface-network-plain',
      params,
    });
  }

  const reservations: ReservationPolicy[] = cfg.reservations.map((r, i) => {
    if (r.ip === iface.address) problems.push({ field: `reservations[${i}].ip`, message: `${r.ip} is the server's own address (interface ${cfg.interface})`, code: 'ip-is-server', params: { ip: r.ip, interface: cfg.interface } });
    return {
      mac: parseMac(r.mac)!,
      ip: r.ip,
      ...(r.hostname ? { hostname: r.hostname } : {}),
      ...(r.clientId ? { clientId: toColonHex(parseHex(r.clientId)!) } : {}),
      ...(r.options ? { options: encodeOptions([], r.options) } : {}),
    };
  });

  if (problems.length) throw new ConfigError(problems);

  const classes = resolveClasses(cfg);

  // Routers and DNS servers inside a pool are real hosts: never hand their addresses out.
  const excluded = cfg.subnets.flatMap((s) => [...(s.router ?? []), ...(s.dns ?? [])]);
  return {
    serverId: iface.address,
    subnets,
    reservations,
    authoritative: cfg.authoritative,
    offerHoldSeconds: cfg.offerHoldSeconds,
    maxOfferHolds: cfg.maxOfferHolds,
    discoverRateLimit: cfg.discoverRateLimit,
    requestRateLimit: cfg.requestRateLimit,
    declineQuarantineSeconds: cfg.declineQuarantineSeconds,
    knownClientsOnly: cfg.knownClientsOnly,
    excluded,
    ...(classes.length ? { classes } : {}),
  };
}

/** Every class in match order: the PXE section's first (client-classes.ts), then the user's. */
export function classSpecs(cfg: Pick<UserConfig, 'classes' | 'pxe'>): ClassSpec[] {
  return [...pxeClasses(cfg.pxe), ...(cfg.classes ?? [])];
}

function resolveClasses(cfg: UserConfig): ClassPolicy[] {
  return classSpecs(cfg).map((c) => ({
    name: c.name,
    ...(c.vendorClass !== undefined ? { vendorClass: new Uint8Array(Buffer.from(c.vendorClass, 'utf8')), vendorPrefix: c.match === 'prefix' } : {}),
    ...(c.userClass !== undefined ? { userClass: new Uint8Array(Buffer.from(c.userClass, 'utf8')) } : {}),
    ...(c.arch ? { arch: c.arch } : {}),
    options: encodeOptions([], c.options),
    ...(c.nextServer ? { siaddr: c.nextServer } : {}),
    ...(c.bootFile ? { file: c.bootFile } : {}),
  }));
}
