/// <reference path="../../widget/crossclock.d.ts" />
import type { Page } from '@playwright/test';
import { SHOWN_RESYNC_MS } from '../../widget/src/sync.js';
import { expect, instant, openPaused, setHidden, test } from './widget-fixtures.js';

test.describe('ticking', () => {
  test('advances one second per second of synchronised time', async ({ page, widget, host }) => {
    await openPaused(page, widget, host, '/tick');
    const first = await instant(page, '#a');
    await page.clock.runFor(10_000);
    // Ten seconds later by the page's clock, the badge shows exactly ten seconds more.
    expect((await instant(page, '#a')) - first).toBe(10_000);
  });

  test('changes the text within 25 ms after each second boundary of synchronised time', async ({ page, widget, host }) => {
    await openPaused(page, widget, host, '/boundary');
    for (let i = 0; i < 3; i++) {
      const synced = await page.evaluate(() => crossclock.now!());
      const toBoundary = Math.floor(1000 - (synced % 1000));
      if (toBoundary < 2) {
        // Too close to call: try from the next second.
        await page.clock.runFor(50);
        continue;
      }
      const second = synced - (synced % 1000);
      await page.clock.runFor(toBoundary - 1);
      expect(await instant(page, '#a')).toBe(second);
      await page.clock.runFor(26);
      expect(await instant(page, '#a')).toBe(second + 1000);
    }
  });

  test('a page changing its DOM all the time (a live feed) renders its badges only when they tick, and never while hidden', async ({ page, widget, host }) => {
    // Counts the badge's renders: each formats the time once, with the formatter Intl gives it.
    await page.addInitScript(() => {
      const w = window as unknown as { renders: number };
      w.renders = 0;
      const format = Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format')!;
      Object.defineProperty(Intl.DateTimeFormat.prototype, 'format', {
        ...format,
        get() {
          const f = format.get!.call(this);
          return (t?: number) => (w.renders++, f(t));
        },
      });
    });
    await openPaused(page, widget, host, '/live-feed');
    const renders = () => page.evaluate(() => (window as unknown as { renders: number }).renders);
    // Twenty changes, each its own task and so its own batch for the widget's observer: a
    // feed appending an item, then one replacing an item (a removal and an addition).
    const feed = async () => {
      for (let i = 0; i < 10; i++) await page.evaluate(() => document.body.append(document.createElement('p')));
      for (let i = 0; i < 10; i++) await page.evaluate(() => document.body.lastElementChild!.replaceWith(document.createElement('p')));
    };
    // The control: the clock is paused, yet a tick renders and is counted.
    let before = await renders();
    await page.clock.runFor(1000);
    expect(await renders()).toBeGreaterThan(before);
    before = await renders();
    await feed();
    expect(await renders()).toBe(before);
    // The ticker was set again on every change, never lost: the next second shows on time.
    const synced = await page.evaluate(() => crossclock.now!());
    await page.clock.runFor(1000 - (synced % 1000) + 25);
    expect(await instant(page, '#a')).toBe(synced - (synced % 1000) + 1000);
    await page.evaluate(setHidden, true);
    before = await renders();
    await feed();
    expect(await renders()).toBe(before);
  });

  /** Every time request `page` makes from now on, by URL, as they go out. */
  const recordTimeRequests = (page: Page) => {
    const urls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/time')) urls.push(r.url());
    });
    return urls;
  };

  /** In the page: shows it again, and says how many time requests that started (their tags go in at once). */
  const showAndCountRequests = (setHiddenSource: string) => {
    new Function(`(${setHiddenSource})(false)`)();
    return document.querySelectorAll('script[src*="/v1/time?"]').length;
  };

  test('stops while the page is hidden; shown again within a minute of its last burst, ticks on and asks nothing', async ({ page, widget, host }) => {
    await openPaused(page, widget, host, '/hidden');
    const timeRequests = recordTimeRequests(page);
    await page.evaluate(setHidden, true);
    const frozen = await instant(page, '#a');
    await page.clock.runFor(5000);
    expect(await instant(page, '#a')).toBe(frozen);
    // Switching tabs back and forth costs the server nothing: the clock kept running.
    expect(await page.evaluate(showAndCountRequests, setHidden.toString())).toBe(0);
    await page.clock.runFor(1000);
    // Ticking again, on the second of synchronised time.
    const synced = await page.evaluate(() => crossclock.now!());
    expect(await instant(page, '#a')).toBe(synced - (synced % 1000));
    expect(await instant(page, '#a')).toBeGreaterThan(frozen);
    expect(timeRequests).toEqual([]);
  });

  test(`shown again ${SHOWN_RESYNC_MS / 1000} s or more after its last burst, resyncs`, async ({ page, widget, host }) => {
    await openPaused(page, widget, host, '/hidden-long');
    const timeRequests = recordTimeRequests(page);
    await page.evaluate(setHidden, true);
    await page.clock.runFor(SHOWN_RESYNC_MS);
    expect(timeRequests).toEqual([]);
    expect(await page.evaluate(showAndCountRequests, setHidden.toString())).toBe(1);
    // The burst brings the badge back to the server's time (the paused page clock ran a
    // minute ahead of it).
    await expect.poll(() => timeRequests.length).toBeGreaterThan(1);
    await expect.poll(async () => Math.abs((await instant(page, '#a')) - Date.now())).toBeLessThan(2000);
  });
});
