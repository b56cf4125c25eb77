// What serving DHCP needs from the operating system, checked before Start so the UI can say what is
// missing and how to fix it instead of failing on bind():
//   Linux   UDP port 67 → CAP_NET_BIND_SERVICE (root has it), or net.ipv4.ip_unprivileged_port_start
//           ≤ 67; binding the socket to the device → unprivileged since kernel 5.7, CAP_NET_RAW
//           before (research/sockets.md "Privileges"); setting the static address → CAP_NET_ADMIN
//           (or an administrator prompt). Read from /proc/self/status (CapEff), not from the uid:
//           root in a container may lack them, a binary with file capabilities may have them.
//   macOS   port 67 on the wildcard address needs no root since 10.14 (Darwin 18); the application
//           firewall asks once, and "Block all incoming connections" would silence the server.
//   Windows port 67 needs no Administrator; Windows Defender Firewall must let UDP 67 in.
// The report builders are pure (facts in, report out) and unit-tested; gatherPrivilegeFacts() reads
// the machine, bounded and never throwing.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';

/** Linux capability numbers (linux/capability.h). */
export const CAP_NET_BIND_SERVICE = 10;
export const CAP_NET_ADMIN = 12;
export const CAP_NET_RAW = 13;

export interface PrivilegeProblem {
  what: 'port-67' | 'bind-device' | 'firewall' | 'nic-config';
  text: string;
}

export interface PrivilegeFix {
  id: string;
  title: string;
  text: string;
  /** A command to run in a terminal (exact text), when the fix is one. */
  command?: string;
  recommended?: boolean;
}

export interface PrivilegeReport {
  platform: NodeJS.Platform;
  /** Port 67 and the device binding are available: Start can work as things are. */
  canServe: boolean;
  /** The static address can be set without an administrator prompt. */
  canConfigureNic: boolean;
  problems: PrivilegeProblem[];
  fixes: PrivilegeFix[];
  /** One sentence for a banner. */
  summary: string;
  /** Electron on Linux: restarting the engine as the privileged helper (pkexec). */
  elevate?: { available: boolean; command?: string; reason?: string };
  /** The report describes the privileged helper the window talks to. */
  viaHelper?: boolean;
}

// ---- Linux ----

/** The effective capability mask from /proc/PID/status ("CapEff:\t000001ffffffffff"). */
export function parseCapEff(status: string): bigint | undefined {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(status);
  return m ? BigInt(`0x${m[1]}`) : undefined;
}

export function hasCap(mask: bigint | undefined, cap: number): boolean {
  return mask !== undefined && (mask & (1n << BigInt(cap))) !== 0n;
}

/** "6.18.44-fc" → [6, 18]; undefined when it does not start with two numbers. */
export function kernelVersion(rel: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export interface LinuxFacts {
  capEff: bigint | undefined;
  /** uname -r */
  kernel: string;
  /** /proc/sys/net/ipv4/ip_unprivileged_port_start (per network namespace); undefined if unreadable. */
  unprivilegedPortStart: number | undefined;
  /** The binary that runs the engine (for the setcap hint). */
  execPath: string;
  /** This engine runs in Electron (setcap on Electron is not the advice then). */
  electron?: boolean;
  /** Electron only: can the helper be started with pkexec, and with which command. */
  helper?: { available: boolean; command?: string; reason?: string };
}

export function linuxReport(f: LinuxFacts): PrivilegeReport {
  const problems: PrivilegeProblem[] = [];
  const fixes: PrivilegeFix[] = [];
  const port = hasCap(f.capEff, CAP_NET_BIND_SERVICE) || (f.unprivilegedPortStart !== undefined && f.unprivilegedPortStart <= 67);
  const kv = kernelVersion(f.kernel);
  const modernKernel = kv !== undefined && (kv[0] > 5 || (kv[0] === 5 && kv[1] >= 7));
  const device = modernKernel || hasCap(f.capEff, CAP_NET_RAW);
  const nic = hasCap(f.capEff, CAP_NET_ADMIN);
  if (!port) problems.push({ what: 'port-67', text: 'DHCP servers answer on UDP port 67, and ports below 1024 need the CAP_NET_BIND_SERVICE capability (root has it).' });
  if (!device) problems.push({ what: 'bind-device', text: `Binding the socket to one interface needs CAP_NET_RAW on this kernel (${f.kernel}; unprivileged since Linux 5.7).` });
  if (!nic) problems.push({ what: 'nic-config', text: 'Setting the static address needs administrator rights (CAP_NET_ADMIN): the app asks for the password for that step only; on the command line, use sudo.' });
  const caps = device ? 'cap_net_bind_service' : 'cap_net_bind_service,cap_net_raw';
  if (!port || !device) {
    if (f.helper) {
      fixes.push({
        id: 'helper',
        title: 'Serve through the privileged helper',
        text: f.helper.available
          ? 'Pocket DHCP starts its engine as a small helper with administrator rights (pkexec asks for your password once); the window itself never runs as root.'
          : `The privileged helper cannot be started here: ${f.helper.reason ?? 'pkexec is not available'}.`,
        ...(f.helper.command ? { command: f.helper.command } : {}),
        recommended: f.helper.available,
      });
    }
    if (!f.electron) {
      fixes.push({ id: 'sudo', title: 'Run as root', text: 'Start the server with sudo (a headless lab box usually runs it as a systemd service).', command: 'sudo pocket-dhcp serve …', recommended: !f.helper });
      fixes.push({ id: 'setcap', title: 'Grant the capability once', text: 'Lets this Node binary bind low ports (every script run with it can, too).', command: `sudo setcap ${caps}=+ep ${shPath(f.execPath)}` });
    }
    if (device) {
      fixes.push({
        id: 'sysctl',
        title: 'Allow port 67 for everyone (until reboot)',
        text: 'Makes ports from 67 up unprivileged on this machine, so no part of Pocket DHCP needs root. Any program can then take those ports.',
        command: 'sudo sysctl -w net.ipv4.ip_unprivileged_port_start=67',
      });
    }
  }
  const canServe = port && device;
  const summary = canServe
    ? nic
      ? 'Pocket DHCP has the privileges it needs.'
      : 'Pocket DHCP can serve; setting a static address asks for the administrator password.'
    : `Serving needs ${!port && !device ? 'port 67 and a device-bound socket' : !port ? 'UDP port 67' : 'a device-bound socket'}, which this process is not allowed to use${f.helper?.available ? ' — Pocket DHCP can start its privileged helper (one password prompt).' : '.'}`;
  return { platform: 'linux', canServe, canConfigureNic: nic, problems, fixes, summary, ...(f.helper ? { elevate: f.helper } : {}) };
}

function shPath(p: string): string {
  return /^[A-Za-z0-9_./+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

// ---- macOS ----

export interface MacFacts {
  /** Darwin major version (os.release()): 18 = macOS 10.14. */
  darwinMajor: number;
  root: boolean;
  /** `socketfilterfw --getglobalstate`: undefined when unknown. */
  firewallOn?: boolean;
  /** `socketfilterfw --getblockall`. */
  blockAll?: boolean;
}

/** socketfilterfw prints "Firewall is enabled. (State = 1)" / "Firewall is disabled. (State = 0)". */
export function parseSocketFilterState(text: string): boolean | undefined {
  if (/enabled|State = [12]/i.test(text)) return true;
  if (/disabled|State = 0/i.test(text)) return false;
  return undefined;
}

/** "Firewall has block all state set to enabled." / "Block all INCOMING connections is enabled". */
export function parseBlockAll(text: string): boolean | undefined {
  if (!/block all/i.test(text)) return undefined;
  return /enabled|\bon\b/i.test(text) && !/disabled/i.test(text);
}

export function macReport(f: MacFacts): PrivilegeReport {
  const problems: PrivilegeProblem[] = [];
  const fixes: PrivilegeFix[] = [];
  const port = f.root || f.darwinMajor >= 18;
  if (!port) {
    problems.push({ what: 'port-67', text: 'This macOS version (before 10.14) lets only root use ports below 1024.' });
    fixes.push({ id: 'sudo', title: 'Run as root', text: 'Start Pocket DHCP with sudo, or update macOS.', command: 'sudo pocket-dhcp serve …', recommended: true });
  }
  if (f.blockAll) {
    problems.push({ what: 'firewall', text: '"Block all incoming connections" is on in the macOS firewall: DHCP requests from the devices never reach Pocket DHCP.' });
    fixes.push({ id: 'firewall-blockall', title: 'Turn off "Block all incoming connections"', text: 'System Settings → Network → Firewall → Options.', command: 'sudo /usr/libexec/ApplicationFirewall/socketfilterfw --setblockall off', recommended: true });
  } else if (f.firewallOn) {
    fixes.push({ id: 'firewall-allow', title: 'Allow incoming connections once', text: 'The macOS firewall is on: when it asks whether Pocket DHCP may accept incoming network connections, choose Allow.' });
  }
  if (!f.root) problems.push({ what: 'nic-config', text: 'Setting the static address needs an administrator: macOS asks for the password for that step only.' });
  const canServe = port && !f.blockAll;
  return {
    platform: 'darwin',
    canServe,
    canConfigureNic: f.root,
    problems,
    fixes,
    summary: canServe ? (f.firewallOn ? 'Pocket DHCP can serve; the macOS firewall may ask once to allow incoming connections.' : 'Pocket DHCP has the privileges it needs.') : problems[0]!.text,
  };
}

// ---- Windows ----

export interface WindowsFacts {
  admin: boolean;
  /** Any firewall profile enabled; undefined when unknown. */
  firewallOn?: boolean;
  /** An inbound allow rule for UDP 67 of ours exists. */
  ruleExists?: boolean;
  /** The program the rule should name. */
  execPath: string;
}

export const WINDOWS_FIREWALL_RULE = 'Pocket DHCP (DHCP server, UDP 67 in)';

export function windowsFirewallCommand(execPath: string): string {
  return `netsh advfirewall firewall add rule name="${WINDOWS_FIREWALL_RULE}" dir=in action=allow protocol=UDP localport=67 program="${execPath}" enable=yes`;
}

export function windowsReport(f: WindowsFacts): PrivilegeReport {
  const problems: PrivilegeProblem[] = [];
  const fixes: PrivilegeFix[] = [];
  if (f.firewallOn && !f.ruleExists) {
    problems.push({ what: 'firewall', text: 'Windows Defender Firewall is on and has no rule letting DHCP requests (UDP port 67) in to Pocket DHCP.' });
    fixes.push({ id: 'firewall-rule', title: 'Allow UDP 67 in Windows Defender Firewall', text: 'Run once in an Administrator command prompt (or answer "Allow access" when Windows asks on the first Start, on private networks).', command: windowsFirewallCommand(f.execPath), recommended: true });
  }
  if (!f.admin) problems.push({ what: 'nic-config', text: 'Setting the static address needs an Administrator: Windows asks (UAC) for that step only.' });
  return {
    platform: 'win32',
    // The firewall does not stop the socket from opening; Start works and the rule fixes delivery.
    canServe: true,
    canConfigureNic: f.admin,
    problems,
    fixes,
    summary: problems.some((p) => p.what === 'firewall') ? 'Pocket DHCP can start, but Windows Defender Firewall may block the DHCP requests — add the rule below.' : 'Pocket DHCP has the privileges it needs.',
  };
}

/**
 * PowerShell JSON: { admin: bool, profiles: [bool…], rules: int }. One call, locale-independent
 * (netsh's text output is translated).
 */
export function windowsFactsScript(): string {
  return [
    `$ErrorActionPreference = 'SilentlyContinue'`,
    `$admin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)`,
    `$profiles = @(Get-NetFirewallProfile | ForEach-Object { [bool]($_.Enabled -eq 'True') })`,
    `$rules = @(Get-NetFirewallRule -DisplayName '${WINDOWS_FIREWALL_RULE}' -ErrorAction SilentlyContinue).Count`,
    `@{ admin = $admin; profiles = $profiles; rules = $rules } | ConvertTo-Json -Compress`,
  ].join('; ');
}

export function parseWindowsFacts(text: string, execPath: string): WindowsFacts {
  try {
    const v = JSON.parse(text.trim()) as { admin?: unknown; profiles?: unknown; rules?: unknown };
    const profiles = Array.isArray(v.profiles) ? v.profiles : v.profiles === undefined || v.profiles === null ? [] : [v.profiles];
    return { admin: v.admin === true, ...(profiles.length ? { firewallOn: profiles.some((p) => p === true) } : {}), ruleExists: Number(v.rules) > 0, execPath };
  } catch {
    return { admin: false, execPath };
  }
}

// ---- gathering (I/O) ----

function runText(cmd: string, args: string[], timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 256 * 1024, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => resolve(err && !stdout ? undefined : `${stdout}${stderr}`));
    } catch {
      resolve(undefined);
    }
  });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface GatherOptions {
  platform?: NodeJS.Platform;
  execPath?: string;
  electron?: boolean;
  helper?: LinuxFacts['helper'];
}

/** The report for this process. Never throws; unknown facts count as "not a problem we can see". */
export async function checkPrivileges(opts: GatherOptions = {}): Promise<PrivilegeReport> {
  const platform = opts.platform ?? process.platform;
  const execPath = opts.execPath ?? process.execPath;
  if (platform === 'linux') {
    const portStart = readText('/proc/sys/net/ipv4/ip_unprivileged_port_start');
    return linuxReport({
      capEff: parseCapEff(readText('/proc/self/status') ?? ''),
      kernel: release(),
      unprivilegedPortStart: portStart === undefined || !/^\d+/.test(portStart.trim()) ? undefined : Number(portStart.trim()),
      execPath,
      ...(opts.electron ? { electron: true } : {}),
      ...(opts.helper ? { helper: opts.helper } : {}),
    });
  }
  if (platform === 'darwin') {
    const fw = '/usr/libexec/ApplicationFirewall/socketfilterfw';
    const [state, blockAll] = await Promise.all([runText(fw, ['--getglobalstate']), runText(fw, ['--getblockall'])]);
    const darwinMajor = Number(release().split('.')[0]) || 0;
    const firewallOn = state === undefined ? undefined : parseSocketFilterState(state);
    const block = blockAll === undefined ? undefined : parseBlockAll(blockAll);
    return macReport({ darwinMajor, root: process.getuid?.() === 0, ...(firewallOn !== undefined ? { firewallOn } : {}), ...(block !== undefined ? { blockAll: block } : {}) });
  }
  if (platform === 'win32') {
    const out = await runText('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', windowsFactsScript()], 8000);
    return windowsReport(parseWindowsFacts(out ?? '', execPath));
  }
  return { platform, canServe: true, canConfigureNic: false, problems: [], fixes: [], summary: `Privileges are not checked on ${platform}.` };
}
