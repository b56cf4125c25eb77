// The server's status as the engine pushes it, and the Start/Stop actions.
import type { Api, ServerStatus, StopResult } from '../../../src-main/ipc/contract.js';
import { t } from '../i18n/index.js';

export const STOPPED: ServerStatus = {
  state: 'stopped',
  counters: { received: 0, offers: 0, acks: 0, naks: 0, informs: 0, declines: 0, releases: 0, expired: 0, drops: {}, sent: 0 },
  pools: [],
  exhausted: false,
};

/** Start-up checks the user chose to skip ("Start anyway" in a refusal banner). */
export interface StartOverrides {
  /** The interface got its address from another DHCP server. */
  allowForeignNetwork?: boolean;
  /** Another DHCP server answered the check before serving. */
  allowOtherServer?: boolean;
}

export class ServerStore {
  status = $state.raw<ServerStatus>(STOPPED);
  /** The action in flight, for the button's label and disabled state. */
  pending = $state<'start' | 'stop' | null>(null);
  /** A call that failed outright (connection lost, engine error) — refusals come in status.error. */
  callError = $state<string | undefined>();

  readonly #api: () => Api;
  readonly #beforeStart: () => Promise<void>;

  constructor(api: () => Api, beforeStart: () => Promise<void>) {
    this.#api = api;
    this.#beforeStart = beforeStart;
  }

  get running(): boolean {
    return this.status.state === 'running' || this.status.state === 'interface-lost';
  }

  get busy(): boolean {
    return this.pending !== null || this.status.state === 'starting' || this.status.state === 'stopping';
  }

  apply(status: ServerStatus): void {
    this.status = status;
  }

  async start(overrides: StartOverrides = {}): Promise<void> {
    this.pending = 'start';
    this.callError = undefined;
    try {
      await this.#beforeStart();
      const req = { ...(overrides.allowForeignNetwork ? { allowForeignNetwork: true } : {}), ...(overrides.allowOtherServer ? { allowOtherServer: true } : {}) };
      this.apply(await this.#api()['server.start'](Object.keys(req).length ? req : undefined));
    } catch (e) {
      this.callError = t('call.startFailed', { error: (e as Error).message });
    } finally {
      this.pending = null;
    }
  }

  /** Stops; `restore` overrides the engine's restore-on-stop preference. Resolves with what the engine restored, if anything. */
  async stop(opts: { restore?: boolean } = {}): Promise<StopResult['restored']> {
    this.pending = 'stop';
    this.callError = undefined;
    try {
      const { restored, ...status } = await this.#api()['server.stop'](opts.restore !== undefined ? { restore: opts.restore } : undefined);
      this.apply(status);
      return restored;
    } catch (e) {
      this.callError = t('call.stopFailed', { error: (e as Error).message });
      return undefined;
    } finally {
      this.pending = null;
    }
  }
}
