// The serve log's line writer: lines wait at most flushMs (or until maxLines are pending) and
// leave in one write, in order; flush() writes what is pending at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLineWriter } from '../../../src-main/cli/line-writer.js';

afterEach(() => {
  vi.useRealTimers();
});

function sink() {
  const chunks: string[] = [];
  return { chunks, out: { write: (c: string) => chunks.push(c) } };
}

describe('createLineWriter', () => {
  it('collects the lines of a burst into one write after flushMs, in order', () => {
    vi.useFakeTimers();
    const { chunks, out } = sink();
    const w = createLineWriter(out, { flushMs: 10 });
    w.write('a');
    w.write(undefined); // a line the format leaves out
    w.write('b');
    vi.advanceTimersByTime(9);
    expect(chunks).toEqual([]);
    w.write('c');
    vi.advanceTimersByTime(1);
    expect(chunks).toEqual(['a\nb\nc\n']);
    w.write('d');
    vi.advanceTimersByTime(10);
    expect(chunks).toEqual(['a\nb\nc\n', 'd\n']);
    vi.advanceTimersByTime(100);
    expect(chunks).toHaveLength(2);
  });

  it('writes at once when maxLines are pending, and the timer then finds nothing more', () => {
    vi.useFakeTimers();
    const { chunks, out } = sink();
    const w = createLineWriter(out, { flushMs: 10, maxLines: 3 });
    for (const l of ['1', '2', '3', '4']) w.write(l);
    expect(chunks).toEqual(['1\n2\n3\n']);
    vi.advanceTimersByTime(10);
    expect(chunks).toEqual(['1\n2\n3\n', '4\n']);
  });

  it('flush() writes what is pending now (before exit) and cancels the timer', () => {
    vi.useFakeTimers();
    const { chunks, out } = sink();
    const w = createLineWriter(out);
    w.write('last words');
    w.flush();
    expect(chunks).toEqual(['last words\n']);
    w.flush();
    vi.advanceTimersByTime(1000);
    expect(chunks).toEqual(['last words\n']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
