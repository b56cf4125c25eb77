// The administrator step per OS as argv (shown to the user first), what its exit codes mean, and
// whether pkexec can ask for a password at all (a polkit agent must be running).
import { describe, expect, it } from 'vitest';
import { appleString, classifyElevation, elevationMessage, hasPolkitAgent, isPolkitAgent, macShellCommand, osascriptArgv, pkexecArgv, uacArgv } from '../../../src-main/net/elevate.js';

describe('elevation argv', () => {
  it('pkexec: environment through /usr/bin/env (pkexec clears it)', () => {
    expect(pkexecArgv(['ip', 'addr', 'add', '10.0.0.1/24', 'dev', 'eth1'])).toEqual(['pkexec', 'ip', 'addr', 'add', '10.0.0.1/24', 'dev', 'eth1']);
    expect(pkexecArgv(['/opt/app/pocket-dhcp', 'cli.js', 'helper', '--stdio'], { ELECTRON_RUN_AS_NODE: '1' }, '/usr/bin/pkexec')).toEqual(['/usr/bin/pkexec', '/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/opt/app/pocket-dhcp', 'cli.js', 'helper', '--stdio']);
  });

  it('osascript: every word single-quoted for sh, the script an AppleScript string, steps joined with &&', () => {
    expect(macShellCommand([['/usr/sbin/networksetup', '-setmanual', 'USB 10/100/1000 LAN', '192.168.77.1', '255.255.255.0']])).toBe("/usr/sbin/networksetup -setmanual 'USB 10/100/1000 LAN' 192.168.77.1 255.255.255.0");
    expect(macShellCommand([['a'], ['b', 'c d']])).toBe("a && b 'c d'");
    expect(appleString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    const argv = osascriptArgv([['/usr/sbin/networksetup', '-setdhcp', 'Wi-Fi']], 'Pocket DHCP wants to restore the interface.');
    expect(argv).toEqual(['/usr/bin/osascript', '-e', 'do shell script "/usr/sbin/networksetup -setdhcp Wi-Fi" with prompt "Pocket DHCP wants to restore the interface." with administrator privileges']);
  });

  it('UAC: Start-Process -Verb RunAs, arguments as one Windows command line, exit code passed on', () => {
    const argv = uacArgv(['netsh', 'interface', 'ipv4', 'set', 'address', 'name=Ethernet 2', 'source=dhcp']);
    expect(argv.slice(0, 6)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
    expect(argv[6]).toBe(`$p = Start-Process -FilePath 'netsh' -ArgumentList 'interface ipv4 set address name="Ethernet 2" source=dhcp' -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode`);
    expect(uacArgv(["C:\\it's\\x.exe"])[6]).toContain(`-FilePath 'C:\\it''s\\x.exe' -Verb RunAs`);
  });
});

describe('what happened', () => {
  it('pkexec 126 = dismissed, 127 = not authorized / no agent; other codes are the program’s', () => {
    expect(classifyElevation('pkexec', 0, '')).toBe('ok');
    expect(classifyElevation('pkexec', 126, 'Error executing command as another user: Request dismissed')).toBe('cancelled');
    expect(classifyElevation('pkexec', 127, 'Error executing command as another user: Not authorized')).toBe('not-authorized');
    expect(classifyElevation('pkexec', 127, 'Error executing command as another user: No authentication agent found.')).toBe('no-agent');
    expect(classifyElevation('pkexec', 2, 'RTNETLINK answers: File exists')).toBe('failed');
    expect(classifyElevation('osascript', 1, '0:180: execution error: User canceled. (-128)')).toBe('cancelled');
    expect(classifyElevation('osascript', 1, 'execution error: ** Error: bad service (1)')).toBe('failed');
    expect(classifyElevation('uac', 1, 'Start-Process : This command cannot be run due to the error: The operation was canceled by the user.')).toBe('cancelled');
    expect(elevationMessage('no-agent', 'sudo ip addr add 10.0.0.1/24 dev eth1')).toMatch(/no polkit authentication agent.*Run this in a terminal instead: sudo ip addr add/);
    expect(elevationMessage('failed', 'x')).toBeUndefined();
  });

  it('polkit agents by process name; polkitd and pkexec are not agents', () => {
    for (const n of ['polkit-gnome-au', 'polkit-kde-authentication-agent-1', 'polkit-kde-auth', 'gnome-shell', 'lxpolkit', 'xfce-polkit', 'polkit-mate-aut', 'lxqt-policykit-agent', 'cinnamon', 'budgie-polkit-dialog', 'hyprpolkitagent']) expect(isPolkitAgent(n), n).toBe(true);
    for (const n of ['polkitd', 'pkexec', 'polkit-agent-helper-1', 'bash', 'systemd', 'NetworkManager', 'Xorg']) expect(isPolkitAgent(n), n).toBe(false);
    expect(hasPolkitAgent(['systemd', 'polkitd', 'sshd'])).toBe(false);
    expect(hasPolkitAgent(['systemd', 'gnome-shell'])).toBe(true);
  });
});
