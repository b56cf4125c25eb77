// Every option a configuration sends, per scope (subnet, class, reservation), with the bytes the
// server puts on the wire — what `pocket-dhcp options` prints and the UI's option editors show
// one by one (option-json.ts optionWire, the server's encoder). Pure: a function of the validated
// configuration.
import { archName, pxeClasses } from '../dhcp/client-classes.js';
import { intToIp, parseCidr } from '../dhcp/ip.js';
import { optionWire } from '../dhcp/option-json.js';
import { optionDef, optionName } from '../dhcp/options.js';
import { classSpecs } from './resolve.js';
import type { ConfigProblem, UserConfig } from './schema.js';
import { configWarnings } from './warnings.js';

export interface ReportedOption {
  /** Where it is set: "subnets[0].options.ntp-servers", "subnets[0].router". */
  field: string;
  code: number;
  /** The option table's name ("ntp-servers"), or "option-224" outside it. */
  name: string;
  /** The value as configured (the configuration's JSON shape). */
  value: unknown;
  /** The data, colon hex. */
  hex: string;
  /** Code, length and data as on the wire. */
  wire: string;
  length: number;
}

export interface OptionScope {
  kind: 'subnet' | 'class' | 'reservation';
  /** The subnet, the class name, or "MAC → IP". */
  name: string;
  /** What the class matches ("vendor class \"MSFT 5.0\" (prefix)"), a reservation's host name. */
  detail?: string;
  /** The configuration path of the scope: "subnets[0]", "classes[1]", "pxe", "reservations[2]". */
  field: string;
  options: ReportedOption[];
  /** BOOTP fields a class sets (RFC 2131 §2 siaddr and file). */
  nextServer?: string;
  bootFile?: string;
}

export interface OptionsReport {
  scopes: OptionScope[];
  /** Valid but probably not meant (option 121 without a default route, RFC 3442 …). */
  warnings: ConfigProblem[];
}

function reported(field: string, key: string | number, value: unknown): ReportedOption {
  const w = optionWire(key, value);
  return { field, code: w.code, name: optionDef(w.code)?.name ?? optionName(w.code), value, hex: w.hex, wire: w.wire, length: w.length };
}

function fromObject(base: string, options: Record<string, unknown> | undefined): ReportedOption[] {
  return Object.entries(options ?? {}).map(([key, value]) => reported(`${base}.options.${key}`, key, value));
}

function classDetail(c: { vendorClass?: string; match?: 'exact' | 'prefix'; userClass?: string; arch?: number[] }): string {
  const parts: string[] = [];
  if (c.vendorClass !== undefined) parts.push(`vendor class ${JSON.stringify(c.vendorClass)}${c.match === 'prefix' ? ' (prefix)' : ''}`);
  if (c.userClass !== undefined) parts.push(`user class ${JSON.stringify(c.userClass)}`);
  if (c.arch?.length) parts.push(`architecture ${c.arch.map((a) => `${a} (${archName(a)})`).join(', ')}`);
  return parts.join(', ');
}

const byCode = (a: ReportedOption, b: ReportedOption) => a.code - b.code;

export function optionsReport(cfg: UserConfig): OptionsReport {
  const scopes: OptionScope[] = [];
  cfg.subnets.forEach((s, i) => {
    const base = `subnets[${i}]`;
    // The subnet's mask (1) and the scope form's own fields become options 3, 6 and 15 (config/resolve.ts, dhcp/reply-options.ts).
    const own: ReportedOption[] = [reported(`${base}.subnet`, 1, intToIp(parseCidr(s.subnet)!.mask))];
    if (s.router?.length) own.push(reported(`${base}.router`, 3, s.router));
    if (s.dns?.length) own.push(reported(`${base}.dns`, 6, s.dns));
    if (s.domain) own.push(reported(`${base}.domain`, 15, s.domain.replace(/\.$/, '')));
    scopes.push({ kind: 'subnet', name: s.subnet, field: base, options: [...own, ...fromObject(base, s.options)].sort(byCode) });
  });
  const pxeCount = pxeClasses(cfg.pxe).length;
  classSpecs(cfg).forEach((c, i) => {
    const base = i < pxeCount ? 'pxe' : `classes[${i - pxeCount}]`;
    const detail = classDetail(c);
    scopes.push({
      kind: 'class',
      name: c.name,
      ...(detail ? { detail } : {}),
      field: base,
      options: fromObject(base, c.options).sort(byCode),
      ...(c.nextServer ? { nextServer: c.nextServer } : {}),
      ...(c.bootFile ? { bootFile: c.bootFile } : {}),
    });
  });
  cfg.reservations.forEach((r, i) => {
    const base = `reservations[${i}]`;
    const own = r.hostname ? [reported(`${base}.hostname`, 12, r.hostname)] : [];
    scopes.push({ kind: 'reservation', name: `${r.mac} → ${r.ip}`, ...(r.hostname ? { detail: r.hostname } : {}), field: base, options: [...own, ...fromObject(base, r.options)].sort(byCode) });
  });
  return { scopes, warnings: configWarnings(cfg) };
}
