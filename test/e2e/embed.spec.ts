import { badgeInstant, expect, test } from './fixtures.js';

// The news page carries the loader snippet as the server hands it out: its badge element has no id.
const NEWS_BADGE = 'header [data-crossclock]';

test.describe('single-tag embed on a host page of another origin', () => {
  test('shows the server time, synced, within 2 s of the real clock', async ({ page, demo, errors }) => {
    const widgetOrigin = new URL(demo.urls['widget server']).origin;
    const jsonpScripts: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(widgetOrigin + '/v1/time')) jsonpScripts.push(r.resourceType());
    });
    await page.goto(demo.urls.news + '/');
    expect(new URL(page.url()).origin).not.toBe(widgetOrigin);

    const badge = page.locator(NEWS_BADGE);
    await expect(badge).toHaveAttribute('data-state', 'synced');
    await expect(badge.locator('time')).toHaveText(/\d{1,2}:\d{2}:\d{2}/);
    expect(Math.abs((await badgeInstant(page, NEWS_BADGE)) - Date.now())).toBeLessThan(2000);
    // The data came by JSONP: script requests to the widget origin, no fetch/XHR/iframe.
    expect(jsonpScripts.length).toBeGreaterThan(0);
    expect(new Set(jsonpScripts)).toEqual(new Set(['script']));
    expect(errors).toEqual([]);
  });

  test('ticks every second', async ({ page, demo }) => {
    await page.goto(demo.urls.news + '/');
    const time = page.locator(NEWS_BADGE + ' time');
    await expect(page.locator(NEWS_BADGE)).toHaveAttribute('data-state', 'synced');
    // Text and instant read in one go: a tick between two separate reads would pair one
    // second's text with the next second's instant.
    const read = () => time.evaluate((t: HTMLTimeElement) => [t.textContent, t.dateTime]);
    const [firstText, firstIso] = await read();
    await expect(time).not.toHaveAttribute('datetime', firstIso);
    const [nextText, nextIso] = await read();
    expect(nextText).not.toBe(firstText);
    expect(Date.parse(nextIso) - Date.parse(firstIso)).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(nextIso) - Date.parse(firstIso)).toBeLessThan(2100);
  });

  test('turns every data-crossclock element into its own badge', async ({ page, demo, errors }) => {
    await page.goto(demo.urls.shop + '/');
    const badges = page.locator('[data-crossclock]');
    // Four clocks and the sale countdown.
    await expect(badges).toHaveCount(5);
    for (const badge of await badges.all()) {
      await expect(badge).toHaveAttribute('data-state', 'synced');
      await expect(badge.locator('time')).toHaveText(/\d{1,2}:\d{2}/);
    }
    // Berlin is shown without seconds, New York in 12-hour form.
    await expect(page.locator('#berlin time')).toHaveText(/^\d{2}:\d{2}$/);
    await expect(page.locator('#new-york time')).toHaveText(/(AM|PM)/);
    expect(errors).toEqual([]);
  });
});

test.describe('the IFRAME way, for comparison', () => {
  test('a frame of another origin is blocked from its parent while the JSONP badge works', async ({ page, demo }) => {
    await page.goto(demo.urls.iframe + '/');
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#error')).toHaveText(/Blocked a frame with origin "http:\/\/frame\.test:\d+" from accessing a cross-origin frame/);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
  });
});
