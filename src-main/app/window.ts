// The one window: secure web preferences, app:// content, nothing else — no new windows (https
// links go to the user's browser), no navigation, no webviews (hardenWebContents in security.ts,
// applied to every web contents), no permissions. Its options are pure (window-options.ts).
import { BrowserWindow, nativeTheme } from 'electron';
import { RENDERER_URL } from './security.js';
import { appIconPath } from './icon-paths.js';
import { iconFacts } from './tray.js';
import { mainWindowOptions } from './window-options.js';

/** The window, not yet loaded: register IPC first, then `loadRenderer(win)`. */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions({ preload, dark: nativeTheme.shouldUseDarkColors, platform: process.platform, icon: appIconPath(iconFacts()) }));
  const ses = win.webContents.session;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  win.once('ready-to-show', () => win.show());
  return win;
}

export function loadRenderer(win: BrowserWindow): Promise<void> {
  return win.loadURL(RENDERER_URL);
}
