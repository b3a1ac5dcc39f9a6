/// <reference path="../../widget/crossclock.d.ts" />
import type { Page } from '@playwright/test';
import { snippet, type HostSite } from '../support/host-pages.js';
import { SHIFT_MS, startShiftedWidget, type ShiftedWidget } from '../support/shifted-widget.js';
import { CACHE_NAME, cachedTimeAnswers, cachingWorker, workboxFiles } from '../support/service-worker.js';
import { BURST } from '../../widget/src/sync.js';
import { expect, html, test } from './widget-fixtures.js';

// Many sites install a service worker that caches every script it sees, whatever its
// `Cache-Control`. Our time answers are scripts: a worker that answers one from its cache
// hands the widget a time as old as the cached copy.

/** Serves the caching worker (see test/support/service-worker.ts) under `/<slug>/`, and the Workbox files it loads. */
function serveWorker(host: HostSite, slug: string, ignoreSearch: boolean) {
  const js = { 'content-type': 'text/javascript' };
  for (const [path, source] of workboxFiles()) host.page(path, { html: source, headers: js });
  host.page(`/${slug}/sw.js`, { html: cachingWorker(ignoreSearch), headers: js });
}

/** Synchronised time minus the device's clock, in ms. */
const offset = (page: Page) => page.evaluate(() => crossclock.now!() - Date.now());

/** The time answers the worker holds in its cache. */
const cachedAnswers = (page: Page) => page.evaluate(cachedTimeAnswers, CACHE_NAME);

/**
 * A page under the worker, on `localhost` (a service worker needs a secure context), with
 * badge `#a` embedded by `form` from the widget at `widgetUrl`; opened, then reloaded once
 * the worker controls it, so every request of the reloaded page goes through the worker.
 */
async function openControlled(page: Page, host: HostSite, slug: string, form: 'tag' | 'loader', widgetUrl: string) {
  const embed =
    form === 'tag'
      ? `<span data-crossclock id="a"></span><script async src="${widgetUrl}/v1/crossclock.js"></script>`
      : `<span id="a"></span><script>${snippet(widgetUrl)}\ncrossclock('badge', {target: '#a'});</script>`;
  const url = host
    .page(`/${slug}/`, { html: html(`${embed}<script>navigator.serviceWorker.register('sw.js');</script>`) })
    .replace(/\/\/[^:/]+/, '//localhost');
  await page.goto(url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test.describe('on a page whose service worker caches every script', () => {
  let widget: ShiftedWidget | undefined;
  test.afterEach(async () => {
    await widget?.kill();
    widget = undefined;
  });

  for (const form of ['tag', 'loader'] as const) {
    test(`${form}: syncs from the server, never from an answer the worker kept`, async ({ page, host, errors }) => {
      const slug = `sw-cache-first-${form}`;
      serveWorker(host, slug, false);
      widget = await startShiftedWidget(SHIFT_MS);
      const widgetUrl = `http://widget.test:${widget.port}`;
      await openControlled(page, host, slug, form, widgetUrl);
      const badge = page.locator('#a');
      await expect(badge).toHaveAttribute('data-state', 'synced');
      await expect.poll(async () => Math.abs((await offset(page)) - SHIFT_MS)).toBeLessThan(2000);
      // The control: the worker really does keep our time answers (it stores each after
      // answering with it, so the store may land after the badge synced).
      await expect.poll(() => cachedAnswers(page)).toBeGreaterThan(0);
      // The whole first burst (and the loader's own request) has come back, so killing the
      // server fails no request in flight: the next one is due in minutes.
      const asked = BURST + (form === 'loader' ? 1 : 0);
      await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/time')).length)).toBeGreaterThanOrEqual(asked);

      // The server's clock is put right, on the same URL, while the worker keeps its answers.
      await widget.kill();
      widget = await startShiftedWidget(0, widget.port);
      await page.reload();
      await expect(badge).toHaveAttribute('data-state', 'synced');
      await expect.poll(async () => Math.abs(await offset(page))).toBeLessThan(2000);
      expect(errors).toEqual([]);
    });
  }

  test('that matches cached answers ignoring the query: an old answer is refused, and the badge says it is unsynced', async ({ page, host }) => {
    const slug = 'sw-ignore-search';
    serveWorker(host, slug, true);
    widget = await startShiftedWidget(SHIFT_MS);
    await openControlled(page, host, slug, 'tag', `http://widget.test:${widget.port}`);
    await expect.poll(() => cachedAnswers(page)).toBeGreaterThan(0);

    await widget.kill();
    widget = await startShiftedWidget(0, widget.port);
    await page.addInitScript(() => {
      (window as any).__synced = 0;
      document.addEventListener('crossclock:sync', () => (window as any).__synced++, true);
    });
    await page.reload();
    // Every time request now gets the old answer, which carries another request's id.
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'offline');
    expect(await page.evaluate(() => (window as any).__synced)).toBe(0);
    expect(Math.abs(await offset(page))).toBeLessThan(2000);
  });
});
