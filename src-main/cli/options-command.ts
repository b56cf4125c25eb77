// `pocket-dhcp options`: every option the configuration sends — per subnet, class and reservation —
// with its bytes on the wire (config/options-report.ts, the encoder the server and the UI's hex
// preview use) and the configuration's warnings; `--templates` lists the option 43 templates and
// the IP phone presets. Reads the configuration only: safe while a server runs.
import { parseConfig } from '../config/schema.js';
import { optionsReport, type OptionsReport, type ReportedOption } from '../config/options-report.js';
import { optionWire } from '../dhcp/option-json.js';
import { optionDef } from '../dhcp/options.js';
import { PHONE_TEMPLATES } from '../dhcp/phone-templates.js';
import { VENDOR_OPTION, VENDOR_TEMPLATES } from '../dhcp/vendor-options.js';
import { CliError, EXIT_CONFIG } from './errors.js';
import { loadDraft } from './portability-command.js';

export interface OptionsFlags {
  config?: string;
  dataDir?: string;
  json?: boolean;
  templates?: boolean;
}

const VALUE_WIDTH = 36;

/** A value as one short line: JSON, cut with an ellipsis (the full value is in --json). */
function valueText(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  const s = JSON.stringify(v).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return s.length > VALUE_WIDTH ? `${s.slice(0, VALUE_WIDTH - 1)}…` : s;
}

function optionLine(o: ReportedOption, nameWidth: number): string {
  return `  ${String(o.code).padStart(3)}  ${o.name.padEnd(nameWidth)}  ${valueText(o.value).padEnd(VALUE_WIDTH)}  ${o.wire}`;
}

export function formatOptionsReport(r: OptionsReport): string {
  const nameWidth = Math.max(12, ...r.scopes.flatMap((s) => s.options.map((o) => o.name.length)));
  const out: string[] = [];
  for (const s of r.scopes) {
    out.push(`${s.kind} ${s.name}${s.detail ? ` — ${s.detail}` : ''}  (${s.field})`);
    if (s.nextServer) out.push(`       next server (siaddr) ${s.nextServer}`);
    if (s.bootFile) out.push(`       boot file (BOOTP file field) ${JSON.stringify(s.bootFile)}`);
    if (!s.options.length) out.push('       (no options)');
    for (const o of s.options) out.push(optionLine(o, nameWidth));
  }
  if (!r.scopes.length) out.push('(no subnets, classes or reservations)');
  out.push('', 'Precedence, highest first: reservation → the first class that matches → subnet.');
  if (r.warnings.length) {
    out.push('', 'warnings:');
    for (const w of r.warnings) out.push(`  ${w.field}: ${w.message}`);
  }
  return `${out.join('\n')}\n`;
}

export interface TemplateListing {
  vendor: { id: string; label: string; option: number; value: unknown; wire: string; vendorClass?: { text: string; match: 'exact' | 'prefix' }; hint: string }[];
  phone: { id: string; label: string; options: { name: string; code: number; value: unknown; wire: string }[]; hint: string }[];
}

export function templateListing(): TemplateListing {
  return {
    vendor: VENDOR_TEMPLATES.map((t) => ({
      id: t.id,
      label: t.label,
      option: VENDOR_OPTION,
      value: t.value,
      wire: optionWire(VENDOR_OPTION, t.value).wire,
      ...(t.vendorClass ? { vendorClass: t.vendorClass } : {}),
      hint: t.hint,
    })),
    phone: PHONE_TEMPLATES.map((t) => ({
      id: t.id,
      label: t.label,
      options: Object.entries(t.options).map(([name, value]) => {
        const w = optionWire(name, value);
        return { name: optionDef(w.code)?.name ?? name, code: w.code, value, wire: w.wire };
      }),
      hint: t.hint,
    })),
  };
}

export function formatTemplates(l: TemplateListing): string {
  const out = ['Option 43 templates (the option 43 editor\'s "Template…"; "vendor-encapsulated-options" in a configuration file):'];
  for (const t of l.vendor) {
    out.push(`  ${t.id.padEnd(12)} ${t.label}`, `  ${''.padEnd(12)} value ${JSON.stringify(t.value)}`, `  ${''.padEnd(12)} wire  ${t.wire}`);
    if (t.vendorClass) out.push(`  ${''.padEnd(12)} devices send ${JSON.stringify(t.vendorClass.text)} in option 60 (${t.vendorClass.match}): put it in a vendor class to send it only to them`);
    out.push(`  ${''.padEnd(12)} ${t.hint}`);
  }
  out.push('', 'IP phone presets ("Phone preset…" beside the option picker; the options to put in a configuration file):');
  for (const t of l.phone) {
    out.push(`  ${t.id.padEnd(12)} ${t.label}`);
    for (const o of t.options) out.push(`  ${''.padEnd(12)} "${o.name}": ${JSON.stringify(o.value)}`, `  ${''.padEnd(12)} wire  ${o.wire}`);
    out.push(`  ${''.padEnd(12)} ${t.hint}`);
  }
  out.push('', 'The addresses are placeholders: replace them with your servers\'.');
  return `${out.join('\n')}\n`;
}

export async function runOptions(flags: OptionsFlags): Promise<void> {
  if (flags.templates) {
    const l = templateListing();
    process.stdout.write(flags.json ? `${JSON.stringify(l, null, 2)}\n` : formatTemplates(l));
    return;
  }
  const { draft, dataDir } = await loadDraft(flags);
  if (!flags.config && Object.keys(draft).length === 0) {
    throw new CliError(`no settings are saved in ${dataDir} (the app and "serve --web" save them there): give a configuration file with --config FILE, or --data-dir DIR`, EXIT_CONFIG);
  }
  // An invalid configuration throws ConfigError: exit 2 naming each field and its problem.
  const report = optionsReport(parseConfig(draft));
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatOptionsReport(report));
}
