/**
 * The host pages the browser parts load, served from their own origin (`host.test`), and
 * the `*.test` addresses Chromium maps to loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WidgetFiles } from '../../server/cdn.js';
import { snippetForm } from '../../server/snippet.js';
import { serve, type Served } from '../support/http.js';

/** `http://127.0.0.1:PORT` as `http://NAME.test:PORT`, a distinct origin on loopback. */
export function testOrigin(url: string, name: string): string {
  const u = new URL(url);
  return `http://${name}.test:${u.port}`;
}

/**
 * A host page carrying one of the server's own ready-to-paste embed forms (`loader` is the
 * copy-paste snippet, `tag` the single tag) for a server at `base`, plus `badges - 1` more
 * badge elements.
 */
export function embedPage(form: 'loader' | 'tag', base: string, widget: WidgetFiles, badges = 1): string {
  if (!widget.snippet || !widget.manifest) throw new Error('the widget is not built: run npm run build');
  const more = '<span data-crossclock></span>\n'.repeat(badges - 1);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench host</title></head>` +
    `<body><p>${more}${snippetForm(form, base, widget.snippet, widget.manifest)}</p></body></html>`;
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
