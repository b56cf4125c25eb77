// Where the desktop app's engine runs, behind one dispatch + subscribe for the window (no electron
// import, so it is tested with a real helper process):
//   in-process  the ServerController in the main process (the default, and all that macOS and
//               Windows need — port 67 is not privileged there);
//   helper      on Linux without the privileges to serve, the same engine in the privileged helper
//               (pkexec … helper --stdio), which main talks to over its stdin/stdout. The window
//               never runs as root; main forwards the contract's calls (validated here and again
//               in the helper) and the helper's events.
// Switching (`engine.elevate`) closes the in-process engine first — one process owns the data
// directory's lease store at a time — and the window is told to load everything again (`engine`
// event). If the helper ends unexpectedly, the in-process engine comes back and the window says so.
import { parseRequest, type AppInfo, type EventName, type EventOf, type ServerStatus, type UiLanguage, type WireResult } from '../ipc/contract.js';
import { createDispatcher, createHandlers, wireError, type Dispatch } from '../ipc/handlers.js';
import type { HelperClient } from '../helper/helper-client.js';
import type { ServerController } from '../server/controller.js';
import type { PrivilegeReport } from '../server/privileges.js';

export type HostEvent = { [E in EventName]: { name: E; payload: EventOf<E> } }[EventName];
export type EngineKind = 'in-process' | 'helper';

export interface EngineHostOptions {
  /** Opens (or reopens) the in-process engine on the data directory. */
  openLocal(): Promise<ServerController>;
  /** Starts the privileged helper (pkexec); rejects with a sentence when it cannot. */
  startHelper?(): Promise<HelperClient>;
  /** Why the helper cannot start here (shown instead of trying). */
  helperUnavailable?: string;
  /** The exact helper command, shown before the password dialog. */
  helperCommand?: string;
  /** AppInfo of the window (mode, platform, …) for the current engine. */
  appInfo(engine: EngineKind, canApplyStaticAddress: boolean): AppInfo;
  saveFile?(filename: string, content: string): Promise<{ path: string | null }>;
  /** This process's privilege report (the helper's own is asked from the helper). */
  privileges(): Promise<PrivilegeReport>;
  /** Unexpected handler failures, for the main process log. */
  onError?(call: string, e: unknown): void;
  /** The window's language changed (`app.language`): the tray, notifications and dialogs follow. */
  setLanguage?(language: UiLanguage): void;
}

const STOPPED_STATES = new Set<ServerStatus['state']>(['stopped']);
const SHELL_CALLS = new Set<string>(['app.ready', 'app.info', 'file.save', 'engine.elevate', 'privileges.check', 'app.language']);

export class EngineHost {
  private local: ServerController | undefined;
  private localDispatch: Dispatch | undefined;
  private unsubscribe: (() => void) | undefined;
  private helper: HelperClient | undefined;
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private switching: Promise<unknown> = Promise.resolve();
  private closing = false;
  /** The last status the engine pushed or answered (tray, quit dialog). */
  status: ServerStatus | undefined;

  private constructor(private readonly opts: EngineHostOptions) {}

  static async open(opts: EngineHostOptions): Promise<EngineHost> {
    const host = new EngineHost(opts);
    await host.useLocal();
    return host;
  }

  get engine(): EngineKind {
    return this.helper ? 'helper' : 'in-process';
  }

  get controller(): ServerController | undefined {
    return this.local;
  }

  get canElevate(): boolean {
    return !this.helper && Boolean(this.opts.startHelper) && !this.opts.helperUnavailable;
  }

  info(): AppInfo {
    const canApply = this.helper ? true : (this.local?.nic.canApply ?? false);
    return { ...this.opts.appInfo(this.engine, canApply), engine: this.engine, canElevate: this.canElevate };
  }

  subscribe(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: HostEvent): void {
    if (e.name === 'status') this.status = e.payload;
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a closed window must not starve the tray
      }
    }
  }

  private async useLocal(): Promise<void> {
    const c = await this.opts.openLocal();
    this.local = c;
    this.localDispatch = createDispatcher(createHandlers(c, { appInfo: () => this.info(), privileges: () => this.privileges(), elevate: () => this.elevate(), ...(this.opts.saveFile ? { saveFile: this.opts.saveFile } : {}) }), {
      ...(this.opts.onError ? { onError: this.opts.onError } : {}),
    });
    this.unsubscribe = c.subscribe((e) => this.emit(e as HostEvent));
    this.status = c.status();
  }

  private async privileges(): Promise<PrivilegeReport> {
    if (this.helper) {
      const r = await this.helper.call('privileges.check', undefined);
      if (r.ok) return { ...(r.value as PrivilegeReport), viaHelper: true };
    }
    const report = await this.opts.privileges();
    return {
      ...report,
      ...(report.platform === 'linux'
        ? { elevate: this.opts.helperUnavailable || !this.opts.startHelper ? { available: false, reason: this.opts.helperUnavailable ?? 'not available' } : { available: true, ...(this.opts.helperCommand ? { command: this.opts.helperCommand } : {}) } }
        : {}),
    };
  }

  /** Calls main answers itself, whichever engine runs. */
  private async shell(name: 'app.ready' | 'app.info' | 'file.save' | 'engine.elevate' | 'privileges.check' | 'app.language', payload: unknown): Promise<WireResult<unknown>> {
    const parsed = parseRequest(name, payload === null ? undefined : payload);
    if (!parsed.ok) return parsed;
    try {
      switch (name) {
        case 'app.ready':
        case 'app.info':
          return { ok: true, value: this.info() };
        case 'privileges.check':
          return { ok: true, value: await this.privileges() };
        case 'engine.elevate':
          return { ok: true, value: await this.elevate() };
        case 'file.save': {
          if (!this.opts.saveFile) throw new Error('saving through a dialog is not available');
          const req = parsed.value as { filename: string; content: string };
          return { ok: true, value: await this.opts.saveFile(req.filename, req.content) };
        }
        case 'app.language':
          this.opts.setLanguage?.((parsed.value as { language: UiLanguage }).language);
          return { ok: true, value: null };
      }
    } catch (e) {
      this.opts.onError?.(name, e);
      return { ok: false, error: wireError(e) };
    }
  }

  /** The one gate for the window's calls, whichever engine runs. Never rejects. */
  readonly dispatch: Dispatch = async (name, payload) => {
    if (typeof name === 'string' && SHELL_CALLS.has(name)) return this.shell(name as Parameters<EngineHost['shell']>[0], payload);
    // While the engine moves (the password dialog may be open), calls wait for it.
    await this.switching.catch(() => undefined);
    if (this.helper) return this.helper.dispatch(name, payload);
    const d = this.localDispatch;
    if (!d) return { ok: false, error: { code: 'failed', message: 'the engine is restarting; try again in a moment' } };
    return d(name, payload);
  };

  /** Restarts the engine as the privileged helper (one password prompt). Resolves with the new AppInfo. */
  elevate(): Promise<AppInfo> {
    const run = async (): Promise<AppInfo> => {
      if (this.helper) return this.info();
      if (!this.opts.startHelper || this.opts.helperUnavailable) throw new Error(this.opts.helperUnavailable ?? 'the privileged helper is not available here');
      if (this.status && !STOPPED_STATES.has(this.status.state)) throw new Error('stop the server first: the engine moves to the privileged helper while it is stopped');
      // The helper opens the same data directory: the in-process engine lets go of it first.
      await this.closeLocal();
      let helper: HelperClient;
      try {
        helper = await this.opts.startHelper();
      } catch (e) {
        await this.useLocal();
        this.emit({ name: 'engine', payload: { engine: 'in-process' } });
        throw e;
      }
      this.helper = helper;
      this.unsubscribe = helper.subscribe((e) => this.emit(e as HostEvent));
      helper.onExit((x) => void this.helperGone(helper, x.code, x.stderr));
      const st = await helper.call('server.status', undefined);
      if (st.ok) this.status = st.value as ServerStatus;
      this.emit({ name: 'engine', payload: { engine: 'helper' } });
      return this.info();
    };
    const p = this.switching.then(run, run);
    this.switching = p.catch(() => undefined);
    return p;
  }

  private async helperGone(h: HelperClient, code: number | null, stderr: string): Promise<void> {
    if (this.helper !== h || this.closing) return;
    this.unsubscribe?.();
    this.helper = undefined;
    const why = `The privileged helper stopped (exit ${code ?? 'signal'})${stderr ? `: ${stderr.split('\n').slice(-1)[0]}` : ''}; serving stopped with it. Press Start to start it again.`;
    const run = async () => {
      await this.useLocal();
      this.emit({ name: 'engine', payload: { engine: 'in-process', message: why } });
      if (this.local) this.emit({ name: 'status', payload: this.local.status() });
    };
    const p = this.switching.then(run, run);
    this.switching = p.catch(() => undefined);
    await p.catch(() => undefined);
  }

  private async closeLocal(): Promise<void> {
    const c = this.local;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.local = undefined;
    this.localDispatch = undefined;
    if (c) await c.close();
  }

  /** Stops serving and closes the engine (the helper exits when its stdin closes). */
  async close(): Promise<void> {
    this.closing = true;
    await this.switching.catch(() => undefined);
    if (this.helper) {
      const h = this.helper;
      this.unsubscribe?.();
      this.helper = undefined;
      await h.close(15_000);
    }
    await this.closeLocal();
  }
}
