/**
 * The copy-paste loader, as readable source: the build minifies it into
 * `dist/widget/snippet.js`, and the server substitutes its own URL for `CROSSCLOCK_URL`.
 * Globals are parameters so unit tests can run it against a fake window.
 */

/** One queued call: its arguments and `Date.now()` when it was made. */
export type Queued = [args: ArrayLike<any> & Iterable<any>, at: number];

/** The queueing stub the snippet installs as `window.crossclock` until the bundle takes over. */
export interface Stub {
  (...args: unknown[]): void;
  /**
   * Calls made before the bundle ran. The snippet's own `/v1/time` request names the stub
   * itself as its callback, so its answer is queued here like a call, with its arrival time.
   */
  q: Queued[];
  /** `Date.now()` when that request went out. */
  t: number;
}

/** The page globals the snippet touches. */
export interface SnippetWindow {
  crossclock?: unknown;
  /** Only `warn` is used. */
  console: { warn(message: string): void };
}

/**
 * Installs the `crossclock` queue, then inserts the bundle and the first `/v1/time`
 * request at the same moment, so the first synced badge costs one round trip, not two.
 * Pasted twice, the second copy only warns. `now` is `Date.now`: the one wall-clock
 * reading across a round trip costs fewer bytes than `performance` (the budget is 300 B).
 */
export function loadCrossclock(w: SnippetWindow, d: Document, now: () => number, url: string): void {
  let c = w.crossclock as Stub | undefined;
  // Scripts inserted by script are async already: no `async = true` needed.
  const load = (path: string) => (d.head.appendChild(d.createElement('script')).src = url + '/v1/' + path);
  if (c) w.console.warn('crossclock: pasted twice');
  else {
    c = w.crossclock = function () {
      // eslint-disable-next-line prefer-rest-params -- `arguments` is shorter than a rest array.
      c!.q.push([arguments, now()]);
    } as Stub;
    c.q = [];
    c.t = now();
    load('crossclock.js');
    load('time?callback=crossclock');
  }
}
