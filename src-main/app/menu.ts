// A basic application menu: the platform's usual roles, plus opening the data folder. Our own
// labels follow the window's language (i18n.ts); the roles' labels are Electron's.
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { ENGLISH, type ShellText } from './i18n.js';

export function buildMenu(dataDir: string, { t }: ShellText = ENGLISH): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: t('shell.menu.file'),
      submenu: [
        { label: t('shell.menu.openData'), click: () => void shell.openPath(dataDir) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: t('shell.menu.view'),
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
