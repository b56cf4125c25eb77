// Start-up, once for every front end (CLI `serve`, Electron, web mode): from the validated user
// configuration and the machine's interfaces to the server's address and the engine's resolved
// policy, then the DhcpService on an interface-bound socket. Every refusal is a StartupError whose
// message says what happened and what to do; `code` lets a front end react (exit code, which
// settings field to highlight, offering the static-address dialog); `variant` + `params` carry the
// values the message was built from, so the UI can word it in its own language (the renderer's
// lib/errors.ts refusalBody; the English `message` stays what every front end shows in English).
import { configWarnings } from '../config/warnings.js';
import { cidrContains, intToIp, ipToInt, parseCidr } from '../dhcp/ip.js';
import type { EngineConfig } from '../dhcp/policy.js';
import { resolveConfig } from '../config/resolve.js';
import { ConfigError, type ConfigProblem, type UserConfig } from '../config/schema.js';
import { LeaseStore, type LeaseStoreOptions } from '../leases/lease-store.js';
import { openBoundSocket } from '../net/bound-socket.js';
import type { InterfaceAddress, NetInterface } from '../net/interfaces.js';
import { interfaceGoneMessage, isNetError, noIpv4Message, type NetError } from '../net/net-error.js';
import { DhcpService, type DhcpTransport, type LeaseRepository, type ServiceOptions } from './dhcp-service.js';
import { setupConflictCheck } from './conflict-setup.js';

export type StartupErrorCode =
  /** The configuration is invalid (or invalid for this interface: server address in the range …). */
  | 'config'
  /** The interface does not exist, or vanished / has an unusable name. */
  | 'interface'
  /** The interface has no usable IPv4 address: set a static one first. */
  | 'no-ipv4'
  /** The interface's address came from another DHCP server. */
  | 'foreign-network'
  /** Another DHCP server answered the probe on the interface (server/rogue-guard.ts). */
  | 'foreign-server'
  /** UDP port 67 is held by another program. */
  | 'port-busy'
  /** Binding port 67 / the device needs privileges. */
  | 'privileges'
  /** The lease store cannot be opened (locked, not writable, newer format …). */
  | 'store'
  /** This platform cannot bind to one interface (or the native helper is missing). */
  | 'platform'
  /** Any other socket failure. */
  | 'socket'
  /** A start is already in progress / the server is already running. */
  | 'busy';

/** The values a refusal's message was built from (names, addresses, commands), for other languages. */
export type RefusalParams = Record<string, string | number>;

/** Which sentence of a code the message is (`variant`), and its values. */
export interface RefusalText {
  variant: string;
  params: RefusalParams;
}

export class StartupError extends Error {
  override readonly name = 'StartupError';
  /** Which sentence of `code` the message is ("unknown", "held", …); absent = not worded elsewhere. */
  readonly variant: string | undefined;
  readonly params: RefusalParams | undefined;
  constructor(
    readonly code: StartupErrorCode,
    message: string,
    /** For configuration problems: every problem, each naming its field. */
    readonly problems: ConfigProblem[] = [],
    options?: { cause?: unknown; text?: RefusalText },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.variant = options?.text?.variant;
    this.params = options?.text?.params;
  }

  /** The settings field the (first) problem belongs to. */
  get field(): string | undefined {
    return this.problems.find((p) => p.field)?.field;
  }

  static fromConfigError(e: ConfigError, code: StartupErrorCode = 'config'): StartupError {
    return new StartupError(code, e.message, e.problems, { cause: e });
  }
}

export function isStartupError(e: unknown): e is StartupError {
  return e instanceof StartupError;
}

/** Wording that differs between front ends (a CLI flag vs. a checkbox in the UI). */
export interface StartupHints {
  /** How the user overrides the foreign-network refusal. */
  allowForeignNetwork: string;
  /** How the user overrides the "another DHCP server answers" refusal (a sentence, or '' when a button says it). */
  allowOtherServer: string;
  /** How the user shortens or skips the probe ('' when there is no such switch). */
  probeTimeout: string;
}

export const CLI_HINTS: StartupHints = {
  allowForeignNetwork: 'or pass --allow-foreign-network if you are sure',
  allowOtherServer: 'To serve anyway, pass --allow-other-server.',
  probeTimeout: 'pass --probe-timeout 4000 to check again',
};
export const UI_HINTS: StartupHints = {
  allowForeignNetwork: 'or start again with "Allow foreign network" if you are sure',
  allowOtherServer: '',
  probeTimeout: '',
};

export interface StartPlan {
  config: UserConfig;
  itf: NetInterface;
  /** The server's own address (option 54), inside subnets[0]. */
  address: InterfaceAddress;
  engineConfig: EngineConfig;
  /** Things to tell the user that do not prevent serving ("no link"). */
  warnings: string[];
}

export interface PlanOptions {
  allowForeignNetwork?: boolean;
  hints?: StartupHints;
}

const isLinkLocal = (ip: string): boolean => ip.startsWith('169.254.');

export function unknownInterfaceProblem(name: string, all: NetInterface[]): ConfigProblem {
  const names = all.filter((i) => !i.loopback).map((i) => i.name);
  return { field: 'interface', message: `"${name}" does not exist on this machine${names.length ? ` (available: ${names.join(', ')})` : ''} — see "pocket-dhcp interfaces"` };
}

/**
 * Pure: picks the server's address on the configured interface and resolves the engine policy.
 * The address must be usable (not 169.254/16), preferably inside subnets[0], and not from DHCP
 * unless allowed (a second DHCP server on a network would hand out conflicting addresses).
 */
export function planStart(cfg: UserConfig, interfaces: NetInterface[], opts: PlanOptions = {}): StartPlan {
  const hints = opts.hints ?? CLI_HINTS;
  const itf = interfaces.find((i) => i.name === cfg.interface);
  if (!itf) {
    const p = unknownInterfaceProblem(cfg.interface, interfaces);
    const available = interfaces.filter((i) => !i.loopback).map((i) => i.name);
    throw new StartupError('interface', `${p.field}: ${p.message}`, [p], {
      text: available.length ? { variant: 'unknown', params: { interface: cfg.interface, available: available.join(', ') } } : { variant: 'unknown-none', params: { interface: cfg.interface } },
    });
  }
  const own = parseCidr(cfg.subnets[0]!.subnet)!;
  const usable = itf.ipv4.filter((a) => !isLinkLocal(a.address));
  if (usable.length === 0) {
    const command = `sudo ip addr add ${intToIp(own.network + 1)}/${own.prefix} dev ${itf.name}`;
    throw new StartupError('no-ipv4', `interface ${itf.name} has no IPv4 address — give it a static address in ${cfg.subnets[0]!.subnet} first (for example: ${command})`, [], {
      text: { variant: 'static-needed', params: { interface: itf.name, subnet: cfg.subnets[0]!.subnet, command } },
    });
  }
  // Inside the first subnet if possible; a static address before a DHCP one.
  const inside = usable.filter((a) => cidrContains(own, ipToInt(a.address)));
  const address = inside.find((a) => !a.dynamic) ?? inside[0] ?? usable[0]!;
  if (address.dynamic && !opts.allowForeignNetwork) {
    throw new StartupError(
      'foreign-network',
      `interface ${itf.name} got its address ${address.address} from DHCP: another DHCP server already serves this network, and a second one would hand out conflicting addresses. Give ${itf.name} a static address on a network you control (${hints.allowForeignNetwork}).`,
      [],
      { text: { variant: 'dhcp-address', params: { interface: itf.name, address: address.address } } },
    );
  }
  const warnings: string[] = [];
  if (!itf.up) warnings.push(`interface ${itf.name} has no link (cable unplugged?); serving starts anyway and answers once the link is up`);
  for (const w of configWarnings(cfg)) warnings.push(`${w.field}: ${w.message}`);
  let engineConfig: EngineConfig;
  try {
    engineConfig = resolveConfig(cfg, address);
  } catch (e) {
    if (e instanceof ConfigError) throw StartupError.fromConfigError(e);
    throw e;
  }
  return { config: cfg, itf, address, engineConfig, warnings };
}

/** The first command the network layer's message quotes ("sudo ss -ulpn …", sudo setcap …), if any. */
function quotedCommand(message: string): string | undefined {
  const setcap = /sudo setcap \S+ \S.*$/.exec(message);
  if (setcap) return setcap[0];
  return /"((?:sudo |nmcli |Get-Process )[^"]*)"/.exec(message)?.[1];
}

/** Who holds the port, as the network layer saw them: "dnsmasq (pid 812), …", or only their users. */
function portHolders(e: NetError): { processes: string; users: string } {
  const relevant = (e.holders ?? []).filter((h) => h.device === undefined || h.device === e.ifname);
  const processes = relevant.filter((h) => h.pid !== undefined).map((h) => `${h.command ?? 'process'} (pid ${h.pid})`);
  const users = relevant.map((h) => `${h.user ?? h.uid}`);
  return { processes: [...new Set(processes)].join(', '), users: [...new Set(users)].join(', ') };
}

/** Which of the network layer's sentences a NetError is, and its values (for other languages). */
export function netRefusalText(e: NetError): RefusalText {
  const ifname = e.ifname ?? '';
  const base: RefusalParams = { interface: ifname, ...(e.port !== undefined ? { port: e.port } : {}) };
  const command = quotedCommand(e.message);
  const withCommand = (p: RefusalParams): RefusalParams => (command ? { ...p, command } : p);
  switch (e.code) {
    case 'EADDRINUSE': {
      const h = portHolders(e);
      if (h.processes) return { variant: 'held', params: withCommand({ ...base, holders: h.processes }) };
      if (h.users) return { variant: 'held-user', params: withCommand({ ...base, users: h.users }) };
      return { variant: 'unknown', params: withCommand(base) };
    }
    case 'EACCES':
    case 'EPERM':
      if (e.syscall === 'setsockopt(SO_BINDTODEVICE)') return { variant: 'bind-device', params: withCommand(base) };
      if (e.code === 'EPERM') return { variant: 'policy', params: { ...base, syscall: e.syscall ?? '' } };
      return { variant: `port-${process.platform === 'linux' || process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'other'}`, params: withCommand(base) };
    case 'ENODEV':
      return { variant: e.message === interfaceGoneMessage(ifname) ? 'gone' : 'missing', params: base };
    case 'NAME_TOO_LONG':
      return { variant: 'too-long', params: { ...base, bytes: Buffer.byteLength(ifname) } };
    case 'INVALID_NAME':
      return { variant: 'invalid', params: base };
    case 'NO_IPV4':
      return { variant: e.message === noIpv4Message(ifname, true) ? 'link-local' : 'none', params: base };
    case 'EADDRNOTAVAIL':
      return { variant: 'not-assigned', params: base };
    case 'NO_FFI':
      return { variant: 'no-ffi', params: { detail: e.message } };
    case 'UNSUPPORTED_PLATFORM':
      return { variant: 'unsupported', params: { detail: e.message } };
    default:
      return { variant: 'other', params: { ...base, detail: e.message } };
  }
}

/** NetError → StartupError, keeping the network layer's message (it already says what to do). */
export function startupErrorFromNet(e: NetError): StartupError {
  const code: StartupErrorCode = (() => {
    switch (e.code) {
      case 'EADDRINUSE':
        return 'port-busy';
      case 'EACCES':
      case 'EPERM':
        return 'privileges';
      case 'ENODEV':
      case 'NAME_TOO_LONG':
      case 'INVALID_NAME':
        return 'interface';
      case 'NO_IPV4':
      case 'EADDRNOTAVAIL':
        return 'no-ipv4';
      case 'NO_FFI':
      case 'UNSUPPORTED_PLATFORM':
        return 'platform';
      default:
        return 'socket';
    }
  })();
  return new StartupError(code, e.message, [], { cause: e, text: netRefusalText(e) });
}

/** Opens the lease store of `dataDir`; failures become StartupError('store') with the store's message. */
export async function openLeaseStore(dataDir: string, opts: LeaseStoreOptions = {}): Promise<LeaseStore> {
  try {
    return await LeaseStore.open(dataDir, opts);
  } catch (e) {
    const message = (e as Error).message;
    throw new StartupError('store', message, [], { cause: e, text: { variant: 'open', params: { detail: message } } });
  }
}

export interface OpenServiceOptions extends Omit<ServiceOptions, 'config' | 'repository' | 'openTransport'> {
  /** Replaces the interface-bound socket (tests). */
  openTransport?: (ifname: string) => Promise<DhcpTransport>;
}

/** Starts the DhcpService of `plan` on an interface-bound port-67 socket. */
export async function openService(plan: StartPlan, repository: LeaseRepository, opts: OpenServiceOptions = {}): Promise<DhcpService> {
  const { openTransport, ...rest } = opts;
  const ifname = plan.config.interface;
  const conflictCheck = rest.conflictCheck ?? (await setupConflictCheck(plan.config));
  try {
    return await DhcpService.start({
      ...rest,
      config: plan.engineConfig,
      repository,
      conflictCheck,
      // unicastAddress: each datagram says whether it was broadcast (REBINDING) or sent to us (RENEWING).
      openTransport: openTransport ? () => openTransport(ifname) : () => openBoundSocket({ ifname, port: 67, unicastAddress: plan.address.address }),
    });
  } catch (e) {
    if (conflictCheck.state === 'on') conflictCheck.prober.close();
    if (isNetError(e)) throw startupErrorFromNet(e);
    throw e;
  }
}
