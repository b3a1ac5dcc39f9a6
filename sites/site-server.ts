import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** What a demo site needs beyond its folder of static files. */
export interface SiteOptions {
  /** Files served at fixed paths from outside the site folder (jQuery from node_modules). */
  files?: Record<string, string>;
  /**
   * The Content-Security-Policy for a page at `path`, or `undefined` for none. `nonce` is
   * fresh for every response and also fills `{{NONCE}}` in the page.
   */
  csp?: (path: string, nonce: string) => string | undefined;
  /** `{{NAME}}` values worked out for each response, as a real site renders them (the shop's sale deadline). */
  vars?: () => Record<string, string>;
}

/**
 * A static file server for one demo host site. In `.html` files `{{NAME}}` is replaced by
 * `vars.NAME` (the widget server's URL, the other sites' origins): a real host would
 * hard-code these, the demo learns them at start-up because ports are configurable.
 */
export function createSiteServer(root: string, vars: Record<string, string>, options: SiteOptions = {}): RequestListener {
  const files = new Map(Object.entries(options.files ?? {}));
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    let file: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      file = files.get(path) ?? normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    } catch {
      res.writeHead(400).end();
      return;
    }
    // Percent-encoded dot segments survive URL parsing: never serve outside the site folder.
    if (!files.has(path) && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer | string;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache' };
    if (extname(file) === '.html') {
      // A nonce is only worth anything if an attacker cannot predict it: new for every response.
      const nonce = randomBytes(18).toString('base64');
      const page: Record<string, string> = { ...vars, ...options.vars?.(), NONCE: nonce };
      body = body.toString('utf8').replace(/\{\{(\w+)\}\}/g, (m, name: string) => page[name] ?? m);
      const policy = options.csp?.(path, nonce);
      if (policy) headers['content-security-policy'] = policy;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
