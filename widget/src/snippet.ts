/**
 * The copy-paste loader, as readable source: the build minifies it into
 * `dist/widget/snippet.js`, and the server substitutes its own URL for `CROSSCLOCK_URL`.
 * Globals are parameters so unit tests can run it against a fake window.
 */
import type { LoaderState } from './trusted.js';

/** One queued call: its arguments (the stub queues `arguments`, the bundle a rest array). */
export type Queued = ArrayLike<any> & Iterable<any>;

/** The queueing stub the snippet installs as `window.crossclock` until the bundle takes over. */
export interface Stub extends LoaderState {
  (...args: unknown[]): void;
  /**
   * Calls made before the bundle ran. The snippet's own `/v1/time` request names the stub
   * itself as its callback, so its answer is queued here like a call; the bundle reads
   * when it went out and came back from Resource Timing.
   */
  q: Queued[];
}

/** The page globals the snippet touches. */
export interface SnippetWindow {
  crossclock?: unknown;
  /** Only `warn` is used. */
  console: { warn(message: string): void };
}

/** Loads a module script; the real one is `(url) => import(url)`. */
export type Importer = (url: string) => Promise<unknown>;

/**
 * The query of the snippet's own `time?` request, then its id. The bundle looks the request
 * up in Resource Timing by this very URL (see crossclock.ts), so both build it from here.
 */
export const SNIPPET_TIME_QUERY = 'callback=crossclock&id=';

/**
 * Installs the `crossclock` queue, then loads the bundle and the first `/v1/time` request at
 * the same moment, so the first synced badge costs one round trip, not two. Pasted twice,
 * the second copy only warns.
 *
 * It loads with `import()`, not `<script src>`: a dynamic import is no Trusted Types sink
 * (so the snippet needs no policy: the bundle makes the one it needs), and it carries the
 * nonce of the script that calls it, so under `script-src 'nonce-…'` alone both loads pass
 * with no nonce copied by hand. A failed load is a console warning, never an unhandled
 * rejection in the host page. `script` is `document.currentScript`, read where markup cannot
 * shadow it (see snippet-entry.ts). The time request carries `id` (a `requestId`, see
 * clock.ts), as the bundle's own do; its answer echoes it. `base` is the server's `…/v1/`:
 * the server writes its URL in front of `/v1/`.
 */
export function loadCrossclock(w: SnippetWindow, script: unknown, load: Importer, base: string, id: string): void {
  let c = w.crossclock as Stub;
  const warn = (problem: unknown) => w.console.warn('crossclock: ' + problem);
  // Only our stub and our API are functions: a named element (`<div id="crossclock">`) or
  // another library's object is not ours, and is replaced.
  if (typeof c == 'function') warn('pasted twice');
  else {
    c = w.crossclock = function () {
      // eslint-disable-next-line prefer-rest-params -- `arguments` is shorter than a rest array.
      c.q.push(arguments);
    } as Stub;
    c.q = [];
    c.u = base;
    // This inline <script> itself: the bundle gives its own tags the same nonce.
    c.s = script;
    load(base + 'crossclock.js').catch(warn);
    load(base + 'time?' + SNIPPET_TIME_QUERY + id).catch(warn);
  }
}
