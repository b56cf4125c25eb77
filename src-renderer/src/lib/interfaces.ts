// What the interface picker says about an interface.
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { t } from '../i18n/index.js';

export interface InterfaceWarning {
  tone: 'warn' | 'bad';
  text: string;
}

/** The one thing a technician should know before serving on `nic`, if anything. */
export function interfaceWarning(nic: NetInterface): InterfaceWarning | undefined {
  const dynamic = nic.ipv4.find((a) => a.dynamic);
  if (dynamic) {
    return {
      tone: 'bad',
      text: t('interfaces.warn.foreign', { address: dynamic.address }),
    };
  }
  if (nic.ipv4.length === 0) return { tone: 'warn', text: t('interfaces.warn.noIpv4') };
  if (!nic.up) return { tone: 'warn', text: nic.adminUp ? t('interfaces.warn.noLink') : t('interfaces.warn.disabled') };
  return undefined;
}

/** Interfaces a DHCP server can serve on, physical and up first; loopback left out. */
export function servableInterfaces(list: readonly NetInterface[]): NetInterface[] {
  const rank = (n: NetInterface): number => (n.up ? 0 : 2) + (n.virtual ? 1 : 0);
  return list.filter((n) => !n.loopback).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
