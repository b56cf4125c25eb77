// parseConfig: the example configuration parses; every invalid case gives a ConfigError whose
// problem names the field and says what is wrong.
import { describe, expect, it } from 'vitest';
import { ConfigError, formatPath, parseConfig } from '../../../src-main/config/schema.js';
import { EXAMPLE_CONFIG as EXAMPLE } from '../../helpers/fake-dhcp.js';


const clone = (): typeof EXAMPLE & Record<string, unknown> => structuredClone(EXAMPLE);

function problems(input: unknown): { field: string; message: string }[] {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const ce = e as ConfigError;
    // The error's message lists every problem as "field: message".
    for (const p of ce.problems) expect(ce.message).toContain(p.field ? `${p.field}: ${p.message}` : p.message);
    return ce.problems;
  }
  throw new Error('expected a ConfigError');
}

function expectProblem(edit: (c: ReturnType<typeof clone>) => void, field: string, message: RegExp) {
  const c = clone();
  edit(c);
  const ps = problems(c);
  expect(ps, JSON.stringify(ps)).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message) }));
  return ps;
}

describe('parseConfig: the example configuration', () => {
  it('parses, keeping what was written and filling in defaults', () => {
    const cfg = parseConfig(clone());
    expect(cfg.interface).toBe('eth1');
    expect(cfg.subnets).toHaveLength(2);
    expect(cfg.subnets[0]!.router).toEqual(['198.18.10.1']); // a single address becomes a list
    expect(cfg.subnets[1]!.router).toEqual(['198.18.50.1']);
    expect(cfg.reservations).toHaveLength(3);
  });

  it('a minimal configuration gets the documented defaults', () => {
    const cfg = parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150' }] });
    expect(cfg).toMatchObject({ leaseTime: 3600, authoritative: true, knownClientsOnly: false, offerHoldSeconds: 30, maxOfferHolds: 10_000, declineQuarantineSeconds: 600, reservations: [] });
  });

  it('an infinite lease time (2^32 − 1) is accepted', () => {
    expect(parseConfig({ ...clone(), leaseTime: 0xffffffff }).leaseTime).toBe(0xffffffff);
  });
});

describe('parseConfig: each problem names its field and says what is wrong', () => {
  it('range outside the subnet', () => {
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.100-198.18.11.10'), 'subnets[0].range', /198\.18\.11\.10 is outside subnet 198\.18\.10\.0\/24/);
  });

  it('reversed range', () => {
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.200-198.18.10.100'), 'subnets[0].range', /starts after it ends .*write the lower address first/);
  });

  it('range including the network or the broadcast address', () => {
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.0-198.18.10.50'), 'subnets[0].range', /network or broadcast address of 198\.18\.10\.0\/24/);
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.200-198.18.10.255'), 'subnets[0].range', /network or broadcast/);
  });

  it('range that is not a range', () => {
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.100'), 'subnets[0].range', /must look like 198\.18\.10\.100-198\.18\.10\.150/);
    expectProblem((c) => (c.subnets[0]!.range = '198.18.10.100-198.18.10.300'), 'subnets[0].range', /invalid address/);
  });

  it('subnet with host bits, or a /32', () => {
    expectProblem((c) => (c.subnets[0]!.subnet = '198.18.10.1/24'), 'subnets[0].subnet', /host bits must be zero/);
    expectProblem((c) => (c.subnets[0]!.subnet = '198.18.10.0/33'), 'subnets[0].subnet', /is not a network/);
    expectProblem(
      (c) => {
        c.subnets[1]!.subnet = '198.18.50.7/32';
        c.subnets[1]!.range = '198.18.50.7-198.18.50.7';
        c.subnets[1]!.router = ['198.18.50.7'];
        c.reservations.pop();
      },
      'subnets[1].subnet',
      /single address.*\/31/,
    );
  });

  it('reservation outside every subnet', () => {
    expectProblem((c) => (c.reservations[0]!.ip = '10.0.0.5'), 'reservations[0].ip', /10\.0\.0\.5 is outside every configured subnet \(198\.18\.10\.0\/24, 198\.18\.50\.0\/24\)/);
  });

  it('reservation on the network/broadcast address, the router or the DNS server', () => {
    expectProblem((c) => (c.reservations[0]!.ip = '198.18.10.255'), 'reservations[0].ip', /network or broadcast address/);
    expectProblem((c) => (c.reservations[0]!.ip = '198.18.10.1'), 'reservations[0].ip', /router address/);
    expectProblem((c) => (c.reservations[0]!.ip = '198.18.10.53'), 'reservations[0].ip', /DNS server address/);
  });

  it('reservation client ids: hex, at least two octets, no duplicates (in any spelling)', () => {
    expectProblem((c) => (c.reservations[1]!.clientId = 'zz'), 'reservations[1].clientId', /must be hex/);
    expectProblem((c) => (c.reservations[1]!.clientId = '01'), 'reservations[1].clientId', /type octet and at least one more/);
    expectProblem((c) => ((c.reservations[0] as Record<string, unknown>).clientId = '01-02-00-00-00-00-BB'), 'reservations[1].clientId', /duplicate reservation: client id 01:02:00:00:00:00:bb is already reserved in reservations\[0\]/);
  });

  it('duplicate reservation: the same MAC in two notations', () => {
    const ps = expectProblem(
      (c) => c.reservations.push({ mac: '0200.0000.00aa', ip: '198.18.10.30' } as never),
      'reservations[3].mac',
      /duplicate reservation: 02:00:00:00:00:aa is already reserved in reservations\[0\]/,
    );
    expect(ps).toHaveLength(1);
  });

  it('duplicate reservation: the same address twice', () => {
    expectProblem((c) => (c.reservations[1]!.ip = '198.18.10.20'), 'reservations[1].ip', /198\.18\.10\.20 is already reserved for reservations\[0\]/);
  });

  it('bad MAC', () => {
    for (const mac of ['02:00:00:00:00', '02:00:00:00:00:0g', '0200.0000.00', '02:00-00:00:00:aa', '']) {
      expectProblem((c) => (c.reservations[0]!.mac = mac), 'reservations[0].mac', /is not a MAC address/);
    }
  });

  it('bad IP addresses, named where they are', () => {
    expectProblem((c) => (c.reservations[0]!.ip = '198.18.10.256'), 'reservations[0].ip', /is not an IPv4 address/);
    expectProblem((c) => (c.subnets[0]!.router = 'gateway' as never), 'subnets[0].router[0]', /is not an IPv4 address/);
    const ps = expectProblem((c) => (c.subnets[0]!.dns = ['198.18.10.1', '198.18.10'] as never), 'subnets[0].dns[1]', /is not an IPv4 address/);
    expect(ps).toHaveLength(1);
    expectProblem((c) => (c.subnets[0]!.dns = [] as never), 'subnets[0].dns', /at least one address/);
  });

  it('router outside the subnet', () => {
    expectProblem((c) => (c.subnets[0]!.router = '198.18.50.1'), 'subnets[0].router', /198\.18\.50\.1 is not in subnet 198\.18\.10\.0\/24/);
  });

  it('overlapping subnets', () => {
    expectProblem(
      (c) => {
        c.subnets[1]!.subnet = '198.18.0.0/16';
        c.subnets[1]!.range = '198.18.50.100-198.18.50.150';
      },
      'subnets[1].subnet',
      /overlaps subnets\[0\] \(198\.18\.10\.0\/24\)/,
    );
  });

  it('unknown keys (typos), at the top and inside a subnet or reservation', () => {
    expectProblem((c) => (c.leaseTme = 600), '', /unknown setting "leaseTme" \(check the spelling\)/);
    expectProblem((c) => ((c.subnets[0] as Record<string, unknown>).rnage = 'x'), 'subnets[0]', /unknown setting "rnage"/);
    expectProblem((c) => ((c.reservations[0] as Record<string, unknown>).adress = 'x'), 'reservations[0]', /unknown setting "adress"/);
  });

  it('lease time 0, fractional, or above 2^32 − 1', () => {
    expectProblem((c) => (c.leaseTime = 0), 'leaseTime', /at least 10 seconds/);
    expectProblem((c) => (c.leaseTime = 2 ** 32), 'leaseTime', /at most 4294967295/);
    expectProblem((c) => (c.leaseTime = 60.5), 'leaseTime', /whole number/);
    expectProblem((c) => (c.subnets[1]!.leaseTime = 0), 'subnets[1].leaseTime', /at least 10 seconds/);
  });

  it('a value of the wrong type says what was expected (not "is required")', () => {
    expectProblem((c) => (c.leaseTime = '3600' as never), 'leaseTime', /must be a number, not the text "3600"/);
    expectProblem((c) => (c.authoritative = 'yes' as never), 'authoritative', /must be a boolean/);
    expectProblem((c) => (c.subnets = {} as never), 'subnets', /must be a list/);
    expect(problems(null)).toEqual([{ field: '', message: 'must be an object, not null', code: 'type', params: { want: 'object', got: 'null', value: '' } }]);
    expectProblem((c) => delete (c as Record<string, unknown>).interface, 'interface', /^is required/);
  });

  it('a bad value in options names the option and the problem', () => {
    expectProblem((c) => (c.subnets[0]!.options!['ntp-servers'] = ['198.18.10.300']), "subnets[0].options.ntp-servers", /option 42 \(ntp-servers\).*not an IPv4 address/);
    expectProblem((c) => (c.subnets[0]!.options!['interface-mtu'] = 70000), 'subnets[0].options.interface-mtu', /option 26 .*0–65535/);
    expectProblem(
      (c) => (c.subnets[0]!.options!['classless-static-route'] = [{ destination: '10.0.0.1/8', router: '198.18.10.254' }]),
      'subnets[0].options.classless-static-route',
      /host bits set \(did you mean 10\.0\.0\.0\/8\?\)/,
    );
    expectProblem((c) => ((c.subnets[0]!.options as Record<string, unknown>)['no-such-option'] = 1), 'subnets[0].options.no-such-option', /unknown option "no-such-option"/);
    expectProblem((c) => ((c.reservations[1]!.options as Record<string, unknown>)['domain-search'] = ['a..b']), 'reservations[1].options.domain-search', /option 119/);
  });

  it('options the server fills in per message are refused, pointing at the right setting', () => {
    expectProblem((c) => ((c.subnets[0]!.options as Record<string, unknown>)['dhcp-lease-time'] = 7200), 'subnets[0].options.dhcp-lease-time', /option 51 .*set "leaseTime" instead/);
    expectProblem((c) => ((c.subnets[0]!.options as Record<string, unknown>)['58'] = 100), 'subnets[0].options.58', /renewalTime/);
    expectProblem((c) => ((c.subnets[0]!.options as Record<string, unknown>)['dhcp-server-identifier'] = '198.18.10.1'), 'subnets[0].options.dhcp-server-identifier', /interface's address/);
  });

  it('T1 < T2 < lease time (RFC 2131 §4.4.5), also against the defaults', () => {
    expectProblem((c) => (c.subnets[0]!.renewalTime = 3600), 'subnets[0].renewalTime', /shorter than the lease time/);
    expectProblem((c) => (c.subnets[0]!.renewalTime = 3000), 'subnets[0].renewalTime', /shorter than rebindingTime/);
    // Only T1 set, at or above the default T2 (⅞ × 3600 = 3150):
    expectProblem(
      (c) => {
        delete (c.subnets[0] as Record<string, unknown>).rebindingTime;
        c.subnets[0]!.renewalTime = 3200;
      },
      'subnets[0].renewalTime',
      /default rebinding time \(3150 s/,
    );
    // Only T2 set, at or below the default T1 (½ × 3600 = 1800):
    expectProblem(
      (c) => {
        delete (c.subnets[0] as Record<string, unknown>).renewalTime;
        c.subnets[0]!.rebindingTime = 1700;
      },
      'subnets[0].rebindingTime',
      /default renewal time \(1800 s/,
    );
    const ok = clone();
    delete (ok.subnets[0] as Record<string, unknown>).rebindingTime;
    ok.subnets[0]!.renewalTime = 3000;
    expect(() => parseConfig(ok)).not.toThrow();
  });

  it('reports every problem at once', () => {
    const c = clone();
    c.leaseTime = 0;
    c.subnets[0]!.range = '198.18.10.200-198.18.10.100';
    c.reservations[0]!.mac = 'nope';
    expect(problems(c).map((p) => p.field).sort()).toEqual(['leaseTime', 'reservations[0].mac', 'subnets[0].range']);
  });

  it('formatPath writes paths the way the messages show them', () => {
    expect(formatPath(['subnets', 0, 'options', 'ntp-servers'])).toBe('subnets[0].options.ntp-servers');
    expect(formatPath([])).toBe('');
  });
});
