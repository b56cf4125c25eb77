// `pocket-dhcp timeline --mac MAC LOG` in-process, on a log written by the server's own JSON
// formatter (formatEventJson): the device's steps with the time between them and the hints, the
// same as the UI's device panel computes; usage mistakes exit 2 with a sentence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/index.js';
import { DeviceTimelines } from '../../../src-main/devices/timeline.js';
import type { EngineEvent } from '../../../src-main/dhcp/events.js';
import type { ServiceEvent } from '../../../src-main/server/dhcp-service.js';
import { formatEventJson, formatEventText } from '../../../src-main/server/event-format.js';
import { runCli } from '../../helpers/cli-run.js';

const MAC = '02:00:5e:77:00:01';
const OTHER = '02:00:5e:77:00:02';
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const c = (mac: string) => ({ mac, clientId: `01:${mac}` });
const dhcp = (at: number, event: EngineEvent): ServiceEvent => ({ kind: 'dhcp', at, event });
const discover = (at: number, mac = MAC): ServiceEvent => ({ kind: 'packet', at, packet: { direction: 'in', type: 'DHCPDISCOVER', mac, xid: 7, peer: '0.0.0.0:68', size: 300 } });
const offer = (at: number, mac = MAC): ServiceEvent => dhcp(at, { type: 'offer', ip: '198.18.10.100', ...c(mac), subnet: '198.18.10.0/24', source: 'first-free' });
const ack = (at: number, mac: string): ServiceEvent =>
  dhcp(at, { type: 'ack', ip: '198.18.10.101', ...c(mac), subnet: '198.18.10.0/24', state: 'selecting', lease: { ip: '198.18.10.101', mac, clientId: `01:${mac}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: at, expiresAt: at + 600_000, firstSeen: at, lastSeen: at } });

// A client that never REQUESTs (three DISCOVERs, one OFFER each), another that binds.
const EVENTS: ServiceEvent[] = [
  discover(T0),
  offer(T0 + 4),
  discover(T0 + 4000),
  offer(T0 + 4003),
  ack(T0 + 5000, OTHER),
  discover(T0 + 12_000),
  offer(T0 + 12_002),
  { kind: 'lease', at: T0 + 5001, lease: { ip: '198.18.10.101', mac: OTHER, clientId: `01:${OTHER}`, state: 'bound', subnet: '198.18.10.0/24', startsAt: T0, expiresAt: T0 + 600_000, firstSeen: T0, lastSeen: T0 } },
];

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
  dir = mkdtempSync(join(tmpdir(), 'pd-timeline-cli-'));
  // What `serve --log json -v > serve.log` leaves: a started record, the events, a cut last line.
  const lines = ['{"kind":"started","at":"2026-11-23T09:59:59.000Z","interface":"sv0"}', ...EVENTS.map(formatEventJson), '{"kind":"dhcp","at":"2026-11-2'];
  writeFileSync(join(dir, 'serve.log'), `${lines.join('\n')}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pocket-dhcp timeline', () => {
  it('prints the device\'s steps with the time between them and the stall hint', async () => {
    expect(await run('timeline', '--mac', '02-00-5E-77-00-01', join(dir, 'serve.log'))).toBe(0);
    expect(out).toMatch(/^02:00:5e:77:00:01: 6 step\(s\) in .*serve\.log, 2026-11-23T10:00:00\.000Z to 2026-11-23T10:00:12\.002Z$/m);
    expect(out).toMatch(/^2026-11-23T10:00:00\.000Z +DISCOVER$/m);
    expect(out).toMatch(/^2026-11-23T10:00:00\.004Z +\+4 ms +OFFER +198\.18\.10\.100$/m);
    expect(out).toMatch(/^2026-11-23T10:00:04\.000Z +\+4\.0 s +DISCOVER$/m);
    expect(out).toMatch(/\nhints:\n {2}! 3 OFFERs sent, no REQUEST: /);
    expect(out).not.toMatch(/198\.18\.10\.101/); // the other device's ACK
  });

  it('--format json: the same timeline and hints the UI\'s device panel computes from the same events', async () => {
    expect(await run('timeline', '--mac', MAC, join(dir, 'serve.log'), '--format', 'json')).toBe(0);
    const j = JSON.parse(out) as { entries: unknown[]; hints: unknown[]; records: number; skipped: number };
    const panel = new DeviceTimelines();
    for (const e of EVENTS) panel.observe(e);
    const want = panel.timeline(MAC);
    expect(j.entries).toEqual(want.entries);
    expect(j.hints).toEqual(want.hints);
    expect([j.records, j.skipped]).toEqual([EVENTS.length + 1, 1]);
  });

  it('a log without the client\'s steps (serve without --verbose) still shows the OFFERs and says what is missing', async () => {
    writeFileSync(join(dir, 'quiet.log'), `${EVENTS.filter((e) => e.kind !== 'packet').map(formatEventJson).join('\n')}\n`);
    expect(await run('timeline', '--mac', MAC, join(dir, 'quiet.log'))).toBe(0);
    expect(out).toMatch(/3 step\(s\)/);
    expect(out).toMatch(/3 OFFERs sent, no REQUEST/);
    expect(out).toMatch(/run serve with --verbose/);
    expect(await run('timeline', '--mac', '02:00:5e:77:00:99', join(dir, 'quiet.log'))).toBe(0);
    expect(out).toMatch(/^no DHCP steps of 02:00:5e:77:00:99 in /);
  });

  it('usage mistakes exit 2 with a sentence: bad MAC, missing file, a text log', async () => {
    expect(await run('timeline', '--mac', 'nope', join(dir, 'serve.log'))).toBe(2);
    expect(err).toMatch(/--mac "nope" is not a MAC address/);
    expect(await run('timeline', '--mac', MAC, join(dir, 'missing.log'))).toBe(2);
    expect(err).toMatch(/cannot read .*missing\.log/);
    writeFileSync(join(dir, 'text.log'), `${EVENTS.map((e) => formatEventText(e, true)).filter(Boolean).join('\n')}\n`);
    expect(await run('timeline', '--mac', MAC, join(dir, 'text.log'))).toBe(2);
    expect(err).toMatch(/holds no records of "pocket-dhcp serve --log json".*run the server with --log json/);
    expect(await run('timeline', join(dir, 'serve.log'))).toBe(2);
  });
});
