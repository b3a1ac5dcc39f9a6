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

/**
 * A static file server for one demo host site. In `.html` files `{{NAME}}` is replaced by
 * `vars.NAME` (the widget server's URL, the other sites' origins): a real host would
 * hard-code these, the demo learns them at start-up because ports are configurable.
 */
export function createSiteServer(root: string, vars: Record<string, string>): RequestListener {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let file: string;
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    } catch {
      res.writeHead(400).end();
      return;
    }
    // Percent-encoded dot segments survive URL parsing: never serve outside the site folder.
    if (!file.startsWith(root + sep)) {
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
    if (extname(file) === '.html') {
      body = body.toString('utf8').replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
