import { serve, type Served } from '../support/http.js';
import { startWidgetServer, type WidgetServer } from '../support/widget-server.js';

/**
 * Runs first on every test page and records what classic WebDriver cannot read from the
 * console: uncaught errors, unhandled rejections, CSP violation events and console
 * warnings/errors, into `window.__rec`. A failed resource load is the browser's own report,
 * not the page's: its `error` event stays on the element and never reaches `window`.
 */
const RECORDER = `(() => {
  const rec = (window.__rec = { errors: [], violations: [], warnings: [] });
  addEventListener('error', (e) => rec.errors.push('error: ' + e.message));
  addEventListener('unhandledrejection', (e) => rec.errors.push('unhandledrejection: ' + String(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => rec.violations.push(e.violatedDirective + ' ' + e.blockedURI));
  for (const [level, list] of [['warn', rec.warnings], ['error', rec.errors]]) {
    const real = console[level];
    console[level] = function (...args) {
      list.push(args.map(String).join(' '));
      return real.apply(this, args);
    };
  }
})();`;

/** A test page: its body, extra head markup, and the CSP and nonce it is served with. */
export interface PageSpec {
  body: string;
  head?: string;
  /** The `Content-Security-Policy` header. A policy must allow `'self'` or `nonce` for the recorder. */
  csp?: string;
  /** Put on the recorder's `<script>`; the page's own tags carry theirs in `body`. */
  nonce?: string;
}

/** The host site: pages on `http://localhost:<port>`, another origin than the widget server's `127.0.0.1`. */
export interface HostSite {
  origin: string;
  /** Serves `spec` at `path` and returns its URL. */
  page(path: string, spec: PageSpec): string;
  close(): Promise<void>;
}

/** Starts the host site. Browsers resolve `localhost` to loopback themselves: no name mapping needed. */
export async function startHost(): Promise<HostSite> {
  const pages = new Map<string, PageSpec>();
  const served: Served = await serve((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/record.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(RECORDER);
      return;
    }
    const spec = pages.get(path);
    if (!spec) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (spec.csp) headers['content-security-policy'] = spec.csp;
    res.writeHead(200, headers);
    const nonce = spec.nonce ? ` nonce="${spec.nonce}"` : '';
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>` +
        `<script src="/record.js"${nonce}></script>${spec.head ?? ''}</head><body>${spec.body}</body></html>`,
    );
  });
  const origin = served.url.replace('127.0.0.1', 'localhost');
  return {
    origin,
    page(path, spec) {
      pages.set(path, spec);
      return origin + path;
    },
    close: () => served.close(),
  };
}

/** A widget server reached as `http://127.0.0.1:<port>`: no name mapping, unlike the Playwright specs' `widget.test`. */
export async function startWidget(): Promise<WidgetServer> {
  const server = await startWidgetServer();
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}` });
}

/** The SRI-pinned bundle the widget server currently names: `{ bundle, integrity }`. */
export async function manifest(widget: WidgetServer): Promise<{ bundle: string; integrity: string }> {
  const res = await fetch(widget.url + '/v1/manifest.json');
  if (!res.ok) throw new Error(`manifest: HTTP ${res.status}`);
  return (await res.json()) as { bundle: string; integrity: string };
}
