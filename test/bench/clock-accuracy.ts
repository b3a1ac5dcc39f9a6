/**
 * Clock accuracy: the server's clock shifted by a known amount behind a symmetric delay;
 * how far the widget's `crossclock.now()` lands from it, and how soon after each true
 * second the badge's text changes.
 */
import type { Browser, Page } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { startDelayProxy } from './delay-proxy.js';
import type { WidgetFiles } from '../../server/cdn.js';
import { embedPage, testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';
import { median, percentile, secondPhase } from './stats.js';

/** +1 h 23 min 4.567 s: a shift no device clock could match by accident. */
export const SHIFT_MS = ((1 * 60 + 23) * 60 + 4) * 1000 + 567;

/** Seconds of ticking observed for the alignment figure. */
const TICKS = 20;

type Win = { crossclock: { now(): number }; __ticks: number[] };

/** Polls `check` every 50 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the page has made `count` time requests and has none in flight. */
async function syncSettled(page: Page, completed: () => number, count: number): Promise<void> {
  await waitUntil(
    'the sync burst to finish',
    async () => completed() >= count && (await page.evaluate(() => !document.querySelector('script[src*="/v1/time"]'))),
    30_000,
  );
}

/** Measures error and tick lag with `delayMs` of delay each way. */
export async function benchClock(browser: Browser, host: HostSite, widget: WidgetFiles, delayMs: number, burst: number, log: (line: string) => void): Promise<Figures> {
  const server = await serve(createApp({ now: () => Date.now() + SHIFT_MS }));
  const proxy = await startDelayProxy(server.url, { request: delayMs, response: delayMs });
  const context = await browser.newContext();
  try {
    host.set('/clock.html', embedPage('tag', testOrigin(proxy.url, 'widget'), widget));
    const page = await context.newPage();
    await page.goto(`${host.origin}/clock.html`);
    await page.locator('[data-crossclock][data-state="synced"]').waitFor({ timeout: 20_000 });
    await syncSettled(page, () => proxy.completed.get('/v1/time') ?? 0, burst);

    // Both clocks are this machine's wall clock, so the shift is the only true difference.
    const readings = await page.evaluate(() =>
      Array.from({ length: 11 }, () => (window as unknown as Win).crossclock.now() - Date.now()),
    );
    const error = median(readings.map((r) => r - SHIFT_MS));
    log(`clock: error ${error?.toFixed(1)} ms after ${proxy.completed.get('/v1/time')} exchanges`);

    // Every change of the badge's text, stamped with the true (shifted) time it happened at.
    await page.evaluate((shift) => {
      const w = window as unknown as Win;
      w.__ticks = [];
      const root = document.querySelector('[data-crossclock]')!.shadowRoot!;
      new MutationObserver(() => w.__ticks.push(performance.timeOrigin + performance.now() + shift)).observe(root, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    }, SHIFT_MS);
    await page.waitForFunction((n) => (window as unknown as Win).__ticks.length >= n, TICKS, { timeout: (TICKS + 10) * 1000 });
    const ticks = await page.evaluate(() => (window as unknown as Win).__ticks);
    const lags = ticks.map((t) => Math.abs(secondPhase(t)));
    log(`clock: tick lags ${lags.map((l) => l.toFixed(1)).join(' ')} ms`);
    return {
      'clock.error_ms': error,
      'clock.tick_lag_ms_p95': percentile(lags, 95),
      'clock.tick_lag_ms_median': median(lags),
      'clock.shift_ms': SHIFT_MS,
      'clock.delay_each_way_ms': delayMs,
    };
  } finally {
    await context.close();
    await proxy.close();
    await server.close();
  }
}
