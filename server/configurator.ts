import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, Response, Router } from 'express';
import { sendError } from './jsonp.js';
import { exactRouter } from './router.js';

/**
 * The page's own assets: plain files in `server/configurator/`, served as they are. The build
 * copies them beside the compiled server, so `dist/` alone is deployable.
 */
export const DEFAULT_CONFIGURATOR_DIR = fileURLToPath(new URL('./configurator/', import.meta.url));

/**
 * The configurator's policy. Everything comes from this server: the page, its script and
 * stylesheet, the widget and its JSONP time scripts, the snippets (fetched). No inline script
 * or style anywhere, so the page is its own proof that the widget works under a strict CSP.
 * With a public URL (`publicUrl`, an origin and maybe a path) its origin may serve scripts
 * too: the preview's bundle has that URL baked in and asks it for the time, also when the
 * page was opened at another address of the same server (an instance's own, behind a CDN).
 */
export function configuratorCsp(publicUrl: string | null = null): string {
  const scripts = publicUrl ? `'self' ${new URL(publicUrl).origin}` : "'self'";
  return (
    `default-src 'none'; script-src ${scripts}; style-src 'self'; connect-src 'self'; img-src 'self' data:; ` +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

const FILES: Record<string, [name: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/configurator/configurator.js': ['configurator.js', 'text/javascript; charset=utf-8'],
  '/configurator/zoned.js': ['zoned.js', 'text/javascript; charset=utf-8'],
  '/configurator/configurator.css': ['configurator.css', 'text/css; charset=utf-8'],
};

/**
 * The embed configurator at `/`: pick zone, format, theme, locale and label, see the real
 * badge, copy the snippet. Files are read once, at start-up, from `dir`; `publicUrl` is the
 * server's `--public-url`, if any (see `configuratorCsp`).
 */
export function configuratorRouter(dir: string = DEFAULT_CONFIGURATOR_DIR, publicUrl: string | null = null): Router {
  const csp = configuratorCsp(publicUrl);
  const bodies = new Map<string, Buffer | null>();
  for (const [path, [name]] of Object.entries(FILES)) {
    try {
      bodies.set(path, readFileSync(join(dir, name)));
    } catch {
      bodies.set(path, null);
    }
  }
  const router = exactRouter();
  router.get(Object.keys(FILES), (req: Request, res: Response, next: NextFunction) => {
    // The router matches exactly; this keeps a lookup miss a 404 should that ever change.
    if (!bodies.has(req.path)) return next();
    const body = bodies.get(req.path);
    if (!body) {
      // Never the folder's path: that tells a visitor where and how the server is installed.
      sendError(res, 503, 'not_installed', "The configurator's files are missing from this installation.", req.method === 'HEAD');
      return;
    }
    res.set({
      'content-type': FILES[req.path][1],
      'cache-control': 'no-cache',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.send(body);
  });
  return router;
}
