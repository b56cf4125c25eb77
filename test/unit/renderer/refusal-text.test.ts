// Start refusals in the UI language (lib/errors.ts refusalBody), driven by the engine's own builders
// (planStart, probeOutcome, the network layer's NetError builders through startupErrorFromNet, the
// lease store, the controller): every refusal code the engine produces. English must be the
// engine's message exactly; Korean must be Korean and keep the names, addresses and commands.
// (A file of its own next to engine-text.test.ts, which words the privileges report and NIC steps.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerError } from '../../../src-main/ipc/contract.js';
import { parseConfig, ConfigError } from '../../../src-main/config/schema.js';
import type { ForeignServer, ProbeReport } from '../../../src-main/net/dhcp-probe.js';
import { NetError, nameTooLongMessage, netErrorFromErrno, noFfiMessage, noIpv4Message, type ErrnoContext } from '../../../src-main/net/net-error.js';
import { ServerController } from '../../../src-main/server/controller.js';
import { toServerError } from '../../../src-main/server/server-error.js';
import { probeOutcome } from '../../../src-main/server/rogue-guard.js';
import { openLeaseStore, planStart, startupErrorFromNet, UI_HINTS } from '../../../src-main/server/startup.js';
import { setLocale } from '../../../src-renderer/src/i18n/index.js';
import { refusalBody } from '../../../src-renderer/src/lib/errors.js';
import { fakeInterface } from '../../helpers/memory-transport.js';

const HANGUL = /[\uac00-\ud7a3]/;
const cfg = (over: Record<string, unknown> = {}) => parseConfig({ interface: 'sv0', subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1' }], ...over });

function caught(fn: () => unknown): ServerError {
  try {
    fn();
  } catch (e) {
    return toServerError(e);
  }
  throw new Error('expected a refusal');
}

const rogue = (id: string): ForeignServer => ({ serverId: id, sourceIp: id, messageType: 'offer', offered: '198.18.10.57', clientMac: '02:11:22:33:44:55', network: '198.18.10.0/24', routers: [id] });
const found = (servers: ForeignServer[]): ProbeReport => ({ ifname: 'sv0', status: 'found', servers, listenedMs: 4000 });

const ctx = (errnoName: string, o: Partial<ErrnoContext> = {}): ErrnoContext => ({ ifname: 'sv0', port: 67, platform: process.platform, errno: 0, errnoName, syscall: 'bind', action: 'open the DHCP socket', ...o });
const net = (e: NetError): ServerError => toServerError(startupErrorFromNet(e));

/** Every refusal the engine builds, from its own builders. */
async function refusals(): Promise<ServerError[]> {
  const out: ServerError[] = [
    // config
    toServerError(new ConfigError([{ field: 'subnets[0].range', message: 'must lie inside 198.18.10.0/24' }])),
    toServerError(new ConfigError([{ field: 'subnets[0].range', message: 'must lie inside 198.18.10.0/24' }, { field: 'leaseTime', message: 'too short' }, { field: '', message: 'x' }])),
    toServerError(new ConfigError([])),
    // interface
    caught(() => planStart(cfg({ interface: 'nosuch0' }), [fakeInterface('sv0', []), fakeInterface('lo', [], { loopback: true })])),
    caught(() => planStart(cfg({ interface: 'nosuch0' }), [])),
    net(netErrorFromErrno(ctx('ENODEV', { syscall: 'setsockopt(SO_BINDTODEVICE)' }))),
    net(netErrorFromErrno(ctx('ENODEV', { syscall: 'recvmsg' }))),
    net(new NetError('NAME_TOO_LONG', nameTooLongMessage('enx0123456789abcdef'), { ifname: 'enx0123456789abcdef', port: 67 })),
    net(new NetError('INVALID_NAME', '"a b" is not a valid interface name — pick one from "pocket-dhcp interfaces".', { ifname: 'a b', port: 67 })),
    // no-ipv4
    caught(() => planStart(cfg(), [fakeInterface('sv0', [])])),
    net(new NetError('NO_IPV4', noIpv4Message('sv0'), { ifname: 'sv0' })),
    net(new NetError('NO_IPV4', noIpv4Message('sv0', true), { ifname: 'sv0' })),
    net(netErrorFromErrno(ctx('EADDRNOTAVAIL', { address: '198.18.10.1' }))),
    // foreign-network
    caught(() => planStart(cfg(), [fakeInterface('sv0', [{ address: '198.18.10.7', prefix: 24, dynamic: true }])], { hints: UI_HINTS })),
    // foreign-server
    toServerError(probeOutcome(found([rogue('198.18.10.2')]), { ifname: 'sv0', allowOtherServer: false, hints: UI_HINTS }).refuse),
    toServerError(probeOutcome(found([rogue('198.18.10.2'), rogue('198.18.10.3')]), { ifname: 'sv0', allowOtherServer: false, hints: UI_HINTS }).refuse),
    // port-busy: a known DHCP server, any process, only a user, nobody visible
    net(netErrorFromErrno(ctx('EADDRINUSE', { holders: [{ proto: 'udp', localAddress: '0.0.0.0', port: 67, inode: 1, uid: 0, pid: 812, command: 'dnsmasq', cmdline: ['/usr/sbin/dnsmasq', '--conf-file=/var/lib/NetworkManager/x'] }] }))),
    net(netErrorFromErrno(ctx('EADDRINUSE', { holders: [{ proto: 'udp', localAddress: '0.0.0.0', port: 67, inode: 1, uid: 0, pid: 4711, command: 'python3' }] }))),
    net(netErrorFromErrno(ctx('EADDRINUSE', { holders: [{ proto: 'udp', localAddress: '0.0.0.0', port: 67, inode: 1, uid: 65534, user: 'nobody' }] }))),
    net(netErrorFromErrno(ctx('EADDRINUSE', { holders: [] }))),
    // privileges
    net(netErrorFromErrno(ctx('EACCES', { execPath: '/usr/bin/node' }))),
    net(netErrorFromErrno(ctx('EPERM', { syscall: 'setsockopt(SO_BINDTODEVICE)', execPath: '/usr/bin/node' }))),
    net(netErrorFromErrno(ctx('EPERM'))),
    // platform
    net(new NetError('NO_FFI', noFfiMessage('linux', 'x64', 'cannot open shared object'))),
    net(new NetError('UNSUPPORTED_PLATFORM', 'Raw socket options are only used on Linux and macOS, not on aix.')),
    // socket
    net(netErrorFromErrno(ctx('EMFILE', { errno: 24 }))),
    // failed (not a refusal: an unexpected error at start)
    toServerError(new Error('boom')),
  ];
  // store: a data directory that is a file
  const dir = await mkdtemp(join(tmpdir(), 'pocket-refusal-'));
  try {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    await openLeaseStore(file).then(
      (s) => s.close(),
      (e: unknown) => out.push(toServerError(e)),
    );
    // busy: a start after the controller closed
    const c = await ServerController.open({ dataDir: join(dir, 'data') });
    await c.close();
    await c.startOrThrow().catch((e: unknown) => out.push(toServerError(e)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

afterEach(() => setLocale('en'));

describe('start refusals in the UI language', () => {
  it('covers every refusal code the engine has, each with a variant', async () => {
    const all = await refusals();
    const codes = new Set(all.map((e) => e.code));
    for (const code of ['config', 'interface', 'no-ipv4', 'foreign-network', 'foreign-server', 'port-busy', 'privileges', 'store', 'platform', 'socket', 'busy', 'failed']) expect(codes, code).toContain(code);
    for (const e of all) expect(e.variant, `${e.code}: ${e.message}`).toBeTruthy();
  });

  it('English is the engine’s own message, unchanged', async () => {
    for (const e of await refusals()) expect(refusalBody(e)).toBe(e.message);
  });

  it('Korean words every refusal (interfaces, addresses and commands kept)', async () => {
    const all = await refusals();
    setLocale('ko');
    const english: string[] = [];
    for (const e of all) if (!HANGUL.test(refusalBody(e))) english.push(`${e.code}/${e.variant}: ${e.message}`);
    expect(english).toEqual([]);
    const byVariant = (code: string, variant: string) => refusalBody(all.find((e) => e.code === code && e.variant === variant)!);
    expect(byVariant('interface', 'unknown')).toBe('"nosuch0" 인터페이스가 이 컴퓨터에 없습니다 (사용 가능: sv0) — "pocket-dhcp interfaces"로 확인하세요.');
    expect(byVariant('no-ipv4', 'static-needed')).toContain('sudo ip addr add 198.18.10.1/24 dev sv0');
    expect(byVariant('foreign-network', 'dhcp-address')).toMatch(/^sv0 인터페이스가 주소 198\.18\.10\.7을\(를\) DHCP로 받았습니다/);
    expect(byVariant('foreign-server', 'many')).toContain('다른 DHCP 서버 2대(198.18.10.2, 198.18.10.3)가 sv0에서 응답합니다');
    const held = all.filter((e) => e.code === 'port-busy' && e.variant === 'held').map(refusalBody);
    expect(held[0]).toMatch(/^dnsmasq \(pid 812\)이\(가\) sv0의 UDP 포트 67을\(를\) 이미 사용하고 있습니다 .* 명령: nmcli connection down <shared connection>$/);
    expect(held[1]).toMatch(/명령: sudo kill 4711$/);
    expect(byVariant('privileges', 'port-linux')).toMatch(/명령: sudo setcap cap_net_bind_service=\+ep "\/usr\/bin\/node"$/);
    expect(byVariant('busy', 'shutting-down')).toBe('서버가 종료되는 중입니다.');
  });
});
