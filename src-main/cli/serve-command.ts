// `pocket-dhcp serve`: validate the configuration, check the interface, open the lease store and
// the interface-bound socket, then serve until SIGINT/SIGTERM. Nothing is listened to before every
// check has passed. It runs on the same ServerController as the desktop app (server/controller.ts),
// with the same start-up checks (server/startup.ts).
//
// With `--web [HOST:]PORT` the same process also serves the UI (web/): without --config,
// --interface or --range it starts idle with the settings saved by the UI (<dataDir>/settings.json)
// and the browser configures and starts it; with them it serves at once as without --web.
//
// Which settings are used — the rule:
//   - the command line's configuration (--config FILE and/or flags) is used for this run only; it
//     never overwrites the settings saved from the UI (settings.json);
//   - `serve --web` without configuration flags uses, shows and edits settings.json;
//   - `serve --web` with configuration flags shows the command line's configuration in the UI as
//     this session's draft; it is written to settings.json only when the user presses Save there.
import { intToIp } from '../dhcp/ip.js';
import { defaultDataDir } from '../config/paths.js';
import { hintLogLine, StallHintReporter } from '../devices/stall-hints.js';
import { ConfigError, parseConfig, type UserConfig } from '../config/schema.js';
import { listInterfaces, type NetInterface } from '../net/interfaces.js';
import { ServerController } from '../server/controller.js';
import { formatCountersJson, formatCountersText, formatEventJson, formatEventText } from '../server/event-format.js';
import { DEFAULT_PROBE_TIMEOUT_MS, MAX_PROBE_TIMEOUT_MS, parseProbeTimeout, probeSeconds } from '../server/rogue-guard.js';
import { CLI_HINTS, isStartupError, planStart, UI_HINTS, unknownInterfaceProblem, type StartPlan } from '../server/startup.js';
import { checkWebExposure, parseWebAddress, WebAddressError, type WebAddress } from '../web/address.js';
import { startWebMode } from '../web/web-mode.js';
import { CliError, EXIT_CONFIG } from './errors.js';
import { createLineWriter } from './line-writer.js';
import { leftoverNote } from './nic-command.js';
import { configFromFlags, rateLimitSettings, readConfigFile, type ServeFlags } from './serve-config.js';

export interface ServeCommandFlags extends ServeFlags {
  log?: 'text' | 'json';
  verbose?: boolean;
  allowForeignNetwork?: boolean;
  /** Serve even though another DHCP server answers the probe. */
  allowOtherServer?: boolean;
  /** `--probe-timeout MS` as typed (0 skips the check for other servers). */
  probeTimeout?: string;
  /** `[HOST:]PORT` of the web UI. */
  web?: string;
  webAllowRemote?: boolean;
  /** Extra origins allowed to open the WebSocket (a Vite dev server). */
  webOrigin?: string[];
}

export async function loadServeConfig(flags: ServeFlags, interfaces: NetInterface[]): Promise<UserConfig> {
  if (flags.config) {
    const raw = (await readConfigFile(flags.config)) as Record<string, unknown>;
    // Flags given next to --config override the file's top-level settings.
    const merged = { ...raw, ...(flags.interface ? { interface: flags.interface } : {}), ...(flags.dataDir ? { dataDir: flags.dataDir } : {}), ...(flags.conflictCheck === false ? { conflictCheck: false } : {}), ...rateLimitSettings(flags) };
    return parseConfig(merged);
  }
  const itf = flags.interface ? interfaces.find((i) => i.name === flags.interface) : undefined;
  if (flags.interface && !itf) throw new ConfigError([unknownInterfaceProblem(flags.interface, interfaces)]);
  const addr = itf?.ipv4.find((a) => (a.address.startsWith('169.254.') ? false : true));
  if (itf && !addr && !flags.subnet) {
    throw new CliError(`interface ${itf.name} has no IPv4 address — give it a static address first (for example: sudo ip addr add 192.168.77.1/24 dev ${itf.name}), then start again`);
  }
  return configFromFlags(flags, addr);
}

/** Start-up refusals as the CLI reports them: configuration problems exit 2, the rest 1. */
function cliError(e: unknown): unknown {
  if (!isStartupError(e)) return e;
  if (e.problems.length) return new ConfigError(e.problems);
  return new CliError(e.message);
}

function hasConfigFlags(flags: ServeFlags): boolean {
  return Boolean(flags.config || flags.interface || flags.range);
}

export async function runServe(flags: ServeCommandFlags): Promise<void> {
  const json = flags.log === 'json';
  const log = createLineWriter(process.stdout);
  const write = (line: string | undefined) => log.write(line);

  let web: WebAddress | undefined;
  if (flags.web !== undefined) {
    try {
      web = parseWebAddress(flags.web);
      checkWebExposure(web, Boolean(flags.webAllowRemote));
    } catch (e) {
      if (e instanceof WebAddressError) throw new CliError(`--web ${e.message}`, EXIT_CONFIG);
      throw e;
    }
  }

  let probeTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
  if (flags.probeTimeout !== undefined) {
    const ms = parseProbeTimeout(flags.probeTimeout);
    if (ms === undefined) throw new CliError(`--probe-timeout "${flags.probeTimeout}" must be a whole number of milliseconds from 0 (skip the check) to ${MAX_PROBE_TIMEOUT_MS}, e.g. --probe-timeout 4000`, EXIT_CONFIG);
    probeTimeoutMs = ms;
  }

  // Everything that can be checked without touching the data directory or the network comes first.
  let cfg: UserConfig | undefined;
  if (!web || hasConfigFlags(flags)) {
    const interfaces = await listInterfaces();
    cfg = await loadServeConfig(flags, interfaces);
    try {
      const plan = planStart(cfg, interfaces, { allowForeignNetwork: Boolean(flags.allowForeignNetwork), hints: CLI_HINTS });
      for (const w of plan.warnings) process.stderr.write(`pocket-dhcp: warning: ${w}\n`);
    } catch (e) {
      throw cliError(e);
    }
  }

  const dataDir = flags.dataDir ?? cfg?.dataDir ?? defaultDataDir();
  let controller: ServerController;
  try {
    controller = await ServerController.open({
      dataDir,
      // The UI's log wants every packet; the terminal shows them only with --verbose.
      packetEvents: Boolean(flags.verbose || web),
      hints: web ? UI_HINTS : CLI_HINTS,
      watchIntervalMs: web ? 2000 : 0,
      // Vendor names are for lease rows (UI, exports); the terminal log has none.
      preloadVendors: Boolean(web),
      // Without --web nothing reads the UI's log ring or lease rows; the device timelines feed the
      // stall hints of the log (the DISCOVER and REQUEST steps only with --verbose: packet events).
      ui: Boolean(web),
      timelines: true,
      probeTimeoutMs,
      ...(web && cfg ? { draftOverride: JSON.parse(JSON.stringify(cfg)) as Record<string, unknown> } : {}),
    });
  } catch (e) {
    throw cliError(e);
  }
  const store = controller.store;

  // What repairing the lease file did (torn tail cut, lines quarantined, stale lock taken over).
  for (const message of store.openReport.messages) write(json ? JSON.stringify({ kind: 'warning', at: new Date().toISOString(), code: 'lease-file', message }) : `pocket-dhcp: ${message}`);
  // An interface still carrying a static address Pocket DHCP set (the app crashed before restoring
  // it, or `nic set` was used): say how to put it back; `pocket-dhcp nic restore` does it.
  const leftover = leftoverNote(await controller.nic.saved().catch(() => []));
  if (leftover) process.stderr.write(`pocket-dhcp: ${leftover}\n`);
  // Stall hints from the device timelines (devices/stall-hints.ts): once per MAC and hint, a
  // `HINT <mac> …` line (a "hint" record with --log json) — "OFFERs sent, no REQUEST", NAK loops …
  const stallHints = new StallHintReporter(controller.timelines);
  controller.onServiceEvent((e) => {
    if (e.kind === 'packet' && !flags.verbose) return;
    write(json ? formatEventJson(e) : formatEventText(e, flags.verbose));
    const found = stallHints.check(e);
    if (found) for (const h of found.hints) write(hintLogLine(found.mac, h, found.at, json));
  });

  const banner = (plan: StartPlan): string => {
    const pool = plan.engineConfig.subnets.map((s) => `${intToIp(s.rangeStart)}-${intToIp(s.rangeEnd)} (${s.rangeEnd - s.rangeStart + 1} addresses)`).join(', ');
    return json
      ? JSON.stringify({ kind: 'started', at: new Date().toISOString(), interface: plan.config.interface, serverId: plan.address.address, dataDir, pool })
      : `pocket-dhcp serving on ${plan.config.interface} ${plan.address.address}/${plan.address.prefix}, pool ${pool}, ${store.size} lease record(s) in ${dataDir}`;
  };

  let plan: StartPlan | undefined;
  if (cfg) {
    // The check for other DHCP servers (server/rogue-guard.ts) listens before anything is served.
    if (probeTimeoutMs > 0) process.stderr.write(`pocket-dhcp: checking ${cfg.interface} for other DHCP servers (${probeSeconds(probeTimeoutMs)})…\n`);
    try {
      plan = await controller.startOrThrow({ config: cfg, allowForeignNetwork: Boolean(flags.allowForeignNetwork), allowOtherServer: Boolean(flags.allowOtherServer) });
    } catch (e) {
      await controller.close().catch(() => undefined);
      throw cliError(e);
    }
  }

  let webServer: Awaited<ReturnType<typeof startWebMode>> | undefined;
  let shuttingDown = false;
  if (web) {
    try {
      webServer = await startWebMode({
        controller,
        address: web,
        allowRemote: Boolean(flags.webAllowRemote),
        ...(flags.webOrigin?.length ? { extraOrigins: flags.webOrigin } : {}),
        onError: (call, err) => {
          if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) process.stderr.write(`pocket-dhcp: internal error in ${call}: ${err.stack ?? err.message}\n`);
        },
      });
    } catch (e) {
      await controller.close().catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliError(`the web UI cannot listen on ${flags.web}: the port is already in use — choose another one (--web 127.0.0.1:PORT)`);
      if (code === 'EADDRNOTAVAIL') throw new CliError(`the web UI cannot listen on ${flags.web}: that address does not belong to this machine`);
      if (code === 'EACCES') throw new CliError(`the web UI cannot listen on ${flags.web}: ports below 1024 need privileges — choose a port above 1024`);
      throw e;
    }
    // Starts and stops from the UI are announced like the command line's own start.
    let last = controller.state;
    controller.subscribe((e) => {
      if (shuttingDown || e.name !== 'status' || e.payload.state === last) return;
      const prev = last;
      last = e.payload.state;
      if (e.payload.state === 'running' && prev === 'starting') {
        const p = controller.currentPlan;
        if (p && p !== plan) write(banner(p));
      } else if (e.payload.state === 'stopped' && prev === 'stopping') {
        write(json ? JSON.stringify({ kind: 'stopped', at: new Date().toISOString() }) : 'pocket-dhcp stopped (from the web UI)');
      }
    });
  }

  const writeCounters = (): void => {
    const c = controller.status().counters;
    write(json ? formatCountersJson(c, Date.now()) : formatCountersText(c));
  };

  // The handlers go in before the banner: the banner tells supervisors and scripts "ready", and a
  // SIGTERM sent in reply must already find them (otherwise Node's default action kills the process
  // without closing the store — measured: 13 of 30 starts died that way when SIGTERM followed the banner).
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      shuttingDown = true;
      write(json ? JSON.stringify({ kind: 'stopping', signal }) : `pocket-dhcp stopping (${signal})`);
      void (webServer?.close() ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => controller.close())
        .finally(() => {
          // The run's counters once the service has stopped: received, answered, dropped by reason.
          writeCounters();
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          if (onUsr1) process.off('SIGUSR1', onUsr1);
          resolve();
        });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    // SIGUSR1 prints the counters so far and keeps serving (Windows has no SIGUSR1). A listener also
    // keeps Node from opening its inspector on SIGUSR1, which a server running as root must not do.
    const onUsr1 = process.platform === 'win32' ? undefined : () => writeCounters();
    if (onUsr1) process.on('SIGUSR1', onUsr1);
  });
  if (webServer) {
    write(json ? JSON.stringify({ kind: 'web', at: new Date().toISOString(), url: webServer.url, rendererDir: webServer.rendererDir ?? null }) : `pocket-dhcp web UI: ${webServer.url}`);
    if (!webServer.rendererDir) process.stderr.write('pocket-dhcp: warning: the UI is not built (out/renderer missing) — run "npm run build"; the API works meanwhile\n');
    if (!plan) write(json ? JSON.stringify({ kind: 'idle', at: new Date().toISOString(), dataDir, settings: controller.settingsPath }) : `pocket-dhcp idle: open the web UI to configure and start the server (settings: ${controller.settingsPath})`);
  }
  if (plan) write(banner(plan));
  await stopped;
  log.flush();
}
