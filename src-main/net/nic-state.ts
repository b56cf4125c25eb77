// The saved "before" of every interface Pocket DHCP gave a static address: <dataDir>/nic-state.json,
// written atomically (leases/json-file.ts) *before* the first command changes anything, removed once
// the interface is back as it was. A record that is still there when the app or `serve` starts
// means the last session ended without restoring (a crash, a power cut): the UI offers to restore,
// `pocket-dhcp nic restore` does it.
//
// The file is validated strictly on read: restore builds commands from it (run as root by the
// helper or the elevated CLI), so nothing in it may look like an option or carry shell syntax.
import { join } from 'node:path';
import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import { isIpv4 } from '../dhcp/ip.js';
import { readJsonFile, writeJsonFileAtomic } from '../leases/json-file.js';
import { fsyncDir } from '../leases/fsync.js';
import type { AppliedChange } from './nic-plan.js';

export const NIC_STATE_FILE = 'nic-state.json';

export interface SavedNicChange extends AppliedChange {
  /** Epoch ms. */
  appliedAt: number;
  /** Who applied it (for the restore offer's wording). */
  by: 'app' | 'cli' | 'helper' | 'web';
  /** All commands ran; false = interrupted halfway (restore still runs, skipping what is not there). */
  complete: boolean;
}

const name = z.string().min(1).max(256).regex(/^[^"'`$\\\u0000-\u001f\u007f;|&<>!]+$/).refine((s) => !s.startsWith('-'), 'must not start with "-"');
const ip = z.string().refine(isIpv4, 'is not an IPv4 address');
const addr = z.object({ address: ip, prefix: z.number().int().min(0).max(32), dynamic: z.boolean(), broadcast: ip.optional() }).strict();
const previous = z.discriminatedUnion('method', [
  z.object({ method: z.literal('ip'), adminUp: z.boolean(), addresses: z.array(addr).max(256) }).strict(),
  z
    .object({
      method: z.literal('nmcli'),
      adminUp: z.boolean(),
      addresses: z.array(addr).max(256),
      activeConnection: z.object({ name: z.string().max(512), uuid: z.string().regex(/^[0-9a-fA-F-]{8,64}$/) }).strict().optional(),
      profileExists: z.boolean(),
    })
    .strict(),
  z
    .object({
      method: z.literal('networksetup'),
      service: name,
      config: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('dhcp') }).strict(),
        z.object({ kind: z.literal('bootp') }).strict(),
        z.object({ kind: z.literal('off') }).strict(),
        z.object({ kind: z.literal('manual'), address: ip, mask: ip, router: ip.optional() }).strict(),
        z.object({ kind: z.literal('manual-dhcp-router'), address: ip }).strict(),
      ]),
    })
    .strict(),
  z.object({ method: z.literal('netsh'), dhcp: z.boolean(), addresses: z.array(addr).max(256), gateway: ip.optional() }).strict(),
]);

const change = z
  .object({
    platform: z.enum(['linux', 'darwin', 'win32']),
    interface: name,
    address: ip,
    prefix: z.number().int().min(8).max(30),
    method: z.enum(['ip', 'nmcli', 'networksetup', 'netsh']),
    previous,
    addedAddress: z.boolean().optional(),
    appliedAt: z.number(),
    by: z.enum(['app', 'cli', 'helper', 'web']),
    complete: z.boolean(),
  })
  .strict()
  .refine((c) => c.method === c.previous.method, 'method and previous.method differ');

const fileSchema = z.object({ version: z.literal(1), changes: z.record(z.string(), change) }).strict();

export function nicStatePath(dataDir: string): string {
  return join(dataDir, NIC_STATE_FILE);
}

/** Every saved change, oldest first. Throws JsonFileError (naming the file and the fix) on a bad file. */
export async function readNicState(dataDir: string): Promise<SavedNicChange[]> {
  const data = await readJsonFile(nicStatePath(dataDir), fileSchema);
  if (!data) return [];
  return Object.values(data.changes as Record<string, SavedNicChange>).sort((a, b) => a.appliedAt - b.appliedAt);
}

export async function findNicChange(dataDir: string, ifname: string): Promise<SavedNicChange | undefined> {
  return (await readNicState(dataDir)).find((c) => c.interface === ifname);
}

async function writeAll(dataDir: string, changes: SavedNicChange[]): Promise<void> {
  const path = nicStatePath(dataDir);
  if (changes.length === 0) {
    try {
      await unlink(path);
      await fsyncDir(dataDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return;
  }
  const record: Record<string, SavedNicChange> = {};
  for (const c of changes) record[c.interface] = c;
  await writeJsonFileAtomic(path, { version: 1, changes: record }, { mode: 0o644 });
}

/** Records (or replaces) the saved change of `c.interface`. */
export async function saveNicChange(dataDir: string, c: SavedNicChange): Promise<void> {
  const parsed = change.safeParse(c);
  if (!parsed.success) throw new Error(`refusing to save an invalid interface change: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const all = (await readNicState(dataDir)).filter((x) => x.interface !== c.interface);
  await writeAll(dataDir, [...all, c]);
}

/** Forgets the saved change of `ifname` (no-op when there is none); the file goes with the last one. */
export async function removeNicChange(dataDir: string, ifname: string): Promise<void> {
  const all = await readNicState(dataDir);
  if (!all.some((c) => c.interface === ifname)) return;
  await writeAll(dataDir, all.filter((c) => c.interface !== ifname));
}
