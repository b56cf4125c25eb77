// The tray / menu-bar item while serving (pure; tray.ts turns it into Electron's Tray and Menu).
// It exists only while the server runs: a DHCP server on the link should be visible even when its
// window is hidden, and a status icon that is always there would be noise.
import type { ServerStatus } from '../ipc/contract.js';

export interface TrayItem {
  id: 'status' | 'leases' | 'show' | 'stop' | 'quit';
  label: string;
  enabled: boolean;
}

export interface TrayModel {
  visible: boolean;
  /** 'warning' when the interface is gone or the pool is exhausted. */
  icon: 'serving' | 'warning';
  tooltip: string;
  items: TrayItem[];
}

const SHOWN = new Set(['starting', 'running', 'interface-lost', 'stopping']);

export function trayModel(status: ServerStatus | undefined): TrayModel {
  if (!status || !SHOWN.has(status.state)) return { visible: false, icon: 'serving', tooltip: 'Pocket DHCP', items: [] };
  const bound = status.pools.reduce((n, p) => n + p.bound, 0);
  const where = `${status.interface ?? '?'}${status.serverId ? ` (${status.serverId})` : ''}`;
  const line =
    status.state === 'interface-lost'
      ? `${status.interface ?? 'The interface'} is gone — waiting for it`
      : status.state === 'starting'
        ? `Starting on ${where}…`
        : status.state === 'stopping'
          ? 'Stopping…'
          : `Serving on ${where}`;
  const warning = status.state === 'interface-lost' || status.exhausted;
  const leases = `${bound} active lease${bound === 1 ? '' : 's'}${status.exhausted ? ' — pool exhausted' : ''}`;
  return {
    visible: true,
    icon: warning ? 'warning' : 'serving',
    tooltip: `Pocket DHCP — ${line} · ${leases}`,
    items: [
      { id: 'status', label: line, enabled: false },
      { id: 'leases', label: leases, enabled: false },
      { id: 'show', label: 'Show Pocket DHCP', enabled: true },
      { id: 'stop', label: 'Stop serving', enabled: status.state === 'running' || status.state === 'interface-lost' },
      { id: 'quit', label: 'Quit Pocket DHCP…', enabled: true },
    ],
  };
}
