// The engine's NAK reasons (src-main/dhcp/engine.ts, a few fixed sentences with the addresses in
// them) in the UI language, recognised by their form, as lib/nic.ts does for the NIC plan's steps.
// English is the engine's sentence as it is; a sentence of another form stays English.
import { locale, translate, type Locale, type MessageKey } from '../i18n/index.js';

const IP = '(\\d{1,3}(?:\\.\\d{1,3}){3})';
const FORMS: readonly [RegExp, MessageKey, readonly string[]][] = [
  [new RegExp(`^${IP} is not on network (\\S+)$`), 'nak.reason.other-network', ['ip', 'subnet']],
  [new RegExp(`^requested ${IP}, but this client's lease is ${IP}$`), 'nak.reason.other-lease', ['ip', 'lease']],
  [new RegExp(`^${IP} is leased to another client$`), 'nak.reason.taken', ['ip']],
  [new RegExp(`^${IP} was just offered to another client$`), 'nak.reason.held', ['ip']],
  [new RegExp(`^${IP} was declined \\(address conflict\\) and is quarantined$`), 'nak.reason.quarantined', ['ip']],
  [new RegExp(`^${IP} is reserved for another client$`), 'nak.reason.reserved', ['ip']],
  [new RegExp(`^${IP} cannot be leased \\(server, router or network address\\)$`), 'nak.reason.excluded', ['ip']],
  [new RegExp(`^${IP} is outside the address pool$`), 'nak.reason.outside', ['ip']],
  [new RegExp(`^${IP} is not available$`), 'nak.reason.unavailable', ['ip']],
  [new RegExp(`^this client has a reservation for ${IP}$`), 'nak.reason.has-reservation', ['ip']],
];

/** A NAK reason of the engine in language `l` (the active one by default). */
export function nakReasonText(reason: string, l: Locale = locale()): string {
  if (l === 'en') return reason;
  for (const [re, key, names] of FORMS) {
    const m = re.exec(reason);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => (params[n] = m[i + 1]!));
    return translate(l, key, params);
  }
  return reason;
}
