// The desktop window's security settings, as pure data and predicates (no electron import), so a
// unit test can check them without launching Electron. Electron's security checklist:
// contextIsolation, sandbox, no Node in the renderer, webSecurity, no webview, no insecure
// content, a custom protocol instead of file:// (scheme-relative loads, real response headers
// with the CSP), permissions denied, new windows denied, navigation blocked.
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
/** Where the window loads the renderer from (served by protocol.ts from out/renderer). */
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
}

export function electronWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** Privileges of the app:// scheme (registered before ready): standard + secure, nothing more. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/** Is `url` a page of our renderer (app://renderer/…)? The sender check of every IPC call. */
export function isRendererUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Links the renderer may open in the user's browser: https only, no credentials. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The part of Electron's WebContents that hardenWebContents touches (a fake in the unit test). */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'will-redirect', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Applied to every web contents the app creates (app 'web-contents-created'): no new windows (an
 * https link opens in the user's browser through `openExternal`, nothing else opens at all), no
 * navigation or redirect away from the renderer, no webviews.
 */
export function hardenWebContents(contents: HardenableContents, openExternal: (url: string) => unknown): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

/** A file name for the save dialog: no directories, no characters that are invalid on Windows. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '').trim();
  return clean.slice(0, 200) || 'pocket-dhcp-export.txt';
}

/** What a frame tells about itself (Electron's WebFrameMain: processId, routingId, url). */
export interface FrameFacts {
  processId: number;
  routingId: number;
  url: string;
}

/**
 * Whether an IPC call may be dispatched: it must come from our window's own webContents (not
 * another window or a webview), from its main frame (not an iframe, whatever it loaded), and that
 * frame must show the renderer (app://renderer, not a page it was navigated to). Pure: ipc-main.ts
 * passes the facts of the Electron event.
 */
export function isTrustedSender(s: { windowDestroyed: boolean; fromWindowContents: boolean; frame: FrameFacts | null | undefined; mainFrame: FrameFacts }): boolean {
  if (s.windowDestroyed || !s.fromWindowContents) return false;
  const f = s.frame;
  if (!f || f.processId !== s.mainFrame.processId || f.routingId !== s.mainFrame.routingId) return false;
  return isRendererUrl(f.url);
}
