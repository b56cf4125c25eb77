// "It never answers on a network the user did not choose" (ARCHITECTURE.md): the server namespace S
// has two interfaces — sv0 198.18.10.1/24 (served, client namespace C) and sv1 198.18.20.1/24
// (the "office network", client namespace X). While the server runs on sv0, a DHCP client in X
// broadcasts DISCOVERs, and a probe in X unicasts DISCOVERs to both of S's addresses. tcpdump on
// xl0 must see zero packets from S on the DHCP ports and the server's log nothing about X's
// client. Positive controls: X's DISCOVERs do reach S (tcpdump on sv1), and a client in C is
// served during the same window. Then sv0 is deleted and re-created (a USB NIC re-plugged): the
// server notices, reopens its socket on the new sv0, serves C again and still not X.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import {
  TempDirs,
  isDhcp,
  labConfig,
  macOf,
  probe,
  runUdhcpc,
  setMac,
  startCapture,
  startServer,
  type LogEvent,
  type ServerHandle,
} from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[server isolation integration] skipped: ${avail.reason}`);

const X_MAC = '02:00:5e:20:00:07';
const X_PROBE_MAC = '02:00:5e:20:00:08';
const C_MAC = '02:00:5e:10:07:01';

describe.skipIf(!avail.ok)(`second interface stays silent${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle;
  const tmp = new TempDirs('iso');

  beforeAll(async () => {
    lab = await createLab('srviso');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.addNamespace('x');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    await lab.link('s', 'sv1', '198.18.20.1/24', 'x', 'xl0', null);
    srv = await startServer(lab, 's', { config: labConfig(), dir: tmp.make('srv') });
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('DISCOVERs from the other network get no answer, and the server never hears them', async () => {
    await setMac(lab, 'x', 'xl0', X_MAC);
    await setMac(lab, 'c', 'cl0', C_MAC);
    const sv1Mac = await macOf(lab, 's', 'sv1');
    const onX = await startCapture(lab, 'x', 'xl0', 'udp and (port 67 or port 68)', { seconds: 30, maxPackets: 500 });
    const onSv1 = await startCapture(lab, 's', 'sv1', 'udp and (port 67 or port 68)', { seconds: 30, maxPackets: 500 });

    // X: udhcpc broadcasts DISCOVERs for ~5 s and must give up; meanwhile C is served normally.
    const [xRun, cRun] = await Promise.all([
      runUdhcpc(lab, 'x', 'xl0', { dir: tmp.make('udx'), tries: 5, timeoutMs: 20_000 }),
      runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udc') }),
    ]);
    expect(xRun.result.code, xRun.result.stderr).not.toBe(0);
    expect(xRun.result.stderr).not.toMatch(/obtained/);
    expect(xRun.rec.records().some((r) => r.ARG1 === 'bound')).toBe(false);
    expect(cRun.result.code, cRun.result.stderr).toBe(0);
    expect(cRun.rec.records().some((r) => r.ARG1 === 'bound')).toBe(true);

    // X with an address: unicast DISCOVERs to S's address on sv1's network and to the served
    // address 198.18.10.1 (routed via sv1: S's kernel delivers it locally, but it arrives on sv1).
    await lab.ip('x', 'addr', 'add', '198.18.20.2/24', 'dev', 'xl0');
    await lab.ip('x', 'route', 'add', '198.18.10.0/24', 'via', '198.18.20.1', 'dev', 'xl0');
    const discover = (xid: number) => ({
      xid,
      chaddr: X_PROBE_MAC,
      options: [
        [53, '01'],
        [55, '010306'],
      ] as [number, string][],
    });
    const replies = await probe(lab, 'x', {
      bind: ['198.18.20.2', 68],
      sends: [
        { to: ['198.18.20.1', 67], packet: discover(0x5eed0001) },
        { to: ['198.18.10.1', 67], packet: discover(0x5eed0002) },
        { to: ['255.255.255.255', 67], packet: discover(0x5eed0003) },
      ],
      listenMs: 2500,
    });
    expect(replies).toEqual([]);

    const xLines = await onX.stop();
    const sv1Lines = await onSv1.stop();
    // Positive control: X's DISCOVERs (udhcpc's broadcasts and the probe) reached S's sv1.
    expect(sv1Lines.filter((l) => l.includes(`${X_MAC} >`)).length, sv1Lines.join('\n')).toBeGreaterThanOrEqual(3);
    expect(sv1Lines.some((l) => l.includes('198.18.20.2.68 > 198.18.10.1.67')), sv1Lines.join('\n')).toBe(true);
    // Nothing from S on X's wire: no frame from sv1's MAC, no datagram from a DHCP server port.
    const fromServer = xLines.filter((l) => l.includes(`${sv1Mac} >`) || /\.67 > /.test(l));
    expect(fromServer, xLines.join('\n')).toEqual([]);
    expect(xLines.filter((l) => l.includes(`${X_MAC} >`)).length).toBeGreaterThanOrEqual(3);

    // And the server's log has nothing from either of X's clients.
    const mentionsX = (e: LogEvent): boolean => {
      const s = JSON.stringify(e).toLowerCase();
      return s.includes(X_MAC) || s.includes(X_PROBE_MAC) || s.includes('198.18.20.');
    };
    expect(srv.events().filter(mentionsX)).toEqual([]);
    // …while it did serve C in the same window.
    expect(srv.events().some(isDhcp('ack', C_MAC))).toBe(true);
  });
  it('the served interface is unplugged and comes back: serving resumes on sv0 only', async () => {
    const from = srv.mark();
    await lab.ip('s', 'link', 'del', 'sv0'); // deletes the pair: cl0 goes too
    await srv.waitEvent((e) => e.kind === 'state' && e.state === 'interface-lost', { from, timeoutMs: 10_000 });
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
    await srv.waitEvent((e) => e.kind === 'state' && e.state === 'running', { from, timeoutMs: 10_000 });

    await setMac(lab, 'c', 'cl0', '02:00:5e:10:07:02');
    await setMac(lab, 'x', 'xl0', '02:00:5e:20:00:09');
    const onX = await startCapture(lab, 'x', 'xl0', 'udp and (port 67 or port 68)', { seconds: 30, maxPackets: 500 });
    const [xRun, cRun] = await Promise.all([
      runUdhcpc(lab, 'x', 'xl0', { dir: tmp.make('udx2'), tries: 3, timeoutMs: 20_000 }),
      runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udc2') }),
    ]);
    expect(cRun.result.code, cRun.result.stderr).toBe(0);
    expect(xRun.result.code).not.toBe(0);
    const xLines = await onX.stop();
    expect(xLines.filter((l) => /\.67 > /.test(l)), xLines.join('\n')).toEqual([]);
    expect(xLines.filter((l) => l.includes('02:00:5e:20:00:09 >')).length).toBeGreaterThanOrEqual(2);
    expect(srv.events().slice(from).some(isDhcp('ack', '02:00:5e:10:07:02'))).toBe(true);
    expect(srv.events().slice(from).filter((e) => JSON.stringify(e).includes('02:00:5e:20:00:09'))).toEqual([]);
  });
});
