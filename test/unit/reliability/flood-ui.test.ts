// Floods, the app's side (issue 6 item 3): 20,000 DISCOVERs from distinct MACs and one MAC far too
// fast, through the real controller, service and engine (the socket in memory), with a subscriber
// standing in for the UI. The engine's log ring, the UI's log buffer (mergeLog, as the renderer
// keeps it), the offer holds and the lease rows all stay bounded, and the status counters say what
// happened. The real-server floods are test/integration/reliability/floods.test.ts.
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src-main/ipc/contract.js';
import { LOG_LIMIT as UI_LOG_LIMIT, mergeLog } from '../../../src-renderer/src/lib/log-filter.js';
import { recordProof } from '../../helpers/proof.js';
import { controllerLab } from '../../helpers/controller-lab.js';
import { clientMessage, fakeInterface, MessageType, until } from '../../helpers/memory-transport.js';

const FLOOD = 20_000;
const NOISY = 50;
const HOLDS = 300;

const lab = controllerLab('pd-flood-');

describe('a DISCOVER flood through the controller, as the UI sees it', () => {
  it(`${FLOOD.toLocaleString('en')} DISCOVERs from distinct MACs + one MAC sending ${NOISY} at once: every buffer bounded, counters exact`, { timeout: 60_000 }, async () => {
    const { c, transport } = await lab.openController({ listInterfaces: async () => [fakeInterface('test0', [{ address: '198.18.0.1', prefix: 16 }])] });
    try {
      await c.saveSettings({ interface: 'test0', leaseTime: 3600, maxOfferHolds: HOLDS, subnets: [{ subnet: '198.18.0.0/16', range: '198.18.0.100-198.18.255.200' }] });
      let ui: LogEntry[] = [];
      let maxUi = 0;
      let maxRows = 0;
      const rows = new Set<string>();
      c.subscribe((e) => {
        if (e.name === 'log') {
          ui = mergeLog(ui, e.payload, UI_LOG_LIMIT);
          maxUi = Math.max(maxUi, ui.length);
        } else if (e.name === 'leases') {
          for (const r of e.payload.upserts) if (r.state === 'offered') rows.add(r.ip);
          for (const ip of e.payload.removed) rows.delete(ip);
          maxRows = Math.max(maxRows, rows.size);
        }
      });
      expect((await c.start()).state).toBe('running');
      // The rate limit counts per fixed wall-clock second (dhcp/rate-limit.ts): start the noisy
      // burst just after a second turns, so all 50 fall into one window and exactly 10 are answered
      // (a burst straddling the turn would get 10 + 10: the CI run of 38638ec hit that once).
      while (Date.now() % 1000 > 50) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      for (let i = 0; i < NOISY; i++) transport.deliver(clientMessage(MessageType.DISCOVER, 60_000));
      for (let n = 1; n <= FLOOD; n++) {
        transport.deliver(clientMessage(MessageType.DISCOVER, n));
        if (n % 2000 === 0) await new Promise((r) => setTimeout(r, 30)); // let pushes happen mid-flood
      }
      await until(() => c.status().counters.received === FLOOD + NOISY, 30_000, 'all received');
      await new Promise((r) => setTimeout(r, 100));
      const st = c.status();
      expect(st.counters.offers).toBe(FLOOD + 10);
      expect(st.counters.drops['rate-limited']).toBe(NOISY - 10);
      expect(st.pools[0]!.offered).toBeLessThanOrEqual(HOLDS);
      expect(c.leaseRows().length).toBeLessThanOrEqual(HOLDS);
      expect(c.recentLog({ limit: 10_000 }).length).toBeLessThanOrEqual(5000);
      expect(maxUi, "the UI log filled up to its limit and stayed there").toBe(UI_LOG_LIMIT);
      expect(maxRows).toBeLessThanOrEqual(HOLDS + 1);
      const evicted = c.recentLog({ limit: 10_000 }).filter((e) => /^OFFER WITHDRAWN/.test(e.text)).length;
      expect(evicted).toBeGreaterThan(0);
      recordProof(
        'floods',
        `through the app: ${(FLOOD + NOISY).toLocaleString('en')} DISCOVERs → status counted ${st.counters.offers.toLocaleString('en')} offers and ${st.counters.drops['rate-limited']} rate-limited; offer holds ≤ ${HOLDS}, engine log ring ${c.recentLog({ limit: 10_000 }).length} ≤ 5,000, UI log ${maxUi} ≤ ${UI_LOG_LIMIT}, offered rows shown ≤ ${maxRows}`,
      );
    } finally {
      await c.close();
    }
  });
});
