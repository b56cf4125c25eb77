// resolveConfig: the checks that need the interface's real address, and the engine policy it
// builds. Also the small-subnet decisions: /31 works (RFC 3021), /32 is refused, a one-address
// range serves one client.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-main/config/resolve.js';
import { ConfigError, parseConfig } from '../../../src-main/config/schema.js';
import { ipToInt } from '../../../src-main/dhcp/ip.js';
import { getOption, MessageType } from '../../../src-main/dhcp/options.js';
import { EXAMPLE_CONFIG as EXAMPLE, FakeClient, replyType, World } from '../../helpers/fake-dhcp.js';

const IFACE = { address: '198.18.10.1', prefix: 24 };

function resolveProblems(input: unknown, iface = IFACE): { field: string; message: string }[] {
  try {
    resolveConfig(parseConfig(input), iface);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const example = () => structuredClone(EXAMPLE);

describe('resolveConfig: the example configuration', () => {
  it('builds the engine policy', () => {
    const cfg = resolveConfig(parseConfig(example()), IFACE);
    expect(cfg.serverId).toBe('198.18.10.1');
    expect(cfg).toMatchObject({ authoritative: true, knownClientsOnly: false, offerHoldSeconds: 30, maxOfferHolds: 10000, declineQuarantineSeconds: 600 });
    const [own, relayed] = cfg.subnets;
    expect(own).toMatchObject({ id: '198.18.10.0/24', rangeStart: ipToInt('198.18.10.100'), rangeEnd: ipToInt('198.18.10.200'), leaseTime: 3600, renewalTime: 1200, rebindingTime: 3000 });
    expect(relayed).toMatchObject({ id: '198.18.50.0/24', rangeStart: ipToInt('198.18.50.100'), rangeEnd: ipToInt('198.18.50.150'), leaseTime: 600 });
    expect(getOption(own!.options, 3)).toEqual(['198.18.10.1']);
    expect(getOption(own!.options, 6)).toEqual(['198.18.10.1', '198.18.10.53']);
    expect(getOption(own!.options, 15)).toBe('lab.test');
    expect(getOption(own!.options, 42)).toEqual(['198.18.10.1']);
    expect(getOption(own!.options, 150)).toEqual(['198.18.10.5']);
    expect(getOption(own!.options, 119)).toEqual(['lab.test', 'corp.lab.test']);
    expect(getOption(own!.options, 121)).toEqual([
      { destination: '10.0.0.0/8', router: '198.18.10.254' },
      { destination: '0.0.0.0/0', router: '198.18.10.1' },
    ]);
    expect(getOption(own!.options, 67)).toBe('pxelinux.0');
    // MACs and client ids normalised to the engine's spelling.
    expect(cfg.reservations).toEqual([
      { mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer' },
      { mac: '02:00:00:00:00:bb', ip: '198.18.10.21', clientId: '01:02:00:00:00:00:bb', options: new Map([[67, Uint8Array.from(Buffer.from('ipxe.efi'))]]) },
      { mac: '02:00:00:00:00:cc', ip: '198.18.50.20' },
    ]);
    // Routers and DNS servers are never handed out.
    expect(cfg.excluded).toEqual(['198.18.10.1', '198.18.10.1', '198.18.10.53', '198.18.50.1']);
  });

  it('drives an engine that serves the example end to end', () => {
    const w = new World(resolveConfig(parseConfig(example()), IFACE));
    const printer = new FakeClient(w, '02:00:00:00:00:aa');
    const ack = printer.dora();
    expect(replyType(ack)).toBe(MessageType.ACK);
    expect(printer.ip).toBe('198.18.10.20');
    expect(getOption(ack.reply!.packet.options, 58)).toBe(1200);
    const pxe = new FakeClient(w, '02:00:00:00:00:bb', { clientId: Uint8Array.from([1, 2, 0, 0, 0, 0, 0xbb]), prl: [1, 3, 67] });
    const pxeAck = pxe.dora();
    expect(pxe.ip).toBe('198.18.10.21');
    expect(getOption(pxeAck.reply!.packet.options, 67)).toBe('ipxe.efi');
    const laptop = new FakeClient(w, '02:00:00:00:00:01');
    laptop.dora();
    expect(ipToInt(laptop.ip!)).toBeGreaterThanOrEqual(ipToInt('198.18.10.100'));
    expect(ipToInt(laptop.ip!)).toBeLessThanOrEqual(ipToInt('198.18.10.200'));
  });
});

describe('resolveConfig: checks against the interface', () => {
  it("the server's address inside a range is refused, naming the range, the address and the interface", () => {
    const ps = resolveProblems(example(), { address: '198.18.10.150', prefix: 24 });
    expect(ps).toEqual([expect.objectContaining({ field: 'subnets[0].range', message: expect.stringMatching(/contains the server's own address 198\.18\.10\.150 \(interface eth1\)/) })]);
  });

  it('an interface outside the first subnet is refused, naming both', () => {
    const ps = resolveProblems(example(), { address: '192.168.1.5', prefix: 24 });
    expect(ps).toEqual([expect.objectContaining({ field: 'subnets[0].subnet', message: expect.stringMatching(/interface eth1 has 192\.168\.1\.5\/24, which is not in 198\.18\.10\.0\/24.*\(192\.168\.1\.0\/24\)/) })]);
  });

  it('an interface address in a relayed subnet but not the first one is refused too', () => {
    const c = example();
    c.reservations = [];
    const ps = resolveProblems(c, { address: '198.18.50.1', prefix: 24 });
    expect(ps.map((p) => p.field)).toEqual(['subnets[0].subnet']);
  });

  it("a reservation of the server's own address is refused", () => {
    const c = example();
    c.subnets[0]!.router = '198.18.10.254';
    c.subnets[0]!.dns = ['198.18.10.53'];
    c.subnets[0]!.options!['classless-static-route'] = [{ destination: '0.0.0.0/0', router: '198.18.10.254' }];
    c.reservations[0]!.ip = '198.18.10.1';
    const ps = resolveProblems(c);
    expect(ps).toEqual([expect.objectContaining({ field: 'reservations[0].ip', message: expect.stringMatching(/198\.18\.10\.1 is the server's own address \(interface eth1\)/) })]);
  });

  it('reports all interface problems at once', () => {
    const c = example();
    c.subnets[0]!.range = '198.18.10.2-198.18.10.200';
    const ps = resolveProblems(c, { address: '198.18.10.20', prefix: 24 });
    expect(ps.map((p) => p.field).sort()).toEqual(['reservations[0].ip', 'subnets[0].range']);
  });
});

describe('small subnets (decided: /31 works as RFC 3021 point-to-point, /32 is refused, one-address ranges work)', () => {
  it('/31: the server takes one address, the client the other; no network/broadcast exclusion', () => {
    const cfg = resolveConfig(parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/31', range: '198.18.10.1-198.18.10.1' }] }), { address: '198.18.10.0', prefix: 31 });
    const w = new World(cfg);
    const c = new FakeClient(w, '02:00:00:00:00:31', { prl: [1, 28] });
    const ack = c.dora();
    expect(c.ip).toBe('198.18.10.1');
    expect(getOption(ack.reply!.packet.options, 1)).toBe('255.255.255.254');
    expect(getOption(ack.reply!.packet.options, 28)).toBe('255.255.255.255');
    expect(new FakeClient(w, '02:00:00:00:00:32').discover().drop).toBe('pool-exhausted');
  });

  it('/31 with the server inside the range is refused like any other', () => {
    expect(resolveProblems({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/31', range: '198.18.10.0-198.18.10.1' }] }, { address: '198.18.10.0', prefix: 31 }).map((p) => p.field)).toEqual(['subnets[0].range']);
  });

  it('/32 is refused at parse time: there is no room for the server and a client', () => {
    expect(() => parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.1/32', range: '198.18.10.1-198.18.10.1' }] })).toThrow(/single address/);
  });

  it('a one-address range serves one client; the next one meets an exhausted pool', () => {
    const cfg = resolveConfig(parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.100' }] }), IFACE);
    const w = new World(cfg);
    const a = new FakeClient(w, '02:00:00:00:00:41');
    a.dora();
    expect(a.ip).toBe('198.18.10.100');
    const b = new FakeClient(w, '02:00:00:00:00:42');
    expect(b.discover().drop).toBe('pool-exhausted');
    a.release();
    b.dora();
    expect(b.ip).toBe('198.18.10.100');
  });
});
