// Serving the built renderer (out/renderer) without ever leaving it: the URL path is decoded once,
// normalised, resolved under the root and checked to still be inside it — also after resolving
// symlinks — so "/../package.json", "/%2e%2e/…", "/..%2f…" and "/..\\…" all end as 404. Only
// regular files are served (a directory is not listed); "/" is index.html.
import { realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup = { ok: true; path: string; size: number; contentType: string } | { ok: false; status: 400 | 404 };

/** Maps a URL pathname (still percent-encoded) to a file under `root`, or a refusal. */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { ok: false, status: 404 };
  if (decoded.split('/').some((seg) => seg === '..')) return { ok: false, status: 404 };
  const rel = decoded === '/' ? 'index.html' : normalize(decoded.slice(1));
  const base = resolve(root);
  const full = resolve(join(base, rel));
  if (!full.startsWith(base + sep)) return { ok: false, status: 404 };
  try {
    const real = await realpath(full);
    const realBase = await realpath(base);
    if (!real.startsWith(realBase + sep)) return { ok: false, status: 404 };
    const st = await stat(real);
    if (!st.isFile()) return { ok: false, status: 404 };
    return { ok: true, path: real, size: st.size, contentType: contentType(real) };
  } catch {
    return { ok: false, status: 404 };
  }
}
