// What a reliability test proved ("20 kills survived, 0 ACKed leases lost"), collected across
// vitest workers through a file and printed by test/reporter.ts just before the summary line.
import { appendFileSync } from 'node:fs';

export function recordProof(area: string, text: string): void {
  const file = process.env.POCKET_DHCP_PROOF_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ area, text })}\n`);
}
