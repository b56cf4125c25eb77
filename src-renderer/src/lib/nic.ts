// Words for the static-address feature (pure; unit-tested).
import type { NicApplyPreview, NicSavedInfo } from '../../../src-main/ipc/contract.js';
import { locale as currentLocale, t, tEngine } from '../i18n/index.js';

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

/**
 * What one step of a NIC plan does (NicApplyPreview.steps[].why), in the UI language. The engine
 * words each kind of step with one fixed English sentence (src-main/net/nic-plan.ts); the sentence
 * is its code here, its names and addresses the parameters. Unknown sentences stay English.
 */
const STEP_WHY: readonly [RegExp, string, readonly string[]][] = [
  [/^gives (\S+) the address (\S+)$/, 'nicStep.give', ['interface', 'address']],
  [/^enables (\S+)$/, 'nicStep.enable', ['interface']],
  [/^removes the old temporary profile "(.+)"$/, 'nicStep.removeOldProfile', ['profile']],
  [/^adds a temporary NetworkManager profile "(.+)" \(kept in memory only, gone after a reboot\) with the address (\S+)$/, 'nicStep.addProfile', ['profile', 'address']],
  [/^activates "(.+)" on (\S+) \(instead of "(.+)"\)$/, 'nicStep.activateInstead', ['profile', 'interface', 'previous']],
  [/^activates "(.+)" on (\S+)$/, 'nicStep.activate', ['profile', 'interface']],
  [/^sets the network service "(.+)" to the manual address (\S+) \(no router, so the default route stays on your other connections\)$/, 'nicStep.macManual', ['service', 'address']],
  [/^gives "(.+)" the static address (\S+) \(no gateway, so the default route stays on your other connections\)$/, 'nicStep.winStatic', ['interface', 'address']],
  [/^removes (\S+) from (\S+)$/, 'nicStep.remove', ['address', 'interface']],
  [/^puts back (\S+)$/, 'nicStep.putBack', ['address']],
  [/^disables (\S+) again, as it was$/, 'nicStep.disable', ['interface']],
  [/^deletes the temporary profile "(.+)"$/, 'nicStep.deleteProfile', ['profile']],
  [/^re-activates "(.+)" on (\S+), as before$/, 'nicStep.reactivate', ['profile', 'interface']],
  [/^sets "(.+)" back to DHCP$/, 'nicStep.backToDhcp', ['interface']],
];

export function stepWhy(why: string): string {
  for (const [re, key, names] of STEP_WHY) {
    const m = re.exec(why);
    if (m) return tEngine(key, why, Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])));
  }
  return why;
}
