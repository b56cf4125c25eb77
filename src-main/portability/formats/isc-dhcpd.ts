// ISC dhcpd: the lease file (dhcpd.leases(5): `lease IP { starts …; ends …; binding state …;
// hardware ethernet …; uid …; client-hostname "…"; }`, last declaration of an address wins) and
// `host NAME { hardware ethernet …; fixed-address …; }` blocks (dhcpd.conf(5)), which may also sit
// inside subnet/group blocks or, written through OMAPI, in the lease file (with `deleted;`
// rubouts). The same tokenizer reads both, as dhcpd's own parser does.
import { isIpv4 } from '../../dhcp/ip.js';
import type { Lease } from '../../dhcp/lease.js';
import { addNote, emptyResult, exportable, hardwareClientId, HOST_LABEL_RE, looseMac, normaliseHex, problem, type ParseResult, type PortableLease, type PortableReservation, type PortableState, type TextParams } from '../model.js';
import { NEVER_EXPIRES } from '../../dhcp/policy.js';

// ---- writing ----

/** dhcpd.leases(5) dates: "W YYYY/MM/DD HH:MM:SS" in UTC, W = weekday 0 (Sunday)–6. */
export function iscDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDay()} ${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** A dhcpd string: quotes and backslashes escaped, bytes outside printable ASCII as \ooo (UTF-8 bytes). */
export function iscString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

const BINDING: Record<PortableState, [string, string]> = {
  bound: ['active', 'free'],
  expired: ['free', 'free'],
  released: ['released', 'free'],
  declined: ['abandoned', 'free'],
};

const INFINITE_MS = 0xffffffff * 1000;

export function formatLeases(leases: readonly Lease[], now: number): string {
  const out = [
    '# The format of this file is documented in the dhcpd.leases(5) manual page.',
    `# This lease file was exported by Pocket DHCP on ${new Date(now).toISOString()}.`,
    '',
  ];
  for (const l of exportable(leases)) {
    const state = l.state as PortableState;
    const [binding, next] = BINDING[state];
    const body = [
      `starts ${iscDate(l.startsAt)};`,
      l.expiresAt - l.startsAt >= INFINITE_MS ? 'ends never;' : `ends ${iscDate(l.expiresAt)};`,
      `cltt ${iscDate(l.lastSeen)};`,
      `binding state ${binding};`,
      `next binding state ${next};`,
      `rewind binding state ${next};`,
    ];
    if (l.mac) body.push(`hardware ethernet ${l.mac};`);
    if (l.clientId) body.push(`uid ${l.clientId};`);
    if (l.vendorClass) body.push(`set vendor-class-identifier = ${iscString(l.vendorClass)};`);
    if (l.hostname) body.push(`client-hostname ${iscString(l.hostname)};`);
    out.push(`lease ${l.ip} {`, ...body.map((b) => `  ${b}`), '}');
  }
  return `${out.join('\n')}\n`;
}

/** Placeholder declaration name for a reservation without a host name (dhcpd needs a unique one). */
const PLACEHOLDER_RE = /^pocket-dhcp-\d+$/;

export function formatReservations(reservations: readonly PortableReservation[]): string {
  const out = ['# host declarations exported by Pocket DHCP: include them in dhcpd.conf (include "/etc/dhcp/…";).'];
  const used = new Set<string>();
  reservations.forEach((r, i) => {
    if (!r.ip) return;
    const host = r.hostname && HOST_LABEL_RE.test(r.hostname) ? r.hostname : undefined;
    let name = host && !used.has(host.toLowerCase()) ? host : `pocket-dhcp-${i + 1}`;
    while (used.has(name.toLowerCase())) name = `${name}-${i + 1}`;
    used.add(name.toLowerCase());
    const body = [`hardware ethernet ${r.mac};`, `fixed-address ${r.ip};`];
    if (host) body.push(`option host-name ${iscString(host)};`);
    if (r.clientId && r.clientId !== hardwareClientId(r.mac)) body.push(`option dhcp-client-identifier ${r.clientId};`);
    out.push(`host ${name} {`, ...body.map((b) => `  ${b}`), '}');
  });
  return `${out.join('\n')}\n`;
}

// ---- reading: tokens and statements ----

interface Token {
  text: string;
  line: number;
  /** A quoted string: text is its decoded content (bytes as latin1 characters). */
  quoted: boolean;
}

interface Stmt {
  words: Token[];
  line: number;
  block?: Stmt[];
}

class IscSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly code: string,
    readonly params: TextParams,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';' || c === ',') {
      out.push({ text: c, line, quoted: false });
      i++;
    } else if (c === '"') {
      const start = line;
      i++;
      const bytes: number[] = [];
      for (;;) {
        if (i >= n) throw new IscSyntaxError(start, 'isc-quote', {}, 'a quoted string is never closed');
        const ch = text[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\n') line++;
        if (ch === '\\') {
          const e = text[i + 1] ?? '';
          const oct = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
          const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1, i + 4));
          if (oct) {
            bytes.push(parseInt(oct[0], 8) & 0xff);
            i += 4;
          } else if (hex) {
            bytes.push(parseInt(hex[1]!, 16));
            i += 1 + hex[0].length;
          } else {
            const map: Record<string, number> = { t: 9, r: 13, n: 10, b: 8 };
            bytes.push(map[e] ?? e.charCodeAt(0));
            i += 2;
          }
          continue;
        }
        bytes.push(...Buffer.from(ch, 'utf8'));
        i++;
      }
      out.push({ text: Buffer.from(bytes).toString('latin1'), line: start, quoted: true });
    } else {
      let j = i;
      while (j < n && !/[\s{};,"#]/.test(text[j]!)) j++;
      out.push({ text: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  return out;
}

function missingSemicolon(words: Token[]): IscSyntaxError {
  const text = words.map((w) => w.text).join(' ');
  return new IscSyntaxError(words[0]!.line, 'isc-semicolon', { text }, `"${text}" is missing its ";"`);
}

function statements(tokens: Token[]): Stmt[] {
  let pos = 0;
  const block = (depth: number): Stmt[] => {
    const list: Stmt[] = [];
    let words: Token[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if (!t.quoted && t.text === ';') {
        if (words.length) list.push({ words, line: words[0]!.line });
        words = [];
      } else if (!t.quoted && t.text === '{') {
        const line = words[0]?.line ?? t.line;
        list.push({ words, line, block: block(depth + 1) });
        words = [];
      } else if (!t.quoted && t.text === '}') {
        if (depth === 0) throw new IscSyntaxError(t.line, 'isc-close', {}, 'a "}" without a matching "{"');
        if (words.length) throw missingSemicolon(words);
        return list;
      } else words.push(t);
    }
    if (depth > 0) throw new IscSyntaxError(tokens[tokens.length - 1]?.line ?? 1, 'isc-open', {}, 'a "{" block is never closed');
    if (words.length) throw missingSemicolon(words);
    return list;
  };
  return block(0);
}

// ---- reading: values ----

const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

/** "1 2026/11/23 10:45:01" (UTC), "epoch 1795431291", or "never" → epoch ms (never → Infinity). */
function parseDate(words: Token[]): number | undefined {
  const t = words.map((w) => w.text);
  if (t[0] === 'never') return Infinity;
  if (t[0] === 'epoch' && /^\d+$/.test(t[1] ?? '')) return Number(t[1]) * 1000;
  const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(t[1] ?? '');
  const h = /^(\d+):(\d+):(\d+)$/.exec(t[2] ?? '');
  if (!/^\d$/.test(t[0] ?? '') || !m || !h) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(h[1]), Number(h[2]), Number(h[3]));
}

/** uid / dhcp-client-identifier / agent ids: colon hex or a quoted string (bytes). */
function bytesValue(w: Token | undefined): string | undefined {
  if (!w) return undefined;
  if (w.quoted) return w.text === '' ? undefined : Buffer.from(w.text, 'latin1').toString('hex').match(/../g)!.join(':');
  return normaliseHex(w.text.split(':').map((p) => p.padStart(2, '0')).join(':'));
}

const ISC_STATE: Record<string, PortableState> = {
  active: 'bound',
  free: 'expired',
  expired: 'expired',
  backup: 'expired',
  reset: 'expired',
  released: 'released',
  abandoned: 'declined',
};

export function parse(text: string, now: number): ParseResult {
  const res = emptyResult();
  let stmts: Stmt[];
  try {
    stmts = statements(tokenize(text));
  } catch (e) {
    if (!(e instanceof IscSyntaxError)) throw e;
    res.problems.push(problem(e.line, e.code, e.params, e.message));
    return res;
  }
  const leases = new Map<string, PortableLease>();
  const hosts = new Map<string, PortableReservation>();
  let ipv6 = 0;
  const walk = (list: Stmt[]): void => {
    for (const s of list) {
      const kw = s.words[0]?.text.toLowerCase();
      if (s.block && kw === 'lease' && s.words.length === 2) {
        const ip = s.words[1]!.text;
        if (!isIpv4(ip)) {
          res.problems.push(problem(s.line, 'isc-lease-ip', { value: ip }, `"lease ${ip}": not an IPv4 address`));
          continue;
        }
        const l = readLease(ip, s, now, res);
        if (l) leases.set(ip, l); // a later declaration of the same address supersedes the earlier
        else leases.delete(ip);
      } else if (s.block && kw === 'host' && s.words.length === 2) {
        const name = s.words[1]!.text;
        if (s.block.some((x) => x.words[0]?.text === 'deleted')) {
          hosts.delete(name);
          continue;
        }
        const r = readHost(name, s, res);
        if (r) hosts.set(name, r);
      } else if (s.block && (kw === 'ia-na' || kw === 'ia_na' || kw === 'ia_ta' || kw === 'ia_pd')) {
        ipv6++;
      } else if (s.block) walk(s.block); // subnet, shared-network, group, pool, class …
    }
  };
  walk(stmts);
  res.leases.push(...leases.values());
  res.reservations.push(...hosts.values());
  if (ipv6) addNote(res, 'isc-ipv6', { count: ipv6 }, `${ipv6} DHCPv6 lease(s) skipped`);
  return res;
}

function readLease(ip: string, s: Stmt, now: number, res: ParseResult): PortableLease | undefined {
  let starts: number | undefined;
  let ends: number | undefined;
  let cltt: number | undefined;
  let binding = 'free';
  let mac: string | undefined;
  let clientId: string | undefined;
  let hostname: string | undefined;
  let vendorClass: string | undefined;
  let circuitId: string | undefined;
  let remoteId: string | undefined;
  for (const st of s.block ?? []) {
    const w = st.words;
    const k = w[0]?.text.toLowerCase();
    const date = () => {
      const d = parseDate(w.slice(1));
      const text = w.map((x) => x.text).join(' ');
      if (d === undefined) res.problems.push(problem(st.line, 'isc-date', { text }, `"${text}": not a date like "1 2026/11/23 10:45:01", "epoch N" or "never"`));
      return d;
    };
    if (k === 'starts') starts = date();
    else if (k === 'ends') ends = date();
    else if (k === 'cltt') cltt = date();
    else if (k === 'binding' && w[1]?.text === 'state') binding = (w[2]?.text ?? '').toLowerCase();
    else if (k === 'hardware') {
      const m = looseMac(w[2]?.text ?? '');
      const text = w.map((x) => x.text).join(' ');
      if (!m) res.problems.push(problem(st.line, 'isc-hardware', { text }, `"${text}": not an Ethernet MAC address`));
      else mac = m;
    } else if (k === 'uid') clientId = bytesValue(w[1]);
    else if (k === 'client-hostname' && w[1]) hostname = utf8(w[1].text);
    else if (k === 'set' && w[1]?.text === 'vendor-class-identifier' && w[3]?.quoted) vendorClass = utf8(w[3].text);
    else if (k === 'option' && w[1]?.text === 'agent.circuit-id') circuitId = bytesValue(w[2]);
    else if (k === 'option' && w[1]?.text === 'agent.remote-id') remoteId = bytesValue(w[2]);
  }
  const state = ISC_STATE[binding];
  if (!state) {
    res.problems.push(problem(s.line, 'isc-binding', { ip, value: binding }, `lease ${ip}: unknown binding state "${binding}"`));
    return undefined;
  }
  // A free address that no client ever held: nothing to import.
  if (!mac && !clientId) return undefined;
  if (ends === undefined) {
    res.problems.push(problem(s.line, 'isc-no-ends', { ip }, `lease ${ip} has no "ends" date`));
    return undefined;
  }
  const expiresAt = ends === Infinity ? NEVER_EXPIRES : ends;
  const out: PortableLease = { ip, mac: mac ?? '', state: state === 'bound' && expiresAt <= now ? 'expired' : state, expiresAt, line: s.line };
  if (starts !== undefined && starts !== Infinity) out.startsAt = starts;
  if (cltt !== undefined && cltt !== Infinity) out.lastSeen = cltt;
  if (clientId) out.clientId = clientId;
  if (hostname) out.hostname = hostname;
  if (vendorClass) out.vendorClass = vendorClass;
  if (circuitId) out.circuitId = circuitId.replace(/:/g, '');
  if (remoteId) out.remoteId = remoteId.replace(/:/g, '');
  return out;
}

function readHost(name: string, s: Stmt, res: ParseResult): PortableReservation | undefined {
  let mac: string | undefined;
  let ip: string | undefined;
  let hostname: string | undefined;
  let clientId: string | undefined;
  for (const st of s.block ?? []) {
    const w = st.words;
    const k = w[0]?.text.toLowerCase();
    if (k === 'hardware') {
      const m = looseMac(w[2]?.text ?? '');
      if (!m) {
        const text = w.map((x) => x.text).join(' ');
        res.problems.push(problem(st.line, 'isc-host-hardware', { name, text }, `host ${name}: "${text}" is not an Ethernet MAC address`));
        return undefined;
      }
      mac = m;
    } else if (k === 'fixed-address') {
      const first = w[1]?.text ?? '';
      if (!isIpv4(first)) {
        addNote(res, 'isc-fixed-name', { line: String(st.line), name, value: first }, `line ${st.line}: host ${name} has fixed-address "${first}", a DNS name or none: skipped (resolve it to an IPv4 address first)`);
        return undefined;
      }
      ip = first;
    } else if ((k === 'option' && w[1]?.text === 'host-name') || k === 'ddns-hostname') hostname = utf8((k === 'option' ? w[2] : w[1])?.text ?? '') || undefined;
    else if (k === 'option' && w[1]?.text === 'dhcp-client-identifier') clientId = bytesValue(w[2]);
  }
  if (!mac && clientId && /^01(:[0-9a-f]{2}){6}$/.test(clientId)) mac = clientId.slice(3);
  if (!mac) {
    addNote(res, 'isc-no-hardware', { line: String(s.line), name }, `line ${s.line}: host ${name} has no hardware ethernet address: skipped`);
    return undefined;
  }
  if (!ip) {
    addNote(res, 'isc-no-fixed', { line: String(s.line), name }, `line ${s.line}: host ${name} has no fixed-address: skipped`);
    return undefined;
  }
  const declName = name.replace(/^"|"$/g, '');
  if (!hostname && !PLACEHOLDER_RE.test(declName)) hostname = declName;
  return { mac, ip, line: s.line, ...(hostname ? { hostname } : {}), ...(clientId ? { clientId } : {}) };
}
