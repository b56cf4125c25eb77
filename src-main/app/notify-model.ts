// Desktop notifications for what a technician must not miss while the window is in the background:
// another DHCP server answering on the link (a rogue or the network's own), and address conflicts —
// a device DECLINEd an address because something else already uses it, or the server's own ARP
// probe before an OFFER found the address taken (log kind 'conflict', code conflict-probe). The
// ARP check that follows a DECLINE (conflict-declined / conflict-unanswered) is the same conflict
// as the DECLINE and is not counted twice; a pool sweep's summary line is not a conflict event.
// Pure and rate-limited per kind, so a flood of events becomes one notification a minute that says
// how many there were.
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
  /** Addresses DECLINEd recently (ip → when): the ARP check that follows is the same conflict. */
  private readonly declined = new Map<string, number>();

  constructor(private readonly minIntervalMs = 60_000) {}

  consider(entries: readonly LogEntry[], now: number, tx: ShellText = ENGLISH): NotificationSpec[] {
    const { t } = tx;
    const byKind = new Map<NotificationSpec['kind'], LogEntry[]>();
    for (const [ip, at] of this.declined) if (now - at > this.minIntervalMs) this.declined.delete(ip);
    for (const e of entries) {
      const kind = e.kind === 'foreign-server' ? 'foreign-server' : this.isConflict(e, now) ? 'conflict' : undefined;
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
        const probe = e.msg?.code === 'conflict-probe' ? e.msg.params : undefined;
        const body = probe
          ? probe.inUseBy
            ? t('shell.notify.conflict.probe', { ip: probe.ip, mac: probe.mac, inUseBy: probe.inUseBy })
            : t('shell.notify.conflict.probeAnon', { ip: probe.ip, mac: probe.mac })
          : e.mac && e.ip ? t('shell.notify.conflict.macIp', { mac: e.mac, ip: e.ip }) : e.ip ? t('shell.notify.conflict.ip', { ip: e.ip }) : e.mac ? t('shell.notify.conflict.mac', { mac: e.mac }) : t('shell.notify.conflict.none');
        out.push({
          kind,
          title: count > 1 ? t('shell.notify.conflict.titleMany', { count }) : e.ip ? t('shell.notify.conflict.titleIp', { ip: e.ip }) : t('shell.notify.conflict.title'),
          body,
        });
      }
    }
    return out;
  }

  /** A DECLINE, the server's ARP probe finding an address taken, or the ARP check of a DECLINE this gate did not see. */
  private isConflict(e: LogEntry, now: number): boolean {
    if (e.kind === 'decline') {
      if (e.ip) this.declined.set(e.ip, now);
      return true;
    }
    if (e.kind !== 'conflict') return false;
    switch (e.msg?.code) {
      case 'conflict-probe':
        return true;
      case 'conflict-declined':
      case 'conflict-unanswered':
        return !this.declined.has(e.msg.params.ip);
      default:
        // A pool sweep's summary (no code): the sweep's own result shows it.
        return false;
    }
  }
}
