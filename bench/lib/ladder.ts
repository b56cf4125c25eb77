// The rate ladder's rules (bench/run.ts, section 1), pure: ISC's way of finding a DHCP server's
// maximum rate — a rate passes when the median over its runs of each run's worse drop rate
// (DISCOVER→OFFER or REQUEST→ACK) is at most 2.5 % — and the choices that bound the run time.
import { median } from './util.js';

/** ISC's threshold for "the server keeps up": at most this share of exchanges dropped (%). */
export const DROP_LIMIT = 2.5;

/** A rate's verdict from its runs' drop rates (each the worse of the two exchanges, %). */
export function rateVerdict(drops: readonly number[], limit = DROP_LIMIT): { medianDrop: number; pass: boolean } {
  const medianDrop = median(drops);
  return { medianDrop, pass: medianDrop <= limit };
}

/**
 * Whether another run can still change the verdict of a rate planned for `planned` runs. With 3
 * runs, two that agree (both pass or both fail) decide the median, so the third is skipped.
 */
export function moreRunsNeeded(drops: readonly number[], planned: number, limit = DROP_LIMIT): boolean {
  if (drops.length >= planned) return false;
  if (planned === 3 && drops.length === 2) return (drops[0]! <= limit) !== (drops[1]! <= limit);
  return true;
}

/**
 * The one extra rate measured between a server's last passing and first failing rate (rounded
 * to 100/s), or undefined when the two are within 15 % of each other or either is missing.
 */
export function refinementRate(lastPass: number | undefined, firstFail: number | undefined): number | undefined {
  if (lastPass === undefined || firstFail === undefined || firstFail - lastPass <= lastPass * 0.15) return undefined;
  const mid = Math.round((lastPass + firstFail) / 2 / 100) * 100;
  return mid > lastPass && mid < firstFail ? mid : undefined;
}

/** The latency runs' rate: half the server's maximum (or of its lowest ladder rate), in steps of 50/s, at least 50/s. */
export function latencyRate(max: number, lowestLadderRate: number): number {
  return Math.max(50, Math.round((max > 0 ? max / 2 : lowestLadderRate / 2) / 50) * 50);
}
