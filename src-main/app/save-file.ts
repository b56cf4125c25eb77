// "Save as…" for exports in the desktop app (file.save): the native save dialog in the Downloads
// folder with the suggested name (no directories, nothing Windows refuses — safeFilename), a filter
// for the file's type, then the file written. The dialog and the file system are injected, so this
// is tested without Electron.
import { join } from 'node:path';
import { safeFilename } from './security.js';

export interface SaveDialogOptions {
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

export interface SaveFileDeps {
  /** Electron's dialog.showSaveDialog (attached to the window when there is one). */
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  writeFile(path: string, content: string): Promise<void>;
  /** app.getPath('downloads'). */
  downloadsDir(): string;
}

const FILTERS: Record<string, SaveDialogOptions['filters']> = {
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  json: [{ name: 'JSON', extensions: ['json'] }],
};

/** The dialog's options for a suggested file name. */
export function saveDialogOptions(filename: string, downloadsDir: string): SaveDialogOptions {
  const name = safeFilename(filename);
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  return { defaultPath: join(downloadsDir, name), filters: FILTERS[ext] ?? [] };
}

/** Saves `content` where the user chooses; `{ path: null }` when they cancel. */
export function createSaveFile(deps: SaveFileDeps): (filename: string, content: string) => Promise<{ path: string | null }> {
  return async (filename, content) => {
    const r = await deps.showSaveDialog(saveDialogOptions(filename, deps.downloadsDir()));
    if (r.canceled || !r.filePath) return { path: null };
    await deps.writeFile(r.filePath, content);
    return { path: r.filePath };
  };
}
