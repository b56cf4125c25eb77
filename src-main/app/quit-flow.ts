// What quitting the desktop app does while it serves or while an interface still has the static
// address it set (pure; main.ts shows the dialog and carries out the choice). A DHCP server must not
// vanish silently: the user decides whether to stop it and whether the interface gets its previous
// settings back — restoring is the default, since the address was only set for serving.
// Texts come from the UI catalogs in the window's language (i18n.ts; English by default).
import type { NicSavedInfo, ServerStatus } from '../ipc/contract.js';
import { ENGLISH, type ShellText } from './i18n.js';

export interface QuitFacts {
  status: Pick<ServerStatus, 'state' | 'interface' | 'serverId' | 'pools'> | undefined;
  /** Saved "before" records (nic.saved). */
  saved: readonly NicSavedInfo[];
  /** The exact command lines restoring them runs (nic.restorePlan), shown before the user chooses. */
  restoreCommands?: readonly string[];
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

export function planQuit(f: QuitFacts, tx: ShellText = ENGLISH): QuitPlan {
  const { t } = tx;
  const title = t('shell.quit.title');
  const serving = f.status !== undefined && SERVING.has(f.status.state);
  const ifname = f.status?.interface;
  const saved = f.saved.map((s) => s.interface);
  const cancel: QuitAction = { stop: false, restore: [], quit: false };
  const list = saved.join(', ');
  const addresses = f.saved.map((s) => `${s.interface} ${s.address}/${s.prefix}`).join(', ');
  const runs = f.restoreCommands?.length ? `\n\n${t('shell.quit.restoreRuns', { commands: f.restoreCommands.join('\n') })}` : '';
  if (serving) {
    const bound = (f.status?.pools ?? []).reduce((n, p) => n + p.bound, 0);
    const leases = bound === 0 ? t('shell.quit.noLeases') : t('shell.quit.leases', { count: bound });
    const message = ifname ? t('shell.quit.serving', { interface: ifname }) : t('shell.quit.servingUnknown');
    if (saved.length) {
      return {
        kind: 'ask',
        title,
        message,
        detail: `${leases}\n\n${t('shell.quit.setBy', { addresses, previous: f.saved.map((s) => s.previous).join('; ') })}${runs}`,
        buttons: [t('shell.quit.stopRestore', { interfaces: list }), t('shell.quit.stopKeep', { addresses: f.saved.map((s) => s.address).join(', ') }), t('common.cancel')],
        defaultId: 0,
        cancelId: 2,
        actions: [{ stop: true, restore: saved, quit: true }, { stop: true, restore: [], quit: true }, cancel],
      };
    }
    return { kind: 'ask', title, message, detail: leases, buttons: [t('shell.quit.stop'), t('common.cancel')], defaultId: 0, cancelId: 1, actions: [{ stop: true, restore: [], quit: true }, cancel] };
  }
  if (saved.length) {
    return {
      kind: 'ask',
      title,
      message: t('shell.quit.restoreAsk', { interfaces: list }),
      detail: `${t('shell.quit.restoreDetail', { addresses, previous: f.saved.map((s) => `${s.interface}: ${s.previous}`).join('; ') })}${runs}`,
      buttons: [t('shell.quit.restore', { interfaces: list }), t('shell.quit.keep'), t('common.cancel')],
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

/** The question when restoring an interface failed while quitting: quit anyway (0) or cancel (1). */
export function restoreFailedDialog(ifname: string, failed: string, tx: ShellText = ENGLISH): { title: string; message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number } {
  const { t } = tx;
  return {
    title: t('shell.quit.title'),
    message: t('shell.quit.restoreFailed', { interface: ifname }),
    detail: t('shell.quit.restoreFailedDetail', { failed }),
    buttons: [t('shell.quit.quitAnyway'), t('common.cancel')],
    defaultId: 0,
    cancelId: 1,
  };
}
