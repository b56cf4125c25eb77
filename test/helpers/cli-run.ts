// Runs the CLI's main() in-process with stdout and stderr captured (unit tests of commands).
import { vi } from 'vitest';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(main: (argv: string[]) => Promise<number>, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
