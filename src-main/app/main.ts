// Electron main process: one secure window (window.ts, security.ts) showing the renderer from
// app:// (protocol.ts), the contract over IPC (ipc-main.ts → ipc/handlers.ts), and the same
// ServerController as the CLI and web mode, on the same data directory (config/paths.ts). The DHCP
// server is stopped and the lease store closed before the app quits.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { defaultDataDir } from '../config/paths.js';
import type { AppInfo } from '../ipc/contract.js';
import { createDispatcher, createHandlers } from '../ipc/handlers.js';
import { ServerController } from '../server/controller.js';
import { UI_HINTS } from '../server/startup.js';
import { buildMenu } from './menu.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { registerIpc } from './ipc-main.js';
import { safeFilename } from './security.js';
import { createMainWindow, hardenWebContents, loadRenderer } from './window.js';

const PRELOAD = join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_DIR = join(import.meta.dirname, '../renderer');

let controller: ServerController | undefined;
let win: BrowserWindow | undefined;
let unregisterIpc: (() => void) | undefined;
let quitState: 'running' | 'closing' | 'closed' = 'running';

registerAppScheme();
app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the lease store; it gets focused instead (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.whenReady().then(start, (e: unknown) => fatal(e));
}

function appInfo(dataDir: string): AppInfo {
  return { version: app.getVersion(), mode: 'electron', platform: process.platform, dataDir, nativeSave: true, canApplyStaticAddress: false };
}

async function saveFile(filename: string, content: string): Promise<{ path: string | null }> {
  const name = safeFilename(filename);
  const ext = name.split('.').pop()?.toLowerCase();
  const options = {
    defaultPath: join(app.getPath('downloads'), name),
    filters: ext === 'csv' ? [{ name: 'CSV', extensions: ['csv'] }] : ext === 'json' ? [{ name: 'JSON', extensions: ['json'] }] : [],
  };
  const r = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return { path: null };
  await writeFile(r.filePath, content, 'utf8');
  return { path: r.filePath };
}

async function openWindow(c: ServerController): Promise<void> {
  unregisterIpc?.();
  const dispatch = createDispatcher(createHandlers(c, { appInfo: () => appInfo(c.dataDir), saveFile }), {
    onError: (call, e) => {
      if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError) console.error(`internal error in ${call}:`, e);
    },
  });
  const w = createMainWindow(PRELOAD);
  win = w;
  unregisterIpc = registerIpc(w, dispatch, c);
  w.on('closed', () => {
    if (win !== w) return;
    unregisterIpc?.();
    unregisterIpc = undefined;
    win = undefined;
  });
  await loadRenderer(w);
}

async function start(): Promise<void> {
  const dataDir = defaultDataDir();
  try {
    controller = await ServerController.open({ dataDir, packetEvents: true, hints: UI_HINTS });
  } catch (e) {
    return fatal(e);
  }
  handleAppProtocol(RENDERER_DIR);
  Menu.setApplicationMenu(buildMenu(dataDir));
  await openWindow(controller);
  app.on('activate', () => {
    if (controller && BrowserWindow.getAllWindows().length === 0) void openWindow(controller);
  });
}

function fatal(e: unknown): void {
  dialog.showErrorBox('Pocket DHCP cannot start', (e as Error)?.message ?? String(e));
  quitState = 'closed';
  app.quit();
}

// Quitting waits for the server to stop and the lease store to close (in-flight ACKs are written).
app.on('before-quit', (e) => {
  if (quitState === 'closed' || !controller) return;
  e.preventDefault();
  if (quitState === 'closing') return;
  quitState = 'closing';
  void controller
    .close()
    .catch((err: unknown) => console.error('closing the server failed:', err))
    .finally(() => {
      quitState = 'closed';
      app.quit();
    });
});

// The window is the app: closing it stops serving (also on macOS — a DHCP server should not keep
// running invisibly).
app.on('window-all-closed', () => app.quit());
