/**
 * The JSONP client alone (`dist/widget/jsonp.mjs`), for pages that want the transport
 * without the badges; the bundle's own requests need no registry (see exchange.ts). Globals
 * come in as parameters so unit tests can hand in a fake document and window.
 */
import { requestId } from './clock.js';

/** Why a JSONP request failed. */
export type JsonpFailure = 'network' | 'nocallback' | 'timeout' | 'abort';

/** A failed JSONP request; `reason` tells the failures apart. */
export class JsonpError extends Error {
  constructor(public reason: JsonpFailure) {
    super('jsonp ' + reason);
  }
}

/** What `jsonp` needs from the page. */
export interface JsonpOptions {
  doc: Document;
  /** The window whose `crossclock` global holds the callback registry; its timers are used. */
  win: Window;
  /** Milliseconds before giving up; default `TIMEOUT_MS`. */
  timeout?: number;
  signal?: AbortSignal;
  /** The host's CSP nonce, copied onto the script tag. */
  nonce?: string;
  /**
   * Vets the script URL: needed where the page enforces Trusted Types (`script.src` then
   * refuses strings), e.g. a policy from `trustedTypes.createPolicy`. Default: none.
   */
  policy?: { createScriptURL(url: string): unknown };
}

/** No policy: the URL as it is. */
const AS_IS = { createScriptURL: (url: string) => url };

/** Pending callbacks by id. */
type Registry = Record<string, unknown>;

/** How long a request waits for its answer unless told otherwise, ms. */
export const TIMEOUT_MS = 10_000;

/**
 * Loads `url` as a script with `callback=crossclock.j.<id>` appended and resolves with the
 * data it calls back with; rejects with a `JsonpError`. The tag and the callback are
 * removed whenever the request settles.
 */
export function jsonp(url: string, options: JsonpOptions): Promise<unknown> {
  const { doc, win, policy = AS_IS, nonce, timeout = TIMEOUT_MS, signal } = options;
  if (signal?.aborted) return Promise.reject(new JsonpError('abort'));
  return new Promise((resolve, reject) => {
    // Callbacks live in one registry under the `crossclock` global, never as globals of their
    // own, shared by every copy of this client on the page. Ids are request ids (see
    // clock.ts), not a count: a count starts again on every page, and a cache that keeps
    // scripts whatever their `Cache-Control` (a site's service worker) would answer an
    // earlier page's request with the same URL, stale data for a callback of the same name.
    const registry: Registry = (((win as any).crossclock ||= {}).j ||= {});
    const id = 'c' + requestId();
    const script = doc.createElement('script');
    // Settles once: `load` still fires after a successful callback, and finds the callback
    // gone. A late answer finds no callback and is dropped by the server's `typeof` guard.
    const finish = (failure: JsonpFailure | null, data?: unknown) => {
      if (!registry[id]) return;
      delete registry[id];
      win.clearTimeout(timer);
      script.remove();
      signal?.removeEventListener('abort', abort);
      failure ? reject(new JsonpError(failure)) : resolve(data);
    };
    const abort = () => finish('abort');
    const timer = win.setTimeout(() => finish('timeout'), timeout);
    registry[id] = (data: unknown) => finish(null, data);
    // `load` fires after the script ran: had it called back, we would be done already.
    script.onload = () => finish('nocallback');
    script.onerror = () => finish('network');
    signal?.addEventListener('abort', abort);
    script.nonce = nonce || '';
    script.src = policy.createScriptURL(url + (url.includes('?') ? '&' : '?') + 'callback=crossclock.j.' + id) as string;
    // Not <head>: XHTML and SVG documents may have none, and scripts can remove it.
    doc.documentElement.appendChild(script);
  });
}
