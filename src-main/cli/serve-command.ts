// `pocket-dhcp serve`: validate the configuration, check the interface, open the lease store and
// the interface-bound socket, then serve until SIGINT/SIGTERM. Nothing is listened to before every
// check has passed.
import { cidrContains, intToIp, ipToInt, parseCidr } from '../dhcp/ip.js';
import { defaultDataDir } from '../config/paths.js';
import { resolveConfig } from '../config/resolve.js';
import { ConfigError, parseConfig, type UserConfig } from '../config/schema.js';
import { LeaseStore } from '../leases/lease-store.js';
import { openBoundSocket } from '../net/bound-socket.js';
import { listInterfaces, type NetInterface } from '../net/interfaces.js';
import { isNetError } from '../net/net-error.js';
import { DhcpService } from '../server/dhcp-service.js';
import { formatEventJson, formatEventText } from '../server/event-format.js';
import { CliError } from './errors.js';
import { configFromFlags, readConfigFile, type ServeFlags } from './serve-config.js';

export interface ServeCommandFlags extends ServeFlags {
  log?: 'text' | 'json';
  verbose?: boolean;
  allowForeignNetwork?: boolean;
}

function unknownInterface(name: string, all: NetInterface[]): ConfigError {
  const names = all.filter((i) => !i.loopback).map((i) => i.name);
  return new ConfigError([{ field: 'interface', message: `"${name}" does not exist on this machine${names.length ? ` (available: ${names.join(', ')})` : ''} — see "pocket-dhcp interfaces"` }]);
}

export async function loadServeConfig(flags: ServeFlags, interfaces: NetInterface[]): Promise<UserConfig> {
  if (flags.config) {
    const raw = (await readConfigFile(flags.config)) as Record<string, unknown>;
    // Flags given next to --config override the file's top-level settings.
    const merged = { ...raw, ...(flags.interface ? { interface: flags.interface } : {}), ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) };
    return parseConfig(merged);
  }
  const itf = flags.interface ? interfaces.find((i) => i.name === flags.interface) : undefined;
  if (flags.interface && !itf) throw unknownInterface(flags.interface, interfaces);
  const addr = itf?.ipv4.find((a) => (a.address.startsWith('169.254.') ? false : true));
  if (itf && !addr && !flags.subnet) {
    throw new CliError(`interface ${itf.name} has no IPv4 address — give it a static address first (for example: sudo ip addr add 192.168.77.1/24 dev ${itf.name}), then start again`);
  }
  return configFromFlags(flags, addr);
}

export async function runServe(flags: ServeCommandFlags): Promise<void> {
  const interfaces = await listInterfaces();
  const cfg = await loadServeConfig(flags, interfaces);
  const itf = interfaces.find((i) => i.name === cfg.interface);
  if (!itf) throw unknownInterface(cfg.interface, interfaces);

  // The server answers from the interface's address inside the first subnet.
  const own = parseCidr(cfg.subnets[0]!.subnet)!;
  const usable = itf.ipv4.filter((a) => !a.address.startsWith('169.254.'));
  if (usable.length === 0) {
    throw new CliError(`interface ${itf.name} has no IPv4 address — give it a static address in ${cfg.subnets[0]!.subnet} first (for example: sudo ip addr add ${intToIp(own.network + 1)}/${own.prefix} dev ${itf.name})`);
  }
  const addr = usable.find((a) => cidrContains(own, ipToInt(a.address))) ?? usable[0]!;
  if (addr.dynamic && !flags.allowForeignNetwork) {
    throw new CliError(
      `interface ${itf.name} got its address ${addr.address} from DHCP: another DHCP server already serves this network, and a second one would hand out conflicting addresses. Give ${itf.name} a static address on a network you control (or pass --allow-foreign-network if you are sure).`,
    );
  }
  if (!itf.up) process.stderr.write(`pocket-dhcp: warning: interface ${itf.name} has no link (cable unplugged?); serving starts anyway and answers once the link is up\n`);
  const engineConfig = resolveConfig(cfg, addr);

  const dataDir = flags.dataDir ?? cfg.dataDir ?? defaultDataDir();
  let store: LeaseStore;
  try {
    store = await LeaseStore.open(dataDir);
  } catch (e) {
    throw new CliError((e as Error).message);
  }

  let service: DhcpService;
  try {
    service = await DhcpService.start({
      config: engineConfig,
      repository: store,
      openTransport: () => openBoundSocket({ ifname: cfg.interface, port: 67 }),
      packetEvents: Boolean(flags.verbose),
    });
  } catch (e) {
    await store.close().catch(() => undefined);
    if (isNetError(e)) throw new CliError(e.message);
    throw e;
  }

  const json = flags.log === 'json';
  const write = (line: string | undefined) => line !== undefined && process.stdout.write(`${line}\n`);
  // What repairing the lease file did (torn tail cut, lines quarantined, stale lock taken over).
  for (const message of store.openReport.messages) write(json ? JSON.stringify({ kind: 'warning', at: new Date().toISOString(), code: 'lease-file', message }) : `pocket-dhcp: ${message}`);
  service.on((e) => write(json ? formatEventJson(e) : formatEventText(e, flags.verbose)));
  const pool = engineConfig.subnets.map((s) => `${intToIp(s.rangeStart)}-${intToIp(s.rangeEnd)} (${s.rangeEnd - s.rangeStart + 1} addresses)`).join(', ');
  const banner = `pocket-dhcp serving on ${cfg.interface} ${addr.address}/${addr.prefix}, pool ${pool}, ${store.size} lease record(s) in ${dataDir}`;

  // The handlers go in before the banner: the banner tells supervisors and scripts "ready", and a
  // SIGTERM sent in reply must already find them (otherwise Node's default action kills the process
  // without closing the store — measured: 13 of 30 starts died that way when SIGTERM followed the banner).
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      write(json ? JSON.stringify({ kind: 'stopping', signal }) : `pocket-dhcp stopping (${signal})`);
      void service
        .stop()
        .then(() => store.close())
        .finally(() => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          resolve();
        });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  write(json ? JSON.stringify({ kind: 'started', at: new Date().toISOString(), interface: cfg.interface, serverId: addr.address, dataDir, pool }) : banner);
  await stopped;
}
