// The event log: the newest entries in memory (bounded), with the filter the log view shows.
import type { LogEntry } from '../../../src-main/ipc/contract.js';
import { LOG_LIMIT, mergeLog, type LogGroup } from '../lib/log-filter.js';

export { LOG_LIMIT };

export class LogStore {
  entries = $state.raw<LogEntry[]>([]);
  mac = $state('');
  group = $state<LogGroup>('all');
  text = $state('');
  /** The most recent report of another DHCP server on the link (kept even if the buffer rolls over). */
  lastForeign = $state.raw<LogEntry | undefined>();
  readonly #limit: number;

  constructor(limit = LOG_LIMIT) {
    this.#limit = limit;
  }

  add(batch: readonly LogEntry[]): void {
    this.entries = mergeLog(this.entries, batch, this.#limit);
    for (const e of batch) if (e.kind === 'foreign-server' && (!this.lastForeign || e.at >= this.lastForeign.at)) this.lastForeign = e;
  }

  clearFilter(): void {
    this.mac = '';
    this.group = 'all';
    this.text = '';
  }
}
