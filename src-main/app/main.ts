// Electron main process (minimal until the desktop-app issue): one secure window that shows the
// engine is present. contextIsolation + sandbox, no Node in the renderer, no navigation.
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { allOptionDefs } from '../dhcp/options.js';
import { listInterfaces } from '../net/interfaces.js';

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'Pocket DHCP',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  await win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

ipcMain.handle('engine:info', async (event) => {
  if (event.senderFrame?.url && !event.senderFrame.url.startsWith('file://')) throw new Error('rejected: foreign sender');
  const interfaces = await listInterfaces().catch(() => []);
  return { version: app.getVersion(), options: allOptionDefs().length, interfaces: interfaces.map((i) => i.name) };
});

app.whenReady().then(createWindow);
app.on('window-all-closed', () => app.quit());
