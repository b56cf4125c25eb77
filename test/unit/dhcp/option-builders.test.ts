// Option builders: option 43 TLVs, RFC 3442 routes, option 93 architectures, client classes and
// the PXE section, and the precedence reservation > class > subnet — through the real engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classSpecs, resolveConfig } from '../../../src-main/config/resolve.js';
import { optionProblem, parseConfig, type UserConfigInput } from '../../../src-main/config/schema.js';
import { configWarnings, routesWarning } from '../../../src-main/config/warnings.js';
import { archName, classMatches, firmwareOfArch, pxeClasses, selectClass, type ClassPolicy } from '../../../src-main/dhcp/client-classes.js';
import { decode, encode } from '../../../src-main/dhcp/codec.js';
import { optionFromJson, toColonHex } from '../../../src-main/dhcp/option-json.js';
import { decodeOptionValue, encodeOptionValue, getOption, OptionValueError, setOption } from '../../../src-main/dhcp/options.js';
import { encodeVendorOption, previewVendorOption, VENDOR_TEMPLATES, type VendorSubOption } from '../../../src-main/dhcp/vendor-options.js';
import { PHONE_TEMPLATES } from '../../../src-main/dhcp/phone-templates.js';
import { intToIp, ipToInt } from '../../../src-main/dhcp/ip.js';
import { encodedPreview } from '../../../src-renderer/src/lib/option-model.js';
import { buildReplyOptions } from '../../../src-main/dhcp/reply-options.js';
import { FakeClient, World } from '../../helpers/fake-dhcp.js';

const hex = (b: Uint8Array): string => toColonHex(b);

describe('option 121 (RFC 3442)', () => {
  // RFC 3442 §2, the table of "Subnet number / Subnet mask / Destination descriptor".
  it.each([
    ['0.0.0.0/0', '00'],
    ['10.0.0.0/8', '08:0a'],
    ['10.17.0.0/16', '10:0a:11'],
    ['10.27.129.0/24', '18:0a:1b:81'],
    ['10.229.0.128/25', '19:0a:e5:00:80'],
    ['10.198.122.47/32', '20:0a:c6:7a:2f'],
  ])('%s has the compact descriptor %s', (destination, descriptor) => {
    const data = encodeOptionValue(121, [{ destination, router: '198.18.10.1' }]);
    expect(hex(data)).toBe(`${descriptor}:c6:12:0a:01`);
    expect(decodeOptionValue(121, data)).toEqual([{ destination, router: '198.18.10.1' }]);
  });

  it('refuses host bits, naming the fix', () => {
    expect(() => encodeOptionValue(121, [{ destination: '10.0.0.1/8', router: '198.18.10.1' }])).toThrow(/host bits set \(did you mean 10\.0\.0\.0\/8\?\)/);
  });

  it('warns (without blocking) when routes lack 0.0.0.0/0 and a router is set', () => {
    expect(routesWarning([{ destination: '10.0.0.0/8', router: '198.18.10.254' }], true)).toMatch(/RFC 3442/);
    expect(routesWarning([{ destination: '10.0.0.0/8', router: '198.18.10.254' }], false)).toBeUndefined();
    expect(routesWarning([{ destination: '0.0.0.0/0', router: '198.18.10.1' }], true)).toBeUndefined();
    const cfg = parseConfig({
      interface: 'eth1',
      subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', router: '198.18.10.1', options: { 'classless-static-route': [{ destination: '10.0.0.0/8', router: '198.18.10.254' }] } }],
    });
    expect(configWarnings(cfg)).toEqual([{ field: 'subnets[0].options.classless-static-route', message: expect.stringMatching(/0\.0\.0\.0\/0/) }]);
  });
});

describe('option 43 vendor TLVs', () => {
  it('encodes the UniFi controller address as sub-option 1 (01:04:<ip>)', () => {
    expect(hex(encodeVendorOption([{ code: 1, type: 'ip', value: '172.16.0.2' }]))).toBe('01:04:ac:10:00:02');
  });

  it('encodes the Cisco lightweight AP controller list as type 0xf1 (Cisco example)', () => {
    expect(hex(encodeVendorOption([{ code: 241, type: 'ips', value: ['10.126.126.2', '10.127.127.2'] }]))).toBe('f1:08:0a:7e:7e:02:0a:7f:7f:02');
  });

  it('encodes text, numbers and hex sub-options, and Aruba-style plain text', () => {
    const subs: VendorSubOption[] = [
      { code: 2, type: 'text', value: 'lab' },
      { code: 3, type: 'u16', value: 8080 },
      { code: 4, type: 'hex', value: 'de:ad' },
      { code: 5, type: 'u8', value: '7' },
    ];
    expect(hex(encodeVendorOption(subs))).toBe('02:03:6c:61:62:03:02:1f:90:04:02:de:ad:05:01:07');
    expect(hex(encodeVendorOption({ text: '10.0.2.15' }))).toBe(Buffer.from('10.0.2.15').toString('hex').replace(/(..)(?!$)/g, '$1:'));
    expect(hex(encodeVendorOption('01:04:c6:12:0a:05'))).toBe('01:04:c6:12:0a:05');
  });

  it('names the sub-option and the problem', () => {
    expect(() => encodeVendorOption([{ code: 1, type: 'ip', value: '300.1.1.1' }])).toThrow('option 43 (vendor-encapsulated-options): sub-option 1: "300.1.1.1" is not an IPv4 address');
    expect(() => encodeVendorOption([{ code: 0, type: 'ip', value: '1.1.1.1' }])).toThrow(/sub-option #1: code must be 1–254/);
    expect(() => encodeVendorOption([{ code: 7, type: 'u8', value: 300 }])).toThrow(/sub-option 7: 300 is not an integer 0–255/);
    expect(() => encodeVendorOption([{ code: 7, type: 'text', value: 'x' }, { code: 7, type: 'text', value: 'y' }])).toThrow(/sub-option 7 appears twice/);
    expect(() => encodeVendorOption([])).toThrow(OptionValueError);
    expect(previewVendorOption([{ code: 1, type: 'ip', value: '' }])).toEqual({ error: 'sub-option 1: "" is not an IPv4 address', reason: { code: 'vendor-sub', params: { sub: '1' }, inner: { code: 'not-ipv4', params: { value: '' } } } });
  });

  it('every template encodes (the addresses are placeholders)', () => {
    for (const t of VENDOR_TEMPLATES) expect(previewVendorOption(t.value), t.id).toHaveProperty('hex');
    // Mitel's text starts with its identifier (Mitel 3300 ICP Engineering Guidelines, table 74).
    const mitel = VENDOR_TEMPLATES.find((t) => t.id === 'mitel')!;
    expect(Buffer.from(encodeVendorOption(mitel.value)).toString('latin1')).toBe('id:ipphone.mitel.com;sw_tftp=198.18.0.10;call_srv=198.18.0.10');
  });

  it('every phone preset is valid configuration and encodes to the bytes its vendor documents', () => {
    expect(PHONE_TEMPLATES.map((t) => t.id)).toEqual(['avaya-h323', 'cisco-phone', 'polycom', 'yealink']);
    for (const t of PHONE_TEMPLATES) {
      for (const [key, value] of Object.entries(t.options)) expect(optionProblem(key, value), `${t.id} ${key}`).toBeUndefined();
      expect(() => parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', options: t.options }] }), t.id).not.toThrow();
    }
    const avaya = optionFromJson('avaya-ip-phone', PHONE_TEMPLATES[0]!.options['avaya-ip-phone']);
    expect(avaya.code).toBe(242);
    expect(Buffer.from(avaya.data).toString('latin1')).toBe('MCIPADD=198.18.0.10,MCPORT=1719,HTTPSRVR=198.18.0.11');
    const cisco = optionFromJson('tftp-server-address', PHONE_TEMPLATES[1]!.options['tftp-server-address']);
    expect([cisco.code, hex(cisco.data)]).toEqual([150, 'c6:12:00:0a']);
    for (const id of ['polycom', 'yealink']) {
      const t = PHONE_TEMPLATES.find((x) => x.id === id)!;
      expect(optionFromJson('tftp-server-name', t.options['tftp-server-name']).code).toBe(66);
    }
  });

  it('config: 43 as typed sub-options goes through the same encoder (and errors name the field)', () => {
    expect(hex(optionFromJson('vendor-encapsulated-options', [{ code: 1, type: 'ip', value: '198.18.0.10' }]).data)).toBe('01:04:c6:12:00:0a');
    expect(() =>
      parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', options: { '43': [{ code: 1, type: 'ip', value: 'nope' }] } }] }),
    ).toThrow('subnets[0].options.43: option 43 (vendor-encapsulated-options): sub-option 1: "nope" is not an IPv4 address');
  });

  it('property: the preview shows exactly the bytes the server puts on the wire', () => {
    const sub = fc.oneof(
      fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('ip' as const), value: fc.ipV4() }),
      fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('ips' as const), value: fc.array(fc.ipV4(), { minLength: 1, maxLength: 4 }) }),
      fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('text' as const), value: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0')) }),
      fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('u16' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('hex' as const), value: fc.uint8Array({ minLength: 0, maxLength: 30 }).map((b) => toColonHex(b)) }),
    );
    const list = fc.uniqueArray(sub, { minLength: 1, maxLength: 12, selector: (s) => s.code });
    fc.assert(
      fc.property(list, (subs) => {
        const preview = previewVendorOption(subs);
        // What the server sends: the config resolved into the engine, a reply encoded and decoded.
        const cfg = resolveConfig(parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', options: { 'vendor-encapsulated-options': subs } }] }), { address: '198.18.10.1', prefix: 24 });
        const w = new World(cfg);
        const offer = new FakeClient(w, '02:00:00:00:43:01', { prl: [1, 43] }).discover();
        const sent = decode(encode(offer.reply!.packet)).options.get(43)!;
        expect(preview).toEqual({ hex: toColonHex(sent), length: sent.length });
      }),
      { numRuns: 60 },
    );
  });
});

describe('the UI preview (option-model encodedPreview) is the server encoder', () => {
  it('property: for 43, 121, 150, 252, 66 and 67 the preview bytes equal the option in the server’s reply', () => {
    const route = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4()).map(([ip, prefix, router]) => {
      const n = prefix === 0 ? 0 : (ipToInt(ip) & (0xffffffff << (32 - prefix))) >>> 0;
      return { destination: `${intToIp(n)}/${prefix}`, router };
    });
    const entry = fc.oneof(
      fc.record({ code: fc.constant(43), value: fc.array(fc.record({ code: fc.integer({ min: 1, max: 254 }), type: fc.constant('ip'), value: fc.ipV4() }), { minLength: 1, maxLength: 3 }).map((l) => l.filter((s, i) => l.findIndex((t) => t.code === s.code) === i)) }),
      fc.record({ code: fc.constant(121), value: fc.array(route, { minLength: 1, maxLength: 5 }) }),
      fc.record({ code: fc.constant(150), value: fc.array(fc.ipV4(), { minLength: 1, maxLength: 4 }) }),
      fc.record({ code: fc.constantFrom(252, 66, 67), value: fc.webUrl() }),
    );
    fc.assert(
      fc.property(entry, ({ code, value }) => {
        const preview = encodedPreview(code, value);
        const cfg = resolveConfig(parseConfig({ interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', options: { [String(code)]: value } }] }), { address: '198.18.10.1', prefix: 24 });
        const offer = new FakeClient(new World(cfg), '02:00:00:00:43:02', { prl: [1, code] }).discover();
        const sent = decode(encode(offer.reply!.packet)).options.get(code)!;
        expect(preview).toMatchObject({ hex: toColonHex(sent), length: sent.length });
      }),
      { numRuns: 80 },
    );
  });

  it('shows the field-named problem for a value that does not encode', () => {
    expect(encodedPreview(150, ['198.18.10.300'])).toEqual({ error: '"198.18.10.300" is not an IPv4 address' });
    expect(encodedPreview(43, [{ code: 1, type: 'ip', value: '198.18.0.10' }])).toEqual({ hex: '01:04:c6:12:00:0a', wire: '2b:06:01:04:c6:12:00:0a', length: 6 });
  });
});

describe('option 93 architectures (RFC 4578)', () => {
  it('maps client architectures to the PXE section fields', () => {
    expect(firmwareOfArch(0)).toBe('bios');
    expect(firmwareOfArch(6)).toBe('uefiIa32');
    expect(firmwareOfArch(7)).toBe('uefiX64');
    expect(firmwareOfArch(9)).toBe('uefiX64');
    expect(firmwareOfArch(10)).toBe('arm32');
    expect(firmwareOfArch(11)).toBe('arm64');
    expect(firmwareOfArch(16)).toBeUndefined();
    expect(archName(16)).toBe('x64 UEFI HTTP');
    expect(archName(99)).toBe('architecture 99');
  });

  it('matching reads option 93 as a list of 16-bit types, 60 exact or by prefix, 77 bare or RFC 3004', () => {
    const c = (over: Partial<ClassPolicy>): ClassPolicy => ({ name: 'x', options: new Map(), ...over });
    const req = new Map<number, Uint8Array>([
      [60, Buffer.from('PXEClient:Arch:00007:UNDI:003016')],
      [93, Uint8Array.of(0, 7)],
    ]);
    expect(classMatches(c({ arch: [7, 9] }), req)).toBe(true);
    expect(classMatches(c({ arch: [0] }), req)).toBe(false);
    expect(classMatches(c({ vendorClass: Buffer.from('PXEClient'), vendorPrefix: true }), req)).toBe(true);
    expect(classMatches(c({ vendorClass: Buffer.from('PXEClient') }), req)).toBe(false);
    expect(classMatches(c({ userClass: Buffer.from('iPXE') }), req)).toBe(false);
    expect(classMatches(c({ userClass: Buffer.from('iPXE') }), new Map([[77, Buffer.from('iPXE')]]))).toBe(true);
    expect(classMatches(c({ userClass: Buffer.from('iPXE') }), new Map([[77, Uint8Array.of(3, 0x61, 0x62, 0x63, 4, ...Buffer.from('iPXE'))]]))).toBe(true);
    expect(selectClass([c({ name: 'a', arch: [0] }), c({ name: 'b', arch: [7] }), c({ name: 'c', arch: [7] })], req)?.name).toBe('b');
  });

  it('the PXE section stands for classes, iPXE first', () => {
    expect(classSpecs({ pxe: { tftpServer: '198.18.10.1', bios: 'undionly.kpxe', uefiX64: 'ipxe.efi', ipxeScript: 'http://198.18.10.1/boot.ipxe' }, classes: [{ name: 'win', vendorClass: 'MSFT 5.0' }] }).map((c) => c.name)).toEqual([
      'pxe-ipxe',
      'pxe-bios',
      'pxe-uefiX64',
      'win',
    ]);
    expect(pxeClasses({ tftpServer: 'boot.lab.test', arm64: 'grubaa64.efi' })).toEqual([{ name: 'pxe-arm64', arch: [11], bootFile: 'grubaa64.efi', options: { 'tftp-server-name': 'boot.lab.test', 'boot-file-name': 'grubaa64.efi' } }]);
  });
});

const PXE_CONFIG: UserConfigInput = {
  interface: 'eth1',
  subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200', router: '198.18.10.1', options: { 'ntp-servers': ['198.18.10.1'], 'wpad-url': 'http://198.18.10.1/wpad.dat' } }],
  reservations: [{ mac: '02:00:00:00:93:09', ip: '198.18.10.20', hostname: 'special', options: { 'boot-file-name': 'special.efi', 'ntp-servers': ['198.18.10.9'] } }],
  pxe: { tftpServer: '198.18.10.5', bios: 'undionly.kpxe', uefiX64: 'ipxe.efi', arm64: 'ipxe-arm64.efi', ipxeScript: 'http://198.18.10.5/boot.ipxe' },
  classes: [
    { name: 'windows', vendorClass: 'MSFT 5.0', options: { 'ntp-servers': ['198.18.10.2'], 'netbios-node-type': 8 } },
    { name: 'busybox', vendorClass: 'udhcp', match: 'prefix', options: { 'tftp-server-address': ['198.18.10.5', '198.18.10.6'] } },
  ],
};

function pxeWorld(): World {
  return new World(resolveConfig(parseConfig(PXE_CONFIG), { address: '198.18.10.1', prefix: 24 }));
}

function offerFor(w: World, mac: string, extra: (p: import('../../../src-main/dhcp/packet.js').DhcpPacket) => void, prl = [1, 3, 6, 42, 66, 67, 150, 252]) {
  const d = new FakeClient(w, mac, { prl, extra }).discover();
  // Through the codec, as the client would see it.
  return decode(encode(d.reply!.packet));
}

const pxe = (arch: number) => (p: import('../../../src-main/dhcp/packet.js').DhcpPacket) => {
  p.options.set(60, Buffer.from(`PXEClient:Arch:${String(arch).padStart(5, '0')}:UNDI:002001`));
  setOption(p.options, 93, [arch]);
};

describe('engine: classes and precedence (reservation > class > subnet)', () => {
  it('PXEClient with 93=7 gets the UEFI x64 file, in option 67 and the file field, with siaddr and 66', () => {
    const r = offerFor(pxeWorld(), '02:00:00:00:93:07', pxe(7));
    expect(r.file).toBe('ipxe.efi');
    expect(getOption(r.options, 67)).toBe('ipxe.efi');
    expect(r.siaddr).toBe('198.18.10.5');
    expect(getOption(r.options, 66)).toBe('198.18.10.5');
    // The subnet's options still come through.
    expect(getOption(r.options, 42)).toEqual(['198.18.10.1']);
    expect(getOption(r.options, 3)).toEqual(['198.18.10.1']);
  });

  it('93=0 gets the BIOS file, 93=11 the ARM64 file, an unknown architecture none', () => {
    const w = pxeWorld();
    expect(offerFor(w, '02:00:00:00:93:00', pxe(0)).file).toBe('undionly.kpxe');
    expect(offerFor(w, '02:00:00:00:93:11', pxe(11)).file).toBe('ipxe-arm64.efi');
    const other = offerFor(w, '02:00:00:00:93:16', pxe(16));
    expect(other.file).toBe('');
    expect(other.siaddr).toBe('0.0.0.0');
    expect(other.options.has(67)).toBe(false);
  });

  it('iPXE (user class "iPXE") gets the script URL, not the iPXE binary again', () => {
    const r = offerFor(pxeWorld(), '02:00:00:00:93:77', (p) => {
      pxe(7)(p);
      p.options.set(77, Buffer.from('iPXE'));
    });
    expect(r.file).toBe('http://198.18.10.5/boot.ipxe');
    expect(getOption(r.options, 67)).toBe('http://198.18.10.5/boot.ipxe');
  });

  it('vendor classes: exact "MSFT 5.0" and prefix "udhcp" add and override options; others get the subnet options', () => {
    const w = pxeWorld();
    const win = offerFor(w, '02:00:00:00:60:01', (p) => p.options.set(60, Buffer.from('MSFT 5.0')), [1, 3, 42, 46]);
    expect(getOption(win.options, 42)).toEqual(['198.18.10.2']);
    expect(getOption(win.options, 46)).toBe(8);
    const notQuite = offerFor(w, '02:00:00:00:60:02', (p) => p.options.set(60, Buffer.from('MSFT 5.0 extra')), [1, 3, 42, 46]);
    expect(getOption(notQuite.options, 42)).toEqual(['198.18.10.1']);
    expect(notQuite.options.has(46)).toBe(false);
    const bb = offerFor(w, '02:00:00:00:60:03', (p) => p.options.set(60, Buffer.from('udhcp 1.36.1')), [1, 150]);
    expect(getOption(bb.options, 150)).toEqual(['198.18.10.5', '198.18.10.6']);
    expect(getOption(bb.options, 252)).toBe('http://198.18.10.1/wpad.dat');
  });

  it('a reservation’s options win over its class and the subnet; its host name is sent', () => {
    const w = pxeWorld();
    const c = new FakeClient(w, '02:00:00:00:93:09', { prl: [1, 3, 12, 42, 67], extra: pxe(7) });
    const offer = decode(encode(c.discover().reply!.packet));
    expect(offer.yiaddr).toBe('198.18.10.20');
    expect(getOption(offer.options, 67)).toBe('special.efi');
    expect(getOption(offer.options, 42)).toEqual(['198.18.10.9']);
    expect(getOption(offer.options, 12)).toBe('special');
    // The class's BOOTP fields still apply (a reservation has none of its own).
    expect(offer.siaddr).toBe('198.18.10.5');
  });

  it('buildReplyOptions layers the class over the subnet (and without a class sends the subnet options)', () => {
    const cfg = resolveConfig(parseConfig(PXE_CONFIG), { address: '198.18.10.1', prefix: 24 });
    const request = new Map([[55, Uint8Array.of(67, 42)]]);
    const build = (clientClass?: ClassPolicy) => buildReplyOptions({ type: 2, serverId: '198.18.10.1', subnet: cfg.subnets[0]!, ...(clientClass ? { clientClass } : {}), leaseTime: 600, request });
    const [ipxe, bios] = cfg.classes!;
    expect(getOption(build(bios), 67)).toBe('undionly.kpxe');
    expect(getOption(build(ipxe), 67)).toBe('http://198.18.10.5/boot.ipxe');
    expect(build().has(67)).toBe(false);
  });

  it('config: a class must match something, names are unique, PXE files need a TFTP server, file fits the field', () => {
    const base = { interface: 'eth1', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.200' }] };
    const problems = (over: object): string[] => {
      try {
        parseConfig({ ...base, ...over });
        return [];
      } catch (e) {
        return (e as { problems: { field: string; message: string }[] }).problems.map((p) => `${p.field}: ${p.message}`);
      }
    };
    expect(problems({ classes: [{ name: 'x' }] })).toEqual([expect.stringMatching(/^classes\[0\]\.vendorClass: says nothing to match/)]);
    expect(problems({ classes: [{ name: 'x', vendorClass: 'a' }, { name: 'X', vendorClass: 'b' }] })).toEqual([expect.stringMatching(/^classes\[1\]\.name: classes\[0\] is already called/)]);
    expect(problems({ classes: [{ name: 'x', vendorClass: 'a', options: { 'dhcp-lease-time': 5 } }] })).toEqual([expect.stringMatching(/^classes\[0\]\.options\.dhcp-lease-time: option 51/)]);
    expect(problems({ pxe: { bios: 'a.0' } })).toEqual([expect.stringMatching(/^pxe\.tftpServer: is required/)]);
    expect(problems({ pxe: { tftpServer: '198.18.10.5', bios: 'x'.repeat(128) } })).toEqual([expect.stringMatching(/^pxe\.bios: must be at most 127/)]);
    expect(problems({ pxe: { ipxeScript: 'boot.ipxe' } })).toEqual([expect.stringMatching(/^pxe\.ipxeScript: must be a URL/)]);
  });
});
