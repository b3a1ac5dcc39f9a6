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

test.describe('shop: single tag, three badges, a hostile stylesheet', () => {
  test('shows three live badges in their zones and formats, with no errors', async ({ page, demo, errors }) => {
    await page.goto(demo.urls.shop + '/');
    await expect(page.locator('[data-crossclock]')).toHaveCount(3);
    await expectLiveBadge(page.locator('#tokyo'), { tz: 'Asia/Tokyo' });
    await expectLiveBadge(page.locator('#new-york'), { tz: 'America/New_York' });
    await expectLiveBadge(page.locator('#berlin'), { tz: 'Europe/Berlin', seconds: false });
    await expect(page.locator('#tokyo time')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(page.locator('#new-york time')).toHaveText(/\b(AM|PM)\b/i);
    await expect(page.locator('#tokyo')).toContainText('Tokyo');
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
