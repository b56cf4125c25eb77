// The desktop window's security settings, checked without launching Electron.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, electronWebPreferences, hardenWebContents, isRendererUrl, isSafeExternalUrl, RENDERER_URL, safeFilename } from '../../../src-main/app/security.js';
import { RENDERER_CSP, securityHeaders } from '../../../src-main/web/headers.js';

describe('Electron security settings', () => {
  it('web preferences: isolated, sandboxed, no Node, web security on, no webview', () => {
    const p = electronWebPreferences('/app/out/preload/index.cjs');
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(p.preload.endsWith('.cjs')).toBe(true); // a sandboxed preload must be CommonJS
  });

  it('the app:// scheme is standard and secure, and does not bypass CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(RENDERER_URL).toBe('app://renderer/index.html');
  });

  it('only our renderer URL passes the IPC sender check', () => {
    expect(isRendererUrl('app://renderer/index.html')).toBe(true);
    expect(isRendererUrl('app://renderer/index.html#/leases')).toBe(true);
    for (const u of ['file:///app/out/renderer/index.html', 'https://renderer/index.html', 'app://evil/index.html', 'app://x@renderer/', 'about:blank', '', undefined, 'not a url']) {
      expect(isRendererUrl(u), String(u)).toBe(false);
    }
  });

  it('external links: https only', () => {
    expect(isSafeExternalUrl('https://example.org/docs')).toBe(true);
    for (const u of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.org']) expect(isSafeExternalUrl(u), u).toBe(false);
  });

  it('every web contents: no navigation, redirect or webview; new windows denied, only https opened in the browser', () => {
    /** Just enough of Electron's WebContents: its events, and the window-open handler it was given. */
    class FakeContents extends EventEmitter {
      openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
      setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
        this.openHandler = h;
      }
    }
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, (url) => opened.push(url));
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://example.org/');
      expect(prevented, event).toBe(true);
    }
    expect(contents.openHandler).toBeDefined();
    for (const url of ['https://example.org/docs', 'http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://renderer/index.html', 'https://user:pw@example.org/']) {
      expect(contents.openHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.org/docs']);
  });

  it('save dialog file names carry no directories', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\Windows\\x.csv')).toBe('x.csv');
    expect(safeFilename('a<b>:c?.csv')).toBe('a_b__c_.csv');
    expect(safeFilename('...')).toBe('pocket-dhcp-export.txt');
  });

  it('the CSP is strict: own scripts only, no inline script or eval, no framing, connections to self', () => {
    const d = Object.fromEntries(RENDERER_CSP.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(d['default-src']).toEqual(["'none'"]);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' });
  });
});
