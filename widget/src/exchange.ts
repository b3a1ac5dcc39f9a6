/**
 * The bundle's timed exchanges with `/v1/time`: JSONP without a callback registry. Globals
 * come in as parameters so unit tests can hand in a fake document and timers.
 */
import { requestId, serverTime } from './clock.js';
import { TIMEOUT_MS } from './jsonp.js';
import type { Sample } from './sync.js';
import type { ScriptPolicy } from './trusted.js';

/**
 * Creates the exchange the sync loop calls, and `receive`, the one callback every answer
 * calls (the bundle's `crossclock.t`). No ids are needed to pair an answer with its request:
 * a classic script's `load` event fires synchronously right after the script ran, before any
 * other script can run, so the answer `receive` holds when a tag's `load` fires is that tag's
 * own, and `load` takes it. What an earlier tag left there (a late answer, or the last one
 * when a tag runs without calling back) carries another request's id and is refused, so
 * nothing is cleared. The snippet's answer calls `crossclock` itself, never this callback,
 * so it cannot be paired with a request of ours.
 *
 * An exchange resolves with `[sent, received, server]` (see sync.ts), `server` 0 when the
 * tag failed, timed out after `TIMEOUT_MS`, ran without calling back or answered with
 * another request's id; it never rejects. Each request has an id of its own in its URL: a
 * cache that keeps script answers whatever their `Cache-Control` (a host's service worker
 * caching every script, as Workbox's recipes do) never has an answer for it, and an answer
 * it finds anyway (matched ignoring the query) carries another id and is refused.
 * @param url `…/v1/time?callback=crossclock.t&id=`, vetted by `policy`; the id is appended
 * @param create `document.createElement`
 * @param root the document's root element, which the tags go into
 */
export function createExchange(
  url: string,
  create: (tag: 'script') => HTMLScriptElement,
  root: () => Element,
  policy: ScriptPolicy,
  nonce: string | undefined,
  perf: () => number,
  setTimeout: (fn: () => void, ms: number) => unknown,
  clearTimeout: (id: any) => void,
): [exchange: () => Promise<Sample>, receive: (data: unknown) => void] {
  let answer: unknown;
  return [
    () =>
      new Promise((resolve) => {
        const script = create('script');
        const id = requestId();
        const sent = perf();
        const done = () => {
          clearTimeout(timer);
          script.remove();
          resolve([sent, perf(), serverTime(answer, id)]);
          // Runs once. A tag removed at its timeout may still run and fire `load`: its answer
          // carries its own id, which no later request accepts. Removing the tag a second time
          // would throw on pages whose own `Element.prototype.remove` (an old, widely copied
          // polyfill) is `this.parentElement.removeChild(this)`.
          script.onload = script.onerror = () => {};
        };
        const timer = setTimeout(done, TIMEOUT_MS);
        script.onload = script.onerror = done;
        script.nonce = nonce || '';
        script.src = policy.createScriptURL(url + id);
        // Not <head>: XHTML and SVG documents may have none, and scripts can remove it.
        root().appendChild(script);
      }),
    (data) => {
      answer = data;
    },
  ];
}
