import { expect, recordViolations, test } from './fixtures.js';
import { expectHostContentUnchanged, expectLiveBadge, viaLoopback } from './sites-expect.js';

test.describe('strict: the widget under a strict Content-Security-Policy', () => {
  test("with a nonce and 'strict-dynamic', the loader's badge is live and nothing is blocked", async ({ page, demo, errors }) => {
    const violations = await recordViolations(page);
    const response = await page.goto(demo.urls.strict + '/');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
    await expectLiveBadge(page.locator('#clock'), { tz: 'UTC' });
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the nonce is new on every response', async ({ request, demo }) => {
    const nonce = async () =>
      /'nonce-([^']+)'/.exec((await request.get(viaLoopback(demo.urls.strict + '/'))).headers()['content-security-policy'])?.[1];
    const [a, b] = [await nonce(), await nonce()];
    expect(a).toMatch(/^[A-Za-z0-9+/]{20,}=*$/);
    expect(b).not.toBe(a);
  });

  test('with an allowlist naming only the widget origin, the single tag’s badge is live and nothing is blocked', async ({ page, demo, errors }) => {
    const violations = await recordViolations(page);
    const response = await page.goto(demo.urls.strict + '/allowlist.html');
    const widgetOrigin = new URL(demo.urls['widget server']).origin;
    expect(response?.headers()['content-security-policy']).toContain(`script-src ${widgetOrigin}; style-src 'self'`);
    await expectLiveBadge(page.locator('#clock'), { tz: 'Asia/Kolkata' });
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the policy is really enforced: a script from elsewhere is refused and reported', async ({ page, demo }) => {
    const violations = await recordViolations(page);
    await page.goto(demo.urls.strict + '/allowlist.html');
    await page.evaluate((src) => {
      const s = document.createElement('script');
      s.src = src;
      document.head.append(s);
    }, demo.urls.news + '/elsewhere.js');
    await expect.poll(violations).toEqual([`script-src-elem ${demo.urls.news}/elsewhere.js`]);
  });

  for (const path of ['/', '/allowlist.html']) {
    test(`leaves the page’s own content as its author wrote it (${path})`, async ({ page, browser, demo }) => {
      await expectHostContentUnchanged(page, browser, demo.urls.strict + path, new URL(demo.urls['widget server']).origin);
    });
  }
});
