// Exposes exactly one object, window.api: a method per contract call and `on(event, listener)`,
// built from the contract's name lists (ipc/names.ts — no zod in a sandboxed preload). Calls go
// through one channel as (name, payload); main validates everything and answers with a WireResult,
// unwrapped here into the value or an Error carrying the wire message and code.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAME_LIST, EVENT_NAME_LIST, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../ipc/names.js';

type Wire = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const events = new Set<string>(EVENT_NAME_LIST);
const api: Record<string, unknown> = {};

for (const name of CALL_NAME_LIST) {
  api[name] = async (payload?: unknown): Promise<unknown> => {
    const r = (await ipcRenderer.invoke(IPC_CALL_CHANNEL, name, payload)) as Wire;
    if (r && r.ok) return r.value;
    const err = new Error(r?.error?.message ?? 'the call failed') as Error & { code?: string };
    err.code = r?.error?.code ?? 'failed';
    throw err;
  };
}

api.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
  if (!events.has(event)) throw new Error(`unknown event "${event}"`);
  if (typeof listener !== 'function') throw new Error('listener must be a function');
  const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('api', Object.freeze(api));
