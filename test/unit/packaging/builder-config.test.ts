// electron-builder.yml as electron-builder itself loads and validates it, plus what we rely on:
// the targets users get, the app id, koffi unpacked from the archive, nothing rebuilt (which would
// download Electron headers), and the icons it names exist.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBuilderConfig } from '../../../scripts/pack-check.mjs';
import { APP_ID } from '../../../src-main/app/app-id.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema and declares the release targets', async () => {
    const c = await validateBuilderConfig(ROOT);
    expect(c.appId).toBe('org.pocketdhcp.PocketDHCP');
    // Windows shows the app's notifications under the AppUserModelID main.ts sets: it must be this id.
    expect(APP_ID).toBe(c.appId);
    expect(c.productName).toBe('Pocket DHCP');
    const targets = (p: { target: Array<{ target: string; arch: string[] }> }) => p.target.map((t) => `${t.target}:${t.arch.join('+')}`);
    expect(targets(c.linux)).toEqual(['AppImage:x64+arm64', 'deb:x64+arm64']);
    expect(targets(c.mac)).toEqual(['dmg:x64+arm64']);
    expect(targets(c.win)).toEqual(['nsis:x64+arm64', 'portable:x64']);
    expect(c.linux.executableName).toBe('pocket-dhcp');
    expect(c.deb.recommends).toEqual(['pkexec | policykit-1']);
    expect(c.asar).toBe(true);
    expect(c.asarUnpack).toEqual(['**/*.node', '**/node_modules/@koromix/koffi-*/**']);
    expect([c.npmRebuild, c.nodeGypRebuild]).toEqual([false, false]);
    expect(c.files).toEqual([{ filter: ['out/**/*', 'package.json', '!**/*.map'] }]);
    expect(c.publish).toBeNull();
  });

  it('the icons and entitlements it names are there', async () => {
    const c = await validateBuilderConfig(ROOT);
    for (const f of [c.mac.icon, c.win.icon, c.mac.entitlements, join(c.linux.icon, '16x16.png'), join(c.linux.icon, '512x512.png'), ...c.extraResources.map((r: { from: string }) => r.from)]) {
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });
});
