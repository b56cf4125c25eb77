// A plain list of MAC addresses (one per line, any notation, an optional host name after it),
// as copied from a spreadsheet, a label printer or a switch's MAC table. Import only: each MAC
// becomes a reservation at the next free address (assigned in preview.ts).
import { emptyResult, looseMac, problem, splitLines, type ParseResult } from '../model.js';

export function parse(text: string): ParseResult {
  const res = emptyResult();
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.replace(/#.*$/, '').trim();
    if (!t) return;
    const [first, second, ...rest] = t.split(/[\s,;]+/).filter(Boolean);
    const mac = looseMac(first!);
    if (!mac) {
      res.problems.push(problem(line, 'mac-list-not-mac', { value: first! }, `"${first}" is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)`));
      return;
    }
    if (rest.length) {
      res.problems.push(problem(line, 'mac-list-extra', { value: rest.join(' ') }, `unexpected "${rest.join(' ')}" (expected a MAC and an optional host name)`));
      return;
    }
    res.reservations.push({ mac, line, ...(second ? { hostname: second } : {}) });
  });
  return res;
}

/** True when every non-comment line starts with a MAC: the text is a MAC list. */
export function looksLikeMacList(text: string): boolean {
  const lines = splitLines(text).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  return lines.length > 0 && lines.every((l) => looseMac(l.split(/[\s,;]+/)[0]!) !== undefined && l.split(/[\s,;]+/).length <= 2);
}
