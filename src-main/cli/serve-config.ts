// Turns `serve` flags or a config file into the validated user configuration. Both paths end in
// the same zod schema (config/schema.ts), so a flag and a file setting fail with the same message.
import { readFile } from 'node:fs/promises';
import { intToIp, ipToInt, prefixToMask } from '../dhcp/ip.js';
import { ConfigError, parseConfig, type UserConfig, type UserConfigInput } from '../config/schema.js';

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

/**
 * `--reserve MAC=IP[,hostname]`, repeatable. The hostname is optional.
 */
function reservation(spec: string, i: number): { mac: string; ip: string; hostname?: string } {
  const m = /^([^=]+)=([^,]+)(?:,(.+))?$/.exec(spec.trim());
  if (!m) throw new ConfigError([{ field: `reservations[${i}]`, message: `"--reserve ${spec}" must look like --reserve 02:00:00:00:00:aa=198.18.10.20[,printer]` }]);
  return { mac: m[1]!.trim(), ip: m[2]!.trim(), ...(m[3] ? { hostname: m[3].trim() } : {}) };
}

/** `--option name-or-code=value` where value is JSON when it parses as JSON, else text. */
function optionFlag(spec: string): [string, unknown] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new ConfigError([{ field: 'options', message: `"--option ${spec}" must look like --option ntp-servers=198.18.10.1 or --option 'classless-static-route=[…]'` }]);
  const key = spec.slice(0, eq).trim();
  const raw = spec.slice(eq + 1).trim();
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw.includes(',') && /^[\d.,\s]+$/.test(raw) ? list(raw) : raw];
  }
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
