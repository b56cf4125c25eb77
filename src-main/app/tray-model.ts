// The tray / menu-bar item while serving (pure; tray.ts turns it into Electron's Tray and Menu).
// It exists only while the server runs: a DHCP server on the link should be visible even when its
// window is hidden, and a status icon that is always there would be noise.
// Texts come from the UI catalogs in the window's language (i18n.ts; English by default).
import type { ServerStatus } from '../ipc/contract.js';
import { ENGLISH, type ShellText } from './i18n.js';

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

export function trayModel(status: ServerStatus | undefined, tx: ShellText = ENGLISH): TrayModel {
  if (!status || !SHOWN.has(status.state)) return { visible: false, icon: 'serving', tooltip: 'Pocket DHCP', items: [] };
  const { t } = tx;
  const bound = status.pools.reduce((n, p) => n + p.bound, 0);
  const where = `${status.interface ?? '?'}${status.serverId ? ` (${status.serverId})` : ''}`;
  const line =
    status.state === 'interface-lost'
      ? status.interface
        ? t('shell.tray.lost', { interface: status.interface })
        : t('shell.tray.lostUnknown')
      : status.state === 'starting'
        ? t('shell.tray.starting', { where })
        : status.state === 'stopping'
          ? t('shell.tray.stopping')
          : t('shell.tray.serving', { where });
  const warning = status.state === 'interface-lost' || status.exhausted;
  const count = t('shell.tray.leases', { count: bound });
  const leases = status.exhausted ? t('shell.tray.exhausted', { leases: count }) : count;
  return {
    visible: true,
    icon: warning ? 'warning' : 'serving',
    tooltip: t('shell.tray.tooltip', { line, leases }),
    items: [
      { id: 'status', label: line, enabled: false },
      { id: 'leases', label: leases, enabled: false },
      { id: 'show', label: t('shell.tray.show'), enabled: true },
      { id: 'stop', label: t('shell.tray.stop'), enabled: status.state === 'running' || status.state === 'interface-lost' },
      { id: 'quit', label: t('shell.tray.quit'), enabled: true },
    ],
  };
}
