// The privileged helper: the same engine (ServerController + the contract's handlers and
// dispatcher) as the desktop app and web mode, run as root through pkexec by the unprivileged app
// (`pocket-dhcp helper --stdio --data-dir DIR`), speaking the contract as JSON lines on stdin/stdout
// (protocol.ts). The window never runs as root; only this process does, and it does only what the
// contract allows — every call is validated here again, whatever the app already checked.
//
// Lifetime: it serves until its stdin closes (the app quit, crashed or stopped it), then stops the
// DHCP server and closes the lease store. It changes the network interface only on nic.apply /
// nic.restore, directly (it is root already). Files it writes in the user's data directory are
// handed back to the directory's owner (ownership.ts).
import type { Readable } from 'node:stream';
import type { AppInfo } from '../ipc/contract.js';
import { createDispatcher, createHandlers, wireError } from '../ipc/handlers.js';
import { ServerController, type ControllerOptions } from '../server/controller.js';
import { checkPrivileges } from '../server/privileges.js';
import { UI_HINTS } from '../server/startup.js';
import { VERSION } from '../version.js';
import { keepOwnership } from './ownership.js';
import { encodeMessage, HELPER_PROTOCOL, LineDecoder, parseCallLine, type HelperOutbound } from './protocol.js';

export interface HelperServerOptions {
  dataDir: string;
  input: Readable;
  /** Writes one protocol line (already "\n"-terminated). */
  write: (line: string) => void;
  /** Extra controller options (tests inject interfaces or transports). */
  controller?: Partial<ControllerOptions>;
  maxInFlight?: number;
  /** Re-apply data-dir ownership this often while running. Default 5 s. */
  ownershipIntervalMs?: number;
  /** Diagnostics for the helper's stderr. */
  log?: (line: string) => void;
}

export function helperAppInfo(c: ServerController): AppInfo {
  return { version: VERSION, mode: 'electron', platform: process.platform, dataDir: c.dataDir, nativeSave: false, canApplyStaticAddress: c.nic.canApply, engine: 'helper' };
}

/** Runs until `input` ends (or `stop()` is called); resolves with the exit code. */
export async function runHelper(opts: HelperServerOptions): Promise<{ exitCode: number; stop: () => void; done: Promise<number> }> {
  const log = opts.log ?? (() => undefined);
  const send = (m: HelperOutbound): void => {
    try {
      opts.write(encodeMessage(m));
    } catch (e) {
      log(`cannot write to the app: ${(e as Error).message}`);
    }
  };
  const hello = { type: 'hello' as const, protocol: HELPER_PROTOCOL, version: VERSION, pid: process.pid, uid: process.getuid?.() ?? null, dataDir: opts.dataDir };
  let controller: ServerController;
  try {
    controller = await ServerController.open({ dataDir: opts.dataDir, packetEvents: true, hints: UI_HINTS, nicElevation: { kind: 'direct' }, nicBy: 'helper', ...opts.controller });
  } catch (e) {
    // The app reads this instead of a working hello: it says why (a locked lease store, a bad disk).
    send({ ...hello, error: (e as Error).message } as HelperOutbound);
    return { exitCode: 1, stop: () => undefined, done: Promise.resolve(1) };
  }
  await keepOwnership(opts.dataDir);
  const dispatch = createDispatcher(createHandlers(controller, { appInfo: () => helperAppInfo(controller), privileges: () => checkPrivileges() }), {
    onError: (call, e) => {
      if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError) log(`internal error in ${call}: ${(e as Error).stack ?? e}`);
    },
  });
  const unsubscribe = controller.subscribe((e) => send({ type: 'event', name: e.name, payload: e.payload }));
  const ownership = setInterval(() => void keepOwnership(opts.dataDir), opts.ownershipIntervalMs ?? 5000);
  ownership.unref();
  send(hello);

  const maxInFlight = opts.maxInFlight ?? 64;
  let inFlight = 0;
  const decoder = new LineDecoder();
  const onLine = (line: string): void => {
    const parsed = parseCallLine(line);
    if (!parsed.ok) {
      send({ type: 'result', id: parsed.id, result: { ok: false, error: { code: 'invalid-request', message: parsed.error } } });
      return;
    }
    const { id, name, payload } = parsed.call;
    if (inFlight >= maxInFlight) {
      send({ type: 'result', id, result: { ok: false, error: { code: 'failed', message: `the helper is busy (${maxInFlight} calls in flight); try again` } } });
      return;
    }
    inFlight++;
    void dispatch(name, payload === null ? undefined : payload)
      .catch((e: unknown) => ({ ok: false as const, error: wireError(e) }))
      .then((result) => {
        inFlight--;
        send({ type: 'result', id, result });
        // Whatever the call wrote (settings, leases, nic-state) stays the user's.
        void keepOwnership(opts.dataDir);
      });
  };

  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(ownership);
    opts.input.off('data', onData);
    void controller
      .close()
      .catch((e: unknown) => log(`closing the engine failed: ${(e as Error).message}`))
      .then(() => keepOwnership(opts.dataDir))
      .finally(() => {
        unsubscribe();
        resolveDone(0);
      });
  };
  const onData = (chunk: Buffer | string): void => {
    for (const item of decoder.push(chunk)) {
      if ('line' in item) onLine(item.line);
      else send({ type: 'result', id: null, result: { ok: false, error: { code: 'invalid-request', message: `line of ${item.tooLong} bytes is too long; ignored` } } });
    }
  };
  opts.input.on('data', onData);
  opts.input.once('end', stop);
  opts.input.once('close', stop);
  opts.input.once('error', stop);
  return { exitCode: 0, stop, done };
}
