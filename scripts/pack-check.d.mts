// Types of pack-check.mjs for the TypeScript tests that import it.
export interface PackCheckItem {
  name: string;
  ok: boolean;
  detail: string;
}
export function makeStandIn(dir: string): string;
export function validateBuilderConfig(projectDir?: string): Promise<Record<string, any>>;
export function packCheck(opts?: { keep?: boolean; log?: (line: string) => void }): Promise<{ ok: boolean; checks: PackCheckItem[]; seconds: number; work: string }>;
