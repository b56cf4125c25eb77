// `pocket-dhcp serve | leases | journal | timeline | export | import | options | interfaces | nic | privileges | helper` — the headless face of the same engine the desktop app
// runs. Exit codes: 0 ok, 1 runtime failure (port busy, no privileges, disk), 2 invalid
// configuration or usage. Every failure prints one clear sentence saying what to do.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/schema.js';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from './errors.js';
import { runHelperCommand } from './helper-command.js';
import { runInterfaces } from './interfaces-command.js';
import { runLeases } from './leases-command.js';
import { runSweep } from './sweep-command.js';
import { runJournal } from './journal-command.js';
import { runTimeline } from './timeline-command.js';
import { runExport, runImport } from './portability-command.js';
import { FORMAT_IDS, FORMATS } from '../portability/registry.js';
import { runNicRestore, runNicSet, runNicShow } from './nic-command.js';
import { runOptions } from './options-command.js';
import { runPrivileges } from './privileges-command.js';
import { runServe } from './serve-command.js';
import { VERSION } from '../version.js';


const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('pocket-dhcp')
    .description('A portable DHCPv4 server for laptops and lab benches.')
    .version(VERSION)
    .showHelpAfterError('(run "pocket-dhcp --help" for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('serve DHCP on one interface (needs a static IPv4 address on it)')
    .option('-c, --config <file>', 'JSON configuration file (see README)')
    .option('-i, --interface <name>', 'interface to serve on, e.g. eth1 (see "pocket-dhcp interfaces")')
    .option('-r, --range <first-last>', 'address pool, e.g. 192.168.77.100-192.168.77.200')
    .option('--subnet <cidr>', "the interface's network (default: taken from the interface address)")
    .option('--router <ip>', 'default gateway for clients (option 3)')
    .option('--dns <ip,ip>', 'DNS servers for clients (option 6)')
    .option('--domain <name>', 'domain name for clients (option 15)')
    .option('--lease-time <seconds>', 'lease time in seconds (default 3600)')
    .option('--reserve <mac=ip[,hostname]>', 'reserve an address for a MAC (repeatable)', collect)
    .option('--option <name=value>', 'extra option by name or code, e.g. ntp-servers=192.168.77.1 (repeatable)', collect)
    .option('--not-authoritative', 'stay silent about addresses this server has no record of (RFC 2131 §4.3.2)')
    .option('--known-clients-only', 'answer only clients with a reservation')
    .option('--discover-rate-limit <n>', 'DHCPDISCOVERs answered per client MAC per second, the rest dropped as rate-limited (default 10; 0 = no limit)')
    .option('--request-rate-limit <n>', 'DHCPREQUESTs, INFORMs and DECLINEs accepted per client MAC per second, together (default 10; 0 = no limit)')
    .option('--allow-foreign-network', 'serve even though the interface got its own address from another DHCP server')
    .option('--no-conflict-check', 'offer fresh addresses without ARP-probing them first (Linux; on by default when the server may open a packet socket)')
    .option('--allow-other-server', 'serve even though another DHCP server answers the start-up check on the interface')
    .option('--probe-timeout <ms>', 'how long to listen for other DHCP servers before serving, in ms (default 4000; 0 skips the check)')
    .option('-d, --data-dir <dir>', 'where leases are kept (default: per-user data directory)')
    .addOption(new Option('--log <format>', 'log format').choices(['text', 'json']).default('text'))
    .option('-v, --verbose', 'also log every packet in and out')
    .option('--web <[host:]port>', 'also serve the UI in a browser (default host 127.0.0.1); without --config/--interface/--range it starts idle with the settings saved from the UI')
    .option('--web-allow-remote', 'allow --web on an address other than loopback (anyone with the printed link controls the server)')
    .option('--web-origin <origin>', 'also accept the web API from this origin, e.g. a Vite dev server http://localhost:5173 (repeatable)', collect)
    .action(async (opts) => {
      await runServe({ ...opts, authoritative: opts.notAuthoritative ? false : undefined });
    });

  program
    .command('sweep')
    .description('ARP-probe every address of a range and list those already in use (needs root / CAP_NET_RAW; Linux)')
    .option('-i, --interface <name>', 'interface to probe on, e.g. eth1')
    .option('-r, --range <first-last>', 'addresses to probe, e.g. 198.18.10.100-198.18.10.200 (at most 4096)')
    .option('--rate <n>', 'probes per second (default 50, at most 200)')
    .option('-d, --data-dir <dir>', 'data directory whose leases tell our clients from other devices (default: per-user data directory)')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runSweep(opts);
    });

  program
    .command('leases')
    .description('print the lease table')
    .option('-d, --data-dir <dir>', 'data directory of the server (default: per-user data directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(async (opts) => {
      await runLeases(opts);
    });

  program
    .command('journal')
    .description('print the lease journal: who had which address when (bind, renew, release, expire, decline)')
    .option('--mac <mac>', 'only this device (any MAC notation)')
    .option('--ip <ip>', 'only this address')
    .option('--host <name>', 'only host names containing this text')
    .option('--since <iso>', 'only from this time on, e.g. 2026-11-23T09:00:00Z')
    .option('--until <iso>', 'only up to this time')
    .option('-d, --data-dir <dir>', 'data directory of the server (default: per-user data directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(async (opts) => {
      await runJournal(opts);
    });

  program
    .command('timeline')
    .description('one device\'s DISCOVER/OFFER/REQUEST/ACK history with timings and stall hints, from a "serve --log json" log ("-" reads standard input)')
    .argument('<log>', 'what "pocket-dhcp serve --log json" wrote (add --verbose there for the DISCOVER and REQUEST steps)')
    .requiredOption('--mac <mac>', 'the device (any MAC notation)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--limit <n>', 'most recent steps to keep (default 1000)')
    .action(async (file: string, opts) => {
      await runTimeline(file, opts);
    });

  const exportable = FORMATS.filter((f) => f.exports.leases || f.exports.reservations).map((f) => f.id);
  program
    .command('export')
    .description('write leases, reservations or a complete Kea configuration in another tool\'s format (read-only: safe while serving)')
    .addOption(new Option('-f, --format <format>', 'target format').choices(exportable).makeOptionMandatory())
    .addOption(new Option('-w, --what <what>', 'leases, reservations, or config (Kea: kea-dhcp4.conf + lease file; the default for --format kea)').choices(['leases', 'reservations', 'config']))
    .option('-d, --data-dir <dir>', 'data directory with the leases and the saved settings (default: per-user data directory)')
    .option('-c, --config <file>', 'configuration file to export instead of the saved settings')
    .option('-o, --output <path>', 'file to write (default: standard output); a directory for --format kea --what config')
    .option('--interface <name>', 'Kea: the interface Kea listens on (default: the configuration\'s)')
    .option('--lease-file <path>', 'Kea: where kea-dhcp4.conf expects the lease file (default: OUTPUT/kea-leases4.csv)')
    .addOption(new Option('--ha-mode <mode>', 'Kea: add the High Availability hook for two servers').choices(['load-balancing', 'hot-standby']))
    .option('--ha-peer <name=url>', 'Kea HA: a peer and its Control Agent URL, e.g. server1=http://198.18.0.1:8000/ (twice; the first is the primary)', collect)
    .option('--ha-this <name>', 'Kea HA: which peer this configuration is for (default: the first)')
    .option('--kea-hooks-dir <dir>', 'Kea HA: directory of libdhcp_ha.so (default: Debian amd64\'s /usr/lib/x86_64-linux-gnu/kea/hooks)')
    .action(async (opts) => {
      await runExport(opts);
    });

  program
    .command('import')
    .description('preview (and with --yes apply) leases or reservations from a file; "-" reads standard input')
    .argument('<file>', 'the file to import')
    .addOption(new Option('-f, --format <format>', 'its format (default: detected from the content)').choices(['auto', ...FORMAT_IDS]).default('auto'))
    .option('-d, --data-dir <dir>', 'data directory to import into (default: per-user data directory)')
    .option('--dry-run', 'only print the preview (the default without --yes)')
    .option('-y, --yes', 'apply the rows the preview marks "apply" (needs the server on this data directory stopped)')
    .action(async (file: string, opts) => {
      await runImport(file, opts);
    });

  program
    .command('options')
    .description('print every option the configuration sends (subnets, classes, reservations) with its bytes on the wire, and the configuration warnings')
    .option('-c, --config <file>', 'configuration file (default: the settings saved in the data directory)')
    .option('-d, --data-dir <dir>', 'data directory whose saved settings to read (default: per-user data directory)')
    .option('--templates', 'list the option 43 templates and the IP phone presets instead, with their bytes')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runOptions(opts);
    });

  program
    .command('interfaces')
    .description('list network interfaces with their IPv4 addresses')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runInterfaces(opts);
    });

  const nic = program.command('nic').description("give an interface a static address and put its previous settings back");
  nic
    .command('set')
    .description('give IF the static address ADDR/PREFIX (its previous settings are saved first); needs root/Administrator')
    .argument('<interface>', 'interface, e.g. eth1 (see "pocket-dhcp interfaces")')
    .argument('<address/prefix>', 'e.g. 192.168.77.1/24')
    .option('-d, --data-dir <dir>', 'where the previous settings are saved (default: per-user data directory)')
    .option('--dry-run', 'print the commands, change nothing')
    .option('--json', 'machine-readable result')
    .addOption(new Option('--by <who>', 'recorded as who applied it').choices(['cli', 'app', 'web']).default('cli').hideHelp())
    .action(async (ifname: string, cidr: string, opts) => {
      await runNicSet(ifname, cidr, opts);
    });
  nic
    .command('restore')
    .description('put back the saved settings of IF (or of every interface Pocket DHCP changed); safe to run twice')
    .argument('[interface]', 'only this interface')
    .option('-d, --data-dir <dir>', 'where the previous settings were saved (default: per-user data directory)')
    .option('--forget', 'drop the saved settings without changing anything (an adapter that is gone for good)')
    .option('--json', 'machine-readable result')
    .action(async (ifname: string | undefined, opts) => {
      await runNicRestore(ifname, opts);
    });
  nic
    .command('show')
    .description('list the interfaces whose previous settings are saved')
    .option('-d, --data-dir <dir>', 'data directory (default: per-user data directory)')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runNicShow(opts);
    });

  program
    .command('privileges')
    .description('what serving DHCP needs on this machine (port 67, device binding, firewall) and how to fix what is missing')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runPrivileges(opts);
    });

  program
    .command('helper')
    .description('the privileged helper the desktop app starts through pkexec (the contract as JSON lines on stdin/stdout)')
    .option('--stdio', 'speak over stdin/stdout (the only transport)')
    .option('-d, --data-dir <dir>', 'data directory (default: per-user data directory)')
    .action(async (opts) => {
      await runHelperCommand(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that finished but failed in part (nic restore of one of two interfaces) sets
    // process.exitCode instead of throwing, so its output stays complete.
    const code = Number(process.exitCode ?? 0);
    return Number.isInteger(code) ? code : 1;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : EXIT_CONFIG;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`pocket-dhcp: invalid configuration:\n${e.problems.map((p) => `  ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n')}\n`);
      return EXIT_CONFIG;
    }
    if (e instanceof CliError) {
      process.stderr.write(`pocket-dhcp: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`pocket-dhcp: unexpected error: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack ?? ''}\n`);
    return EXIT_RUNTIME;
  }
}
