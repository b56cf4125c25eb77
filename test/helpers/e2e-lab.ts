/**
 * The pieces the browser e2e tests add to the namespace lab (netns.ts) and the server lab
 * (server-lab.ts): the headless web mode of the built CLI running *idle* inside a namespace
 * (`serve --web 127.0.0.1:PORT --data-dir DIR`, no configuration flags), and Debian's Chromium
 * launched by playwright-core *inside the same namespace*, so the browser reaches the web UI on
 * that namespace's loopback while the DHCP side lives on a veth to the client namespace.
 *
 *   S: sv0 198.18.x.1/24 (+ web UI on 127.0.0.1:PORT, + Chromium) ──veth── C: cl0 (dhclient, udhcpc…)
 *
 * Nothing of the test lives in the root namespace: no interface, no DHCP socket, no listening
 * port. The browser runs through a small wrapper script (`ip netns exec NS chromium "$@"`; both
 * exec in place, so the pid Playwright spawns is Chromium's and its process group is Chromium's);
 * the wrapper writes that pid to a file, and closeBrowser() kills the group by that pid if
 * Playwright's own close did not (the lab's cleanup then deletes the namespace).
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readLines, type Lab, type LineReader } from './netns.js';
import { CLI, cliMissing, LAB_PROBE_ARGS, REPO_ROOT, sleep, type ExitStatus, type LogEvent } from './server-lab.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags TOOLCHAIN.md prescribes; Playwright adds a fresh temporary --user-data-dir itself. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const RENDERER_INDEX = join(REPO_ROOT, 'out/renderer/index.html');

/** Undefined when Chromium, the built CLI and the built renderer are all there; else why not. */
export function browserE2eMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  const cli = cliMissing();
  if (cli) return cli;
  if (!existsSync(RENDERER_INDEX)) return `the UI is not built (${RENDERER_INDEX} missing) — run "npm run build" (npm test does it)`;
  return undefined;
}

// ---- the web mode server ----

export interface WebServeHandle {
  child: ChildProcess;
  pid: number;
  dataDir: string;
  /** http://127.0.0.1:PORT/#token=… as printed. */
  url: string;
  origin: string;
  token: string;
  out: LineReader;
  err: LineReader;
  /** Every stdout line that parsed as a JSON object (`--log json`), in order. */
  events(): LogEvent[];
  /** First event satisfying pred (already logged or arriving within timeoutMs). */
  waitEvent(pred: (e: LogEvent) => boolean, opts?: { timeoutMs?: number; from?: number }): Promise<LogEvent>;
  exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after graceMs; the exit status. */
  stop(graceMs?: number): Promise<ExitStatus>;
  tail(n?: number): string;
}

/**
 * `node bin/pocket-dhcp.js serve --web 127.0.0.1:PORT --data-dir DIR --log json` inside `ns`:
 * without configuration flags it starts idle with DIR/settings.json. Resolves once it printed its
 * URL and the "idle" line.
 */
export async function startWebServe(lab: Lab, ns: string, o: { dataDir: string; port: number; args?: string[]; timeoutMs?: number }): Promise<WebServeHandle> {
  const child = lab.spawn(ns, process.execPath, [CLI, 'serve', '--web', `127.0.0.1:${o.port}`, '--data-dir', o.dataDir, '--log', 'json', ...LAB_PROBE_ARGS, ...(o.args ?? [])], { cwd: REPO_ROOT });
  if (child.pid === undefined) throw new Error('could not spawn the server');
  const pid = child.pid;
  const out = readLines(child.stdout!);
  const err = readLines(child.stderr!);
  const exited = new Promise<ExitStatus>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });
  const parse = (l: string): LogEvent | undefined => {
    if (!l.startsWith('{')) return undefined;
    try {
      const v = JSON.parse(l) as LogEvent;
      return v && typeof v.kind === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const events = (): LogEvent[] => out.lines.map(parse).filter((e): e is LogEvent => e !== undefined);
  const tail = (n = 20): string => [...out.lines.slice(-n), ...err.lines.slice(-n).map((l) => `[stderr] ${l}`)].join('\n');
  const waitEvent = async (pred: (e: LogEvent) => boolean, w: { timeoutMs?: number; from?: number } = {}): Promise<LogEvent> => {
    const line = await out.waitFor((l) => {
      const e = parse(l);
      return e !== undefined && pred(e);
    }, { timeoutMs: w.timeoutMs ?? 10_000, ...(w.from !== undefined ? { from: w.from } : {}) });
    return parse(line)!;
  };
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  };
  let web: LogEvent;
  try {
    web = await waitEvent((e) => e.kind === 'web', { timeoutMs: o.timeoutMs ?? 15_000 });
    await waitEvent((e) => e.kind === 'idle', { timeoutMs: 5000 });
  } catch (e) {
    signal('SIGKILL');
    await exited;
    throw new Error(`serve --web did not come up: ${(e as Error).message}\n${tail()}`);
  }
  const url = String(web.url);
  const u = new URL(url);
  return {
    child,
    pid,
    dataDir: o.dataDir,
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    out,
    err,
    events,
    waitEvent,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      signal('SIGTERM');
      const st = await exited;
      clearTimeout(t);
      return st;
    },
    tail,
  };
}

/** The `at` of a `--log json` line as epoch ms. */
export function eventTime(e: LogEvent): number {
  return Date.parse(String(e.at));
}

// ---- Chromium inside a namespace ----

export interface NetnsBrowser {
  browser: Browser;
  /** Chromium's pid (the wrapper's, which exec'd into it): the leader of its process group. */
  pid: number | undefined;
  /** browser.close(), then SIGKILL to the process group if anything of it is left. Idempotent. */
  close(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Launches Chromium (playwright-core) inside the lab namespace `ns`: it sees that namespace's
 * loopback (where the web UI listens) and nothing of the root namespace's network.
 */
export async function launchChromiumIn(lab: Lab, ns: string, dir: string): Promise<NetnsBrowser> {
  const real = lab.ns(ns);
  const pidFile = join(dir, 'chromium.pid');
  const wrapper = join(dir, 'chromium-in-netns.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh
# Written by test/helpers/e2e-lab.ts: Chromium inside network namespace ${real}.
echo $$ > '${pidFile}'
exec ip netns exec '${real}' '${resolve(CHROMIUM)}' "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS, timeout: 30_000 });
  const pidText = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
  const pid = /^\d+$/.test(pidText) ? Number(pidText) : undefined;
  let closing: Promise<void> | undefined;
  // A test runner that exits without afterAll (an uncaught error, SIGINT) must not leave Chromium
  // running inside a namespace the lab is about to delete.
  const onExit = (): void => {
    if (pid !== undefined && groupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.once('exit', onExit);
  return {
    browser,
    pid,
    close() {
      closing ??= (async () => {
        process.off('exit', onExit);
        await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
        if (pid === undefined) return;
        for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(100);
        if (groupAlive(pid)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
      })();
      return closing;
    },
  };
}

export interface WebUi {
  srv: WebServeHandle;
  nb: NetnsBrowser;
  page: Page;
}

/**
 * `serve --web` in `ns` with a data directory (settings.json written first when given), Chromium
 * in the same namespace, and one page opened on the UI's URL (token included).
 */
export async function openWebUi(
  lab: Lab,
  ns: string,
  dirs: { data: string; chromium: string },
  o: { settings?: object; args?: string[]; port?: number } = {},
): Promise<WebUi> {
  mkdirSync(dirs.data, { recursive: true });
  if (o.settings) writeFileSync(join(dirs.data, 'settings.json'), JSON.stringify(o.settings));
  const srv = await startWebServe(lab, ns, { dataDir: dirs.data, port: o.port ?? 8080, ...(o.args ? { args: o.args } : {}) });
  const nb = await launchChromiumIn(lab, ns, dirs.chromium);
  const ctx = await nb.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(srv.url);
  return { srv, nb, page };
}
