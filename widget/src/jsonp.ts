/**
 * The JSONP client alone (`dist/widget/jsonp.mjs`), for pages that want the transport
 * without the badges; the bundle's own requests need no registry (see exchange.ts). Globals
 * come in as parameters so unit tests can hand in a fake document and window.
 */

/** Why a JSONP request failed. */
export type JsonpFailure = 'network' | 'nocallback' | 'timeout' | 'abort';

/** The failures by the code `request` rejects with. */
export const FAILURES: JsonpFailure[] = ['network', 'nocallback', 'timeout', 'abort'];

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

/** Pending callbacks by id, plus `n`, the last id handed out. */
type Registry = Record<string, unknown> & { n?: number };

/** How long a request waits for its answer unless told otherwise, ms. */
export const TIMEOUT_MS = 10_000;

/**
 * The transport without `AbortSignal` or error objects. `url` must end in `?` or `&`; the
 * other parameters are `JsonpOptions`'. Resolves with the data called back; rejects with the
 * index in `FAILURES` of what went wrong. Returns the promise and a function that cancels the
 * request (`abort`).
 */
export function request(
  url: string,
  doc: Document,
  win: Window,
  policy: Required<JsonpOptions>['policy'],
  nonce?: string,
  timeout = TIMEOUT_MS,
): [Promise<unknown>, () => void] {
  let finish!: (code: number, data?: unknown) => void;
  const promise = new Promise((resolve, reject) => {
    // Callbacks live in one registry under the `crossclock` global, never as globals of their
    // own; its counter is shared by every copy of this client on the page, so ids never collide.
    const registry: Registry = (((win as any).crossclock ||= {}).j ||= {});
    // `-~n` is n + 1, also for the first id when `n` is undefined.
    const id = 'c' + (registry.n = -~registry.n!);
    const script = doc.createElement('script');
    // Every step is idempotent: `load` still fires after a successful callback, harmlessly.
    // A late answer finds no callback and is dropped by the server's `typeof` guard.
    finish = (code, data) => {
      delete registry[id];
      win.clearTimeout(timer);
      script.remove();
      code < 0 ? resolve(data) : reject(code);
    };
    const timer = win.setTimeout(() => finish(2), timeout);
    registry[id] = (data: unknown) => finish(-1, data);
    // `load` fires after the script ran: had it called back, we would be done already.
    script.onload = () => finish(1);
    script.onerror = () => finish(0);
    script.nonce = nonce || '';
    script.src = policy.createScriptURL(url + 'callback=crossclock.j.' + id) as string;
    // Not <head>: XHTML and SVG documents may have none, and scripts can remove it.
    doc.documentElement.appendChild(script);
  });
  return [promise, () => finish(3)];
}

/**
 * Loads `url` as a script with `callback=crossclock.j.<id>` appended and resolves with the
 * data it calls back with; rejects with a `JsonpError`. The tag and the callback are
 * removed whenever the request settles.
 */
export function jsonp(url: string, options: JsonpOptions): Promise<unknown> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new JsonpError('abort'));
  const { doc, win, policy = AS_IS, nonce, timeout } = options;
  const [promise, cancel] = request(url + (url.includes('?') ? '&' : '?'), doc, win, policy, nonce, timeout);
  signal?.addEventListener('abort', cancel);
  return promise.then(
    (data) => {
      signal?.removeEventListener('abort', cancel);
      return data;
    },
    (code: number) => {
      signal?.removeEventListener('abort', cancel);
      throw new JsonpError(FAILURES[code]);
    },
  );
}
