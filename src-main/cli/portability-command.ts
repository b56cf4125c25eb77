// `pocket-dhcp export` and `pocket-dhcp import`: the same formats, preview and conflict rules as the
// app's Import dialog and Export menu (src-main/portability/). Export reads the data directory
// without locking it (safe while a server runs). Import prints the preview; --yes applies it and
// then needs the data directory to itself (the lease store's lock): while a server runs on it,
// import through that server's UI (serve --web) instead.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { ConfigError, parseConfig, type UserConfig } from '../config/schema.js';
import type { Lease } from '../dhcp/lease.js';
import { JsonFileError, readJsonFile, writeJsonFileAtomic } from '../leases/json-file.js';
import { readLeaseSnapshot } from '../leases/lease-reader.js';
import { LeaseStore } from '../leases/lease-store.js';
import { ImportRefused } from '../portability/apply.js';
import { DEFAULT_KEA_HOOKS_DIR, type HaOptions, type KeaExportOptions } from '../portability/formats/kea-config.js';
import { ExportError } from '../portability/model.js';
import type { ImportPreview, PreviewRow } from '../portability/preview.js';
import { formatInfo, isFormatId, type FormatId, type What } from '../portability/registry.js';
import { configOf, exportFile, exportKea, planImport, previewImport, UnknownFormat } from '../portability/service.js';
import { SETTINGS_FILE } from '../server/controller.js';
import { CliError, EXIT_CONFIG } from './errors.js';
import { readConfigFile } from './serve-config.js';

export interface ExportFlags {
  dataDir?: string;
  config?: string;
  format: string;
  what?: string;
  output?: string;
  interface?: string;
  leaseFile?: string;
  haMode?: string;
  haThis?: string;
  haPeer?: string[];
  keaHooksDir?: string;
}

export interface ImportFlags {
  dataDir?: string;
  format?: string;
  dryRun?: boolean;
  yes?: boolean;
}

const out = (s: string) => process.stdout.write(s);

/** The draft (settings.json of the data directory, or --config FILE) and the data directory. */
export async function loadDraft(flags: { dataDir?: string; config?: string }): Promise<{ draft: Record<string, unknown>; dataDir: string }> {
  if (flags.config) {
    const raw = (await readConfigFile(flags.config)) as Record<string, unknown>;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError([{ field: '', message: `${flags.config} does not hold a configuration object` }]);
    return { draft: raw, dataDir: flags.dataDir ?? (typeof raw.dataDir === 'string' ? raw.dataDir : defaultDataDir()) };
  }
  const dataDir = flags.dataDir ?? defaultDataDir();
  try {
    const saved = await readJsonFile(join(dataDir, SETTINGS_FILE));
    return { draft: saved && typeof saved === 'object' && !Array.isArray(saved) ? (saved as Record<string, unknown>) : {}, dataDir };
  } catch (e) {
    if (e instanceof JsonFileError) throw new CliError(e.message, EXIT_CONFIG);
    throw e;
  }
}

async function loadLeases(dataDir: string): Promise<Lease[]> {
  try {
    const snap = await readLeaseSnapshot(dataDir);
    for (const note of snap.notes) if (!snap.missing) process.stderr.write(`pocket-dhcp: note: ${note}\n`);
    return snap.leases;
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function haOptions(flags: ExportFlags): HaOptions | undefined {
  if (!flags.haMode && !flags.haPeer?.length && !flags.haThis) return undefined;
  const mode = flags.haMode ?? 'hot-standby';
  if (mode !== 'load-balancing' && mode !== 'hot-standby') throw new CliError(`--ha-mode must be load-balancing or hot-standby, not "${mode}"`, EXIT_CONFIG);
  const peers = (flags.haPeer ?? []).map((p) => {
    const m = /^([A-Za-z0-9_.-]+)=(\S+)$/.exec(p);
    if (!m) throw new CliError(`--ha-peer "${p}" must look like --ha-peer server1=http://198.18.0.1:8000/`, EXIT_CONFIG);
    return { name: m[1]!, url: m[2]! };
  });
  if (peers.length !== 2) throw new CliError(`High Availability needs exactly two --ha-peer NAME=URL (the first is the primary); got ${peers.length}`, EXIT_CONFIG);
  return { mode, thisServer: flags.haThis ?? peers[0]!.name, peers: [peers[0]!, peers[1]!] };
}

export async function runExport(flags: ExportFlags): Promise<void> {
  if (!isFormatId(flags.format)) throw new CliError(`unknown format "${flags.format}"`, EXIT_CONFIG);
  const format: FormatId = flags.format;
  const info = formatInfo(format);
  const what = flags.what ?? (format === 'kea' ? 'config' : 'leases');
  if (what !== 'leases' && what !== 'reservations' && what !== 'config') throw new CliError(`--what must be leases, reservations or config, not "${what}"`, EXIT_CONFIG);
  const { draft, dataDir } = await loadDraft(flags);
  const leases = await loadLeases(dataDir);
  const now = Date.now();

  if (what === 'config') {
    if (format !== 'kea') throw new CliError(`--what config is the complete Kea export (--format kea); ${info.label} exports leases${info.exports.reservations ? ' and reservations' : ''}`, EXIT_CONFIG);
    if (!flags.output) throw new CliError('--format kea writes two files (kea-dhcp4.conf and the lease file): give the directory with -o DIR', EXIT_CONFIG);
    const config = requireConfig(draft, flags);
    const dir = resolve(flags.output);
    const opts: KeaExportOptions = {
      ...(flags.interface ? { interface: flags.interface } : {}),
      leaseFile: flags.leaseFile ?? join(dir, 'kea-leases4.csv'),
      hooksDir: flags.keaHooksDir ?? DEFAULT_KEA_HOOKS_DIR,
      ...(haOptions(flags) ? { ha: haOptions(flags)! } : {}),
    };
    const bundle = exportKea(config, leases, opts);
    await mkdir(dir, { recursive: true });
    for (const f of bundle.files) {
      await writeFile(join(dir, f.filename), f.content);
      process.stderr.write(`pocket-dhcp: wrote ${join(dir, f.filename)}\n`);
    }
    for (const n of bundle.notes) process.stderr.write(`pocket-dhcp: note: ${n}\n`);
    process.stderr.write(`pocket-dhcp: check it with: kea-dhcp4 -t ${join(dir, 'kea-dhcp4.conf')}\n`);
    return;
  }
  if (!info.exports[what]) throw new CliError(`${info.label} cannot hold ${what}; it exports ${Object.keys(info.exports).join(' and ') || 'nothing (import only)'}`, EXIT_CONFIG);
  if (format === 'kea' && what === 'reservations') requireConfig(draft, flags);
  let file;
  try {
    file = exportFile(what as What, format, {
      draft,
      leases,
      now,
      kea: { ...(flags.interface ? { interface: flags.interface } : {}), ...(flags.leaseFile ? { leaseFile: flags.leaseFile } : {}), ...(flags.keaHooksDir ? { hooksDir: flags.keaHooksDir } : {}), ...(haOptions(flags) ? { ha: haOptions(flags)! } : {}) },
    });
  } catch (e) {
    if (e instanceof ExportError) throw new CliError(e.message, EXIT_CONFIG);
    throw e;
  }
  if (flags.output && flags.output !== '-') {
    await writeFile(flags.output, file.content);
    process.stderr.write(`pocket-dhcp: wrote ${flags.output}\n`);
  } else out(file.content);
}

function requireConfig(draft: Record<string, unknown>, flags: { config?: string; dataDir?: string }): UserConfig {
  const cfg = configOf(draft);
  if (cfg) return cfg;
  // Let parseConfig say what is wrong (exit 2 with the field names).
  try {
    parseConfig(draft);
  } catch (e) {
    if (e instanceof ConfigError && !flags.config) {
      throw new ConfigError([{ field: '', message: `the settings saved in ${flags.dataDir ?? defaultDataDir()} are not a complete configuration (Kea needs subnets and ranges); give one with --config FILE` }, ...e.problems]);
    }
    throw e;
  }
  return parseConfig(draft);
}

// ---- import ----

function rowLine<T>(kind: string, r: PreviewRow<T>, text: string): string {
  const mark = r.blocked ? 'BLOCKED' : r.include ? 'apply  ' : 'skip   ';
  const where = r.line !== undefined ? `line ${r.line}` : '';
  const head = `  ${mark} ${kind.padEnd(11)} ${r.action.padEnd(9)} ${text}${where ? `  (${where})` : ''}`;
  return [head, ...r.conflicts.map((c) => `      ${c.blocking ? '✗' : '!'} ${c.message}`)].join('\n');
}

export function formatPreview(p: ImportPreview): string {
  const lines = [`format: ${formatInfo(p.format).label}${p.detected ? ' (detected)' : ''}`];
  lines.push(`${p.counts.reservations} reservation(s), ${p.counts.leases} lease(s); ${p.counts.blocked} blocked, ${p.counts.warnings} with warnings`);
  for (const n of p.notes) lines.push(`note: ${n}`);
  for (const r of p.reservations) lines.push(rowLine('reservation', r, `${r.item.mac} → ${r.item.ip ?? '?'}${r.item.auto ? ' (next free)' : ''}${r.item.hostname ? ` ${r.item.hostname}` : ''}`));
  for (const r of p.leases) lines.push(rowLine('lease', r, `${r.item.ip} ${r.item.mac || '(no MAC)'} ${r.item.state} until ${new Date(r.item.expiresAt).toISOString()}${r.item.hostname ? ` ${r.item.hostname}` : ''}`));
  return `${lines.join('\n')}\n`;
}

export async function runImport(file: string, flags: ImportFlags): Promise<void> {
  const format = flags.format ?? 'auto';
  if (format !== 'auto' && !isFormatId(format)) throw new CliError(`unknown format "${format}"`, EXIT_CONFIG);
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, EXIT_CONFIG);
  }
  const { draft, dataDir } = await loadDraft({ ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
  const leases = await loadLeases(dataDir);
  const now = Date.now();
  const req = { text, format: format as FormatId | 'auto', filename: file };
  let preview: ImportPreview;
  try {
    preview = previewImport(req, draft, leases, now);
  } catch (e) {
    if (e instanceof UnknownFormat) throw new CliError(e.message, EXIT_CONFIG);
    throw e;
  }
  if (preview.problems.length) {
    const shown = preview.problems.slice(0, 20).map((p) => `  ${file}:${p.line}: ${p.message}`);
    throw new CliError(`${file} is not a valid ${formatInfo(preview.format).label} file; nothing was imported:\n${shown.join('\n')}${preview.problems.length > 20 ? `\n  … and ${preview.problems.length - 20} more` : ''}`, EXIT_CONFIG);
  }
  out(formatPreview(preview));
  if (flags.dryRun || !flags.yes) {
    out(`nothing applied (${flags.dryRun ? 'dry run' : 'add --yes to apply'}): ${preview.counts.included} row(s) would be applied\n`);
    return;
  }
  // Take the data directory: the lock refuses while a server runs here.
  let store: LeaseStore;
  try {
    store = await LeaseStore.open(dataDir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(code === 'LOCKED' ? `a Pocket DHCP server is using ${dataDir}: stop it, or import through its UI (pocket-dhcp serve --web)` : (e as Error).message);
  }
  try {
    // Decide again against the records as the store holds them now.
    const fresh = { draft, leases: store.all() };
    let plan;
    try {
      plan = planImport(req, {}, fresh.draft, fresh.leases, now).plan;
    } catch (e) {
      if (e instanceof ImportRefused) throw new CliError(e.message, EXIT_CONFIG);
      throw e;
    }
    if (plan.reservations) await writeJsonFileAtomic(join(dataDir, SETTINGS_FILE), { ...draft, reservations: plan.reservations });
    if (plan.leases.length) await store.apply(plan.leases);
    for (const s of plan.skipped) process.stderr.write(`pocket-dhcp: skipped ${s.kind}${s.line ? ` (line ${s.line})` : ''}: ${s.reason}\n`);
    out(`applied: ${plan.added.reservations} reservation(s) added, ${plan.replaced.reservations} replaced; ${plan.added.leases} lease(s) added, ${plan.replaced.leases} replaced\n`);
  } finally {
    await store.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
