// Colon hex of hardware addresses and client identifiers (formatHw, hwAddress, clientKey): written
// per packet through a scratch buffer; must equal the plain byte-by-byte formatting for any bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHw } from '../../../src-main/dhcp/ip.js';
import { clientKey, emptyPacket, hwAddress } from '../../../src-main/dhcp/packet.js';

const plain = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');

describe('formatHw', () => {
  it('is colon hex of the bytes, with an optional leading byte, for any length (longer than the scratch too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }), (bytes, first) => {
        expect(formatHw(bytes, first)).toBe(plain(first === undefined ? bytes : [first, ...bytes]));
      }),
      { numRuns: 500 },
    );
    expect(formatHw(new Uint8Array(0))).toBe('');
    expect(formatHw(new Uint8Array(0), 1)).toBe('01');
    expect(formatHw(Uint8Array.of(0, 0x0c, 0xab, 0xff, 1, 2))).toBe('00:0c:ab:ff:01:02');
  });

  it('hwAddress and clientKey: chaddr by hlen, htype + chaddr without option 61, option 61 as sent', () => {
    const p = emptyPacket();
    p.chaddr.set([0xaa, 0xbb, 0xcc, 0, 1, 0xfe, 7, 7]);
    expect(hwAddress(p)).toBe('aa:bb:cc:00:01:fe');
    expect(clientKey(p)).toBe('01:aa:bb:cc:00:01:fe');
    p.htype = 6;
    p.hlen = 8;
    expect(clientKey(p)).toBe('06:aa:bb:cc:00:01:fe:07:07');
    p.options.set(61, Uint8Array.of(0, 0x66, 0x6f, 0x6f));
    expect(clientKey(p)).toBe('00:66:6f:6f');
    // Two results in a row are independent strings (the scratch buffer is reused).
    const a = hwAddress(p);
    p.chaddr[0] = 0x11;
    expect(a).toBe('aa:bb:cc:00:01:fe:07:07');
    expect(hwAddress(p)).toBe('11:bb:cc:00:01:fe:07:07');
  });
});
