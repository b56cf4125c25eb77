// The IPC wiring of the desktop window (src-main/app/ipc-main.ts) with Electron's ipcMain mocked:
// the handler registerIpc() installs is called with fake invoke events, as Electron would call it.
// A call from our window's main frame showing app://renderer reaches the dispatcher; one from
// another webContents (a second window, a webview), an iframe, a main frame navigated away, a frame
// that is gone, or a destroyed window is refused with 'forbidden' and never dispatched.
// (The pure rule is isTrustedSender, test/unit/ipc/hostile-input.test.ts; this checks the facts
// ipc-main.ts reads from the event and the window are the right ones.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { IPC_CALL_CHANNEL } from '../../../src-main/ipc/names.js';

const electron = vi.hoisted(() => ({ handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (electron.handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
      electron.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
}));

const { registerIpc } = await import('../../../src-main/app/ipc-main.js');

interface Frame {
  processId: number;
  routingId: number;
  url: string;
}

function fakeWindow() {
  const mainFrame: Frame = { processId: 4, routingId: 1, url: 'app://renderer/index.html' };
  const webContents = { mainFrame, send: vi.fn(), on: vi.fn() };
  const state = { destroyed: false };
  const win = { isDestroyed: () => state.destroyed, webContents } as unknown as BrowserWindow;
  return { win, webContents, mainFrame, state };
}

const FORBIDDEN = { ok: false, error: { code: 'forbidden', message: 'calls are accepted only from the Pocket DHCP window' } };

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

function setup() {
  const w = fakeWindow();
  const dispatch = vi.fn(async (name: unknown) => ({ ok: true as const, value: `ran ${String(name)}` }));
  unregister = registerIpc(w.win, dispatch, () => () => undefined);
  const handler = electron.handlers.get(IPC_CALL_CHANNEL);
  if (!handler) throw new Error('registerIpc did not install a handler');
  const call = (event: { sender: unknown; senderFrame: Frame | null }) => handler(event, 'app.info', undefined);
  return { ...w, dispatch, call };
}

describe('registerIpc: who may call', () => {
  it("our window's main frame showing app://renderer is dispatched", async () => {
    const { webContents, mainFrame, dispatch, call } = setup();
    expect(await call({ sender: webContents, senderFrame: mainFrame })).toEqual({ ok: true, value: 'ran app.info' });
    // A hash route of the renderer is still the renderer.
    mainFrame.url = 'app://renderer/index.html#/leases';
    expect(await call({ sender: webContents, senderFrame: { ...mainFrame } })).toEqual({ ok: true, value: 'ran app.info' });
    expect(dispatch).toHaveBeenCalledTimes(2);
  });

  it('a fake event from another webContents (another window, a webview) is refused', async () => {
    const { mainFrame, dispatch, call } = setup();
    const other = fakeWindow().webContents;
    expect(await call({ sender: other, senderFrame: { ...mainFrame } })).toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('an iframe of our page (same process, another routing id), even one showing app://renderer, is refused', async () => {
    const { webContents, dispatch, call } = setup();
    expect(await call({ sender: webContents, senderFrame: { processId: 4, routingId: 7, url: 'app://renderer/index.html' } })).toEqual(FORBIDDEN);
    expect(await call({ sender: webContents, senderFrame: { processId: 9, routingId: 1, url: 'app://renderer/index.html' } })).toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('our main frame after it navigated away from the renderer is refused', async () => {
    const { webContents, mainFrame, dispatch, call } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://evil/index.html', 'about:blank']) {
      mainFrame.url = url;
      expect(await call({ sender: webContents, senderFrame: { ...mainFrame } }), url).toEqual(FORBIDDEN);
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('a frame that is gone (senderFrame null) and a destroyed window are refused', async () => {
    const { webContents, mainFrame, state, dispatch, call } = setup();
    expect(await call({ sender: webContents, senderFrame: null })).toEqual(FORBIDDEN);
    state.destroyed = true;
    expect(await call({ sender: webContents, senderFrame: mainFrame })).toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('the returned function removes the handler', () => {
    setup();
    expect(electron.handlers.has(IPC_CALL_CHANNEL)).toBe(true);
    unregister!();
    unregister = undefined;
    expect(electron.handlers.has(IPC_CALL_CHANNEL)).toBe(false);
  });
});
