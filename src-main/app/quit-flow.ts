// What quitting the desktop app does while it serves or while an interface still has the static
// address it set (pure; main.ts shows the dialog and carries out the choice). A DHCP server must not
// vanish silently: the user decides whether to stop it and whether the interface gets its previous
// settings back — restoring is the default, since the address was only set for serving.
import type { NicSavedInfo, ServerStatus } from '../ipc/contract.js';

export interface QuitFacts {
  status: Pick<ServerStatus, 'state' | 'interface' | 'serverId' | 'pools'> | undefined;
  /** Saved "before" records (nic.saved). */
  saved: readonly NicSavedInfo[];
}

/** What a button does. */
export interface QuitAction {
  stop: boolean;
  /** Interfaces to restore before quitting. */
  restore: string[];
  quit: boolean;
}

export type QuitPlan =
  | { kind: 'quit'; action: QuitAction }
  | { kind: 'ask'; title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number; actions: QuitAction[] };

const SERVING = new Set(['starting', 'running', 'interface-lost', 'stopping']);

export function planQuit(f: QuitFacts): QuitPlan {
  const serving = f.status !== undefined && SERVING.has(f.status.state);
  const ifname = f.status?.interface;
  const saved = f.saved.map((s) => s.interface);
  const cancel: QuitAction = { stop: false, restore: [], quit: false };
  const list = saved.join(', ');
  const addresses = f.saved.map((s) => `${s.interface} ${s.address}/${s.prefix}`).join(', ');
  if (serving) {
    const bound = (f.status?.pools ?? []).reduce((n, p) => n + p.bound, 0);
    const leases = bound === 0 ? 'No device has a lease right now.' : `${bound} device${bound === 1 ? ' has a lease' : 's have leases'} from it: they keep their addresses until the leases run out, but cannot renew them.`;
    const message = `Pocket DHCP is serving on ${ifname ?? 'an interface'}. Stop it and quit?`;
    if (saved.length) {
      return {
        kind: 'ask',
        title: 'Quit Pocket DHCP',
        message,
        detail: `${leases}\n\n${addresses} was set by Pocket DHCP; restoring puts back the previous settings (${f.saved.map((s) => s.previous).join('; ')}).`,
        buttons: [`Stop, restore ${list} and quit`, `Stop and quit, keep ${f.saved.map((s) => s.address).join(', ')}`, 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        actions: [{ stop: true, restore: saved, quit: true }, { stop: true, restore: [], quit: true }, cancel],
      };
    }
    return { kind: 'ask', title: 'Quit Pocket DHCP', message, detail: leases, buttons: ['Stop and quit', 'Cancel'], defaultId: 0, cancelId: 1, actions: [{ stop: true, restore: [], quit: true }, cancel] };
  }
  if (saved.length) {
    return {
      kind: 'ask',
      title: 'Quit Pocket DHCP',
      message: `Restore the previous settings of ${list} before quitting?`,
      detail: `Pocket DHCP set ${addresses}. Before: ${f.saved.map((s) => `${s.interface}: ${s.previous}`).join('; ')}.`,
      buttons: [`Restore ${list} and quit`, 'Quit, keep the address', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      actions: [{ stop: false, restore: saved, quit: true }, { stop: false, restore: [], quit: true }, cancel],
    };
  }
  return { kind: 'quit', action: { stop: true, restore: [], quit: true } };
}

/** The action of the button the user pressed (out of range = cancel). */
export function quitChoice(plan: QuitPlan, button: number): QuitAction {
  if (plan.kind === 'quit') return plan.action;
  return plan.actions[button] ?? plan.actions[plan.cancelId]!;
}
