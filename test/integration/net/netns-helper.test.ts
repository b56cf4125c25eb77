// The shared lab helper must keep its promises — other test files rely on them: it refuses
// addresses outside 198.18.0.0/15, and cleanup() kills what it spawned (whole process group) and
// deletes its namespaces, also when the test process dies.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLab, inTestNet, netnsAvailable, readLines } from '../../helpers/netns.js';

const avail = netnsAvailable();
if (!avail.ok) console.warn(`[netns helper integration] skipped: ${avail.reason}`);

const namespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);

/** Running (a zombie awaiting a reaper counts as dead: PID 1 in some containers never reaps). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe('inTestNet', () => {
  it('accepts only 198.18.0.0/15', () => {
    expect(inTestNet('198.18.0.1')).toBe(true);
    expect(inTestNet('198.19.255.254/24')).toBe(true);
    expect(inTestNet('198.20.0.1')).toBe(false);
    expect(inTestNet('198.17.255.255')).toBe(false);
    expect(inTestNet('10.0.0.1/8')).toBe(false);
    expect(inTestNet('198.18.0.1/33')).toBe(false);
    expect(inTestNet('nonsense')).toBe(false);
  });
});

describe.skipIf(!avail.ok)(`lab helper${avail.ok ? '' : ` — skipped: ${avail.reason}`}`, () => {
  it('builds linked namespaces, refuses foreign addresses, and leaves nothing behind', async () => {
    const lab = await createLab('helper');
    try {
      const a = await lab.addNamespace('a');
      await lab.addNamespace('b');
      expect(a).toMatch(new RegExp(`^pdl-helper-${process.pid}x\\d+-a$`));
      expect(lab.nsPath('a')).toBe(`/run/netns/${a}`);
      await lab.link('a', 'la0', '198.18.70.1/24', 'b', 'lb0', '198.18.70.2/24');
      const ping = await lab.exec('a', 'busybox', ['ping', '-c', '1', '-W', '2', '198.18.70.2'], { timeoutMs: 5000 });
      expect(ping).toMatchObject({ code: 0, timedOut: false });

      await expect(lab.link('a', 'la1', '10.0.0.1/24', 'b', 'lb1', null)).rejects.toThrow(/outside 198\.18\.0\.0\/15/);
      await expect(lab.ip('a', 'addr', 'add', '192.168.1.1/24', 'dev', 'la0')).rejects.toThrow(/outside/);
      await expect(lab.link('a', 'an-interface-name-too-long', null, 'b', 'x', null)).rejects.toThrow(/IFNAMSIZ/);

      const t = await lab.exec('b', 'sleep', ['5'], { timeoutMs: 200 });
      expect(t).toMatchObject({ timedOut: true, code: null });

      // A shell that forks a grandchild: cleanup must reach both.
      const sh = lab.spawn('a', 'sh', ['-c', 'sleep 60 & echo child $!; wait']);
      const line = await readLines(sh.stdout!).waitFor(/^child \d+$/);
      const grandchild = Number(line.split(' ')[1]);
      expect(alive(sh.pid!)).toBe(true);
      expect(alive(grandchild)).toBe(true);

      await lab.cleanup();
      await lab.cleanup(); // idempotent
      expect(alive(sh.pid!)).toBe(false);
      await new Promise((r) => setTimeout(r, 100)); // SIGTERM to the group is asynchronous for the grandchild
      expect(alive(grandchild)).toBe(false);
      expect(namespaces().filter((n) => n.startsWith(`pdl-helper-${process.pid}x`))).toEqual([]);
      expect(() => lab.ns('a')).toThrow();
    } finally {
      await lab.cleanup();
    }
  });
});
