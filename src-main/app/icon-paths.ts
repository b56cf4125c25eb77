// Where the app's icons are on disk (pure; tray.ts and window.ts pass Electron's facts): in a
// packaged app <resources>/icons (electron-builder.yml extraResources), from a checkout or an
// unpacked build resources/icons under the app path.
import { join } from 'node:path';

export interface IconFacts {
  isPackaged: boolean;
  /** process.resourcesPath (undefined outside Electron). */
  resourcesPath: string | undefined;
  /** app.getAppPath(). */
  appPath: string;
  exists(path: string): boolean;
}

/** icons/<parts…>: the packaged copy when there is one, else the repository's. */
export function iconPath(f: IconFacts, ...parts: string[]): string {
  const packaged = join(f.resourcesPath ?? '', 'icons', ...parts);
  return f.isPackaged && f.resourcesPath && f.exists(packaged) ? packaged : join(f.appPath, 'resources', 'icons', ...parts);
}

/** The colour icon of windows and notifications (Linux shows it in the title bar, task switcher and dock). */
export function appIconPath(f: IconFacts): string {
  return iconPath(f, 'png', '256x256.png');
}
