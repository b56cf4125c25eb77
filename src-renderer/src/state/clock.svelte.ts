// One ticking "now" for every countdown and uptime on screen (one timer, not one per row).
export class Clock {
  now = $state(Date.now());

  /** Starts ticking; returns the stop function (use from an $effect). */
  start(intervalMs = 1000): () => void {
    const t = setInterval(() => (this.now = Date.now()), intervalMs);
    return () => clearInterval(t);
  }
}
