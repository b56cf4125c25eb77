// Start refusals (ServerStatus.error) as the UI presents them: a title per code, the engine's own
// message (it already says what to do), and where in the Setup column the fix lives.
import type { ServerError } from '../../../src-main/ipc/contract.js';

export interface ErrorView {
  title: string;
  /** Config field or Setup anchor to jump to ("subnets[0].range", "static-address", "interface"). */
  field?: string;
  /** Label for the jump link. */
  fieldLabel?: string;
  /** Extra advice for codes whose fix is outside the app. */
  extra?: string;
  /** The refusal can be overridden by the user (start anyway). */
  overridable?: boolean;
}

export function describeError(e: ServerError): ErrorView {
  switch (e.code) {
    case 'config':
      return { title: 'The settings have a problem', field: e.field, fieldLabel: 'Show the field' };
    case 'interface':
      return { title: 'The interface is not available', field: e.field ?? 'interface', fieldLabel: 'Choose an interface' };
    case 'no-ipv4':
      return { title: 'The interface has no IPv4 address', field: e.field ?? 'static-address', fieldLabel: 'Set a static address' };
    case 'foreign-network':
      return { title: 'This is someone else’s network', field: e.field ?? 'interface', fieldLabel: 'Choose another interface', overridable: true };
    case 'foreign-server':
      return { title: 'Another DHCP server answers on this link', field: e.field ?? 'interface', fieldLabel: 'Choose another interface', overridable: true };
    case 'port-busy':
      return { title: 'Port 67 is in use', field: e.field, extra: 'Another DHCP server on this computer (dnsmasq, NetworkManager “shared” mode, Tftpd64, a VM host) holds UDP port 67. Stop it, then press Start again.' };
    case 'privileges':
      return { title: 'Not enough privileges', field: e.field, extra: 'Serving DHCP needs port 67 and a socket bound to the interface: run Pocket DHCP as administrator, or grant the capabilities once as the message says.' };
    case 'store':
      return { title: 'The lease file cannot be used', field: e.field };
    default:
      return { title: 'The server could not start', field: e.field, fieldLabel: e.field ? 'Show the field' : undefined };
  }
}
