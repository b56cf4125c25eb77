// The committed icons are what build-icons.mjs writes: valid ICO and ICNS containers holding the
// sizes each platform looks for, and PNGs of the size their names say.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ICONS = resolve(import.meta.dirname, '../../../resources/icons');
const pngSize = (b: Buffer) => (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? [b.readUInt32BE(16), b.readUInt32BE(20)] : undefined);

describe('icons', () => {
  it('PNGs per size (Linux) and the tray set', () => {
    for (const s of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) expect(pngSize(readFileSync(`${ICONS}/png/${s}x${s}.png`)), `${s}`).toEqual([s, s]);
    for (const n of ['tray', 'tray-warning', 'trayTemplate', 'trayWarningTemplate']) {
      expect(pngSize(readFileSync(`${ICONS}/tray/${n}.png`))).toEqual([16, 16]);
      expect(pngSize(readFileSync(`${ICONS}/tray/${n}@2x.png`))).toEqual([32, 32]);
    }
  });

  it('ICO: 7 images, 32-bit, BMP below 256 px and PNG at 256, offsets and sizes consistent', () => {
    const b = readFileSync(`${ICONS}/icon.ico`);
    expect([b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const sizes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const e = 6 + i * 16;
      const w = b.readUInt8(e) || 256;
      const len = b.readUInt32LE(e + 8);
      const off = b.readUInt32LE(e + 12);
      expect(b.readUInt16LE(e + 6)).toBe(32);
      expect(off + len).toBeLessThanOrEqual(b.length);
      const img = b.subarray(off, off + len);
      if (w === 256) expect(pngSize(img)).toEqual([256, 256]);
      else {
        expect([img.readUInt32LE(0), img.readInt32LE(4), img.readInt32LE(8), img.readUInt16LE(14)]).toEqual([40, w, 2 * w, 32]);
        expect(len).toBe(40 + w * w * 4 + Math.ceil(w / 32) * 4 * w);
      }
      sizes.push(w);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('ICNS: header length = file length, PNG entries from 16 to 1024', () => {
    const b = readFileSync(`${ICONS}/icon.icns`);
    expect(b.toString('latin1', 0, 4)).toBe('icns');
    expect(b.readUInt32BE(4)).toBe(b.length);
    const found: Record<string, number[] | undefined> = {};
    for (let off = 8; off < b.length; ) {
      const type = b.toString('latin1', off, off + 4);
      const len = b.readUInt32BE(off + 4);
      found[type] = pngSize(b.subarray(off + 8, off + len));
      off += len;
    }
    expect(found).toEqual({ icp4: [16, 16], ic11: [32, 32], icp5: [32, 32], ic12: [64, 64], icp6: [64, 64], ic07: [128, 128], ic13: [256, 256], ic08: [256, 256], ic14: [512, 512], ic09: [512, 512], ic10: [1024, 1024] });
  });
});
