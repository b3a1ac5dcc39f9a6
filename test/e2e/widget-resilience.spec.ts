/// <reference path="../../widget/crossclock.d.ts" />
import { ownContent, snippet } from '../support/host-pages.js';
import { deviceSleeps, installSleep } from '../support/visibility.js';
import { startWidgetServer, type WidgetServer } from '../support/widget-server.js';
import { TIMEOUT_MS } from '../../widget/src/jsonp.js';
import { BURST } from '../../widget/src/sync.js';
import { badgeText, expect, html, instant, showsZone, tagPage, test } from './widget-fixtures.js';

/** A widget server of this test's own, which it may kill and bring back. */
const ownServer = test.extend<{ server: WidgetServer }>({
  server: async ({}, use) => {
    const server = await startWidgetServer();
    await use(server);
    await server.kill();
  },
});

/** Counts `crossclock:<name>` events on the badge `#a` into `window.__events`. */
const countEvents = () => {
  (window as any).__events = [];
  document.addEventListener('DOMContentLoaded', () => {
    for (const name of ['sync', 'offline'])
      document.querySelector('#a')!.addEventListener('crossclock:' + name, () => (window as any).__events.push(name));
  });
};

test.describe('when the server cannot be reached', () => {
  ownServer('down at load: shows local time marked unsynced, then recovers by itself', async ({ page, server, host, errors }) => {
    const url = tagPage(host, server, '/down-at-load');
    // A first visit caches the bundle, as a CDN copy would be; then the server goes away.
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await server.kill();

    const later = await page.context().newPage();
    await later.addInitScript(countEvents);
    await later.goto(url);
    const badge = later.locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'offline');
    expect(await badgeText(later, '#a')).toMatch(/\d:\d\d:\d\d( [AP]M)? \u26a0 unsynced$/);
    // Local time, still ticking.
    const shown = await badge.locator('time').textContent();
    await expect(badge.locator('time')).not.toHaveText(shown!);
    expect(await later.evaluate(() => (window as any).__events)).toContain('offline');

    await server.restart();
    await expect(badge).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
    expect(await badgeText(later, '#a')).not.toContain('unsynced');
    expect(await later.evaluate(() => (window as any).__events)).toContain('sync');
    // Failed loads are the browser's own console errors; the widget adds none.
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await later.close();
  });

  test('a badge rendered again while offline keeps its unsynced mark', async ({ page, widget, host }) => {
    // Every time request fails: the badge is offline from its first sync on.
    await page.route('**/v1/time?*', (route) => route.abort());
    await page.goto(tagPage(host, widget, '/offline-option'));
    const badge = page.locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'offline');
    expect(await badgeText(page, '#a')).toMatch(/\u26a0 unsynced$/);
    // A changed option renders the badge again, still offline.
    await badge.evaluate((el) => (el.dataset.label = 'Office'));
    await expect.poll(() => badgeText(page, '#a')).toMatch(/^Office \d/);
    // Ticks later, still marked: its host's data-state never changed.
    const shown = await badge.locator('time').textContent();
    await expect(badge.locator('time')).not.toHaveText(shown!);
    expect(await badgeText(page, '#a')).toMatch(/^Office \d\d?:\d\d:\d\d( [AP]M)? \u26a0 unsynced$/);
  });

  ownServer('dying mid-session: goes offline at the next resync and comes back with the server', async ({ page, server, host }) => {
    await page.clock.install();
    await page.addInitScript(countEvents);
    const url = tagPage(host, server, '/dies');
    await page.goto(url);
    const badge = page.locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    await server.kill();
    // Ten minutes on: the periodic resync finds no server.
    await page.clock.fastForward('10:00');
    await expect(badge).toHaveAttribute('data-state', 'offline');
    await expect.poll(() => page.evaluate(() => (window as any).__events.at(-1))).toBe('offline');

    await server.restart();
    // The capped backoff retries within a minute.
    await page.clock.fastForward('01:00');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    await expect.poll(() => page.evaluate(() => (window as any).__events.at(-1))).toBe('sync');
  });
});

test.describe('an answer that comes after its timeout', () => {
  test("is dropped without an error, even where the page's own remove() throws on a detached tag", async ({ page, widget, host, errors }) => {
    // The old, widely copied polyfill, still on many pages: it throws on an element that is
    // not in the document, where the native `remove` does nothing.
    const head = '<script>Element.prototype.remove = function () { this.parentElement.removeChild(this); };</script>';
    const url = host.page('/late-answer', {
      html: html(`<span data-crossclock id="a"></span><script async src="${widget.url}/v1/crossclock.js"></script>`, head),
    });
    // The first time request is held until the widget has given up on it.
    let asked!: () => void;
    const requested = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    await page.route('**/v1/time?*', async (route) => {
      if (first) {
        first = false;
        asked();
        await released;
      }
      await route.continue();
    });
    // Paused: the widget's timers (its timeout, then its retry) fire only when the test says.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
    // The held request delays the page's `load` event.
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await requested;
    await page.clock.fastForward(TIMEOUT_MS);
    const badge = page.locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'offline');

    // Notes when the late answer has run; its tag's `load` fires in the same task.
    await page.evaluate(() => {
      // The bundle's own callback (not part of the public API): every time answer calls it.
      const api = window.crossclock as unknown as { t: (data: unknown) => void };
      const receive = api.t;
      api.t = (data) => {
        (window as any).__late = true;
        receive(data);
      };
    });
    release();
    await expect.poll(() => page.evaluate(() => (window as any).__late)).toBe(true);
    expect(errors).toEqual([]);
    // The late answer was not taken for a sample: the badge is offline until the retry.
    await expect(badge).toHaveAttribute('data-state', 'offline');
    await page.clock.fastForward('01:00');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    expect(errors).toEqual([]);
  });
});

test.describe('when the device sleeps', () => {
  test('resyncs as soon as the wall clock has run ahead of the monotonic clock', async ({ page, widget, host }) => {
    await page.addInitScript(installSleep);
    let answered = 0;
    page.on('requestfinished', (r) => {
      if (r.url().includes('/v1/time')) answered++;
    });
    await page.goto(tagPage(host, widget, '/sleep'));
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await expect.poll(() => answered).toBe(BURST);
    await page.evaluate(deviceSleeps, 60_000);
    // No visibility change and no periodic resync due: only the jump can trigger this burst.
    await expect.poll(() => answered).toBe(2 * BURST);
    await expect.poll(async () => Math.abs((await instant(page, '#a')) - Date.now())).toBeLessThan(2000);
  });
});

test.describe('on a page whose Object.prototype was polluted', () => {
  // A careless query-string parser (`?__proto__[label]=…`) or merge sets properties on
  // Object.prototype; options are read from `dataset` and the API's object, which inherit them.
  test('limitation: a badge without its own label or zone takes the polluted ones, shown as text only', async ({ page, widget, host, errors }) => {
    const head = `<script>Object.prototype.label = '<img src=x id=injected>Call 555-0100'; Object.prototype.tz = 'Asia/Tokyo';</script>`;
    const url = host.page('/polluted', {
      html: html(`<span data-crossclock id="a"></span><span data-crossclock id="b" data-label="London" data-tz="Europe/London"></span><script async src="${widget.url}/v1/crossclock.js"></script>`, head),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    // The polluted label and zone are taken: what this test holds until options are read as own properties only.
    expect(await badgeText(page, '#a')).toMatch(/^<img src=x id=injected>Call 555-0100 \d/);
    await expect.poll(() => showsZone(page, '#a', 'Asia/Tokyo')).toBe(true);
    // Never as markup, and a badge's own options win.
    expect(await page.locator('#a').evaluate((el) => el.shadowRoot!.querySelector('img'))).toBe(null);
    expect(await badgeText(page, '#b')).toMatch(/^London \d/);
    await expect.poll(() => showsZone(page, '#b', 'Europe/London')).toBe(true);
    expect(errors).toEqual([]);
  });
});

/**
 * Engines that parse the bundle but cannot make a badge's style sheet, as still found on
 * devices that no longer update: Safari 14.1 to 16.3 and Firefox 79 to 100 parse it (see
 * test/unit/syntax-floor.test.ts) but construct no `CSSStyleSheet` (MDN's compatibility
 * data). The constructor is taken away before the page runs. Such a visitor reads each
 * element's own content, its fallback text, as where no script runs; the page gets one
 * warning per badge and nothing thrown.
 */
const withoutConstructedSheets = () => {
  window.CSSStyleSheet = new Proxy(CSSStyleSheet, {
    construct() {
      throw new TypeError('Illegal constructor');
    },
  });
};

test.describe('in an engine without constructed style sheets (Safari before 16.4, Firefox before 101)', () => {
  for (const form of ['tag', 'loader'] as const) {
    test(`${form}: each element keeps its fallback text, one warning each, nothing thrown`, async ({ page, widget, host, errors, warnings }) => {
      await page.addInitScript(withoutConstructedSheets);
      const badges = '<p><span data-crossclock id="a">Tokyo office</span> <span data-crossclock id="b" data-tz="Europe/London">London office</span></p>';
      const embed = form === 'tag' ? `<script async src="${widget.url}/v1/crossclock.js"></script>` : `<script>${snippet(widget.url)}</script>`;
      await page.goto(host.page(`/no-constructed-sheets/${form}`, { html: html(badges + embed) }));
      // Both badges are adopted together at start: their two warnings come at once.
      await expect.poll(() => warnings.length).toBe(2);
      // Each shadow root holds only its <slot>: no text of a badge, and the fallback laid out.
      for (const id of ['#a', '#b']) expect(await page.evaluate(ownContent, id)).toEqual({ fallbackBoxes: 1, badge: '', state: null });
      // The bundle itself ran (its API is there), and each warning says what failed.
      expect(await page.evaluate(() => typeof window.crossclock?.now)).toBe('function');
      for (const w of warnings) expect(w).toMatch(/^crossclock: TypeError: Illegal constructor/);
      expect(errors).toEqual([]);
    });
  }
});
