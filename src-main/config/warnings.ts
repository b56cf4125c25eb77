// Configuration that is valid but probably not what the user meant: reported, never blocking.
// Shown at start (CLI stderr, the UI's log) and beside the option in the UI.
import { optionDef, routesCoverDefault, type ClasslessRoute } from '../dhcp/options.js';
import type { ConfigProblem, UserConfig } from './schema.js';

type Options = Record<string, unknown> | undefined;

function entry(options: Options, code: number): [string, unknown] | undefined {
  for (const [k, v] of Object.entries(options ?? {})) if (optionDef(k)?.code === code || k === String(code)) return [k, v];
  return undefined;
}

function asRoutes(v: unknown): ClasslessRoute[] | undefined {
  return Array.isArray(v) && v.every((r) => typeof (r as ClasslessRoute)?.destination === 'string') ? (v as ClasslessRoute[]) : undefined;
}

/**
 * RFC 3442 §2: "If the DHCP server returns both a Classless Static Routes option and a Router
 * option, the DHCP client MUST ignore the Router option." So option 121 without 0.0.0.0/0 while a
 * router is set leaves the clients without a default route. The message, or undefined.
 */
export function routesWarning(routes: unknown, hasRouter: boolean): string | undefined {
  const list = asRoutes(routes);
  if (!hasRouter || !list || routesCoverDefault(list)) return undefined;
  return 'has no default route (0.0.0.0/0) while a router is set: clients that use option 121 ignore the router option (RFC 3442), so add 0.0.0.0/0 → your router';
}

export function configWarnings(cfg: Pick<UserConfig, 'subnets' | 'reservations' | 'classes'>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (options: Options, field: string, routerAbove: boolean): void => {
    const r = entry(options, 121);
    const hasRouter = routerAbove || entry(options, 3) !== undefined;
    const msg = r && routesWarning(r[1], hasRouter);
    if (msg) out.push({ field: `${field}.options.${r![0]}`, message: msg });
  };
  cfg.subnets.forEach((s, i) => check(s.options, `subnets[${i}]`, Boolean(s.router?.length)));
  const first = cfg.subnets[0];
  const firstRouter = Boolean(first?.router?.length) || entry(first?.options, 3) !== undefined;
  (cfg.classes ?? []).forEach((c, i) => check(c.options, `classes[${i}]`, firstRouter));
  (cfg.reservations ?? []).forEach((r, i) => check(r.options, `reservations[${i}]`, firstRouter));
  return out;
}
