import type { Page } from '@playwright/test';
import { serve, type Served } from '../support/http.js';
import { expect, recordViolations, test } from './fixtures.js';
import { expectLiveBadge } from './sites-expect.js';

/** A blank host site on its own origin: `/paste` has a text box, `/` serves whatever was pasted there. */
async function blankSite(): Promise<Served & { origin: string; pasted: { html: string } }> {
  const pasted = { html: '' };
  const served = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (req.url === '/paste') res.end('<!doctype html><title>paste</title><textarea id="paste" aria-label="paste here"></textarea>');
    else res.end(`<!doctype html><html lang="en"><head><title>blank</title></head><body>\n${pasted.html}\n</body></html>`);
  });
  return { ...served, origin: `http://blank.test:${new URL(served.url).port}`, pasted };
}

/** The configurator, opened with its CSP violations and errors watched. */
async function openConfigurator(page: Page, url: string) {
  const violations = await recordViolations(page);
  const response = await page.goto(url);
  await expect(page.locator('#snippet-tag')).toContainText('<script');
  return { violations, csp: response?.headers()['content-security-policy'] ?? '' };
}

test.describe('the embed configurator at /', () => {
  test('shows a live preview badge and three snippets under its own strict CSP, with no errors', async ({ page, demo, errors }) => {
    const { violations, csp } = await openConfigurator(page, demo.urls['widget server'] + '/');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    await expectLiveBadge(page.locator('#preview [data-state]'));
    await expect(page.locator('#snippets-note')).toBeEmpty();
    const widget = demo.urls['widget server'];
    await expect(page.locator('#snippet-loader')).toContainText(`${widget}/`);
    await expect(page.locator('#snippet-loader')).toContainText(/^<span data-crossclock><\/span>\n<script>[\s\S]+<\/script>$/);
    await expect(page.locator('#snippet-tag')).toContainText(`<script async src="${widget}/v1/crossclock.js"></script>`);
    await expect(page.locator('#snippet-sri')).toContainText(/src="[^"]+\/v1\/crossclock\.[0-9a-f]+\.js" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous"/);
    for (const id of ['#snippet-loader', '#snippet-tag', '#snippet-sri']) await expect(page.locator(id)).toContainText('<span data-crossclock></span>');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('changing the controls by keyboard updates the preview and every snippet', async ({ page, demo, errors }) => {
    await openConfigurator(page, demo.urls['widget server'] + '/');
    await page.locator('#tz-filter').focus();
    await page.keyboard.type('tokyo');
    await expect(page.locator('#tz option')).toHaveText(['Asia/Tokyo'.replace('_', ' ')]);
    await page.keyboard.press('Enter');
    await page.getByLabel('24-hour').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Show seconds').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Label').focus();
    await page.keyboard.type('Tokyo "office"');

    const badge = page.locator('#preview [data-state]');
    await expectLiveBadge(badge, { tz: 'Asia/Tokyo', seconds: false });
    await expect(badge.locator('time')).toHaveText(/^\d{2}:\d{2}$/);
    await expect(badge).toContainText('Tokyo "office"');
    const element = '<span data-crossclock data-tz="Asia/Tokyo" data-format="24h" data-seconds="false" data-theme="dark" data-label="Tokyo &quot;office&quot;"></span>';
    for (const id of ['#snippet-loader', '#snippet-tag', '#snippet-sri']) await expect(page.locator(id)).toContainText(element);
    expect(errors).toEqual([]);
  });

  test('an unknown locale is pointed out and left out of the snippet', async ({ page, demo }) => {
    await openConfigurator(page, demo.urls['widget server'] + '/');
    await page.getByLabel('Locale', { exact: true }).fill('xx-not-a-locale');
    await expect(page.locator('#locale-problem')).toContainText('is not a locale this browser knows');
    await expect(page.locator('#snippet-tag')).not.toContainText('data-locale');
    await page.getByLabel('Locale', { exact: true }).fill('de-DE');
    await expect(page.locator('#locale-problem')).toHaveText('');
    await expect(page.locator('#snippet-tag')).toContainText('data-locale="de-DE"');
  });

  test('opened at another address of the server than its public URL: the preview syncs under the CSP, and the page says where the snippets point', async ({ page, demo, errors }) => {
    const widget = demo.urls['widget server'];
    const other = `http://127.0.0.1:${new URL(widget).port}/`;
    const { violations } = await openConfigurator(page, other);
    await expectLiveBadge(page.locator('#preview [data-state]'));
    await expect(page.locator('#snippets-note')).toContainText(`load the widget from ${widget}, not from this page's address (http://127.0.0.1:`);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('"Countdown to…" turns a date, time and zone into data-until with that zone’s offset, previewed live', async ({ page, demo, errors }) => {
    await openConfigurator(page, demo.urls['widget server'] + '/');
    await page.getByLabel('Countdown to…').check();
    await expect(page.getByLabel('24-hour')).toBeDisabled();
    await page.locator('#tz-filter').fill('tokyo');
    await page.keyboard.press('Enter');
    // Two days and a bit from now, read on Tokyo's clocks (UTC+9 all year).
    const at = new Date(Date.now() + 2 * 86_400_000 + 3_600_000);
    const tokyo = new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel('Date and time, in the time zone below').fill(tokyo);
    await page.getByLabel('Text once it ends (optional)').fill('Sold out');
    const element = `<span data-crossclock data-until="${tokyo}:00+09:00" data-ended="Sold out"></span>`;
    for (const id of ['#snippet-loader', '#snippet-tag', '#snippet-sri']) await expect(page.locator(id)).toContainText(element);
    // The preview counts down to that instant: two days and some hours, in the badge's digital style.
    const badge = page.locator('#preview [data-state]');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    await expect(badge.locator('time')).toHaveAttribute('datetime', /^P2DT0H\d+M\d+S$/);
    await expect(badge.locator('time')).toHaveText(/^2\D+00:\d\d:\d\d$/);

    // Berlin in July is on summer time: the offset follows the zone's rules for that date.
    await page.locator('#tz-filter').fill('berlin');
    await page.keyboard.press('Enter');
    await page.getByLabel('Date and time, in the time zone below').fill('2031-07-01T12:00');
    await expect(page.locator('#snippet-tag')).toContainText('data-until="2031-07-01T12:00:00+02:00"');
    await page.getByLabel('Date and time, in the time zone below').fill('2031-01-01T12:00');
    await expect(page.locator('#snippet-tag')).toContainText('data-until="2031-01-01T12:00:00+01:00"');
    await expect(page.locator('#snippet-tag')).not.toContainText('data-tz');

    // 02:30 on New York's spring-forward night never shows on its clocks: the instant just after the gap.
    await page.locator('#tz-filter').fill('new york');
    await page.keyboard.press('Enter');
    await page.getByLabel('Date and time, in the time zone below').fill('2031-03-09T02:30');
    await expect(page.locator('#snippet-tag')).toContainText('data-until="2031-03-09T03:30:00-04:00"');
    // A label the widget would refuse (a pasted paragraph separator) is pointed out and left out.
    await page.getByLabel('Label').fill('Sale\u2029ends');
    await expect(page.locator('#label-problem')).toContainText('left out');
    await expect(page.locator('#snippet-tag')).not.toContainText('data-label');
    expect(errors).toEqual([]);
  });

  for (const form of ['loader', 'tag', 'sri'] as const) {
    test(`the copied ${form} snippet, pasted into a blank page on another origin, shows the configured badge`, async ({ page, demo, errors }) => {
      const blank = await blankSite();
      try {
        await openConfigurator(page, demo.urls['widget server'] + '/');
        await page.locator('#tz-filter').fill('new york');
        await page.keyboard.press('Enter');
        await page.getByLabel('12-hour').check();
        await expect(page.locator(`#snippet-${form}`)).toContainText('data-tz="America/New_York"');
        await page.locator(`button[data-copy="snippet-${form}"]`).click();
        await expect(page.locator(`article[data-form=${form}] [role=status]`)).toHaveText('Copied.');

        await page.goto(blank.origin + '/paste');
        await page.locator('#paste').focus();
        await page.keyboard.press('ControlOrMeta+V');
        blank.pasted.html = await page.locator('#paste').inputValue();
        expect(blank.pasted.html).toContain('data-tz="America/New_York"');

        await page.goto(blank.origin + '/');
        const badge = page.locator('[data-crossclock]');
        await expectLiveBadge(badge, { tz: 'America/New_York' });
        await expect(badge.locator('time')).toHaveText(/\b(AM|PM)\b/i);
        expect(errors).toEqual([]);
      } finally {
        await blank.close();
      }
    });
  }
});
