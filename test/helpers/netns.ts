/**
 * Throwaway network labs for integration tests: network namespaces joined by veth pairs, commands
 * and long-running processes inside them, and a cleanup that always runs.
 *
 *   import { createLab, netnsAvailable, readLines } from '../../helpers/netns.js';
 *
 *   const avail = netnsAvailable();                      // { ok: true } | { ok: false, reason }
 *   describe.skipIf(!avail.ok)(`dhcp (${avail.ok ? 'netns' : avail.reason})`, () => {
 *     let lab: Lab;
 *     beforeAll(async () => {
 *       lab = await createLab('srv');                    // tag: a few letters naming the test file
 *       await lab.addNamespace('s');                     // logical names; real ones are unique
 *       await lab.addNamespace('c');
 *       await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);   // veth, both ends up
 *     });
 *     afterAll(() => lab.cleanup());
 *     it('...', async () => {
 *       const srv = lab.spawnNode('s', ['src-main/cli/main.ts', 'serve', '--interface', 'sv0']);
 *       await readLines(srv.stdout!).waitFor(/listening/, { timeoutMs: 5000 });
 *       const r = await lab.exec('c', 'busybox', ['udhcpc', '-i', 'cl0', '-n', '-q'], { timeoutMs: 10_000 });
 *       //  lab.execNode('s', ['--input-type=module', '-e', code]) runs TypeScript-importing code in a namespace
 *       expect(r.code).toBe(0);
 *     });
 *   });
 *
 * Rules it enforces: only root-run labs; every address (link(), ip()) inside 198.18.0.0/15
 * (RFC 2544 benchmarking space); interface names at most 15 bytes (IFNAMSIZ). Veth pairs are created
 * directly inside their namespaces (`ip -n A link add … peer … netns B`), so interface names never
 * pass through the root namespace and cannot collide with other test processes.
 *
 * Cleanup: lab.cleanup() kills every process the lab spawned (its whole process group, SIGTERM then
 * SIGKILL) and deletes the namespaces it created. It is idempotent and also runs synchronously on
 * process exit, SIGINT, SIGTERM and SIGHUP. Namespaces are named "pdl-<tag>-<pid>x<n>-<name>"; a
 * namespace whose creating pid is dead (a test runner killed with SIGKILL) is deleted by the next
 * createLab(). Nothing else is ever touched.
 */
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isIpv4, ipToInt } from '../../src-main/dhcp/ip.js';

export type Availability = { ok: true } | { ok: false; reason: string };

export interface ExecResult {
  /** Exit code; null when killed by a signal (including the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ExecOptions {
  /** Kill the command (SIGKILL) after this long. Default 10 s. */
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Lab {
  /** Creates (or returns) namespace `name` with lo up. Returns the real namespace name. */
  addNamespace(name: string): Promise<string>;
  /** The real, unique name of namespace `name` (for `ip netns exec`, tcpdump -i in it, etc.). */
  ns(name: string): string;
  /** /run/netns/<real>: a path that setns(2)-style tools (nsenter --net=) accept. */
  nsPath(name: string): string;
  /**
   * A veth pair ifA (in nsA) ↔ ifB (in nsB), optional addresses "198.18.x.y/len", both ends up.
   * nsA may equal nsB (a pair inside one namespace).
   */
  link(nsA: string, ifA: string, addrA: string | null, nsB: string, ifB: string, addrB: string | null): Promise<void>;
  /** `ip <args>` inside `ns`; rejects with stderr on failure. Dotted-quad arguments must be in 198.18.0.0/15. */
  ip(ns: string, ...args: string[]): Promise<string>;
  /** Runs a command inside `ns` to completion (bounded by timeoutMs). Never rejects for a non-zero exit. */
  exec(ns: string, cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** exec() of this Node binary with tsx loaded, cwd = repository root: `execNode(ns, ['-e', code])`. */
  execNode(ns: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running command inside `ns`; tracked and killed by cleanup(). stdio defaults to pipes. */
  spawn(ns: string, cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /**
   * spawn() of this Node binary with tsx loaded and the repository root as cwd: `spawnNode(ns, ['x.ts'])`.
   * `prefix` runs it through a wrapper, e.g. ['setpriv', '--reuid=65534', …] for an unprivileged server.
   */
  spawnNode(ns: string, args: string[], opts?: SpawnOptions & { prefix?: string[] }): ChildProcess;
  /** Stops one spawned process (SIGTERM, then SIGKILL after graceMs). Resolves when it is gone. */
  kill(child: ChildProcess, graceMs?: number): Promise<void>;
  /** Kills everything spawned, deletes every namespace created. Idempotent. */
  cleanup(): Promise<void>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NS_PREFIX = 'pdl';
const STALE_RE = new RegExp(`^${NS_PREFIX}-[a-z0-9]+-(\\d+)x\\d+-`);

let cachedAvailability: Availability | undefined;

/** Can this process build labs? (Linux, root, `ip netns add` works.) Cached; costs one probe namespace. */
export function netnsAvailable(): Availability {
  if (cachedAvailability) return cachedAvailability;
  cachedAvailability = probe();
  return cachedAvailability;
}

function probe(): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root: network namespaces need root (CI runs as root)' };
  const name = `${NS_PREFIX}-probe-${process.pid}x0-p`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe', timeout: 5000 });
  } catch (e) {
    const msg = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    return { ok: false, reason: `"ip netns add" failed: ${msg}` };
  }
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe', timeout: 5000 });
  } catch {
    // best effort; the stale sweep removes it later
  }
  return { ok: true };
}

// ---- safety checks ----

const TEST_NET = 0xc6120000; // 198.18.0.0
const TEST_MASK = 0xfffe0000; // /15

/** True for a dotted quad (optionally "/len") inside 198.18.0.0/15. */
export function inTestNet(addr: string): boolean {
  const [ip, len] = addr.split('/');
  if (ip === undefined || !isIpv4(ip)) return false;
  if (len !== undefined && !/^(\d|[12]\d|3[0-2])$/.test(len)) return false;
  return ((ipToInt(ip) & TEST_MASK) >>> 0) === TEST_NET;
}

function assertTestAddr(addr: string): void {
  if (!inTestNet(addr)) throw new Error(`lab: address ${addr} is outside 198.18.0.0/15 — test networks use only that range`);
}

function assertIfname(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) {
    throw new Error(`lab: interface name "${name}" must be 1–15 characters of [A-Za-z0-9_.-] (IFNAMSIZ)`);
  }
}

// ---- process-wide registry for exit-time cleanup ----

interface LabState {
  namespaces: Map<string, string>;
  children: Set<ChildProcess>;
  done: boolean;
}

const liveLabs = new Set<LabState>();
let handlersInstalled = false;
let labSeq = 0;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the child leads its own group (detached): grandchildren too
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function syncCleanup(state: LabState): void {
  if (state.done) return;
  state.done = true;
  for (const c of state.children) if (c.exitCode === null && c.signalCode === null) killGroup(c, 'SIGKILL');
  state.children.clear();
  for (const real of state.namespaces.values()) {
    try {
      execFileSync('ip', ['netns', 'del', real], { stdio: 'ignore', timeout: 5000 });
    } catch {
      // already gone
    }
  }
  state.namespaces.clear();
  liveLabs.delete(state);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const s of [...liveLabs]) syncCleanup(s);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      for (const s of [...liveLabs]) syncCleanup(s);
      process.off(sig, handler);
      process.kill(process.pid, sig); // then die the way the signal intended
    };
    process.on(sig, handler);
  }
}

/** Deletes lab namespaces whose creating process no longer exists. */
function sweepStale(): void {
  let out: string;
  try {
    out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5000 });
  } catch {
    return;
  }
  for (const line of out.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = STALE_RE.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 5000 });
    } catch {
      // someone else swept it
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolveRun) => {
    const child = execFile(
      cmd,
      args,
      {
        timeout: opts.timeoutMs ?? 10_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        env: opts.env ?? process.env,
        ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals; code?: unknown }) | null;
        resolveRun({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout: String(stdout),
          stderr: String(stderr) || (e && typeof e.code === 'string' ? e.message : ''),
          timedOut: Boolean(e?.killed),
        });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/**
 * A new lab. `tag` (lowercase letters/digits, ≤ 12) identifies the test file in namespace names.
 * Throws if netnsAvailable() is not ok.
 */
export async function createLab(tag = 'lab'): Promise<Lab> {
  const avail = netnsAvailable();
  if (!avail.ok) throw new Error(`lab: ${avail.reason}`);
  if (!/^[a-z0-9]{1,12}$/.test(tag)) throw new Error(`lab: tag "${tag}" must be 1–12 lowercase letters or digits`);
  installHandlers();
  sweepStale();
  const seq = ++labSeq;
  const state: LabState = { namespaces: new Map(), children: new Set(), done: false };
  liveLabs.add(state);
  let cleanupPromise: Promise<void> | undefined;

  const real = (name: string): string => {
    const r = state.namespaces.get(name);
    if (!r) throw new Error(`lab: unknown namespace "${name}" (call addNamespace first)`);
    return r;
  };
  const alive = (): void => {
    if (state.done) throw new Error('lab: already cleaned up');
  };
  const ipIn = async (ns: string | null, args: string[]): Promise<string> => {
    const full = ns === null ? args : ['-n', real(ns), ...args];
    const r = await run('ip', full, { timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error(`lab: ip ${full.join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    return r.stdout;
  };

  const lab: Lab = {
    async addNamespace(name) {
      alive();
      if (!/^[a-z0-9]{1,16}$/.test(name)) throw new Error(`lab: namespace name "${name}" must be 1–16 lowercase letters or digits`);
      const existing = state.namespaces.get(name);
      if (existing) return existing;
      const r = `${NS_PREFIX}-${tag}-${process.pid}x${seq}-${name}`;
      // Registered before creation: if `ip netns add` half-succeeds, cleanup still deletes it.
      state.namespaces.set(name, r);
      await ipIn(null, ['netns', 'add', r]);
      await ipIn(name, ['link', 'set', 'lo', 'up']);
      return r;
    },
    ns: real,
    nsPath: (name) => `/run/netns/${real(name)}`,
    async link(nsA, ifA, addrA, nsB, ifB, addrB) {
      alive();
      assertIfname(ifA);
      assertIfname(ifB);
      if (addrA !== null) assertTestAddr(addrA);
      if (addrB !== null) assertTestAddr(addrB);
      if (!addrA?.includes('/') && addrA !== null) throw new Error(`lab: give a prefix length: ${addrA}/24`);
      if (!addrB?.includes('/') && addrB !== null) throw new Error(`lab: give a prefix length: ${addrB}/24`);
      await ipIn(nsA, ['link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', real(nsB)]);
      if (addrA !== null) await ipIn(nsA, ['addr', 'add', addrA, 'dev', ifA]);
      if (addrB !== null) await ipIn(nsB, ['addr', 'add', addrB, 'dev', ifB]);
      await ipIn(nsA, ['link', 'set', ifA, 'up']);
      await ipIn(nsB, ['link', 'set', ifB, 'up']);
    },
    async ip(ns, ...args) {
      alive();
      for (const a of args) {
        if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(a)) assertTestAddr(a);
      }
      return ipIn(ns, args);
    },
    exec(ns, cmd, args, opts = {}) {
      alive();
      return run('ip', ['netns', 'exec', real(ns), cmd, ...args], opts);
    },
    execNode(ns, args, opts = {}) {
      return lab.exec(ns, process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, ...opts });
    },
    spawn(ns, cmd, args, opts = {}) {
      alive();
      // `ip netns exec` execs the command in place (no fork), so child.pid is the command's pid.
      // detached: its own process group, so kill() reaches anything it forks.
      const child = spawn('ip', ['netns', 'exec', real(ns), cmd, ...args], {
        stdio: 'pipe',
        ...opts,
        detached: true,
      });
      state.children.add(child);
      child.once('exit', () => state.children.delete(child));
      child.once('error', () => state.children.delete(child));
      return child;
    },
    spawnNode(ns, args, opts = {}) {
      const { prefix = [], ...spawnOpts } = opts;
      const argv = [...prefix, process.execPath, '--import', 'tsx', ...args];
      return lab.spawn(ns, argv[0]!, argv.slice(1), { cwd: REPO_ROOT, ...spawnOpts });
    },
    kill(child, graceMs = 2000) {
      return new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
          done();
          return;
        }
        const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(t);
          done();
        });
        killGroup(child, 'SIGTERM');
      });
    },
    cleanup() {
      cleanupPromise ??= (async () => {
        if (state.done) return;
        await Promise.all([...state.children].map((c) => lab.kill(c, 1500)));
        syncCleanup(state);
      })();
      return cleanupPromise;
    },
  };
  return lab;
}

// ---- reading a child's output ----

export interface LineReader {
  /** Every complete line so far. */
  readonly lines: string[];
  /**
   * The first line at index >= `from` (default 0) matching `match`; waits for it up to timeoutMs
   * (default 5 s). Rejects on timeout or when the stream ends first. Pass `from: reader.lines.length`
   * to wait for a line that comes *after* something you are about to do.
   */
  waitFor(match: RegExp | ((line: string) => boolean), opts?: { timeoutMs?: number; from?: number }): Promise<string>;
}

const readers = new WeakMap<Readable, LineReader>();

/** Splits a stream into lines, once per stream (calling it again returns the same reader). */
export function readLines(stream: Readable): LineReader {
  const existing = readers.get(stream);
  if (existing) return existing;
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
    for (const w of [...waiters]) w();
  });
  stream.on('close', () => {
    ended = true;
    if (partial) lines.push(partial);
    partial = '';
    for (const w of [...waiters]) w();
  });
  const reader: LineReader = {
    lines,
    waitFor(match, opts = {}) {
      const test = typeof match === 'function' ? match : (l: string) => match.test(l);
      const timeoutMs = opts.timeoutMs ?? 5000;
      let from = opts.from ?? 0;
      return new Promise<string>((ok, fail) => {
        const check = (): boolean => {
          for (; from < lines.length; from++) {
            if (test(lines[from]!)) {
              cleanup();
              ok(lines[from]!);
              return true;
            }
          }
          if (ended) {
            cleanup();
            fail(new Error(`stream ended before a line matching ${String(match)}; last lines:\n${lines.slice(-10).join('\n')}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`timed out after ${timeoutMs} ms waiting for ${String(match)}; last lines:\n${lines.slice(-10).join('\n')}`));
        }, timeoutMs);
        const waiter = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        if (!check()) waiters.add(waiter);
      });
    },
  };
  readers.set(stream, reader);
  return reader;
}

/**
 * One Ethernet segment: a bridge br0 in namespace `sw` with one veth per member, [namespace, its
 * interface, address or null]; the switch-side ends are p1, p2, … in member order.
 */
export async function bridgeSegment(lab: Lab, sw: string, members: readonly (readonly [ns: string, ifname: string, addr: string | null])[]): Promise<void> {
  const ports = members.map((_, i) => `p${i + 1}`);
  for (const [i, [ns, ifname, addr]] of members.entries()) await lab.link(ns, ifname, addr, sw, ports[i]!, null);
  await lab.ip(sw, 'link', 'add', 'br0', 'type', 'bridge');
  for (const p of ports) await lab.ip(sw, 'link', 'set', p, 'master', 'br0');
  await lab.ip(sw, 'link', 'set', 'br0', 'up');
}

/** Path of a Debian system binary if present (tests prefer /usr/bin/python3 over pyenv shims: it has scapy). */
export function systemBinary(name: string): string {
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return name;
}
