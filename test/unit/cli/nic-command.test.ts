import { describe, expect, it } from 'vitest';
import { leftoverNote, parseCidrArg } from '../../../src-main/cli/nic-command.js';
import { CliError } from '../../../src-main/cli/errors.js';

describe('pocket-dhcp nic', () => {
  it('ADDRESS/PREFIX argument; a usage error exits 2', () => {
    expect(parseCidrArg('192.168.77.1/24')).toEqual({ address: '192.168.77.1', prefix: 24 });
    for (const bad of ['192.168.77.1', '192.168.77.1/', 'eth1/24', '192.168.77.1/24/1']) {
      expect(() => parseCidrArg(bad)).toThrow(CliError);
      try {
        parseCidrArg(bad);
      } catch (e) {
        expect((e as CliError).exitCode).toBe(2);
      }
    }
  });

  it('serve names interfaces still carrying an address Pocket DHCP set', () => {
    expect(leftoverNote([])).toBeUndefined();
    expect(leftoverNote([{ interface: 'eth1', address: '192.168.77.1', prefix: 24 }])).toBe('note: Pocket DHCP set a static address on eth1 (192.168.77.1/24) and its previous settings are saved — "pocket-dhcp nic restore" puts them back');
  });
});
