// The lease table's rows by IP, with a short journal of what each pushed batch changed. Rows are
// immutable (a pushed change replaces the row object), so a change is "this row object left, that
// one came in"; the table's view (lease-view.ts) patches its sorted order with just those rows.
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import type { LeaseChanges, LeaseSource } from './lease-view.js';

export interface LeaseBatch {
  upserts: LeaseRow[];
  removed: string[];
  reset?: boolean;
}

/** At most this many rows in the journal of changes (a batch larger than that is kept alone). */
const JOURNAL_ROWS = 1024;

interface JournalEntry extends LeaseChanges {
  version: number;
}

export class LeaseRows implements LeaseSource {
  /** Bumped on every change. */
  version = 0;
  /** Rows in state "bound". */
  active = 0;
  #byIp = new Map<string, LeaseRow>();
  /** Changes of the latest versions, oldest first; they start from version `#since`. */
  #journal: JournalEntry[] = [];
  #journalRows = 0;
  #since = 0;

  get size(): number {
    return this.#byIp.size;
  }

  get(ip: string): LeaseRow | undefined {
    return this.#byIp.get(ip);
  }

  /** Every row, in arrival order (a new array). */
  all(): LeaseRow[] {
    return [...this.#byIp.values()];
  }

  /** Replaces the whole table (leases.list). */
  load(rows: readonly LeaseRow[]): void {
    this.#byIp = new Map(rows.map((r) => [r.ip, r]));
    this.#restart();
  }

  /** Applies a pushed batch (the `leases` event); false if it changed nothing. */
  apply(batch: LeaseBatch): boolean {
    if (batch.reset) {
      this.#byIp.clear();
      for (const row of batch.upserts ?? []) this.#byIp.set(row.ip, row);
      this.#restart();
      return true;
    }
    const removed: LeaseRow[] = [];
    const added: LeaseRow[] = [];
    for (const ip of batch.removed ?? []) {
      const old = this.#byIp.get(ip);
      if (!old) continue;
      this.#byIp.delete(ip);
      removed.push(old);
      if (old.state === 'bound') this.active--;
    }
    for (const row of batch.upserts ?? []) {
      const old = this.#byIp.get(row.ip);
      if (old === row) continue;
      if (old) {
        // The same address twice in one batch: the first one never reached a reader.
        const i = added.indexOf(old);
        if (i >= 0) added.splice(i, 1);
        else removed.push(old);
        if (old.state === 'bound') this.active--;
      }
      this.#byIp.set(row.ip, row);
      added.push(row);
      if (row.state === 'bound') this.active++;
    }
    if (!removed.length && !added.length) return false;
    this.version++;
    this.#journal.push({ version: this.version, removed, added });
    this.#journalRows += removed.length + added.length;
    // Short: the table reads every version while it is on screen, and a reader further behind
    // starts over (one full sort). Replaced rows kept here longer would only outlive the young
    // generation and make work for the garbage collector's full collections.
    while (this.#journal.length > 1 && this.#journalRows > JOURNAL_ROWS) {
      const first = this.#journal.shift()!;
      this.#journalRows -= first.removed.length + first.added.length;
      this.#since = first.version;
    }
    return true;
  }

  changesSince(version: number): LeaseChanges | undefined {
    if (version === this.version) return { removed: [], added: [] };
    if (version < this.#since || version > this.version) return undefined;
    const entries = this.#journal.filter((e) => e.version > version);
    if (entries.length === 1) return entries[0];
    // Several batches: per address, the row the reader has (the first one removed, unless the
    // address came in after the reader's version) and the row there is now (the last one added).
    const before = new Map<string, LeaseRow>();
    const after = new Map<string, LeaseRow | undefined>();
    for (const e of entries) {
      for (const row of e.removed) {
        if (!after.has(row.ip)) before.set(row.ip, row);
        after.set(row.ip, undefined);
      }
      for (const row of e.added) after.set(row.ip, row);
    }
    const added: LeaseRow[] = [];
    for (const row of after.values()) if (row) added.push(row);
    return { removed: [...before.values()], added };
  }

  #restart(): void {
    this.active = 0;
    for (const row of this.#byIp.values()) if (row.state === 'bound') this.active++;
    this.#journal = [];
    this.#journalRows = 0;
    this.version++;
    this.#since = this.version;
  }
}
