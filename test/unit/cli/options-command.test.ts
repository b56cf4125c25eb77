// `pocket-dhcp options` in-process: every scope's options with the bytes the server sends (the
// encoder the UI's hex preview uses), the configuration's warnings, the device templates, and
// exit 2 with the field named for an invalid configuration.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/index.js';
import { parseConfig } from '../../../src-main/config/schema.js';
import { buildReplyOptions } from '../../../src-main/dhcp/reply-options.js';
import { resolveConfig } from '../../../src-main/config/resolve.js';
import { toColonHex } from '../../../src-main/dhcp/option-json.js';
import { MessageType } from '../../../src-main/dhcp/options.js';
import { PHONE_TEMPLATES } from '../../../src-main/dhcp/phone-templates.js';
import { VENDOR_TEMPLATES } from '../../../src-main/dhcp/vendor-options.js';
import { encodedPreview } from '../../../src-renderer/src/lib/option-model.js';
import { runCli } from '../../helpers/cli-run.js';

const CONFIG = {
  interface: 'eth1',
  subnets: [
    {
      subnet: '198.18.10.0/24',
      range: '198.18.10.100-198.18.10.150',
      router: '198.18.10.1',
      dns: ['198.18.10.53'],
      domain: 'lab.test',
      options: {
        'ntp-servers': ['198.18.10.1'],
        // RFC 3442: routes without 0.0.0.0/0 while a router is set — the warning.
        'classless-static-route': [{ destination: '198.18.30.0/24', router: '198.18.10.3' }],
        'vendor-encapsulated-options': [{ code: 1, type: 'ip', value: '198.18.10.5' }],
        '224': '01:02',
      },
    },
  ],
  classes: [{ name: 'windows', vendorClass: 'MSFT 5.0', match: 'prefix', options: { 'netbios-node-type': 8 } }],
  pxe: { tftpServer: '198.18.10.5', bios: 'undionly.kpxe' },
  reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20', hostname: 'printer', options: { 'avaya-ip-phone': 'MCIPADD=198.18.10.9,MCPORT=1719' } }],
};

let dir: string;
let out = '';
let err = '';

async function run(...args: string[]): Promise<number> {
  const r = await runCli(main, args);
  out = r.out;
  err = r.err;
  return r.code;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-options-cli-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Scope {
  kind: string;
  name: string;
  field: string;
  detail?: string;
  nextServer?: string;
  bootFile?: string;
  options: { field: string; code: number; name: string; value: unknown; hex: string; wire: string }[];
}

describe('pocket-dhcp options', () => {
  it('--json: every scope with each option\'s wire bytes, the same bytes the UI previews and the server sends', async () => {
    expect(await run('options', '--config', join(dir, 'config.json'), '--json')).toBe(0);
    const r = JSON.parse(out) as { scopes: Scope[]; warnings: { field: string; message: string }[] };
    expect(r.scopes.map((s) => `${s.kind} ${s.name} ${s.field}`)).toEqual([
      'subnet 198.18.10.0/24 subnets[0]',
      'class pxe-bios pxe',
      'class windows classes[0]',
      'reservation 02:00:00:00:00:aa → 198.18.10.20 reservations[0]',
    ]);
    const subnet = r.scopes[0]!;
    expect(subnet.options.map((o) => o.code)).toEqual([1, 3, 6, 15, 42, 43, 121, 224]);
    expect(subnet.options[0]).toMatchObject({ field: 'subnets[0].subnet', name: 'subnet-mask', value: '255.255.255.0', wire: '01:04:ff:ff:ff:00' });
    expect(subnet.options.find((o) => o.code === 3)).toMatchObject({ field: 'subnets[0].router', name: 'routers', wire: '03:04:c6:12:0a:01' });
    expect(subnet.options.find((o) => o.code === 43)).toMatchObject({ field: 'subnets[0].options.vendor-encapsulated-options', wire: '2b:06:01:04:c6:12:0a:05' });
    expect(subnet.options.find((o) => o.code === 224)).toMatchObject({ name: 'option-224', wire: 'e0:02:01:02' });
    // The UI's preview path gives the same bytes for every option listed.
    for (const s of r.scopes) for (const o of s.options) expect(encodedPreview(o.code, o.value), o.field).toMatchObject({ wire: o.wire, hex: o.hex });
    expect(r.scopes[1]).toMatchObject({ detail: 'architecture 0 (x86 BIOS)', nextServer: '198.18.10.5', bootFile: 'undionly.kpxe' });
    expect(r.scopes[2]!.detail).toBe('vendor class "MSFT 5.0" (prefix)');
    expect(r.scopes[3]!.options.map((o) => [o.code, o.field])).toEqual([[12, 'reservations[0].hostname'], [242, 'reservations[0].options.avaya-ip-phone']]);
    expect(r.warnings).toEqual([{ field: 'subnets[0].options.classless-static-route', message: expect.stringMatching(/no default route \(0\.0\.0\.0\/0\).*RFC 3442/) }]);

    // …and the server's reply to the reserved client carries exactly those bytes.
    const engine = resolveConfig(parseConfig(CONFIG), { address: '198.18.10.1', prefix: 24 });
    const reply = buildReplyOptions({ type: MessageType.ACK, serverId: '198.18.10.1', subnet: engine.subnets[0]!, reservation: engine.reservations[0]!, leaseTime: 600, request: new Map() });
    for (const o of [...subnet.options, ...r.scopes[3]!.options]) expect(toColonHex(reply.get(o.code) ?? new Uint8Array()), o.field).toBe(o.hex);
  });

  it('text: one line per option, value and wire bytes; the warnings at the end', async () => {
    expect(await run('options', '--config', join(dir, 'config.json'))).toBe(0);
    expect(out).toMatch(/^subnet 198\.18\.10\.0\/24 {2}\(subnets\[0\]\)$/m);
    expect(out).toMatch(/^ {4}3 {2}routers +\["198\.18\.10\.1"\] +03:04:c6:12:0a:01$/m);
    expect(out).toMatch(/^class windows — vendor class "MSFT 5\.0" \(prefix\) {2}\(classes\[0\]\)$/m);
    expect(out).toMatch(/^ {2}242 {2}avaya-ip-phone +"MCIPADD=198\.18\.10\.9,MCPORT=1719" +f2:1f:4d:43/m);
    expect(out).toMatch(/\nwarnings:\n {2}subnets\[0\]\.options\.classless-static-route: has no default route/);
  });

  it('reads the settings saved in a data directory (-d)', async () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...CONFIG, reservations: [] }));
    expect(await run('options', '-d', dir, '--json')).toBe(0);
    expect((JSON.parse(out) as { scopes: Scope[] }).scopes.map((s) => s.kind)).toEqual(['subnet', 'class', 'class']);
  });

  it('an invalid configuration exits 2 naming the field and the problem; no settings at all says what to give', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...CONFIG, reservations: [{ mac: '02:00:00:00:00:aa', ip: '198.18.10.20', options: { 'ntp-servers': 'nope' } }] }));
    expect(await run('options', '--config', join(dir, 'bad.json'))).toBe(2);
    expect(err).toContain('reservations[0].options.ntp-servers: option 42 (ntp-servers): expected a non-empty list of IPv4 addresses');
    expect(out).toBe('');
    writeFileSync(join(dir, 'notjson.json'), '{ nope');
    expect(await run('options', '--config', join(dir, 'notjson.json'))).toBe(2);
    expect(err).toMatch(/is not valid JSON/);
    const empty = mkdtempSync(join(tmpdir(), 'pd-options-empty-'));
    try {
      expect(await run('options', '-d', empty)).toBe(2);
      expect(err).toMatch(/no settings are saved in .*give a configuration file with --config FILE/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('--templates lists every option 43 template and phone preset with its bytes', async () => {
    expect(await run('options', '--templates', '--json')).toBe(0);
    const l = JSON.parse(out) as { vendor: { id: string; wire: string }[]; phone: { id: string; options: { code: number; wire: string }[] }[] };
    expect(l.vendor.map((t) => t.id)).toEqual(VENDOR_TEMPLATES.map((t) => t.id));
    expect(l.phone.map((t) => t.id)).toEqual(PHONE_TEMPLATES.map((t) => t.id));
    expect(l.vendor.find((t) => t.id === 'unifi')!.wire).toBe('2b:06:01:04:c6:12:00:0a');
    expect(l.phone.find((t) => t.id === 'cisco-phone')!.options).toEqual([expect.objectContaining({ code: 150, wire: '96:04:c6:12:00:0a' })]);
    expect(l.phone.find((t) => t.id === 'avaya-h323')!.options[0]!.code).toBe(242);
    expect(await run('options', '--templates')).toBe(0);
    expect(out).toMatch(/^ {2}mitel +Mitel IP phones/m);
    expect(out).toMatch(/^ {2}yealink +Yealink phones/m);
  });
});
