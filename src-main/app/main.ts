// Electron main process: one secure window (window.ts, security.ts) showing the renderer from
// app:// (protocol.ts), the contract over IPC (ipc-main.ts) to the engine — in this process, or on
// Linux without the privileges to serve, in the privileged helper started through pkexec
// (engine-host.ts, helper-launch.ts). While serving, a tray / menu-bar item shows the state
// (tray.ts) and rogue servers and address conflicts raise notifications (notify-model.ts).
// Quitting while serving, or while an interface still has the address the app set, asks whether to
// stop and restore (quit-flow.ts); the lease store is closed before the app exits. The tray, the
// notifications, the dialogs and the menu speak the window's language (i18n.ts, `app.language`).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, Notification, shell } from 'electron';
import { defaultDataDir } from '../config/paths.js';
import type { AppInfo, NicChangeResult, NicRestorePlan, NicSavedInfo } from '../ipc/contract.js';
import { HelperClient } from '../helper/helper-client.js';
import { findOnPath, hasPolkitAgent, processNames } from '../net/elevate.js';
import { ServerController } from '../server/controller.js';
import { checkPrivileges } from '../server/privileges.js';
import { UI_HINTS } from '../server/startup.js';
import { EngineHost } from './engine-host.js';
import { appNicElevation, helperCommand, type LaunchFacts } from './helper-launch.js';
import { localeOfTag, shellText, type Locale, type ShellText } from './i18n.js';
import { buildMenu } from './menu.js';
import { NotificationGate } from './notify-model.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { registerIpc } from './ipc-main.js';
import { planQuit, quitChoice, restoreFailedDialog } from './quit-flow.js';
import { hardenWebContents } from './security.js';
import { createSaveFile } from './save-file.js';
import { APP_ID } from './app-id.js';
import { appIconPath } from './icon-paths.js';
import { iconFacts, TrayController } from './tray.js';
import { createMainWindow, loadRenderer } from './window.js';

const PRELOAD = join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_DIR = join(import.meta.dirname, '../renderer');
/** The CLI next to this bundle (out/main/cli.js; inside app.asar when packaged): run as root for the helper. */
const CLI = join(import.meta.dirname, 'cli.js');

let host: EngineHost | undefined;
let win: BrowserWindow | undefined;
let unregisterIpc: (() => void) | undefined;
let tray: TrayController | undefined;
let quitState: 'running' | 'asking' | 'closing' | 'closed' = 'running';
/** The window's language (it reports it with `app.language`); the OS locale until it does. */
let text: ShellText | undefined;

function tx(): ShellText {
  return (text ??= shellText(localeOfTag(app.getLocale())));
}

// Windows shows notifications under this id (electron-builder.yml appId); without it they carry no
// name or icon. Set before anything can notify.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
registerAppScheme();
app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the lease store; it gets focused instead (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.whenReady().then(start, (e: unknown) => fatal(e));
}

function showWindow(): void {
  if (!win || win.isDestroyed()) {
    if (host) void openWindow(host);
    return;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

const saveFile = createSaveFile({
  showSaveDialog: (options) => (win && !win.isDestroyed() ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options)),
  writeFile: (path, content) => writeFile(path, content, 'utf8'),
  downloadsDir: () => app.getPath('downloads'),
});

function launchFacts(): LaunchFacts {
  const pkexec = process.platform === 'linux' ? findOnPath('pkexec') : undefined;
  return {
    platform: process.platform,
    execPath: process.execPath,
    electron: true,
    cliPath: CLI,
    ...(process.env.APPIMAGE ? { appImage: process.env.APPIMAGE } : {}),
    ...(pkexec ? { pkexec } : {}),
    polkitAgent: process.platform === 'linux' && hasPolkitAgent(processNames()),
  };
}

async function openWindow(h: EngineHost): Promise<void> {
  unregisterIpc?.();
  const w = createMainWindow(PRELOAD);
  win = w;
  unregisterIpc = registerIpc(w, h.dispatch, (l) => h.subscribe(l));
  // Closing the window quits (a DHCP server should not keep running invisibly): through the
  // quit flow, so serving and a changed interface are asked about first.
  w.on('close', (e) => {
    if (quitState === 'closed') return;
    e.preventDefault();
    app.quit();
  });
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
  const facts = launchFacts();
  const own = await checkPrivileges({ electron: true });
  const helper = helperCommand(facts, dataDir);
  const needsHelper = process.platform === 'linux' && !own.canServe;
  try {
    host = await EngineHost.open({
      openLocal: () => ServerController.open({ dataDir, packetEvents: true, hints: UI_HINTS, nicElevation: appNicElevation(facts, own.canConfigureNic), nicBy: 'app' }),
      ...(needsHelper && helper.ok ? { startHelper: () => HelperClient.start(helper.command.argv, { viaPkexec: true }), helperCommand: helper.command.text } : {}),
      ...(needsHelper && !helper.ok ? { helperUnavailable: helper.reason } : {}),
      appInfo: (_engine, canApply): AppInfo => ({ version: app.getVersion(), mode: 'electron', platform: process.platform, dataDir, nativeSave: true, canApplyStaticAddress: canApply }),
      saveFile,
      privileges: () => checkPrivileges({ electron: true, ...(needsHelper ? { helper: helper.ok ? { available: true, command: helper.command.text } : { available: false, reason: helper.reason } } : {}) }),
      onError: (call, e) => {
        if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError) console.error(`internal error in ${call}:`, e);
      },
      setLanguage: (language) => setLanguage(language, dataDir),
    });
  } catch (e) {
    return fatal(e);
  }
  const h = host;
  handleAppProtocol(RENDERER_DIR);
  Menu.setApplicationMenu(buildMenu(dataDir, tx()));

  tray = new TrayController(
    {
      show: () => showWindow(),
      // The engine restores the interface when the restore-on-stop preference says so (nic-options.ts).
      stop: () => void h.dispatch('server.stop', undefined),
      quit: () => app.quit(),
    },
    tx,
  );
  const gate = new NotificationGate();
  h.subscribe((e) => {
    if (e.name === 'status') tray?.update(e.payload);
    if (e.name === 'log' && Notification.isSupported()) {
      for (const spec of gate.consider(e.payload, Date.now(), tx())) {
        const n = new Notification({ title: spec.title, body: spec.body, icon: appIconPath(iconFacts()) });
        n.on('click', () => showWindow());
        n.show();
      }
    }
  });
  await openWindow(h);
  app.on('activate', () => showWindow());
}

/** The window now shows `language`: the menu and the tray follow at once, dialogs and notifications from now on. */
function setLanguage(language: Locale, dataDir: string): void {
  if (text?.locale === language) return;
  text = shellText(language);
  Menu.setApplicationMenu(buildMenu(dataDir, text));
  tray?.update(host?.status);
}

function fatal(e: unknown): void {
  dialog.showErrorBox(tx().t('shell.fatal'), (e as Error)?.message ?? String(e));
  quitState = 'closed';
  app.quit();
}

async function savedChanges(h: EngineHost): Promise<NicSavedInfo[]> {
  const r = await h.dispatch('nic.saved', undefined);
  return r.ok ? (r.value as NicSavedInfo[]) : [];
}

/** What restoring each saved interface would run (nic.restorePlan), shown in the quit dialog and re-checked when it runs. */
async function restorePlans(h: EngineHost, saved: readonly NicSavedInfo[]): Promise<Map<string, NicRestorePlan>> {
  const plans = new Map<string, NicRestorePlan>();
  for (const s of saved) {
    const r = await h.dispatch('nic.restorePlan', { interface: s.interface });
    if (r.ok) plans.set(s.interface, r.value as NicRestorePlan);
  }
  return plans;
}

/** Asks (quit-flow.ts), stops, restores what the user chose, closes the engine, quits. */
async function quitFlow(h: EngineHost): Promise<void> {
  const saved = await savedChanges(h);
  const plans = await restorePlans(h, saved);
  const plan = planQuit({ status: h.status, saved, restoreCommands: [...plans.values()].flatMap((p) => p.commands) }, tx());
  let action = plan.kind === 'quit' ? plan.action : undefined;
  if (plan.kind === 'ask') {
    if (win && !win.isDestroyed()) showWindow();
    const opts = { type: 'question' as const, title: plan.title, message: plan.message, detail: plan.detail, buttons: plan.buttons, defaultId: plan.defaultId, cancelId: plan.cancelId, noLink: true };
    const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
    action = quitChoice(plan, r.response);
  }
  if (!action?.quit) {
    quitState = 'running';
    return;
  }
  quitState = 'closing';
  // The user chose in the dialog whether to restore: the restore-on-stop preference does not apply here.
  if (action.stop) await h.dispatch('server.stop', { restore: false });
  for (const ifname of action.restore) {
    const shown = plans.get(ifname)?.commands;
    const r = await h.dispatch('nic.restore', { interface: ifname, ...(shown ? { expect: shown } : {}) });
    const failed = !r.ok ? r.error.message : (r.value as NicChangeResult[]).filter((x) => !x.ok).map((x) => x.message).join('\n');
    if (failed) {
      const again = await dialog.showMessageBox({ type: 'warning', ...restoreFailedDialog(ifname, failed, tx()), noLink: true });
      if (again.response === 1) {
        quitState = 'running';
        return;
      }
    }
  }
  tray?.destroy();
  await h.close().catch((err: unknown) => console.error('closing the engine failed:', err));
  quitState = 'closed';
  app.quit();
}

// Quitting waits for the user's answer, the server to stop and the lease store to close.
app.on('before-quit', (e) => {
  if (quitState === 'closed' || !host) return;
  e.preventDefault();
  if (quitState !== 'running') return;
  quitState = 'asking';
  void quitFlow(host).catch((err: unknown) => {
    console.error('quitting failed:', err);
    quitState = 'closed';
    app.quit();
  });
});

// The window is the app (also on macOS — a DHCP server should not keep running invisibly).
app.on('window-all-closed', () => app.quit());
