// listInterfaces / serverAddressFor / watchInterfaces against real links in a network namespace:
// the module runs in a Node process spawned inside the namespace, so it sees only the lab's links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, netnsAvailable, readLines, type Lab } from '../../helpers/netns.js';
import { cliMissing, runCli } from '../../helpers/server-lab.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[interfaces integration] skipped: ${avail.reason}`);

const root = process.cwd();

describe.skipIf(!avail.ok)(`interfaces in a network namespace${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab('ifaces');
    await lab.addNamespace('n');
    await lab.link('n', 'st0', '198.18.60.1/24', 'n', 'st1', null);
    await lab.link('n', 'dy0', null, 'n', 'dy1', null);
    // A lease-like address: finite lifetime, which is how DHCP clients install addresses.
    await lab.ip('n', 'addr', 'add', '198.18.61.7/24', 'dev', 'dy0', 'valid_lft', '300', 'preferred_lft', '300');
    await lab.link('n', 'na0', null, 'n', 'na1', null);
    await lab.ip('n', 'link', 'set', 'na1', 'down'); // na0 is admin-up but has no carrier
  }, 30_000);

  afterAll(async () => {
    await lab?.cleanup();
  });

  async function inNs<T>(code: string): Promise<T> {
    const r = await lab.execNode(
      'n',
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(`${root}/src-main/net/interfaces.ts`)});\n${code}`],
      { timeoutMs: 20_000 },
    );
    if (r.code !== 0) throw new Error(`node exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  it('lists the links with addresses, DHCP flag, state and kind', async () => {
    const list = await inNs<Array<Record<string, unknown>>>('console.log(JSON.stringify(await m.listInterfaces()));');
    const by = new Map(list.map((i) => [i.name as string, i]));
    expect([...by.keys()].sort()).toEqual(['dy0', 'dy1', 'lo', 'na0', 'na1', 'st0', 'st1']);
    expect(by.get('st0')).toMatchObject({
      ipv4: [{ address: '198.18.60.1', prefix: 24, dynamic: false }],
      adminUp: true,
      up: true,
      loopback: false,
      virtual: true,
      kind: 'veth',
      source: 'ip',
    });
    expect(by.get('st0')!.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(by.get('st0')!.index).toEqual(expect.any(Number));
    expect(by.get('dy0')).toMatchObject({ ipv4: [{ address: '198.18.61.7', prefix: 24, dynamic: true }] });
    expect(by.get('na0')).toMatchObject({ adminUp: true, up: false, ipv4: [] });
    expect(by.get('na1')).toMatchObject({ adminUp: false, up: false });
    expect(by.get('lo')).toMatchObject({ loopback: true, ipv4: [{ address: '127.0.0.1', prefix: 8, dynamic: false }] });
    expect(by.get('lo')!.mac).toBeUndefined(); // (JSON drops undefined: absent means undefined)
  });

  it('picks the server address, or explains what is missing', async () => {
    const res = await inNs<Record<string, unknown>>(`
      const out = {};
      for (const n of ['st0', 'dy0', 'na0', 'zz9']) {
        try { out[n] = await m.serverAddressFor(n); } catch (e) { out[n] = { code: e.code, message: e.message }; }
      }
      console.log(JSON.stringify(out));`);
    expect(res.st0).toMatchObject({ ifname: 'st0', address: '198.18.60.1', prefix: 24, dynamic: false });
    expect(res.dy0).toMatchObject({ address: '198.18.61.7', dynamic: true });
    expect(res.na0).toEqual({
      code: 'NO_IPV4',
      message: 'na0 has no IPv4 address — set a static address first (Interface → Static address).',
    });
    expect(res.zz9).toEqual({
      code: 'ENODEV',
      message: 'Interface "zz9" does not exist — pick one from "pocket-dhcp interfaces".',
    });
  });

  // The built CLI inside the namespace (before the watch test below changes st0).
  it('`pocket-dhcp interfaces` prints a table of the links; `--json` the same list as listInterfaces()', async () => {
    const missing = cliMissing();
    if (missing) throw new Error(missing);
    const text = await runCli(lab, 'n', ['interfaces']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^INTERFACE\s+STATE\s+MAC\s+IPV4\s+NOTES$/);
    const row = (name: string) => {
      const l = lines.find((x) => x.startsWith(`${name} `));
      expect(l, `row of ${name} in:\n${text.stdout}`).toBeDefined();
      return l!.split(/\s{2,}/);
    };
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual(['dy0', 'dy1', 'lo', 'na0', 'na1', 'st0', 'st1']);
    const st0 = row('st0');
    expect(st0.slice(0, 2)).toEqual(['st0', 'up']);
    expect(st0[2]).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(st0.slice(3)).toEqual(['198.18.60.1/24', 'veth']);
    expect(row('dy0').slice(3)).toEqual(['198.18.61.7/24', 'address from DHCP: another server runs this network; veth']);
    expect(row('na0')).toEqual(['na0', 'down', expect.stringMatching(/:/), '-', 'no link; no IPv4: set a static address to serve here; veth']);
    expect(row('na1')[4]).toMatch(/^down; /);
    expect(row('lo')).toEqual(['lo', 'up', '-', '127.0.0.1/8', 'loopback']);

    const json = await runCli(lab, 'n', ['interfaces', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    const direct = await inNs<Array<Record<string, unknown>>>('console.log(JSON.stringify(await m.listInterfaces()));');
    expect(list.map((i) => i.name).sort()).toEqual(['dy0', 'dy1', 'lo', 'na0', 'na1', 'st0', 'st1']);
    expect(list).toEqual(direct);
    expect(list.find((i) => i.name === 'st0')).toMatchObject({ ipv4: [{ address: '198.18.60.1', prefix: 24, dynamic: false }], up: true, kind: 'veth' });
  });

  it('watchInterfaces reports a change only when something changed', async () => {
    const watcher = lab.spawnNode('n', [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(`${root}/src-main/net/interfaces.ts`)});
       let n = 0;
       m.watchInterfaces((list) => {
         const st0 = list.find((i) => i.name === 'st0');
         console.log(JSON.stringify({ change: ++n, st0: st0 ? { ipv4: st0.ipv4.map((a) => a.address), up: st0.up } : null }));
       }, 100);
       setTimeout(() => console.log('ready'), 400);
       setTimeout(() => process.exit(0), 20000);`,
    ]);
    const out = readLines(watcher.stdout!);
    try {
      await out.waitFor(/^ready$/, { timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 400)); // several polls with nothing changing
      expect(out.lines.filter((l) => l.includes('"change"'))).toEqual([]);

      await lab.ip('n', 'addr', 'add', '198.18.60.9/24', 'dev', 'st0');
      const first = JSON.parse(await out.waitFor(/"change":1/, { timeoutMs: 5000 })) as { st0: { ipv4: string[] } };
      expect(first.st0.ipv4).toEqual(['198.18.60.1', '198.18.60.9']);

      await lab.ip('n', 'link', 'set', 'st0', 'down');
      const second = JSON.parse(await out.waitFor(/"change":2/, { timeoutMs: 5000 })) as { st0: { up: boolean } };
      expect(second.st0.up).toBe(false);
    } finally {
      await lab.kill(watcher);
    }
  });
});
