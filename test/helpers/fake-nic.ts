/**
 * A pretend machine for the static-address code: `ip`, `nmcli`, `networksetup`, PowerShell and the
 * elevation wrappers, answered from an in-memory model, with every argv recorded. Lets the unit
 * tests run apply → verify → restore for all three OSes (the real Linux `ip` path runs in a
 * network namespace in test/integration/net/nic-static.test.ts).
 */
import type { CommandResult, RunCommand } from '../../src-main/net/nic-change.js';

export interface FakeAddr {
  address: string;
  prefix: number;
  dynamic?: boolean;
}

export interface FakeConnection {
  name: string;
  uuid: string;
  type: string;
  ifname?: string;
  addresses: FakeAddr[];
}

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string, code = 1): CommandResult => ({ code, stdout: '', stderr });

export class FakeMachine {
  links = new Map<string, { up: boolean; addrs: FakeAddr[] }>();
  connections: FakeConnection[] = [];
  /** device → active connection uuid */
  active = new Map<string, string>();
  /** macOS: service → getinfo text */
  mac = new Map<string, string>();
  /** Windows: alias → snapshot JSON */
  win = new Map<string, { dhcp: boolean; addresses: FakeAddr[]; gateway?: string }>();
  log: string[][] = [];
  /** Return a failure for an argv (checked first). */
  failOn: (argv: readonly string[]) => CommandResult | undefined = () => undefined;
  private seq = 0;

  link(name: string, up: boolean, addrs: FakeAddr[] = []): this {
    this.links.set(name, { up, addrs: addrs.map((a) => ({ ...a })) });
    return this;
  }

  run: RunCommand = async (argv) => {
    this.log.push([...argv]);
    const forced = this.failOn(argv);
    if (forced) return forced;
    const [cmd, ...a] = argv;
    if (cmd === 'ip') return this.ip(a);
    if (cmd === 'nmcli') return this.nmcli(a);
    if (cmd === '/usr/sbin/networksetup') return this.networksetup(a);
    if (cmd === 'netsh') return this.netsh(a);
    if (cmd === 'powershell.exe') return this.powershell(a);
    if (cmd === '/usr/bin/osascript') return this.osascript(a);
    return fail(`${cmd}: not found`, 127);
  };

  private ip(a: string[]): CommandResult {
    if (a[0] === '-j' && a[1] === 'addr' && a[2] === 'show' && a[3] === 'dev') {
      const name = a[4]!;
      const l = this.links.get(name);
      if (!l) return fail(`Device "${name}" does not exist.`);
      return ok(
        JSON.stringify([
          {
            ifname: name,
            flags: l.up ? ['BROADCAST', 'UP', 'LOWER_UP'] : ['BROADCAST'],
            addr_info: l.addrs.map((x) => ({ family: 'inet', local: x.address, prefixlen: x.prefix, ...(x.dynamic ? { dynamic: true, valid_life_time: 3000 } : { valid_life_time: 4294967295 }) })),
          },
        ]),
      );
    }
    if (a[0] === 'addr' && (a[1] === 'add' || a[1] === 'del')) {
      const [address, prefix] = a[2]!.split('/');
      const dev = a[a.indexOf('dev') + 1]!;
      const l = this.links.get(dev);
      if (!l) return fail(`Cannot find device "${dev}"`);
      const i = l.addrs.findIndex((x) => x.address === address && x.prefix === Number(prefix));
      if (a[1] === 'add') {
        if (i >= 0) return fail('RTNETLINK answers: File exists', 2);
        l.addrs.push({ address: address!, prefix: Number(prefix) });
      } else {
        if (i < 0) return fail('RTNETLINK answers: Cannot assign requested address', 2);
        l.addrs.splice(i, 1);
      }
      return ok();
    }
    if (a[0] === 'link' && a[1] === 'set') {
      const l = this.links.get(a[2]!);
      if (!l) return fail(`Cannot find device "${a[2]}"`);
      l.up = a[3] === 'up';
      return ok();
    }
    return fail(`ip: unexpected ${a.join(' ')}`);
  }

  private nmcli(a: string[]): CommandResult {
    const args = a[0] === '--wait' ? a.slice(2) : a;
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    if (args[0] === '-t' && args.includes('connection') && args.includes('show')) {
      const activeOnly = args.includes('--active');
      const fields = args[args.indexOf('-f') + 1]!.split(',');
      const rows = this.connections
        .filter((c) => !activeOnly || [...this.active.values()].includes(c.uuid))
        .map((c) => {
          const dev = [...this.active.entries()].find(([, u]) => u === c.uuid)?.[0] ?? (activeOnly ? '' : '--');
          const v: Record<string, string> = { NAME: esc(c.name), UUID: c.uuid, TYPE: c.type, DEVICE: dev };
          return fields.map((f) => v[f]).join(':');
        });
      return ok(rows.join('\n') + (rows.length ? '\n' : ''));
    }
    if (args[0] === 'connection' && args[1] === 'add') {
      const val = (k: string) => args[args.indexOf(k) + 1]!;
      const [address, prefix] = val('ipv4.addresses').split('/');
      this.connections.push({ name: val('con-name'), uuid: `00000000-0000-0000-0000-${String(++this.seq).padStart(12, '0')}`, type: '802-3-ethernet', ifname: val('ifname'), addresses: [{ address: address!, prefix: Number(prefix) }] });
      return ok(`Connection '${val('con-name')}' successfully added.\n`);
    }
    if (args[0] === 'connection' && args[1] === 'delete' && args[2] === 'id') {
      const i = this.connections.findIndex((c) => c.name === args[3]);
      if (i < 0) return fail(`Error: unknown connection '${args[3]}'.`, 10);
      const c = this.connections[i]!;
      this.connections.splice(i, 1);
      for (const [dev, u] of this.active) {
        if (u === c.uuid) {
          this.active.delete(dev);
          this.links.get(dev)!.addrs = [];
        }
      }
      return ok();
    }
    if (args[0] === 'connection' && args[1] === 'up') {
      const c = this.connections.find((x) => (args[2] === 'id' ? x.name === args[3] : x.uuid === args[3]));
      if (!c) return fail(`Error: unknown connection '${args[3]}'.`, 10);
      const dev = args[args.indexOf('ifname') + 1]!;
      this.active.set(dev, c.uuid);
      const l = this.links.get(dev)!;
      l.up = true;
      l.addrs = c.addresses.map((x) => ({ ...x }));
      return ok('Connection successfully activated\n');
    }
    return fail(`nmcli: unexpected ${a.join(' ')}`);
  }

  private networksetup(a: string[]): CommandResult {
    const service = a[1]!;
    if (a[0] === '-getinfo') {
      const t = this.mac.get(service);
      return t === undefined ? ok(`${service} is not a recognized network service.\n`) : ok(t);
    }
    if (a[0] === '-setmanual') {
      this.mac.set(service, `Manual Configuration\nIP address: ${a[2]}\nSubnet mask: ${a[3]}\nRouter: ${a[4] ?? 'none'}\n`);
      return ok();
    }
    if (a[0] === '-setdhcp') {
      this.mac.set(service, 'DHCP Configuration\nIP address: 192.168.1.23\nSubnet mask: 255.255.255.0\nRouter: 192.168.1.1\n');
      return ok();
    }
    return fail(`networksetup: unexpected ${a.join(' ')}`);
  }

  /** The osascript wrapper runs its sh command by splitting the quoted words back (test-only). */
  private async osascript(a: string[]): Promise<CommandResult> {
    const script = a[1]!;
    const m = /^do shell script "(.*)" with prompt "(.*)" with administrator privileges$/.exec(script);
    if (!m) return fail('osascript: bad script');
    const sh = m[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    for (const cmd of sh.split(' && ')) {
      const words = [...cmd.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((w) => (w[1] !== undefined ? w[1].replace(/'\\''/g, "'") : w[2]!));
      const r = await this.run(words);
      if (r.code !== 0) return fail(`execution error: ${r.stderr} (1)`, 1);
    }
    return ok();
  }

  private netsh(a: string[]): CommandResult {
    const name = a.find((x) => x.startsWith('name='))!.slice(5);
    const w = this.win.get(name);
    if (!w) return fail('The filename, directory name, or volume label syntax is incorrect.');
    if (a[2] === 'set' && a.includes('source=dhcp')) {
      w.dhcp = true;
      w.addresses = [{ address: '192.168.1.40', prefix: 24, dynamic: true }];
      return ok();
    }
    if (a[2] === 'set' && a.includes('static')) {
      const i = a.indexOf('static');
      w.dhcp = false;
      w.addresses = [{ address: a[i + 1]!, prefix: maskPrefix(a[i + 2]!) }];
      return ok();
    }
    return fail(`netsh: unexpected ${a.join(' ')}`);
  }

  private async powershell(a: string[]): Promise<CommandResult> {
    const script = a[a.length - 1]!;
    const sp = /Start-Process -FilePath '([^']*)'(?: -ArgumentList '((?:[^']|'')*)')? -Verb RunAs/.exec(script);
    if (sp) {
      // The UAC wrapper: split the Windows command line back (quotes only, test-only).
      const line = (sp[2] ?? '').replace(/''/g, "'");
      const words = [...line.matchAll(/(\w+=)?"([^"]*)"|(\S+)/g)].map((w) => (w[3] !== undefined ? w[3] : `${w[1] ?? ''}${w[2]}`));
      return this.run([sp[1]!, ...words]);
    }
    const alias = /-InterfaceAlias '((?:[^']|'')*)'/.exec(script)?.[1]?.replace(/''/g, "'");
    const w = alias === undefined ? undefined : this.win.get(alias);
    if (!w) return fail('No MSFT_NetIPInterface objects found');
    return ok(JSON.stringify({ dhcp: w.dhcp ? 'Enabled' : 'Disabled', addresses: w.addresses.map((x) => ({ address: x.address, prefix: x.prefix, origin: x.dynamic ? 'Dhcp' : 'Manual' })), gateways: w.gateway ? [w.gateway] : [] }));
  }
}

function maskPrefix(mask: string): number {
  return mask
    .split('.')
    .map((o) => Number(o).toString(2).replace(/0/g, '').length)
    .reduce((x, y) => x + y, 0);
}
