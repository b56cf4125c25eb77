// `npm start`: build the app, then open the desktop window with the Electron runtime.
//
// npm's `electron` package fetches its runtime from GitHub the first time it is used (not at
// install). When that cannot happen (offline, a proxy, a machine without GitHub access), Electron
// itself only throws a stack trace; this says what happened and what to do instead — the same UI
// runs headless in a browser (`pocket-dhcp serve --web`), which needs nothing downloaded.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('\npocket-dhcp: the build failed (see above); nothing was started.');
  process.exit(build.status ?? 1);
}

let electron;
try {
  electron = require('electron'); // the runtime's path; fetched on first use
} catch (e) {
  console.error(
    [
      '',
      'pocket-dhcp: the desktop window needs the Electron runtime, and it could not be fetched.',
      `  (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
      '  npm\'s electron package downloads it from GitHub on first start. Check the network or proxy',
      '  (or set ELECTRON_MIRROR to a mirror you can reach), then run `npm start` again.',
      '  Meanwhile the same UI runs in your browser, with nothing to download:',
      '    sudo npx pocket-dhcp serve --web 8080      (then open the address it prints)',
    ].join('\n'),
  );
  process.exit(1);
}

const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => {
  console.error(`pocket-dhcp: could not start Electron (${electron}): ${e.message}`);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
