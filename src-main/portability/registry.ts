// The one list of import/export formats: ids, labels, file names and extensions, what each can
// carry. The CLI's --format choices, the contract's enums, the UI's menus and the documentation
// table all come from here. Pure data (the renderer imports it); the code of each format lives in
// formats/*.ts and is joined to these ids in codecs.ts.

export const FORMAT_IDS = ['csv', 'json', 'dnsmasq', 'isc-dhcpd', 'kea', 'tftpd64', 'mac-list'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export const WHATS = ['leases', 'reservations'] as const;
export type What = (typeof WHATS)[number];

export interface ExportSpec {
  /** Default file name ("{stamp}" becomes the local date and time, 2026-11-23T0930). */
  filename: string;
  mime: string;
  /** What the file is, for the menu's tooltip and the CLI help. */
  describes: string;
}

export interface FormatInfo {
  id: FormatId;
  /** Menu label. */
  label: string;
  /** File name extensions this format is usually found with (for the file picker and auto-detection). */
  extensions: readonly string[];
  /** What `export` can write, per kind. */
  exports: Partial<Record<What, ExportSpec>>;
  /** What `import` can read from such a file. */
  imports: readonly What[];
  /** Fields that survive a round trip, per kind (the rest is filled in on import). */
  carries: Partial<Record<What, readonly string[]>>;
  /** What we assumed about a format that is not fully documented, and what is lost. */
  notes: string;
}

/** Every stored field of a lease: what our own CSV and JSON carry (their other columns are derived from these). */
const OUR_LEASE_FIELDS = ['ip', 'mac', 'clientId', 'hostname', 'state', 'subnet', 'startsAt', 'expiresAt', 'firstSeen', 'lastSeen', 'vendorClass', 'relay', 'circuitId', 'remoteId', 'paramRequest'] as const;

/** A reservation's fields other than its options. */
const RESERVATION_FIELDS = ['mac', 'ip', 'hostname', 'clientId'] as const;

export const FORMATS: readonly FormatInfo[] = [
  {
    id: 'csv',
    label: 'CSV (Pocket DHCP)',
    extensions: ['.csv'],
    exports: {
      leases: { filename: 'pocket-dhcp-leases-{stamp}.csv', mime: 'text/csv', describes: 'the lease table, one row per address (spreadsheets)' },
      reservations: { filename: 'pocket-dhcp-reservations-{stamp}.csv', mime: 'text/csv', describes: 'reservations: mac, ip, hostname, clientId' },
    },
    imports: ['leases', 'reservations'],
    carries: {
      leases: OUR_LEASE_FIELDS,
      reservations: RESERVATION_FIELDS,
    },
    notes: 'RFC 4180, header row, CRLF. The header decides the kind: leases have an "expiresAt" column, reservations do not. Cells a spreadsheet would run as a formula are written with a leading apostrophe, which import removes.',
  },
  {
    id: 'json',
    label: 'JSON (Pocket DHCP)',
    extensions: ['.json'],
    exports: {
      leases: { filename: 'pocket-dhcp-leases-{stamp}.json', mime: 'application/json', describes: 'the lease table as a JSON array' },
      reservations: { filename: 'pocket-dhcp-reservations-{stamp}.json', mime: 'application/json', describes: '{ "reservations": [...] }, the configuration file\'s shape' },
    },
    imports: ['leases', 'reservations'],
    carries: {
      leases: OUR_LEASE_FIELDS,
      reservations: [...RESERVATION_FIELDS, 'options'],
    },
    notes: 'A lease export is an array of lease objects (times ISO 8601, UTC). Import also reads { "leases": [...], "reservations": [...] } and a whole configuration file (its reservations).',
  },
  {
    id: 'dnsmasq',
    label: 'dnsmasq',
    extensions: ['.leases', '.conf'],
    exports: {
      leases: { filename: 'dnsmasq.leases', mime: 'text/plain', describes: 'a dnsmasq lease file (--dhcp-leasefile)' },
      reservations: { filename: 'dnsmasq-reservations.conf', mime: 'text/plain', describes: 'dhcp-host= lines for dnsmasq.conf' },
    },
    imports: ['leases', 'reservations'],
    carries: { leases: ['ip', 'mac', 'clientId', 'hostname', 'expiresAt'], reservations: RESERVATION_FIELDS },
    notes:
      'Lease lines are "expiry mac ip hostname clientid" (expiry in epoch seconds, 0 = infinite; "*" = none). dnsmasq keeps active leases only: export writes bound leases, history is left out. IPv6 and duid lines are skipped. In a dnsmasq.conf only dhcp-host= lines are read; other settings are ignored. A host name that is not a single DNS label is written as "*".',
  },
  {
    id: 'isc-dhcpd',
    label: 'ISC dhcpd',
    extensions: ['.leases', '.conf'],
    exports: {
      leases: { filename: 'dhcpd.leases', mime: 'text/plain', describes: 'an ISC dhcpd lease file (dhcpd.leases(5))' },
      reservations: { filename: 'dhcpd-reservations.conf', mime: 'text/plain', describes: 'host { } blocks for dhcpd.conf' },
    },
    imports: ['leases', 'reservations'],
    carries: {
      leases: ['ip', 'mac', 'clientId', 'hostname', 'state', 'startsAt', 'expiresAt', 'lastSeen', 'vendorClass'],
      reservations: RESERVATION_FIELDS,
    },
    notes:
      'Times are UTC ("starts 1 2026/11/23 10:45:01;", "never", or "epoch N;"). The last declaration of an address wins; "{ deleted; }" rubouts remove a host. States: active = bound, free/expired/backup = expired, released = released, abandoned = declined. A host\'s name comes from "option host-name" (or ddns-hostname), else from the declaration name; "host pocket-dhcp-N" is our placeholder for a reservation without one.',
  },
  {
    id: 'kea',
    label: 'Kea',
    extensions: ['.csv', '.conf', '.json'],
    exports: {
      leases: { filename: 'kea-leases4.csv', mime: 'text/csv', describes: 'a Kea memfile lease file (lease4 CSV)' },
      reservations: { filename: 'kea-dhcp4.conf', mime: 'application/json', describes: 'a complete kea-dhcp4.conf: subnets, pools, options and reservations' },
    },
    imports: ['leases', 'reservations'],
    carries: {
      leases: ['ip', 'mac', 'clientId', 'hostname', 'state', 'startsAt', 'expiresAt', 'subnet'],
      reservations: ['mac', 'ip', 'hostname'],
    },
    notes:
      'Reservations are written by hw-address (Kea takes one identifier per reservation; a client id set on a reservation is not carried). Lease CSV header of Kea 2.2: address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context (later columns such as pool_id are accepted); commas in text are "&#x2c". subnet_id is the position of the subnet in our configuration (1, 2, …). Reservations are read from any Kea configuration (global, subnet4, shared-networks; comments allowed); those without hw-address (client-id of type 1 excepted) or ip-address are skipped.',
  },
  {
    id: 'tftpd64',
    label: 'Tftpd64 / Tftpd32',
    extensions: ['.ini'],
    exports: {
      leases: { filename: 'tftpd32.ini', mime: 'text/plain', describes: 'the [DHCP] section of tftpd32.ini with persistent leases' },
    },
    imports: ['leases'],
    carries: { leases: ['ip', 'mac', 'startsAt', 'firstSeen'] },
    notes:
      'Read from the Tftpd64 4.73 source (bootpd_util.c): [DHCP] holds Lease_NumLeases and Lease_<n>_MAC (AA:BB:CC:DD:EE:FF), Lease_<n>_IP, Lease_<n>_InitialOfferTime and Lease_<n>_LeaseStartTime as local time "mm/dd/yyyy/HH:MM:SS"; the expiry is not stored but is the start plus "Lease (minutes)" (default 2880). Export also writes IP_Pool, PoolSize, Mask, Gateway, DNS, DomainName and Lease (minutes) of the first subnet, because Tftpd64 drops leases outside its pool. Tftpd64 has no host names and no reservations; PersistantLeases=1 must be set in [TFTPD32].',
  },
  {
    id: 'mac-list',
    label: 'MAC list',
    extensions: ['.txt'],
    exports: {},
    imports: ['reservations'],
    carries: { reservations: ['mac', 'hostname'] },
    notes: 'One MAC per line in any notation, optionally followed by a host name; # comments. Each MAC is reserved at the next free address of the first subnet\'s range (the device\'s current address when it has one there).',
  },
];

export function formatInfo(id: FormatId): FormatInfo {
  return FORMATS.find((f) => f.id === id)!;
}

export function isFormatId(x: unknown): x is FormatId {
  return typeof x === 'string' && (FORMAT_IDS as readonly string[]).includes(x);
}

/** Formats that can write `what`. */
export function exportFormats(what: What): FormatInfo[] {
  return FORMATS.filter((f) => f.exports[what]);
}

/** "pocket-dhcp-leases-{stamp}.csv" → "pocket-dhcp-leases-2026-11-23T0930.csv" (local time, what a technician expects in Downloads). */
export function exportFilename(id: FormatId, what: What, at: number): string {
  const spec = formatInfo(id).exports[what];
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}`;
  return (spec?.filename ?? `pocket-dhcp-${what}-{stamp}.txt`).replace('{stamp}', stamp);
}
