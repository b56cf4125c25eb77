// Turns `serve` flags or a config file into the validated user configuration. Both paths end in
// the same zod schema (config/schema.ts), so a flag and a file setting fail with the same message.
import { readFile } from 'node:fs/promises';
import { intToIp, ipToInt, prefixToMask } from '../dhcp/ip.js';
import { ConfigError, parseConfig, type UserConfig, type UserConfigInput } from '../config/schema.js';
import { optionDef, type OptionKind } from '../dhcp/options.js';

export interface ServeFlags {
  config?: string;
  interface?: string;
  range?: string;
  subnet?: string;
  router?: string;
  dns?: string;
  domain?: string;
  leaseTime?: string;
  reserve?: string[];
  dataDir?: string;
  option?: string[];
  authoritative?: boolean;
  knownClientsOnly?: boolean;
  /** false with --no-conflict-check. */
  conflictCheck?: boolean;
  /** `--discover-rate-limit N` as typed: DISCOVERs per MAC per second, 0 = off. */
  discoverRateLimit?: string;
  /** `--request-rate-limit N` as typed: REQUESTs + INFORMs + DECLINEs per MAC per second, 0 = off. */
  requestRateLimit?: string;
}

export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([{ field: '', message: code === 'ENOENT' ? `config file ${path} does not exist` : `cannot read config file ${path}: ${(e as Error).message}` }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError([{ field: '', message: `config file ${path} is not valid JSON: ${(e as Error).message}` }]);
  }
}

function list(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean);
}

function number(field: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s.trim())) throw new ConfigError([{ field, message: `"${s}" is not a whole number of seconds` }]);
  return Number(s);
}

function perSecond(field: string, flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s.trim())) throw new ConfigError([{ field, message: `"${flag} ${s}" must be a whole number of messages per second (0 turns the limit off)` }]);
  return Number(s);
}

/**
 * The per-MAC rate limits given as flags (`--discover-rate-limit`, `--request-rate-limit`), as
 * top-level config settings: used with the other flags, and over a --config file's values.
 */
export function rateLimitSettings(flags: Pick<ServeFlags, 'discoverRateLimit' | 'requestRateLimit'>): Pick<UserConfigInput, 'discoverRateLimit' | 'requestRateLimit'> {
  const discover = perSecond('discoverRateLimit', '--discover-rate-limit', flags.discoverRateLimit);
  const request = perSecond('requestRateLimit', '--request-rate-limit', flags.requestRateLimit);
  return { ...(discover !== undefined ? { discoverRateLimit: discover } : {}), ...(request !== undefined ? { requestRateLimit: request } : {}) };
}

/**
 * `--reserve MAC=IP[,hostname]`, repeatable. The hostname is optional.
 */
function reservation(spec: string, i: number): { mac: string; ip: string; hostname?: string } {
  const m = /^([^=]+)=([^,]+)(?:,(.+))?$/.exec(spec.trim());
  if (!m) throw new ConfigError([{ field: `reservations[${i}]`, message: `"--reserve ${spec}" must look like --reserve 02:00:00:00:00:aa=198.18.10.20[,printer]` }]);
  return { mac: m[1]!.trim(), ip: m[2]!.trim(), ...(m[3] ? { hostname: m[3].trim() } : {}) };
}

/** Kinds whose value is a list: a single value on the command line is a one-element list. */
const LIST_KINDS: ReadonlySet<OptionKind> = new Set(['ips', 'u8s', 'u16s', 'domains']);
/** Kinds whose value is text (or hex) in a config file: `1234` or `true` stays the text typed. */
const TEXT_KINDS: ReadonlySet<OptionKind> = new Set(['string', 'ip', 'mask', 'bytes', 'clientId']);

function parseJson(raw: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return undefined;
  }
}

/**
 * `--option name-or-code=value`. The option table's kind decides how the typed text is read, so
 * the shell form of a value needs no JSON: for a list kind, `198.18.10.1` or `198.18.10.1,198.18.10.2`
 * (or a JSON array) is the list; for a text kind, `1234` is the text "1234"; anything else (numbers,
 * true/false, routes and pairs) is JSON when it parses as JSON, else the text as typed. An unknown
 * name or a bad value is reported by the schema like a config file's.
 */
export function optionFlag(spec: string): [string, unknown] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new ConfigError([{ field: 'options', message: `"--option ${spec}" must look like --option ntp-servers=198.18.10.1 or --option 'classless-static-route=[…]'` }]);
  const key = spec.slice(0, eq).trim();
  const raw = spec.slice(eq + 1).trim();
  const json = parseJson(raw);
  // Unknown codes are raw bytes (hex text), like the table's 'bytes' kind.
  const def = optionDef(key);
  const kind: OptionKind | undefined = def ? def.kind : /^\d+$/.test(key) ? 'bytes' : undefined;
  if (kind && LIST_KINDS.has(kind)) {
    if (Array.isArray(json?.value)) return [key, json.value];
    const items = list(raw) ?? [];
    return [key, kind === 'u8s' || kind === 'u16s' ? items.map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : items];
  }
  if (kind && TEXT_KINDS.has(kind)) {
    // A JSON string ('"a b"') stays JSON; so do the typed sub-options of option 43 (a 'bytes' kind).
    const structured = kind === 'bytes' && typeof json?.value === 'object' && json.value !== null;
    return [key, json && (typeof json.value === 'string' || structured) ? json.value : raw];
  }
  return [key, json ? json.value : raw];
}

/**
 * Builds the config from flags. The subnet defaults to the interface's own network (`ifaceCidr`),
 * which the caller looks up — the common case needs no --subnet.
 */
export function configFromFlags(flags: ServeFlags, ifaceCidr: { address: string; prefix: number } | undefined): UserConfig {
  if (!flags.interface) throw new ConfigError([{ field: 'interface', message: 'is required: --interface IF (see "pocket-dhcp interfaces"), or use --config FILE' }]);
  if (!flags.range) throw new ConfigError([{ field: 'subnets[0].range', message: 'is required: --range FIRST-LAST, e.g. --range 192.168.77.100-192.168.77.200' }]);
  let subnet = flags.subnet;
  if (!subnet && ifaceCidr) {
    const mask = prefixToMask(ifaceCidr.prefix);
    subnet = `${intToIp((ipToInt(ifaceCidr.address) & mask) >>> 0)}/${ifaceCidr.prefix}`;
  }
  const input: UserConfigInput = {
    interface: flags.interface,
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.authoritative === false ? { authoritative: false } : {}),
    ...(flags.knownClientsOnly ? { knownClientsOnly: true } : {}),
    ...(flags.conflictCheck === false ? { conflictCheck: false } : {}),
    ...rateLimitSettings(flags),
    subnets: [
      {
        subnet: subnet ?? '',
        range: flags.range,
        ...(flags.router ? { router: list(flags.router) } : {}),
        ...(flags.dns ? { dns: list(flags.dns) } : {}),
        ...(flags.domain ? { domain: flags.domain } : {}),
        ...(flags.option?.length ? { options: Object.fromEntries(flags.option.map(optionFlag)) } : {}),
      },
    ],
    reservations: (flags.reserve ?? []).map(reservation),
  };
  const lease = number('leaseTime', flags.leaseTime);
  if (lease !== undefined) input.leaseTime = lease;
  return parseConfig(input);
}
