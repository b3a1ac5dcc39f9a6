import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectLiveBadge, expectHostContentUnchanged } from './sites-expect.js';

/** What a badge looks like: its visible box's height and the computed style of its parts. */
const looks = (badge: Locator) =>
  badge.evaluate((host) => {
    const style = (el: Element) => {
      const s = getComputedStyle(el);
      return [s.display, s.visibility, s.fontFamily, s.fontSize, s.fontWeight, s.color, s.backgroundColor, s.letterSpacing, s.padding, s.borderTopWidth].join('|');
    };
    // The visible box is the shadow root's first element; the host itself is transparent.
    const parts = [...host.shadowRoot!.querySelectorAll('*')];
    const r = parts[0].getBoundingClientRect();
    return { height: Math.round(r.height), host: style(host), parts: parts.map(style) };
  });

test.describe('shop: single tag, three clocks and a sale countdown, a hostile stylesheet', () => {
  test('shows three live badges in their zones and formats, with no errors', async ({ page, demo, errors }) => {
    await page.goto(demo.urls.shop + '/');
    await expect(page.locator('[data-crossclock]')).toHaveCount(5);
    await expectLiveBadge(page.locator('#tokyo'), { tz: 'Asia/Tokyo' });
    await expectLiveBadge(page.locator('#new-york'), { tz: 'America/New_York' });
    await expectLiveBadge(page.locator('#berlin'), { tz: 'Europe/Berlin', seconds: false });
    await expect(page.locator('#tokyo time')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(page.locator('#new-york time')).toHaveText(/\b(AM|PM)\b/i);
    await expect(page.locator('#tokyo')).toContainText('Tokyo');
    expect(errors).toEqual([]);
  });

  test('counts down to the sale’s end at midnight UTC, next to a UTC clock that agrees with it', async ({ page, demo, errors }) => {
    await page.goto(demo.urls.shop + '/');
    const countdown = page.locator('#sale-countdown');
    await expect(countdown).toHaveAttribute('data-state', 'synced');
    await expectLiveBadge(page.locator('#sale-clock'), { tz: 'UTC' });
    await expect(countdown).toContainText('Ends in');
    // The clock's time of day and the time left add up to midnight: both come from the same synchronised clock.
    await expect(async () => {
      const [clock, left] = await Promise.all(['#sale-clock', '#sale-countdown'].map((id) => page.locator(`${id} time`).getAttribute('datetime')));
      const m = /^PT(\d+)H(\d+)M(\d+)S$/.exec(left ?? '')!;
      expect(m, `${left} is under a day`).toBeTruthy();
      const secondsLeft = (Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]);
      const secondOfDay = (Date.parse(clock ?? '') % 86_400_000) / 1000;
      expect(secondsLeft + secondOfDay).toBe(86_400);
    }).toPass({ timeout: 5000 });
    await expect(countdown.locator('time')).toHaveText(/^\d\d:\d\d:\d\d$/);
    expect(errors).toEqual([]);
  });

  test('badges look exactly the same with and without the hostile stylesheet', async ({ page, demo }) => {
    await page.goto(demo.urls.shop + '/');
    const badges = ['#tokyo', '#new-york', '#berlin'].map((id) => page.locator(id));
    for (const badge of badges) await expect(badge).toHaveAttribute('data-state', 'synced');
    // The stylesheet really is in force: the page's own headline is giant and magenta.
    await expect(page.locator('h1')).toHaveCSS('font-size', '48px');
    const hostile = await Promise.all(badges.map(looks));
    await page.locator('#hostile').evaluate((link: HTMLLinkElement) => (link.disabled = true));
    await expect(page.locator('h1')).not.toHaveCSS('font-size', '48px');
    expect(await Promise.all(badges.map(looks))).toEqual(hostile);
    for (const badge of badges) await expect(badge).toBeVisible();
  });

  test('leaves the page’s own content as its author wrote it', async ({ page, browser, demo }) => {
    await expectHostContentUnchanged(page, browser, demo.urls.shop + '/', new URL(demo.urls['widget server']).origin);
  });
});
