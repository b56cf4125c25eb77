// `pocket-dhcp privileges`: what serving needs on this machine and what is missing — the same
// report the app shows before Start.
import { checkPrivileges } from '../server/privileges.js';

export async function runPrivileges(opts: { json?: boolean }): Promise<void> {
  const r = await checkPrivileges();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const lines = [r.summary];
  for (const p of r.problems) lines.push(`  missing: ${p.text}`);
  for (const f of r.fixes) lines.push(`  ${f.recommended ? 'fix (recommended)' : 'fix'}: ${f.title} — ${f.text}${f.command ? `\n      ${f.command}` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!r.canServe) process.exitCode = 1;
}
