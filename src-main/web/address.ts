// `--web [HOST:]PORT`: where the web UI listens. Loopback unless the user opts in explicitly —
// the UI can start a DHCP server, so anyone who reaches it with the token controls the network.
import { isIP } from 'node:net';

export interface WebAddress {
  host: string;
  port: number;
}

export class WebAddressError extends Error {
  override readonly name = 'WebAddressError';
}

/** "8080", "127.0.0.1:8080", "[::1]:8080", "localhost:8080", "0.0.0.0:8080". */
export function parseWebAddress(spec: string): WebAddress {
  const s = spec.trim();
  let host = '127.0.0.1';
  let portText = s;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (s.includes(':')) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    portText = s.slice(i + 1);
    if (host.includes(':')) throw new WebAddressError(`"${spec}": write an IPv6 address in brackets, e.g. [::1]:8080`);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new WebAddressError(`"${spec}": the port must be a number 0–65535, e.g. --web 127.0.0.1:8080`);
  if (host === '') throw new WebAddressError(`"${spec}": the host is empty; use e.g. --web 127.0.0.1:8080`);
  if (host !== 'localhost' && isIP(host) === 0) throw new WebAddressError(`"${spec}": "${host}" is not an IP address (use an address of this machine, e.g. 127.0.0.1)`);
  return { host, port: Number(portText) };
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return false;
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** Throws unless the address is loopback or `allowRemote` is set. */
export function checkWebExposure(addr: WebAddress, allowRemote: boolean): void {
  if (isLoopbackHost(addr.host) || allowRemote) return;
  throw new WebAddressError(
    `refusing to serve the web UI on ${addr.host}: it would be reachable from the network, and whoever has the link controls this DHCP server. ` +
      `Use a loopback address (--web 127.0.0.1:${addr.port}) and an SSH tunnel, or add --web-allow-remote if you really want that.`,
  );
}

/** `host:port` as it appears in a URL ("[::1]:8080"). */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
