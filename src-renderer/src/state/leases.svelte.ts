// The lease table: every lease record plus live offers, keyed by IP (lib/lease-rows.ts), with what
// the UI depends on as state. A pushed batch bumps `version`; the lease table's view patches its
// sorted order with the batch's changed rows (changesSince) instead of sorting the whole table again.
import type { LeaseRow } from '../../../src-main/ipc/contract.js';
import { LeaseRows, type LeaseBatch } from '../lib/lease-rows.js';
import type { LeaseChanges, LeaseSource } from '../lib/lease-view.js';

export type { LeaseBatch } from '../lib/lease-rows.js';

export class LeaseStore implements LeaseSource {
  /** Bumped on every change: read it to depend on the table. */
  version = $state(0);
  /** Number of rows. */
  count = $state(0);
  /** Rows in state "bound". */
  active = $state(0);
  readonly #rows = new LeaseRows();

  /** Every row (a new array per version, built only when something reads it). */
  readonly rows: readonly LeaseRow[] = $derived.by(() => {
    void this.version;
    return this.#rows.all();
  });

  /** Replaces the whole table (leases.list). */
  load(rows: readonly LeaseRow[]): void {
    this.#rows.load(rows);
    this.#sync();
  }

  /** Applies a pushed batch (the `leases` event). */
  apply(batch: LeaseBatch): void {
    if (this.#rows.apply(batch)) this.#sync();
  }

  /** The row of `ip` now (reactive). */
  byIp(ip: string): LeaseRow | undefined {
    void this.version;
    return this.#rows.get(ip);
  }

  all(): readonly LeaseRow[] {
    return this.#rows.all();
  }

  changesSince(version: number): LeaseChanges | undefined {
    return this.#rows.changesSince(version);
  }

  #sync(): void {
    this.count = this.#rows.size;
    this.active = this.#rows.active;
    this.version = this.#rows.version;
  }
}
