// `pocket-dhcp serve` flags → the validated configuration (src-main/cli/serve-config.ts), parsed by
// the real commander program (cli/index.ts), so a flag renamed in one place and not the other fails.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src-main/cli/index.js';
import { configFromFlags, type ServeFlags } from '../../../src-main/cli/serve-config.js';
import { ConfigError } from '../../../src-main/config/schema.js';

const IFACE = { address: '198.18.10.1', prefix: 24 };

/** The serve command's options as commander parses `argv` (the action does not run). */
function serveFlags(argv: string[]): ServeFlags {
  const serve = buildProgram().commands.find((c) => c.name() === 'serve')!;
  serve.parseOptions(['--interface', 'sv0', '--range', '198.18.10.100-198.18.10.150', ...argv]);
  return serve.opts() as ServeFlags;
}

const problems = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('no ConfigError');
};

describe('serve flags → configuration', () => {
  it('--known-clients-only turns known-clients-only mode on; without it the mode is off', () => {
    expect(configFromFlags(serveFlags(['--known-clients-only']), IFACE).knownClientsOnly).toBe(true);
    expect(configFromFlags(serveFlags([]), IFACE).knownClientsOnly).toBe(false);
  });

  it('--discover-rate-limit and --request-rate-limit set the per-MAC limits; the defaults are 10 each; 0 turns one off', () => {
    const defaults = configFromFlags(serveFlags([]), IFACE);
    expect(defaults).toMatchObject({ discoverRateLimit: 10, requestRateLimit: 10 });
    expect(configFromFlags(serveFlags(['--discover-rate-limit', '3', '--request-rate-limit', '0']), IFACE)).toMatchObject({ discoverRateLimit: 3, requestRateLimit: 0 });
  });

  it('a rate limit that is not a whole number is a configuration error naming the flag', () => {
    expect(problems(() => configFromFlags(serveFlags(['--request-rate-limit', 'fast']), IFACE))).toEqual([
      { field: 'requestRateLimit', message: '"--request-rate-limit fast" must be a whole number of messages per second (0 turns the limit off)' },
    ]);
    expect(problems(() => configFromFlags(serveFlags(['--discover-rate-limit', '-1']), IFACE))[0]).toMatchObject({ field: 'discoverRateLimit' });
    expect(problems(() => configFromFlags(serveFlags(['--discover-rate-limit', '1000000']), IFACE))[0]).toMatchObject({ field: 'discoverRateLimit' });
  });
});

// ---- issue 3: the flag mode of `serve` (README's first headless example) and --option values ----

describe('serve flags → configuration (flag mode)', () => {
  it('--router, --dns a,b, --domain, --lease-time, --data-dir and repeated --reserve MAC=IP[,host] land in the configuration', () => {
    const cfg = configFromFlags(
      serveFlags([
        '--router', '198.18.10.1',
        '--dns', '198.18.10.53, 198.18.10.54',
        '--domain', 'lab.test',
        '--lease-time', '600',
        '--data-dir', '/tmp/pocket-dhcp-flags',
        '--reserve', '02:00:00:00:00:aa=198.18.10.20,printer',
        '--reserve', '02:00:00:00:00:bb=198.18.10.21',
      ]),
      IFACE,
    );
    expect(cfg.interface).toBe('sv0');
    expect(cfg.dataDir).toBe('/tmp/pocket-dhcp-flags');
    expect(cfg.leaseTime).toBe(600);
    expect(cfg.subnets).toHaveLength(1);
    expect(cfg.subnets[0]).toMatchObject({ range: '198.18.10.100-198.18.10.150', router: ['198.18.10.1'], dns: ['198.18.10.53', '198.18.10.54'], domain: 'lab.test' });
    expect(cfg.reservations).toEqual([
      { mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer' },
      { mac: '02:00:00:00:00:bb', ip: '198.18.10.21' },
    ]);
  });

  it('the subnet is the network of the interface address (host bits cleared); --subnet overrides it', () => {
    expect(configFromFlags(serveFlags([]), { address: '198.18.10.77', prefix: 24 }).subnets[0]!.subnet).toBe('198.18.10.0/24');
    expect(configFromFlags(serveFlags(['--range', '198.18.8.100-198.18.8.150']), { address: '198.18.9.1', prefix: 22 }).subnets[0]!.subnet).toBe('198.18.8.0/22');
    expect(configFromFlags(serveFlags(['--subnet', '198.18.10.0/23']), { address: '198.18.10.1', prefix: 24 }).subnets[0]!.subnet).toBe('198.18.10.0/23');
  });

  it('without an interface address or --subnet the missing subnet is named', () => {
    expect(problems(() => configFromFlags(serveFlags([]), undefined))[0]).toMatchObject({ field: 'subnets[0].subnet' });
  });

  it('the default lease time is 3600 s and the server is authoritative; --not-authoritative turns that off', () => {
    const defaults = configFromFlags(serveFlags([]), IFACE);
    expect(defaults.leaseTime).toBe(3600);
    expect(defaults.authoritative).toBe(true);
    // index.ts maps commander's notAuthoritative to authoritative: false, as the action does.
    const opts = serveFlags(['--not-authoritative']) as ServeFlags & { notAuthoritative?: boolean };
    expect(opts.notAuthoritative).toBe(true);
    expect(configFromFlags({ ...opts, authoritative: opts.notAuthoritative ? false : undefined }, IFACE).authoritative).toBe(false);
  });

  it('a lease time that is not a whole number and a malformed --reserve are errors naming the field', () => {
    expect(problems(() => configFromFlags(serveFlags(['--lease-time', '1h']), IFACE))).toEqual([{ field: 'leaseTime', message: '"1h" is not a whole number of seconds' }]);
    expect(problems(() => configFromFlags(serveFlags(['--reserve', '02:00:00:00:00:aa']), IFACE))[0]).toMatchObject({ field: 'reservations[0]' });
  });
});

describe('serve --option NAME=VALUE', () => {
  const options = (...specs: string[]) => configFromFlags(serveFlags(specs.flatMap((s) => ['--option', s])), IFACE).subnets[0]!.options;

  it('a single address for a list option is a one-element list (the --help example), by name and by code', () => {
    expect(options('ntp-servers=198.18.10.1')).toEqual({ 'ntp-servers': ['198.18.10.1'] });
    expect(options('150=198.18.10.5')).toEqual({ '150': ['198.18.10.5'] });
  });

  it('a comma list and a JSON array are both lists', () => {
    expect(options('ntp-servers=198.18.10.1,198.18.10.2')).toEqual({ 'ntp-servers': ['198.18.10.1', '198.18.10.2'] });
    expect(options('ntp-servers=["198.18.10.1","198.18.10.2"]')).toEqual({ 'ntp-servers': ['198.18.10.1', '198.18.10.2'] });
    expect(options('domain-search=lab.test,corp.test')).toEqual({ 'domain-search': ['lab.test', 'corp.test'] });
    expect(options('path-mtu-plateau-table=1500,9000')).toEqual({ 'path-mtu-plateau-table': [1500, 9000] });
  });

  it('text options keep numbers and booleans as the text typed', () => {
    expect(options('host-name=1234')).toEqual({ 'host-name': '1234' });
    expect(options('tftp-server-name=true')).toEqual({ 'tftp-server-name': 'true' });
    expect(options('domain-name="lab test"')).toEqual({ 'domain-name': 'lab test' });
    // Hex that happens to be all digits is hex, not the number 102.
    expect(options('user-class=0102')).toEqual({ 'user-class': '0102' });
  });

  it('numbers, booleans and structured values are JSON', () => {
    expect(options('default-ip-ttl=64', 'ip-forwarding=false')).toEqual({ 'default-ip-ttl': 64, 'ip-forwarding': false });
    expect(options('classless-static-route=[{"destination":"10.0.0.0/8","router":"198.18.10.1"}]')).toEqual({
      'classless-static-route': [{ destination: '10.0.0.0/8', router: '198.18.10.1' }],
    });
  });

  it('bad values and unknown names are configuration errors naming the option', () => {
    expect(problems(() => options('ntp-servers=ntp.example'))[0]).toMatchObject({ field: 'subnets[0].options.ntp-servers' });
    expect(problems(() => options('no-such-option=1'))[0]).toMatchObject({ field: 'subnets[0].options.no-such-option' });
    expect(problems(() => options('ntp-servers'))[0]).toMatchObject({ field: 'options' });
  });
});
