// Shared helpers for the lease tests: records, temp dirs, raw file access.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease } from '../../../src-main/dhcp/lease.js';

export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

export function mkLease(i: number, over: Partial<Lease> = {}): Lease {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return {
    ip: `198.18.${(i >> 8) & 255}.${i & 255}`,
    clientId: `01:02:00:00:00:${hex((i >> 8) & 255)}:${hex(i & 255)}`,
    mac: `02:00:00:00:${hex((i >> 8) & 255)}:${hex(i & 255)}`,
    state: 'bound',
    subnet: '198.18.0.0/15',
    startsAt: T0,
    expiresAt: T0 + 3_600_000,
    firstSeen: T0,
    lastSeen: T0,
    ...over,
  };
}

export function tempDir(prefix = 'leases-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

export function docLine(l: Lease): string {
  return JSON.stringify({ _id: l.ip, ...l });
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** chattr +i / -i; false when the file system or the tool does not support it. */
export function chattr(flag: '+i' | '-i', path: string): boolean {
  try {
    execFileSync('chattr', [flag, path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const byIp = (a: Lease, b: Lease) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
