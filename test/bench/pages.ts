/**
 * The host pages the browser parts load, served from their own origin (`host.test`), and
 * the `*.test` addresses Chromium maps to loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve, type Served } from '../support/http.js';

/** `http://127.0.0.1:PORT` as `http://NAME.test:PORT`, a distinct origin on loopback. */
export function testOrigin(url: string, name: string): string {
  const u = new URL(url);
  return `http://${name}.test:${u.port}`;
}

/** A page embedding the copy-paste snippet (its URL filled in) and one badge element per id. */
export function snippetPage(snippet: string, widgetUrl: string, badges = 1): string {
  return page(`<script>${snippet.trimEnd().split('CROSSCLOCK_URL').join(widgetUrl)}</script>`, badges);
}

/** A page embedding the single-tag form with `badges` badge elements. */
export function tagPage(widgetUrl: string, badges = 1): string {
  return page(`<script async src="${widgetUrl}/v1/crossclock.js"></script>`, badges);
}

function page(embed: string, badges: number): string {
  const spans = Array.from({ length: badges }, (_, i) => `<span id="b${i}" data-crossclock data-tz="UTC"></span>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench host</title>${embed}</head>` +
    `<body><p>${spans.join('\n')}</p></body></html>`;
}

/** A blank page for scripts the bench drives itself. */
export const BLANK_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>';

/** A host origin serving fixed bodies by path. */
export interface HostSite extends Served {
  /** The site's `http://host.test:PORT` origin. */
  origin: string;
  /** Serves `body` at `path` with `type`. */
  set(path: string, body: string | Buffer, type?: string): void;
}

/** Starts an empty host site on a free port. */
export async function startHostSite(): Promise<HostSite> {
  const files = new Map<string, { body: string | Buffer; type: string }>();
  const served = await serve((req: IncomingMessage, res: ServerResponse) => {
    const file = files.get((req.url ?? '/').split('?')[0]);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    res.end(file.body);
  });
  return {
    ...served,
    origin: testOrigin(served.url, 'host'),
    set(path, body, type = 'text/html; charset=utf-8') {
      files.set(path, { body, type });
    },
  };
}
