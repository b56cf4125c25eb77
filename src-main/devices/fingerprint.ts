// DHCP fingerprint: option 55 (parameter request list, RFC 2132 §9.8) as the comma-separated code
// list that fingerbank and ISC dhcpd's `binary-to-ascii(10, 8, ",", …)` logging use, plus a
// short guess of the client software — only from what can be checked here:
//   - vendor class identifiers (option 60) the client software itself documents or that we see
//     it send: Windows "MSFT 5.0", Android "android-dhcp-<version>", dhcpcd "dhcpcd-<version>:…",
//     BusyBox "udhcp <version>";
//   - exact option 55 lists measured from the real clients the integration tests run (Debian's
//     isc-dhcp-client with its stock dhclient.conf, busybox udhcpc). A device not in this table
//     shows its fingerprint without a guess: we do not copy a fingerprint database.
// The dhclient and udhcpc lists are checked against the real clients by
// test/integration/devices/journal-identity.test.ts. Pure: no I/O.

/** "1,3,6,15" — the codes in the order the client sent them; undefined without option 55. */
export function fingerprintOf(paramRequest: readonly number[] | undefined): string | undefined {
  return paramRequest && paramRequest.length ? paramRequest.join(',') : undefined;
}

const VENDOR_CLASS_FAMILIES: readonly [RegExp, string][] = [
  [/^MSFT 5\.0/, 'Windows'],
  [/^MSFT 98/, 'Windows 98/Me'],
  [/^android-dhcp-(\d+)/, 'Android'],
  [/^dhcpcd-[^:]*:Linux/i, 'Linux (dhcpcd)'],
  [/^dhcpcd-[^:]*:NetBSD/i, 'NetBSD (dhcpcd)'],
  [/^dhcpcd-[^:]*:FreeBSD/i, 'FreeBSD (dhcpcd)'],
  [/^dhcpcd-/, 'dhcpcd'],
  [/^udhcp \d/, 'BusyBox udhcpc (embedded Linux)'],
];

/** Option 55 lists measured from real clients (see the integration tests), exact match. */
export const KNOWN_FINGERPRINTS: Readonly<Record<string, string>> = {
  // BusyBox udhcpc 1.35-1.37 with its default request list (test/e2e, test/integration).
  '1,3,6,12,15,28,42': 'BusyBox udhcpc (embedded Linux)',
  // Debian's isc-dhcp-client 4.4 with the stock /etc/dhcp/dhclient.conf "request" line.
  '1,28,2,3,15,6,119,12,44,47,26,121,42': 'ISC dhclient (Debian/Ubuntu Linux)',
};

/** A short guess of the client software / OS family, or undefined when nothing matches. */
export function clientGuess(vendorClass: string | undefined, fingerprint: string | undefined): string | undefined {
  if (vendorClass) {
    for (const [re, family] of VENDOR_CLASS_FAMILIES) {
      const m = re.exec(vendorClass);
      if (m) return family === 'Android' && m[1] ? `Android (DHCP client ${m[1]})` : family;
    }
  }
  return fingerprint !== undefined ? KNOWN_FINGERPRINTS[fingerprint] : undefined;
}
