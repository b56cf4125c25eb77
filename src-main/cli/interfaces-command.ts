// `pocket-dhcp interfaces`: what the interface picker shows, for a terminal.
import { listInterfaces, type NetInterface } from '../net/interfaces.js';

function notes(i: NetInterface): string {
  const n: string[] = [];
  if (i.loopback) n.push('loopback');
  if (!i.up) n.push(i.adminUp ? 'no link' : 'down');
  if (i.ipv4.some((a) => a.dynamic)) n.push('address from DHCP: another server runs this network');
  if (i.ipv4.length === 0 && !i.loopback) n.push('no IPv4: set a static address to serve here');
  if (i.wireless) n.push('Wi-Fi');
  if (i.kind) n.push(i.kind);
  return n.join('; ');
}

export async function runInterfaces(opts: { json?: boolean }): Promise<void> {
  const list = await listInterfaces();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  const rows = list.map((i) => [i.name, i.up ? 'up' : 'down', i.mac ?? '-', i.ipv4.map((a) => `${a.address}/${a.prefix}`).join(', ') || '-', notes(i)]);
  const head = ['INTERFACE', 'STATE', 'MAC', 'IPV4', 'NOTES'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]!))).join('  ').trimEnd();
  process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n`);
}
