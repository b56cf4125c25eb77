// planStart: the start-up checks shared by the CLI, Electron and web mode (pure).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/schema.js';
import { NetError } from '../../../src-main/net/net-error.js';
import { CLI_HINTS, planStart, StartupError, startupErrorFromNet, UI_HINTS } from '../../../src-main/server/startup.js';
import { fakeInterface } from '../../helpers/memory-transport.js';

const cfg = (over: Record<string, unknown> = {}) =>
  parseConfig({ interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1' }], ...over });

function refusal(fn: () => unknown): StartupError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StartupError);
    return e as StartupError;
  }
  throw new Error('expected a StartupError');
}

describe('planStart', () => {
  it('picks the static address inside subnets[0] and resolves the engine config', () => {
    const itf = fakeInterface('sv0', [
      { address: '198.18.99.5', prefix: 24 },
      { address: '198.18.10.7', prefix: 24, dynamic: true },
      { address: '198.18.10.1', prefix: 24 },
    ]);
    const plan = planStart(cfg(), [itf]);
    expect(plan.address).toMatchObject({ address: '198.18.10.1', prefix: 24 });
    expect(plan.engineConfig.serverId).toBe('198.18.10.1');
    expect(plan.warnings).toEqual([]);
  });

  it('unknown interface: code interface, field interface, names the available ones', () => {
    const e = refusal(() => planStart(cfg({ interface: 'nosuch0' }), [fakeInterface('sv0', []), fakeInterface('lo', [], { loopback: true })]));
    expect(e.code).toBe('interface');
    expect(e.field).toBe('interface');
    expect(e.message).toContain('"nosuch0" does not exist');
    expect(e.message).toContain('available: sv0');
    expect(e.message).not.toContain('lo,');
  });

  it('no IPv4 (or only 169.254): code no-ipv4 with the command to fix it', () => {
    for (const ipv4 of [[], [{ address: '169.254.3.4', prefix: 16 }]]) {
      const e = refusal(() => planStart(cfg(), [fakeInterface('sv0', ipv4)]));
      expect(e.code).toBe('no-ipv4');
      expect(e.message).toContain('sudo ip addr add 198.18.10.1/24 dev sv0');
      expect(e.field).toBeUndefined();
    }
  });

  it('a DHCP-assigned address is refused unless allowed; the hint fits the front end', () => {
    const itf = fakeInterface('sv0', [{ address: '198.18.10.9', prefix: 24, dynamic: true }]);
    const cli = refusal(() => planStart(cfg(), [itf], { hints: CLI_HINTS }));
    expect(cli.code).toBe('foreign-network');
    expect(cli.message).toContain('--allow-foreign-network');
    const ui = refusal(() => planStart(cfg(), [itf], { hints: UI_HINTS }));
    expect(ui.message).toContain('Allow foreign network');
    expect(planStart(cfg(), [itf], { allowForeignNetwork: true }).address.address).toBe('198.18.10.9');
  });

  it('server address in the range, or outside subnets[0]: code config naming the field', () => {
    const inRange = refusal(() => planStart(cfg(), [fakeInterface('sv0', [{ address: '198.18.10.120', prefix: 24 }])]));
    expect(inRange.code).toBe('config');
    expect(inRange.field).toBe('subnets[0].range');
    expect(inRange.message).toContain('198.18.10.120');
    const outside = refusal(() => planStart(cfg(), [fakeInterface('sv0', [{ address: '198.18.50.1', prefix: 24 }])]));
    expect(outside.field).toBe('subnets[0].subnet');
  });

  it('warns about a missing link but plans anyway', () => {
    const plan = planStart(cfg(), [fakeInterface('sv0', [{ address: '198.18.10.1', prefix: 24 }], { up: false })]);
    expect(plan.warnings[0]).toMatch(/no link/);
  });

  it('socket errors map to codes and keep their message', () => {
    expect(startupErrorFromNet(new NetError('EADDRINUSE', 'Port 67 on sv0 is already in use by dnsmasq (pid 1)')).code).toBe('port-busy');
    expect(startupErrorFromNet(new NetError('EACCES', 'needs privileges')).code).toBe('privileges');
    expect(startupErrorFromNet(new NetError('ENODEV', 'gone')).code).toBe('interface');
    expect(startupErrorFromNet(new NetError('NO_FFI', 'koffi')).code).toBe('platform');
    const e = startupErrorFromNet(new NetError('UNKNOWN', 'something odd — try again'));
    expect(e).toMatchObject({ code: 'socket', message: 'something odd — try again' });
  });
});
