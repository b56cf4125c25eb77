// Section 6 of the benchmark: the UI in Chromium (web mode) with 10,000 leases.
//   - filter: time from typing a query into the lease filter to the painted result (and sorting by
//     a column header click), on the real built UI, fed by the real server over its WebSocket;
//   - frames: requestAnimationFrame intervals while ~500 lease events/s arrive (perfdhcp DORAs
//     against the same server: each DORA pushes an offered and then a bound lease row).
// The server is the built CLI in `serve --web --config` mode inside the bench namespace, Chromium
// runs inside the same namespace (test/helpers/e2e-lab.ts), every load is bounded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserE2eMissing, launchChromiumIn, type NetnsBrowser } from '../../test/helpers/e2e-lab.js';
import { measureLeaseTableUi, type FrameStats } from '../../test/helpers/e2e-ui.js';
import { LAB_PROBE_ARGS } from '../../test/helpers/server-lab.js';
import { writeLeaseFile } from '../store-bench.js';
import type { BenchLab } from './lab.js';
import { runPerfdhcp } from './perfdhcp.js';
import { pocketCli, pocketConfig, REPO_ROOT } from './servers.js';
import { sleep } from './util.js';

export interface UiBenchResult {
  rows: number;
  filter: { query: string; ms: number; matches: string }[];
  sort: { column: string; ms: number }[];
  scroll: FrameStats;
  /** Frames while lease events arrive. */
  live: FrameStats & { over16: number; seconds: number };
  /** Lease events the server pushed per second during the live window (offers + ACKs from its log). */
  eventsPerSecond: number;
  dorasPerSecond: number;
  browser: string;
}

export function uiBenchMissing(): string | undefined {
  return browserE2eMissing();
}

const PORT = 8080;

export async function uiBench(bl: BenchLab, o: { leases: number; rate: number; seconds: number }): Promise<UiBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pdl-bench-ui-'));
  let nb: NetnsBrowser | undefined;
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // The stored leases lie in 198.18.1.0 + i (the bench /15 pool); perfdhcp's clients get fresh
  // addresses from the same pool, so rows are added while the table is on screen.
  writeLeaseFile(dataDir, o.leases, Date.now());
  const cfgFile = join(dir, 'config.json');
  writeFileSync(cfgFile, JSON.stringify(pocketConfig(bl.serverIf, dataDir)));
  const out: string[] = [];
  const child = bl.lab.spawn('s', process.execPath, [...pocketCli.nodeArgs, pocketCli.entry, 'serve', '--config', cfgFile, '--web', `127.0.0.1:${PORT}`, '--log', 'json', ...LAB_PROBE_ARGS], { cwd: REPO_ROOT });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      out.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr!.resume();
  try {
    const t0 = Date.now();
    let url = '';
    while (Date.now() - t0 < 30_000 && !(url && out.some((l) => l.includes('"kind":"started"')))) {
      if (child.exitCode !== null) throw new Error(`server exited: ${out.slice(-5).join('\n')}`);
      const web = out.find((l) => l.includes('"kind":"web"'));
      if (web) url = String((JSON.parse(web) as { url: string }).url);
      await sleep(100);
    }
    if (!url) throw new Error(`serve --web did not come up: ${out.slice(-5).join('\n')}`);
    mkdirSync(join(dir, 'chromium'));
    nb = await launchChromiumIn(bl.lab, 's', join(dir, 'chromium'));
    const ctx = await nb.browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); functions passed to
    // page.evaluate are serialised with that call, so the page needs a no-op __name.
    await ctx.addInitScript('globalThis.__name = (f) => f;');
    const page = await ctx.newPage();
    await page.goto(url);
    const leasesTab = page.locator('[data-testid=tab-leases]');
    if (await leasesTab.count()) await leasesTab.click();
    await page.waitForFunction((n) => {
      const t = document.querySelector('[data-testid=lease-count]')?.textContent ?? '';
      return Number((/([\d,]+) lease/.exec(t)?.[1] ?? '0').replace(/,/g, '')) >= n;
    }, o.leases, { timeout: 60_000 });
    await sleep(500);
    const m = await measureLeaseTableUi(page, { queries: ['02:42:00:00:1', '198.18.2', 'host-99', 'expired', 'no-such-device-zz', ''], scrollFrames: 120 });

    // Sort: click each sortable header, time to the painted result.
    const sort: { column: string; ms: number }[] = [];
    const headers = await page.locator('[data-testid=lease-table] [role=columnheader] button').all();
    for (const h of headers.slice(0, 4)) {
      const column = ((await h.textContent()) ?? '').trim();
      const ms = await h.evaluate(async (el) => {
        const t0 = performance.now();
        (el as HTMLElement).click();
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      });
      sort.push({ column, ms });
    }

    // Live: frames while perfdhcp drives DORAs (fresh clients: new rows and state changes).
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = [];
      w.__stop = false;
      let last = performance.now();
      const tick = (t: number) => {
        w.__frames.push(t - last);
        last = t;
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame((t) => {
        last = t;
        requestAnimationFrame(tick);
      });
    });
    const before = out.length;
    const tl = Date.now();
    const perf = await runPerfdhcp(bl, { rate: o.rate, period: o.seconds, clients: o.rate * o.seconds });
    const liveSeconds = (Date.now() - tl) / 1000;
    const deltas = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      return w.__frames;
    });
    let events = 0;
    for (const l of out.slice(before)) if (l.includes('"type":"offer"') || l.includes('"type":"ack"')) events++;
    const s = [...deltas].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    const live = {
      frames: s.length,
      meanMs: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      maxMs: s.at(-1) ?? 0,
      long: s.filter((d) => d > 50).length,
      over16: s.filter((d) => d > 16.7 * 1.5).length,
      seconds: liveSeconds,
    };
    return {
      rows: m.rows,
      filter: m.filter,
      sort,
      scroll: m.scroll,
      live,
      eventsPerSecond: events / liveSeconds,
      dorasPerSecond: (perf.requestAck?.received ?? 0) / liveSeconds,
      browser: nb.browser.version(),
    };
  } finally {
    await nb?.close();
    await bl.lab.kill(child, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
