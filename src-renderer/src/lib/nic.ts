// Words for the static-address feature (pure; unit-tested).
import type { NicApplyPreview, NicSavedInfo } from '../../../src-main/ipc/contract.js';
import { locale as currentLocale, t } from '../i18n/index.js';

export function elevationLabel(kind: NicApplyPreview['elevation']): string {
  switch (kind) {
    case 'pkexec':
      return t('nic.elevation.pkexec');
    case 'osascript':
      return t('nic.elevation.osascript');
    case 'uac':
      return t('nic.elevation.uac');
    default:
      return t('nic.elevation.direct');
  }
}

const BY: Record<NicSavedInfo['by'], string> = { app: 'Pocket DHCP', web: 'Pocket DHCP (web)', helper: 'Pocket DHCP', cli: 'pocket-dhcp nic set' };

/** "Set by Pocket DHCP on 23 Nov, 10:32." */
export function savedByText(s: Pick<NicSavedInfo, 'by' | 'appliedAt'>, locale?: string): string {
  const d = new Date(s.appliedAt);
  const when = d.toLocaleString(locale ?? (currentLocale() === 'ko' ? 'ko-KR' : 'en-GB'), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return t('nic.setBy', { by: BY[s.by], when });
}

/** The restore offer's sentence for changes an earlier session left behind. */
export function leftoverText(list: readonly Pick<NicSavedInfo, 'interface' | 'address' | 'prefix' | 'previous' | 'complete'>[]): string {
  if (list.length === 1) {
    const s = list[0]!;
    return t(s.complete ? 'nic.leftover.one' : 'nic.leftover.oneHalf', { interface: s.interface, address: `${s.address}/${s.prefix}`, previous: s.previous });
  }
  return t('nic.leftover.many', { list: list.map((s) => `${s.interface} (${s.address}/${s.prefix})`).join(', ') });
}
