// The user's configuration (the JSON file of `pocket-dhcp serve --config`, the CLI flags, the UI's
// settings): one zod schema, checked field by field and across fields, with messages that name the
// field and say what to change. Interface-dependent checks (the server's own address) happen at
// start in resolve.ts, because the interface's address is only known then.
import { z } from 'zod';
import { cidrBroadcast, cidrContains, intToIp, ipToInt, isIpv4, parseCidr, parseMac, type Cidr } from '../dhcp/ip.js';
import { optionFromJson, parseHex, toColonHex } from '../dhcp/option-json.js';
import { optionName, OptionValueError, type OptionErrorReason } from '../dhcp/options.js';
import { rebindingTime, renewalTime } from '../dhcp/policy.js';
import { PER_MESSAGE_OPTIONS } from '../dhcp/reply-options.js';

export const MIN_LEASE_SECONDS = 10;
export const INFINITE = 0xffffffff;

/**
 * A problem's sentence as a code and its values, so the UI can word it in its language (the
 * renderer's cfg.<code> catalog entries, whose English is the template here); the CLI prints the
 * English message. Values are strings, written exactly as the English message shows them.
 */
export interface ProblemText {
  code: string;
  params?: Record<string, string>;
}

function fillText(template: string, params: Record<string, string> | undefined): string {
  return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole) : template;
}

function asStrings(params: Record<string, string | number> | undefined): Record<string, string> | undefined {
  if (!params) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = String(v);
  return out;
}

/** The schema's fixed messages by their English text → their code; parseConfig attaches it. */
const SAID = new Map<string, ProblemText>();

/** A fixed message of the schema, registered under its code. */
function said(code: string, template: string, params?: Record<string, string | number>): string {
  const p = asStrings(params);
  const message = fillText(template, p);
  SAID.set(message, p ? { code, params: p } : { code });
  return message;
}

/** A cross-field problem: the English sentence from its template, with the code and values attached. */
function addProblem(ctx: z.RefinementCtx, path: (string | number)[], code: string, template: string, params?: Record<string, string | number>): void {
  const p = asStrings(params);
  ctx.addIssue({ code: 'custom', path, message: fillText(template, p), params: { text: p ? { code, params: p } : { code } } });
}

const ip = z.string().trim().refine(isIpv4, { message: said('not-ipv4', 'is not an IPv4 address like 198.18.10.1') });
const cidr = z
  .string()
  .trim()
  .refine((s) => parseCidr(s) !== undefined, { message: said('not-cidr', 'is not a network like 198.18.10.0/24 (host bits must be zero)') });
const seconds = z
  .number()
  .int(said('seconds-int', 'must be a whole number of seconds'))
  .min(MIN_LEASE_SECONDS, said('seconds-min', 'must be at least {min} seconds', { min: MIN_LEASE_SECONDS }))
  .max(INFINITE, said('seconds-max', 'must be at most {max} (which means "infinite")', { max: INFINITE }));
/**
 * One address or a list of them. A lone string is read as a one-element list before validation
 * (not a z.union, whose failure is a bare "Invalid input"), so a bad address is named in place.
 */
const ipList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ip).min(1, said('no-address', 'needs at least one address')));

export const SubnetSchema = z
  .object({
    subnet: cidr,
    range: z
      .string()
      .trim()
      .regex(/^\s*[\d.]+\s*-\s*[\d.]+\s*$/, said('range-format', 'must look like 198.18.10.100-198.18.10.150')),
    router: ipList.optional(),
    dns: ipList.optional(),
    domain: z
      .string()
      .trim()
      .regex(/^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/, said('domain', 'is not a valid domain name'))
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
    mac: z.string().refine((s) => parseMac(s) !== undefined, { message: said('mac', 'is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)') }),
    ip,
    hostname: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, said('hostname', 'must be a host name (letters, digits, hyphens; max 63)'))
      .optional(),
    clientId: z
      .string()
      .regex(/^([0-9a-fA-F]{2}[:-]?)+$/, said('client-id-hex', 'must be hex such as 01:aa:bb:cc:dd:ee:ff'))
      .optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A file name for the BOOTP file field: RFC 2131 §2 gives it 128 bytes, NUL-terminated. */
const bootFile = z
  .string()
  .trim()
  .min(1, said('empty', 'must not be empty'))
  .refine((s) => Buffer.byteLength(s, 'latin1') <= 127 && !/[^\x20-\xff]/.test(s), { message: said('boot-file', 'must be at most 127 characters without control characters (the BOOTP file field holds 128 bytes)') });

/**
 * A client class (client-classes.ts): what to match (all given conditions must hold) and what the
 * matching clients get over the subnet's options. Precedence: reservation > class > subnet.
 */
export const ClientClassSchema = z
  .object({
    name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, said('class-name', 'must be 1–64 letters, digits, spaces, dots, dashes or underscores')),
    /** Option 60 text: "MSFT 5.0", "PXEClient", "udhcp 1.36.1". */
    vendorClass: z.string().min(1, said('empty', 'must not be empty')).max(255, said('option-too-long', 'is longer than an option can hold (255 bytes)')).optional(),
    match: z.enum(['exact', 'prefix'], { message: said('class-match', 'must be "exact" or "prefix"') }).optional(),
    /** Option 77 text: "iPXE". */
    userClass: z.string().min(1, said('empty', 'must not be empty')).max(255, said('option-too-long', 'is longer than an option can hold (255 bytes)')).optional(),
    /** Option 93 architecture types (RFC 4578): 0 BIOS, 6 EFI IA32, 7/9 EFI x64, 10 ARM32, 11 ARM64, 16 HTTP x64. */
    arch: z
      .array(z.number().int(said('arch-int', 'must be whole numbers')).min(0, said('arch-range', 'must be 0–65535')).max(0xffff, said('arch-range', 'must be 0–65535')))
      .min(1, said('arch-empty', 'needs at least one architecture'))
      .optional(),
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
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, said('tftp-server', 'must be an IPv4 address or a host name'))
      .optional(),
    bios: bootFile.optional(),
    uefiIa32: bootFile.optional(),
    uefiX64: bootFile.optional(),
    arm32: bootFile.optional(),
    arm64: bootFile.optional(),
    ipxeScript: bootFile.refine((s) => /^(https?|tftp):\/\/\S+$/i.test(s), { message: said('ipxe-url', 'must be a URL such as http://198.18.10.1/boot.ipxe') }).optional(),
  })
  .strict();

/** Default of both per-MAC rate limits (messages per second): far above what a real client sends. */
export const DEFAULT_RATE_LIMIT = 10;

export const ConfigSchema = z
  .object({
    interface: z
      .string()
      .min(1, said('interface-required', 'is required: the network interface to serve on (see "pocket-dhcp interfaces")'))
      // Linux names are at most 15 bytes (IFNAMSIZ), checked when the socket is opened; Windows
      // names ("Local Area Connection 2") are longer, so the schema only bounds the size.
      .max(256, said('interface-long', 'is longer than any interface name (256 characters)')),
    dataDir: z.string().min(1).optional(),
    leaseTime: seconds.default(3600),
    authoritative: z.boolean().default(true),
    knownClientsOnly: z.boolean().default(false),
    offerHoldSeconds: z.number().int().min(1).max(3600).default(30),
    maxOfferHolds: z.number().int().min(1).max(1_000_000).default(10_000),
    /** DHCPDISCOVERs accepted per client MAC per second (engine rate-limit.ts); 0 turns the limit off. */
    discoverRateLimit: z.number().int(said('whole-number', 'must be a whole number')).min(0).max(100_000).default(DEFAULT_RATE_LIMIT),
    /**
     * DHCPREQUESTs, DHCPINFORMs and DHCPDECLINEs (counted together) accepted per client MAC per
     * second; 0 turns the limit off. A real client sends a few a minute (a DORA, a renewal at T1,
     * retransmissions 4 s apart), so 10 never touches one; a MAC sending more is dropped as
     * 'rate-limited' before its REQUEST can rewrite its lease record.
     */
    requestRateLimit: z.number().int(said('whole-number', 'must be a whole number')).min(0).max(100_000).default(DEFAULT_RATE_LIMIT),
    declineQuarantineSeconds: z.number().int().min(0).max(INFINITE).default(600),
    /** ARP-probe fresh addresses before offering them and name who holds a declined one (Linux; net/arp-probe.ts). */
    conflictCheck: z.boolean().default(true),
    /** How long a probe waits for an answer; the OFFER of a fresh address waits this long at most. */
    conflictCheckTimeoutMs: z.number().int().min(50, said('probe-min', 'must be at least {min} ms', { min: 50 })).max(3000, said('probe-max', 'must be at most {max} ms: clients retransmit after ~4 s', { max: 3000 })).default(500),
    subnets: z.array(SubnetSchema).min(1, said('no-subnet', "needs at least one subnet (the interface's own network)")),
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
        addProblem(ctx, [...path, 'subnet'], 'subnet-single', '{subnet} holds a single address: no room for the server (or relay) and a client; use a /31 (RFC 3021) or larger', { subnet: s.subnet });
        return;
      }
      for (const other of nets) {
        if (cidrContains(other.c, c.network) || cidrContains(c, other.c.network)) {
          addProblem(ctx, [...path, 'subnet'], 'subnet-overlap', 'overlaps subnets[{index}] ({other}); each subnet must be separate', { index: other.i, other: cfg.subnets[other.i]!.subnet });
        }
      }
      nets.push({ c, i });
      const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(s.range);
      if (m) {
        const [a, b] = [m[1]!, m[2]!];
        if (!isIpv4(a) || !isIpv4(b)) addProblem(ctx, [...path, 'range'], 'range-bad-address', '"{range}" has an invalid address', { range: s.range });
        else {
          const lo = ipToInt(a);
          const hi = ipToInt(b);
          const bcast = cidrBroadcast(c);
          if (lo > hi) addProblem(ctx, [...path, 'range'], 'range-reversed', 'starts after it ends ({start} > {end}); write the lower address first', { start: a, end: b });
          for (const [addr, n] of [[a, lo], [b, hi]] as const) {
            if (!cidrContains(c, n)) addProblem(ctx, [...path, 'range'], 'range-outside', '{address} is outside subnet {subnet}', { address: addr, subnet: s.subnet });
          }
          if (c.prefix < 31 && cidrContains(c, lo) && cidrContains(c, hi) && (lo <= c.network && hi >= c.network || lo <= bcast && hi >= bcast)) {
            addProblem(ctx, [...path, 'range'], 'range-network-broadcast', 'includes the network or broadcast address of {subnet} ({network} / {broadcast})', { subnet: s.subnet, network: intToIp(c.network), broadcast: intToIp(bcast) });
          }
        }
      }
      for (const r of s.router ?? []) {
        if (isIpv4(r) && !cidrContains(c, ipToInt(r))) addProblem(ctx, [...path, 'router'], 'router-outside', "{router} is not in subnet {subnet}: a gateway must be on the client's network", { router: r, subnet: s.subnet });
      }
      const lease = s.leaseTime ?? cfg.leaseTime;
      // Compared only against a valid lease time; an invalid one has its own message already.
      const leaseOk = Number.isInteger(lease) && lease >= MIN_LEASE_SECONDS && lease <= INFINITE;
      if (leaseOk && s.renewalTime !== undefined && lease !== INFINITE && s.renewalTime >= lease) addProblem(ctx, [...path, 'renewalTime'], 'shorter-than-lease', 'must be shorter than the lease time ({lease} s)', { lease });
      if (leaseOk && s.rebindingTime !== undefined && lease !== INFINITE && s.rebindingTime >= lease) addProblem(ctx, [...path, 'rebindingTime'], 'shorter-than-lease', 'must be shorter than the lease time ({lease} s)', { lease });
      // RFC 2131 §4.4.5: T1 < T2, also when only one is set and the other takes its default
      // (0.5 and 0.875 × the lease time).
      if (leaseOk && lease !== INFINITE && (s.renewalTime !== undefined || s.rebindingTime !== undefined)) {
        const t1 = renewalTime(s, lease)!;
        const t2 = rebindingTime(s, lease)!;
        if (t1 >= t2) {
          const field = s.renewalTime !== undefined ? 'renewalTime' : 'rebindingTime';
          if (s.renewalTime !== undefined && s.rebindingTime !== undefined) addProblem(ctx, [...path, field], 't1-t2', 'must be shorter than rebindingTime (RFC 2131 §4.4.5: T1 < T2)');
          else if (s.renewalTime !== undefined) addProblem(ctx, [...path, field], 't1-default-t2', 'must be shorter than the default rebinding time ({t2} s, 7/8 of the lease); set rebindingTime too (RFC 2131 §4.4.5: T1 < T2)', { t2 });
          else addProblem(ctx, [...path, field], 't2-default-t1', 'must be longer than the default renewal time ({t1} s, half the lease); set renewalTime too (RFC 2131 §4.4.5: T1 < T2)', { t1 });
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
        if (dup !== undefined) addProblem(ctx, [...path, 'mac'], 'duplicate-mac', 'duplicate reservation: {mac} is already reserved in reservations[{index}]', { mac, index: dup });
        else macs.set(mac, i);
      }
      if (isIpv4(r.ip)) {
        const dup = ips.get(r.ip);
        if (dup !== undefined) addProblem(ctx, [...path, 'ip'], 'duplicate-ip', 'duplicate reservation: {ip} is already reserved for reservations[{index}]', { ip: r.ip, index: dup });
        else ips.set(r.ip, i);
        const n = ipToInt(r.ip);
        const home = nets.find((x) => cidrContains(x.c, n));
        if (!home) addProblem(ctx, [...path, 'ip'], 'ip-outside-subnets', '{ip} is outside every configured subnet ({subnets})', { ip: r.ip, subnets: cfg.subnets.map((s) => s.subnet).join(', ') });
        else {
          if (home.c.prefix < 31 && (n === home.c.network || n === cidrBroadcast(home.c))) addProblem(ctx, [...path, 'ip'], 'ip-network-broadcast', '{ip} is the network or broadcast address of {subnet}', { ip: r.ip, subnet: cfg.subnets[home.i]!.subnet });
          const routers = cfg.subnets[home.i]!.router ?? [];
          if (routers.includes(r.ip)) addProblem(ctx, [...path, 'ip'], 'ip-router', "{ip} is the subnet's router address", { ip: r.ip });
          // DNS servers are real hosts too: resolveConfig excludes them from leasing.
          else if ((cfg.subnets[home.i]!.dns ?? []).includes(r.ip)) addProblem(ctx, [...path, 'ip'], 'ip-dns', "{ip} is the subnet's DNS server address", { ip: r.ip });
        }
      }
      if (r.clientId !== undefined) {
        const id = parseHex(r.clientId);
        // RFC 2132 §9.14: a type octet and at least one octet of identifier.
        if (id && id.length < 2) addProblem(ctx, [...path, 'clientId'], 'client-id-short', 'needs a type octet and at least one more octet (01:aa:bb:cc:dd:ee:ff)');
        else if (id) {
          const key = toColonHex(id);
          const dup = clientIds.get(key);
          if (dup !== undefined) addProblem(ctx, [...path, 'clientId'], 'duplicate-client-id', 'duplicate reservation: client id {id} is already reserved in reservations[{index}]', { id: key, index: dup });
          else clientIds.set(key, i);
        }
      }
      checkOptions(r.options, [...path, 'options'], ctx);
    });

    const classNames = new Map<string, number>();
    (cfg.classes ?? []).forEach((c, i) => {
      const path = ['classes', i];
      const dup = classNames.get(c.name.toLowerCase());
      if (dup !== undefined) addProblem(ctx, [...path, 'name'], 'class-duplicate', 'classes[{index}] is already called "{name}"; give each class its own name', { index: dup, name: c.name });
      else classNames.set(c.name.toLowerCase(), i);
      if (c.vendorClass === undefined && c.userClass === undefined && c.arch === undefined) {
        addProblem(ctx, [...path, 'vendorClass'], 'class-no-match', 'says nothing to match: set a vendor class (option 60), a user class (77) or an architecture (93)');
      }
      checkOptions(c.options, [...path, 'options'], ctx);
    });
    if (cfg.pxe) {
      const p = cfg.pxe;
      if (!p.bios && !p.uefiIa32 && !p.uefiX64 && !p.arm32 && !p.arm64 && !p.ipxeScript) addProblem(ctx, ['pxe'], 'pxe-no-file', 'has no boot file: set at least one (BIOS, UEFI x64, ARM64 …) or the iPXE script, or remove the PXE section');
      else if (!p.tftpServer && (p.bios || p.uefiIa32 || p.uefiX64 || p.arm32 || p.arm64)) addProblem(ctx, ['pxe', 'tftpServer'], 'pxe-tftp-required', 'is required with boot files: the address of the TFTP server that holds them');
    }
  });

/** Per-message options the server fills in itself: the setting that controls them instead. */
const PER_MESSAGE_SETTING: Readonly<Record<number, string>> = { 51: 'leaseTime', 58: 'renewalTime', 59: 'rebindingTime' };
const PER_MESSAGE = 'option {option} ({name}) is filled in by the server for each message and cannot be configured; ';

/** An option's problem: the English message, its code and values, and an encoder's reason (optErr.*). */
export interface OptionProblem extends ProblemText {
  message: string;
  reason?: OptionErrorReason;
}

/**
 * Why one configured option (name or code → value in its JSON shape) cannot be used, with its code
 * and values, or undefined: the check every options object of the configuration gets.
 */
export function optionProblemOf(key: string, value: unknown): OptionProblem | undefined {
  try {
    const { code } = optionFromJson(key, value);
    if (!PER_MESSAGE_OPTIONS.has(code)) return undefined;
    const setting = PER_MESSAGE_SETTING[code];
    const [textCode, template, params] =
      setting !== undefined
        ? ['option-per-message-setting', `${PER_MESSAGE}set "{setting}" instead`, { option: String(code), name: optionName(code), setting }]
        : code === 54
          ? ['option-per-message-server-id', `${PER_MESSAGE}it is the interface's address`, { option: String(code), name: optionName(code) }]
          : ['option-per-message', `${PER_MESSAGE}remove it`, { option: String(code), name: optionName(code) }];
    return { message: fillText(template, params), code: textCode, params };
  } catch (e) {
    if (!(e instanceof OptionValueError)) throw e;
    // "option N (name): detail": the detail is worded from the encoder's reason.
    return { message: e.message, code: 'option-value', params: { option: String(e.code), name: optionName(e.code), detail: e.detail }, ...(e.reason ? { reason: e.reason } : {}) };
  }
}

/** optionProblemOf's English message only (imported reservations). */
export function optionProblem(key: string, value: unknown): string | undefined {
  return optionProblemOf(key, value)?.message;
}

function checkOptions(options: Record<string, unknown> | undefined, path: (string | number)[], ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(options ?? {})) {
    const p = optionProblemOf(key, value);
    if (p) ctx.addIssue({ code: 'custom', path: [...path, key], message: p.message, params: { text: { code: p.code, params: p.params }, ...(p.reason ? { reason: p.reason } : {}) } });
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
  /** The English sentence (the CLI prints it; the UI's English shows it). */
  message: string;
  /** The sentence's code and values for other languages (the renderer's cfg.<code>); absent: English only. */
  code?: string;
  params?: Record<string, string>;
  /** An option value's problem (code 'option-value'): the encoder's reason, worded by optErr.<code>. */
  reason?: OptionErrorReason;
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

/** The types a value can be said to need or to have (cfg.want.* and cfg.got.* in the UI's catalogs). */
const WANT: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', boolean: 'a boolean', array: 'a list', object: 'an object', record: 'an object' };
const GOT: Readonly<Record<string, string>> = { null: 'null', list: 'a list', text: 'the text {value}', number: 'number {value}', boolean: 'boolean {value}', object: 'object {value}' };

/** "must be a number, not the text "x"": its code 'type' with the wanted type, the kind of value given and the value. */
function typeProblem(expected: string, value: unknown): Omit<ConfigProblem, 'field'> {
  if (value === undefined) return { message: 'is required', code: 'required' };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value === 'string' ? 'text' : typeof value;
  const shown = value === null || Array.isArray(value) ? '' : (JSON.stringify(value) ?? String(value));
  const gotTemplate = GOT[kind];
  const got = gotTemplate ? fillText(gotTemplate, { value: shown }) : `${typeof value} ${shown}`;
  const wanted = WANT[expected];
  const want = wanted ?? (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);
  const message = `must be ${want}, not ${got}`;
  return wanted && gotTemplate ? { message, code: 'type', params: { want: expected === 'record' ? 'object' : expected, got: kind, value: shown } } : { message };
}

/** Quoted, comma-separated: "a", "b". */
const quoted = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

/** A zod issue as a problem: the schema's own sentence with its code, or zod's generic kinds worded and coded here. */
function issueProblem(i: z.core.$ZodIssue, input: unknown): ConfigProblem {
  const field = formatPath(i.path);
  if (i.code === 'custom') {
    const params = i.params as { text?: ProblemText; reason?: OptionErrorReason } | undefined;
    if (params?.text) return { field, message: i.message, code: params.text.code, ...(params.text.params ? { params: params.text.params } : {}), ...(params.reason ? { reason: params.reason } : {}) };
  }
  const known = SAID.get(i.message);
  if (known) return { field, message: i.message, ...known };
  const coded = (code: string, template: string, params?: Record<string, string>): ConfigProblem => ({ field, message: fillText(template, params), code, ...(params ? { params } : {}) });
  switch (i.code) {
    case 'unrecognized_keys':
      return i.keys.length > 1 ? coded('unknown-settings', 'unknown settings {keys} (check the spelling)', { keys: quoted(i.keys) }) : coded('unknown-setting', 'unknown setting {keys} (check the spelling)', { keys: quoted(i.keys) });
    case 'invalid_type': {
      const value = valueAt(input, i.path);
      // zod's own wording ("Invalid input: expected number, received string") says nothing about the field.
      if (value !== undefined && !i.message.startsWith('Invalid input')) return { field, message: i.message };
      if (i.expected === 'int' && value !== undefined) return coded('whole-number', 'must be a whole number');
      return { field, ...typeProblem(i.expected, value) };
    }
    case 'too_small': {
      const min = String(i.minimum);
      if (i.origin === 'string') return i.minimum === 1 ? coded('empty', 'must not be empty') : coded('min-length', 'must be at least {min} characters', { min });
      if (i.origin === 'array' || i.origin === 'set') return coded('min-items', 'needs at least {min} entries', { min });
      return coded('min', 'must be at least {min}', { min });
    }
    case 'too_big': {
      const max = String(i.maximum);
      if (i.origin === 'string') return coded('max-length', 'must be at most {max} characters', { max });
      if (i.origin === 'array' || i.origin === 'set') return coded('max-items', 'must have at most {max} entries', { max });
      return coded('max', 'must be at most {max}', { max });
    }
    case 'invalid_value':
      return coded('one-of', 'must be one of {values}', { values: quoted(i.values) });
    case 'invalid_format':
      return coded('format', 'is not in the expected format');
    default:
      return { field, message: i.message };
  }
}

/** A schema's issues as problems (exported for the tests of zod's generic kinds). */
export function problemsOf(error: z.ZodError, input: unknown): ConfigProblem[] {
  return error.issues.map((i) => issueProblem(i, input));
}

/** Validates unknown input (parsed JSON, flags, a renderer payload) into a UserConfig or throws ConfigError. */
export function parseConfig(input: unknown): UserConfig {
  const r = ConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(problemsOf(r.error, input));
}
