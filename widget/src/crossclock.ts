/**
 * The widget bundle's entry: the only module that touches the page's globals. It takes
 * over the `crossclock` queue the snippet left (or creates the global for the single-tag
 * embed), turns `[data-crossclock]` elements into badges and keeps them ticking.
 */
import { mountBadge, type Render } from './badge.js';
import { createClock, serverTime } from './clock.js';
import { countdown } from './countdown.js';
import { request } from './jsonp.js';
import { parseOptions, type RawOptions } from './options.js';
import type { Queued, Stub } from './snippet.js';
import { createSync } from './sync.js';
import { createTicker } from './ticker.js';

/** `window.crossclock` once the bundle runs; a second copy of the bundle sees `now` and stays inert. */
interface Api {
  (command: string, options?: RawOptions): void;
  /** The JSONP callback registry (see jsonp.ts), kept from an earlier copy or the standalone client. */
  j?: unknown;
  now?: () => number;
}

const w = window as unknown as Window & { crossclock?: Partial<Stub> & Api };
const d = document;
const warn = (m: unknown) => console.warn('crossclock: ' + m);
const prior = w.crossclock;

if (prior?.now) warn('loaded twice');
else {
  // Under `'nonce-…' 'strict-dynamic'` our tags need the nonce the host gave our tag.
  const { src, nonce } = (d.currentScript || {}) as HTMLScriptElement;
  // Our own URL, …/v1/crossclock[.<hash>].js, names the server: ask …/v1/time.
  const timeUrl = src?.replace(/crossclock[^/]*$/, 'time?');
  const perf = () => performance.now();
  const [now, add, detail, jumped] = createClock(Date.now, perf);
  const badges: [host: HTMLElement, render: Render][] = [];
  let offline: unknown;
  // Calls made before the DOM is ready wait in the snippet's queue.
  let queue: Queued[] | 0 = prior?.q || [];

  const emit = (name: string, detail?: object) =>
    badges.forEach((b) => b[0].dispatchEvent(new CustomEvent('crossclock:' + name, { detail })));
  const tick = () => {
    // After a sleep the monotonic clock lags the world: measure again.
    if (jumped()) sync();
    const t = now();
    const synced = detail();
    const state = offline ? 'offline' : synced ? 'synced' : 'syncing';
    // The earliest instant a countdown ends at, for the ticker to wake at.
    let next = Infinity;
    badges.forEach(([host, render]) => {
      const r = render(t, state, synced);
      if (COUNTDOWN) {
        // In a microtask: a listener added just after `crossclock('badge', …)` still hears a past instant.
        if (r === true) queueMicrotask(() => host.dispatchEvent(new CustomEvent('crossclock:end')));
        else if ((r as number) < next) next = r as number;
      }
    });
    return next;
  };
  const ticker = createTicker(now, tick, setTimeout, clearTimeout);
  const onSync = () => {
    offline = 0;
    // Restart on the corrected second boundary; a hidden page stays without a timer.
    ticker(!d.hidden);
    if (DEBUG) console.debug('crossclock: synced', detail());
    emit('sync', detail());
  };
  const sync = createSync(
    () => {
      const sent = perf();
      // A payload that is not a time gives server 0, which the sync loop counts as a failure.
      return request(timeUrl!, { doc: d, win: w, nonce })[0].then((data) => [sent, perf(), serverTime(data)]);
    },
    add,
    onSync,
    () => {
      offline = 1;
      tick();
      emit('offline');
    },
    Math.random,
    setTimeout,
    clearTimeout,
  );

  // `el` is a `data-crossclock` element, whose options are its `dataset`.
  const call = ([[command, o = {}], at]: Queued, el?: HTMLElement) => {
    try {
      if (command === 'badge') {
        const host = el || (typeof o.target === 'string' ? d.querySelector(o.target) : o.target);
        if (!host) return warn('bad target ' + o.target);
        // Already a badge (our shadow root); any other shadow root makes attachShadow throw.
        if (host.shadowRoot) return;
        // Both parsers run before the shadow root exists: a bad option leaves the element as it was.
        const options = parseOptions(o, warn);
        const face = COUNTDOWN && o.until !== undefined ? countdown(o, warn) : undefined;
        badges.push([host, mountBadge(host, options, face)]);
        tick();
      } else if (command && typeof command === 'object') {
        // The answer to the snippet's own request, which named `crossclock` as its callback
        // (queued if it beat us): the first sample, one round trip after the page asked.
        d.querySelector('[src$="=crossclock"]')?.remove();
        // The snippet timed it with Date.now(): move both readings onto the monotonic clock.
        const shift = perf() - Date.now();
        if (add(prior!.t! + shift, at + shift, serverTime(command))) onSync();
      } else warn('bad command ' + command);
    } catch (e) {
      // Nothing the widget does may throw into the host page (a Symbol command lands here too).
      warn(e);
    }
  };
  const api: Api = function () {
    // eslint-disable-next-line prefer-rest-params -- the same shape as the snippet's queue.
    const entry: Queued = [arguments, Date.now()];
    queue ? queue.push(entry) : call(entry);
  };
  api.now = now;
  api.j = prior?.j;
  w.crossclock = api;

  const start = () => {
    d.querySelectorAll('[data-crossclock]').forEach((el) => call([['badge', (el as HTMLElement).dataset], 0], el as HTMLElement));
    (queue as Queued[]).forEach((q) => call(q));
    queue = 0;
    ticker(true);
    sync();
  };
  // An async script may run before the DOM is parsed: `readyState` is then `loading`.
  d.readyState[0] === 'l' ? d.addEventListener('DOMContentLoaded', start) : start();
  d.addEventListener('visibilitychange', () => {
    ticker(!d.hidden);
    if (!d.hidden) sync();
  });
}
