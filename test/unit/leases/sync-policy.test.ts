// SyncPolicy: fdatasync inline while the disk syncs fast, on the thread pool when it does not, and
// back inline once a probe finds the disk fast again.
import { describe, expect, it } from 'vitest';
import { INLINE_MAX_MS, SyncPolicy } from '../../../src-main/leases/sync-policy.js';

describe('SyncPolicy', () => {
  it('stays inline while inline syncs are fast', () => {
    const p = new SyncPolicy();
    for (let t = 0; t < 1000; t += 10) {
      expect(p.inline(t)).toBe(true);
      p.inlineTook(0.3, t);
    }
    expect(p.snapshot()).toEqual({ mode: 'inline', avgInlineMs: expect.closeTo(0.3, 5) });
  });

  it('one slow sync among fast ones does not leave inline mode; a slow disk does', () => {
    const p = new SyncPolicy();
    for (let i = 0; i < 20; i++) p.inlineTook(0.3, i);
    p.inlineTook(3, 20); // average 0.3 + 0.2 × 2.7 = 0.84 ms
    expect(p.snapshot().mode).toBe('inline');
    p.inlineTook(8, 21);
    expect(p.snapshot().mode).toBe('pool');
    expect(p.inline(22)).toBe(false);
  });

  it('on the thread pool, probes inline after 1 s, doubling the wait after each slow probe, and returns on a fast one', () => {
    const p = new SyncPolicy();
    p.inlineTook(20, 0); // an SD card
    expect(p.snapshot().mode).toBe('pool');
    expect(p.inline(999)).toBe(false);
    expect(p.inline(1000)).toBe(true); // probe
    p.inlineTook(15, 1000);
    expect(p.inline(2999)).toBe(false);
    expect(p.inline(3000)).toBe(true); // after 2 s
    p.inlineTook(15, 3000);
    expect(p.inline(6999)).toBe(false);
    expect(p.inline(7000)).toBe(true); // after 4 s
    // The wait stops growing at 64 s.
    let at = 7000;
    for (let i = 0; i < 10; i++) {
      p.inlineTook(15, at);
      while (!p.inline(at)) at += 1000;
    }
    p.inlineTook(15, at);
    expect(p.inline(at + 63_999)).toBe(false);
    expect(p.inline(at + 64_000)).toBe(true);
    p.inlineTook(INLINE_MAX_MS / 2, at + 64_000);
    expect(p.snapshot().mode).toBe('inline');
    expect(p.inline(at + 64_001)).toBe(true);
  });
});
