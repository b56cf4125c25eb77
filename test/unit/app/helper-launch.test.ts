// How the desktop app runs its own CLI as root (the helper, one-off nic changes): the Electron
// binary in Node mode through pkexec, and every case where that cannot work, said up front.
import { describe, expect, it } from 'vitest';
import { appNicElevation, cliLauncher, helperCommand, type LaunchFacts } from '../../../src-main/app/helper-launch.js';

const facts = (o: Partial<LaunchFacts> = {}): LaunchFacts => ({
  platform: 'linux',
  execPath: '/opt/Pocket DHCP/pocket-dhcp',
  electron: true,
  cliPath: '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js',
  pkexec: '/usr/bin/pkexec',
  polkitAgent: true,
  ...o,
});

describe('helper launch', () => {
  it('packaged Electron: pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 <app> <app.asar/out/main/cli.js> helper --stdio --data-dir DIR', () => {
    const r = helperCommand(facts(), '/home/ana/.local/share/pocket-dhcp');
    if (!r.ok) throw new Error(r.reason);
    expect(r.command.argv).toEqual(['/usr/bin/pkexec', '/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/opt/Pocket DHCP/pocket-dhcp', '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js', 'helper', '--stdio', '--data-dir', '/home/ana/.local/share/pocket-dhcp']);
    expect(r.command.text).toBe("/usr/bin/pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 '/opt/Pocket DHCP/pocket-dhcp' '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js' helper --stdio --data-dir /home/ana/.local/share/pocket-dhcp");
    // Plain Node (development): no variable needed.
    expect(cliLauncher(facts({ electron: false, execPath: '/usr/bin/node', cliPath: '/src/out/main/cli.js' }))).toEqual({ ok: true, argv: ['/usr/bin/node', '/src/out/main/cli.js'], env: {} });
  });

  it('says why it cannot: not Linux, AppImage (FUSE mount root cannot read), no pkexec, no polkit agent', () => {
    expect(cliLauncher(facts({ platform: 'darwin' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/for Linux/) });
    expect(cliLauncher(facts({ appImage: '/home/ana/Pocket.AppImage' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/AppImage.*FUSE.*install the \.deb/) });
    expect(cliLauncher(facts({ pkexec: undefined }))).toMatchObject({ ok: false, reason: expect.stringMatching(/pkexec is not installed/) });
    expect(cliLauncher(facts({ polkitAgent: false }))).toMatchObject({ ok: false, reason: expect.stringMatching(/no polkit authentication agent/) });
  });

  it('static address in the app: direct with CAP_NET_ADMIN, else pkexec of the CLI / osascript / UAC', () => {
    expect(appNicElevation(facts(), true)).toEqual({ kind: 'direct' });
    expect(appNicElevation(facts(), false)).toEqual({ kind: 'pkexec-cli', launcher: ['/opt/Pocket DHCP/pocket-dhcp', '/opt/Pocket DHCP/resources/app.asar/out/main/cli.js'], env: { ELECTRON_RUN_AS_NODE: '1' }, pkexec: '/usr/bin/pkexec' });
    expect(appNicElevation(facts({ polkitAgent: false }), false)).toMatchObject({ kind: 'pkexec-cli', unavailable: expect.stringMatching(/no polkit authentication agent.*Run the commands shown in a terminal instead/) });
    expect(appNicElevation(facts({ platform: 'darwin' }), false)).toEqual({ kind: 'osascript' });
    expect(appNicElevation(facts({ platform: 'win32' }), false)).toEqual({ kind: 'uac' });
  });
});
