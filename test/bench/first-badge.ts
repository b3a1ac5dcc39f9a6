/**
 * Time to first synced badge: navigation start → `data-state="synced"` in Chromium, with a
 * fixed delay on every widget-server response, for the snippet and the single-tag embeds.
 */
import type { Browser } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { startDelayProxy } from './delay-proxy.js';
import type { WidgetFiles } from '../../server/cdn.js';
import { embedPage, testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';
import { median, ratio, sequentialRoundTrips } from './stats.js';

// Runs in the page before any of its scripts: notes when the first badge turns synced,
// on the page's own clock (ms since navigation start).
const RECORD_SYNCED = () => {
  const w = window as unknown as { __syncedAt?: number };
  new MutationObserver(() => {
    if (w.__syncedAt === undefined && document.querySelector('[data-state="synced"]')) w.__syncedAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
};

/** One page load: ms from navigation start to synced, and the round trips it waited for. */
interface Load {
  ms: number;
  roundTrips: number;
}

/** Loads `url` in a fresh context (empty cache) and times it to the first synced badge. */
async function timeToSynced(browser: Browser, url: string, widgetOrigin: string): Promise<Load> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(RECORD_SYNCED);
    await page.goto(url);
    const handle = await page.waitForFunction(() => (window as unknown as { __syncedAt?: number }).__syncedAt, null, { timeout: 20_000 });
    const ms = (await handle.jsonValue()) as number;
    // Resource Timing gives start and end even cross-origin: the answers that had fully
    // arrived by then are the ones the badge could have waited for.
    const spans = await page.evaluate(
      ({ origin, ms }) =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.name.startsWith(origin + '/') && e.responseEnd <= ms)
          .map((e) => ({ start: e.startTime, end: e.responseEnd })),
      { origin: widgetOrigin, ms },
    );
    return { ms, roundTrips: sequentialRoundTrips(spans) };
  } finally {
    await context.close();
  }
}

/**
 * Measures both embeds `runs` times each with `delayMs` on every widget-server response, and
 * as many times through the same proxy without delay (the page's own start-up cost),
 * alternating. Also counts, from Resource Timing, the sequential round trips to the widget
 * server the badge waited for, a figure the machine's load cannot change.
 */
export async function benchFirstBadge(
  browser: Browser,
  host: HostSite,
  widget: WidgetFiles,
  delayMs: number,
  runs: number,
  log: (line: string) => void,
): Promise<Figures> {
  const server = await serve(createApp());
  const proxies = {
    delayed: await startDelayProxy(server.url, { request: 0, response: delayMs }),
    direct: await startDelayProxy(server.url, { request: 0, response: 0 }),
  };
  try {
    const forms = { snippet: 'loader', tag: 'tag' } as const;
    const loads: Record<string, Load[]> = {};
    for (let i = 0; i < runs; i++) {
      for (const [name, form] of Object.entries(forms)) {
        for (const [condition, proxy] of Object.entries(proxies)) {
          const origin = testOrigin(proxy.url, 'widget');
          const path = `/first-${name}-${condition}.html`;
          host.set(path, embedPage(form, origin, widget));
          const load = await timeToSynced(browser, host.origin + path, origin);
          (loads[`${name} ${condition}`] ??= []).push(load);
          log(`first badge: ${name} ${condition} run ${i + 1}/${runs}: ${load.ms.toFixed(0)} ms, ${load.roundTrips} round trips`);
        }
      }
    }
    const figures: Figures = { 'first_badge.delay_ms': delayMs };
    for (const name of Object.keys(forms)) {
      const delayed = loads[`${name} delayed`];
      const ms = median(delayed.map((l) => l.ms));
      figures[`first_badge.${name}_delays`] = ratio(ms, delayMs);
      figures[`first_badge.${name}_ms`] = ms;
      figures[`first_badge.${name}_no_delay_ms`] = median(loads[`${name} direct`].map((l) => l.ms));
      figures[`first_badge.${name}_round_trips`] = median(delayed.map((l) => l.roundTrips));
    }
    return figures;
  } finally {
    await proxies.delayed.close();
    await proxies.direct.close();
    await server.close();
  }
}
