// Where a batch's fdatasync runs: on the main thread ("inline") or on libuv's thread pool.
//
// On the thread pool, a sync costs a round trip (queue the request, wake a worker, wake the event
// loop when it is done) and, when the server has one core to itself, the worker preempts the
// main thread on that core: measured at 2,500 DORA/s on the build machine, 0.33 ms of CPU per
// DORA against 0.28 ms inline, and a REQUEST→ACK median of 1.4 ms against 1.0 ms. Inline, the
// event loop waits for the disk: fine for the ~0.2–0.5 ms of an SSD, not for the 5–50 ms of an SD
// card or a busy USB stick, where every DISCOVER, INFORM and UI request would wait too.
//
// So: inline while inline syncs are fast (a moving average of their duration at most
// INLINE_MAX_MS), on the thread pool otherwise. Thread-pool syncs say nothing about what an inline
// one would cost (their time includes the round trip), so while on the thread pool one inline
// sync is tried now and then to find out whether the disk has become fast again; each slow probe
// doubles the wait before the next one (1 s … 64 s), so a slow disk costs one slow inline sync a
// minute.

/** Inline while the average inline fdatasync takes at most this long (ms). */
export const INLINE_MAX_MS = 1;
const PROBE_FIRST_MS = 1_000;
const PROBE_MAX_MS = 64_000;
/** Weight of the newest inline duration in the moving average. */
const ALPHA = 0.2;

export class SyncPolicy {
  private avgMs = 0;
  private inlineMode = true;
  private probeWaitMs = PROBE_FIRST_MS;
  private nextProbeAt = 0;

  /** Should the sync starting at `now` (ms, monotonic) run inline? */
  inline(now: number): boolean {
    if (this.inlineMode) return true;
    return now >= this.nextProbeAt;
  }

  /** An inline sync that started at `now` took `ms`. */
  inlineTook(ms: number, now: number): void {
    if (this.inlineMode) {
      this.avgMs = this.avgMs === 0 ? ms : this.avgMs + ALPHA * (ms - this.avgMs);
      if (this.avgMs > INLINE_MAX_MS) {
        this.inlineMode = false;
        this.probeWaitMs = PROBE_FIRST_MS;
        this.nextProbeAt = now + this.probeWaitMs;
      }
      return;
    }
    // A probe.
    if (ms <= INLINE_MAX_MS) {
      this.inlineMode = true;
      this.avgMs = ms;
    } else {
      this.probeWaitMs = Math.min(PROBE_MAX_MS, this.probeWaitMs * 2);
      this.nextProbeAt = now + this.probeWaitMs;
    }
  }

  /** For stats: the current mode and the average inline duration. */
  snapshot(): { mode: 'inline' | 'pool'; avgInlineMs: number } {
    return { mode: this.inlineMode ? 'inline' : 'pool', avgInlineMs: this.avgMs };
  }
}
