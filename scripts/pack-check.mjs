#!/usr/bin/env node
// `npm run pack:check`: what can be verified about packaging on a machine that cannot download
// Electron (TOOLCHAIN.md) — in about 15 s:
//   1. electron-builder.yml passes electron-builder's own schema validation;
//   2. `electron-builder --linux dir -c.electronDist=<stand-in>` builds the unpacked app, where the
//      stand-in is a folder with a fake `electron` executable (the only target electron-builder
//      builds without downloading its tools);
//   3. the tree holds what the app needs: the main/CLI bundles, the CommonJS preload, the renderer,
//      the production node_modules (oui-data's vendor table among them), koffi's native binary
//      *unpacked* from app.asar, the tray icons,
//      and none of the sources, tests or benchmarks;
//   4. the packaged CLI runs from that tree (extracted, with plain Node): `--version`, koffi loads
//      from the packaged node_modules, and the privileged helper answers its hello over stdio.
// Real installers (AppImage, deb, dmg, nsis, portable) need a normal machine: `npm run dist`.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, maxBuffer: 32 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, ...opts.env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The folder electron-builder copies instead of downloading Electron: an executable named `electron`. */
export function makeStandIn(dir) {
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'electron');
  writeFileSync(bin, '#!/bin/sh\necho "stand-in for the Electron binary (pack:check)"\n');
  chmodSync(bin, 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
  writeFileSync(join(dir, 'version'), `${require('electron/package.json').version}\n`);
  return dir;
}

/** Validates electron-builder.yml with electron-builder's schema; returns the loaded configuration. */
export async function validateBuilderConfig(projectDir = ROOT) {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

function helloFrom(cli, dataDir, timeoutMs = 20_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'helper', '--stdio', '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) child.stdin.end(); // hello received: closing stdin stops the helper
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(t);
      let hello;
      try {
        hello = JSON.parse(out.split('\n')[0]);
      } catch {
        hello = undefined;
      }
      resolve({ code, hello, stderr: err });
    });
  });
}

export async function packCheck({ keep = false, log = () => {} } = {}) {
  const started = Date.now();
  const checks = [];
  const check = (name, ok, detail = '') => {
    checks.push({ name, ok: Boolean(ok), detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
    return ok;
  };
  const work = mkdtempSync(join(tmpdir(), 'pocket-dhcp-pack-'));
  try {
    for (const f of ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      if (!existsSync(join(ROOT, f))) {
        check('the app is built', false, `${f} is missing — run "npm run build" first`);
        return { ok: false, checks, seconds: (Date.now() - started) / 1000, work };
      }
    }
    let config;
    try {
      config = await validateBuilderConfig();
      check('electron-builder.yml is valid', true, `appId ${config.appId}, targets: linux ${config.linux.target.map((t) => t.target).join('+')}, mac ${config.mac.target.map((t) => t.target).join('+')}, win ${config.win.target.map((t) => t.target).join('+')}`);
    } catch (e) {
      check('electron-builder.yml is valid', false, e.message.split('\n')[0]);
    }
    for (const f of ['resources/icons/icon.icns', 'resources/icons/icon.ico', 'resources/icons/png/512x512.png', 'resources/icons/tray/tray.png', 'resources/icons/tray/trayTemplate@2x.png']) check(`icon ${f}`, existsSync(join(ROOT, f)));

    const standIn = makeStandIn(join(work, 'electron-dist'));
    const output = join(work, 'dist');
    const builder = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
    const r = await run(process.execPath, [builder, '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${standIn}`, `-c.directories.output=${output}`], { timeoutMs: 180_000 });
    if (!check('electron-builder --linux dir with the stand-in Electron', r.code === 0, r.code === 0 ? '' : (r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | '))) {
      return { ok: false, checks, seconds: (Date.now() - started) / 1000, work };
    }
    const app = join(output, 'linux-unpacked');
    const exe = join(app, 'pocket-dhcp');
    check('executable renamed to pocket-dhcp', existsSync(exe) && (statSync(exe).mode & 0o111) !== 0);
    const asarPath = join(app, 'resources', 'app.asar');
    check('resources/app.asar', existsSync(asarPath));
    const asar = require('@electron/asar');
    const files = new Set(asar.listPackage(asarPath, { isPack: false }).map((f) => f.replace(/\\/g, '/')));
    for (const f of ['/package.json', '/out/main/index.js', '/out/main/cli.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/koffi/package.json', '/node_modules/nedb-promises/package.json', '/node_modules/zod/package.json', '/node_modules/oui-data/package.json', '/node_modules/oui-data/index.json']) check(`app.asar has ${f}`, files.has(f));
    // The offline vendor table (devices/oui.ts reads it at run time; nothing is downloaded): the whole IEEE registry, not a stub.
    const ouiBytes = files.has('/node_modules/oui-data/index.json') ? asar.statFile(asarPath, 'node_modules/oui-data/index.json').size : 0;
    check('the OUI vendor table (oui-data) is in app.asar, complete', ouiBytes > 1_000_000, `${(ouiBytes / 1e6).toFixed(1)} MB`);
    const leaked = [...files].filter((f) => /^\/(src-main|src-renderer|test|bench|\.ci|resources\/screenshots)(\/|$)/.test(f) || f.endsWith('.map'));
    check('app.asar has no sources, tests, benchmarks or source maps', leaked.length === 0, leaked.slice(0, 5).join(', '));
    check('app.asar has no dev dependencies (electron, vitest, playwright)', !files.has('/node_modules/electron/package.json') && !files.has('/node_modules/vitest/package.json') && !files.has('/node_modules/playwright-core/package.json'));
    const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8'));
    check('package.json main is out/main/index.js', pkg.main === 'out/main/index.js', pkg.main);
    const arch = process.arch;
    const unpackedNode = join(app, 'resources', 'app.asar.unpacked', 'node_modules', '@koromix', `koffi-linux-${arch}`, `linux_${arch}`, 'koffi.node');
    check(`koffi's native binary is unpacked from app.asar (${arch})`, existsSync(unpackedNode), unpackedNode.slice(app.length + 1));
    check('tray icons in resources/icons/tray', existsSync(join(app, 'resources', 'icons', 'tray', 'tray.png')) && existsSync(join(app, 'resources', 'icons', 'tray', 'trayTemplate@2x.png')));

    // The packaged CLI (what ELECTRON_RUN_AS_NODE runs as the helper), run from an extracted copy.
    const extracted = join(work, 'extracted');
    asar.extractAll(asarPath, extracted);
    const cli = join(extracted, 'out', 'main', 'cli.js');
    const v = await run(process.execPath, [cli, '--version']);
    check('packaged CLI runs (--version)', v.code === 0 && v.stdout.trim() === pkg.version, v.stdout.trim() || v.stderr.trim().split('\n')[0]);
    const k = await run(process.execPath, ['--input-type=module', '-e', `const k = await import(${JSON.stringify(join(extracted, 'node_modules', 'koffi', 'index.js'))}); console.log(typeof k.default.load)`]);
    check('koffi loads from the packaged node_modules', k.stdout.trim() === 'function', (k.stdout || k.stderr).trim().split('\n')[0]);
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const h = await helloFrom(cli, dataDir);
    check('packaged helper says hello over stdio and exits when stdin closes', h.hello?.type === 'hello' && h.code === 0, h.hello ? `protocol ${h.hello.protocol}, exit ${h.code}` : h.stderr.trim().split('\n')[0]);
    return { ok: checks.every((c) => c.ok), checks, seconds: (Date.now() - started) / 1000, work };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const keep = process.argv.includes('--keep');
  const r = await packCheck({ keep, log: (l) => console.log(l) });
  console.log(`pack:check ${r.ok ? 'passed' : 'FAILED'}: ${r.checks.filter((c) => c.ok).length}/${r.checks.length} checks in ${r.seconds.toFixed(1)} s${keep ? ` (kept ${r.work})` : ''}`);
  process.exitCode = r.ok ? 0 : 1;
}
