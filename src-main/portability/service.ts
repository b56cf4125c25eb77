// The entry points the controller (UI) and the CLI share: export a file, preview an import, plan
// its application. Still no I/O: callers pass the draft and the lease records they hold.
import { ConfigError, parseConfig, type UserConfig } from '../config/schema.js';
import { parseMac } from '../dhcp/ip.js';
import type { Lease } from '../dhcp/lease.js';
import { planApply, type ApplyPlan, type ImportSelection } from './apply.js';
import { detectFormat, exportText, parseText } from './codecs.js';
import { buildKeaConfig, DEFAULT_KEA_LEASE_FILE, keaSubnetIds, type KeaExportOptions } from './formats/kea-config.js';
import { formatLeases as keaLeases } from './formats/kea.js';
import { addNote, ExportError, type PortableReservation, type TextCode } from './model.js';
import { buildPreview, importStateFromDraft, type ImportPreview } from './preview.js';
import { exportFilename, FORMAT_IDS, formatInfo, type FormatId, type What } from './registry.js';

export interface OutFile {
  filename: string;
  mime: string;
  content: string;
}

/** The draft as a configuration, or undefined while it is not valid. */
export function configOf(draft: Record<string, unknown>): UserConfig | undefined {
  try {
    return parseConfig(draft);
  } catch (e) {
    if (e instanceof ConfigError) return undefined;
    throw e;
  }
}

/** The draft's reservations as far as they are readable (MAC normalised). */
export function draftReservations(draft: Record<string, unknown>): PortableReservation[] {
  const out: PortableReservation[] = [];
  for (const r of (Array.isArray(draft.reservations) ? draft.reservations : []) as Record<string, unknown>[]) {
    if (!r || typeof r.mac !== 'string' || typeof r.ip !== 'string') continue;
    out.push({
      mac: parseMac(r.mac) ?? r.mac,
      ip: r.ip.trim(),
      ...(typeof r.hostname === 'string' && r.hostname ? { hostname: r.hostname } : {}),
      ...(typeof r.clientId === 'string' && r.clientId ? { clientId: r.clientId.toLowerCase().replace(/-/g, ':') } : {}),
      ...(r.options && typeof r.options === 'object' ? { options: r.options as Record<string, unknown> } : {}),
    });
  }
  return out;
}

export function exportFile(what: What, format: FormatId, x: { draft: Record<string, unknown>; leases: readonly Lease[]; now: number; kea?: KeaExportOptions }): OutFile {
  const info = formatInfo(format);
  const spec = info.exports[what];
  if (!spec) throw new ExportError(`${info.label} cannot hold ${what}`);
  const config = configOf(x.draft);
  const content = exportText({ what, format, leases: x.leases, reservations: draftReservations(x.draft), ...(config ? { config } : {}), now: x.now, ...(x.kea ? { kea: x.kea } : {}) });
  return { filename: exportFilename(format, what, x.now), mime: spec.mime, content };
}

export interface KeaBundle {
  files: OutFile[];
  /** What to do with the files, in English (the CLI prints these). */
  notes: string[];
  /** notes[i]'s code and values (kea.note.<code> in the UI's catalogs), same index. */
  noteCodes: (TextCode | null)[];
}

/** "Export to Kea": kea-dhcp4.conf and the lease file it names (`opts.leaseFile`, default /var/lib/kea/kea-leases4.csv). */
export function exportKea(config: UserConfig, leases: readonly Lease[], opts: KeaExportOptions = {}): KeaBundle {
  const leaseFile = opts.leaseFile ?? DEFAULT_KEA_LEASE_FILE;
  const built = buildKeaConfig(config, leases, { ...opts, leaseFile });
  const csvName = leaseFile.split('/').pop() || 'kea-leases4.csv';
  const out: Pick<KeaBundle, 'notes' | 'noteCodes'> = { notes: [], noteCodes: [] };
  addNote(out, 'lease-file', { path: leaseFile, file: csvName }, `kea-dhcp4.conf expects the lease file at ${leaseFile}: copy ${csvName} there (owned by the user Kea runs as, _kea on Debian) before starting Kea.`);
  built.notes.forEach((n, i) => {
    const code = built.noteCodes?.[i];
    if (code) addNote(out, code.code, code.params ?? {}, n);
    else out.notes.push(n);
  });
  while (out.noteCodes.length < out.notes.length) out.noteCodes.push(null);
  return {
    files: [
      { filename: 'kea-dhcp4.conf', mime: 'application/json', content: `${JSON.stringify(built.config, null, 2)}\n` },
      { filename: csvName, mime: 'text/csv', content: keaLeases(leases, keaSubnetIds(config)) },
    ],
    ...out,
  };
}

export class UnknownFormat extends Error {
  override name = 'UnknownFormat';
}

export interface ImportRequest {
  text: string;
  /** Undefined or "auto": detect from the content. */
  format?: FormatId | 'auto';
  filename?: string;
}

export function previewImport(req: ImportRequest, draft: Record<string, unknown>, leases: readonly Lease[], now: number): ImportPreview {
  const chosen = req.format && req.format !== 'auto' ? req.format : undefined;
  const format = chosen ?? detectFormat(req.text, req.filename);
  if (!format) throw new UnknownFormat(`cannot tell which format ${req.filename ? `"${req.filename}"` : 'this text'} is in: choose one (${FORMAT_IDS.join(', ')})`);
  const parsed = parseText(format, req.text, now);
  if (parsed.problems.length === 0 && parsed.leases.length === 0 && parsed.reservations.length === 0) {
    addNote(parsed, 'nothing', { format: formatInfo(format).label }, `nothing to import was found in this ${formatInfo(format).label} file`);
  }
  return buildPreview(parsed, importStateFromDraft(draft, leases, now), format, chosen === undefined);
}

export function planImport(req: ImportRequest, selection: ImportSelection, draft: Record<string, unknown>, leases: readonly Lease[], now: number): { preview: ImportPreview; plan: ApplyPlan } {
  const preview = previewImport(req, draft, leases, now);
  const state = importStateFromDraft(draft, leases, now);
  const list = (Array.isArray(draft.reservations) ? draft.reservations : []) as Record<string, unknown>[];
  return { preview, plan: planApply(preview, selection, state, list) };
}
