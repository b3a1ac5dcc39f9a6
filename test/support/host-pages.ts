import { readFileSync } from 'node:fs';
import { builtPath } from './built.js';
import { serve, type Served } from './http.js';

/** One page of a test host site: its HTML and any extra response headers (e.g. a CSP). */
export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

/** A host site for e2e tests, on its own origin, whose pages each test defines. */
export interface HostSite {
  /** Serves `page` at `path` and returns its URL on `http://<name>.test:<port>`. */
  page(path: string, page: HostPage): string;
  origin: string;
  /** Every request the site received, as `METHOD /path?query`. */
  requests: string[];
  close(): Promise<void>;
}

const WIDGET_DIR = builtPath('widget/');

/** The built loader snippet with the widget server's URL in place, ready to go in a `<script>`. */
export function snippet(widgetUrl: string): string {
  return readFileSync(WIDGET_DIR + 'snippet.js', 'utf8').trim().replace('CROSSCLOCK_URL', widgetUrl);
}

/**
 * Starts a host site named `name` (`http://<name>.test:<port>`). Besides the pages a test
 * defines it serves `/jsonp.mjs` (the built standalone client, as a host would copy it) and
 * `/slow?ms=N&callback=F`, a JSONP endpoint answering after N ms, for late answers. With
 * `shell`, unknown paths answer 200 with an HTML page, as single-page apps' servers do.
 */
export async function startHostSite(name: string, { shell = false } = {}): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const requests: string[] = [];
  let served: Served | undefined;
  served = await serve((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/jsonp.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(WIDGET_DIR + 'jsonp.mjs'));
      return;
    }
    if (url.pathname === '/slow') {
      const callback = url.searchParams.get('callback') ?? '';
      if (!/^[\w.]+$/.test(callback)) {
        res.writeHead(400).end();
        return;
      }
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        res.end(`/**/ typeof ${callback} === 'function' && ${callback}({"late":true});`);
      }, Number(url.searchParams.get('ms') ?? 0));
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const page = pages.get(url.pathname);
    if (!page) {
      if (shell) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>app</title><div id=app></div>');
      else res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...page.headers });
    res.end(page.html);
  });
  const origin = served.url.replace('127.0.0.1', `${name}.test`);
  return {
    origin,
    requests,
    page(path, page) {
      pages.set(path, page);
      return origin + path;
    },
    close: () => served!.close(),
  };
}

/**
 * In the page (`page.evaluate`, `engine.evaluate`): how many boxes the element `selector`'s own
 * content has on screen (its fallback text shows), its badge's text (null without a shadow
 * root) and its `data-state`.
 */
export const ownContent = (selector: string) => {
  const el = document.querySelector<HTMLElement>(selector)!;
  const range = document.createRange();
  range.selectNodeContents(el);
  return { fallbackBoxes: range.getClientRects().length, badge: el.shadowRoot?.textContent ?? null, state: el.dataset.state ?? null };
};
