// The controller's bounded event log: a ring of the newest entries (the UI and `recentLog` read
// it), and the level and kind each service event is logged with.
import type { LogEntry, LogKind } from '../ipc/contract.js';

export class LogRing {
  private readonly buf: LogEntry[] = [];
  private start = 0;
  constructor(readonly capacity: number) {}
  push(e: LogEntry): void {
    if (this.buf.length < this.capacity) this.buf.push(e);
    else {
      this.buf[this.start] = e;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  /** The newest `limit` entries (optionally of one MAC), oldest first. */
  recent(limit: number, mac?: string): LogEntry[] {
    const out: LogEntry[] = [];
    const n = this.buf.length;
    for (let i = n - 1; i >= 0 && out.length < limit; i--) {
      const e = this.buf[(this.start + i) % n]!;
      if (mac === undefined || e.mac === mac) out.push(e);
    }
    return out.reverse();
  }
  get size(): number {
    return this.buf.length;
  }
}

export const LOG_LEVEL_KIND: Record<string, [LogEntry['level'], LogKind]> = {
  offer: ['info', 'offer'],
  ack: ['info', 'ack'],
  nak: ['warn', 'nak'],
  decline: ['warn', 'decline'],
  release: ['info', 'release'],
  inform: ['info', 'inform'],
  expire: ['info', 'expire'],
  'pool-exhausted': ['warn', 'pool-exhausted'],
  'offer-evicted': ['warn', 'offer'],
  'foreign-server': ['warn', 'foreign-server'],
  conflict: ['warn', 'conflict'],
};
