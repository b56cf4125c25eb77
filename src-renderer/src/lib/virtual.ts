// Window math for the virtualized lists (lease table, event log): fixed row height, render only the
// rows in view plus an overscan above and below, and keep a keyboard selection in view.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan?: number;
}

export interface WindowRange {
  /** First rendered row index (inclusive). */
  start: number;
  /** One past the last rendered row index. */
  end: number;
  /** Space above the first rendered row, px. */
  offsetTop: number;
  /** Full scroll height of all rows, px. */
  totalHeight: number;
}

export function visibleWindow({ scrollTop, viewportHeight, rowHeight, count, overscan = 8 }: WindowInput): WindowRange {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  // A scroll position past the end (the list just shrank) is treated as the last screenful.
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - first;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + Math.max(1, visible) + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` fully into view, changing as little as possible. */
export function revealRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Keyboard navigation: the new selected index for a key, or undefined if the key is not ours. */
export function moveSelection(key: string, index: number, count: number, pageRows: number): number | undefined {
  if (count === 0) return undefined;
  const clamp = (n: number): number => Math.min(count - 1, Math.max(0, n));
  switch (key) {
    case 'ArrowDown':
      return clamp(index < 0 ? 0 : index + 1);
    case 'ArrowUp':
      return clamp(index < 0 ? 0 : index - 1);
    case 'PageDown':
      return clamp((index < 0 ? 0 : index) + Math.max(1, pageRows));
    case 'PageUp':
      return clamp((index < 0 ? 0 : index) - Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
