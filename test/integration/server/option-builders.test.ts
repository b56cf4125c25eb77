// Option builders with a real client: busybox udhcpc against the real server in namespaces
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 (no address)
// udhcpc's own vendor class ("udhcp 1.35.0") selects a prefix class (options 43 and 150); a PXE
// vendor class with option 93 = 7 / 0 gets the UEFI x64 / BIOS boot file in the BOOTP file field,
// siaddr and options 66/67; user class "iPXE" gets the script URL; a reservation's own option 67
// wins over the PXE class. udhcpc hands every option to its script, which records them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { isDhcp, labConfig, runUdhcpc, setMac, startServer, TempDirs, type ServerHandle } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[option builders integration] skipped: ${avail.reason}`);

const RES_MAC = '02:00:5e:43:00:99';

const CONFIG = labConfig({
  subnet: {
    options: {
      'wpad-url': 'http://198.18.10.1/wpad.dat',
      'classless-static-route': [
        { destination: '198.18.30.0/24', router: '198.18.10.3' },
        { destination: '0.0.0.0/0', router: '198.18.10.1' },
      ],
    },
  },
  top: {
    reservations: [{ mac: RES_MAC, ip: '198.18.10.40', options: { 'boot-file-name': 'special.efi' } }],
    pxe: { tftpServer: '198.18.10.5', bios: 'undionly.kpxe', uefiX64: 'ipxe.efi', arm64: 'ipxe-arm64.efi', ipxeScript: 'http://198.18.10.5/boot.ipxe' },
    classes: [
      {
        name: 'busybox',
        vendorClass: 'udhcp',
        match: 'prefix',
        options: {
          'tftp-server-address': ['198.18.10.5', '198.18.10.6'],
          'vendor-encapsulated-options': [{ code: 1, type: 'ip', value: '198.18.10.10' }],
        },
      },
    ],
  },
});

/** udhcpc -x takes hex for numeric option codes. */
const PXE_ARGS = (arch: number): string[] => ['-V', `PXEClient:Arch:${String(arch).padStart(5, '0')}:UNDI:003016`, '-x', `0x5d:${arch.toString(16).padStart(4, '0')}`, '-O', '66', '-O', '67'];

describe.skipIf(!avail.ok)(`option builders with a real client${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('optb');

  beforeAll(async () => {
    lab = await createLab('optbuild');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    srv = await startServer(lab, 's', { config: CONFIG, dir: tmp.make('srv') });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  const dora = async (mac: string, name: string, args: string[]): Promise<Record<string, string>> => {
    await setMac(lab, 'c', 'cl0', mac);
    const from = srv.mark();
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make(name), args });
    expect(result.code, result.stderr).toBe(0);
    await srv.waitEvent(isDhcp('ack', mac), { from });
    return rec.waitFor(['bound'], { timeoutMs: 1000 });
  };

  it('udhcpc’s own vendor class ("udhcp …") selects the prefix class: option 43 TLVs and 150 arrive as encoded', async () => {
    const env = await dora('02:00:5e:43:00:01', 'vendor', ['-O', '43', '-O', '150', '-O', '252', '-O', '121']);
    // busybox exports options it has no name for as optNNN=<hex>.
    expect(env.opt43).toBe('0104c6120a0a');
    expect(env.opt150).toBe('c6120a05c6120a06');
    expect(env.wpad).toBe('http://198.18.10.1/wpad.dat');
    expect(env.staticroutes).toBe('198.18.30.0/24 198.18.10.3 0.0.0.0/0 198.18.10.1');
    // No PXE class: no boot file, siaddr 0.
    expect(env.boot_file ?? '').toBe('');
    recordProof('options', 'udhcpc with its vendor class got the class’s option 43 TLVs (01:04:<controller>) and option 150 list, byte for byte');
  });

  it('PXEClient with option 93 = 7 gets the UEFI x64 file (file field and 67), siaddr and 66; 93 = 0 the BIOS file', async () => {
    const uefi = await dora('02:00:5e:43:00:07', 'uefi', PXE_ARGS(7));
    expect(uefi.boot_file).toBe('ipxe.efi');
    expect(uefi.bootfile).toBe('ipxe.efi');
    expect(uefi.siaddr).toBe('198.18.10.5');
    expect(uefi.tftp).toBe('198.18.10.5');
    // The vendor class is now PXEClient: the udhcp class no longer applies.
    expect(uefi.opt150).toBeUndefined();
    const bios = await dora('02:00:5e:43:00:00', 'bios', PXE_ARGS(0));
    expect(bios.boot_file).toBe('undionly.kpxe');
    expect(bios.bootfile).toBe('undionly.kpxe');
    recordProof('options', 'PXE clients got the boot file of their architecture (option 93: 7 → ipxe.efi, 0 → undionly.kpxe) with siaddr and option 66');
  });

  it('a client already running iPXE (user class "iPXE") gets the script URL; a reservation’s own 67 wins over the class', async () => {
    const ipxe = await dora('02:00:5e:43:00:77', 'ipxe', [...PXE_ARGS(7), '-x', `0x4d:${Buffer.from('iPXE').toString('hex')}`]);
    expect(ipxe.boot_file).toBe('http://198.18.10.5/boot.ipxe');
    expect(ipxe.bootfile).toBe('http://198.18.10.5/boot.ipxe');

    const res = await dora(RES_MAC, 'reserved', PXE_ARGS(7));
    expect(res.ip).toBe('198.18.10.40');
    expect(res.bootfile).toBe('special.efi');
    expect(res.siaddr).toBe('198.18.10.5');
    recordProof('options', 'iPXE (user class) was chained to the script URL, and a reservation’s option 67 won over the PXE class');
  });
});
