// The user's configuration (the JSON file of `pocket-dhcp serve --config`, the CLI flags, the UI's
// settings): one zod schema, checked field by field and across fields, with messages that name the
// field and say what to change. Interface-dependent checks (the server's own address) happen at
// start in resolve.ts, because the interface's address is only known then.
import { z } from 'zod';
import { cidrBroadcast, cidrContains, intToIp, ipToInt, isIpv4, parseCidr, parseMac, type Cidr } from '../dhcp/ip.js';
import { optionFromJson, parseHex, toColonHex } from '../dhcp/option-json.js';
import { optionName, OptionValueError } from '../dhcp/options.js';
import { rebindingTime, renewalTime } from '../dhcp/policy.js';
import { PER_MESSAGE_OPTIONS } from '../dhcp/reply-options.js';

export const MIN_LEASE_SECONDS = 10;
export const INFINITE = 0xffffffff;

const ip = z.string().trim().refine(isIpv4, { message: 'is not an IPv4 address like 198.18.10.1' });
const cidr = z
  .string()
  .trim()
  .refine((s) => parseCidr(s) !== undefined, { message: 'is not a network like 198.18.10.0/24 (host bits must be zero)' });
const seconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(MIN_LEASE_SECONDS, `must be at least ${MIN_LEASE_SECONDS} seconds`)
  .max(INFINITE, `must be at most ${INFINITE} (which means "infinite")`);
/**
 * One address or a list of them. A lone string is read as a one-element list before validation
 * (not a z.union, whose failure is a bare "Invalid input"), so a bad address is named in place.
 */
const ipList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ip).min(1, 'needs at least one address'));

export const SubnetSchema = z
  .object({
    subnet: cidr,
    range: z
      .string()
      .trim()
      .regex(/^\s*[\d.]+\s*-\s*[\d.]+\s*$/, 'must look like 198.18.10.100-198.18.10.150'),
    router: ipList.optional(),
    dns: ipList.optional(),
    domain: z
      .string()
      .trim()
      .regex(/^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/, 'is not a valid domain name')
      .optional(),
    leaseTime: seconds.optional(),
    renewalTime: z.number().int().min(1).max(INFINITE - 1).optional(),
    rebindingTime: z.number().int().min(1).max(INFINITE - 1).optional(),
    /** Extra options by name or code: { "ntp-servers": ["198.18.10.1"], "150": ["198.18.10.5"] }. */
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const ReservationSchema = z
  .object({
    mac: z.string().refine((s) => parseMac(s) !== undefined, { message: 'is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)' }),
    ip,
    hostname: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, 'must be a host name (letters, digits, hyphens; max 63)')
      .optional(),
    clientId: z
      .string()
      .regex(/^([0-9a-fA-F]{2}[:-]?)+$/, 'must be hex such as 01:aa:bb:cc:dd:ee:ff')
      .optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A file name for the BOOTP file field: RFC 2131 §2 gives it 128 bytes, NUL-terminated. */
const bootFile = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => Buffer.byteLength(s, 'latin1') <= 127 && !/[^\x20-\xff]/.test(s), { message: 'must be at most 127 characters without control characters (the BOOTP file field holds 128 bytes)' });

/**
 * A client class (client-classes.ts): what to match (all given conditions must hold) and what the
 * matching clients get over the subnet's options. Precedence: reservation > class > subnet.
 */
export const ClientClassSchema = z
  .object({
    name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1–64 letters, digits, spaces, dots, dashes or underscores'),
    /** Option 60 text: "MSFT 5.0", "PXEClient", "udhcp 1.36.1". */
    vendorClass: z.string().min(1, 'must not be empty').max(255, 'is longer than an option can hold (255 bytes)').optional(),
    match: z.enum(['exact', 'prefix'], { message: 'must be "exact" or "prefix"' }).optional(),
    /** Option 77 text: "iPXE". */
    userClass: z.string().min(1, 'must not be empty').max(255).optional(),
    /** Option 93 architecture types (RFC 4578): 0 BIOS, 6 EFI IA32, 7/9 EFI x64, 10 ARM32, 11 ARM64, 16 HTTP x64. */
    arch: z.array(z.number().int('must be whole numbers').min(0).max(0xffff, 'must be 0–65535')).min(1, 'needs at least one architecture').optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    /** siaddr, the TFTP server (RFC 2131 §2). */
    nextServer: ip.optional(),
    bootFile: bootFile.optional(),
  })
  .strict();

/** The PXE section: boot files per firmware, the TFTP server, the iPXE script; it stands for classes. */
export const PxeSchema = z
  .object({
    tftpServer: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, 'must be an IPv4 address or a host name')
      .optional(),
    bios: bootFile.optional(),
    uefiIa32: bootFile.optional(),
    uefiX64: bootFile.optional(),
    arm32: bootFile.optional(),
    arm64: bootFile.optional(),
    ipxeScript: bootFile.refine((s) => /^(https?|tftp):\/\/\S+$/i.test(s), { message: 'must be a URL such as http://198.18.10.1/boot.ipxe' }).optional(),
  })
  .strict();

/** Default of both per-MAC rate limits (messages per second): far above what a real client sends. */
export const DEFAULT_RATE_LIMIT = 10;

export const ConfigSchema = z
  .object({
    interface: z
      .string()
      .min(1, 'is required: the network interface to serve on (see "pocket-dhcp interfaces")')
      // Linux names are at most 15 bytes (IFNAMSIZ), checked when the socket is opened; Windows
      // names ("Local Area Connection 2") are longer, so the schema only bounds the size.
      .max(256, 'is longer than any interface name (256 characters)'),
    dataDir: z.string().min(1).optional(),
    leaseTime: seconds.default(3600),
    authoritative: z.boolean().default(true),
    knownClientsOnly: z.boolean().default(false),
    offerHoldSeconds: z.number().int().min(1).max(3600).default(30),
    maxOfferHolds: z.number().int().min(1).max(1_000_000).default(10_000),
    /** DHCPDISCOVERs accepted per client MAC per second (engine rate-limit.ts); 0 turns the limit off. */
    discoverRateLimit: z.number().int('must be a whole number').min(0).max(100_000).default(DEFAULT_RATE_LIMIT),
    /**
     * DHCPREQUESTs, DHCPINFORMs and DHCPDECLINEs (counted together) accepted per client MAC per
     * second; 0 turns the limit off. A real client sends a few a minute (a DORA, a renewal at T1,
     * retransmissions 4 s apart), so 10 never touches one; a MAC sending more is dropped as
     * 'rate-limited' before its REQUEST can rewrite its lease record.
     */
    requestRateLimit: z.number().int('must be a whole number').min(0).max(100_000).default(DEFAULT_RATE_LIMIT),
    declineQuarantineSeconds: z.number().int().min(0).max(INFINITE).default(600),
    /** ARP-probe fresh addresses before offering them and name who holds a declined one (Linux; net/arp-probe.ts). */
    conflictCheck: z.boolean().default(true),
    /** How long a probe waits for an answer; the OFFER of a fresh address waits this long at most. */
    conflictCheckTimeoutMs: z.number().int().min(50, 'must be at least 50 ms').max(3000, 'must be at most 3000 ms: clients retransmit after ~4 s').default(500),
    subnets: z.array(SubnetSchema).min(1, 'needs at least one subnet (the interface\'s own network)'),
    reservations: z.array(ReservationSchema).default([]),
    classes: z.array(ClientClassSchema).optional(),
    pxe: PxeSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const nets: { c: Cidr; i: number }[] = [];
    cfg.subnets.forEach((s, i) => {
      const path = ['subnets', i];
      const c = parseCidr(s.subnet);
      if (!c) return;
      if (c.prefix === 32) {
        ctx.addIssue({ code: 'custom', path: [...path, 'subnet'], message: `${s.subnet} holds a single address: no room for the server (or relay) and a client; use a /31 (RFC 3021) or larger` });
        return;
      }
      for (const other of nets) {
        if (cidrContains(other.c, c.network) || cidrContains(c, other.c.network)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'subnet'], message: `overlaps subnets[${other.i}] (${cfg.subnets[other.i]!.subnet}); each subnet must be separate` });
        }
      }
      nets.push({ c, i });
      const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(s.range);
      if (m) {
        const [a, b] = [m[1]!, m[2]!];
        if (!isIpv4(a) || !isIpv4(b)) ctx.addIssue({ code: 'custom', path: [...path, 'range'], message: `"${s.range}" has an invalid address` });
        else {
          const lo = ipToInt(a);
          const hi = ipToInt(b);
          const bcast = cidrBroadcast(c);
          if (lo > hi) ctx.addIssue({ code: 'custom', path: [...path, 'range'], message: `starts after it ends (${a} > ${b}); write the lower address first` });
          for (const [addr, n] of [[a, lo], [b, hi]] as const) {
            if (!cidrContains(c, n)) ctx.addIssue({ code: 'custom', path: [...path, 'range'], message: `${addr} is outside subnet ${s.subnet}` });
          }
          if (c.prefix < 31 && cidrContains(c, lo) && cidrContains(c, hi) && (lo <= c.network && hi >= c.network || lo <= bcast && hi >= bcast)) {
            ctx.addIssue({ code: 'custom', path: [...path, 'range'], message: `includes the network or broadcast address of ${s.subnet} (${intToIp(c.network)} / ${intToIp(bcast)})` });
          }
        }
      }
      for (const r of s.router ?? []) {
        if (isIpv4(r) && !cidrContains(c, ipToInt(r))) ctx.addIssue({ code: 'custom', path: [...path, 'router'], message: `${r} is not in subnet ${s.subnet}: a gateway must be on the client's network` });
      }
      const lease = s.leaseTime ?? cfg.leaseTime;
      // Compared only against a valid lease time; an invalid one has its own message already.
      const leaseOk = Number.isInteger(lease) && lease >= MIN_LEASE_SECONDS && lease <= INFINITE;
      if (leaseOk && s.renewalTime !== undefined && lease !== INFINITE && s.renewalTime >= lease) ctx.addIssue({ code: 'custom', path: [...path, 'renewalTime'], message: `must be shorter than the lease time (${lease} s)` });
      if (leaseOk && s.rebindingTime !== undefined && lease !== INFINITE && s.rebindingTime >= lease) ctx.addIssue({ code: 'custom', path: [...path, 'rebindingTime'], message: `must be shorter than the lease time (${lease} s)` });
      // RFC 2131 §4.4.5: T1 < T2, also when only one is set and the other takes its default
      // (0.5 and 0.875 × the lease time).
      if (leaseOk && lease !== INFINITE && (s.renewalTime !== undefined || s.rebindingTime !== undefined)) {
        const t1 = renewalTime(s, lease)!;
        const t2 = rebindingTime(s, lease)!;
        if (t1 >= t2) {
          const field = s.renewalTime !== undefined ? 'renewalTime' : 'rebindingTime';
          const message =
            s.renewalTime !== undefined && s.rebindingTime !== undefined
              ? 'must be shorter than rebindingTime (RFC 2131 §4.4.5: T1 < T2)'
              : s.renewalTime !== undefined
                ? `must be shorter than the default rebinding time (${t2} s, 7/8 of the lease); set rebindingTime too (RFC 2131 §4.4.5: T1 < T2)`
                : `must be longer than the default renewal time (${t1} s, half the lease); set renewalTime too (RFC 2131 §4.4.5: T1 < T2)`;
          ctx.addIssue({ code: 'custom', path: [...path, field], message });
        }
      }
      checkOptions(s.options, [...path, 'options'], ctx);
    });

    const macs = new Map<string, number>();
    const ips = new Map<string, number>();
    const clientIds = new Map<string, number>();
    cfg.reservations.forEach((r, i) => {
      const path = ['reservations', i];
      const mac = parseMac(r.mac);
      if (mac) {
        const dup = macs.get(mac);
        if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'mac'], message: `duplicate reservation: ${mac} is already reserved in reservations[${dup}]` });
        else macs.set(mac, i);
      }
      if (isIpv4(r.ip)) {
        const dup = ips.get(r.ip);
        if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'ip'], message: `duplicate reservation: ${r.ip} is already reserved for reservations[${dup}]` });
        else ips.set(r.ip, i);
        const n = ipToInt(r.ip);
        const home = nets.find((x) => cidrContains(x.c, n));
        if (!home) ctx.addIssue({ code: 'custom', path: [...path, 'ip'], message: `${r.ip} is outside every configured subnet (${cfg.subnets.map((s) => s.subnet).join(', ')})` });
        else {
          if (home.c.prefix < 31 && (n === home.c.network || n === cidrBroadcast(home.c))) ctx.addIssue({ code: 'custom', path: [...path, 'ip'], message: `${r.ip} is the network or broadcast address of ${cfg.subnets[home.i]!.subnet}` });
          const routers = cfg.subnets[home.i]!.router ?? [];
          if (routers.includes(r.ip)) ctx.addIssue({ code: 'custom', path: [...path, 'ip'], message: `${r.ip} is the subnet's router address` });
          // DNS servers are real hosts too: resolveConfig excludes them from leasing.
          else if ((cfg.subnets[home.i]!.dns ?? []).includes(r.ip)) ctx.addIssue({ code: 'custom', path: [...path, 'ip'], message: `${r.ip} is the subnet's DNS server address` });
        }
      }
      if (r.clientId !== undefined) {
        const id = parseHex(r.clientId);
        // RFC 2132 §9.14: a type octet and at least one octet of identifier.
        if (id && id.length < 2) ctx.addIssue({ code: 'custom', path: [...path, 'clientId'], message: 'needs a type octet and at least one more octet (01:aa:bb:cc:dd:ee:ff)' });
        else if (id) {
          const key = toColonHex(id);
          const dup = clientIds.get(key);
          if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'clientId'], message: `duplicate reservation: client id ${key} is already reserved in reservations[${dup}]` });
          else clientIds.set(key, i);
        }
      }
      checkOptions(r.options, [...path, 'options'], ctx);
    });

    const classNames = new Map<string, number>();
    (cfg.classes ?? []).forEach((c, i) => {
      const path = ['classes', i];
      const dup = classNames.get(c.name.toLowerCase());
      if (dup !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: `classes[${dup}] is already called "${c.name}"; give each class its own name` });
      else classNames.set(c.name.toLowerCase(), i);
      if (c.vendorClass === undefined && c.userClass === undefined && c.arch === undefined) {
        ctx.addIssue({ code: 'custom', path: [...path, 'vendorClass'], message: 'says nothing to match: set a vendor class (option 60), a user class (77) or an architecture (93)' });
      }
      checkOptions(c.options, [...path, 'options'], ctx);
    });
    if (cfg.pxe) {
      const p = cfg.pxe;
      if (!p.bios && !p.uefiIa32 && !p.uefiX64 && !p.arm32 && !p.arm64 && !p.ipxeScript) ctx.addIssue({ code: 'custom', path: ['pxe'], message: 'has no boot file: set at least one (BIOS, UEFI x64, ARM64 …) or the iPXE script, or remove the PXE section' });
      else if (!p.tftpServer && (p.bios || p.uefiIa32 || p.uefiX64 || p.arm32 || p.arm64)) ctx.addIssue({ code: 'custom', path: ['pxe', 'tftpServer'], message: 'is required with boot files: the address of the TFTP server that holds them' });
    }
  });

/** Per-message options the server fills in itself: say which setting controls them instead. */
const PER_MESSAGE_HINT: Readonly<Record<number, string>> = {
  51: 'set "leaseTime" instead',
  54: "it is the interface's address",
  58: 'set "renewalTime" instead',
  59: 'set "rebindingTime" instead',
};

/**
 * Why one configured option (name or code → value in its JSON shape) cannot be used, or undefined:
 * the check every options object of the configuration gets, and imported reservations too.
 */
export function optionProblem(key: string, value: unknown): string | undefined {
  try {
    const { code } = optionFromJson(key, value);
    if (PER_MESSAGE_OPTIONS.has(code)) return `option ${code} (${optionName(code)}) is filled in by the server for each message and cannot be configured; ${PER_MESSAGE_HINT[code] ?? 'remove it'}`;
    return undefined;
  } catch (e) {
    if (!(e instanceof OptionValueError)) throw e;
    return e.message;
  }
}

function checkOptions(options: Record<string, unknown> | undefined, path: (string | number)[], ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(options ?? {})) {
    const message = optionProblem(key, value);
    if (message) ctx.addIssue({ code: 'custom', path: [...path, key], message });
  }
}

export type UserConfig = z.output<typeof ConfigSchema>;
export type UserConfigInput = z.input<typeof ConfigSchema>;
export type SubnetConfig = z.output<typeof SubnetSchema>;
export type ReservationConfig = z.output<typeof ReservationSchema>;
export type ClientClassConfig = z.output<typeof ClientClassSchema>;
export type PxeConfig = z.output<typeof PxeSchema>;

export interface ConfigProblem {
  /** "subnets[0].range" */
  field: string;
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('\n'));
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The value at `path` in the raw input (zod 4 issues do not carry it unless asked to). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function typeMessage(expected: string, value: unknown): string {
  if (value === undefined) return 'is required';
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? `the text ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;
  const want = expected === 'array' ? 'a list' : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  return `must be ${want}, not ${got}`;
}

/** Validates unknown input (parsed JSON, flags, a renderer payload) into a UserConfig or throws ConfigError. */
export function parseConfig(input: unknown): UserConfig {
  const r = ConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => {
      let message = i.message;
      if (i.code === 'unrecognized_keys') message = `unknown setting${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
      else if (i.code === 'invalid_type') {
        // Keep messages the schema wrote itself ("must be a whole number of seconds"); replace
        // zod's default, which says nothing about what the field is.
        const value = valueAt(input, i.path);
        if (value === undefined || i.message.startsWith('Invalid input')) message = typeMessage(i.expected, value);
      }
      return { field: formatPath(i.path), message };
    }),
  );
}
