// The main window's options (pure; window.ts creates the BrowserWindow): size, the secure web
// preferences (security.ts), the background painted before the page (the theme's --bg, so dark
// mode does not flash white while the renderer loads) and, on Linux, the window icon (macOS and
// Windows take it from the app bundle / the executable).
import { electronWebPreferences, type SecureWebPreferences } from './security.js';

/** src-renderer/src/styles.css `--bg`, light and dark (the unit test reads it from there). */
export const WINDOW_BACKGROUND = { light: '#f4f6f8', dark: '#0e1115' } as const;

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: false;
  backgroundColor: string;
  icon?: string;
  webPreferences: SecureWebPreferences;
}

export function mainWindowOptions(o: { preload: string; dark: boolean; platform: NodeJS.Platform; icon?: string }): MainWindowOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    title: 'Pocket DHCP',
    show: false,
    backgroundColor: o.dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    ...(o.platform === 'linux' && o.icon ? { icon: o.icon } : {}),
    webPreferences: electronWebPreferences(o.preload),
  };
}
