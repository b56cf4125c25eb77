// Configuration problems in the UI language. Driven by the engine's own parseConfig (and
// resolveConfig for the checks that need the interface's address) over many bad configurations,
// so every code the engine emits is checked: its English catalog entry, filled with the engine's
// values, must be the engine's sentence exactly (the CLI prints that sentence; the UI's English
// shows it as is), and its Korean is Korean and keeps the addresses, names and numbers. Both ways:
// every cfg.* catalog entry is reached by some input here.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig, problemsOf, type ConfigProblem } from '../../../src-main/config/schema.js';
import { resolveConfig, type InterfaceAddress } from '../../../src-main/config/resolve.js';
import { StartupError } from '../../../src-main/server/startup.js';
import { toServerError } from '../../../src-main/server/server-error.js';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { setLocale, translate } from '../../../src-renderer/src/i18n/index.js';
import { configProblemLine, configProblemText, optionProblemDetail } from '../../../src-renderer/src/lib/config-problem-text.js';
import { refusalBody } from '../../../src-renderer/src/lib/errors.js';

const HANGUL = /[\uac00-\ud7a3]/;
const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const NET = '198.18.10.0/24';
const RANGE = '198.18.10.100-198.18.10.150';

type Cfg = Record<string, unknown>;
const base = (): Cfg => ({ interface: 'eth1', subnets: [{ subnet: NET, range: RANGE }] });
const withSubnet = (s: Cfg): Cfg => ({ interface: 'eth1', subnets: [{ subnet: NET, range: RANGE, ...s }] });
const withRes = (...reservations: Cfg[]): Cfg => ({ ...base(), reservations });
const withClass = (...classes: Cfg[]): Cfg => ({ ...base(), classes });
const withPxe = (pxe: Cfg): Cfg => ({ ...base(), pxe });

/** Bad configurations: each reaches one or more problem codes. */
const INPUTS: unknown[] = [
  null,
  { ...base(), interface: '' },
  { ...base(), interface: 'x'.repeat(300) },
  { ...base(), interface: 5 },
  { ...base(), interface: true },
  { ...base(), interface: null },
  { ...base(), interface: ['eth1'] },
  { ...base(), interface: { name: 'eth1' } },
  { ...base(), leaseTime: 'x' },
  { ...base(), leaseTime: 10.5 },
  { ...base(), leaseTime: 5 },
  { ...base(), leaseTime: 2 ** 33 },
  { ...base(), authoritative: 'yes' },
  { ...base(), subnets: 'x' },
  { ...base(), subnets: [5] },
  { ...base(), subnets: [] },
  { ...base(), dataDir: '' },
  { ...base(), offerHoldSeconds: 0 },
  { ...base(), offerHoldSeconds: 99_999 },
  { ...base(), offerHoldSeconds: 1.5 },
  { ...base(), discoverRateLimit: 2.5 },
  { ...base(), conflictCheckTimeoutMs: 10 },
  { ...base(), conflictCheckTimeoutMs: 5000 },
  { ...base(), leaseTme: 600 },
  { ...base(), a: 1, b: 2 },
  { interface: 'eth1', subnets: [{ subnet: NET }] },
  withSubnet({ subnet: '198.18.10.1/24' }),
  withSubnet({ range: 'abc' }),
  withSubnet({ range: '198.18.10.300-198.18.10.150' }),
  withSubnet({ range: '198.18.10.150-198.18.10.100' }),
  withSubnet({ range: '198.18.10.100-198.18.11.5' }),
  withSubnet({ range: '198.18.10.0-198.18.10.10' }),
  withSubnet({ router: ['x'] }),
  withSubnet({ router: [] }),
  withSubnet({ router: '198.18.11.1' }),
  withSubnet({ domain: 'bad domain' }),
  withSubnet({ renewalTime: 4000, rebindingTime: 5000 }),
  withSubnet({ renewalTime: 2000, rebindingTime: 1000 }),
  withSubnet({ renewalTime: 3200 }),
  withSubnet({ rebindingTime: 1000 }),
  withSubnet({ options: { 'ntp-servers': ['198.18.10'], 51: 60, 54: '198.18.10.1', 53: 1 } }),
  { interface: 'eth1', subnets: [{ subnet: '198.18.10.1/32', range: '198.18.10.1-198.18.10.1' }] },
  { interface: 'eth1', subnets: [{ subnet: NET, range: RANGE }, { subnet: '198.18.10.0/25', range: '198.18.10.10-198.18.10.20' }] },
  withRes({ mac: 'zz', ip: '198.18.10.20' }),
  withRes({ mac: A, ip: '198.18.10.20', hostname: 'bad name' }),
  withRes({ mac: A, ip: '198.18.10.20', clientId: 'zz' }),
  withRes({ mac: A, ip: '198.18.10.20', clientId: '01' }),
  withRes({ mac: A, ip: '198.18.10.20', clientId: '01:aa' }, { mac: A, ip: '198.18.10.20', clientId: '01:aa' }),
  withRes({ mac: A, ip: '10.0.0.1' }, { mac: B, ip: '198.18.10.255' }),
  { ...withSubnet({ router: '198.18.10.1', dns: '198.18.10.53' }), reservations: [{ mac: A, ip: '198.18.10.1' }, { mac: B, ip: '198.18.10.53' }] },
  withClass({ name: '!!', vendorClass: 'x' }),
  withClass({ name: 'a', vendorClass: '' }),
  withClass({ name: 'a', vendorClass: 'x'.repeat(300), match: 'x' }),
  withClass({ name: 'a', arch: [1.5, 70_000] }),
  withClass({ name: 'a', arch: [] }),
  withClass({ name: 'a', vendorClass: 'x' }, { name: 'A', vendorClass: 'y' }, { name: 'b' }),
  withPxe({}),
  withPxe({ bios: 'x'.repeat(200) }),
  withPxe({ tftpServer: '!!', ipxeScript: 'boot.ipxe' }),
];

const problems: ConfigProblem[] = INPUTS.flatMap((input) => {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error(`expected problems for ${JSON.stringify(input)}`);
});

// ---- the checks that need the interface's address (resolve.ts) ----

function resolveProblems(cfg: Cfg, iface: InterfaceAddress): ConfigProblem[] {
  try {
    resolveConfig(parseConfig(cfg), iface);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected problems');
}
const resolved = [
  ...resolveProblems({ ...withSubnet({}), reservations: [{ mac: A, ip: '198.18.10.120' }] }, { address: '198.18.10.120', prefix: 24 }),
  ...resolveProblems(base(), { address: '192.168.1.5', prefix: 24 }),
  // No network to name (a /0 interface address).
  ...resolveProblems(base(), { address: '192.168.1.5', prefix: 0 }),
];

// ---- zod's generic kinds no schema of ours reaches today (a newer field would) ----

function generic(schema: z.ZodType, input: unknown): ConfigProblem[] {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected problems');
  return problemsOf(r.error, input);
}
const generics = [
  ...generic(z.object({ name: z.string().min(3).max(5), list: z.array(z.number()).min(2), tags: z.array(z.string()).max(1) }), { name: 'ab', list: [1], tags: ['a', 'b'] }),
  ...generic(z.object({ name: z.string().max(2) }), { name: 'abc' }),
  ...generic(z.object({ mode: z.enum(['a', 'b']), mail: z.email() }), { mode: 'c', mail: 'nope' }),
];

const all = [...problems, ...resolved, ...generics];

/** The English values of a problem: a type problem's wanted type and kind of value in words. */
function englishParams(p: ConfigProblem): Record<string, string> {
  const params = { ...p.params };
  if (p.code === 'type') {
    params.want = translate('en', `cfg.want.${params.want}` as never);
    params.got = translate('en', `cfg.got.${params.got}` as never, { value: params.value ?? '' });
  }
  return params;
}

afterEach(() => setLocale('en'));

describe('configuration problems in the UI language', () => {
  it('every problem the engine found has a code', () => {
    expect(all.filter((p) => !p.code).map((p) => `${p.field}: ${p.message}`)).toEqual([]);
  });

  it('every code reached here has a catalog entry, and every cfg.* catalog entry is reached', () => {
    const keys = new Set(all.map((p) => `cfg.${p.code}`));
    for (const p of all.filter((x) => x.code === 'type')) keys.add(`cfg.want.${p.params!.want}`).add(`cfg.got.${p.params!.got}`);
    expect([...keys].filter((k) => !(k in en)).sort()).toEqual([]);
    expect(Object.keys(en).filter((k) => k.startsWith('cfg.') && !keys.has(k)).sort()).toEqual([]);
  });

  it('English: the catalog mirrors the engine’s sentence exactly, and the UI shows the engine’s sentence', () => {
    const wrong: string[] = [];
    for (const p of all) {
      const filled = translate('en', `cfg.${p.code}` as never, englishParams(p));
      if (filled !== p.message) wrong.push(`cfg.${p.code}\n  engine:  ${p.message}\n  catalog: ${filled}`);
      expect(configProblemText(p)).toBe(p.message);
    }
    expect(wrong).toEqual([]);
  });

  it('Korean: every problem is Korean and keeps its values (addresses, names, numbers)', () => {
    setLocale('ko');
    const english: string[] = [];
    for (const p of all) {
      const shown = configProblemText(p);
      if (!HANGUL.test(shown)) english.push(`cfg.${p.code}: ${shown}`);
      for (const [name, v] of Object.entries(p.params ?? {})) {
        // Words (a type, an option's English detail) are translated; values are kept.
        if (['want', 'got', 'detail'].includes(name) || v === '') continue;
        expect(shown, `cfg.${p.code} {${name}}`).toContain(v);
      }
      expect(ko[`cfg.${p.code}` as keyof typeof ko], `cfg.${p.code}`).toBeTruthy();
    }
    expect(english).toEqual([]);
    const find = (code: string): ConfigProblem => all.find((p) => p.code === code)!;
    expect(configProblemText(find('range-reversed'))).toBe('시작 주소가 끝 주소보다 뒤에 있습니다 (198.18.10.150 > 198.18.10.100). 낮은 주소를 먼저 쓰세요');
    expect(configProblemText(problems.find((p) => p.field === 'leaseTime' && p.code === 'type')!)).toBe('숫자 형식이어야 합니다 (지금 값: 텍스트 "x")');
    // An option value's problem: the option named, the encoder's reason in Korean; its editor shows the reason alone.
    const option = problems.find((p) => p.field === 'subnets[0].options.ntp-servers')!;
    expect(configProblemText(option)).toBe('옵션 42 (ntp-servers): "198.18.10"은(는) IPv4 주소가 아닙니다');
    expect(optionProblemDetail(option)).toBe('"198.18.10"은(는) IPv4 주소가 아닙니다');
    expect(configProblemLine(find('range-reversed'))).toBe('subnets[0].range: 시작 주소가 끝 주소보다 뒤에 있습니다 (198.18.10.150 > 198.18.10.100). 낮은 주소를 먼저 쓰세요');
  });

  it('a start refused for the settings names its first problem in the UI language', () => {
    const e = toServerError(StartupError.fromConfigError(new ConfigError(resolved)));
    expect(e.problem?.code).toBe('range-has-server');
    expect(refusalBody(e)).toBe(e.message);
    expect(e.message).toMatch(/^subnets\[0\]\.range: contains the server's own address 198\.18\.10\.120 \(interface eth1\).* \(and 3 more problems/);
    setLocale('ko');
    const body = refusalBody(e);
    expect(body).toContain('subnets[0].range: 서버 자신의 주소 198.18.10.120(인터페이스 eth1)가 들어 있습니다.');
    expect(body).not.toMatch(/server's own address/);
  });

  it('a problem without a code (the UI’s own, or a newer engine’s) is shown as it is', () => {
    setLocale('ko');
    expect(configProblemText({ field: 'interface', message: '이미 한국어' })).toBe('이미 한국어');
    expect(configProblemText({ field: 'x', message: 'from a newer engine', code: 'not-in-the-catalog' })).toBe('from a newer engine');
    expect(configProblemText('plain text')).toBe('plain text');
  });
});
