/**
 * Countdown timing: with the server's clock shifted and a symmetric delay (as the clock part
 * has it), how soon after each true second a countdown's text changes, and how late after
 * its true instant each `crossclock:end` fires, for instants on and between second boundaries.
 */
import type { Browser } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { SHIFT_MS, waitUntil } from './clock-accuracy.js';
import { startDelayProxy } from './delay-proxy.js';
import { testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';
import { median, percentile, secondPhase } from './stats.js';

/** Text changes observed on the long countdown. */
const TICKS = 15;
/** When the short countdowns end, in ms after the page is made: on a boundary and between two. */
const ENDS_MS = [6000, 7437, 8900];

type Win = { __ticks: number[]; __ends: { id: string; at: number }[] };

/** Measures countdown tick lag and end-event lateness with `delayMs` of delay each way. */
export async function benchCountdown(browser: Browser, host: HostSite, delayMs: number, log: (line: string) => void): Promise<Figures> {
  const server = await serve(createApp({ now: () => Date.now() + SHIFT_MS, log: () => {} }));
  const proxy = await startDelayProxy(server.url, { request: delayMs, response: delayMs });
  const context = await browser.newContext();
  try {
    // Instants on the server's clock, which the widget must learn: the device is 1 h 23 min off it.
    const made = Math.ceil((Date.now() + SHIFT_MS) / 1000) * 1000;
    const untils = ENDS_MS.map((ms) => made + ms);
    const badges =
      untils.map((u, i) => `<span data-crossclock id="end${i}" data-until="${new Date(u).toISOString()}"></span>`).join('') +
      `<span data-crossclock id="long" data-until="${new Date(made + 86_400_000).toISOString()}"></span>`;
    host.set(
      '/countdown.html',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench countdown</title></head><body>${badges}` +
        `<script async src="${testOrigin(proxy.url, 'widget')}/v1/crossclock.js"></script></body></html>`,
    );
    const page = await context.newPage();
    // Every end event and every change of the long countdown's text, stamped with the true (shifted) time.
    await page.addInitScript((shift) => {
      const w = window as unknown as Win;
      const trueNow = () => performance.timeOrigin + performance.now() + shift;
      w.__ticks = [];
      w.__ends = [];
      document.addEventListener('crossclock:end', (e) => w.__ends.push({ id: (e.target as Element).id, at: trueNow() }), true);
      document.addEventListener('crossclock:sync', () => {
        const root = document.getElementById('long')?.shadowRoot;
        if (root && !root.querySelector('[data-watched]')) {
          root.firstElementChild!.setAttribute('data-watched', '');
          new MutationObserver(() => w.__ticks.push(trueNow())).observe(root, { subtree: true, childList: true, characterData: true });
        }
      }, true);
    }, SHIFT_MS);
    await page.goto(`${host.origin}/countdown.html`);
    await waitUntil(
      'the end events and the ticks',
      () => page.evaluate((n) => (window as unknown as Win).__ticks.length >= n && (window as unknown as Win).__ends.length >= 3, TICKS),
      (TICKS + 15) * 1000,
    );
    // One more second of ticks, so a second end event per badge would have shown up.
    const seen = await page.evaluate(() => (window as unknown as Win).__ticks.length);
    await waitUntil('one more tick', () => page.evaluate((n) => (window as unknown as Win).__ticks.length > n, seen), 5000);
    const { ticks, ends } = await page.evaluate(() => ({ ticks: (window as unknown as Win).__ticks, ends: (window as unknown as Win).__ends }));
    // The first change is the badge appearing, not a tick.
    const lags = ticks.slice(1).map((t) => Math.abs(secondPhase(t)));
    const lateness = ends.map((e) => e.at - untils[Number(e.id.slice(3))]);
    log(`countdown: tick lags ${lags.map((l) => l.toFixed(1)).join(' ')} ms; end lateness ${lateness.map((l) => l.toFixed(1)).join(' ')} ms`);
    const perBadge = new Set(ends.map((e) => e.id)).size === untils.length ? ends.length / untils.length : null;
    return {
      'countdown.tick_lag_ms_p95': percentile(lags, 95),
      'countdown.tick_lag_ms_median': median(lags),
      'countdown.end_lateness_ms_max': lateness.length ? Math.max(...lateness) : null,
      'countdown.end_lateness_ms_median': median(lateness),
      'countdown.end_events': perBadge,
    };
  } finally {
    await context.close();
    await proxy.close();
    await server.close();
  }
}
