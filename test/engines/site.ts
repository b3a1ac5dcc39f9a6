import { request } from 'node:http';
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
      // A value whose string conversion throws is recorded, not thrown back at its caller.
      list.push(args.map((a) => { try { return String(a); } catch { return '(unprintable)'; } }).join(' '));
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
  /**
   * Served as XHTML (`application/xhtml+xml`) with no `<head>` at all, as some CMSs and SVG
   * documents are: the recorder and `body` go straight into `<body>`; `head` is ignored.
   */
  xhtml?: boolean;
  /** Served without a doctype, so the browser lays it out in quirks mode, as many old pages are. */
  quirks?: boolean;
  /** More response headers, e.g. the ones that make a page cross-origin isolated. */
  headers?: Record<string, string>;
}

/** The host site: pages on `http://localhost:<port>`, another origin than the widget server's `127.0.0.1`. */
export interface HostSite {
  origin: string;
  /** Every request the site received, as `METHOD /path?query`, in order. */
  requests: string[];
  /** Serves `spec` at `path` and returns its URL. */
  page(path: string, spec: PageSpec): string;
  /** Serves `source` as JavaScript at `path` (a service worker and what it imports). */
  script(path: string, source: string): void;
  /**
   * Forwards every request whose path starts with `prefix` to the same path on `origin`, as a
   * site that serves the widget under its own origin through a reverse proxy. Returns the
   * function that stops forwarding, so no other test finds the widget on the host's origin.
   */
  proxy(prefix: string, origin: string): () => void;
  close(): Promise<void>;
}

/** Starts the host site. Browsers resolve `localhost` to loopback themselves: no name mapping needed. */
export async function startHost(): Promise<HostSite> {
  const pages = new Map<string, PageSpec>();
  const scripts = new Map<string, string>([['/record.js', RECORDER]]);
  const proxies = new Map<string, string>();
  const requests: string[] = [];
  const served: Served = await serve((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    for (const [prefix, target] of proxies) {
      if (!path.startsWith(prefix)) continue;
      const forward = request(target + req.url, { method: req.method }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end();
      return;
    }
    const script = scripts.get(path);
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(script);
      return;
    }
    const spec = pages.get(path);
    if (!spec) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    const type = spec.xhtml ? 'application/xhtml+xml' : 'text/html';
    const headers: Record<string, string> = { 'content-type': type + '; charset=utf-8', 'cache-control': 'no-store' };
    if (spec.csp) headers['content-security-policy'] = spec.csp;
    Object.assign(headers, spec.headers);
    res.writeHead(200, headers);
    const nonce = spec.nonce ? ` nonce="${spec.nonce}"` : '';
    if (spec.xhtml) {
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" lang="en"><body>` +
          `<script src="/record.js"${nonce}></script>${spec.body}</body></html>`,
      );
      return;
    }
    res.end(
      `${spec.quirks ? '' : '<!doctype html>'}<html lang="en"><head><meta charset="utf-8"><title>host</title>` +
        `<script src="/record.js"${nonce}></script>${spec.head ?? ''}</head><body>${spec.body}</body></html>`,
    );
  });
  const origin = served.url.replace('127.0.0.1', 'localhost');
  return {
    origin,
    requests,
    page(path, spec) {
      pages.set(path, spec);
      return origin + path;
    },
    script(path, source) {
      scripts.set(path, source);
    },
    proxy(prefix, origin) {
      proxies.set(prefix, origin);
      return () => proxies.delete(prefix);
    },
    close: () => served.close(),
  };
}

/**
 * A widget server reached as `http://127.0.0.1:<port>`: no name mapping, unlike the
 * Playwright specs' `widget.test`. With `publicUrl`, run as production is, that URL baked
 * into the bundle it serves.
 */
export function startWidget({ publicUrl = false } = {}): Promise<WidgetServer> {
  return startWidgetServer({ publicUrl, host: '127.0.0.1' });
}

/** An attacker's site, a third origin: it answers every request with an empty 200 and records it. */
export interface Attacker {
  /** `http://127.0.0.2:<port>`. */
  origin: string;
  /** Every request it received, as `METHOD /path?query`, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Starts the attacker's site on `127.0.0.2`: another host, not only another port, than the
 * host page (`localhost`) and the widget server (`127.0.0.1`), so no rule that compares host
 * names alone lets it pass as ours. Linux routes all of 127.0.0.0/8 to loopback.
 */
export async function startAttacker(): Promise<Attacker> {
  const requests: string[] = [];
  const served = await serve((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end();
  }, '127.0.0.2');
  return { origin: served.url, requests, close: () => served.close() };
}

// The shifted widget server is shared with the Playwright specs.
export { SHIFT_MS, startShiftedWidget, type ShiftedWidget } from '../support/shifted-widget.js';
