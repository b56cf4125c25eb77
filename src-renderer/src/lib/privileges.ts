// The privileges report (src-main/server/privileges.ts) in the UI language. The engine writes its
// problems, fixes and summary in English; each has a stable code (problem `what` per platform, fix
// `id`) and the summary follows from the report's facts, so the other languages word them from
// those. English shows the engine's own text; an unknown code falls back to it (tEngine).
import type { PrivilegeReport } from '../../../src-main/ipc/contract.js';
import { tEngine } from '../i18n/index.js';

type Problem = PrivilegeReport['problems'][number];
type Fix = PrivilegeReport['fixes'][number];

export function problemText(report: Pick<PrivilegeReport, 'platform'>, p: Problem): string {
  if (p.what === 'bind-device') {
    // "… needs CAP_NET_RAW on this kernel (6.1.0-18; unprivileged since Linux 5.7)."
    const kernel = /kernel \(([^;)]+);/.exec(p.text)?.[1];
    return kernel ? tEngine(`priv.problem.${report.platform}.${p.what}`, p.text, { kernel }) : p.text;
  }
  return tEngine(`priv.problem.${report.platform}.${p.what}`, p.text);
}

export function fixTitle(f: Fix): string {
  return tEngine(`priv.fix.${f.id}.title`, f.title);
}

export function fixText(report: Pick<PrivilegeReport, 'platform' | 'elevate'>, f: Fix): string {
  if (f.id === 'helper') {
    if (report.elevate?.available) return tEngine('priv.fix.helper.text', f.text);
    const reason = /^The privileged helper cannot be started here: ([\s\S]*)\.$/.exec(f.text)?.[1];
    return reason ? tEngine('priv.fix.helper.unavailable', f.text, { reason }) : f.text;
  }
  if (f.id === 'sudo') return tEngine(`priv.fix.sudo.text.${report.platform}`, f.text);
  return tEngine(`priv.fix.${f.id}.text`, f.text);
}

/** The report's one-sentence summary, from the same facts the engine's builders use. */
export function privilegeSummary(r: PrivilegeReport): string {
  const has = (what: Problem['what']): boolean => r.problems.some((p) => p.what === what);
  let key: string;
  if (r.platform === 'linux') {
    if (r.canServe) key = r.canConfigureNic ? 'ok' : 'askNic';
    else {
      const port = has('port-67');
      const device = has('bind-device');
      key = `${port && device ? 'needsPortAndDevice' : port ? 'needsPort' : 'needsDevice'}${r.elevate?.available ? 'Helper' : ''}`;
    }
  } else if (r.platform === 'darwin') {
    if (!r.canServe) return r.problems[0] ? problemText(r, r.problems[0]) : r.summary;
    key = r.fixes.some((f) => f.id === 'firewall-allow') ? 'macFirewall' : 'ok';
  } else if (r.platform === 'win32') {
    key = has('firewall') ? 'winFirewall' : 'ok';
  } else return r.summary;
  return tEngine(`priv.summary.${key}`, r.summary);
}
