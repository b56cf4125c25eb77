import { describe, expect, it } from 'vitest';
import { moveSelection, revealRow, visibleWindow } from '../../../src-renderer/src/lib/virtual.js';

describe('visible window', () => {
  it('renders the rows in view plus the overscan', () => {
    // 10,000 rows of 34 px, a 340 px viewport scrolled to row 100.
    const w = visibleWindow({ scrollTop: 3400, viewportHeight: 340, rowHeight: 34, count: 10_000, overscan: 5 });
    expect(w).toEqual({ start: 95, end: 115, offsetTop: 95 * 34, totalHeight: 340_000 });
  });

  it('a part-visible row at either edge is rendered', () => {
    const w = visibleWindow({ scrollTop: 17, viewportHeight: 340, rowHeight: 34, count: 100, overscan: 0 });
    expect([w.start, w.end]).toEqual([0, 11]);
  });

  it('clamps at the top and at the end', () => {
    expect(visibleWindow({ scrollTop: 0, viewportHeight: 340, rowHeight: 34, count: 100, overscan: 8 })).toMatchObject({ start: 0, end: 18, offsetTop: 0 });
    expect(visibleWindow({ scrollTop: 3060, viewportHeight: 340, rowHeight: 34, count: 100, overscan: 8 })).toMatchObject({ start: 82, end: 100 });
  });

  it('a scroll position beyond a list that just shrank shows its last screenful', () => {
    const w = visibleWindow({ scrollTop: 50_000, viewportHeight: 340, rowHeight: 34, count: 20, overscan: 2 });
    expect([w.start, w.end]).toEqual([8, 20]);
  });

  it('handles an empty list and a list shorter than the viewport', () => {
    expect(visibleWindow({ scrollTop: 0, viewportHeight: 340, rowHeight: 34, count: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(visibleWindow({ scrollTop: 0, viewportHeight: 340, rowHeight: 34, count: 3, overscan: 8 })).toMatchObject({ start: 0, end: 3 });
  });

  it('never renders more than a screenful plus twice the overscan, however long the list', () => {
    for (const scrollTop of [0, 1234, 99_999, 339_660]) {
      const w = visibleWindow({ scrollTop, viewportHeight: 600, rowHeight: 34, count: 10_000, overscan: 10 });
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(600 / 34) + 1 + 20);
    }
  });
});

describe('keeping the selection in view', () => {
  it('scrolls only as far as needed', () => {
    expect(revealRow(5, 0, 340, 34)).toBe(0);
    expect(revealRow(10, 0, 340, 34)).toBe(34);
    expect(revealRow(2, 200, 340, 34)).toBe(68);
    expect(revealRow(9, 0, 340, 34)).toBe(0);
  });
});

describe('keyboard', () => {
  it('moves with arrows, pages and Home/End within bounds', () => {
    expect(moveSelection('ArrowDown', -1, 10, 5)).toBe(0);
    expect(moveSelection('ArrowDown', 3, 10, 5)).toBe(4);
    expect(moveSelection('ArrowDown', 9, 10, 5)).toBe(9);
    expect(moveSelection('ArrowUp', 0, 10, 5)).toBe(0);
    expect(moveSelection('PageDown', 3, 10, 5)).toBe(8);
    expect(moveSelection('PageDown', 8, 10, 5)).toBe(9);
    expect(moveSelection('PageUp', 3, 10, 5)).toBe(0);
    expect(moveSelection('Home', 7, 10, 5)).toBe(0);
    expect(moveSelection('End', 2, 10, 5)).toBe(9);
    expect(moveSelection('a', 2, 10, 5)).toBeUndefined();
    expect(moveSelection('ArrowDown', -1, 0, 5)).toBeUndefined();
  });
});
