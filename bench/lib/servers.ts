// The three servers under test, each started inside the server namespace with its config, lease,
// pid and log files in a fresh temp dir, pinned to one CPU (taskset), and stopped by PID.
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchLab } from './lab.js';
import { NETMASK, POOL_FIRST, POOL_LAST, RESERVED_IP, RESERVED_MAC, SERVER_IP, SUBNET } from './lab.js';
import { cpuMs, rssMb, sleep } from './util.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export type ServerKind = 'pocket' | 'kea' | 'dnsmasq';

/**
 * How pocket-dhcp is started: the built CLI (bin/pocket-dhcp.js → out/main/cli.js) by default;
 * run.ts switches to the sources (through tsx) when out/ is stale and cannot be rebuilt.
 */
export const pocketCli: { entry: string; nodeArgs: string[]; label: string } = {
  entry: join(REPO_ROOT, 'bin/pocket-dhcp.js'),
  nodeArgs: [],
  label: 'node bin/pocket-dhcp.js (built CLI, out/main/cli.js; serve re-executes itself with --max-semi-space-size=4)',
};
export const LEASE_SECONDS = 3600;

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  dir: string;
  /** The exact command line (for RESULTS.md). */
  command: string;
  cpuMs(): number;
  rssMb(): number;
  /** Log lines so far (pocket: JSON lines; kea: its log; dnsmasq: stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  cpu?: number;
  /** pocket: extra top-level config (e.g. reservations). */
  reservations?: { mac: string; ip: string }[];
  /** pocket: override the CLI entry (default bin/pocket-dhcp.js). */
  cli?: string;
  /** pocket: extra arguments to `serve`. */
  args?: string[];
  /** pocket: extra arguments to node (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** pocket: pool range "A-B" (default the /15 pool). */
  range?: string;
  /** pocket: fill the data directory before the server starts (e.g. a lease file). */
  prepareData?: (dataDir: string) => void;
  /** Called with the child as soon as it is spawned (e.g. to time the start). */
  onSpawn?: () => void;
  /** startPocketStats: another copy of stats-server.ts (e.g. in a checkout of the code before a change). */
  statsScript?: string;
  keepDir?: boolean;
}

function tempDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `pdl-bench-${kind}-`));
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, child: ChildProcess, timeoutMs: number, logText: () => string): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await check()) return;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logText().slice(-2000)}`);
    await sleep(50);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${logText().slice(-2000)}`);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function handle(kind: ServerKind, bl: BenchLab, child: ChildProcess, dir: string, command: string, logFile: string, keepDir: boolean): RunningServer {
  const pid = child.pid!;
  return {
    kind,
    pid,
    dir,
    command,
    cpuMs: () => cpuMs(pid),
    rssMb: () => rssMb(pid),
    log: () => readText(logFile),
    async stop() {
      await bl.lab.kill(child, 10_000);
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function pocketConfig(serverIf: string, dataDir: string, reservations: { mac: string; ip: string }[] = [], range = `${POOL_FIRST}-${POOL_LAST}`): object {
  return {
    interface: serverIf,
    dataDir,
    leaseTime: LEASE_SECONDS,
    subnets: [{ subnet: SUBNET, range, router: [SERVER_IP], dns: [SERVER_IP] }],
    reservations,
  };
}

function preparePocketDir(bl: BenchLab, dir: string, opts: StartOptions): string {
  const cfgFile = join(dir, 'config.json');
  const dataDir = join(dir, 'data');
  if (opts.prepareData) {
    mkdirSync(dataDir, { recursive: true });
    opts.prepareData(dataDir);
  }
  writeFileSync(cfgFile, JSON.stringify(pocketConfig(bl.serverIf, dataDir, opts.reservations, opts.range), null, 2));
  return cfgFile;
}

/**
 * The rogue-server probe listens a fixed 4 s before serving (src-main/net/dhcp-probe.ts); nothing
 * else answers in the bench namespaces, and that wait is not what the start-up figure measures.
 */
const NO_PROBE = ['--probe-timeout', '0'];

export async function startPocket(bl: BenchLab, opts: StartOptions = {}): Promise<RunningServer> {
  const dir = tempDir('pocket');
  const cfgFile = preparePocketDir(bl, dir, opts);
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  const cli = opts.cli ?? pocketCli.entry;
  const args = ['-c', String(opts.cpu ?? 0), process.execPath, ...(opts.nodeArgs ?? []), ...pocketCli.nodeArgs, cli, 'serve', '--config', cfgFile, '--log', 'json', ...NO_PROBE, ...(opts.args ?? [])];
  opts.onSpawn?.();
  const child = bl.lab.spawn('s', 'taskset', args, { stdio: ['ignore', fd, fd], cwd: REPO_ROOT });
  closeSync(fd);
  const h = handle('pocket', bl, child, dir, `taskset ${args.join(' ')}`, logFile, opts.keepDir ?? false);
  await waitFor('pocket-dhcp', () => readText(logFile).includes('"kind":"started"'), child, 20_000, h.log);
  return h;
}

export interface StatsLine {
  at: number;
  final: boolean;
  store: { batches: number; recordsWritten: number; maxBatchSize: number; syncs: number; syncMsTotal: number; syncMsMax: number; compactions: number; compactionMsTotal: number; fileLines: number; writeMsTotal: number };
  open: { loadMs: number; records: number };
  counters: { received: number; offers: number; acks: number; sent: number; drops: Record<string, number> };
  loopDelayMs: { p50: number; p99: number; max: number };
  rssMb: number;
  heapMb: number;
}

/** pocket-dhcp wired as the CLI wires it, reporting LeaseStore.stats() (bench/lib/stats-server.ts). */
export async function startPocketStats(bl: BenchLab, opts: StartOptions = {}): Promise<RunningServer & { stats(): StatsLine[] }> {
  const dir = tempDir('pocketstats');
  const cfgFile = preparePocketDir(bl, dir, opts);
  const statsFile = join(dir, 'stats.jsonl');
  const logFile = join(dir, 'events.jsonl');
  const outFile = join(dir, 'stdout.log');
  const fd = openSync(outFile, 'a');
  const args = ['-c', String(opts.cpu ?? 0), process.execPath, ...(opts.nodeArgs ?? []), '--import', 'tsx', opts.statsScript ?? join(REPO_ROOT, 'bench/lib/stats-server.ts'), cfgFile, statsFile, logFile];
  const child = bl.lab.spawn('s', 'taskset', args, { stdio: ['ignore', fd, fd], cwd: REPO_ROOT });
  closeSync(fd);
  const h = handle('pocket', bl, child, dir, `taskset ${args.join(' ')}`, outFile, opts.keepDir ?? false);
  await waitFor('pocket-dhcp (stats)', () => readText(outFile).includes('"kind":"started"'), child, 30_000, h.log);
  const stop = h.stop;
  let final: StatsLine[] = [];
  const stats = (): StatsLine[] =>
    readText(statsFile)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as StatsLine);
  return {
    ...h,
    stats: () => (final.length ? final : stats()),
    async stop() {
      await bl.lab.kill(child, 15_000);
      final = stats();
      await stop.call(h);
    },
  };
}

export async function startKea(bl: BenchLab, opts: StartOptions = {}): Promise<RunningServer> {
  const dir = tempDir('kea');
  const cfg = {
    Dhcp4: {
      'interfaces-config': { interfaces: [bl.serverIf], 'dhcp-socket-type': 'raw' },
      'lease-database': { type: 'memfile', persist: true, name: join(dir, 'leases4.csv'), 'lfc-interval': 0 },
      'valid-lifetime': LEASE_SECONDS,
      subnet4: [
        {
          id: 1,
          subnet: SUBNET,
          pools: [{ pool: `${POOL_FIRST} - ${POOL_LAST}` }],
          'option-data': [
            { name: 'routers', data: SERVER_IP },
            { name: 'domain-name-servers', data: SERVER_IP },
          ],
          ...(opts.reservations?.length ? { reservations: opts.reservations.map((r) => ({ 'hw-address': r.mac, 'ip-address': r.ip })) } : {}),
        },
      ],
      loggers: [{ name: 'kea-dhcp4', output_options: [{ output: join(dir, 'kea.log') }], severity: 'INFO' }],
    },
  };
  const cfgFile = join(dir, 'kea-dhcp4.json');
  writeFileSync(cfgFile, JSON.stringify(cfg, null, 2));
  const logFile = join(dir, 'kea.log');
  const args = ['-c', String(opts.cpu ?? 0), 'kea-dhcp4', '-c', cfgFile];
  const child = bl.lab.spawn('s', 'taskset', args, {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir },
  });
  const h = handle('kea', bl, child, dir, `KEA_PIDFILE_DIR=${dir} KEA_LOCKFILE_DIR=${dir} taskset ${args.join(' ')}`, logFile, opts.keepDir ?? false);
  await waitFor('kea-dhcp4', () => readText(logFile).includes('DHCP4_STARTED'), child, 20_000, h.log);
  return h;
}

export async function startDnsmasq(bl: BenchLab, opts: StartOptions = {}): Promise<RunningServer> {
  const dir = tempDir('dnsmasq');
  const logFile = join(dir, 'dnsmasq.log');
  const fd = openSync(logFile, 'a');
  const dnsArgs = [
    '-k',
    '--port=0',
    `--interface=${bl.serverIf}`,
    '--bind-interfaces',
    `--dhcp-range=${POOL_FIRST},${POOL_LAST},${NETMASK},${LEASE_SECONDS}`,
    `--dhcp-leasefile=${join(dir, 'dnsmasq.leases')}`,
    '--dhcp-lease-max=200000',
    '--no-ping',
    '--dhcp-authoritative',
    `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    '--conf-file=/dev/null',
    ...(opts.reservations ?? []).map((r) => `--dhcp-host=${r.mac},${r.ip}`),
  ];
  const args = ['-c', String(opts.cpu ?? 0), 'dnsmasq', ...dnsArgs];
  const child = bl.lab.spawn('s', 'taskset', args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const h = handle('dnsmasq', bl, child, dir, `taskset ${args.join(' ')}`, logFile, opts.keepDir ?? false);
  await waitFor(
    'dnsmasq',
    async () => {
      const r = await bl.lab.exec('s', 'ss', ['-H', '-uln', 'sport = :67'], { timeoutMs: 3000 });
      return r.stdout.trim().length > 0;
    },
    child,
    20_000,
    h.log,
  );
  return h;
}

export function startServer(kind: ServerKind, bl: BenchLab, opts: StartOptions = {}): Promise<RunningServer> {
  switch (kind) {
    case 'pocket':
      return startPocket(bl, opts);
    case 'kea':
      return startKea(bl, opts);
    case 'dnsmasq':
      return startDnsmasq(bl, opts);
  }
}

export { RESERVED_IP, RESERVED_MAC };

/** Newest mtime of the server-side sources vs the built CLI: is out/ stale? */
export function builtCliStale(): { stale: boolean; newest: string; built: number } {
  const built = join(REPO_ROOT, 'out/main/cli.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  let newest = '';
  let newestAt = 0;
  const walk = (d: string) => {
    for (const name of readdirSafe(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (/\.ts$/.test(name) && s.mtimeMs > newestAt) {
        newestAt = s.mtimeMs;
        newest = p;
      }
    }
  };
  walk(join(REPO_ROOT, 'src-main'));
  return { stale: newestAt > builtAt, newest, built: builtAt };
}

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}
