// Contract calls from the window over one IPC channel, through the dispatcher; push events back
// with webContents.send, held until the page calls app.ready (and again after a reload).
// A call from anything but our window's main frame showing app://renderer is refused.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { createSession, type Dispatch } from '../ipc/handlers.js';
import type { WireResult } from '../ipc/contract.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../ipc/names.js';
import type { HostEvent } from './engine-host.js';
import { isTrustedSender } from './security.js';

function fromOurWindow(win: BrowserWindow, event: IpcMainInvokeEvent): boolean {
  if (win.isDestroyed()) return false;
  const frame = event.senderFrame;
  const main = win.webContents.mainFrame;
  return isTrustedSender({
    windowDestroyed: false,
    fromWindowContents: event.sender === win.webContents,
    frame: frame ? { processId: frame.processId, routingId: frame.routingId, url: frame.url } : null,
    mainFrame: { processId: main.processId, routingId: main.routingId, url: main.url },
  });
}

/** `subscribe`: the engine's push events (EngineHost.subscribe, whichever engine runs). */
export function registerIpc(win: BrowserWindow, dispatch: Dispatch, subscribe: (listener: (e: HostEvent) => void) => () => void): () => void {
  const session = createSession(dispatch, (name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  const unsubscribe = subscribe((e) => session.push(e.name, e.payload as never));
  // A reload starts a new page: it queues events until it says app.ready again.
  win.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) session.reset();
  });
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, payload: unknown): Promise<WireResult<unknown>> => {
    if (!fromOurWindow(win, event)) return { ok: false, error: { code: 'forbidden', message: 'calls are accepted only from the Pocket DHCP window' } };
    return session.dispatch(name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
  };
}
