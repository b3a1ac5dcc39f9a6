/**
 * Idle cost: with 10 badges on a page, how often the page's timers wake up per second while
 * visible, and while hidden; then, visible again with every badge removed, with none. First,
 * the same page's start-up cost on the main thread (see start-up.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import type { WidgetFiles } from '../../server/cdn.js';
import { embedPage, testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';
import { startUpWork } from './start-up.js';

const BADGES = 10;
/** How long each state is observed. */
const WINDOW_MS = 5000;
/** Page loads for the start-up figures, each with and without the host's own formatter first. */
const START_UP_LOADS = 5;
/** The control page's own script: the page's first formatter, made before the widget's. */
const HOST_FORMATTER = '<script>new Intl.DateTimeFormat().format(0)</script>';

type Win = { __wakeups: number; __hide(hidden: boolean): void };

// Runs before the page's scripts: counts every timer and animation-frame callback that fires,
// and lets the bench hide the page. Headless Chromium keeps every page visible (minimising
// or switching tabs does not change it), so hiding is simulated the way the widget sees it:
// `document.hidden` turns true and `visibilitychange` fires.
const INSTRUMENT = () => {
  const w = window as unknown as Win & Record<string, unknown>;
  w.__wakeups = 0;
  const wrap = (name: 'setTimeout' | 'setInterval' | 'requestAnimationFrame') => {
    const original = (window[name] as (...a: unknown[]) => number).bind(window);
    w[name] = (fn: unknown, ...rest: unknown[]) =>
      original(typeof fn === 'function' ? (...a: unknown[]) => (w.__wakeups++, fn(...a)) : fn, ...rest);
  };
  wrap('setTimeout');
  wrap('setInterval');
  wrap('requestAnimationFrame');
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  w.__hide = (h) => {
    hidden = h;
    document.dispatchEvent(new Event('visibilitychange'));
  };
};

/** Measures wake-ups per second visible and hidden after every badge has synced, then with none left. */
export async function benchIdle(browser: Browser, host: HostSite, widget: WidgetFiles, log: (line: string) => void): Promise<Figures> {
  const server = await serve(createApp());
  const context = await browser.newContext();
  try {
    const idlePage = embedPage('tag', testOrigin(server.url, 'widget'), widget, BADGES);
    host.set('/idle.html', idlePage);
    host.set('/idle-control.html', idlePage.replace('</head>', `${HOST_FORMATTER}</head>`));
    const startUp = await startUpWork(browser, `${host.origin}/idle.html`, `${host.origin}/idle-control.html`, START_UP_LOADS, log);

    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(`${host.origin}/idle.html`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-state="synced"]').length === n, BADGES, { timeout: 20_000 });
    // Let the sync burst finish so only the steady state is counted.
    const burstDone = () => page.waitForFunction(() => !document.querySelector('script[src*="/v1/time"]'), null, { timeout: 20_000 });
    await burstDone();

    const rate = async () => {
      const before = await page.evaluate(() => [(window as unknown as Win).__wakeups, performance.now()]);
      await sleep(WINDOW_MS); // the observation window itself, not a synchronisation wait
      const after = await page.evaluate(() => [(window as unknown as Win).__wakeups, performance.now()]);
      return ((after[0] - before[0]) * 1000) / (after[1] - before[1]);
    };
    const visible = await rate();
    await page.evaluate(() => (window as unknown as Win).__hide(true));
    const hidden = await rate();
    // Shown again (which starts a sync burst) after every badge was removed, as a
    // single-page app does when it leaves the page that had them.
    await page.evaluate(() => {
      document.querySelectorAll('[data-crossclock]').forEach((el) => el.remove());
      (window as unknown as Win).__hide(false);
    });
    await burstDone();
    const none = await rate();
    log(`idle: ${visible.toFixed(2)} wake-ups/s visible, ${hidden.toFixed(2)} hidden, ${none.toFixed(2)} with no badge left`);
    return {
      'idle.start_up_ms': startUp.first,
      'idle.start_up_control_ms': startUp.control,
      'idle.wakeups_per_s': visible,
      'idle.hidden_wakeups_per_s': hidden,
      'idle.no_badge_wakeups_per_s': none,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
