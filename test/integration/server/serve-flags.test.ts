// The README's first headless example — `serve` with flags only, no --config file — against a real
// client in a network namespace (the built CLI, server-lab.ts with `config: null`):
//   S: sv0 198.18.10.1/24 ──veth── C: cl0 (no address)
//   pocket-dhcp serve --interface sv0 --range … --router … --dns a,b --domain … --lease-time …
//                     --reserve MAC=IP,host --option ntp-servers=IP --option 150=IP
// The subnet comes from sv0's own address. busybox udhcpc from the reserved MAC must get the
// reserved address with the router, both DNS servers, the domain, the lease time and the options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, type Lab } from '../../helpers/netns.js';
import { TempDirs, isDhcp, readLeases, runUdhcpc, setMac, startServer, type ServerHandle } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[serve flags integration] skipped: ${avail.reason}`);

const MAC = '02:00:5e:10:0f:01';
const RESERVED = '198.18.10.33';
const LEASE = 900;

describe.skipIf(!avail.ok)(`serve with flags only (no --config)${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;
  let srv: ServerHandle | undefined;
  const tmp = new TempDirs('flags');

  beforeAll(async () => {
    lab = await createLab('srvflags');
    await lab.addNamespace('s');
    await lab.addNamespace('c');
    await lab.link('s', 'sv0', '198.18.10.1/24', 'c', 'cl0', null);
  });

  afterAll(async () => {
    await srv?.stop();
    await lab?.cleanup();
    tmp.cleanup();
  });

  it('udhcpc gets the reserved address with router, DNS, domain, lease time and the --option values', async () => {
    srv = await startServer(lab, 's', {
      config: null,
      dir: tmp.make('srv'),
      args: [
        '--interface', 'sv0',
        '--range', '198.18.10.100-198.18.10.150',
        '--router', '198.18.10.1',
        '--dns', '198.18.10.53,198.18.10.54',
        '--domain', 'flags.test',
        '--lease-time', String(LEASE),
        '--reserve', `${MAC}=${RESERVED},flagbox`,
        // Single values for list options: the --help example form (issue 3 audit, item 1).
        '--option', 'ntp-servers=198.18.10.123',
        '--option', '150=198.18.10.5',
      ],
    });
    const started = await srv.waitEvent((e) => e.kind === 'started');
    expect(started.interface).toBe('sv0');
    expect(started.serverId).toBe('198.18.10.1');

    await setMac(lab, 'c', 'cl0', MAC);
    const from = srv.mark();
    // -O: udhcpc asks only for a few options by default; request NTP (42) and TFTP servers (150) too.
    const { result, rec } = await runUdhcpc(lab, 'c', 'cl0', { dir: tmp.make('udhcpc'), args: ['-O', 'ntpsrv', '-O', '150'] });
    expect(result.code, result.stderr).toBe(0);
    const env = await rec.waitFor(['bound'], { timeoutMs: 1000 });
    expect(env.ip).toBe(RESERVED);
    expect(env.subnet).toBe('255.255.255.0'); // from sv0's own 198.18.10.1/24: no --subnet given
    expect(env.router).toBe('198.18.10.1');
    expect(env.dns).toBe('198.18.10.53 198.18.10.54');
    expect(env.domain).toBe('flags.test');
    expect(env.lease).toBe(String(LEASE));
    expect(env.serverid).toBe('198.18.10.1');
    expect(env.ntpsrv).toBe('198.18.10.123');
    // udhcpc passes options it has no name for as opt<code>=<hex>.
    expect(env.opt150).toBe('c6120a05');

    const ack = await srv.waitEvent(isDhcp('ack', MAC), { from });
    expect(ack.event.ip).toBe(RESERVED);
    const leases = (await readLeases(lab, 's', srv.dataDir)).filter((l) => l.mac === MAC && l.state === 'bound');
    expect(leases.map((l) => [l.ip, l.hostname])).toEqual([[RESERVED, 'flagbox']]);
  });
});
