/**
 * The widget bundle's entry: the only module that touches the page's globals. It takes
 * over the `crossclock` queue the snippet left (or creates the global for the single-tag
 * embed), turns `[data-crossclock]` elements into badges whenever they appear and keeps
 * them ticking while they are in the document.
 */
import { mountBadge } from './badge.js';
import { createClock, serverTime, wallNow } from './clock.js';
import { countdown } from './countdown.js';
import { createExchange } from './exchange.js';
import { createBadges } from './lifecycle.js';
import { parseOptions, type RawOptions } from './options.js';
import { SNIPPET_TIME_QUERY, type Queued, type Stub } from './snippet.js';
import { createSync, SHOWN_RESYNC_MS } from './sync.js';
import { createTicker } from './ticker.js';
import { connect, type TrustWindow } from './trusted.js';

/** `window.crossclock` once the bundle runs; a second copy of the bundle sees `now` and stays inert. */
interface Api {
  (command: string, options?: RawOptions | string | Element): void;
  /** The JSONP callback registry of the standalone client (see jsonp.ts), kept from the snippet's stub. */
  j?: unknown;
  /** The callback of the bundle's own time requests (see exchange.ts). */
  t?: (data: unknown) => void;
  now?: () => number;
}

const w = window as unknown as Window & TrustWindow & { crossclock?: unknown };
const d = document;
// Markup can shadow any property of `document` but `location`: `<img name="hidden">` would
// stop every badge, `<form name="querySelectorAll">` throw into the page, and
// `<img name="currentScript">` hide our own tag. Every one the widget uses is taken from
// Document.prototype, which markup cannot reach, and applied to `d`. It is reached through
// HTMLDocument.prototype, whose chain always ends in the real one: MooTools replaces the
// `Document` global with a class of its own, whose prototype has none of them.
const P: Document = HTMLDocument.prototype;
const read = <K extends keyof Document>(key: K): Document[K] => Reflect.get(P, key, d);
const create = <K extends keyof HTMLElementTagNameMap>(tag: K) => P.createElement.call(d, tag) as HTMLElementTagNameMap[K];
// Every catch that keeps the page safe reports through here, so it must not throw itself:
// the problem is its own argument, never converted to a string (a thrown value whose
// `toString` throws), and a page whose `console.warn` throws or is missing is ignored. It
// returns undefined, so a warning can stand for "nothing" (a second copy's missing link).
const warn = (m: unknown): undefined => {
  try {
    console.warn('crossclock:', m);
  } catch {}
};
const found = w.crossclock as Partial<Stub> & Api;
// Only our stub and our API are functions. A named element (`<div id="crossclock">`, an
// `<iframe name>` whose properties throw) or another library's object is not ours: it is
// replaced, and never asked for anything. Without one, an empty object: every read of what
// the stub left is then a plain property read, with no `?.` (4 B; 3 B without countdowns).
const prior: Partial<Stub & Api> = typeof found == 'function' ? found : {};
// Only where the page has a `<base>` can a script's `src` now differ from where it was
// fetched (see trusted.ts): there it counts only if Resource Timing shows that very URL was
// fetched for a <script>. Markup can make an image or a preload fetch a URL, not a script.
const fetched = (src: string) =>
  !P.querySelector.call(d, 'base[href]') ||
  performance.getEntriesByName(src).some((e) => (e as PerformanceResourceTiming).initiatorType == 'script');
const link = prior.now ? warn('loaded twice') : connect(prior, CROSSCLOCK_URL, read('currentScript'), fetched, w, warn);

if (link) {
  const [base, policy, nonce] = link;
  const timeUrl = base + 'time?';
  const perf = () => performance.now();
  const [now, add, detail, jumped] = createClock(wallNow, perf);
  // The badges' sync state: `syncing` until the first answer, then `synced` or `offline`.
  let state = 'syncing';
  // Calls made before the DOM is ready wait in the snippet's queue.
  let queue: Queued[] | 0 = prior.q || [];

  const [watch, adopt, release, each] = createBadges(
    MutationObserver,
    (root, raw) => {
      // Both parsers run before the badge is rendered again: bad options leave the old render in place.
      if (raw) return mountBadge(root, parseOptions(raw, warn), create, COUNTDOWN && raw.until !== undefined && countdown(raw, warn));
      // Released: the element shows its own content again (a fallback text, or what a
      // framework put there), styled by the page: a shadow root cannot be taken off, but its
      // `<slot>` shows the element's children. It is no badge: it has no `data-state` either
      // (React keeps the attributes it did not set on an element it reuses, where the page's
      // `[data-state=…]` rules would still style the new content).
      root.adoptedStyleSheets = [];
      root.replaceChildren(create('slot'));
      delete (root.host as HTMLElement).dataset.state;
    },
    // Badges came or were rendered again: render them now; a hidden page still gets no timer.
    // After a batch of DOM changes that made no badge (`batch`), nothing is rendered: the
    // timer is only set again from here, for the instant it was due (see the zone note below),
    // and badges that left or came back are dropped or shown at that tick. A page whose DOM
    // changes every frame, an animation or a live feed, costs no render of every badge each
    // time, and a hidden page nothing at all.
    // The visibility listener is added here, at start and again after each batch: a page that
    // rewrites itself (`document.open()`, then `document.write`) erases every listener of the
    // document but not our observer, which sees the new page (a hidden page went on ticking,
    // and one shown again did not resync). Adding the same function again does nothing, under
    // zone.js too: a call from Angular's zone does not move the listener into it.
    (batch) => (P.addEventListener.call(d, 'visibilitychange', shown), read('hidden') ? batch || tick() : ticker(true, batch)),
    warn,
  );
  // Events bubble, out of shadow roots too, so one listener on the document hears every
  // badge, also those rendered later (jQuery's `.on(type, selector, …)`, a framework's root
  // listener). EventTarget's own dispatchEvent (reached through P), not the host's: a custom
  // element may override it, and one that throws must not stop the events of every other badge.
  const fire = (host: HTMLElement, name: string, detail?: object) =>
    P.dispatchEvent.call(host, new CustomEvent('crossclock:' + name, { detail, bubbles: true, composed: true }));
  // Every badge gets the same detail object.
  const emit = (name: string, detail?: object) => each((host) => fire(host, name, detail));
  // Each countdown badge's instant that has ended and been announced (see the tick).
  const ended = /* @__PURE__ */ new WeakMap<HTMLElement, number>();
  // Returns 0 when no badge is left (the ticker stops), else the instant of the next wake a
  // countdown needs (Infinity: just the next second boundary).
  const tick = () => {
    // After a sleep the monotonic clock lags the world: measure again.
    if (jumped()) sync();
    const t = now();
    const synced = detail();
    // 0 until a badge is rendered (none left: the ticker stops), then the earliest instant
    // a countdown ends at, for the ticker to wake at (Infinity: just the next second
    // boundary). Kept here, not counted by `each` for this one caller (4 B; 5 B without countdowns).
    let next = 0;
    each((host, render) => {
      const r = render(t, state, synced) as number;
      next ||= Infinity;
      if (COUNTDOWN) {
        // Once per badge and instant: a badge rendered again (options changed, a morph that
        // also took its `data-state` away, the element re-inserted) that had already ended
        // does not announce it a second time. In a microtask: a listener added just after
        // `crossclock('badge', …)` still hears a past instant.
        if (r <= t) ended.get(host) !== r && (ended.set(host, r), queueMicrotask(() => fire(host, 'end')));
        else if (r < next) next = r;
      }
    });
    return next;
  };
  // Under zone.js (Angular) a timer runs in the zone that set it, and Angular checks the whole
  // app after every task in its zone. A `crossclock('badge', …)` call from a component starts
  // the ticker there, but its first render writes the host's `data-state`, which comes back
  // through the observer, made at the top level and so bound to zone.js's root zone, whose
  // `changed` sets the ticker's timer again there (rendering nothing more); `remove` does not
  // wake it at all. (zone.js's own timer would do the same for 32 B;
  // test/e2e/widget-frameworks.spec.ts guards this.)
  const ticker = createTicker(now, tick, setTimeout, clearTimeout);
  // The page was hidden (no timer) or shown: tick now, and resync if the last burst is old.
  const shown = () => {
    ticker(!read('hidden'));
    if (!read('hidden')) sync(SHOWN_RESYNC_MS);
  };
  const onSync = () => {
    state = 'synced';
    // Restart on the corrected second boundary; a hidden page stays without a timer.
    ticker(!read('hidden'));
    if (DEBUG) console.debug('crossclock: synced', detail());
    emit('sync', detail());
  };
  // A payload that is not a time gives server 0, which the sync loop counts as a failure.
  const [exchange, receive] = createExchange(
    timeUrl + 'callback=crossclock.t&id=',
    create,
    () => read('documentElement'),
    policy,
    nonce,
    perf,
    setTimeout,
    clearTimeout,
  );
  const sync = createSync(
    exchange,
    add,
    onSync,
    () => {
      state = 'offline';
      tick();
      emit('offline');
    },
    Math.random,
    perf,
    setTimeout,
    clearTimeout,
  );

  const call = ([command, o = {}]: Queued) => {
    try {
      const badge = command === 'badge';
      if (badge || command === 'remove') {
        // `remove` takes the target itself, `badge` an options object naming it.
        const target = badge ? o.target : o;
        const host = typeof target === 'string' ? P.querySelector.call(d, target) : target;
        if (!host) warn('bad target ' + target);
        else if (badge) adopt(host, o);
        else release(host);
      } else if (command && typeof command === 'object') {
        // The answer to the snippet's own request (a module import: no tag to remove), which
        // named `crossclock` as its callback (queued if it beat us): the first sample, one
        // round trip after the page asked. Resource Timing tells when it went out and came
        // back, on the monotonic clock, so the snippet spends no bytes on timestamps; and an
        // entry for the URL with the answer's id tells that this page asked for that very
        // answer (a cache's stale one carries another id). Without an entry (a full buffer, a
        // snippet older than request ids) the bundle's own burst syncs instead.
        const id = (command as { id?: unknown }).id;
        const [t] = performance.getEntriesByName(timeUrl + SNIPPET_TIME_QUERY + id) as PerformanceResourceTiming[];
        if (t && add(t.startTime, t.responseEnd, serverTime(command, id))) onSync();
      } else warn('bad command ' + command);
    } catch (e) {
      // Nothing the widget does may throw into the host page (a Symbol command lands here too).
      warn(e);
    }
  };
  // A rest array, not `arguments` as in the snippet's stub (where it is the shorter): `call`
  // and the queue take either, and an arrow needs no `function` keyword.
  const api: Api = (...args: unknown[]) => {
    queue ? queue.push(args) : call(args);
  };
  api.now = now;
  api.j = prior.j;
  api.t = receive;
  w.crossclock = api;

  const start = () => {
    // Adopting a badge starts the ticker: a page without badges never sets a timer.
    watch(d, read('documentElement'));
    (queue as Queued[]).forEach(call);
    queue = 0;
    sync();
  };
  // An async script may run before the DOM is parsed: `readyState` is then `loading`.
  read('readyState')[0] === 'l' ? P.addEventListener.call(d, 'DOMContentLoaded', start) : start();
}
