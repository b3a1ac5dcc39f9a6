import type { Browser, Locator, Page } from '@playwright/test';
import { expect } from './fixtures.js';

/**
 * How far (seconds) a clock text such as `14:05:09`, `2:05 PM` or `14:05` lies behind the
 * instant `now` in zone `tz`, on a 24-hour circle folded to −12 h…+12 h. A text without
 * seconds stands for its whole minute, so it can lie up to 60 s behind.
 */
export function secondsBehind(text: string, now: number, tz: string): number {
  const m = /(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([AP])\.?M\.?)?/i.exec(text);
  if (!m) throw new Error(`no time of day in "${text}"`);
  let hours = Number(m[1]) % (m[4] ? 12 : 24);
  if (m[4]?.toUpperCase() === 'P') hours += 12;
  const shown = hours * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(now)
    .reduce<Record<string, number>>((o, p) => ({ ...o, [p.type]: Number(p.value) }), {});
  const actual = parts.hour * 3600 + parts.minute * 60 + parts.second;
  return ((((actual - shown) % 86400) + 86400 + 43200) % 86400) - 43200;
}

/**
 * Expects what a visitor sees in a badge: `synced`, and a time of day in `tz` (default: the
 * browser's zone) that is the test machine's clock to within 2 s (to within the minute when
 * `seconds` is false), with a `<time datetime>` that is the start of the shown second (or
 * minute). Text and clock are read in the page in one go.
 */
export async function expectLiveBadge(badge: Locator, { tz, seconds = true }: { tz?: string; seconds?: boolean } = {}) {
  await expect(badge).toHaveAttribute('data-state', 'synced');
  await expect(badge).toBeVisible();
  const time = badge.locator('time');
  await expect(time).toHaveText(seconds ? /\d{1,2}[:.]\d{2}[:.]\d{2}/ : /^\D*\d{1,2}[:.]\d{2}\D*$/);
  // Read again until it holds: on a loaded machine one tick may come late, a wrong clock never right.
  await expect(async () => {
    const read = await time.evaluate((el) => ({
      text: el.textContent ?? '',
      datetime: el.getAttribute('datetime') ?? '',
      now: Date.now(),
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }));
    const behind = secondsBehind(read.text, read.now, tz ?? read.zone);
    if (seconds) expect(Math.abs(behind), `"${read.text}" vs the clock`).toBeLessThanOrEqual(2);
    else expect(behind, `"${read.text}" vs the clock`).toBeGreaterThanOrEqual(-2);
    if (!seconds) expect(behind).toBeLessThan(62);
    // `datetime` is the start of the shown second, or of the shown minute without seconds.
    const at = Date.parse(read.datetime);
    if (seconds) expect(Math.abs(at - read.now)).toBeLessThan(2000);
    else {
      expect(at % 60_000, `${read.datetime} starts a minute`).toBe(0);
      expect(read.now - at, `${read.datetime} vs the clock`).toBeGreaterThanOrEqual(-2000);
      expect(read.now - at, `${read.datetime} vs the clock`).toBeLessThan(62_000);
    }
  }).toPass({ timeout: 5000 });
}

/**
 * The host page's own content as the visitor's DOM holds it: the body's markup without what
 * the widget is documented to add (the hosts' `data-state`, JSONP script tags in flight).
 */
function hostContent(page: Page): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll('[data-state]').forEach((el) => el.removeAttribute('data-state'));
    body.querySelectorAll('script[src*="/v1/time"]').forEach((el) => el.remove());
    return body.outerHTML;
  });
}

/**
 * Expects the page at `url`, once all its badges are synced, to hold exactly the content it
 * holds when the widget's origin cannot be reached: the page as its author made it.
 */
export async function expectHostContentUnchanged(page: Page, browser: Browser, url: string, widgetOrigin: string) {
  const without = await browser.newPage();
  let authored: string;
  try {
    await without.route((u) => u.origin === widgetOrigin, (route) => route.abort());
    await without.goto(url);
    authored = await hostContent(without);
  } finally {
    await without.close();
  }
  await page.goto(url);
  const badges = page.locator('[data-crossclock]');
  await expect(badges.first()).toBeAttached();
  for (const badge of await badges.all()) await expect(badge).toHaveAttribute('data-state', 'synced');
  expect(await hostContent(page)).toBe(authored);
}

/** `url` with its `*.test` host replaced by loopback: Node, unlike the test browser, cannot resolve those names. */
export function viaLoopback(url: string): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  return u.href;
}
