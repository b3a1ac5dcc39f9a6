import { createRequire } from 'node:module';
import type { SiteOptions } from './site-server.js';

/** A demo host site: its folder under `sites/` and what its server needs besides the files. */
export interface Site {
  name: string;
  options(widgetOrigin: string): SiteOptions;
}

const none = (): SiteOptions => ({});

/**
 * The strict site's two policies. `/` allows scripts only by nonce and lets them load more
 * (`'strict-dynamic'`): the inline loader carries the nonce, the bundle and its JSONP
 * scripts inherit the trust. `/allowlist.html` names the widget origin and nothing else, and
 * no inline style at all: the badge's styles are a constructed stylesheet, which CSP allows.
 */
export function strictPolicy(path: string, nonce: string, widgetOrigin: string): string {
  const common = "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; img-src 'self' data:";
  if (path === '/allowlist.html') return `default-src 'none'; script-src ${widgetOrigin}; style-src 'self'; ${common}`;
  return `default-src 'self'; script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'self'; ${common}`;
}

/**
 * When the shop's daily sale ends: the next midnight UTC after `now`, as an ISO instant. The
 * shop renders it into the page like any server-rendered deadline; the widget counts down to
 * it by the synchronised clock.
 */
export function saleEnds(now = Date.now()): string {
  return new Date(Math.floor(now / 86_400_000 + 1) * 86_400_000).toISOString();
}

/** The demo sites, in the order their ports are assigned (`--sites-port`, +1, +2, …). */
export const SITES: readonly Site[] = [
  { name: 'news', options: none },
  { name: 'shop', options: () => ({ vars: () => ({ SALE_ENDS: saleEnds() }) }) },
  {
    name: 'strict',
    options: (widgetOrigin) => ({ csp: (path, nonce) => strictPolicy(path, nonce, widgetOrigin) }),
  },
  {
    name: 'seed',
    // jQuery comes from npm and is served by the site itself: a demo that needs no CDN.
    options: () => ({ files: { '/jquery.min.js': createRequire(import.meta.url).resolve('jquery/dist/jquery.min.js') } }),
  },
  { name: 'iframe', options: none },
  { name: 'frame', options: none },
];
