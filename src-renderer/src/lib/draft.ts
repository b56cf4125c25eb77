// The saved draft is the CLI's config-file shape (src-main/config/schema.ts), possibly incomplete
// while the user types. This module gives the UI typed access to the parts it edits and validates
// the whole draft with the same parseConfig the engine uses, so a problem shown in the UI is the
// exact problem `server.start` would report.
import type { ConfigProblem } from '../../../src-main/config/schema.js';
import { ConfigError, parseConfig } from '../../../src-main/config/schema.js';
import type { Reservation } from './reservations.js';
import type { ClassSpec, PxeSettings } from '../../../src-main/dhcp/client-classes.js';
import { t, tCode } from '../i18n/index.js';

export interface DraftSubnet {
  subnet?: string;
  range?: string;
  router?: string | string[];
  dns?: string | string[];
  domain?: string;
  leaseTime?: number;
  renewalTime?: number;
  rebindingTime?: number;
  options?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Draft {
  interface?: string;
  leaseTime?: number;
  authoritative?: boolean;
  knownClientsOnly?: boolean;
  subnets?: DraftSubnet[];
  reservations?: Reservation[];
  classes?: ClassSpec[];
  pxe?: PxeSettings;
  [key: string]: unknown;
}

export const DEFAULT_LEASE_SECONDS = 3600;

/** Problems of the draft as `server.start` would see them (minus the interface-address checks). */
export function validateDraft(draft: Draft): ConfigProblem[] {
  try {
    parseConfig(draft);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    // A bug in validation must not take the UI down; show it as a problem instead.
    return [{ field: '', message: `could not validate the settings: ${(e as Error)?.message ?? String(e)}` }];
  }
}

/** A list-valued field as a list (the config accepts a lone string for one address). */
export function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v.trim()) return [v];
  return [];
}

/** Problems for one field and its children ("subnets[0].options" also takes "subnets[0].options.ntp-servers"). */
export function problemsFor(problems: readonly ConfigProblem[], field: string, { exact = false } = {}): ConfigProblem[] {
  return problems.filter((p) => p.field === field || (!exact && (p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`))));
}

/** The id of the input that edits a config field, so an error can link to it: "subnets[0].range" → "field-subnets-0-range". */
export function fieldId(field: string): string {
  return `field-${field.replace(/[[\].]+/g, '-').replace(/[^A-Za-z0-9_-]/g, '_').replace(/-+$/, '')}`;
}

/** Finest existing element for a config field: the field itself, else its closest parent. */
export function focusField(field: string, doc: Document = document): boolean {
  let f = field;
  for (;;) {
    const el = doc.getElementById(fieldId(f));
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      if (el instanceof HTMLElement) el.focus({ preventScroll: true });
      return true;
    }
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) return false;
    f = f.slice(0, cut);
  }
}

/** A human label for a config path in problem lists: "subnets[0].range" → "Range". */
export function fieldLabel(field: string): string {
  const m = /^subnets\[(\d+)\]\.?(\w+)?(?:\.(.+))?$/.exec(field);
  if (m) {
    const name = m[2] ? tCode(`field.subnet.${m[2]}`, m[2]) : t('field.scope');
    const label = m[1] === '0' ? name : t('field.relaySubnet', { n: Number(m[1]), name });
    return `${label}${m[3] ? ` ${m[3]}` : ''}`;
  }
  const r = /^reservations\[(\d+)\]\.?(\w+)?/.exec(field);
  if (r) return `${t('field.reservation', { n: Number(r[1]) + 1 })}${r[2] ? ` (${r[2] === 'ip' ? 'IP' : r[2] === 'mac' ? 'MAC' : tCode(`field.reservation.${r[2]}`, r[2])})` : ''}`;
  return tCode(`field.top.${field || 'settings'}`, field);
}
