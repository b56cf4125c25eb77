// The lease table: every lease record plus live offers, keyed by IP, replaced (never mutated) on
// each pushed batch so the table's derived sort/filter recompute once per batch.
import type { LeaseRow } from '../../../src-main/ipc/contract.js';

export interface LeaseBatch {
  upserts: LeaseRow[];
  removed: string[];
  reset?: boolean;
}

export class LeaseStore {
  rows = $state.raw<LeaseRow[]>([]);
  #byIp = new Map<string, LeaseRow>();

  /** Replaces the whole table (leases.list). */
  load(rows: readonly LeaseRow[]): void {
    this.#byIp = new Map(rows.map((r) => [r.ip, r]));
    this.rows = [...this.#byIp.values()];
  }

  /** Applies a pushed batch (the `leases` event). */
  apply(batch: LeaseBatch): void {
    if (batch.reset) this.#byIp.clear();
    for (const ip of batch.removed ?? []) this.#byIp.delete(ip);
    for (const row of batch.upserts ?? []) this.#byIp.set(row.ip, row);
    this.rows = [...this.#byIp.values()];
  }

  byIp(ip: string): LeaseRow | undefined {
    return this.#byIp.get(ip);
  }
}
