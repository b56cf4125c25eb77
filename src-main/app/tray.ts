// The tray / menu-bar item while serving: thin glue from trayModel (tray-model.ts, pure and
// unit-tested) to Electron's Tray. Created when serving starts, destroyed when it stops.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { ServerStatus } from '../ipc/contract.js';
import { trayModel, type TrayItem, type TrayModel } from './tray-model.js';
import type { ShellText } from './i18n.js';
import { iconPath, type IconFacts } from './icon-paths.js';

/** Electron's facts for icon-paths.ts. */
export function iconFacts(): IconFacts {
  return { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath(), exists: existsSync };
}

/** resources/icons/tray in the repository; <resources>/icons/tray in a packaged app (extraResources). */
export function trayIconDir(): string {
  return iconPath(iconFacts(), 'tray');
}

function icon(kind: TrayModel['icon']): NativeImage {
  const dir = trayIconDir();
  // macOS: a template image (black + alpha) that the menu bar tints; elsewhere the colour icon.
  const file = process.platform === 'darwin' ? (kind === 'warning' ? 'trayWarningTemplate.png' : 'trayTemplate.png') : kind === 'warning' ? 'tray-warning.png' : 'tray.png';
  const img = nativeImage.createFromPath(join(dir, file));
  if (process.platform === 'darwin') img.setTemplateImage(true);
  return img;
}

export class TrayController {
  private tray: Tray | undefined;
  private lastKey = '';

  constructor(
    private readonly actions: Record<Exclude<TrayItem['id'], 'status' | 'leases'>, () => void>,
    /** The texts in the window's current language. */
    private readonly text: () => ShellText,
  ) {}

  update(status: ServerStatus | undefined): void {
    const m = trayModel(status, this.text());
    if (!m.visible) {
      this.tray?.destroy();
      this.tray = undefined;
      this.lastKey = '';
      return;
    }
    const key = JSON.stringify(m);
    if (this.tray && key === this.lastKey) return;
    this.lastKey = key;
    if (!this.tray) {
      this.tray = new Tray(icon(m.icon));
      this.tray.on('click', () => this.actions.show());
    } else this.tray.setImage(icon(m.icon));
    this.tray.setToolTip(m.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        m.items.map((i) => (i.id === 'status' || i.id === 'leases' ? { label: i.label, enabled: false } : { label: i.label, enabled: i.enabled, click: () => this.actions[i.id as 'show' | 'stop' | 'quit']() })),
      ),
    );
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = undefined;
  }
}
