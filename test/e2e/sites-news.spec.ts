import { expect, test } from './fixtures.js';
import { expectLiveBadge, expectHostContentUnchanged, viaLoopback } from './sites-expect.js';

test.describe('news: the copy-paste loader snippet', () => {
  test('shows one live badge in the header, in the reader’s zone, with no errors', async ({ page, demo, errors }) => {
    await page.goto(demo.urls.news + '/');
    await expect(page.locator('[data-crossclock]')).toHaveCount(1);
    await expectLiveBadge(page.locator('header [data-crossclock]'));
    expect(errors).toEqual([]);
  });

  test('carries the snippet exactly as GET /v1/snippet?form=loader hands it out', async ({ page, demo, request }) => {
    const served = await (await request.get(viaLoopback(demo.urls['widget server'] + '/v1/snippet?form=loader'))).text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(served)?.[1];
    expect(script).toContain(demo.urls['widget server']);
    await page.goto(demo.urls.news + '/');
    await expect(page.locator('header script')).toHaveCount(1);
    expect(await page.locator('header script').evaluate((s) => s.textContent)).toBe(script);
  });

  test('leaves the page’s own content as its author wrote it', async ({ page, browser, demo }) => {
    await expectHostContentUnchanged(page, browser, demo.urls.news + '/', new URL(demo.urls['widget server']).origin);
  });
});
