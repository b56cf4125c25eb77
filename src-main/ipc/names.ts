// The names of the contract's calls and push events, without the schemas: the sandboxed preload
// builds `window.api` from these and must not pull zod in (it would add ~450 kB to every window).
// contract.ts checks at compile time that these lists are exactly the keys of CALLS and EVENTS,
// so the contract stays the one source of truth.
export const CALL_NAME_LIST = [
  'app.ready',
  'app.info',
  'interfaces.list',
  'settings.get',
  'settings.save',
  'server.start',
  'server.stop',
  'server.status',
  'leases.list',
  'leases.export',
  'log.recent',
  'nic.plan',
  'nic.apply',
  'nic.restorePlan',
  'nic.restore',
  'nic.options',
  'nic.saved',
  'privileges.check',
  'engine.elevate',
  'export.file',
  'export.kea',
  'import.preview',
  'import.apply',
  'devices.timeline',
  'journal.search',
  'journal.export',
  'pool.sweep',
  'file.save',
  'app.language',
] as const;

export const EVENT_NAME_LIST = ['status', 'leases', 'log', 'interfaces', 'settings', 'nic', 'nicOptions', 'engine', 'timeline'] as const;

/** Electron IPC channels: calls (ipcRenderer.invoke) and push events (webContents.send). */
export const IPC_CALL_CHANNEL = 'api';
export const IPC_EVENT_CHANNEL = 'api:event';
