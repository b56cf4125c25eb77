// Import and export in other tools' formats: the Import dialog's state (file, format, the engine's
// preview, which rows are ticked) and the export actions of the Export menus and "Export to Kea…".
// The engine parses and decides (import.preview / import.apply); this store only asks and shows.
import type { Api, ExportFile, ImportPreview, RequestOf } from '../../../src-main/ipc/contract.js';
import type { FormatId, What } from '../../../src-main/portability/registry.js';
import { formatInfo } from '../../../src-main/portability/registry.js';
import type { Transport } from '../lib/transport.js';
import { t } from '../i18n/index.js';
import { keaNotes } from '../lib/portability-text.js';
import type { SettingsStore } from './settings.svelte.js';
import type { Toasts } from './toasts.svelte.js';

export type KeaExportRequest = NonNullable<RequestOf<'export.kea'>>;

/** Key of a preview row in the "include" map. */
export const rowKey = (kind: 'lease' | 'reservation', id: number): string => `${kind}:${id}`;

/** The rows of `p` ticked by default (what the engine proposes). */
export function defaultIncluded(p: ImportPreview): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const r of p.reservations) out[rowKey('reservation', r.id)] = r.include;
  for (const r of p.leases) out[rowKey('lease', r.id)] = r.include;
  return out;
}

/** Ids of the ticked, applicable rows, per list (what import.apply takes). */
export function selectedIds(p: ImportPreview, included: Record<string, boolean>): { leases: number[]; reservations: number[] } {
  return {
    leases: p.leases.filter((r) => !r.blocked && included[rowKey('lease', r.id)]).map((r) => r.id),
    reservations: p.reservations.filter((r) => !r.blocked && included[rowKey('reservation', r.id)]).map((r) => r.id),
  };
}

export class PortabilityStore {
  // ---- the Import dialog ----
  importOpen = $state(false);
  text = $state('');
  filename = $state<string | undefined>();
  format = $state<FormatId | 'auto'>('auto');
  preview = $state.raw<ImportPreview | undefined>();
  included = $state<Record<string, boolean>>({});
  error = $state<string | undefined>();
  busy = $state(false);
  /** Rows ticked that can be applied. */
  readonly selected = $derived(this.preview ? selectedIds(this.preview, this.included) : { leases: [], reservations: [] });
  readonly selectedCount = $derived(this.selected.leases.length + this.selected.reservations.length);

  // ---- "Export to Kea…" ----
  keaOpen = $state(false);

  readonly #transport: () => Transport;
  readonly #toasts: Toasts;
  readonly #settings: SettingsStore;
  #seq = 0;

  constructor(transport: () => Transport, toasts: Toasts, settings: SettingsStore) {
    this.#transport = transport;
    this.#toasts = toasts;
    this.#settings = settings;
  }

  get #api(): Api {
    return this.#transport().api;
  }

  openImport(): void {
    this.importOpen = true;
  }

  closeImport(): void {
    this.importOpen = false;
    this.text = '';
    this.filename = undefined;
    this.format = 'auto';
    this.preview = undefined;
    this.included = {};
    this.error = undefined;
  }

  async loadFile(file: File): Promise<void> {
    // The largest file the connection carries (web mode's WebSocket takes 1 MiB a message), less
    // room for the request around the text (JSON escaping can grow it a little).
    const max = this.#transport().maxMessageBytes - 64 * 1024;
    if (file.size > max) {
      const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`);
      this.error = t('import.tooBig', { file: file.name, size: size(file.size), max: size(max) });
      return;
    }
    this.filename = file.name;
    this.text = await file.text();
    await this.runPreview();
  }

  async setFormat(format: FormatId | 'auto'): Promise<void> {
    this.format = format;
    if (this.text) await this.runPreview();
  }

  /** Asks the engine what importing the text would do (nothing is changed). */
  async runPreview(): Promise<void> {
    const seq = ++this.#seq;
    this.busy = true;
    this.error = undefined;
    try {
      // The engine compares against the saved draft: save pending edits first.
      await this.#settings.flush();
      const p = await this.#api['import.preview']({ text: this.text, format: this.format, ...(this.filename ? { filename: this.filename } : {}) });
      if (seq !== this.#seq) return;
      this.preview = p;
      this.included = defaultIncluded(p);
    } catch (e) {
      if (seq !== this.#seq) return;
      this.preview = undefined;
      this.error = (e as Error).message;
    } finally {
      if (seq === this.#seq) this.busy = false;
    }
  }

  toggle(kind: 'lease' | 'reservation', id: number, on: boolean): void {
    this.included = { ...this.included, [rowKey(kind, id)]: on };
  }

  setAll(kind: 'lease' | 'reservation', on: boolean): void {
    const p = this.preview;
    if (!p) return;
    const next = { ...this.included };
    for (const r of kind === 'lease' ? p.leases : p.reservations) if (!r.blocked && r.action !== 'unchanged') next[rowKey(kind, r.id)] = on;
    this.included = next;
  }

  async apply(): Promise<void> {
    const p = this.preview;
    if (!p || p.problems.length || this.busy) return;
    this.busy = true;
    try {
      await this.#settings.flush();
      const r = await this.#api['import.apply']({ text: this.text, format: p.format, ...(this.filename ? { filename: this.filename } : {}), ...this.selected });
      this.#settings.load(r.settings);
      const parts: string[] = [];
      if (r.added.reservations + r.replaced.reservations) parts.push(t('import.reservations', { count: r.added.reservations + r.replaced.reservations }));
      if (r.added.leases + r.replaced.leases) parts.push(t('import.leases', { count: r.added.leases + r.replaced.leases }));
      const what = parts.length === 2 ? t('import.and', { first: parts[0]!, second: parts[1]! }) : parts[0];
      const text = [what ? t('import.done', { what }) : t('import.doneNothing')];
      if (r.skipped.length) text.push(t('import.skippedRows', { count: r.skipped.length }));
      if (r.restartNeeded) text.push(t('import.restart'));
      this.#toasts.show(text.join(' · '), 'success');
      this.closeImport();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  // ---- export ----

  async #save(files: ExportFile[]): Promise<void> {
    for (const file of files) {
      const r = await this.#transport().saveFile(file);
      if (!r.saved) return; // cancelled: do not ask for the next file
      this.#toasts.show(r.where ? t('toast.saved', { where: r.where }) : t('toast.downloaded', { file: file.filename }), 'success');
    }
  }

  async exportData(what: What, format: FormatId): Promise<void> {
    try {
      await this.#settings.flush();
      await this.#save([await this.#api['export.file']({ what, format })]);
    } catch (e) {
      this.#toasts.show(t('toast.exportFormatFailed', { format: formatInfo(format).label, error: (e as Error).message }), 'error');
    }
  }

  /** "Export to Kea…": kea-dhcp4.conf and the lease file; true when done (the dialog closes). */
  async exportKea(req: KeaExportRequest): Promise<boolean> {
    try {
      await this.#settings.flush();
      const r = await this.#api['export.kea'](req);
      await this.#save(r.files);
      for (const n of keaNotes(r)) this.#toasts.show(n, 'info', 10_000);
      return true;
    } catch (e) {
      this.#toasts.show(t('toast.keaFailed', { error: (e as Error).message }), 'error');
      return false;
    }
  }
}
