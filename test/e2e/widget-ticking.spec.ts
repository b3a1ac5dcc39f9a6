/// <reference path="../../widget/crossclock.d.ts" />
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

  test('stops while the page is hidden and resyncs when shown again', async ({ page, widget, host }) => {
    await openPaused(page, widget, host, '/hidden');
    const timeRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/time')) timeRequests.push(r.url());
    });
    await page.evaluate(setHidden, true);
    const frozen = await instant(page, '#a');
    await page.clock.runFor(5000);
    expect(await instant(page, '#a')).toBe(frozen);
    expect(timeRequests).toEqual([]);
    await page.evaluate(setHidden, false);
    // Shown again: a new burst of time requests brings the badge back to the server's time
    // (the paused page clock is now seconds ahead of it).
    await expect.poll(() => timeRequests.length).toBeGreaterThan(0);
    await expect.poll(async () => Math.abs((await instant(page, '#a')) - Date.now())).toBeLessThan(2000);
  });
});
