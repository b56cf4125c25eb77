// The one window: secure web preferences, app:// content, nothing else — no new windows (https
// links go to the user's browser), no navigation, no webviews, no permissions.
import { BrowserWindow, shell, type WebContents } from 'electron';
import { electronWebPreferences, isSafeExternalUrl, RENDERER_URL } from './security.js';

/** Applied to every web contents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

/** The window, not yet loaded: register IPC first, then `loadRenderer(win)`. */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    title: 'Pocket DHCP',
    show: false,
    webPreferences: electronWebPreferences(preload),
  });
  const ses = win.webContents.session;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  win.once('ready-to-show', () => win.show());
  return win;
}

export function loadRenderer(win: BrowserWindow): Promise<void> {
  return win.loadURL(RENDERER_URL);
}
