// What serving needs, read from facts (CapEff from /proc/self/status, the kernel, the sysctl, the
// firewall) into a report the UI shows before Start: what is missing and the fixes.
import { describe, expect, it } from 'vitest';
import { CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW, hasCap, kernelVersion, linuxReport, macReport, parseBlockAll, parseCapEff, parseSocketFilterState, parseWindowsFacts, windowsFirewallCommand, windowsReport, type LinuxFacts } from '../../../src-main/server/privileges.js';

const STATUS = (capEff: string) => `Name:\tnode\nUmask:\t0022\nState:\tR (running)\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapPrm:\t${capEff}\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n`;
const bits = (...caps: number[]) => caps.reduce((m, c) => m | (1n << BigInt(c)), 0n).toString(16).padStart(16, '0');

describe('CapEff', () => {
  it('parses the effective set and tests single capabilities', () => {
    expect(parseCapEff(STATUS('000001ffffffffff'))).toBe(0x1ffffffffffn);
    expect(parseCapEff(STATUS('0000000000000000'))).toBe(0n);
    expect(parseCapEff('Name:\tx\n')).toBeUndefined();
    const m = parseCapEff(STATUS(bits(CAP_NET_BIND_SERVICE)));
    expect([hasCap(m, CAP_NET_BIND_SERVICE), hasCap(m, CAP_NET_RAW), hasCap(m, CAP_NET_ADMIN)]).toEqual([true, false, false]);
    expect(hasCap(undefined, CAP_NET_RAW)).toBe(false);
    expect(kernelVersion('6.18.44-fc-v782')).toEqual([6, 18]);
    expect(kernelVersion('5.4.0-150-generic')).toEqual([5, 4]);
    expect(kernelVersion('weird')).toBeUndefined();
  });
});

describe('Linux report', () => {
  const facts = (o: Partial<LinuxFacts>): LinuxFacts => ({ capEff: 0n, kernel: '6.8.0', unprivilegedPortStart: 1024, execPath: '/usr/bin/node', ...o });

  it('root (all capabilities): nothing missing', () => {
    const r = linuxReport(facts({ capEff: parseCapEff(STATUS('000001ffffffffff')) }));
    expect(r).toMatchObject({ canServe: true, canConfigureNic: true, problems: [], fixes: [], summary: 'Pocket DHCP has the privileges it needs.' });
  });

  it('a normal user on a modern kernel: only port 67 is missing (SO_BINDTODEVICE is unprivileged since 5.7)', () => {
    const r = linuxReport(facts({}));
    expect(r.canServe).toBe(false);
    expect(r.problems.map((p) => p.what)).toEqual(['port-67', 'nic-config']);
    expect(r.fixes.map((f) => f.id)).toEqual(['sudo', 'setcap', 'sysctl']);
    expect(r.fixes.find((f) => f.id === 'setcap')!.command).toBe('sudo setcap cap_net_bind_service=+ep /usr/bin/node');
    expect(r.fixes.find((f) => f.id === 'sysctl')!.command).toBe('sudo sysctl -w net.ipv4.ip_unprivileged_port_start=67');
  });

  it('kernel before 5.7 without CAP_NET_RAW: the device binding is missing too, setcap grants both, no sysctl fix', () => {
    const r = linuxReport(facts({ kernel: '5.4.0-150-generic', capEff: BigInt(`0x${bits(CAP_NET_BIND_SERVICE)}`) }));
    expect(r.problems.map((p) => p.what)).toEqual(['bind-device', 'nic-config']);
    expect(r.fixes.find((f) => f.id === 'setcap')!.command).toBe('sudo setcap cap_net_bind_service,cap_net_raw=+ep /usr/bin/node');
    expect(r.fixes.some((f) => f.id === 'sysctl')).toBe(false);
  });

  it('CAP_NET_BIND_SERVICE alone (setcap on node) or the sysctl: can serve; the address still needs a prompt', () => {
    expect(linuxReport(facts({ capEff: BigInt(`0x${bits(CAP_NET_BIND_SERVICE)}`) }))).toMatchObject({ canServe: true, canConfigureNic: false, summary: 'Pocket DHCP can serve; setting a static address asks for the administrator password.' });
    expect(linuxReport(facts({ unprivilegedPortStart: 67 })).canServe).toBe(true);
    expect(linuxReport(facts({ unprivilegedPortStart: 68 })).canServe).toBe(false);
  });

  it('the desktop app: the helper first (no setcap on Electron); unavailable helper says why', () => {
    const ok = linuxReport(facts({ electron: true, helper: { available: true, command: "pkexec /usr/bin/env ELECTRON_RUN_AS_NODE=1 /opt/pd/pocket-dhcp /opt/pd/resources/app.asar/out/main/cli.js helper --stdio --data-dir '/home/u/.local/share/pocket-dhcp'" } }));
    expect(ok.fixes.map((f) => f.id)).toEqual(['helper', 'sysctl']);
    expect(ok.fixes[0]).toMatchObject({ recommended: true, command: expect.stringContaining('helper --stdio') });
    expect(ok.summary).toMatch(/can start its privileged helper/);
    const no = linuxReport(facts({ electron: true, helper: { available: false, reason: 'pkexec is not installed' } }));
    expect(no.fixes[0]).toMatchObject({ id: 'helper', recommended: false, text: expect.stringMatching(/cannot be started here: pkexec is not installed/) });
  });
});

describe('macOS report', () => {
  it('Mojave and later need no root for port 67; the firewall asks once; block-all is a problem with its fix', () => {
    expect(macReport({ darwinMajor: 23, root: false, firewallOn: false })).toMatchObject({ canServe: true, canConfigureNic: false, summary: 'Pocket DHCP has the privileges it needs.' });
    expect(macReport({ darwinMajor: 23, root: false, firewallOn: true }).fixes.map((f) => f.id)).toEqual(['firewall-allow']);
    const blocked = macReport({ darwinMajor: 23, root: false, firewallOn: true, blockAll: true });
    expect(blocked.canServe).toBe(false);
    expect(blocked.fixes[0]!.command).toBe('sudo /usr/libexec/ApplicationFirewall/socketfilterfw --setblockall off');
    expect(macReport({ darwinMajor: 17, root: false }).problems[0]!.what).toBe('port-67');
    expect(macReport({ darwinMajor: 17, root: true }).canServe).toBe(true);
  });
  it('socketfilterfw output', () => {
    expect(parseSocketFilterState('Firewall is enabled. (State = 1)')).toBe(true);
    expect(parseSocketFilterState('Firewall is disabled. (State = 0)')).toBe(false);
    expect(parseBlockAll('Firewall has block all state set to enabled.')).toBe(true);
    expect(parseBlockAll('Firewall has block all state set to disabled.')).toBe(false);
    expect(parseBlockAll('something else')).toBeUndefined();
  });
});

describe('Windows report', () => {
  it('firewall on without our rule: the rule command; port 67 needs no Administrator', () => {
    const r = windowsReport({ admin: false, firewallOn: true, ruleExists: false, execPath: 'C:\\Program Files\\Pocket DHCP\\PocketDHCP.exe' });
    expect(r.canServe).toBe(true);
    expect(r.problems.map((p) => p.what)).toEqual(['firewall', 'nic-config']);
    expect(r.fixes[0]!.command).toBe(windowsFirewallCommand('C:\\Program Files\\Pocket DHCP\\PocketDHCP.exe'));
    expect(r.fixes[0]!.command).toBe('netsh advfirewall firewall add rule name="Pocket DHCP (DHCP server, UDP 67 in)" dir=in action=allow protocol=UDP localport=67 program="C:\\Program Files\\Pocket DHCP\\PocketDHCP.exe" enable=yes');
    expect(windowsReport({ admin: true, firewallOn: true, ruleExists: true, execPath: 'x' })).toMatchObject({ problems: [], canConfigureNic: true });
  });
  it('PowerShell facts JSON', () => {
    expect(parseWindowsFacts('{"admin":false,"profiles":[true,false,true],"rules":0}', 'x')).toEqual({ admin: false, firewallOn: true, ruleExists: false, execPath: 'x' });
    expect(parseWindowsFacts('{"admin":true,"profiles":false,"rules":1}', 'x')).toEqual({ admin: true, firewallOn: false, ruleExists: true, execPath: 'x' });
    expect(parseWindowsFacts('', 'x')).toEqual({ admin: false, execPath: 'x' });
  });
});
