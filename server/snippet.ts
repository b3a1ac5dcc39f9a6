import type { IncomingMessage } from 'node:http';
import type { Request, Response, Router } from 'express';
import type { Manifest } from './cdn.js';
import { JSON_TYPE } from './jsonp.js';
import { methodNotAllowed } from './methods.js';
import { exactRouter } from './router.js';

/** The embed forms `/v1/snippet?form=` can return on their own. */
export const SNIPPET_FORMS = ['loader', 'tag', 'sri'] as const;
/** One embed form. */
export type SnippetForm = (typeof SNIPPET_FORMS)[number];

const HEADINGS: Record<SnippetForm, string> = {
  loader: 'Loader: installs crossclock() at once and fetches the bundle without blocking the page',
  tag: 'Tag: one async script tag; the badge appears where the element is',
  sri: 'SRI-pinned tag: this exact bundle version, refused by the browser if its bytes ever change',
};

// Where the badge goes; every form needs it, the loader also accepts crossclock('badge', …).
const ELEMENT = '<span data-crossclock></span>';

/** The ready-to-paste HTML of one form for a server reachable at `base` (no trailing slash). */
export function snippetForm(form: SnippetForm, base: string, loaderBody: string, manifest: Manifest): string {
  if (form === 'loader') {
    // The build leaves the literal CROSSCLOCK_URL in the minified body for us to fill in.
    return `${ELEMENT}\n<script>${loaderBody.split('CROSSCLOCK_URL').join(base)}</script>\n`;
  }
  if (form === 'tag') return `${ELEMENT}\n<script async src="${base}${manifest.unversioned}"></script>\n`;
  return `${ELEMENT}\n<script async src="${base}${manifest.bundle}" integrity="${manifest.integrity}" crossorigin="anonymous"></script>\n`;
}

/** All three forms, each under an HTML comment heading, for `/v1/snippet`. */
export function snippetPage(base: string, loaderBody: string, manifest: Manifest): string {
  return SNIPPET_FORMS.map((f) => `<!-- ${HEADINGS[f]} -->\n${snippetForm(f, base, loaderBody, manifest)}`).join('\n');
}

/**
 * The base URL a snippet must point at when no public URL is configured. We use the address
 * the request actually arrived at (the socket's local address and port), never the Host
 * header: Host is chosen by the client, and a cache in front of us that does not key on it
 * would then hand every visitor a snippet loading script from an attacker's domain. Behind a
 * balancer or CDN the local address is useless to host pages, which is why production sets
 * `--public-url`; without it this answer is right for local use and harmless otherwise.
 */
export function localBase(req: IncomingMessage): string {
  let host = req.socket.localAddress ?? '127.0.0.1';
  if (host.startsWith('::ffff:')) host = host.slice(7);
  if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${req.socket.localPort}`;
}

/** Serves `/v1/snippet` (all forms) and `/v1/snippet?form=loader|tag|sri` (one form) as text/plain. */
export function snippetRouter(
  publicUrl: string | null,
  loaderBody: string | null,
  manifest: Manifest | null,
): Router {
  const router = exactRouter();
  router
    .route('/v1/snippet')
    .get((req: Request, res: Response) => {
      res.set({
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
        // An error is never cached: a CDN would keep one broken instance's answer for everyone.
        'cache-control': 'no-store',
      });
      if (!loaderBody || !manifest) {
        res.status(503).type(JSON_TYPE).send(JSON.stringify({
          error: { code: 'not_built', message: 'The widget has not been built: run npm run build.' },
        }));
        return;
      }
      const form = req.query.form;
      if (form !== undefined && !(typeof form === 'string' && (SNIPPET_FORMS as readonly string[]).includes(form))) {
        res.status(400).type(JSON_TYPE).send(JSON.stringify({
          error: { code: 'invalid_form', message: 'form must be one of loader, tag, sri.' },
        }));
        return;
      }
      // With a configured URL the text only changes on deploy; otherwise it depends on the socket.
      if (publicUrl) res.set('cache-control', 'public, max-age=300');
      const base = publicUrl ?? localBase(req);
      res
        .type('text/plain; charset=utf-8')
        .send(form === undefined ? snippetPage(base, loaderBody, manifest) : snippetForm(form as SnippetForm, base, loaderBody, manifest));
    })
    .all((req: Request, res: Response) => methodNotAllowed(res, req.method));
  return router;
}
