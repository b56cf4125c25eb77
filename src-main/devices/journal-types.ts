// The lease journal's record, as stored (one JSON object per line) and as the UI/CLI get it.
// Types only (the renderer imports them).

export type JournalEvent = 'bind' | 'renew' | 'release' | 'expire' | 'decline';

export interface JournalEntry {
  /** ISO 8601 UTC: when the transition was made durable. */
  at: string;
  event: JournalEvent;
  ip: string;
  mac: string;
  clientId: string;
  hostname?: string;
  /** Bind/renew: ISO end of the lease (absent for an infinite lease); decline: end of the quarantine. */
  expiresAt?: string;
  subnet?: string;
}

export interface JournalQuery {
  /** Any MAC notation; matched on the colon form. */
  mac?: string;
  ip?: string;
  /** Case-insensitive substring of the host name. */
  hostname?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, inclusive. */
  until?: number;
  /** The newest `limit` matches (default: all). */
  limit?: number;
}

export interface JournalResult {
  /** Oldest first. */
  entries: JournalEntry[];
  /** Matches beyond `limit` that were left out (the oldest). */
  omitted: number;
  /** Lines that could not be read (a line torn by a crash, a hand-edited file). */
  unreadable: number;
}
