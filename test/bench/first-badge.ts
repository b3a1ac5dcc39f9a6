/**
 * Time to first synced badge: navigation start → `data-state="synced"` in Chromium, with a
 * fixed delay on every widget-server response, for the snippet and the single-tag embeds.
 */
import type { Browser } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { startDelayProxy } from './delay-proxy.js';
import { snippetPage, tagPage, testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';
import { median, ratio } from './stats.js';

// Runs in the page before any of its scripts: notes when the first badge turns synced,
// on the page's own clock (ms since navigation start).
const RECORD_SYNCED = () => {
  const w = window as unknown as { __syncedAt?: number };
  new MutationObserver(() => {
    if (w.__syncedAt === undefined && document.querySelector('[data-state="synced"]')) w.__syncedAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
};

/** Loads `url` in a fresh context (empty cache) and returns ms from navigation start to synced. */
async function timeToSynced(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(RECORD_SYNCED);
    await page.goto(url);
    const handle = await page.waitForFunction(() => (window as unknown as { __syncedAt?: number }).__syncedAt, null, { timeout: 20_000 });
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

/**
 * Measures both embeds `runs` times each with `delayMs` on every widget-server response, and
 * as many times through the same proxy without delay, alternating. The delayed median in
 * units of the delay is the figure; the difference between the two medians, in
 * delays, is the number of sequential round trips to the widget server (ideal: 2, the bundle
 * then one time request) with the page's own start-up cost taken out.
 */
export async function benchFirstBadge(
  browser: Browser,
  host: HostSite,
  snippet: string,
  delayMs: number,
  runs: number,
  log: (line: string) => void,
): Promise<Figures> {
  const server = await serve(createApp());
  const delayed = await startDelayProxy(server.url, { request: 0, response: delayMs });
  const direct = await startDelayProxy(server.url, { request: 0, response: 0 });
  try {
    const forms = ['snippet', 'tag'] as const;
    const times = { snippet: { delayed: [] as number[], direct: [] as number[] }, tag: { delayed: [] as number[], direct: [] as number[] } };
    for (const [name, proxy] of [['delayed', delayed], ['direct', direct]] as const) {
      const widget = testOrigin(proxy.url, 'widget');
      host.set(`/first-snippet-${name}.html`, snippetPage(snippet, widget));
      host.set(`/first-tag-${name}.html`, tagPage(widget));
    }
    for (let i = 0; i < runs; i++) {
      for (const form of forms) {
        for (const name of ['delayed', 'direct'] as const) {
          const ms = await timeToSynced(browser, `${host.origin}/first-${form}-${name}.html`);
          times[form][name].push(ms);
          log(`first badge: ${form} ${name} run ${i + 1}/${runs}: ${ms.toFixed(0)} ms`);
        }
      }
    }
    const figures: Figures = { 'first_badge.delay_ms': delayMs };
    for (const form of forms) {
      const withDelay = median(times[form].delayed);
      const without = median(times[form].direct);
      figures[`first_badge.${form}_delays`] = ratio(withDelay, delayMs);
      figures[`first_badge.${form}_ms`] = withDelay;
      figures[`first_badge.${form}_no_delay_ms`] = without;
      figures[`first_badge.${form}_round_trips`] = withDelay === null || without === null ? null : (withDelay - without) / delayMs;
    }
    return figures;
  } finally {
    await delayed.close();
    await direct.close();
    await server.close();
  }
}
