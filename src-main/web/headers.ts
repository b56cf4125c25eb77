// The renderer's security headers, the same in Electron (app:// protocol) and web mode: a strict
// Content-Security-Policy (only our own scripts, no inline script, no eval, no plugins, no framing,
// network only back to our own origin — which covers the same-origin WebSocket in CSP Level 3),
// no MIME sniffing, no referrer.
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Svelte sets style attributes; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
