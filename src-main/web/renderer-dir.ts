// Where the built renderer is: next to the built main process (out/main → out/renderer), or under
// the repository when running from source (tsx); POCKET_DHCP_RENDERER_DIR overrides both.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function findRendererDir(env: NodeJS.ProcessEnv = process.env, here: string = import.meta.dirname): string | undefined {
  const candidates = [
    ...(env.POCKET_DHCP_RENDERER_DIR ? [resolve(env.POCKET_DHCP_RENDERER_DIR)] : []),
    join(here, '../renderer'), // out/main/cli.js → out/renderer
    join(here, '../../out/renderer'), // src-main/web/*.ts → out/renderer
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}
