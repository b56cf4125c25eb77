#!/usr/bin/env node
// Renders the hand-written SVG icons into every file packaging needs (npm run icons), with the
// Chromium that is already installed (playwright-core drives it; nothing is downloaded):
//   png/NxN.png          Linux (electron-builder linux.icon), 16…1024
//   icon.png             512 px (window icon, docs)
//   icon.ico             Windows: 16–128 as 32-bit BMP entries (what every Windows tool reads) + 256 as PNG
//   icon.icns            macOS: PNG entries icp4…ic10 (16 … 512@2x)
//   tray/tray[-warning][@2x].png               tray while serving (Linux, Windows)
//   tray/tray[Warning]Template[@2x].png        macOS menu-bar templates
// ICO and ICNS are written here: both are small containers of images (see writeIco/writeIcns).
// The generated files are committed; run this again after editing an SVG.
//   CHROMIUM_PATH=/path/to/chromium npm run icons
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const read = (p) => readFileSync(join(HERE, p), 'utf8');
const ICON = read('icon.svg');
const SMALL = read('icon-small.svg');
const TRAY = read('tray/tray.svg');
const TEMPLATE = read('tray/tray-template.svg');
const AMBER_BADGE = '<circle cx="12.4" cy="12.4" r="3.1" fill="#f5a524" stroke="#ffffff" stroke-width="1.1"/>';
const TEMPLATE_BADGE = '<circle cx="13" cy="13" r="2.7" fill="#000000"/>';

/** Renders an SVG at size×size: the PNG (Chromium's encoder) and the raw RGBA pixels (for BMP). */
async function render(page, svg, size) {
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const out = await page.evaluate(
    async ({ dataUrl, size }) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = size;
      c.height = size;
      const ctx = c.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(img, 0, 0, size, size);
      const rgba = ctx.getImageData(0, 0, size, size).data;
      let bin = '';
      for (let i = 0; i < rgba.length; i += 0x8000) bin += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
      return { png: c.toDataURL('image/png').split(',')[1], rgba: btoa(bin) };
    },
    { dataUrl, size },
  );
  return { size, png: Buffer.from(out.png, 'base64'), rgba: Buffer.from(out.rgba, 'base64') };
}

/** A 32-bit BMP (DIB) icon image: BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask. */
function dib({ size, rgba }) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR + AND bitmaps
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(0, 16); // BI_RGB
  header.writeUInt32LE(size * size * 4, 20);
  const xor = Buffer.alloc(size * size * 4);
  const maskRow = Math.ceil(size / 32) * 4;
  const and = Buffer.alloc(maskRow * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = ((size - 1 - y) * size + x) * 4;
      const d = (y * size + x) * 4;
      xor[d] = rgba[s + 2];
      xor[d + 1] = rgba[s + 1];
      xor[d + 2] = rgba[s];
      xor[d + 3] = rgba[s + 3];
      // Readers that ignore alpha use the mask: 1 = transparent.
      if (rgba[s + 3] === 0) and[y * maskRow + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, xor, and]);
}

/** ICO: ICONDIR, one ICONDIRENTRY per image, then the images (BMP below 256 px, PNG at 256). */
export function writeIco(images) {
  const dir = Buffer.alloc(6);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // 1 = icon
  dir.writeUInt16LE(images.length, 4);
  const entries = [];
  const blobs = [];
  let offset = 6 + 16 * images.length;
  for (const img of images) {
    const data = img.size >= 256 ? img.png : dib(img);
    const e = Buffer.alloc(16);
    e.writeUInt8(img.size >= 256 ? 0 : img.size, 0); // 0 means 256
    e.writeUInt8(img.size >= 256 ? 0 : img.size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
    blobs.push(data);
  }
  return Buffer.concat([dir, ...entries, ...blobs]);
}

/** ICNS: "icns" + total length, then (OSType, length incl. its 8-byte header, PNG data) per entry. */
export function writeIcns(entries) {
  const parts = entries.map(([type, png]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 4, 'latin1');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 4, 'latin1');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    const app = {};
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) app[size] = await render(page, size <= 24 ? SMALL : ICON, size);

    mkdirSync(join(HERE, 'png'), { recursive: true });
    for (const size of Object.keys(app)) writeFileSync(join(HERE, 'png', `${size}x${size}.png`), app[size].png);
    writeFileSync(join(HERE, 'icon.png'), app[512].png);
    writeFileSync(join(HERE, 'icon.ico'), writeIco([16, 24, 32, 48, 64, 128, 256].map((s) => app[s])));
    writeFileSync(
      join(HERE, 'icon.icns'),
      writeIcns([
        ['icp4', app[16].png],
        ['ic11', app[32].png],
        ['icp5', app[32].png],
        ['ic12', app[64].png],
        ['icp6', app[64].png],
        ['ic07', app[128].png],
        ['ic13', app[256].png],
        ['ic08', app[256].png],
        ['ic14', app[512].png],
        ['ic09', app[512].png],
        ['ic10', app[1024].png],
      ]),
    );

    const tray = (svg, badge) => svg.replaceAll('{{WARNING}}', badge);
    const trayFiles = [
      ['tray', tray(TRAY, '')],
      ['tray-warning', tray(TRAY, AMBER_BADGE)],
      ['trayTemplate', tray(TEMPLATE, '')],
      ['trayWarningTemplate', tray(TEMPLATE, TEMPLATE_BADGE)],
    ];
    for (const [name, svg] of trayFiles) {
      writeFileSync(join(HERE, 'tray', `${name}.png`), (await render(page, svg, 16)).png);
      writeFileSync(join(HERE, 'tray', `${name}@2x.png`), (await render(page, svg, 32)).png);
    }
    console.log(`icons written to ${HERE}: png/ (9 sizes), icon.png, icon.ico (7 images), icon.icns (11 entries), tray/ (8 files)`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
