/**
 * The real server in a network namespace, driven through its built CLI, plus the real DHCP clients
 * that talk to it. Builds on the lab of netns.ts (which owns namespaces, processes and cleanup).
 *
 *   const lab = await createLab('srvcli');
 *   await lab.addNamespace('s'); await lab.addNamespace('c');
 *   await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
 *   const tmp = new TempDirs();
 *   const srv = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('srv') });
 *   const dh = await dhclient(lab, 'c', 'cl0', { dir: tmp.make('dh') });          // DORA, env recorded
 *   const leases = await readLeases(lab, 's', srv.dataDir);                        // `leases --format json`
 *   await srv.stop();                                                               // SIGTERM, exit status
 *
 * What runs is `node bin/pocket-dhcp.js serve --config FILE --log json -v` — the built CLI (npm test
 * builds first; in development `npm run build` after source changes). Every JSON log line is parsed
 * and kept; waitEvent() waits for one matching a predicate.
 *
 * Clients never touch the host: each gets its own lease/pid/state files in a temp dir, runs only a
 * recorder script of ours (it appends the environment the client passes to its script to a file,
 * and optionally configures the leased address on the client's interface *inside its namespace*),
 * and is bounded in time. dhcpcd additionally runs in a private mount namespace with tmpfs over
 * /var/lib/dhcpcd and /run, so its DUID, lease and socket files never land on the host.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLines, systemBinary, type ExecResult, type Lab, type LineReader } from './netns.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI under test; POCKET_DHCP_TEST_CLI points the tests at another entry script (development only). */
export const CLI = process.env.POCKET_DHCP_TEST_CLI ?? join(REPO_ROOT, 'bin/pocket-dhcp.js');
export const BUILT_CLI = join(REPO_ROOT, 'out/main/cli.js');

/** Undefined when the CLI is built, else a sentence saying what to do. */
export function cliMissing(): string | undefined {
  return process.env.POCKET_DHCP_TEST_CLI || existsSync(BUILT_CLI) ? undefined : `the CLI is not built (${BUILT_CLI} missing) — run "npm run build" (npm test does it)`;
}

// ---- temp dirs ----

export class TempDirs {
  private readonly dirs: string[] = [];
  constructor(private readonly tag = 'srv') {}
  make(name = 'x'): string {
    const d = mkdtempSync(join(tmpdir(), `pdl-${this.tag}-${name}-`));
    this.dirs.push(d);
    return d;
  }
  /** Removes every dir made, unless POCKET_KEEP_TMP is set (then prints where they are). */
  cleanup(): void {
    if (process.env.POCKET_KEEP_TMP) {
      if (this.dirs.length) console.warn(`[server-lab] kept temp dirs:\n  ${this.dirs.join('\n  ')}`);
      return;
    }
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

// ---- configuration ----

export type Json = Record<string, unknown>;

/** The reserved client of labConfig(): a locally administered MAC and an address outside the pool. */
export const RESERVED_MAC = '02:00:5e:10:00:42';
export const RESERVED_IP = '198.18.10.42';

/**
 * The standard lab config: sv0 = 198.18.10.1/24, pool .100–.150, router .1, DNS .53, domain
 * lab.test, one reservation. `subnet` overrides fields of subnets[0]; `extraSubnets` are appended.
 */
export function labConfig(o: { leaseTime?: number; subnet?: Json; extraSubnets?: Json[]; top?: Json } = {}): Json {
  return {
    interface: 'sv0',
    leaseTime: o.leaseTime ?? 600,
    subnets: [
      {
        subnet: '198.18.10.0/24',
        range: '198.18.10.100-198.18.10.150',
        router: '198.18.10.1',
        dns: '198.18.10.53',
        domain: 'lab.test',
        ...o.subnet,
      },
      ...(o.extraSubnets ?? []),
    ],
    reservations: [{ mac: RESERVED_MAC, ip: RESERVED_IP, hostname: 'reserved-box' }],
    ...o.top,
  };
}

export function writeConfig(dir: string, config: Json, name = 'config.json'): string {
  const p = join(dir, name);
  writeFileSync(p, `${JSON.stringify(config, null, 2)}\n`);
  return p;
}

// ---- the CLI ----

/**
 * The check for other DHCP servers before serving listens 4 s by default (src-main/server/
 * rogue-guard.ts). A lab namespace has no other server unless a test starts one, so servers here
 * listen 200 ms — the check still runs (port 68 opened, DISCOVER sent) without costing 4 s per
 * start. A test that needs the real check passes `--probe-timeout 4000` in `args` (a later flag wins).
 */
export const LAB_PROBE_ARGS = ['--probe-timeout', '200'];

/** `node bin/pocket-dhcp.js ARGS` inside `ns` (bounded). */
export function runCli(lab: Lab, ns: string, args: string[], timeoutMs = 15_000): Promise<ExecResult> {
  return lab.exec(ns, process.execPath, [CLI, ...args], { timeoutMs, cwd: REPO_ROOT });
}

/** A log line of `serve --log json` (see src-main/server/event-format.ts), parsed. */
export type LogEvent = Json & { kind: string };

export type DhcpEvent = LogEvent & { kind: 'dhcp'; event: Json & { type: string; ip?: string; mac?: string; state?: string; lease?: Json; reason?: string } };
export type PacketEvent = LogEvent & { kind: 'packet'; packet: { direction: 'in' | 'out'; type: string; mac: string; xid: number; ip?: string; peer: string; size: number } };

export const isDhcp = (type: string, mac?: string) => (e: LogEvent): e is DhcpEvent =>
  e.kind === 'dhcp' && (e as DhcpEvent).event.type === type && (mac === undefined || (e as DhcpEvent).event.mac === mac);
export const isPacket = (direction: 'in' | 'out', type: string, mac?: string) => (e: LogEvent): e is PacketEvent =>
  e.kind === 'packet' && (e as PacketEvent).packet.direction === direction && (e as PacketEvent).packet.type === type && (mac === undefined || (e as PacketEvent).packet.mac === mac);

/** "packet in DHCPREQUEST", "dhcp ack", "lease bound", … — for diagnostics. */
export function describeEvent(e: LogEvent): string {
  if (e.kind === 'packet') {
    const p = (e as PacketEvent).packet;
    return `packet ${p.direction} ${p.type}`;
  }
  if (e.kind === 'dhcp') return `dhcp ${(e as DhcpEvent).event.type}`;
  if (e.kind === 'lease') return `lease ${String((e.lease as Json | undefined)?.state)}`;
  return e.kind;
}

/** A type guard narrowed further by a condition: and(isPacket('in', 'DHCPREQUEST'), (e) => e.packet.ip === ip). */
export const and = <T extends LogEvent>(guard: (e: LogEvent) => e is T, cond: (e: T) => boolean) => (e: LogEvent): e is T => guard(e) && cond(e);

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerHandle {
  child: ChildProcess;
  pid: number;
  dataDir: string;
  /** '' in flag mode (config: null). */
  configPath: string;
  /** stdout / stderr line readers. */
  out: LineReader;
  err: LineReader;
  /** Every stdout line that parsed as a JSON object, in order. */
  events(): LogEvent[];
  /** Index to pass as `from` to wait for something that happens after now. */
  mark(): number;
  /** First event at index >= from (default 0) satisfying pred; waits up to timeoutMs (default 10 s). */
  waitEvent<T extends LogEvent>(pred: (e: LogEvent) => e is T, opts?: { from?: number; timeoutMs?: number }): Promise<T>;
  waitEvent(pred: (e: LogEvent) => boolean, opts?: { from?: number; timeoutMs?: number }): Promise<LogEvent>;
  /** Resolves when the process has exited. */
  exited: Promise<ExitStatus>;
  /** SIGTERM, wait (SIGKILL after graceMs); the exit status. */
  stop(graceMs?: number): Promise<ExitStatus>;
  /** SIGKILL now; resolves when it is gone. */
  kill9(): Promise<ExitStatus>;
  /** Recent output for assertion messages. */
  tail(n?: number): string;
}

export interface StartServerOptions {
  /** The --config file's content; null starts in flag mode without --config (the flags go in `args`). */
  config: Json | null;
  /** Holds config.json and (unless dataDir is given) data/. */
  dir: string;
  dataDir?: string;
  /** Extra CLI arguments after `serve`. */
  args?: string[];
  bannerTimeoutMs?: number;
  /** Log format (default json; with text, events() stays empty — read `out.lines`). */
  log?: 'json' | 'text';
  /** Log every packet (-v; default true). */
  verbose?: boolean;
}

/**
 * Starts `serve --config … --data-dir … --log json -v` in `ns` (-v unless `verbose: false`) and waits for its banner: the
 * "started" JSON line, or with `log: 'text'` the "pocket-dhcp serving on …" line.
 */
export async function startServer(lab: Lab, ns: string, opts: StartServerOptions): Promise<ServerHandle> {
  const h = spawnServer(lab, ns, opts);
  try {
    const timeoutMs = opts.bannerTimeoutMs ?? 15_000;
    if (opts.log === 'text') await h.out.waitFor(/^pocket-dhcp serving on /, { timeoutMs });
    else await h.waitEvent((e) => e.kind === 'started', { timeoutMs });
  } catch (e) {
    await h.kill9();
    throw new Error(`server did not start: ${(e as Error).message}\nstderr:\n${h.err.lines.join('\n')}`);
  }
  return h;
}

/** Spawns the server without waiting for anything (for start-up failure tests). */
export function spawnServer(lab: Lab, ns: string, opts: StartServerOptions): ServerHandle {
  const missing = cliMissing();
  if (missing) throw new Error(missing);
  const dataDir = opts.dataDir ?? join(opts.dir, 'data');
  const configPath = opts.config === null ? '' : writeConfig(opts.dir, opts.config);
  const child = lab.spawn(ns, process.execPath, [CLI, 'serve', ...(configPath ? ['--config', configPath] : []), '--data-dir', dataDir, '--log', opts.log ?? 'json', ...(opts.verbose === false ? [] : ['-v']), ...LAB_PROBE_ARGS, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
  });
  if (child.pid === undefined) throw new Error('could not spawn the server');
  const out = readLines(child.stdout!);
  const err = readLines(child.stderr!);
  const parsed: LogEvent[] = [];
  let parsedUpTo = 0;
  const events = (): LogEvent[] => {
    for (; parsedUpTo < out.lines.length; parsedUpTo++) {
      const l = out.lines[parsedUpTo]!;
      try {
        const v = JSON.parse(l) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Json).kind === 'string') parsed.push(v as LogEvent);
      } catch {
        // not a JSON line (should not happen with --log json; visible in tail())
      }
    }
    return parsed;
  };
  const exited = new Promise<ExitStatus>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });
  const pid = child.pid;
  const waitEvent = (pred: (e: LogEvent) => boolean, o: { from?: number; timeoutMs?: number } = {}): Promise<LogEvent> =>
    new Promise<LogEvent>((ok, fail) => {
      let from = o.from ?? 0;
      let done = false;
      const check = (): boolean => {
        const ev = events();
        for (; from < ev.length; from++) {
          if (pred(ev[from]!)) {
            finish();
            ok(ev[from]!);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        fail(new Error(`timed out after ${o.timeoutMs ?? 10_000} ms waiting for a server event; last output:\n${tail(15)}`));
      }, o.timeoutMs ?? 10_000);
      const onData = (): void => {
        // readLines' own 'data' listener runs first (registered first), so the line is there.
        if (!done) check();
      };
      const onExit = (): void => {
        // Let the last lines arrive, then give up.
        setTimeout(() => {
          if (done || check()) return;
          finish();
          fail(new Error(`server exited while waiting for an event; last output:\n${tail(15)}`));
        }, 100);
      };
      const finish = (): void => {
        done = true;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
      };
      if (check()) return;
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
  const tail = (n = 20): string => [...out.lines.slice(-n), ...err.lines.slice(-n).map((l) => `[stderr] ${l}`)].join('\n');
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  };
  const h: ServerHandle = {
    child,
    pid,
    dataDir,
    configPath,
    out,
    err,
    events,
    mark: () => events().length,
    waitEvent: waitEvent as ServerHandle['waitEvent'],
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      signal('SIGTERM');
      const st = await exited;
      clearTimeout(t);
      return st;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) signal('SIGKILL');
      return exited;
    },
    tail,
  };
  return h;
}

/** A lease as `pocket-dhcp leases --format json` prints it. */
export type LeaseJson = Json & { ip: string; mac: string; clientId: string; state: string; expiresAt: string };

/** Runs `leases --data-dir DIR --format json` and returns the records (accepts a bare array or { leases: [...] }). */
export async function readLeases(lab: Lab, ns: string, dataDir: string): Promise<LeaseJson[]> {
  const r = await runCli(lab, ns, ['leases', '--data-dir', dataDir, '--format', 'json']);
  if (r.code !== 0) throw new Error(`pocket-dhcp leases exited ${r.code ?? r.signal}: ${r.stderr.trim()}`);
  let v: unknown;
  try {
    v = JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`pocket-dhcp leases --format json printed no JSON (${(e as Error).message}):\n${r.stdout.slice(0, 500)}`);
  }
  const list = Array.isArray(v) ? v : (v as Json)?.leases;
  if (!Array.isArray(list)) throw new Error(`pocket-dhcp leases --format json: expected an array of leases, got:\n${r.stdout.slice(0, 500)}`);
  return list as LeaseJson[];
}

export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// ---- recorder script for DHCP clients ----

export type Record_ = Record<string, string>;

export interface Recorder {
  script: string;
  file: string;
  /** Every invocation: the environment plus ARG1 (udhcpc and dhcpcd pass the reason as $1). */
  records(): Record_[];
  /** The first record at index >= from whose reason (env `reason` or $1) is one of `reasons`. */
  waitFor(reasons: string[], opts?: { from?: number; timeoutMs?: number }): Promise<Record_>;
}

/**
 * A client script that appends its environment (NUL-separated) to a file. With `configure`, it also
 * puts the leased address on the interface (inside the client's namespace) and removes it on
 * release/expiry — needed when the client must be reachable by unicast (renewal, dhclient -r).
 * It never touches /etc or routes.
 */
export function makeRecorder(dir: string, name: string, configure: 'dhclient' | 'udhcpc' | null = null): Recorder {
  const file = join(dir, `${name}.rec`);
  const script = join(dir, `${name}.sh`);
  const conf =
    configure === 'dhclient'
      ? `case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then ip -4 addr flush dev "$interface"; fi
    ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
esac`
      : configure === 'udhcpc'
        ? `case "$1" in
  bound|renew) ip -4 addr replace "$ip/$mask" dev "$interface" ;;
  deconfig) ip -4 addr flush dev "$interface" ;;
esac`
        : '';
  writeFileSync(
    script,
    `#!/bin/sh
# Written by test/helpers/server-lab.ts: records what the DHCP client tells its script.
{ printf '@@RECORD\\0'; printf 'ARG1=%s\\0' "$1"; env -0; printf '@@END\\0'; } >> '${file}'
${conf}
exit 0
`,
  );
  chmodSync(script, 0o755);
  const records = (): Record_[] => {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const out: Record_[] = [];
    let cur: Record_ | undefined;
    // A record counts only once its end marker is written: the test polls while the client's
    // script may still be appending (a half-written "bound" record has no ip yet).
    for (const item of raw.split('\0')) {
      if (item === '@@RECORD') {
        cur = {};
        continue;
      }
      if (item === '@@END') {
        if (cur) out.push(cur);
        cur = undefined;
        continue;
      }
      if (!cur || !item) continue;
      const eq = item.indexOf('=');
      if (eq > 0) cur[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  };
  const reasonOf = (r: Record_): string => r.reason ?? r.ARG1 ?? '';
  return {
    script,
    file,
    records,
    async waitFor(reasons, o = {}) {
      const deadline = Date.now() + (o.timeoutMs ?? 10_000);
      for (;;) {
        const found = records()
          .slice(o.from ?? 0)
          .find((r) => reasons.includes(reasonOf(r)));
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no client script call with reason ${reasons.join('/')} within ${o.timeoutMs ?? 10_000} ms; got: ${records().map(reasonOf).join(', ') || 'none'}`);
        }
        await sleep(50);
      }
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- clients ----

/**
 * Like lab.exec, but the command runs in its own process group that is SIGKILLed as a whole when
 * it exits or times out: daemons that fork helpers (dhcpcd's privilege-separation proxies) leave
 * nothing behind, even when the main process crashes.
 */
export function runGroup(lab: Lab, ns: string, cmd: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  const child = lab.spawn(ns, cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void lab.kill(child, 500);
  }, timeoutMs);
  return new Promise((done) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); // leftovers of its group
      } catch {
        // the group is empty: nothing left behind
      }
      done({ code, signal, stdout, stderr, timedOut });
    });
  });
}

export interface DhclientRun {
  child: ChildProcess;
  rec: Recorder;
  err: LineReader;
  leaseFile: string;
  pidFile: string;
  confFile: string;
  /** Stops it (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/**
 * Spawns `dhclient -4 -d -1 -v` (foreground, one attempt) with its own config, lease, pid files and
 * the recorder as its script. It keeps running (renewals) until stop(); wait for a record with
 * `run.rec.waitFor(['BOUND', 'REBOOT'])`.
 */
export function spawnDhclient(
  lab: Lab,
  ns: string,
  ifname: string,
  o: { dir: string; name?: string; configure?: boolean; conf?: string; timeoutSec?: number; leaseFile?: string },
): DhclientRun {
  const name = o.name ?? 'dhclient';
  const rec = makeRecorder(o.dir, name, o.configure ? 'dhclient' : null);
  const confFile = join(o.dir, `${name}.conf`);
  writeFileSync(
    confFile,
    o.conf ??
      `timeout ${o.timeoutSec ?? 10};
retry 1;
initial-interval 1;
backoff-cutoff 2;
reboot 5;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name, dhcp-lease-time, dhcp-renewal-time, dhcp-rebinding-time;
`,
  );
  // Reuse another run's lease file to restart "the same client" (INIT-REBOOT).
  const leaseFile = o.leaseFile ?? join(o.dir, `${name}.leases`);
  const pidFile = join(o.dir, `${name}.pid`);
  const child = lab.spawn(ns, 'dhclient', ['-4', '-d', '-1', '-v', '-cf', confFile, '-lf', leaseFile, '-pf', pidFile, '-sf', rec.script, ifname], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err = readLines(child.stderr!);
  readLines(child.stdout!);
  return { child, rec, err, leaseFile, pidFile, confFile, stop: () => lab.kill(child, 2000) };
}

/** `dhclient -r` with the files of an earlier run: sends DHCPRELEASE for the lease in its lease file. */
export function dhclientRelease(lab: Lab, ns: string, ifname: string, run: DhclientRun): Promise<ExecResult> {
  return runGroup(lab, ns, 'dhclient', ['-4', '-r', '-v', '-cf', run.confFile, '-lf', run.leaseFile, '-pf', run.pidFile, '-sf', run.rec.script, ifname], 15_000);
}

/** Where the other DHCP server of the rogue-server tests answers from (and names as router). */
export const ROGUE_IP = '198.18.10.2';

/**
 * dnsmasq as another DHCP server on the link: on `ifname` in `ns` (which must hold ROGUE_IP/24),
 * pool 198.18.10.50–.60, router ROGUE_IP, no DNS (--port=0), lease and pid files in `dir`, log on
 * stderr. Resolves once its DHCP socket is bound; lab.cleanup() kills it.
 */
export async function startRogueDnsmasq(lab: Lab, ns: string, ifname: string, dir: string): Promise<{ child: ChildProcess; log: LineReader }> {
  const child = lab.spawn(ns, systemBinary('dnsmasq'), [
    '--keep-in-foreground', '--conf-file=/dev/null', '--port=0', `--interface=${ifname}`, '--bind-interfaces', '--except-interface=lo',
    '--no-resolv', '--no-hosts', `--dhcp-leasefile=${dir}/leases`, `--pid-file=${dir}/pid`,
    '--dhcp-range=198.18.10.50,198.18.10.60,255.255.255.0,300', `--dhcp-option=3,${ROGUE_IP}`, '--log-dhcp', '--log-facility=-',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = readLines(child.stderr!);
  await log.waitFor(new RegExp(`DHCP, sockets bound exclusively to interface ${ifname}`), { timeoutMs: 5000 });
  return { child, log };
}

/**
 * `busybox udhcpc` in the foreground: -q (quit once bound), -n (fail instead of backgrounding), a
 * bounded number of tries, the recorder as script. Extra args (e.g. -R to release on exit) appended.
 */
export async function runUdhcpc(
  lab: Lab,
  ns: string,
  ifname: string,
  o: { dir: string; name?: string; args?: string[]; configure?: boolean; tries?: number; timeoutMs?: number },
): Promise<{ result: ExecResult; rec: Recorder }> {
  const rec = makeRecorder(o.dir, o.name ?? 'udhcpc', o.configure ? 'udhcpc' : null);
  const result = await runGroup(
    lab,
    ns,
    'busybox',
    ['udhcpc', '-i', ifname, '-f', '-q', '-n', '-t', String(o.tries ?? 4), '-T', '1', '-A', '1', '-s', rec.script, ...(o.args ?? [])],
    o.timeoutMs ?? 20_000,
  );
  return { result, rec };
}

/**
 * `busybox udhcpc -f` kept running (no -q): renews, and with -R releases when stopped (SIGTERM).
 * Wait for `rec.waitFor(['bound'])`; stop() sends SIGTERM and waits.
 */
export function spawnUdhcpc(lab: Lab, ns: string, ifname: string, o: { dir: string; name?: string; args?: string[]; configure?: boolean }): { child: ChildProcess; rec: Recorder; err: LineReader; stop(): Promise<void> } {
  const rec = makeRecorder(o.dir, o.name ?? 'udhcpc', o.configure ? 'udhcpc' : null);
  const child = lab.spawn(ns, 'busybox', ['udhcpc', '-i', ifname, '-f', '-t', '4', '-T', '1', '-A', '1', '-s', rec.script, ...(o.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  readLines(child.stdout!);
  const err = readLines(child.stderr!);
  return { child, rec, err, stop: () => lab.kill(child, 3000) };
}

/**
 * dhcpcd 9, once (-1), foreground (-B), IPv4 only, no ARP probing/IPv4LL, no config file, our
 * recorder as its *only* script (-c: no hooks, so nothing writes resolv.conf), DUID-LL client id,
 * in a private mount namespace with tmpfs over /var/lib/dhcpcd (DUID, leases) and /run (pid file,
 * control sockets). Prints the DUID file (hex) after the run, as "DUID=…" on stdout.
 */
export async function runDhcpcd(
  lab: Lab,
  ns: string,
  ifname: string,
  o: { dir: string; name?: string; timeoutSec?: number; extraArgs?: string[] },
): Promise<{ result: ExecResult; rec: Recorder; duid: string | undefined }> {
  const rec = makeRecorder(o.dir, o.name ?? 'dhcpcd');
  const t = o.timeoutSec ?? 10;
  const inner = [
    'set -e',
    'mount -t tmpfs pdl-dhcpcd-state /var/lib/dhcpcd',
    'mount -t tmpfs pdl-dhcpcd-run /run',
    'mkdir -p /run/dhcpcd',
    'set +e',
    `dhcpcd -f /dev/null -c '${rec.script}' -C resolv.conf -4 -A -L -1 -B --duid=ll -t ${t} -o domain_name_servers -o domain_name -o host_name -d ${(o.extraArgs ?? []).join(' ')} ${ifname}`,
    'rc=$?',
    'printf "DUID=%s\\n" "$(od -An -tx1 -v /var/lib/dhcpcd/duid 2>/dev/null | tr -d " \\n")"',
    'exit $rc',
  ].join('\n');
  const result = await runGroup(lab, ns, 'unshare', ['--mount', '--propagation', 'private', 'sh', '-c', inner], (t + 10) * 1000);
  // dhcpcd writes the DUID as text "00:03:00:01:…" (od shows the ASCII bytes): decode it.
  const m = /DUID=([0-9a-f]*)/.exec(result.stdout);
  const duid = m?.[1] ? Buffer.from(m[1], 'hex').toString('latin1').trim().toLowerCase() || undefined : undefined;
  return { result, rec, duid };
}

// ---- tcpdump ----

export interface Capture {
  child: ChildProcess;
  lines: LineReader;
  /** Stops the capture (SIGTERM) and returns every line it printed. */
  stop(): Promise<string[]>;
}

/**
 * tcpdump -n -e -l -U on `ifname` in `ns` with a BPF filter, bounded by `timeout` (seconds) and a
 * packet count. Resolves once tcpdump reports it is listening.
 */
export async function startCapture(lab: Lab, ns: string, ifname: string, filter: string, o: { seconds?: number; maxPackets?: number; verbose?: boolean } = {}): Promise<Capture> {
  const child = lab.spawn(ns, 'timeout', [
    '-s',
    'INT',
    String(o.seconds ?? 60),
    'tcpdump',
    '-i',
    ifname,
    '-n',
    '-e',
    '-l',
    '-U',
    ...(o.verbose ? ['-vvv'] : []),
    '-c',
    String(o.maxPackets ?? 1000),
    filter,
  ]);
  const lines = readLines(child.stdout!);
  const err = readLines(child.stderr!);
  await err.waitFor(/listening on/, { timeoutMs: 10_000 });
  return {
    child,
    lines,
    async stop() {
      await sleep(300); // let the last packets through the -U buffer
      await lab.kill(child, 2000);
      return lines.lines;
    },
  };
}

// ---- misc ----

/** dotted mask → prefix length */
export function maskToPrefix(mask: string): number {
  return mask
    .split('.')
    .map((o) => Number(o).toString(2).replace(/0/g, '').length)
    .reduce((a, b) => a + b, 0);
}

export function ipInRange(ip: string, first: string, last: string): boolean {
  const n = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return n(ip) >= n(first) && n(ip) <= n(last);
}

/** The interface's MAC inside `ns`. */
export async function macOf(lab: Lab, ns: string, ifname: string): Promise<string> {
  const out = await lab.ip(ns, '-j', 'link', 'show', 'dev', ifname);
  const j = JSON.parse(out) as { address: string }[];
  return j[0]!.address.toLowerCase();
}

/** Gives the client interface a new MAC (down, set, up): a fresh client identity per test. */
export async function setMac(lab: Lab, ns: string, ifname: string, mac: string): Promise<void> {
  await lab.ip(ns, 'link', 'set', 'dev', ifname, 'down');
  await lab.ip(ns, 'link', 'set', 'dev', ifname, 'address', mac);
  await lab.ip(ns, 'link', 'set', 'dev', ifname, 'up');
  await lab.ip(ns, '-4', 'addr', 'flush', 'dev', ifname);
}

/** Removes every IPv4 address from the client interface (between client runs). */
export async function flushClient(lab: Lab, ns: string, ifname: string): Promise<void> {
  await lab.ip(ns, '-4', 'addr', 'flush', 'dev', ifname);
}

// ---- hand-made DHCP packets (relay agent, unicast probes) ----

/** One DHCP option as [code, hex bytes]. */
export type RawOption = [number, string];

export interface ProbePacket {
  op?: number;
  xid: number;
  chaddr: string;
  flags?: number;
  hops?: number;
  ciaddr?: string;
  yiaddr?: string;
  giaddr?: string;
  /** In order; 255 (end) is added. */
  options: RawOption[];
}

export interface ProbeReply {
  from: [string, number];
  packet: Required<Omit<ProbePacket, 'options'>> & { options: RawOption[] };
}

const PY_PROBE = String.raw`
import json, socket, struct, sys, time, select
spec = json.loads(sys.argv[1])
def a(s): return socket.inet_aton(s)
def n(b): return socket.inet_ntoa(b)
def build(p):
    mac = bytes.fromhex(p['chaddr'].replace(':', ''))
    hdr = struct.pack('!BBBBIHH4s4s4s4s16s64s128s', p.get('op', 1), 1, len(mac), p.get('hops', 0), p['xid'], 0, p.get('flags', 0),
        a(p.get('ciaddr', '0.0.0.0')), a(p.get('yiaddr', '0.0.0.0')), a('0.0.0.0'), a(p.get('giaddr', '0.0.0.0')),
        mac.ljust(16, b'\0'), b'', b'')
    body = b'\x63\x82\x53\x63'
    for code, hx in p['options']:
        v = bytes.fromhex(hx)
        body += bytes([code, len(v)]) + v
    body += b'\xff'
    return (hdr + body).ljust(300, b'\0')
def parse(b):
    op, htype, hlen, hops, xid, secs, flags, ci, yi, si, gi, ch = struct.unpack('!BBBBIHH4s4s4s4s16s', b[:44])
    opts = []
    i = 240
    while i < len(b):
        c = b[i]
        if c == 0:
            i += 1
            continue
        if c == 255:
            break
        l = b[i + 1]
        opts.append([c, b[i + 2:i + 2 + l].hex()])
        i += 2 + l
    return dict(op=op, xid=xid, flags=flags, hops=hops, ciaddr=n(ci), yiaddr=n(yi), giaddr=n(gi), chaddr=ch[:hlen].hex(':'), options=opts)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
if spec.get('device'):
    s.setsockopt(socket.SOL_SOCKET, 25, spec['device'].encode() + b'\0')
s.bind((spec['bind'][0], spec['bind'][1]))
for m in spec['sends']:
    s.sendto(build(m['packet']), (m['to'][0], m['to'][1]))
replies = []
end = time.time() + spec.get('listenMs', 2000) / 1000.0
want = spec.get('stopAfter', 0)
while time.time() < end and not (want and len(replies) >= want):
    r, _, _ = select.select([s], [], [], max(0, end - time.time()))
    if not r:
        break
    data, frm = s.recvfrom(4096)
    try:
        replies.append(dict(**{'from': [frm[0], frm[1]]}, packet=parse(data)))
    except Exception as e:
        replies.append(dict(**{'from': [frm[0], frm[1]]}, error=str(e)))
print(json.dumps(dict(replies=replies)))
`;

export interface ProbeSpec {
  bind: [string, number];
  /** SO_BINDTODEVICE for the probe socket. */
  device?: string;
  sends: { to: [string, number]; packet: ProbePacket }[];
  listenMs?: number;
  /** Stop listening after this many replies. */
  stopAfter?: number;
}

/** Sends hand-made DHCP packets from a plain UDP socket in `ns` and returns what came back. */
export async function probe(lab: Lab, ns: string, spec: ProbeSpec): Promise<ProbeReply[]> {
  const r = await lab.exec(ns, systemBinary('python3'), ['-c', PY_PROBE, JSON.stringify(spec)], { timeoutMs: (spec.listenMs ?? 2000) + 10_000 });
  if (r.code !== 0) throw new Error(`probe failed (exit ${r.code ?? r.signal}): ${r.stderr.trim()}`);
  return (JSON.parse(r.stdout) as { replies: ProbeReply[] }).replies;
}

export const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
export const ipHex = (ip: string): string => Buffer.from(ip.split('.').map(Number)).toString('hex');
export const optionOf = (p: { options: RawOption[] }, code: number): string | undefined => p.options.find(([c]) => c === code)?.[1];
