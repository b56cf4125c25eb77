// The benchmark's reading of perfdhcp's output (bench/lib/perfdhcp.ts parsePerfdhcp): every ratio
// and latency figure in bench/RESULTS.md comes from it. Fixtures are real perfdhcp 2.2 runs against
// pocket-dhcp in the bench lab (test/fixtures/perfdhcp/README.md says how they were made).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePerfdhcp, slowPct } from '../../../bench/lib/perfdhcp.js';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/perfdhcp', `${name}.txt`), 'utf8');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('parsePerfdhcp', () => {
  it('a full DORA run with -x t: both exchanges\' counters, the achieved rate, per-exchange delays and the CPU from `times`', () => {
    const r = parsePerfdhcp(fixture('dora-timestamps'), { timestamps: true });
    expect(r.achieved).toBeCloseTo(12.9999, 4);
    expect(r.discoverOffer).toMatchObject({ sent: 39, received: 39, drops: 0, dropPct: 0, orphans: 0, minMs: 0.563, avgMs: 0.905, maxMs: 6.177 });
    expect(r.requestAck).toMatchObject({ sent: 39, received: 39, drops: 0, dropPct: 0, minMs: 1.045, avgMs: 1.997, maxMs: 21.642 });
    expect(r.dropPct).toBe(0);
    // The children's user + system time of the last `times` line: 0m0.203s 0m0.228s.
    expect(r.cpuSeconds).toBeCloseTo(0.431, 6);
    // Each exchange's delay from its own timestamps agrees with perfdhcp's own summary.
    for (const st of [r.discoverOffer!, r.requestAck!]) {
      const d = st.series!.delays;
      expect(d).toHaveLength(39);
      expect(st.series!.sentAt).toHaveLength(39);
      expect(Math.max(...d)).toBeCloseTo(st.maxMs, 2);
      expect(Math.min(...d)).toBeCloseTo(st.minMs, 2);
      expect(mean(d)).toBeCloseTo(st.avgMs, 2);
      expect(st.p50Ms!).toBeGreaterThanOrEqual(st.minMs);
      expect(st.p99Ms!).toBeLessThanOrEqual(st.maxMs + 1e-9);
      expect(st.p50Ms!).toBeLessThan(st.p99Ms!);
    }
    // The REQUEST-ACK block is read from its own header, not from the DISCOVER-OFFER one.
    expect(r.requestAck!.series!.sentAt[0]).toBeCloseTo(0.006348, 6);
    expect(r.discoverOffer!.series!.sentAt[0]).toBeCloseTo(0.000111, 6);
  });

  it('without -x t no delays are derived', () => {
    const r = parsePerfdhcp(fixture('dora-timestamps'), {});
    expect(r.discoverOffer!.series).toBeUndefined();
    expect(r.requestAck!.p50Ms).toBeUndefined();
    expect(slowPct(r)).toBeNaN();
  });

  it('slowPct: the share of both kinds of exchange over 5 ms (1 DISCOVER→OFFER and 2 REQUEST→ACK of 78 in the fixture)', () => {
    const r = parsePerfdhcp(fixture('dora-timestamps'), { timestamps: true });
    expect(slowPct(r)).toBeCloseTo((100 * 3) / 78, 9);
    expect(slowPct(r, 25)).toBe(0);
  });

  it('a DISCOVER-only run (-i): perfdhcp 2.2 fails its final report, the last periodic report counts', () => {
    const r = parsePerfdhcp(fixture('discover-only'), { initialOnly: true });
    expect(r.discoverOffer).toMatchObject({ sent: 19, received: 19, drops: 0, dropPct: 0 });
    expect(r.requestAck).toBeUndefined();
    expect(r.dropPct).toBe(0);
    expect(r.cpuSeconds).toBeCloseTo(0.289, 6);
  });

  it('the drop rate is the worse of the two exchanges (ISC\'s criterion), and 100 % when perfdhcp reported nothing', () => {
    const text = fixture('dora-timestamps').replace(/(Statistics for: REQUEST-ACK\*\*\*[\s\S]*?drops ratio: )0\.000 %/, '$13.500 %');
    expect(parsePerfdhcp(text, {}).dropPct).toBe(3.5);
    expect(parsePerfdhcp(text, {}).discoverOffer!.dropPct).toBe(0);
    expect(parsePerfdhcp('Running: perfdhcp …\nError: cannot open socket\n', {})).toMatchObject({ dropPct: 100, discoverOffer: undefined, requestAck: undefined });
  });
});
