// A ServerController for unit tests: a real LeaseStore in a temp dir, the real engine and service,
// only the socket in memory (MemoryTransport) and the interface list given (test0, 198.18.10.1/24).
// controllerLab() registers an afterEach that closes every controller it opened and removes its dirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { EventOf } from '../../src-main/ipc/contract.js';
import { ServerController, type ControllerEvent, type ControllerOptions } from '../../src-main/server/controller.js';
import { fakeInterface, MemoryTransport } from './memory-transport.js';

/** Settings that serve on test0: one /24 with a pool of 51 and a router. */
export const TEST_DRAFT = { interface: 'test0', leaseTime: 600, subnets: [{ subnet: '198.18.10.0/24', range: '198.18.10.100-198.18.10.150', router: '198.18.10.1' }] };

export interface ControllerSetup {
  dir: string;
  c: ServerController;
  /** The socket openTransport() hands out (unless `over` replaced openTransport). */
  transport: MemoryTransport;
  /** Every event pushed to subscribers, in order. */
  events: ControllerEvent[];
  of: <E extends ControllerEvent['name']>(name: E) => EventOf<E>[];
}

/** Call at the top of a test file; `prefix` names the temp dirs (e.g. "pd-ctl-"). */
export function controllerLab(prefix: string) {
  const dirs: string[] = [];
  const open: ServerController[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Opens a controller on `dir` (a fresh temp dir unless given: pass one again to reopen it). */
  async function openController(over: Partial<ControllerOptions> = {}, dir = mkdtempSync(join(tmpdir(), prefix))): Promise<{ dir: string; c: ServerController; transport: MemoryTransport }> {
    if (!dirs.includes(dir)) dirs.push(dir);
    const transport = new MemoryTransport('test0');
    const c = await ServerController.open({
      dataDir: dir,
      watchIntervalMs: 0,
      flushIntervalMs: 20,
      listInterfaces: async () => [fakeInterface('test0', [{ address: '198.18.10.1', prefix: 24 }])],
      openTransport: async () => transport,
      serviceOptions: { sweepIntervalMs: 60_000, healthIntervalMs: 60_000 },
      ...over,
    });
    open.push(c);
    return { dir, c, transport };
  }

  /** openController(), and a subscriber that records every pushed event. */
  async function setup(over: Partial<ControllerOptions> = {}, dir?: string): Promise<ControllerSetup> {
    const opened = await openController(over, dir);
    const events: ControllerEvent[] = [];
    opened.c.subscribe((e) => events.push(e));
    const of = <E extends ControllerEvent['name']>(name: E) => events.filter((e) => e.name === name).map((e) => e.payload as EventOf<E>);
    return { ...opened, events, of };
  }

  /** Closes `c` now (its data dir stays until the test ends), e.g. to reopen the same dir. */
  async function closeAndForget(c: ServerController): Promise<void> {
    await c.close();
    open.splice(open.indexOf(c), 1);
  }

  return { openController, setup, closeAndForget };
}
