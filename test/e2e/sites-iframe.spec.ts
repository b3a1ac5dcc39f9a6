import { expect, test } from './fixtures.js';
import { expectHostContentUnchanged, expectLiveBadge } from './sites-expect.js';

test.describe('iframe: the IFRAME way fails where JSONP works', () => {
  test("the frame shows the browser's own error while the JSONP badge beside it is live", async ({ page, demo, errors }) => {
    await page.goto(demo.urls.iframe + '/');
    const frameOrigin = new URL(demo.urls.frame).origin;
    // Chromium's exact words when a frame reaches into a parent of another origin.
    await expect(page.frameLocator('#frame').locator('#error')).toHaveText(
      `SecurityError: Failed to read a named property 'document' from 'Window': Blocked a frame with origin "${frameOrigin}" from accessing a cross-origin frame.`,
    );
    await expectLiveBadge(page.locator('#clock'));
    expect(errors).toEqual([]);
  });

  test('leaves the page’s own content as its author wrote it', async ({ page, browser, demo }) => {
    await expectHostContentUnchanged(page, browser, demo.urls.iframe + '/', new URL(demo.urls['widget server']).origin);
  });
});
