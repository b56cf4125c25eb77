// The interface-bound socket, exercised for real: a server namespace with two veth interfaces
// (srv1 198.18.10.1/24 → c1, srv2 198.18.20.1/24 → c2), reproducing the matrix of
// research/sockets.md with the production module. The sockets live in a Node process spawned inside
// the server namespace (never in the root namespace) and driven over JSON lines; the clients are
// small Python agents that sit on UDP :68 in their namespaces, report every datagram they receive
// and send on request. Every "must not arrive" assertion has a positive control proving the packet
// did reach the namespace (or would have reached the wrong client), so these tests can fail.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, readLines, systemBinary, type Lab, type LineReader } from '../../helpers/netns.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[bound-socket integration] skipped: ${avail.reason}`);

const PY = systemBinary('python3');
const SETTLE_MS = 400; // after a positive control arrived, how long a wrongly routed copy could still lag

// ---- server-side harness (runs inside a namespace) ----

const HARNESS = String.raw`
import dgram from 'node:dgram';
import * as readline from 'node:readline';
const root = process.cwd();
const bs = await import(root + '/src-main/net/bound-socket.ts');
const ph = await import(root + '/src-main/net/port-holder.ts');
const itf = await import(root + '/src-main/net/interfaces.ts');
const libcMod = await import(root + '/src-main/net/libc.ts');
const pk = await import(root + '/src-main/net/pktinfo-socket.ts');
const socks = new Map();
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const err = (e) => (e && typeof e.toJSON === 'function' ? e.toJSON() : { name: e?.name, message: String(e?.message ?? e), code: e?.code });
function attach(name, s) {
  socks.set(name, s);
  s.onMessage((buf, r) => out({ ev: 'message', name, from: r.address, port: r.port, ...('broadcast' in r ? { broadcast: r.broadcast } : {}), hex: buf.toString('hex') }));
  s.onError((e) => out({ ev: 'error', name, error: err(e) }));
}
const ops = {
  async open({ name, ifname, port, platform, unicastAddress }) {
    const s = await bs.openBoundSocket({ ifname, port, ...(platform ? { platform } : {}), ...(unicastAddress ? { unicastAddress } : {}) });
    attach(name, s);
    return { mode: s.mode };
  },
  async openPktinfo({ name, ifname, port, unicastAddress }) {
    const libc = await libcMod.loadLibc('linux');
    const ifindex = libc.if_nametoindex(ifname);
    const s = pk.openPktinfoSocket({ libc, ifname, ifindex, port, boundIf: false, ...(unicastAddress ? { unicastAddress } : {}) });
    attach(name, s);
    return { mode: s.mode, ifindex };
  },
  async send({ name, hex, port, address }) { await socks.get(name).send(Buffer.from(hex, 'hex'), port, address); return true; },
  healthy: ({ name }) => socks.get(name).isHealthy(),
  stats: ({ name }) => socks.get(name).stats(),
  async close({ name }) { await socks.get(name)?.close(); socks.delete(name); return true; },
  async plainSend({ hex, port, address }) {
    const s = dgram.createSocket('udp4');
    await new Promise((r) => s.bind(0, r));
    s.setBroadcast(true);
    try { await new Promise((ok, ko) => s.send(Buffer.from(hex, 'hex'), port, address, (e) => (e ? ko(e) : ok()))); }
    finally { s.close(); }
    return true;
  },
  async cycle({ ifname, port, times, holdMs }) {
    const sources = [];
    for (let i = 0; i < times; i++) {
      const s = await bs.openBoundSocket({ ifname, port });
      s.onMessage((buf, r) => sources.push(r.address));
      await new Promise((r) => setTimeout(r, holdMs));
      await s.close();
    }
    return sources;
  },
  holders: ({ port }) => ph.findPortHolders(port, 'udp'),
  interfaces: () => itf.listInterfaces(),
};
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const req = JSON.parse(line);
  try { out({ id: req.id, ok: true, result: await ops[req.op](req) }); }
  catch (e) { out({ id: req.id, ok: false, error: err(e) }); }
});
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(3), 170000).unref();
out({ ev: 'ready', pid: process.pid });
`;

interface WireError {
  name: string;
  code: string;
  message: string;
  errno?: number;
  holders?: Array<{ pid?: number; command?: string; localAddress: string; device?: string }>;
}

class Harness {
  private seq = 0;
  readonly out: LineReader;
  constructor(readonly child: ChildProcess) {
    this.out = readLines(child.stdout!);
  }
  static async start(lab: Lab, ns: string, prefix: string[] = []): Promise<Harness> {
    const child = lab.spawnNode(ns, ['--input-type=module', '-e', HARNESS], { prefix });
    const h = new Harness(child);
    const stderr = readLines(child.stderr!);
    await h.out.waitFor(/"ev":"ready"/, { timeoutMs: 20_000 }).catch((e: Error) => {
      throw new Error(`${e.message}\nstderr:\n${stderr.lines.join('\n')}`);
    });
    return h;
  }
  async call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<{ ok: true; result: T } | { ok: false; error: WireError }> {
    const id = ++this.seq;
    this.child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    const line = await this.out.waitFor((l) => l.startsWith(`{"id":${id},`), { timeoutMs: 10_000 });
    return JSON.parse(line) as { ok: true; result: T } | { ok: false; error: WireError };
  }
  async ok<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const r = await this.call<T>(op, args);
    if (!r.ok) throw new Error(`${op} failed: ${r.error.code}: ${r.error.message}`);
    return r.result;
  }
  /** Datagrams socket `name` delivered, from line index `from`. */
  messages(name: string, from = 0): Array<{ from: string; port: number; hex: string }> {
    return this.out.lines
      .slice(from)
      .filter((l) => l.startsWith('{"ev":"message"'))
      .map((l) => JSON.parse(l) as { name: string; from: string; port: number; hex: string })
      .filter((m) => m.name === name);
  }
  waitMessage(name: string, hex: string, from = 0): Promise<string> {
    return this.out.waitFor((l) => l.startsWith('{"ev":"message"') && l.includes(`"name":"${name}"`) && l.includes(hex), {
      from,
      timeoutMs: 5000,
    });
  }
}

// ---- client agents (python, in each client namespace) ----

const CLIENT = String.raw`
import json, os, select, socket, sys, time
ifname = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, 25, ifname.encode())  # SO_BINDTODEVICE: broadcasts leave via our only link
s.bind(('0.0.0.0', 68))
def out(o):
    sys.stdout.write(json.dumps(o, separators=(',', ':')) + '\n'); sys.stdout.flush()
out({'ev': 'ready'})
deadline = time.time() + 170
buf = b''
while time.time() < deadline:
    r, _, _ = select.select([s, sys.stdin], [], [], 1.0)
    if s in r:
        data, (a, p) = s.recvfrom(4096)
        out({'ev': 'rx', 'from': a, 'port': p, 'hex': data.hex()})
    if sys.stdin in r:
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk: break
        buf += chunk
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            f = line.decode().split()
            if f[0] == 'flood':  # flood HEX ADDR PORT COUNT INTERVAL_US: paced, bounded
                data, n, gap = bytes.fromhex(f[1]), int(f[4]), int(f[5]) / 1e6
                for i in range(n):
                    s.sendto(data, (f[2], int(f[3])))
                    time.sleep(gap)
                out({'ev': 'sent', 'hex': f[1], 'count': n})
            else:
                s.sendto(bytes.fromhex(f[0]), (f[1], int(f[2])))
                out({'ev': 'sent', 'hex': f[0]})
`;

class Client {
  readonly out: LineReader;
  constructor(readonly child: ChildProcess) {
    this.out = readLines(child.stdout!);
  }
  static async start(lab: Lab, ns: string, ifname: string): Promise<Client> {
    const c = new Client(lab.spawn(ns, PY, ['-u', '-c', CLIENT, ifname]));
    await c.out.waitFor(/"ev":"ready"/, { timeoutMs: 10_000 });
    return c;
  }
  async send(hex: string, address: string, port = 67): Promise<void> {
    const from = this.out.lines.length;
    this.child.stdin!.write(`${hex} ${address} ${port}\n`);
    await this.out.waitFor((l) => l.includes('"ev":"sent"') && l.includes(hex), { from, timeoutMs: 5000 });
  }
  /** Starts a paced broadcast flood (bounded: count × interval) and resolves when it is done. */
  async flood(hex: string, count: number, intervalUs: number): Promise<void> {
    const from = this.out.lines.length;
    this.child.stdin!.write(`flood ${hex} 255.255.255.255 67 ${count} ${intervalUs}\n`);
    await this.out.waitFor((l) => l.includes('"ev":"sent"') && l.includes(hex), { from, timeoutMs: 30_000 });
  }
  received(hex: string): Array<{ from: string; port: number }> {
    return this.out.lines
      .filter((l) => l.startsWith('{"ev":"rx"') && l.includes(hex))
      .map((l) => JSON.parse(l) as { from: string; port: number });
  }
  waitRx(hex: string): Promise<string> {
    return this.out.waitFor((l) => l.startsWith('{"ev":"rx"') && l.includes(hex), { timeoutMs: 5000 });
  }
}

let tokenSeq = 0;
/** A unique payload per use, so no assertion can match an older packet. */
const token = (what: string): string => Buffer.from(`pd-${process.pid}-${++tokenSeq}-${what}`).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!avail.ok)(`interface-bound socket in network namespaces${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: Harness;
  let c1: Client;
  let c2: Client;

  beforeAll(async () => {
    lab = await createLab('bsock');
    for (const n of ['srv', 'c1', 'c2']) await lab.addNamespace(n);
    await lab.link('srv', 'srv1', '198.18.10.1/24', 'c1', 'c1a', '198.18.10.2/24');
    await lab.link('srv', 'srv2', '198.18.20.1/24', 'c2', 'c2a', '198.18.20.2/24');
    [srv, c1, c2] = await Promise.all([Harness.start(lab, 'srv'), Client.start(lab, 'c1', 'c1a'), Client.start(lab, 'c2', 'c2a')]);
  }, 60_000);

  afterAll(async () => {
    await lab?.cleanup();
  });

  it('receives a broadcast from client 1; its broadcast reply reaches client 1 only', async () => {
    await srv.ok('open', { name: 'a', ifname: 'srv1', port: 67 });
    try {
      const req = token('discover1');
      const mark = srv.out.lines.length;
      await c1.send(req, '255.255.255.255');
      const line = await srv.waitMessage('a', req, mark);
      expect(JSON.parse(line)).toMatchObject({ from: '198.18.10.2', port: 68 });

      const reply = token('offer1');
      await srv.ok('send', { name: 'a', hex: reply, port: 68, address: '255.255.255.255' });
      await c1.waitRx(reply);
      await sleep(SETTLE_MS);
      expect(c1.received(reply)).toEqual([{ from: '198.18.10.1', port: 67, ev: 'rx', hex: reply }]);
      expect(c2.received(reply)).toEqual([]);
    } finally {
      await srv.ok('close', { name: 'a' });
    }
  });

  it('never delivers a broadcast from client 2 to the socket bound to srv1 (a socket on srv2 gets it)', async () => {
    await srv.ok('open', { name: 'a', ifname: 'srv1', port: 67 });
    await srv.ok('open', { name: 'b', ifname: 'srv2', port: 67 });
    try {
      const mark = srv.out.lines.length;
      const fromC2 = token('discover2');
      await c2.send(fromC2, '255.255.255.255');
      await srv.waitMessage('b', fromC2, mark); // positive control: it did arrive in the namespace
      // Unicast from c2 to srv1's address arrives on srv2: also not ours (research: "not delivered").
      const uniC2 = token('unicast-c2');
      await c2.send(uniC2, '198.18.10.1');
      await srv.waitMessage('b', uniC2, mark);
      await sleep(SETTLE_MS);
      expect(srv.messages('a', mark).filter((m) => m.hex === fromC2 || m.hex === uniC2)).toEqual([]);
    } finally {
      await srv.ok('close', { name: 'a' });
      await srv.ok('close', { name: 'b' });
    }
  });

  it('never leaks a packet from the other interface while starting, even under a broadcast flood', async () => {
    // The race of "bind, then SO_BINDTODEVICE" (research: 9 leaked in 10 starts). A socket on srv2
    // is the control that the flood reaches the namespace while srv1's socket is opened 10 times.
    await srv.ok('open', { name: 'b', ifname: 'srv2', port: 67 });
    try {
      const mark = srv.out.lines.length;
      const flood = token('flood');
      const done = c2.flood(flood, 3000, 500); // ≤ 3000 packets over ~2 s
      await srv.waitMessage('b', flood, mark);
      const sources = await srv.ok<string[]>('cycle', { ifname: 'srv1', port: 67, times: 10, holdMs: 40 });
      await done;
      expect(sources).toEqual([]);
      expect(srv.messages('b', mark).length).toBeGreaterThan(100);
    } finally {
      await srv.ok('close', { name: 'b' });
    }
  });

  it('answers a unicast request with a unicast reply', async () => {
    await srv.ok('open', { name: 'a', ifname: 'srv1', port: 67 });
    try {
      const mark = srv.out.lines.length;
      const req = token('request-unicast');
      await c1.send(req, '198.18.10.1');
      await srv.waitMessage('a', req, mark);
      const ack = token('ack-unicast');
      await srv.ok('send', { name: 'a', hex: ack, port: 68, address: '198.18.10.2' });
      const got = JSON.parse(await c1.waitRx(ack)) as { from: string; port: number };
      expect(got).toMatchObject({ from: '198.18.10.1', port: 67 });
    } finally {
      await srv.ok('close', { name: 'a' });
    }
  });

  it('sends the broadcast reply via srv1 even when the default route points at srv2', async () => {
    await lab.ip('srv', 'route', 'add', 'default', 'via', '198.18.20.2', 'dev', 'srv2');
    await srv.ok('open', { name: 'a', ifname: 'srv1', port: 67 });
    try {
      // Control: a socket without a device binding follows the default route to the wrong client.
      const stray = token('plain-broadcast');
      await srv.ok('plainSend', { hex: stray, port: 68, address: '255.255.255.255' });
      await c2.waitRx(stray);

      const reply = token('offer-defroute');
      await srv.ok('send', { name: 'a', hex: reply, port: 68, address: '255.255.255.255' });
      await c1.waitRx(reply);
      await sleep(SETTLE_MS);
      expect(c1.received(reply)).toHaveLength(1);
      expect(c2.received(reply)).toEqual([]);
    } finally {
      await srv.ok('close', { name: 'a' });
      await lab.ip('srv', 'route', 'del', 'default');
    }
  });

  it('lets two sockets on port 67, one per interface, coexist and keep to their own link', async () => {
    const a = await srv.call('open', { name: 'a', ifname: 'srv1', port: 67 });
    const b = await srv.call('open', { name: 'b', ifname: 'srv2', port: 67 });
    try {
      expect(a.ok && b.ok).toBe(true);
      const mark = srv.out.lines.length;
      const t1 = token('both-c1');
      const t2 = token('both-c2');
      await c1.send(t1, '255.255.255.255');
      await c2.send(t2, '255.255.255.255');
      await srv.waitMessage('a', t1, mark);
      await srv.waitMessage('b', t2, mark);
      const r1 = token('both-reply-a');
      const r2 = token('both-reply-b');
      await srv.ok('send', { name: 'a', hex: r1, port: 68, address: '255.255.255.255' });
      await srv.ok('send', { name: 'b', hex: r2, port: 68, address: '255.255.255.255' });
      await c1.waitRx(r1);
      await c2.waitRx(r2);
      await sleep(SETTLE_MS);
      expect(srv.messages('a', mark).map((m) => m.hex)).toEqual([t1]);
      expect(srv.messages('b', mark).map((m) => m.hex)).toEqual([t2]);
      expect(c1.received(r2)).toEqual([]);
      expect(c2.received(r1)).toEqual([]);
    } finally {
      await srv.ok('close', { name: 'a' });
      await srv.ok('close', { name: 'b' });
    }
  });

  // RENEWING (unicast to the server) and REBINDING (broadcast) differ only in the IP destination
  // (RFC 2131 §4.3.2): with unicastAddress every datagram says which it was.
  it('with unicastAddress: broadcasts are marked broadcast, datagrams to the server address not; replies still go out', async () => {
    await srv.ok('open', { name: 'u', ifname: 'srv1', port: 67, unicastAddress: '198.18.10.1' });
    try {
      const mark = srv.out.lines.length;
      const sent = { bcast: token('u-bcast'), subnet: token('u-subnet-bcast'), uni: token('u-unicast') };
      await c1.send(sent.bcast, '255.255.255.255');
      await c1.send(sent.subnet, '198.18.10.255');
      await c1.send(sent.uni, '198.18.10.1');
      const got = async (hex: string) => JSON.parse(await srv.waitMessage('u', hex, mark)) as { from: string; port: number; broadcast?: boolean };
      expect(await got(sent.bcast)).toMatchObject({ from: '198.18.10.2', port: 68, broadcast: true });
      expect(await got(sent.subnet)).toMatchObject({ from: '198.18.10.2', port: 68, broadcast: true });
      expect(await got(sent.uni)).toMatchObject({ from: '198.18.10.2', port: 68, broadcast: false });
      // Each exactly once (two sockets, no duplicate delivery); nothing from the other link.
      const fromC2 = token('u-c2');
      await c2.send(fromC2, '255.255.255.255');
      await sleep(SETTLE_MS);
      expect(srv.messages('u', mark).map((m) => m.hex).sort()).toEqual(Object.values(sent).sort());

      const ack = token('u-ack');
      await srv.ok('send', { name: 'u', hex: ack, port: 68, address: '198.18.10.2' });
      expect(JSON.parse(await c1.waitRx(ack))).toMatchObject({ from: '198.18.10.1', port: 67 });
      const offer = token('u-offer');
      await srv.ok('send', { name: 'u', hex: offer, port: 68, address: '255.255.255.255' });
      await c1.waitRx(offer);
      await sleep(SETTLE_MS);
      expect(c2.received(offer)).toEqual([]);

      // The port stays ours: a second server on the interface, or one binding the server's own
      // address with SO_REUSEADDR, gets EADDRINUSE (SO_REUSEADDR is off again on both sockets).
      const again = await srv.call('open', { name: 'u2', ifname: 'srv1', port: 67, unicastAddress: '198.18.10.1' });
      expect(again.ok ? 'opened' : again.error.code).toBe('EADDRINUSE');
      const specific = await lab.exec('srv', PY, ['-c', [
        'import socket, sys',
        's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
        's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
        'try:',
        "    s.bind(('198.18.10.1', 67)); print('bound')",
        'except OSError as e:',
        "    print('bind-failed', e.errno)",
      ].join('\n')], { timeoutMs: 10_000 });
      expect(specific.stdout.trim()).toBe('bind-failed 98');
    } finally {
      await srv.ok('close', { name: 'u' });
    }
    // Both sockets are closed: the port can be bound again.
    await srv.ok('open', { name: 'u3', ifname: 'srv1', port: 67, unicastAddress: '198.18.10.1' });
    await srv.ok('close', { name: 'u3' });
  });

  it('rejects a missing interface with ENODEV and an actionable message', async () => {
    const r = await srv.call('open', { name: 'x', ifname: 'nosuch0', port: 67 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ name: 'NetError', code: 'ENODEV', errno: 19 });
    expect(r.error.message).toBe('Interface "nosuch0" does not exist — pick one from "pocket-dhcp interfaces".');
  });

  it('names the wildcard holder of port 67 on EADDRINUSE, and keeps a later SO_REUSEADDR server out', async () => {
    await lab.addNamespace('busy');
    await lab.link('busy', 'bz0', '198.18.30.1/24', 'busy', 'bz1', null);
    const h = await Harness.start(lab, 'busy');
    const holderCode = String.raw`
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if sys.argv[1] == 'reuse': s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(('0.0.0.0', 67))
except OSError as e:
    print('bind-failed', e.errno, flush=True); sys.exit(0)
print('holding', flush=True)
time.sleep(60)
`;
    // 1. A plain wildcard listener (like a system dnsmasq) already holds :67.
    const holder = lab.spawn('busy', PY, ['-u', '-c', holderCode, 'plain']);
    await readLines(holder.stdout!).waitFor(/holding/);
    const r = await h.call('open', { name: 'x', ifname: 'bz0', port: 67 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('EADDRINUSE');
    expect(r.error.message).toBe(
      `Port 67 on bz0 is already in use by python3 (pid ${holder.pid}) — stop that program (e.g. "sudo kill ${holder.pid}") or choose another interface.`,
    );
    expect(r.error.holders).toEqual([
      expect.objectContaining({ pid: holder.pid, command: 'python3', localAddress: '0.0.0.0', port: 67, proto: 'udp' }),
    ]);
    await lab.kill(holder);

    // 2. Reverse order: ours first. libuv turns SO_REUSEADDR on when it adopts the fd; we turn it
    // off again, so even a server that sets SO_REUSEADDR cannot silently share the port.
    await h.ok('open', { name: 'x', ifname: 'bz0', port: 67 });
    const late = lab.spawn('busy', PY, ['-u', '-c', holderCode, 'reuse']);
    const line = await readLines(late.stdout!).waitFor(/holding|bind-failed/);
    expect(line).toBe('bind-failed 98'); // EADDRINUSE
    const holders = await h.ok<Array<{ pid?: number; device?: string }>>('holders', { port: 67 });
    expect(holders).toEqual([expect.objectContaining({ device: 'bz0' })]); // as `ss` shows it: 0.0.0.0%bz0:67
    await h.ok('close', { name: 'x' });
    await lab.kill(h.child);
  });

  it('reports unhealthy after the bound interface is deleted, even once a new one takes its name', async () => {
    await lab.link('srv', 'hx0', '198.18.40.1/24', 'srv', 'hx1', null);
    await srv.ok('open', { name: 'h', ifname: 'hx0', port: 67 });
    try {
      expect(await srv.ok('healthy', { name: 'h' })).toBe(true);
      await lab.ip('srv', 'link', 'del', 'hx0');
      expect(await srv.ok('healthy', { name: 'h' })).toBe(false);
      const r = await srv.call('send', { name: 'h', hex: token('after-del'), port: 68, address: '255.255.255.255' });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('ENODEV');
        expect(r.error.message).toMatch(/^Interface "hx0" has disappeared/);
      }
      // Re-plugged: same name, new ifindex. The old socket stays bound to the dead index.
      await lab.link('srv', 'hx0', '198.18.40.1/24', 'srv', 'hx1', null);
      expect(await srv.ok('healthy', { name: 'h' })).toBe(false);
    } finally {
      await srv.ok('close', { name: 'h' });
      await lab.ip('srv', 'link', 'del', 'hx0').catch(() => undefined);
    }
    expect(await srv.ok('healthy', { name: 'h' }).catch(() => 'closed')).toBe('closed');
  });

  // Root with every capability dropped (bounding set cleared, so exec cannot regain them): the
  // kernel checks CAP_NET_BIND_SERVICE, not the uid, for ports below 1024. Staying uid 0 keeps
  // the checkout readable wherever CI clones it (a private temp dir would lock out uid 65534).
  it('explains the missing privilege when an unprivileged process binds port 67', async () => {
    await lab.addNamespace('priv');
    await lab.link('priv', 'pv0', '198.18.50.1/24', 'priv', 'pv1', null);
    const h = await Harness.start(lab, 'priv', [
      systemBinary('setpriv'),
      '--inh-caps=-all',
      '--bounding-set=-all',
    ]);
    const r = await h.call('open', { name: 'x', ifname: 'pv0', port: 67 });
    await lab.kill(h.child);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('EACCES');
    expect(r.error.message).toMatch(
      /^Binding UDP port 67 needs privileges: run as root, or grant the capability once: sudo setcap cap_net_bind_service=\+ep "\/.+"$/,
    );
  });

  it('pktinfo mode (the macOS design) drops other interfaces and pins replies, run here with the Linux ABI', async () => {
    await lab.ip('srv', 'route', 'add', 'default', 'via', '198.18.20.2', 'dev', 'srv2');
    await srv.ok('openPktinfo', { name: 'p', ifname: 'srv1', port: 67, unicastAddress: '198.18.10.1' });
    try {
      const mark = srv.out.lines.length;
      const foreign = token('pk-c2');
      await c2.send(foreign, '255.255.255.255');
      const own = token('pk-c1');
      await c1.send(own, '255.255.255.255');
      const line = await srv.waitMessage('p', own, mark);
      expect(JSON.parse(line)).toMatchObject({ from: '198.18.10.2', port: 68, broadcast: true });
      // IP_PKTINFO's ipi_addr: a datagram addressed to the server is not a broadcast.
      const uni = token('pk-unicast');
      await c1.send(uni, '198.18.10.1');
      expect(JSON.parse(await srv.waitMessage('p', uni, mark))).toMatchObject({ from: '198.18.10.2', broadcast: false });
      await sleep(SETTLE_MS);
      expect(srv.messages('p', mark).map((m) => m.hex)).toEqual([own, uni]);
      // Without a device binding the kernel did queue client 2's broadcast; the filter dropped it.
      const stats = await srv.ok<{ received: number; droppedOtherInterface: number }>('stats', { name: 'p' });
      expect(stats.droppedOtherInterface).toBeGreaterThanOrEqual(1);

      const reply = token('pk-offer');
      await srv.ok('send', { name: 'p', hex: reply, port: 68, address: '255.255.255.255' });
      await c1.waitRx(reply);
      await sleep(SETTLE_MS);
      expect(c2.received(reply)).toEqual([]);
      expect(await srv.ok('healthy', { name: 'p' })).toBe(true);
    } finally {
      await srv.ok('close', { name: 'p' });
      await lab.ip('srv', 'route', 'del', 'default');
    }
  });

  it('win32 mode binds the interface address (smoke test of the code path; Linux semantics)', async () => {
    const opened = await srv.ok<{ mode: string }>('open', { name: 'w', ifname: 'srv1', port: 67, platform: 'win32' });
    try {
      expect(opened.mode).toBe('win32-address');
      const mark = srv.out.lines.length;
      const req = token('win-unicast');
      await c1.send(req, '198.18.10.1');
      await srv.waitMessage('w', req, mark);
      expect(await srv.ok('healthy', { name: 'w' })).toBe(true);
    } finally {
      await srv.ok('close', { name: 'w' });
    }
  });
});
