// Web mode = the controller + the contract's handlers + the HTTP/WebSocket server.
import type { AppInfo } from '../ipc/contract.js';
import { createDispatcher, createHandlers } from '../ipc/handlers.js';
import type { ServerController } from '../server/controller.js';
import { VERSION } from '../version.js';
import type { WebAddress } from './address.js';
import { findRendererDir } from './renderer-dir.js';
import { startWebServer, type WebServer } from './server.js';

export interface WebModeOptions {
  controller: ServerController;
  address: WebAddress;
  allowRemote?: boolean;
  extraOrigins?: string[];
  rendererDir?: string;
  token?: string;
  authTimeoutMs?: number;
  /** Unexpected handler failures (with stack), for the process's own log. */
  onError?: (call: string, error: unknown) => void;
}

export function webAppInfo(controller: ServerController): AppInfo {
  return { version: VERSION, mode: 'web', platform: process.platform, dataDir: controller.dataDir, nativeSave: false, canApplyStaticAddress: controller.nic.canApply, engine: 'in-process' };
}

export async function startWebMode(opts: WebModeOptions): Promise<WebServer & { rendererDir: string | undefined }> {
  const { controller } = opts;
  const handlers = createHandlers(controller, { appInfo: () => webAppInfo(controller) });
  const dispatch = createDispatcher(handlers, opts.onError ? { onError: opts.onError } : {});
  const rendererDir = opts.rendererDir ?? findRendererDir();
  const server = await startWebServer({
    address: opts.address,
    allowRemote: opts.allowRemote ?? false,
    rendererDir,
    dispatch,
    subscribe: (l) => controller.subscribe(l),
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.authTimeoutMs ? { authTimeoutMs: opts.authTimeoutMs } : {}),
    ...(opts.extraOrigins ? { extraOrigins: opts.extraOrigins } : {}),
  });
  return Object.assign(server, { rendererDir });
}
