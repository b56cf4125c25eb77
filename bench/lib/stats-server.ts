// The server as `pocket-dhcp serve --config FILE --log json` wires it (same config schema, lease
// store, service, interface-bound socket, JSON event log to a file), plus what the CLI does not
// show: every second, and at SIGTERM, a JSON line with LeaseStore.stats(), the service counters,
// event-loop delay and memory. For the group-commit and diagnosis figures of bench/run.ts; the
// headline figures use the real CLI.
//   node --import tsx bench/lib/stats-server.ts CONFIG.json STATS.jsonl LOG.jsonl
import { createWriteStream, writeFileSync, appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolveConfig } from '../../src-main/config/resolve.js';
import { parseConfig } from '../../src-main/config/schema.js';
import { readConfigFile } from '../../src-main/cli/serve-config.js';
import { cidrContains, ipToInt, parseCidr } from '../../src-main/dhcp/ip.js';
import { LeaseStore } from '../../src-main/leases/lease-store.js';
import { openBoundSocket } from '../../src-main/net/bound-socket.js';
import { listInterfaces } from '../../src-main/net/interfaces.js';
import { DhcpService } from '../../src-main/server/dhcp-service.js';
import { formatEventJson } from '../../src-main/server/event-format.js';

const [configFile, statsFile, logFile] = process.argv.slice(2) as [string, string, string];
const cfg = parseConfig(await readConfigFile(configFile));
const itf = (await listInterfaces()).find((i) => i.name === cfg.interface);
if (!itf) throw new Error(`no interface ${cfg.interface}`);
const own = parseCidr(cfg.subnets[0]!.subnet)!;
const addr = itf.ipv4.find((a) => cidrContains(own, ipToInt(a.address)))!;
const store = await LeaseStore.open(cfg.dataDir!);
const service = await DhcpService.start({
  config: resolveConfig(cfg, addr),
  repository: store,
  openTransport: () => openBoundSocket({ ifname: cfg.interface, port: 67 }),
  packetEvents: false,
});
const log = createWriteStream(logFile, { flags: 'a' });
service.on((e) => log.write(`${formatEventJson(e)}\n`));
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
writeFileSync(statsFile, '');
const snapshot = (final: boolean) => {
  const mu = process.memoryUsage();
  appendFileSync(
    statsFile,
    JSON.stringify({
      at: Date.now(),
      final,
      store: store.stats(),
      open: { loadMs: store.openReport.loadMs, records: store.openReport.records },
      counters: service.counters,
      loopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
      rssMb: mu.rss / 2 ** 20,
      heapMb: mu.heapUsed / 2 ** 20,
    }) + '\n',
  );
  delay.reset();
};
const timer = setInterval(() => snapshot(false), 1000);
process.stdout.write(JSON.stringify({ kind: 'started', loadMs: store.openReport.loadMs }) + '\n');
process.on('SIGTERM', () => {
  clearInterval(timer);
  void service
    .stop()
    .then(() => store.close())
    .then(() => {
      snapshot(true);
      log.end(() => process.exit(0));
    });
});
