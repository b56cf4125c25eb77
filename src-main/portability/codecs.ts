// Joins the registry's format ids to their code: parse, detect, and write. The one switch over
// formats; everything else (CLI, controller, UI) goes through here.
import type { UserConfig } from '../config/schema.js';
import type { Lease } from '../dhcp/lease.js';
import * as dnsmasq from './formats/dnsmasq.js';
import * as isc from './formats/isc-dhcpd.js';
import * as kea from './formats/kea.js';
import { buildKeaConfig, keaSubnetIds, type KeaExportOptions } from './formats/kea-config.js';
import * as macList from './formats/mac-list.js';
import * as ours from './formats/ours.js';
import * as tftpd from './formats/tftpd64.js';
import { ExportError, splitLines, type ParseResult, type PortableReservation } from './model.js';
import { formatInfo, type FormatId, type What } from './registry.js';

export function parseText(format: FormatId, text: string, now: number): ParseResult {
  switch (format) {
    case 'csv':
      return ours.parseCsv(text, now);
    case 'json':
      return ours.parseJson(text, now);
    case 'dnsmasq':
      return dnsmasq.parse(text, now);
    case 'isc-dhcpd':
      return isc.parse(text, now);
    case 'kea':
      return kea.parse(text, now);
    case 'tftpd64':
      return tftpd.parse(text, now);
    case 'mac-list':
      return macList.parse(text);
  }
}

/** The format a text is in, from its content (the file name only breaks ties); undefined if unknown. */
export function detectFormat(text: string, filename?: string): FormatId | undefined {
  const body = text.replace(/^\uFEFF/, '');
  const lines = splitLines(body).map((l) => l.trim()).filter((l) => l !== '');
  const first = lines.find((l) => !l.startsWith('#') && !l.startsWith(';') && !l.startsWith('//')) ?? '';
  const trimmed = body.trimStart();
  if (/^\[\s*DHCP\s*\]$/im.test(body) || /^Lease_NumLeases\s*=/im.test(body)) return 'tftpd64';
  if (/"Dhcp4"\s*:/.test(body) || /"hw-address"\s*:/.test(body) || /"ip-address"\s*:/.test(body)) return 'kea';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  if (/^address,hwaddr,/i.test(first)) return 'kea';
  if (/^"?(ip|mac)"?\s*,/i.test(first) && /(^|,)"?mac"?(,|$)/i.test(first) && /(^|,)"?ip"?(,|$)/i.test(first)) return 'csv';
  if (/^(lease|host)\s+\S+\s*\{/m.test(body) || /^authoring-byte-order\s/m.test(body) || /^(subnet|shared-network|group)\s.*\{/m.test(body)) return 'isc-dhcpd';
  if (/^\s*dhcp-host\s*=/m.test(body) || /^\d+\s+\S+\s+\d{1,3}(\.\d{1,3}){3}\s+\S+/.test(first)) return 'dnsmasq';
  if (macList.looksLikeMacList(body)) return 'mac-list';
  const ext = filename?.toLowerCase().match(/\.[a-z0-9]+$/)?.[0];
  if (ext === '.ini') return 'tftpd64';
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  return undefined;
}

export interface ExportInput {
  what: What;
  format: FormatId;
  leases: readonly Lease[];
  reservations: readonly PortableReservation[];
  /** The valid configuration (Kea, Tftpd64 pool); undefined when the draft is not valid yet. */
  config?: UserConfig;
  now: number;
  kea?: KeaExportOptions;
}

/** The text of one export; ExportError when the format cannot hold `what` or needs a configuration. */
export function exportText(x: ExportInput): string {
  const info = formatInfo(x.format);
  if (!info.exports[x.what]) throw new ExportError(`${info.label} cannot hold ${x.what}${info.imports.length ? ` (it can be imported${info.exports.leases || info.exports.reservations ? `, or exported as ${Object.keys(info.exports).join('/')}` : ''})` : ''}`);
  const needConfig = (why: string): UserConfig => {
    if (!x.config) throw new ExportError(`${why} needs a complete, valid configuration (interface, subnets, ranges): fix the settings first`);
    return x.config;
  };
  if (x.what === 'leases') {
    switch (x.format) {
      case 'csv':
        return ours.formatLeasesCsv(x.leases);
      case 'json':
        return ours.formatLeasesJson(x.leases);
      case 'dnsmasq':
        return dnsmasq.formatLeases(x.leases, x.now);
      case 'isc-dhcpd':
        return isc.formatLeases(x.leases, x.now);
      case 'kea': {
        const ids = x.config ? keaSubnetIds(x.config) : subnetIdsByOrder(x.leases);
        return kea.formatLeases(x.leases, ids);
      }
      case 'tftpd64':
        return tftpd.formatLeases(x.leases, x.config);
    }
  } else {
    switch (x.format) {
      case 'csv':
        return ours.formatReservationsCsv(x.reservations);
      case 'json':
        return ours.formatReservationsJson(x.reservations);
      case 'dnsmasq':
        return dnsmasq.formatReservations(x.reservations);
      case 'isc-dhcpd':
        return isc.formatReservations(x.reservations);
      case 'kea':
        return `${JSON.stringify(buildKeaConfig(needConfig('A Kea configuration'), x.leases, x.kea).config, null, 2)}\n`;
    }
  }
  throw new ExportError(`${info.label} cannot hold ${x.what}`);
}

/** Without a configuration: Kea subnet ids by the order of the leases' subnets (sorted). */
function subnetIdsByOrder(leases: readonly Lease[]): (l: Lease) => number | undefined {
  const nets = [...new Set(leases.map((l) => l.subnet))].sort();
  return (l) => nets.indexOf(l.subnet) + 1 || undefined;
}
