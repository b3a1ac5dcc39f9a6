import { expect, test } from './fixtures.js';

/** Expects `strTime` text (Date#toString, whole seconds) within 2 s of the test machine's clock. */
async function expectServerTime(text: string | null) {
  const shown = Date.parse(text ?? '');
  expect(shown, `"${text}" is a date`).not.toBeNaN();
  expect(Math.abs(Date.now() - shown)).toBeLessThanOrEqual(2000);
}

test.describe("seed: the article's own JSONP clients against /getTime", () => {
  test('the vanilla page shows strTime after the button press, and keeps its page', async ({ page, demo, errors }) => {
    const widgetOrigin = new URL(demo.urls['widget server']).origin;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(widgetOrigin)) requests.push(`${r.resourceType()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
    });
    await page.goto(demo.urls.seed + '/');
    await expect(page.locator('#time')).toHaveText('(press the button)');
    await page.getByRole('button', { name: 'Get the server time' }).click();
    await expect(page.locator('#time')).not.toHaveText('(press the button)');
    await expectServerTime(await page.locator('#time').textContent());
    expect(requests).toEqual(['script /getTime?callback=getTimeComplete']);
    // createElement('script'), not document.write: the page and its button are still there.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Getting the server's time by JSONP, by hand");
    await expect(page.locator('script[src*="/getTime"]')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('the jQuery page shows strTime through $.ajax JSONP, with jQuery served by the site', async ({ page, demo, errors }) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(demo.urls.seed + '/jquery.html');
    await page.getByRole('button', { name: 'Get the server time' }).click();
    await expect(page.locator('#time')).not.toHaveText('(press the button)');
    await expectServerTime(await page.locator('#time').textContent());
    expect(scripts[0]).toBe(demo.urls.seed + '/jquery.min.js');
    expect(scripts[1]).toMatch(new RegExp(`^${demo.urls['widget server']}/getTime\\?callback=jQuery\\w+&_=\\d+$`));
    expect(errors).toEqual([]);
  });
});
