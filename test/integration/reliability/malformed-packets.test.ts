// Hostile and broken datagrams sent to :67 of the real server from a client namespace, by a plain
// UDP sender (python3): each one is dropped with a named reason in the JSON log (counted: one drop
// event per datagram) and answered by nothing — or, where the message is valid after all (a huge
// option 57, an overload option inside `file`), answered correctly — and the server keeps serving
// a normal client (udhcpc) afterwards.
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 198.18.50.2/24 (also a relay agent's address: a second
//      subnet, 198.18.50.0/24, is configured and served through giaddr)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, systemBinary, type Lab } from '../../helpers/netns.js';
import { recordProof } from '../../helpers/proof.js';
import { TempDirs, cliMissing, isDhcp, labConfig, readLeases, runUdhcpc, startServer, type DhcpEvent, type ServerHandle } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
const missing = avail.ok ? cliMissing() : undefined;
const skip = !avail.ok ? avail.reason : missing;
if (skip) console.warn(`[malformed packets integration] skipped: ${skip}`);

const RELAY = '198.18.50.2';
const COPIES = 3;

// ---- hand-made messages (bytes, not our codec) ----

const COOKIE = '63825363';
const hx = (...bytes: number[]): string => Buffer.from(bytes).toString('hex');
const ipHex = (ip: string): string => hx(...ip.split('.').map(Number));

interface Header {
  op?: number;
  hlen?: number;
  xid: number;
  giaddr?: string;
  mac?: string;
  /** 64 bytes of sname (hex, padded). */
  sname?: string;
  /** 128 bytes of file (hex, padded). */
  file?: string;
}

function header(h: Header): string {
  const mac = (h.mac ?? '02:00:5e:66:00:01').replace(/:/g, '');
  return (
    hx(h.op ?? 1, 1, h.hlen ?? 6, h.giaddr ? 1 : 0) +
    h.xid.toString(16).padStart(8, '0') +
    '0000' + '8000' + // secs, flags: broadcast
    '00000000'.repeat(3) + // ciaddr yiaddr siaddr
    ipHex(h.giaddr ?? '0.0.0.0') +
    mac.padEnd(32, '0') +
    (h.sname ?? '').padEnd(128, '0') +
    (h.file ?? '').padEnd(256, '0')
  );
}

/** header + cookie + options (hex), padded to 300 bytes like real clients. */
const message = (h: Header, options: string, pad = true): string => {
  const m = header(h) + COOKIE + options;
  return pad ? m.padEnd(600, '0') : m;
};

interface Case {
  name: string;
  hex: string;
  from: 'client' | 'relay';
  /** The drop reason expected in the log, or 'served' when a correct reply is expected instead. */
  expect: string;
  /** What the drop event's detail must say. */
  detail?: RegExp;
}

let xid = 0x7e550000;
const next = (): number => ++xid;
const mac = (n: number): string => `02:00:5e:66:00:${n.toString(16).padStart(2, '0')}`;

function cases(): Case[] {
  return [
    { name: 'truncated header (100 bytes)', hex: message({ xid: next(), mac: mac(1) }, '3501ff').slice(0, 200), from: 'client', expect: 'decode-error', detail: /^header at offset 100: message is 100 bytes/ },
    { name: 'bad magic cookie', hex: (header({ xid: next(), mac: mac(2) }) + '63825364' + '350101ff').padEnd(600, '0'), from: 'client', expect: 'decode-error', detail: /^magic-cookie at offset 236: 0x63825364 is not the DHCP magic cookie/ },
    { name: 'option length past the end', hex: message({ xid: next(), mac: mac(3) }, '350101' + '3dc8' + '01'.repeat(10), false), from: 'client', expect: 'decode-error', detail: /^options at offset 243: option 61 \(length 200\) runs past the end/ },
    { name: 'hlen 17 (> 16)', hex: message({ xid: next(), mac: mac(4), hlen: 17 }, '350101ff'), from: 'client', expect: 'decode-error', detail: /^hlen at offset 2: hardware address length 17/ },
    { name: 'hlen 255', hex: message({ xid: next(), mac: mac(5), hlen: 255 }, '350101ff'), from: 'client', expect: 'decode-error', detail: /^hlen at offset 2: hardware address length 255/ },
    {
      // Option 52 in the options field sends the parser to `file`, where another 52 points at `file`
      // again: honoured only in the options field (RFC 2132 §9.3), so it is skipped, not followed.
      // Nothing else is there: no message type.
      name: 'overload loop: 52 inside file pointing at file, nothing else',
      hex: message({ xid: next(), mac: mac(6), file: '340101' + 'ff' }, '340101ff'),
      from: 'client',
      expect: 'no-message-type',
    },
    {
      name: 'overload loop: 52 inside sname pointing at both fields, then an option past the end of sname',
      hex: message({ xid: next(), mac: mac(7), file: '340103ff', sname: '340103' + '0c' + '7f' + '41'.repeat(58) }, '350101340103ff'),
      from: 'client',
      expect: 'decode-error',
      detail: /^sname at offset 47: option 12 \(length 127\) runs past the end of the sname area/,
    },
    {
      // The same self-pointing 52 in `file`, but a real DISCOVER around it: the loop is ignored and
      // the client served — an overload option inside file/sname is no reason to drop a message.
      name: 'overload: 52 inside file ignored, the DISCOVER in file is served',
      hex: message({ xid: next(), mac: mac(8), file: '340101' + '350101' + 'ff' }, '340101ff'),
      from: 'client',
      expect: 'served',
    },
    { name: 'option 57 = 65535 (a huge maximum message size) is valid: served, with a normal-size reply', hex: message({ xid: next(), mac: mac(9) }, '350101' + '3902ffff' + 'ff'), from: 'client', expect: 'served' },
    { name: 'option 57 of 255 bytes (malformed, only a hint): ignored, served with the 548-byte default', hex: message({ xid: next(), mac: mac(10) }, '350101' + '39ff' + 'ff'.repeat(255) + 'ff'), from: 'client', expect: 'served' },
    { name: 'zero-length client identifier (61)', hex: message({ xid: next(), mac: mac(11) }, '350101' + '3d00' + 'ff'), from: 'client', expect: 'malformed-option', detail: /option 61 \(client identifier\) of 0 octets/ },
    { name: 'one-octet client identifier (61)', hex: message({ xid: next(), mac: mac(12) }, '350101' + '3d0101' + 'ff'), from: 'client', expect: 'malformed-option', detail: /option 61 \(client identifier\) of 1 octets/ },
    { name: 'giaddr of a subnet we do not serve, from a relay agent (port 67)', hex: message({ xid: next(), mac: mac(13), giaddr: '198.18.60.2' }, '350101ff'), from: 'relay', expect: 'not-our-subnet', detail: /relay 198\.18\.60\.2/ },
    { name: "giaddr of the server's own subnet from a client, no relay (port 68)", hex: message({ xid: next(), mac: mac(14), giaddr: '198.18.10.7' }, '350101ff'), from: 'client', expect: 'spoofed-relay', detail: /giaddr 198\.18\.10\.7 in a message from 198\.18\.50\.2:68/ },
    { name: 'giaddr of the relayed subnet from a client, no relay (port 68)', hex: message({ xid: next(), mac: mac(15), giaddr: '198.18.50.9' }, '350101ff'), from: 'client', expect: 'spoofed-relay', detail: /giaddr 198\.18\.50\.9/ },
    { name: 'a BOOTREPLY sent to the server port', hex: message({ op: 2, xid: next(), mac: mac(16) }, '350102' + '3604c6120a63' + 'ff'), from: 'client', expect: 'not-a-request' },
    { name: 'no option 53 (plain BOOTP)', hex: message({ xid: next(), mac: mac(17) }, '0104ffffff00ff'), from: 'client', expect: 'no-message-type' },
    { name: 'a 1,400-byte message of 1-byte fragments of one option (RFC 3396)', hex: message({ xid: next(), mac: mac(18) }, '350101' + '0c0141'.repeat(380) + 'ff', false), from: 'client', expect: 'served' },
    { name: 'relayed DISCOVER from the relay agent (port 67): served from 198.18.50.0/24', hex: message({ xid: next(), mac: mac(19), giaddr: RELAY }, '350101ff'), from: 'relay', expect: 'served' },
  ];
}

const PY_SENDER = String.raw`
import json, socket, struct, sys, time, select
spec = json.loads(sys.stdin.read())
cl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cl.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
cl.setsockopt(socket.SOL_SOCKET, 25, spec['device'].encode() + b'\0')
cl.bind(('0.0.0.0', 68))
rl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rl.bind((spec['relay'], 67))
for s in spec['sends']:
    data = bytes.fromhex(s['hex'])
    if s['from'] == 'relay':
        rl.sendto(data, (spec['server'], 67))
    else:
        cl.sendto(data, ('255.255.255.255', 67))
    time.sleep(0.01)
replies = []
end = time.time() + spec['listenMs'] / 1000.0
while time.time() < end:
    r, _, _ = select.select([cl, rl], [], [], max(0, end - time.time()))
    for sock in r:
        data, frm = sock.recvfrom(65535)
        t = None
        i = 240
        while i + 1 < len(data):
            c = data[i]
            if c == 0:
                i += 1; continue
            if c == 255: break
            if c == 53: t = data[i + 2]
            i += 2 + data[i + 1]
        replies.append(dict(xid=struct.unpack('!I', data[4:8])[0], type=t, size=len(data), frm='%s:%d' % frm, yiaddr=socket.inet_ntoa(data[16:20])))
print(json.dumps(dict(replies=replies)))
`;

describe.skipIf(Boolean(skip))(`malformed and hostile packets to the real server${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('malformed');

  beforeAll(async () => {
    lab = await createLab('relmalf');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', `${RELAY}/24`);
    await lab.ip('s', 'route', 'add', '198.18.50.0/24', 'dev', 'sv0');
    await lab.ip('c', 'route', 'add', '198.18.10.0/24', 'dev', 'cl0');
    srv = await startServer(lab, 's', {
      config: labConfig({ extraSubnets: [{ subnet: '198.18.50.0/24', range: '198.18.50.100-198.18.50.150', router: '198.18.50.1' }] }),
      dir: tmp.make('srv'),
    });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it(`each malformed datagram (×${COPIES}) is dropped with a named reason, counted once per datagram, never answered; the valid ones are answered`, async () => {
    const list = cases();
    const from = srv.mark();
    const sends = list.flatMap((c) => Array.from({ length: COPIES }, () => ({ hex: c.hex, from: c.from })));
    const r = await lab.exec('c', systemBinary('python3'), ['-c', PY_SENDER], {
      input: JSON.stringify({ device: 'cl0', relay: RELAY, server: '198.18.10.1', sends, listenMs: 2500 }),
      timeoutMs: 20_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const replies = (JSON.parse(r.stdout) as { replies: { xid: number; type: number; size: number; frm: string; yiaddr: string }[] }).replies;
    const drops = srv.events().slice(from).filter((e): e is DhcpEvent => e.kind === 'dhcp' && (e as DhcpEvent).event.type === 'drop');

    const xidOf = (c: Case): number => Buffer.from(c.hex.slice(8, 16), 'hex').readUInt32BE(0);
    const macOf = (c: Case): string => c.hex.slice(56, 68).replace(/(..)(?!$)/g, '$1:');
    const table: string[] = [];
    for (const c of list) {
      const answered = replies.filter((x) => x.xid === xidOf(c));
      if (c.expect === 'served') {
        expect(answered.length, `${c.name}: answered`).toBeGreaterThanOrEqual(1);
        for (const a of answered) {
          expect(a.type, c.name).toBe(2); // OFFER
          expect(a.size, `${c.name}: reply within the default 548 bytes`).toBeLessThanOrEqual(548);
        }
        table.push(`${c.name}: served (${answered.length} OFFERs)`);
        continue;
      }
      expect(answered, `${c.name}: must not be answered`).toEqual([]);
      // The decoder cannot name the client of a message it could not read; the engine does.
      const mine = drops.filter((d) => d.event.reason === c.expect && (c.detail ? c.detail.test(String(d.event.detail)) : d.event.mac === undefined || d.event.mac === macOf(c)));
      expect(mine.length, `${c.name}: one '${c.expect}' drop per datagram; drops seen: ${drops.map((d) => `${d.event.reason} ${d.event.detail ?? d.event.mac}`).join(' | ')}`).toBe(COPIES);
      table.push(`${c.name}: ${c.expect}${mine[0]!.event.detail ? ` (${String(mine[0]!.event.detail).replace(/ \(\d+ bytes from .*\)$/, '')})` : ''}`);
    }
    // A relayed OFFER goes to the relay, from the relayed subnet.
    const relayed = replies.find((x) => x.xid === xidOf(list.at(-1)!))!;
    expect(relayed.frm).toBe('198.18.10.1:67');
    expect(relayed.yiaddr).toMatch(/^198\.18\.50\.1\d\d$/);
    // The malformed option 57 was served with the default size, and the log says it was ignored
    // (a warning naming the client per answered datagram, never a silent fallback).
    const bad57 = list.find((c) => c.name.startsWith('option 57 of 255 bytes'))!;
    const ignored = srv.events().slice(from).filter((e) => e.kind === 'warning' && e.code === 'option-ignored');
    expect(ignored.length, 'a warning per answered datagram').toBeGreaterThanOrEqual(1);
    for (const w of ignored) expect(String(w.message)).toBe(`request of ${macOf(bad57)}: option 57 (maximum message size) is 255 octets long; it must be 2 (RFC 2132 §9.10): ignored, the reply keeps to the default 576-byte message`);
    // The BOOTREPLY also raised the rogue-server warning.
    expect(srv.events().slice(from).some((e) => e.kind === 'dhcp' && (e as DhcpEvent).event.type === 'foreign-server')).toBe(true);
    console.log(`[malformed] ${list.length} kinds × ${COPIES}:\n  ${table.join('\n  ')}`);
    const dropped = list.filter((c) => c.expect !== 'served').length;
    recordProof('malformed packets', `${list.length} kinds × ${COPIES} datagrams to :67 of the real server: ${dropped * COPIES} dropped with a named reason (one drop event each, no reply), ${(list.length - dropped) * COPIES} valid-but-odd ones answered correctly`);
  });

  it('a client that asks for huge option lists gets its lease, and the lease record stays bounded', async () => {
    // DISCOVER + REQUEST with a 1,000-entry parameter list and a 1,000-byte vendor class, both in
    // RFC 3396 fragments: each renewal rewrites the record, so its size must not be the client's to choose.
    const id = next();
    const frag = (code: number, data: Buffer): string => {
      let out = '';
      for (let o = 0; o < data.length; o += 250) {
        const part = data.subarray(o, o + 250);
        out += hx(code, part.length) + part.toString('hex');
      }
      return out;
    };
    const prl = frag(55, Buffer.from(Array.from({ length: 1000 }, (_, i) => 1 + (i % 254))));
    const vendor = frag(60, Buffer.alloc(1000, 'v'));
    const m = mac(0x40);
    const discover = message({ xid: id, mac: m }, '350101' + prl + vendor + 'ff', false);
    const r1 = await lab.exec('c', systemBinary('python3'), ['-c', PY_SENDER], { input: JSON.stringify({ device: 'cl0', relay: RELAY, server: '198.18.10.1', sends: [{ hex: discover, from: 'client' }], listenMs: 1500 }), timeoutMs: 15_000 });
    const offer = (JSON.parse(r1.stdout) as { replies: { xid: number; yiaddr: string }[] }).replies.find((x) => x.xid === id);
    expect(offer, r1.stderr).toBeDefined();
    const request = message({ xid: id, mac: m }, '350103' + '3204' + ipHex(offer!.yiaddr) + '3604' + ipHex('198.18.10.1') + prl + vendor + 'ff', false);
    const r2 = await lab.exec('c', systemBinary('python3'), ['-c', PY_SENDER], { input: JSON.stringify({ device: 'cl0', relay: RELAY, server: '198.18.10.1', sends: [{ hex: request, from: 'client' }], listenMs: 1500 }), timeoutMs: 15_000 });
    const ack = (JSON.parse(r2.stdout) as { replies: { xid: number; type: number }[] }).replies.find((x) => x.xid === id);
    expect(ack?.type).toBe(5);
    const lease = (await readLeases(lab, 's', srv.dataDir)).find((l) => l.mac === m)!;
    expect(lease.state).toBe('bound');
    expect((lease.paramRequest as number[]).length).toBe(255);
    expect(String(lease.vendorClass).length).toBe(255);
    // The export adds fields derived from the record (vendor, fingerprint = option 55 as text):
    // the bound is on what is stored and rewritten at each renewal.
    const { vendor: _v, randomMac: _r, fingerprint, clientGuess: _g, ...stored } = lease;
    expect(JSON.stringify(stored).length).toBeLessThan(2500);
    expect(String(fingerprint).split(',')).toHaveLength(255);
  });

  it('after all of it the server still serves a normal client (udhcpc DORA)', async () => {
    const from = srv.mark();
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc') });
    expect(result.code, result.stderr).toBe(0);
    const bound = rec.records().find((x) => x.ARG1 === 'bound');
    expect(bound?.ip).toMatch(/^198\.18\.10\.1[0-5]\d$/);
    await srv.waitEvent(isDhcp('ack'), { from });
    expect(srv.child.exitCode).toBeNull();
  });
});
