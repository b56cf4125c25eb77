// `new Date(ms).toISOString()` for logs that write thousands of times a second: a formatter keeps
// the text of the second it formatted last ("2026-11-23T14:09:22.") and appends the milliseconds,
// so a Date is built once a second instead of once per line. The output is exactly toISOString's.

/** "000Z" … "999Z": the milliseconds and zone of an ISO time. */
const MS_TAIL = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);
/** The last instant toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;

export type IsoTime = (ms: number) => string;

/** A formatter with its own remembered second: one per stream of times (an event's time, a lease's end). */
export function createIsoTime(): IsoTime {
  let second = NaN;
  let prefix = '';
  return (ms) => {
    // Fractions, negatives, far futures and NaN (a RangeError, as before) take Date's own path.
    if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR) return new Date(ms).toISOString();
    const milli = ms % 1000;
    const s = ms - milli;
    if (s !== second) {
      prefix = new Date(s).toISOString().slice(0, 20);
      second = s;
    }
    return prefix + MS_TAIL[milli]!;
  };
}

/** The event logs' formatter (event times advance together, so one remembered second serves them). */
export const isoTime: IsoTime = createIsoTime();
