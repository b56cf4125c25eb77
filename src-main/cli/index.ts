// `pocket-dhcp serve | leases | interfaces` — the headless face of the same engine the desktop app
// runs. Exit codes: 0 ok, 1 runtime failure (port busy, no privileges, disk), 2 invalid
// configuration or usage. Every failure prints one clear sentence saying what to do.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/schema.js';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from './errors.js';
import { runInterfaces } from './interfaces-command.js';
import { runLeases } from './leases-command.js';
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
    .option('--allow-foreign-network', 'serve even though the interface got its own address from another DHCP server')
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
    .command('leases')
    .description('print the lease table')
    .option('-d, --data-dir <dir>', 'data directory of the server (default: per-user data directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(async (opts) => {
      await runLeases(opts);
    });

  program
    .command('interfaces')
    .description('list network interfaces with their IPv4 addresses')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      await runInterfaces(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
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
