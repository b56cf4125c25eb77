// What openBoundSocket refuses before touching any socket or native code. The socket behaviour
// itself is covered in test/integration/net (it needs network namespaces).
import { describe, expect, it, vi } from 'vitest';
import { openBoundSocket } from '../../../src-main/net/bound-socket.js';
import { loadLibc } from '../../../src-main/net/libc.js';
import { NetError } from '../../../src-main/net/net-error.js';
import { SocketEvents } from '../../../src-main/net/socket-base.js';

async function rejection(p: Promise<unknown>): Promise<NetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NetError);
    return e as NetError;
  }
  throw new Error('expected a rejection');
}

describe('openBoundSocket argument checks', () => {
  it('rejects names longer than IFNAMSIZ allows, with the reason', async () => {
    const e = await rejection(openBoundSocket({ ifname: 'enx00e04c6800012', platform: 'linux' }));
    expect(e.code).toBe('NAME_TOO_LONG');
    expect(e.message).toBe(
      'Interface name "enx00e04c6800012" is 16 bytes long; interface names have at most 15 — pick one from "pocket-dhcp interfaces".',
    );
  });
  it('rejects invalid names', async () => {
    expect((await rejection(openBoundSocket({ ifname: 'eth0:1', platform: 'linux' }))).code).toBe('INVALID_NAME');
    expect((await rejection(openBoundSocket({ ifname: '', platform: 'darwin' }))).code).toBe('INVALID_NAME');
  });
  it('rejects bad ports and unsupported platforms', async () => {
    expect((await rejection(openBoundSocket({ ifname: 'eth0', port: 70000, platform: 'linux' }))).code).toBe('INVALID_ARGUMENT');
    const aix = await rejection(openBoundSocket({ ifname: 'en0', platform: 'aix' }));
    expect(aix.code).toBe('UNSUPPORTED_PLATFORM');
    expect(aix.message).toMatch(/supported are Linux, macOS and Windows/);
  });
  it('Windows mode needs an interface with an IPv4 address, and says so', async () => {
    const e = await rejection(openBoundSocket({ ifname: 'No Such Adapter 7', platform: 'win32' }));
    expect(e.code).toBe('NO_IPV4'); // os.networkInterfaces() cannot tell "missing" from "no address"
    expect(e.message).toMatch(/set a static address first/);
  });
});

describe('loadLibc', () => {
  it('refuses a foreign platform instead of loading the wrong library', async () => {
    const other = process.platform === 'darwin' ? 'linux' : 'darwin';
    const e = await rejection(loadLibc(other));
    expect(e.code).toBe('UNSUPPORTED_PLATFORM');
    expect((await rejection(loadLibc('win32'))).code).toBe('UNSUPPORTED_PLATFORM');
  });
});

describe('SocketEvents', () => {
  it('delivers to every subscriber until unsubscribed', () => {
    const ev = new SocketEvents();
    const a = vi.fn();
    const b = vi.fn();
    const offA = ev.onMessage(a);
    ev.onMessage(b);
    ev.message(Buffer.from('x'), { address: '198.18.0.1', port: 68 });
    offA();
    ev.message(Buffer.from('y'), { address: '198.18.0.1', port: 68 });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
  });
  it('turns errors nobody listens to into a process warning instead of a crash', () => {
    const ev = new SocketEvents();
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    ev.error(new NetError('ENODEV', 'gone'));
    expect(spy).toHaveBeenCalledWith('gone', expect.objectContaining({ code: 'ENODEV' }));
    spy.mockRestore();
    const cb = vi.fn();
    ev.onError(cb);
    ev.error(new NetError('ENODEV', 'gone'));
    expect(cb).toHaveBeenCalledOnce();
  });
});
