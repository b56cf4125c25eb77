// The "What the reliability tests proved" section (test/helpers/proof.ts proofSummary, printed by
// test/reporter.ts): every expected area is listed, an area whose tests recorded nothing says
// "not run (skipped or failed)", a run of unrelated files prints no section.
import { describe, expect, it } from 'vitest';
import { EXPECTED_AREAS, NOT_RUN, proofSummary } from '../../helpers/proof.js';

const line = (area: string, text: string) => `${JSON.stringify({ area, text })}\n`;

describe('proofSummary', () => {
  it('lists every expected area in order; those without a line are "not run (skipped or failed)"', () => {
    const file = line('floods', 'DISCOVER flood held') + line('conflict check', 'sweep found 2') + line('crash safety', '24 kills survived') + line('floods', 'through the app');
    const out = proofSummary(file, ['/repo/test/integration/reliability/floods.test.ts']);
    expect(out).toEqual([
      'crash safety: 24 kills survived',
      `lease file: ${NOT_RUN}`,
      `fuzzing: ${NOT_RUN}`,
      `malformed packets: ${NOT_RUN}`,
      `configuration: ${NOT_RUN}`,
      `rogue server: ${NOT_RUN}`,
      'floods: DISCOVER flood held',
      'floods: through the app',
      `hostile UI input: ${NOT_RUN}`,
      `web mode: ${NOT_RUN}`,
      'conflict check: sweep found 2',
    ]);
    expect(EXPECTED_AREAS.map((a) => a.area)).toEqual(['crash safety', 'lease file', 'fuzzing', 'malformed packets', 'configuration', 'rogue server', 'floods', 'hostile UI input', 'web mode']);
  });

  it('a reliability test that recorded nothing (skipped, or failed before its proof) still gets its "not run" line', () => {
    const out = proofSummary('', ['C:\\repo\\test\\unit\\reliability\\fuzz.test.ts']);
    expect(out).toHaveLength(EXPECTED_AREAS.length);
    expect(out.every((l) => l.endsWith(NOT_RUN))).toBe(true);
  });

  it('no section for a run without reliability tests and nothing recorded; a torn line is skipped', () => {
    expect(proofSummary('', ['/repo/test/unit/dhcp/codec.test.ts'])).toEqual([]);
    const out = proofSummary(`${line('web mode', 'token refused')}{"area": "flo`, []);
    expect(out).toContain('web mode: token refused');
    expect(out.filter((l) => l.startsWith('floods:'))).toEqual([`floods: ${NOT_RUN}`]);
  });

  it('every test file named for an area exists', async () => {
    const { existsSync } = await import('node:fs');
    for (const a of EXPECTED_AREAS) for (const t of a.tests) expect(existsSync(t), t).toBe(true);
  });
});
