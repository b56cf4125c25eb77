// app://renderer/… — the built renderer served by our own protocol handler instead of file://:
// the same traversal-proof lookup and the same security headers (CSP, nosniff) as web mode.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { securityHeaders } from '../web/headers.js';
import { lookupStatic } from '../web/static-files.js';
import { APP_HOST, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './security.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const headers = securityHeaders();
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('not found', { status: 404, headers });
    const found = await lookupStatic(rendererDir, url.pathname);
    if (!found.ok) return new Response('not found', { status: found.status, headers });
    const body = await readFile(found.path);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' } });
  });
}
