// Configuration edge cases through the real CLI (test/unit/config checks the schema and the
// resolver as functions; this checks what a user of `pocket-dhcp serve` sees and gets):
//   refused — exit code 2, "invalid configuration:", the field and what is wrong, nothing opened;
//   served  — a /31, a one-address range, an infinite and a 136-year lease, end to end with udhcpc.
//   S: sv0 198.18.10.1/24 ──veth── C: cl0        S: p31 198.18.31.0/31 ──veth── C: c31
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { ISO_8601, RESERVED_IP, RESERVED_MAC, TempDirs, cliMissing, labConfig, readLeases, runCli, runUdhcpc, setMac, startServer, writeConfig, type Json } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const missing = avail.ok ? cliMissing() : undefined;
const skip = !avail.ok ? avail.reason : missing;
if (skip) console.warn(`[config edge cases integration] skipped: ${skip}`);

interface Refusal {
  name: string;
  config?: Json;
  flags?: string[];
  field: string;
  message: RegExp;
}

const sub0 = (over: Json): Json => labConfig({ subnet: over });

const REFUSALS: Refusal[] = [
  { name: 'overlapping subnets', config: labConfig({ extraSubnets: [{ subnet: '198.18.10.128/25', range: '198.18.10.200-198.18.10.210' }] }), field: 'subnets[1].subnet', message: /overlaps subnets\[0\] \(198\.18\.10\.0\/24\); each subnet must be separate/ },
  { name: 'a /32 subnet', config: sub0({ subnet: '198.18.10.1/32', range: '198.18.10.1-198.18.10.1', router: undefined, dns: undefined }), field: 'subnets[0].subnet', message: /holds a single address: no room for the server .* use a \/31/ },
  { name: 'lease time 0', config: labConfig({ leaseTime: 0 }), field: 'leaseTime', message: /must be at least 10 seconds/ },
  { name: 'lease time 0 in a subnet', config: sub0({ leaseTime: 0 }), field: 'subnets[0].leaseTime', message: /must be at least 10 seconds/ },
  { name: 'lease time 2^32 (beyond "infinite")', config: labConfig({ leaseTime: 4294967296 }), field: 'leaseTime', message: /must be at most 4294967295 \(which means "infinite"\)/ },
  { name: '--lease-time 0 on the command line', flags: ['--interface', 'sv0', '--range', '198.18.10.100-198.18.10.150', '--lease-time', '0'], field: 'leaseTime', message: /must be at least 10 seconds/ },
  { name: '--lease-time 99999999999 on the command line', flags: ['--interface', 'sv0', '--range', '198.18.10.100-198.18.10.150', '--lease-time', '99999999999'], field: 'leaseTime', message: /must be at most 4294967295/ },
  // (With the lab config's router, 198.18.10.1, the schema already names it as the router address.)
  { name: "a reservation of the server's own address", config: labConfig({ subnet: { router: '198.18.10.254' }, top: { reservations: [{ mac: RESERVED_MAC, ip: '198.18.10.1' }] } }), field: 'reservations[0].ip', message: /198\.18\.10\.1 is the server's own address \(interface sv0\)/ },
  { name: "a reservation of the server's address, which is also the router", config: labConfig({ top: { reservations: [{ mac: RESERVED_MAC, ip: '198.18.10.1' }] } }), field: 'reservations[0].ip', message: /198\.18\.10\.1 is the subnet's router address/ },
  { name: "--reserve of the server's own address", flags: ['--interface', 'sv0', '--range', '198.18.10.100-198.18.10.150', '--reserve', '02:00:5e:10:00:42=198.18.10.1'], field: 'reservations[0].ip', message: /is the server's own address/ },
  {
    name: 'the same MAC reserved twice, in three notations',
    config: labConfig({ top: { reservations: [{ mac: '02:00:5E:10:00:42', ip: '198.18.10.42' }, { mac: '0200.5e10.0042', ip: '198.18.10.43' }, { mac: '02-00-5e-10-00-42', ip: '198.18.10.44' }] } }),
    field: 'reservations[1].mac',
    message: /duplicate reservation: 02:00:5e:10:00:42 is already reserved in reservations\[0\]/,
  },
  { name: "a range holding the server's address", config: sub0({ range: '198.18.10.1-198.18.10.20' }), field: 'subnets[0].range', message: /contains the server's own address 198\.18\.10\.1 \(interface sv0\)/ },
  { name: 'a /31 whose range holds the server', config: { interface: 'p31', subnets: [{ subnet: '198.18.31.0/31', range: '198.18.31.0-198.18.31.1' }] }, field: 'subnets[0].range', message: /contains the server's own address 198\.18\.31\.0/ },
];

describe.skipIf(Boolean(skip))(`configuration edge cases through the CLI${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  const tmp = new TempDirs('cfgedge');
  const served: string[] = [];
  /** Names of the refusal cases that passed (the summary counts these, not the list's length). */
  const refused: string[] = [];

  beforeAll(async () => {
    lab = await createLab('relcfg');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    await lab.link('s', 'p31', '198.18.31.0/31', 'c', 'c31', null);
  });

  afterAll(async () => {
    await lab?.cleanup();
    tmp.cleanup();
    const parts = [
      refused.length ? `${refused.length} of ${REFUSALS.length} bad configurations refused by the CLI (exit 2, field named, nothing opened)` : '',
      served.length ? `served end to end: ${served.join(', ')}` : '',
    ].filter(Boolean);
    if (parts.length) recordProof('configuration', parts.join('; '));
  });

  it.each(REFUSALS.map((r) => [r.name, r] as const))('refused: %s', async (_name, r) => {
    const dir = tmp.make('refused');
    const dataDir = join(dir, 'data');
    const args = r.config ? ['serve', '--config', writeConfig(dir, r.config), '--data-dir', dataDir] : ['serve', ...r.flags!, '--data-dir', dataDir];
    const res = await runCli(lab, 's', args);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(2);
    expect(res.stderr).toMatch(/^pocket-dhcp: invalid configuration:\n/);
    const line = res.stderr.split('\n').find((l) => l.startsWith(`  ${r.field}: `));
    expect(line, `no line for ${r.field} in:\n${res.stderr}`).toBeDefined();
    expect(line).toMatch(r.message);
    expect(existsSync(dataDir), 'nothing was opened').toBe(false);
    refused.push(r.name);
  });

  it('a /31 (RFC 3021): the server takes one address, the client gets the other, mask 255.255.255.254', async () => {
    const dir = tmp.make('p31');
    const srv = await startServer(lab, 's', { config: { interface: 'p31', leaseTime: 600, subnets: [{ subnet: '198.18.31.0/31', range: '198.18.31.1-198.18.31.1' }] }, dir });
    try {
      const { result, rec } = await runUdhcpc(lab, 'c', 'c31', { dir });
      expect(result.code, result.stderr).toBe(0);
      const bound = rec.records().find((x) => x.ARG1 === 'bound')!;
      expect(bound.ip).toBe('198.18.31.1');
      expect(bound.subnet).toBe('255.255.255.254');
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
    served.push('/31');
  });

  it('a range of one address: the first client gets it, the second meets "pool exhausted" (logged), the first keeps it', async () => {
    const dir = tmp.make('one');
    const srv = await startServer(lab, 's', { config: sub0({ range: '198.18.10.100-198.18.10.100' }), dir });
    try {
      await setMac(lab, 'c', 'cl0', '02:00:5e:10:01:01');
      const a = await runUdhcpc(lab, 'c', 'cl0', { dir, name: 'a' });
      expect(a.result.code, a.result.stderr).toBe(0);
      expect(a.rec.records().find((x) => x.ARG1 === 'bound')?.ip).toBe('198.18.10.100');
      await setMac(lab, 'c', 'cl0', '02:00:5e:10:01:02');
      const b = await runUdhcpc(lab, 'c', 'cl0', { dir, name: 'b', tries: 2 });
      expect(b.result.code).not.toBe(0);
      expect(b.rec.records().some((x) => x.ARG1 === 'bound')).toBe(false);
      const exhausted = srv.events().find((e) => e.kind === 'dhcp' && (e.event as Json).type === 'pool-exhausted');
      expect((exhausted?.event as Json | undefined)?.mac).toBe('02:00:5e:10:01:02');
      await setMac(lab, 'c', 'cl0', '02:00:5e:10:01:01');
      const again = await runUdhcpc(lab, 'c', 'cl0', { dir, name: 'a2' });
      expect(again.rec.records().find((x) => x.ARG1 === 'bound')?.ip).toBe('198.18.10.100');
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
    served.push('one-address range (2nd client: pool exhausted)');
  });

  it('an infinite lease (4294967295 s): the client is told so, and `leases` shows it as never expiring — in every format, also after a restart', async () => {
    const dir = tmp.make('inf');
    const config = labConfig({ leaseTime: 4294967295 });
    await setMac(lab, 'c', 'cl0', '02:00:5e:10:01:03');
    let srv = await startServer(lab, 's', { config, dir });
    try {
      const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir });
      expect(result.code, result.stderr).toBe(0);
      const bound = rec.records().find((x) => x.ARG1 === 'bound')!;
      expect(bound.lease).toBe('4294967295');
      // No T1/T2 for a lease that never ends (RFC 2131 §4.4.5 timers are fractions of it).
      expect(bound.renewal ?? bound.t1).toBeUndefined();
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
    for (let round = 0; round < 2; round++) {
      const json = await readLeases(lab, 's', join(dir, 'data'));
      const l = json.find((x) => x.mac === '02:00:5e:10:01:03')!;
      expect(l.state).toBe('bound');
      expect(l.expiresAt).toBeNull();
      const table = await runCli(lab, 's', ['leases', '--data-dir', join(dir, 'data')]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/198\.18\.10\.\d+ +02:00:5e:10:01:03 .* bound +never expires/);
      const csv = await runCli(lab, 's', ['leases', '--data-dir', join(dir, 'data'), '--format', 'csv']);
      expect(csv.code, csv.stderr).toBe(0);
      expect(csv.stdout).toMatch(/02:00:5e:10:01:03,01:02:00:5e:10:01:03,[^,]*,bound,198\.18\.10\.0\/24,[^,]+,,/);
      if (round === 0) {
        // The restart loads it as bound (not expired) and stops cleanly.
        srv = await startServer(lab, 's', { config, dir });
        expect((await srv.stop()).code).toBe(0);
      }
    }
    served.push('infinite lease');
  });

  it('a 136-year lease (4294967294 s): served, with T1/T2, and exported with its real expiry date', async () => {
    const dir = tmp.make('huge');
    await setMac(lab, 'c', 'cl0', '02:00:5e:10:01:04');
    const srv = await startServer(lab, 's', { config: labConfig({ leaseTime: 4294967294 }), dir });
    try {
      const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir });
      expect(result.code, result.stderr).toBe(0);
      expect(rec.records().find((x) => x.ARG1 === 'bound')?.lease).toBe('4294967294');
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
    const l = (await readLeases(lab, 's', join(dir, 'data'))).find((x) => x.mac === '02:00:5e:10:01:04')!;
    expect(l.expiresAt).toMatch(ISO_8601);
    expect(new Date(l.expiresAt).getUTCFullYear()).toBeGreaterThanOrEqual(2160);
    served.push('136-year lease');
  });

  it('serve on a data directory written by a newer version: exit 1 with the reason and the fix; the file is untouched, nothing listened', async () => {
    const dir = tmp.make('newer');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const content = `${JSON.stringify({ _id: '__meta__', format: 7, app: 'pocket-dhcp' })}\n`;
    writeFileSync(join(dataDir, 'leases.db'), content);
    const res = await runCli(lab, 's', ['serve', '--config', writeConfig(dir, labConfig()), '--data-dir', dataDir, '--log', 'json']);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/written by a newer version of Pocket DHCP \(lease file format 7; this version reads format 1\)\. Update Pocket DHCP/);
    expect(res.stdout).not.toMatch(/"kind":"started"/);
    expect(readFileSync(join(dataDir, 'leases.db'), 'utf8')).toBe(content);
    expect(readdirSync(dataDir)).toEqual(['leases.db']);
  });

  it('serve on a damaged lease file: starts, says in its log what it repaired and where the bad lines went', async () => {
    const dir = tmp.make('damaged');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const rec = (i: number) => JSON.stringify({ _id: `198.18.10.${i}`, ip: `198.18.10.${i}`, clientId: `01:02:00:5e:10:02:0${i}`, mac: `02:00:5e:10:02:0${i}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: Date.now(), expiresAt: Date.now() + 3_600_000, firstSeen: Date.now(), lastSeen: Date.now() });
    writeFileSync(join(dataDir, 'leases.db'), `${rec(2)}\n@@ not a record @@\n${rec(3)}\n${rec(4).slice(0, 25)}`);
    const srv = await startServer(lab, 's', { config: sub0({ range: '198.18.10.2-198.18.10.90' }), dir, dataDir });
    try {
      const warnings = srv.events().filter((e) => e.kind === 'warning' && e.code === 'lease-file').map((e) => String(e.message));
      expect(warnings.join('\n')).toMatch(/Moved 1 unreadable line\(s\) of .*leases\.db to .*leases\.db\.quarantine-\d{8}T\d{6}Z: line 2 \(not valid JSON\)/);
      expect(warnings.join('\n')).toMatch(/Cut off an incomplete last line \(line 4, 25 bytes\)/);
      expect(readdirSync(dataDir).some((f) => f.startsWith('leases.db.quarantine-'))).toBe(true);
      expect((await readLeases(lab, 's', dataDir)).map((l) => l.ip).sort()).toEqual(['198.18.10.2', '198.18.10.3']);
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
  });

  it('the reserved client of the lab config gets its reservation (the refusals above are about the configuration, not the feature)', async () => {
    const dir = tmp.make('res');
    await setMac(lab, 'c', 'cl0', RESERVED_MAC);
    const srv = await startServer(lab, 's', { config: labConfig(), dir });
    try {
      const { rec } = await runUdhcpc(lab, 'c', 'cl0', { dir });
      expect(rec.records().find((x) => x.ARG1 === 'bound')?.ip).toBe(RESERVED_IP);
    } finally {
      expect((await srv.stop()).code).toBe(0);
    }
  });
});
