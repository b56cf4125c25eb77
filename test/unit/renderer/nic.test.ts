import { describe, expect, it } from 'vitest';
import { elevationLabel, leftoverText, savedByText } from '../../../src-renderer/src/lib/nic.js';

describe('static-address wording', () => {
  it('elevation, who set it, the crash offer', () => {
    expect(elevationLabel('pkexec')).toBe('as administrator (the system asks for your password)');
    expect(elevationLabel('none')).toBe('directly');
    expect(savedByText({ by: 'app', appliedAt: Date.UTC(2026, 10, 23, 9, 32) }, 'en-GB')).toMatch(/^Set by Pocket DHCP on 23 Nov/);
    expect(savedByText({ by: 'cli', appliedAt: 0 })).toMatch(/^Set by pocket-dhcp nic set on/);
    const s = { interface: 'eth1', address: '192.168.77.1', prefix: 24, previous: 'no IPv4 address, disabled', complete: true };
    expect(leftoverText([s])).toBe('eth1 still has 192.168.77.1/24, set by Pocket DHCP in an earlier session that ended without putting back its previous settings (no IPv4 address, disabled).');
    expect(leftoverText([s, { ...s, interface: 'eth2', complete: false }])).toMatch(/^eth1 \(192\.168\.77\.1\/24\), eth2 \(192\.168\.77\.1\/24\) still have/);
  });
});
