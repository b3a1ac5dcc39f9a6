/**
 * The widget bundle's entry: the only module that touches the page's globals. It takes
 * over the `crossclock` queue the snippet left (or creates the global for the single-tag
 * embed), turns `[data-crossclock]` elements into badges and keeps them ticking.
 */
import { mountBadge, type Badge, type BadgeState } from './badge.js';
import { createClock } from './clock.js';
import { createFormatter } from './format.js';
import { jsonp, type CallbackRegistry } from './jsonp.js';
import { parseOptions, readDataset, type RawOptions } from './options.js';
import { createSync } from './sync.js';
import { createTicker } from './ticker.js';

interface Global {
  (command: string, options?: RawOptions): void;
  /** Calls queued by the snippet before the bundle arrived. */
  q?: ArrayLike<unknown>[];
  /** Pending JSONP callbacks, shared by every copy of the bundle on the page. */
  j?: CallbackRegistry['table'];
  /** Set once a bundle has taken over, so a second copy stays inert. */
  l?: 1;
  now?: () => number;
}

const w = window as unknown as Window & { crossclock?: Global };
const d = document;
const warn = (m: string) => console.warn('crossclock: ' + m);
const prior = w.crossclock;

if (prior && prior.l) {
  warn('loaded twice; the second copy does nothing');
} else {
  const script = d.currentScript as HTMLScriptElement | null;
  const base = (script ? script.src : '').replace(/\/v1\/crossclock[^/]*$/, '');
  const registry = { table: (prior && prior.j) || {}, name: 'crossclock.j' };
  const perf = () => performance.now();
  // Host functions called as methods of another object throw "Illegal invocation": wrap them.
  const timers = { setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (id: any) => clearTimeout(id) };
  const clock = createClock({ now: Date.now, performanceNow: perf });
  const badges: { host: HTMLElement; badge: Badge; format: (t: number) => string }[] = [];
  let offline = false;

  const supported = (locale?: string, tz?: string) => {
    try {
      new Intl.DateTimeFormat(locale, { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  };
  const state = (): BadgeState => (clock.synced() ? 'synced' : offline ? 'offline' : 'syncing');
  const emit = (name: string, detail?: object) =>
    badges.forEach((b) => b.host.dispatchEvent(new CustomEvent('crossclock:' + name, { detail })));
  const tick = () => {
    const t = clock.now();
    const s = state();
    badges.forEach((b) => b.badge.render(b.format(t), t, s));
  };
  const ticker = createTicker({ now: clock.now, ...timers }, tick);
  const addBadge = (host: Element | null, raw: RawOptions) => {
    if (!(host instanceof HTMLElement)) return warn('badge target not found');
    if (badges.some((b) => b.host === host)) return;
    const { options, problems } = parseOptions(raw, supported);
    problems.forEach(warn);
    badges.push({ host, badge: mountBadge(host, options), format: createFormatter(options) });
    tick();
  };

  const sync = createSync({
    clock,
    ...timers,
    random: Math.random,
    exchange: async () => {
      const sent = perf();
      const data = (await jsonp(base + '/v1/time', {
        doc: d,
        registry,
        timeout: 10_000,
        ...timers,
        nonce: script ? script.nonce : undefined,
      })) as { t?: unknown } | null;
      const received = perf();
      if (!data || typeof data.t !== 'number' || !isFinite(data.t)) throw new Error('bad payload');
      return { sent, received, server: data.t };
    },
    onSync: () => {
      offline = false;
      ticker.stop();
      ticker.start();
      emit('sync', { offset: clock.offset(), rtt: clock.rtt(), uncertainty: clock.uncertainty() });
    },
    onOffline: () => {
      offline = true;
      tick();
      emit('offline');
    },
  });

  const api: Global = (command, options) => {
    try {
      if (command !== 'badge') return warn('unknown command ' + String(command));
      const o = options || {};
      const target = o.target;
      addBadge(typeof target === 'string' ? d.querySelector(target) : (target as Element), o);
    } catch (e) {
      // Nothing the widget does may throw into the host page.
      warn(String(e));
    }
  };
  api.j = registry.table;
  api.l = 1;
  api.now = clock.now;
  w.crossclock = api;

  const start = () => {
    d.querySelectorAll('[data-crossclock]').forEach((el) => addBadge(el, readDataset(el as HTMLElement)));
    ((prior && prior.q) || []).forEach((args) => api(args[0] as string, args[1] as RawOptions));
    ticker.start();
    sync.run();
  };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start);
  else start();
  d.addEventListener('visibilitychange', () => {
    if (d.hidden) ticker.stop();
    else {
      ticker.start();
      sync.run();
    }
  });
}
