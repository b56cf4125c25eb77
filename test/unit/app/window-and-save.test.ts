// The desktop window's options, its icon and the "Save as…" of exports, without Electron: the pure
// parts of window.ts (window-options.ts, icon-paths.ts) and save-file.ts with the dialog and the
// file system injected.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appIconPath, iconPath, type IconFacts } from '../../../src-main/app/icon-paths.js';
import { createSaveFile, type SaveDialogOptions } from '../../../src-main/app/save-file.js';
import { mainWindowOptions, WINDOW_BACKGROUND } from '../../../src-main/app/window-options.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('main window options', () => {
  it('paints the theme’s background before the page loads (no white flash in dark mode)', () => {
    // The renderer's --bg, light (:root) and dark (prefers-color-scheme: dark).
    const css = readFileSync(join(ROOT, 'src-renderer/src/styles.css'), 'utf8');
    const bgs = [...css.matchAll(/--bg:\s*(#[0-9a-fA-F]{3,8})\s*;/g)].map((m) => m[1]!.toLowerCase());
    expect(bgs.slice(0, 2)).toEqual([WINDOW_BACKGROUND.light, WINDOW_BACKGROUND.dark]);
    expect(mainWindowOptions({ preload: '/p.cjs', dark: true, platform: 'linux' }).backgroundColor).toBe('#0e1115');
    expect(mainWindowOptions({ preload: '/p.cjs', dark: false, platform: 'linux' }).backgroundColor).toBe('#f4f6f8');
  });

  it('gives the window its icon on Linux (macOS and Windows take it from the bundle / the executable); secure web preferences', () => {
    const linux = mainWindowOptions({ preload: '/p.cjs', dark: false, platform: 'linux', icon: '/r/icons/png/256x256.png' });
    expect(linux).toMatchObject({ icon: '/r/icons/png/256x256.png', show: false, minWidth: 760, webPreferences: { preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false } });
    for (const platform of ['darwin', 'win32'] as const) expect(mainWindowOptions({ preload: '/p.cjs', dark: false, platform, icon: '/x.png' })).not.toHaveProperty('icon');
  });
});

describe('icon paths', () => {
  const facts = (o: Partial<IconFacts> = {}): IconFacts => ({ isPackaged: false, resourcesPath: '/opt/Pocket DHCP/resources', appPath: ROOT, exists: existsSync, ...o });

  it('from a checkout: resources/icons of the repository, and the files are there', () => {
    expect(appIconPath(facts())).toBe(join(ROOT, 'resources/icons/png/256x256.png'));
    expect(existsSync(appIconPath(facts()))).toBe(true);
    expect(existsSync(join(iconPath(facts(), 'tray'), 'tray.png'))).toBe(true);
  });

  it('packaged: <resources>/icons (electron-builder extraResources), the app path only when it is missing', () => {
    const packaged = facts({ isPackaged: true, appPath: '/opt/Pocket DHCP/resources/app.asar', exists: (p) => p.startsWith('/opt/Pocket DHCP/resources/icons/') });
    expect(appIconPath(packaged)).toBe('/opt/Pocket DHCP/resources/icons/png/256x256.png');
    expect(iconPath(packaged, 'tray')).toBe('/opt/Pocket DHCP/resources/icons/tray');
    expect(appIconPath({ ...packaged, exists: () => false })).toBe('/opt/Pocket DHCP/resources/app.asar/resources/icons/png/256x256.png');
    // Not packaged: never the resources folder (that is Electron's own in a development run).
    expect(appIconPath(facts({ exists: () => true }))).toBe(join(ROOT, 'resources/icons/png/256x256.png'));
  });
});

describe('Save as… (file.save)', () => {
  function harness(answer: (o: SaveDialogOptions) => { canceled: boolean; filePath?: string }) {
    const shown: SaveDialogOptions[] = [];
    const written: [string, string][] = [];
    const save = createSaveFile({
      showSaveDialog: async (o) => (shown.push(o), answer(o)),
      writeFile: async (path, content) => {
        written.push([path, content]);
        await writeFile(path, content, 'utf8');
      },
      downloadsDir: () => '/home/u/Downloads',
    });
    return { save, shown, written };
  }

  it('suggests the name in Downloads with a filter for CSV and JSON, none for other types', async () => {
    const { save, shown } = harness(() => ({ canceled: true }));
    await save('leases.csv', 'x');
    await save('reservations.JSON', 'x');
    await save('dnsmasq.leases', 'x');
    await save('kea-dhcp4.conf', 'x');
    expect(shown).toEqual([
      { defaultPath: '/home/u/Downloads/leases.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] },
      { defaultPath: '/home/u/Downloads/reservations.JSON', filters: [{ name: 'JSON', extensions: ['json'] }] },
      { defaultPath: '/home/u/Downloads/dnsmasq.leases', filters: [] },
      { defaultPath: '/home/u/Downloads/kea-dhcp4.conf', filters: [] },
    ]);
  });

  it('the name goes through safeFilename: no directories, nothing Windows refuses', async () => {
    const { save, shown } = harness(() => ({ canceled: true }));
    await save('../../etc/cron.d/x.csv', 'x');
    await save('a<b>:c?.json', 'x');
    expect(shown.map((o) => o.defaultPath)).toEqual(['/home/u/Downloads/x.csv', '/home/u/Downloads/a_b__c_.json']);
    expect(shown[1]!.filters).toEqual([{ name: 'JSON', extensions: ['json'] }]);
  });

  it('cancel: nothing written, { path: null }; chosen: the content written there', async () => {
    const cancelled = harness(() => ({ canceled: true, filePath: '/tmp/ignored.csv' }));
    expect(await cancelled.save('leases.csv', 'ip,mac\n')).toEqual({ path: null });
    expect(await harness(() => ({ canceled: false })).save('leases.csv', 'ip,mac\n')).toEqual({ path: null });
    expect(cancelled.written).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'pd-savefile-'));
    dirs.push(dir);
    const target = join(dir, 'mine.csv');
    const chosen = harness(() => ({ canceled: false, filePath: target }));
    expect(await chosen.save('leases.csv', 'ip,mac\n198.18.0.10,02:00:00:00:00:01\n')).toEqual({ path: target });
    expect(readFileSync(target, 'utf8')).toBe('ip,mac\n198.18.0.10,02:00:00:00:00:01\n');
  });
});
