import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonFileError, readJsonFile, writeJsonFileAtomic } from '../../../src-main/leases/json-file.js';
import { tempDir } from './fixtures.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
function dir(): string {
  const t = tempDir('jsonfile-');
  cleanup = t.cleanup;
  return t.dir;
}

describe('json-file', () => {
  it('round-trips a value and leaves no temp file behind', async () => {
    const d = dir();
    const p = join(d, 'nested', 'settings.json');
    const value = { interface: 'eth1', range: ['198.18.0.10', '198.18.0.50'], leaseTime: 3600, note: 'a "quoted", comma' };
    await writeJsonFileAtomic(p, value);
    expect(await readJsonFile(p)).toEqual(value);
    expect(readFileSync(p, 'utf8').endsWith('\n')).toBe(true);
    expect(readdirSync(join(d, 'nested'))).toEqual(['settings.json']);
    await writeJsonFileAtomic(p, { v: 2 });
    expect(await readJsonFile(p)).toEqual({ v: 2 });
    expect(readdirSync(join(d, 'nested'))).toEqual(['settings.json']);
  });

  it('returns undefined for a missing file', async () => {
    expect(await readJsonFile(join(dir(), 'nope.json'))).toBeUndefined();
  });

  it('new files are private; an existing file keeps its mode', async () => {
    const d = dir();
    const p = join(d, 'reservations.json');
    await writeJsonFileAtomic(p, []);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    chmodSync(p, 0o640);
    await writeJsonFileAtomic(p, [1]);
    expect(statSync(p).mode & 0o777).toBe(0o640);
  });

  it('names the file and the position of a syntax error', async () => {
    const p = join(dir(), 'bad.json');
    // The classic hand-edit mistake: a trailing comma. V8 reports an offset, we report line and column.
    writeFileSync(p, '{\n  "a": 1,\n  "b": 2,\n}\n');
    const e = await readJsonFile(p).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(JsonFileError);
    expect((e as Error).message).toContain(p);
    expect((e as Error).message).toMatch(/not valid JSON at line 4, column 1/);
    writeFileSync(p, '{ "b": oops }');
    await expect(readJsonFile(p)).rejects.toThrow(/is not valid JSON/);
    writeFileSync(p, '');
    await expect(readJsonFile(p)).rejects.toThrow(/is empty/);
  });

  it('accepts a byte order mark and validates with a schema', async () => {
    const p = join(dir(), 's.json');
    writeFileSync(p, '\uFEFF{"leaseTime": 60}');
    const schema = z.object({ leaseTime: z.number().int().min(60) });
    expect(await readJsonFile(p, schema)).toEqual({ leaseTime: 60 });
    writeFileSync(p, '{"leaseTime": 5}');
    await expect(readJsonFile(p, schema)).rejects.toThrow(/leaseTime: /);
  });

  it('refuses a value JSON cannot represent', async () => {
    await expect(writeJsonFileAtomic(join(dir(), 'x.json'), undefined)).rejects.toThrow(TypeError);
  });
});
