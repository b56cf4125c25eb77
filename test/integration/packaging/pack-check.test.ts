// `npm run pack:check` as a test: electron-builder builds the unpacked Linux app with a stand-in
// Electron (nothing downloaded), and the tree holds the app, the CJS preload, the renderer, koffi's
// native binary unpacked from app.asar, the OUI vendor table (oui-data); the packaged CLI and helper run from it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packCheck } from '../../../scripts/pack-check.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');
const built = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) => existsSync(resolve(ROOT, f)));
const skip = process.platform !== 'linux' ? 'the stand-in build is the Linux "dir" target' : !built ? 'the app is not built (npm run build; npm test does it)' : undefined;
if (skip) console.warn(`[pack:check] skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`packaging with a stand-in Electron${skip ? ` — skipped: ${skip}` : ''}`, () => {
  it('electron-builder --linux dir builds a complete unpacked app', async () => {
    const r = await packCheck();
    const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    expect(failed).toEqual([]);
    // The offline OUI vendor table ships inside app.asar (devices/oui.ts; no download at run time).
    for (const name of ['app.asar has /node_modules/oui-data/index.json', 'the OUI vendor table (oui-data) is in app.asar, complete']) expect(r.checks.find((c) => c.name === name)?.ok, name).toBe(true);
    expect(r.checks.length).toBeGreaterThanOrEqual(25);
    expect(r.seconds).toBeLessThan(60);
  }, 120_000);
});
