/**
 * The copy-paste loader, as readable source: the build minifies it into
 * `dist/widget/snippet.js`, and the server substitutes its own URL for `CROSSCLOCK_URL`.
 * Globals are parameters so unit tests can run it against a fake window.
 */

/** The queueing stub the snippet installs as `window.crossclock` until the bundle arrives. */
export interface QueueStub {
  (...args: unknown[]): void;
  q: IArguments[];
}

/** Installs the `crossclock` queue and inserts the bundle script asynchronously. */
export function loadCrossclock(w: Window & { crossclock?: unknown }, d: Document, url: string): void {
  if (w.crossclock) {
    console.warn('crossclock: snippet pasted twice');
    return;
  }
  const stub = function () {
    // eslint-disable-next-line prefer-rest-params -- `arguments` is shorter than a rest array.
    stub.q.push(arguments);
  } as QueueStub;
  stub.q = [];
  w.crossclock = stub;
  const s = d.createElement('script');
  s.async = true;
  s.src = url + '/v1/crossclock.js';
  d.head.appendChild(s);
}
