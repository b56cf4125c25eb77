// Tftpd64 / Tftpd32: persistent leases in the [DHCP] section of tftpd32.ini. Learnt from the
// Tftpd64 4.73 source (src/_services/bootpd_util.c and ip_util.c, src/_common/settings.h):
//   Lease_NumLeases=<n>
//   Lease_<i>_MAC=AA:BB:CC:DD:EE:FF            haddrtoa(mac, 6, ':'), upper case
//   Lease_<i>_IP=198.18.10.100
//   Lease_<i>_InitialOfferTime=mm/dd/yyyy/HH:MM:SS   timetoa(): *local* time
//   Lease_<i>_LeaseStartTime=mm/dd/yyyy/HH:MM:SS
// The expiry is not stored: it is LeaseStartTime + "Lease (minutes)" (default 2 days). On load,
// Tftpd64 drops leases outside its pool (IP_Pool + PoolSize), so the export writes the pool of the
// first subnet too. Assumptions: the file is read in the time zone it was written in; keys are
// case-insensitive (GetPrivateProfileString); Tftpd64 keeps no host names and no reservations.
import type { UserConfig } from '../../config/schema.js';
import { intToIp, ipToInt, isIpv4, parseCidr } from '../../dhcp/ip.js';
import type { Lease } from '../../dhcp/lease.js';
import { addNote, emptyResult, exportable, looseMac, problem, splitLines, type ParseResult, type PortableLease } from '../model.js';

const DEFAULT_LEASE_MINUTES = 2 * 24 * 60;

export function tftpdTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()}/${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function parseTftpdTime(s: string): number | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\/(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const [mo, d, y, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return undefined;
  return new Date(y, mo - 1, d, h, mi, se).getTime();
}

/**
 * The [DHCP] section with the pool of the first subnet and every lease but declined ones (Tftpd64
 * has no such state). `cfg` supplies pool, mask, gateway, DNS and the lease time.
 */
export function formatLeases(leases: readonly Lease[], cfg?: UserConfig): string {
  const out = ['; Tftpd64 DHCP settings and persistent leases exported by Pocket DHCP.', '; Merge into tftpd32.ini and set PersistantLeases=1 in [TFTPD32].', '[DHCP]'];
  let inPool: (ip: string) => boolean = () => true;
  const s = cfg?.subnets[0];
  if (s && cfg) {
    const [a, b] = s.range.split('-').map((x) => x.trim()) as [string, string];
    const c = parseCidr(s.subnet)!;
    out.push(`IP_Pool=${a}`, `PoolSize=${ipToInt(b) - ipToInt(a) + 1}`, `Mask=${intToIp(c.mask)}`);
    if (s.router?.[0]) out.push(`Gateway=${s.router[0]}`);
    if (s.dns?.[0]) out.push(`DNS=${s.dns[0]}`);
    if (s.dns?.[1]) out.push(`DNS2=${s.dns[1]}`);
    if (s.domain) out.push(`DomainName=${s.domain}`);
    out.push(`Lease (minutes)=${Math.max(1, Math.round((s.leaseTime ?? cfg.leaseTime) / 60))}`);
    inPool = (ip) => ipToInt(ip) >= ipToInt(a) && ipToInt(ip) <= ipToInt(b);
  }
  const list = exportable(leases).filter((l) => l.state !== 'declined' && l.mac && inPool(l.ip));
  out.push(`Lease_NumLeases=${list.length}`);
  list.forEach((l, i) => {
    out.push(
      `Lease_${i}_MAC=${l.mac.toUpperCase()}`,
      `Lease_${i}_IP=${l.ip}`,
      `Lease_${i}_InitialOfferTime=${tftpdTime(l.firstSeen)}`,
      `Lease_${i}_LeaseStartTime=${tftpdTime(l.startsAt)}`,
    );
  });
  return `${out.join('\r\n')}\r\n`;
}

export function parse(text: string, now: number): ParseResult {
  const res = emptyResult();
  let section = '';
  let sawDhcp = false;
  const keys = new Map<string, { value: string; line: number }>();
  splitLines(text).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith(';') || t.startsWith('#')) return;
    const sec = /^\[(.*)\]$/.exec(t);
    if (sec) {
      section = sec[1]!.trim().toUpperCase();
      if (section === 'DHCP') sawDhcp = true;
      return;
    }
    if (section !== 'DHCP') return;
    const eq = t.indexOf('=');
    if (eq <= 0) {
      res.problems.push(problem(i + 1, 'tftpd-line', { text: t.slice(0, 60) }, `not a "key=value" line: ${t.slice(0, 60)}`));
      return;
    }
    keys.set(t.slice(0, eq).trim().toLowerCase(), { value: t.slice(eq + 1).trim(), line: i + 1 });
  });
  if (!sawDhcp) {
    res.problems.push(problem(1, 'tftpd-no-section', {}, 'no [DHCP] section: not a Tftpd64 ini file'));
    return res;
  }
  const minutesText = keys.get('lease (minutes)')?.value;
  const minutes = minutesText && /^\d+$/.test(minutesText) && Number(minutesText) > 0 ? Number(minutesText) : DEFAULT_LEASE_MINUTES;
  const count = keys.get('lease_numleases');
  const n = count ? Number(count.value) : 0;
  if (count && !/^\d+$/.test(count.value)) {
    res.problems.push(problem(count.line, 'tftpd-count', { value: count.value }, `Lease_NumLeases "${count.value}" is not a number`));
    return res;
  }
  for (let i = 0; i < n; i++) {
    const get = (k: string) => keys.get(`lease_${i}_${k}`);
    const mac = get('mac');
    const ip = get('ip');
    const line = mac?.line ?? ip?.line ?? count!.line;
    if (!mac || !ip) {
      res.problems.push(problem(line, 'tftpd-pair', { index: String(i), total: String(n) }, `lease ${i}: Lease_${i}_MAC and Lease_${i}_IP are both needed (Lease_NumLeases=${n})`));
      continue;
    }
    const m = looseMac(mac.value);
    if (!m) {
      res.problems.push(problem(mac.line, 'tftpd-mac', { index: String(i), value: mac.value }, `Lease_${i}_MAC "${mac.value}" is not a MAC address`));
      continue;
    }
    if (m === '00:00:00:00:00:00') continue; // a slot Tftpd64 freed
    if (!isIpv4(ip.value)) {
      res.problems.push(problem(ip.line, 'tftpd-ip', { index: String(i), value: ip.value }, `Lease_${i}_IP "${ip.value}" is not an IPv4 address`));
      continue;
    }
    const times: Partial<Record<'startsAt' | 'firstSeen', number>> = {};
    for (const [key, field] of [['leasestarttime', 'startsAt'], ['initialoffertime', 'firstSeen']] as const) {
      const v = get(key);
      if (!v || v.value === '') continue;
      const t = parseTftpdTime(v.value);
      if (t === undefined) {
        res.problems.push(problem(v.line, 'tftpd-time', { value: v.value }, `"${v.value}" is not a Tftpd64 time (mm/dd/yyyy/HH:MM:SS)`));
        return res;
      }
      times[field] = t;
    }
    const start = times.startsAt ?? times.firstSeen;
    if (start === undefined) {
      addNote(res, 'tftpd-no-start', { index: String(i), ip: ip.value }, `lease ${i} (${ip.value}) has no start time: skipped`);
      continue;
    }
    const expiresAt = start + minutes * 60_000;
    const lease: PortableLease = { ip: ip.value, mac: m, state: expiresAt > now ? 'bound' : 'expired', startsAt: start, expiresAt, line };
    if (times.firstSeen !== undefined) lease.firstSeen = times.firstSeen;
    res.leases.push(lease);
  }
  return res;
}
