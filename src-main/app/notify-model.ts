// Desktop notifications for what a technician must not miss while the window is in the background:
// another DHCP server answering on the link (a rogue or the network's own), and address conflicts
// (a device DECLINEd an address because something else already uses it). Pure and rate-limited per
// kind, so a flood of events becomes one notification a minute that says how many there were.
// Texts come from the UI catalogs in the window's language (i18n.ts; English by default).
import type { LogEntry } from '../ipc/contract.js';
import { ENGLISH, foreignLine, type ShellText } from './i18n.js';

export interface NotificationSpec {
  kind: 'foreign-server' | 'conflict';
  title: string;
  body: string;
}

export class NotificationGate {
  private readonly last = new Map<NotificationSpec['kind'], number>();
  /** Events held back by the rate limit, reported with the next notification of the kind. */
  private readonly suppressed = new Map<NotificationSpec['kind'], number>();

  constructor(private readonly minIntervalMs = 60_000) {}

  consider(entries: readonly LogEntry[], now: number, tx: ShellText = ENGLISH): NotificationSpec[] {
    const { t } = tx;
    const byKind = new Map<NotificationSpec['kind'], LogEntry[]>();
    for (const e of entries) {
      const kind = e.kind === 'foreign-server' ? 'foreign-server' : e.kind === 'decline' ? 'conflict' : undefined;
      if (!kind) continue;
      const list = byKind.get(kind) ?? [];
      list.push(e);
      byKind.set(kind, list);
    }
    const out: NotificationSpec[] = [];
    for (const [kind, list] of byKind) {
      const last = this.last.get(kind);
      if (last !== undefined && now - last < this.minIntervalMs) {
        this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + list.length);
        continue;
      }
      const count = list.length + (this.suppressed.get(kind) ?? 0);
      this.suppressed.delete(kind);
      this.last.set(kind, now);
      const e = list[list.length - 1]!;
      if (kind === 'foreign-server') {
        const line = foreignLine(e, tx);
        out.push({ kind, title: t('shell.notify.foreign.title'), body: t('shell.notify.foreign.body', { line: count > 1 ? t('shell.notify.foreign.seen', { line, count }) : line }) });
      } else {
        const body = e.mac && e.ip ? t('shell.notify.conflict.macIp', { mac: e.mac, ip: e.ip }) : e.ip ? t('shell.notify.conflict.ip', { ip: e.ip }) : e.mac ? t('shell.notify.conflict.mac', { mac: e.mac }) : t('shell.notify.conflict.none');
        out.push({
          kind,
          title: count > 1 ? t('shell.notify.conflict.titleMany', { count }) : e.ip ? t('shell.notify.conflict.titleIp', { ip: e.ip }) : t('shell.notify.conflict.title'),
          body,
        });
      }
    }
    return out;
  }
}
