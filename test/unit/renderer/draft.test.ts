// Live validation in the renderer runs the engine's own parseConfig — in a browser, with the
// small Buffer stand-in the renderer installs. Both are checked here.
import { describe, expect, it } from 'vitest';
import { MiniBuffer, installBufferShim } from '../../../src-renderer/src/lib/buffer-shim.js';
import { asList, fieldId, fieldLabel, problemsFor, validateDraft, type Draft } from '../../../src-renderer/src/lib/draft.js';

const good = (): Draft => ({
  interface: 'eth1',
  leaseTime: 3600,
  subnets: [
    {
      subnet: '192.168.77.0/24',
      range: '192.168.77.100-192.168.77.150',
      router: ['192.168.77.1'],
      dns: ['192.168.77.1'],
      domain: 'lab.local',
      options: { 'ntp-servers': ['192.168.77.1'], 'tftp-server-name': 'boot.lab', 'domain-search': ['lab.local'], 'vendor-encapsulated-options': '01:02:ab' },
    },
  ],
  reservations: [{ mac: 'b8:27:eb:00:00:01', ip: '192.168.77.21', hostname: 'pi-01', clientId: '01:b8:27:eb:00:00:01' }],
});

/** Runs `fn` with globalThis.Buffer replaced by the renderer's stand-in. */
function withShim<T>(fn: () => T): T {
  const g = globalThis as unknown as { Buffer: unknown };
  const real = g.Buffer;
  g.Buffer = MiniBuffer;
  try {
    return fn();
  } finally {
    g.Buffer = real;
  }
}

describe('validateDraft', () => {
  it('a complete draft has no problems (with Node’s Buffer and with the stand-in)', () => {
    expect(validateDraft(good())).toEqual([]);
    expect(withShim(() => validateDraft(good()))).toEqual([]);
  });

  it('names the field of every problem, the same with the stand-in', () => {
    const d = good();
    d.subnets![0]!.range = '192.168.77.150-192.168.77.100';
    d.subnets![0]!.options = { 'tftp-server-name': '', 'vendor-encapsulated-options': 'xyz', 'domain-search': ['bad..name'] };
    d.reservations!.push({ mac: 'B8-27-EB-00-00-01', ip: '192.168.77.22' });
    const problems = validateDraft(d);
    expect(withShim(() => validateDraft(d))).toEqual(problems);
    expect(problems.map((p) => p.field).sort()).toEqual([
      'reservations[1].mac',
      'subnets[0].options.domain-search',
      'subnets[0].options.tftp-server-name',
      'subnets[0].options.vendor-encapsulated-options',
      'subnets[0].range',
    ]);
  });

  it('an empty draft says what is required', () => {
    expect(validateDraft({}).map((p) => p.field)).toEqual(['interface', 'subnets']);
  });
});

describe('Buffer stand-in', () => {
  it('converts like Node’s Buffer for what the shared code uses', () => {
    for (const [text, enc] of [
      ['0102abff', 'hex'],
      ['héllo wörld ✓', 'utf8'],
      ['lab\u00e9\u00ff', 'latin1'],
    ] as const) {
      expect([...MiniBuffer.from(text, enc)]).toEqual([...Buffer.from(text, enc)]);
    }
    const bytes = Uint8Array.from([0, 1, 0xab, 0xff, 0x41]);
    for (const enc of ['hex', 'latin1'] as const) {
      expect(MiniBuffer.from(bytes.buffer, 1, 3).toString(enc)).toBe(Buffer.from(bytes.buffer, 1, 3).toString(enc));
    }
    expect(MiniBuffer.byteLength('ü')).toBe(2);
  });

  it('is installed only where no Buffer exists', () => {
    const bare: Record<string, unknown> = {};
    installBufferShim(bare);
    expect(bare.Buffer).toBe(MiniBuffer);
    const withReal: Record<string, unknown> = { Buffer };
    installBufferShim(withReal);
    expect(withReal.Buffer).toBe(Buffer);
  });
});

describe('field helpers', () => {
  it('ids, labels, lists and problem lookup', () => {
    expect(fieldId('subnets[0].range')).toBe('field-subnets-0-range');
    expect(fieldId('reservations[12].ip')).toBe('field-reservations-12-ip');
    expect(fieldId('subnets[0].options.ntp-servers')).toBe('field-subnets-0-options-ntp-servers');
    expect(fieldLabel('subnets[0].range')).toBe('Range');
    expect(fieldLabel('subnets[1].router')).toBe('Relay subnet 1: Router');
    expect(fieldLabel('reservations[2].ip')).toBe('Reservation 3 (IP)');
    expect(fieldLabel('interface')).toBe('Interface');
    expect(asList('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(asList(['a', 3, 'b'])).toEqual(['a', 'b']);
    expect(asList(undefined)).toEqual([]);
    const ps = [
      { field: 'subnets[0].range', message: 'a' },
      { field: 'subnets[0].options.ntp-servers', message: 'b' },
      { field: 'subnets[0].rangeX', message: 'c' },
    ];
    expect(problemsFor(ps, 'subnets[0].range').map((p) => p.message)).toEqual(['a']);
    expect(problemsFor(ps, 'subnets[0]').map((p) => p.message)).toEqual(['a', 'b', 'c']);
  });
});
