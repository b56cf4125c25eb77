// "Reserve each at the next free address": the pick shared by the import preview (MAC lists from
// a file or the CLI) and the UI's bulk paste. Pure; addresses as unsigned 32-bit numbers.

/** The lowest address of [first, last] not in `taken`; undefined when the range is full. */
export function nextFreeAddress(range: readonly [number, number], taken: ReadonlySet<number>): number | undefined {
  for (let n = range[0]; n <= range[1]; n++) if (!taken.has(n)) return n;
  return undefined;
}
