// Words for the static-address feature (pure; unit-tested).
import type { NicApplyPreview, NicSavedInfo } from '../../../src-main/ipc/contract.js';

export function elevationLabel(kind: NicApplyPreview['elevation']): string {
  switch (kind) {
    case 'pkexec':
      return 'as administrator (the system asks for your password)';
    case 'osascript':
      return 'as administrator (macOS asks for your password)';
    case 'uac':
      return 'as Administrator (Windows asks for permission)';
    default:
      return 'directly';
  }
}

const BY: Record<NicSavedInfo['by'], string> = { app: 'Pocket DHCP', web: 'Pocket DHCP (web)', helper: 'Pocket DHCP', cli: 'pocket-dhcp nic set' };

/** "Set by Pocket DHCP on 23 Nov, 10:32." */
export function savedByText(s: Pick<NicSavedInfo, 'by' | 'appliedAt'>, locale?: string): string {
  const d = new Date(s.appliedAt);
  const when = d.toLocaleString(locale ?? 'en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `Set by ${BY[s.by]} on ${when}.`;
}

/** The restore offer's sentence for changes an earlier session left behind. */
export function leftoverText(list: readonly Pick<NicSavedInfo, 'interface' | 'address' | 'prefix' | 'previous' | 'complete'>[]): string {
  if (list.length === 1) {
    const s = list[0]!;
    return `${s.interface} still has ${s.address}/${s.prefix}, set by Pocket DHCP in an earlier session that ended without putting back its previous settings (${s.previous})${s.complete ? '' : ' — the change was interrupted halfway'}.`;
  }
  return `${list.map((s) => `${s.interface} (${s.address}/${s.prefix})`).join(', ')} still have addresses set by Pocket DHCP in an earlier session that ended without putting back their previous settings.`;
}
