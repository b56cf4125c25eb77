// Desktop notifications for what a technician must not miss while the window is in the background:
// another DHCP server answering on the link (a rogue or the network's own), and address conflicts
// (a device DECLINEd an address because something else already uses it). Pure and rate-limited per
// kind, so a flood of events becomes one notification a minute that says how many there were.
import type { LogEntry } from '../ipc/contract.js';

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

  consider(entries: readonly LogEntry[], now: number): NotificationSpec[] {
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
        out.push({ kind, title: 'Another DHCP server is on this network', body: `${e.text}${count > 1 ? ` (${count} answers seen)` : ''}. Devices may take addresses from it instead — find it and switch it off, or serve another port.` });
      } else {
        out.push({
          kind,
          title: count > 1 ? `${count} address conflicts` : `Address conflict${e.ip ? `: ${e.ip}` : ''}`,
          body: `${e.mac ? `${e.mac} ` : 'A device '}found ${e.ip ?? 'its address'} already in use on the network (a device with a fixed address?). Pocket DHCP holds that address back and hands out another.`,
        });
      }
    }
    return out;
  }
}
