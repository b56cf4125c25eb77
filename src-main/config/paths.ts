// Where leases, reservations and settings live when the user does not say. The CLI and the desktop
// app use the same place, so `pocket-dhcp leases` shows what the app handed out.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.POCKET_DHCP_DATA_DIR) return env.POCKET_DHCP_DATA_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'pocket-dhcp');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'pocket-dhcp');
  // Root (a headless lab box started by systemd) keeps state where services do.
  if (typeof process.getuid === 'function' && process.getuid() === 0 && !env.SUDO_USER) return '/var/lib/pocket-dhcp';
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'pocket-dhcp');
}
