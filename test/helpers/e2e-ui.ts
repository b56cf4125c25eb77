/**
 * Page-side helpers for the browser e2e tests (playwright-core against the built renderer):
 *
 *   await watchLeaseRows(page);                         // records when each lease row shows up
 *   const t = await rowSeenAt(page, mac, 'bound');      // epoch ms the row was in the DOM
 *   await shoot(page, 'leases-light');                  // test-results/screenshots/leases-light.png
 *   const m = await measureLeaseTableUi(page);          // filter and frame timings (a benchmark hook)
 *
 * Times are taken in the page with Date.now() — the same system clock as the server's log
 * timestamps, since Chromium and the server run on the same machine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './server-lab.js';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/** Saves a screenshot of the page (viewport) as test-results/screenshots/<name>.png; returns the path. */
export async function shoot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // The caret and the uptime/countdown ticks are the only things that move.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/** WCAG 2 relative luminance of a CSS rgb()/rgba() colour, as getComputedStyle gives it: 0 black … 1 white. */
export function luminance(css: string): number {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// ---- lease row latency ----

interface RowWatch {
  seen: Record<string, number>;
}

/**
 * Installs a MutationObserver that records, per "mac|state", the first moment a lease row with
 * that MAC and state is in the DOM (rows are keyed by IP and change state in place, so attribute
 * changes count too). Idempotent per page load.
 */
export async function watchLeaseRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __pdRows?: RowWatch };
    if (w.__pdRows) return;
    const state: RowWatch = { seen: {} };
    w.__pdRows = state;
    const scan = (): void => {
      const now = Date.now();
      for (const row of document.querySelectorAll<HTMLElement>('[data-testid=lease-row]')) {
        const mac = row.querySelector('[data-testid=lease-mac]')?.textContent?.trim();
        if (!mac) continue;
        const key = `${mac}|${row.dataset.state ?? ''}`;
        state.seen[key] ??= now;
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
    scan();
  });
}

/** When the row of `mac` in `state` was first in the DOM (epoch ms); waits up to timeoutMs for it. */
export async function rowSeenAt(page: Page, mac: string, state: string, timeoutMs = 10_000): Promise<number> {
  const key = `${mac}|${state}`;
  const handle = await page.waitForFunction((k) => (window as unknown as { __pdRows?: RowWatch }).__pdRows?.seen[k], key, { timeout: timeoutMs, polling: 50 });
  return (await handle.jsonValue()) as number;
}

// ---- WebSocket traffic of a page ----

export interface WsLog {
  /** URLs of every WebSocket the page opened. */
  opened: string[];
  /** Every text frame the page received, parsed when it is JSON. */
  received: unknown[];
  sent: unknown[];
}

/** Records the page's WebSocket traffic from now on (call before goto). */
export function recordWebSockets(page: Page): WsLog {
  const log: WsLog = { opened: [], received: [], sent: [] };
  const parse = (p: string | Buffer): unknown => {
    const s = typeof p === 'string' ? p : p.toString('utf8');
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return s;
    }
  };
  page.on('websocket', (ws) => {
    log.opened.push(ws.url());
    ws.on('framereceived', (f) => log.received.push(parse(f.payload)));
    ws.on('framesent', (f) => log.sent.push(parse(f.payload)));
  });
  return log;
}

// ---- CSV ----

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF or LF): rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

// ---- UI performance (a hook for bench/, no assertions) ----

export interface FrameStats {
  frames: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Frames longer than 50 ms (a visible stutter). */
  long: number;
}

export interface LeaseTableUiMeasurement {
  /** Rows in the table (every record plus offers) when measured. */
  rows: number;
  /** Per query: from typing it into the filter to just after the next frame was painted. */
  filter: { query: string; ms: number; matches: string }[];
  /** requestAnimationFrame intervals while the table scrolls `scrollSteps` rows per frame. */
  scroll: FrameStats;
  /** Idle frame intervals (live countdowns ticking, pushes arriving). */
  idle: FrameStats;
}

/**
 * Measures the lease table of a page that shows N leases: how long the filter takes to show its
 * result for each query (default: a MAC fragment, an IP prefix, a state, a miss, then cleared),
 * and frame times while scrolling the virtualized table top to bottom and while idle. Pure
 * measurement: the benchmark and the e2e test decide what to do with the numbers.
 */
export async function measureLeaseTableUi(
  page: Page,
  o: { queries?: string[]; scrollFrames?: number; idleFrames?: number } = {},
): Promise<LeaseTableUiMeasurement> {
  const queries = o.queries ?? ['02:00', '198.18.', 'bound', 'no-such-device-zz', ''];
  return page.evaluate(
    async ({ queries, scrollFrames, idleFrames }) => {
      const nextFrame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));
      const stats = (deltas: number[]) => {
        const s = [...deltas].sort((a, b) => a - b);
        const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
        const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
        return { frames: s.length, meanMs: mean, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: s[s.length - 1] ?? 0, long: s.filter((d) => d > 50).length };
      };
      const frames = async (n: number, each?: (i: number) => void) => {
        const deltas: number[] = [];
        let last = await nextFrame();
        for (let i = 0; i < n; i++) {
          each?.(i);
          const t = await nextFrame();
          deltas.push(t - last);
          last = t;
        }
        return deltas;
      };
      const input = document.querySelector<HTMLInputElement>('[data-testid=lease-filter]');
      const count = document.querySelector<HTMLElement>('[data-testid=lease-count]');
      const viewport = document.querySelector<HTMLElement>('[data-testid=lease-table]');
      if (!input || !count || !viewport) throw new Error('measureLeaseTableUi: the lease table is not on screen (Leases tab)');
      const rowsText = count.textContent ?? '';
      const rows = Number((/([\d,]+) lease/.exec(rowsText)?.[1] ?? '0').replace(/,/g, ''));

      const filter: { query: string; ms: number; matches: string }[] = [];
      const afterPaint = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      for (const query of queries) {
        await afterPaint();
        const t0 = performance.now();
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Svelte applies the state change in a microtask; the frame after it is what the user sees.
        await afterPaint();
        filter.push({ query, ms: performance.now() - t0, matches: count.textContent?.trim() ?? '' });
      }

      viewport.scrollTop = 0;
      const max = Math.max(0, viewport.scrollHeight - viewport.clientHeight);
      const step = Math.max(34, Math.ceil(max / Math.max(1, scrollFrames)));
      const scroll = stats(await frames(scrollFrames, () => (viewport.scrollTop = Math.min(max, viewport.scrollTop + step))));
      viewport.scrollTop = 0;
      const idle = stats(await frames(idleFrames));
      return { rows, filter, scroll, idle };
    },
    { queries, scrollFrames: o.scrollFrames ?? 60, idleFrames: o.idleFrames ?? 30 },
  );
}
