// dnsmasq: the lease file (--dhcp-leasefile, one "expiry mac ip hostname clientid" line per active
// lease, as dnsmasq 2.90 writes it: `1795431315 ba:ce:1e:48:96:e6 198.18.60.146 labhost2
// 01:ba:ce:1e:48:96:e6`) and `dhcp-host=` lines of dnsmasq.conf (reservations). See dnsmasq(8).
import { isIpv4 } from '../../dhcp/ip.js';
import type { Lease } from '../../dhcp/lease.js';
import { addNote, emptyResult, hardwareClientId, looseMac, normaliseHex, problem, splitLines, type ParseResult, type PortableReservation } from '../model.js';
import { NEVER_EXPIRES } from '../../dhcp/policy.js';

const INFINITE_SECONDS = 0xffffffff;

/** A token dnsmasq's lease-file reader takes as one field: no whitespace, no control characters. */
function token(s: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return s && !/[\s\u0000-\u001f\u007f]/.test(s) && s !== '*' ? s : '*';
}

/**
 * Bound leases only: dnsmasq's file holds active leases, and anything it reads there it treats as
 * bound until the expiry. Expiry in epoch seconds; an "infinite" lease (≥ 2^32-1 s) is 0.
 */
export function formatLeases(leases: readonly Lease[], now: number): string {
  const lines: string[] = [];
  for (const l of leases) {
    if (l.state !== 'bound' || l.expiresAt <= now || !l.mac) continue;
    const seconds = Math.floor(l.expiresAt / 1000);
    const expiry = l.expiresAt - l.startsAt >= INFINITE_SECONDS * 1000 ? 0 : seconds;
    lines.push(`${expiry} ${l.mac} ${l.ip} ${token(l.hostname)} ${l.clientId || '*'}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** `dhcp-host=mac,ip[,hostname]`, or `dhcp-host=id:…,ip` when the reservation is by client id. */
export function formatReservations(reservations: readonly PortableReservation[]): string {
  const out = ['# dhcp-host lines exported by Pocket DHCP: add them to dnsmasq.conf (or a file in /etc/dnsmasq.d).'];
  for (const r of reservations) {
    if (!r.ip) continue;
    const who = r.clientId && r.clientId !== hardwareClientId(r.mac) ? `${r.mac},id:${r.clientId}` : r.mac;
    const host = r.hostname && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(r.hostname) ? `,${r.hostname}` : '';
    out.push(`dhcp-host=${who},${r.ip}${host}`);
  }
  return `${out.join('\n')}\n`;
}

const LEASE_RE = /^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$/;
const LEASE_TIME_RE = /^(infinite|\d+[smhdw]?)$/i;

export function parse(text: string, now: number): ParseResult {
  const res = emptyResult();
  const lines = splitLines(text);
  // A dnsmasq.conf (any "setting=value" line): only dhcp-host lines are ours; other settings,
  // including bare keywords such as bind-interfaces, are skipped.
  const isConf = lines.some((l) => /^\s*[a-z][a-z0-9-]*\s*=/i.test(l));
  let ipv6 = 0;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (/^duid\s/i.test(t)) return;
    const host = /^dhcp-host\s*=\s*(.*)$/i.exec(t);
    if (host) {
      const r = parseDhcpHost(host[1]!, line, res);
      if (r) res.reservations.push(r);
      return;
    }
    if (isConf) return; // another dnsmasq setting: not ours to import
    const m = LEASE_RE.exec(t);
    if (!m) {
      res.problems.push(problem(line, 'dnsmasq-line', { text: t.slice(0, 60) }, `not a dnsmasq lease line ("expiry mac ip hostname clientid"): ${t.slice(0, 60)}`));
      return;
    }
    const [, expiry, macText, ip, hostname, cid] = m as unknown as [string, string, string, string, string, string | undefined];
    if (!isIpv4(ip)) {
      if (ip.includes(':')) ipv6++;
      else res.problems.push(problem(line, 'not-ipv4', { value: ip }, `"${ip}" is not an IPv4 address`));
      return;
    }
    // Non-Ethernet hardware is written "htype-aa:bb:…"; Ethernet as plain colon hex.
    const mac = looseMac(macText.replace(/^1-/, ''));
    if (!mac) {
      res.problems.push(problem(line, 'not-ethernet-mac', { value: macText }, `"${macText}" is not an Ethernet MAC address`));
      return;
    }
    const secs = Number(expiry);
    const expiresAt = secs === 0 ? NEVER_EXPIRES : secs * 1000;
    const lease = { ip, mac, state: expiresAt > now ? ('bound' as const) : ('expired' as const), expiresAt, line };
    const clientId = cid && cid !== '*' ? normaliseHex(cid) : undefined;
    if (cid && cid !== '*' && !clientId) {
      res.problems.push(problem(line, 'client-id-hex', { value: cid }, `client id "${cid}" is not colon hex`));
      return;
    }
    res.leases.push({ ...lease, ...(hostname !== '*' ? { hostname } : {}), ...(clientId ? { clientId } : {}) });
  });
  if (ipv6) addNote(res, 'dnsmasq-ipv6', { count: ipv6 }, `${ipv6} IPv6 lease line(s) skipped`);
  return res;
}

/** dhcp-host=[<hwaddr>][,id:<client_id>|*][,set:<tag>][,tag:<tag>][,<ipaddr>][,<hostname>][,<lease_time>][,ignore] */
function parseDhcpHost(spec: string, line: number, res: ParseResult): PortableReservation | undefined {
  const fields = spec.split(',').map((f) => f.trim()).filter((f) => f !== '');
  let mac: string | undefined;
  let ip: string | undefined;
  let hostname: string | undefined;
  let clientId: string | undefined;
  for (const f of fields) {
    if (/^ignore$/i.test(f)) {
      addNote(res, 'dnsmasq-ignore', { line: String(line) }, `line ${line}: dhcp-host with "ignore" (a device dnsmasq must not answer) skipped`);
      return undefined;
    }
    if (/^(set|tag|net):/i.test(f) || /^\[.*\]$/.test(f)) continue;
    if (/^id:/i.test(f)) {
      const v = f.slice(3);
      if (v === '*') continue;
      clientId = normaliseHex(v) ?? Buffer.from(v, 'utf8').toString('hex').match(/../g)!.join(':');
      continue;
    }
    const m = looseMac(f.replace(/^1-/, ''));
    if (m && !mac) {
      mac = m;
      continue;
    }
    if (isIpv4(f)) {
      if (!ip) ip = f;
      continue;
    }
    if (f.includes('*')) {
      addNote(res, 'dnsmasq-wildcard', { line: String(line), value: f }, `line ${line}: dhcp-host with a wildcard MAC (${f}) skipped`);
      return undefined;
    }
    if (LEASE_TIME_RE.test(f)) continue;
    if (!hostname) hostname = f;
  }
  // A client id of type 1 is a MAC address too.
  if (!mac && clientId && /^01(:[0-9a-f]{2}){6}$/.test(clientId)) mac = clientId.slice(3);
  if (!mac) {
    res.problems.push(problem(line, 'dnsmasq-host-no-mac', { text: spec.slice(0, 80) }, `dhcp-host has no Ethernet MAC address: ${spec.slice(0, 80)}`));
    return undefined;
  }
  if (!ip) {
    addNote(res, 'dnsmasq-no-ip', { line: String(line), mac }, `line ${line}: dhcp-host for ${mac} has no IPv4 address (only a name or options), skipped`);
    return undefined;
  }
  return { mac, ip, line, ...(hostname ? { hostname } : {}), ...(clientId ? { clientId } : {}) };
}
