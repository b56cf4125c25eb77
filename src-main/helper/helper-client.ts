// The app's side of the privileged helper (protocol.ts): starts it (through pkexec in the desktop
// app, directly in tests), waits for its hello, and then is a transport like any other — a
// `dispatch(name, payload) → WireResult` that validates the call against the contract before it is
// sent (the helper validates again), and a `subscribe` for its push events. Never rejects a call:
// a dead helper, a timeout or a protocol error comes back as a WireResult with ok:false.
import { spawn, type ChildProcess } from 'node:child_process';
import { isCallName, parseRequest, type EventName, type EventOf, type WireResult } from '../ipc/contract.js';
import type { Dispatch } from '../ipc/handlers.js';
import { classifyElevation } from '../net/elevate.js';
import { encodeMessage, HELPER_PROTOCOL, LineDecoder, parseHelperLine, type CallId, type HelloMessage } from './protocol.js';

export type HelperEvent = { [E in EventName]: { name: E; payload: EventOf<E> } }[EventName];

export interface HelperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the helper wrote to stderr (for the message). */
  stderr: string;
}

export class HelperStartError extends Error {
  override readonly name = 'HelperStartError';
  constructor(
    message: string,
    readonly outcome: 'cancelled' | 'not-authorized' | 'no-agent' | 'failed' | 'timeout',
  ) {
    super(message);
  }
}

export interface HelperClientOptions {
  /** How long to wait for the hello (the password dialog is in between). Default 5 min. */
  helloTimeoutMs?: number;
  /** Per-call timeout. Default 2 min (nic.apply may wait on NetworkManager). */
  callTimeoutMs?: number;
  /** The helper was started through pkexec: exit codes 126/127 are pkexec's. */
  viaPkexec?: boolean;
}

interface Pending {
  resolve(r: WireResult<unknown>): void;
  timer: NodeJS.Timeout;
}

export class HelperClient {
  private readonly pending = new Map<CallId, Pending>();
  private readonly listeners = new Set<(e: HelperEvent) => void>();
  private readonly exitListeners = new Set<(e: HelperExit) => void>();
  private nextId = 1;
  private exited: HelperExit | undefined;
  private stderrTail: string[] = [];
  hello: HelloMessage | undefined;

  private constructor(
    readonly child: ChildProcess,
    private readonly opts: HelperClientOptions,
  ) {}

  /** Spawns `argv` (e.g. pkexec … helper --stdio) and waits for its hello. */
  static start(argv: readonly string[], opts: HelperClientOptions & { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<HelperClient> {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, ...(opts.cwd ? { cwd: opts.cwd } : {}), windowsHide: true });
    return HelperClient.attach(child, opts);
  }

  /** Wraps a spawned helper (stdio pipes) and waits for its hello. */
  static attach(child: ChildProcess, opts: HelperClientOptions = {}): Promise<HelperClient> {
    const client = new HelperClient(child, opts);
    return client.init();
  }

  private init(): Promise<HelperClient> {
    const child = this.child;
    return new Promise<HelperClient>((resolve, reject) => {
      let settled = false;
      const fail = (e: HelperStartError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      };
      const timer = setTimeout(() => {
        fail(new HelperStartError('the privileged helper did not start within the time allowed (was the password dialog left open?)', 'timeout'));
        this.close(0);
      }, this.opts.helloTimeoutMs ?? 300_000);
      const decoder = new LineDecoder();
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const item of decoder.push(chunk)) {
          if (!('line' in item)) continue;
          const m = parseHelperLine(item.line);
          if (!m) continue;
          if (m.type === 'hello') {
            const err = (m as HelloMessage & { error?: string }).error;
            if (err) {
              fail(new HelperStartError(`the privileged helper could not open the data directory: ${err}`, 'failed'));
              continue;
            }
            if (m.protocol !== HELPER_PROTOCOL) {
              fail(new HelperStartError(`the privileged helper speaks protocol ${m.protocol}, this app ${HELPER_PROTOCOL} — reinstall Pocket DHCP`, 'failed'));
              this.close(0);
              continue;
            }
            this.hello = m;
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              resolve(this);
            }
          } else if (m.type === 'result') {
            if (m.id === null) continue; // an error about a line we did not send as a call
            const p = this.pending.get(m.id);
            if (!p) continue;
            this.pending.delete(m.id);
            clearTimeout(p.timer);
            p.resolve(m.result);
          } else if (m.type === 'event') {
            for (const l of [...this.listeners]) {
              try {
                l({ name: m.name, payload: m.payload } as HelperEvent);
              } catch {
                // one broken listener must not starve the others
              }
            }
          }
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        if (this.stderrTail.length > 20) this.stderrTail = this.stderrTail.slice(-20);
      });
      child.stdin!.on('error', () => undefined); // EPIPE after the helper died: reported by 'exit'
      child.once('error', (e) => fail(new HelperStartError(`cannot start the privileged helper: ${e.message}`, 'failed')));
      child.once('exit', (code, signal) => {
        const info: HelperExit = { code, signal, stderr: this.stderrTail.join('\n') };
        this.exited = info;
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.resolve({ ok: false, error: { code: 'failed', message: 'the privileged helper stopped' } });
          this.pending.delete(id);
        }
        if (!settled) {
          const outcome = this.opts.viaPkexec ? classifyElevation('pkexec', code, info.stderr) : 'failed';
          const text =
            outcome === 'cancelled'
              ? 'the password dialog was closed; the engine keeps running without privileges'
              : outcome === 'not-authorized'
                ? 'the system did not authorize the helper (wrong password, or this account is not an administrator)'
                : outcome === 'no-agent'
                  ? 'no polkit authentication agent is running, so pkexec cannot ask for the password'
                  : `the privileged helper exited before it was ready (exit ${code ?? signal})${info.stderr ? `: ${info.stderr.split('\n').slice(-2).join(' ')}` : ''}`;
          fail(new HelperStartError(text, outcome === 'ok' ? 'failed' : outcome));
        }
        for (const l of [...this.exitListeners]) l(info);
      });
    });
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** Sends a call whose name and payload were already validated. */
  call(name: string, payload: unknown, timeoutMs = this.opts.callTimeoutMs ?? 120_000): Promise<WireResult<unknown>> {
    if (this.exited) return Promise.resolve({ ok: false, error: { code: 'failed', message: 'the privileged helper is not running' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'failed', message: `the privileged helper did not answer ${name} within ${Math.round(timeoutMs / 1000)} s` } });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        this.child.stdin!.write(encodeMessage({ type: 'call', id, name, payload: payload === undefined ? null : payload }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'failed', message: `cannot reach the privileged helper: ${(e as Error).message}` } });
      }
    });
  }

  /** The contract gate on this side too: unknown names and invalid payloads never leave the app. */
  readonly dispatch: Dispatch = async (name, payload) => {
    if (!isCallName(name)) return { ok: false, error: { code: 'unknown-call', message: `unknown call ${typeof name === 'string' ? `"${name.slice(0, 64)}"` : typeof name}` } };
    const parsed = parseRequest(name, payload === null ? undefined : payload);
    if (!parsed.ok) return parsed;
    return this.call(name, parsed.value);
  };

  /** Writes a raw line (tests: the helper must survive garbage). */
  writeRaw(text: string): void {
    this.child.stdin!.write(text);
  }

  subscribe(listener: (e: HelperEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onExit(listener: (e: HelperExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Stops the helper: closes its stdin (it stops serving and exits), waits up to `graceMs`, then
   * signals it — which only works when it is not root (a pkexec'd helper cannot be signalled by
   * the user, which is why stdin is the way to stop it).
   */
  close(graceMs = 10_000): Promise<HelperExit | undefined> {
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        try {
          this.child.kill('SIGTERM');
        } catch {
          // not ours to signal
        }
      }, graceMs);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve(this.exited);
      });
      try {
        this.child.stdin!.end();
      } catch {
        // already closed
      }
    });
  }
}
