import { contrast } from '../support/contrast.js';
import { snippet } from '../support/host-pages.js';
import { recordViolations } from './fixtures.js';
import { badgeText, expect, html, tagPage, test } from './widget-fixtures.js';

test.describe('under a strict CSP', () => {
  test("nonce + 'strict-dynamic' with the loader snippet: works with no violation", async ({ page, widget, host, errors }) => {
    const violations = await recordViolations(page);
    const url = host.page('/csp-nonce', {
      headers: {
        'content-security-policy': "default-src 'none'; script-src 'nonce-r4nd0m' 'strict-dynamic'; style-src 'none'; img-src 'none'",
      },
      html: html(`<span id="clock"></span><script nonce="r4nd0m">${snippet(widget.url)}crossclock('badge', {target: '#clock'});</script>`),
    });
    await page.goto(url);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    await expect(page.locator('#clock time')).toHaveText(/\d:\d\d:\d\d/);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("nonce without 'strict-dynamic' on the single tag: the nonce is copied onto the JSONP tags", async ({ page, widget, host, errors }) => {
    const violations = await recordViolations(page);
    const url = host.page('/csp-nonce-only', {
      headers: { 'content-security-policy': "default-src 'none'; script-src 'nonce-t4g'; style-src 'none'" },
      html: html(`<span data-crossclock id="clock"></span><script nonce="t4g" async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('an allowlist naming the widget origin: works with no violation', async ({ page, widget, host, errors }) => {
    const violations = await recordViolations(page);
    const url = host.page('/csp-allowlist', {
      headers: { 'content-security-policy': `default-src 'self'; script-src ${widget.url}; style-src 'self'` },
      html: html(`<span data-crossclock id="clock"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('uses no <style> element and no style attribute', async ({ page, widget, host }) => {
    const url = tagPage(host, widget, '/no-inline-style', 'data-label="A"');
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    const inline = await page.evaluate(() => {
      const roots: ParentNode[] = [document, ...[...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))];
      return roots.flatMap((r) => [...r.querySelectorAll('style, [style]')].map((e) => e.outerHTML));
    });
    expect(inline).toEqual([]);
  });
});

test('shows markup in a label as text, never as HTML', async ({ page, widget, host, errors }) => {
  await page.addInitScript(() => ((window as any).__ran = false));
  const url = tagPage(host, widget, '/markup-label', `data-label="&lt;img src=x onerror=&quot;__ran=true&quot;&gt;"`);
  await page.goto(url);
  await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
  expect(await badgeText(page, '#a')).toMatch(/^<img src=x onerror="__ran=true"> \d/);
  expect(await page.locator('#a').evaluate((el) => el.shadowRoot!.querySelectorAll('img').length)).toBe(0);
  expect(await page.evaluate(() => (window as any).__ran)).toBe(false);
  expect(errors).toEqual([]);
});

test.describe('against hostile host CSS', () => {
  const HOSTILE =
    '<style>* { all: unset } div { display: none !important } html { font-size: 120px } ' +
    '[data-crossclock] { visibility: hidden !important; opacity: 0 !important; font-size: 300px !important; color: red !important }</style>';

  test('stays visible, readable and normally sized', async ({ page, widget, host }) => {
    const url = host.page('/hostile', {
      html: html(`<div data-crossclock id="a" data-label="Here"></div><script async src="${widget.url}/v1/crossclock.js"></script>`, HOSTILE),
    });
    await page.goto(url);
    const badge = page.locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    await expect(badge).toBeVisible();
    await expect(badge.locator('time')).toBeVisible();
    const box = (await badge.boundingBox())!;
    expect(box.height).toBeGreaterThan(10);
    expect(box.height).toBeLessThan(60);
    const style = await badge.evaluate((el) => {
      const s = getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!);
      return { fontSize: s.fontSize, opacity: getComputedStyle(el).opacity, visibility: getComputedStyle(el).visibility };
    });
    expect(style).toEqual({ fontSize: '15px', opacity: '1', visibility: 'visible' });
  });

  test('changes nothing on the host page around it', async ({ page, widget, host }) => {
    const url = host.page('/neighbours', {
      html: html(
        `<p id="before">text</p><span data-crossclock></span><p id="after">text</p><script async src="${widget.url}/v1/crossclock.js"></script>`,
        '<style>p { font: 13px serif; color: rgb(1, 2, 3) }</style>',
      ),
    });
    await page.goto(url);
    await expect(page.locator('[data-crossclock]')).toHaveAttribute('data-state', 'synced');
    for (const id of ['#before', '#after']) {
      await expect(page.locator(id)).toHaveCSS('font-size', '13px');
      await expect(page.locator(id)).toHaveCSS('color', 'rgb(1, 2, 3)');
    }
    // The only attribute the widget sets on the host element is data-state.
    const attributes = await page.locator('[data-crossclock]').evaluate((el) => el.getAttributeNames().sort());
    expect(attributes).toEqual(['data-crossclock', 'data-state']);
  });
});

test.describe('accessibility', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`is readable in every theme when the visitor prefers ${scheme}`, async ({ page, widget, host }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const url = host.page('/themes', {
        html: html(
          ['light', 'dark', 'auto'].map((t) => `<span data-crossclock id="${t}" data-theme="${t}"></span>`).join('') +
            `<script async src="${widget.url}/v1/crossclock.js"></script>`,
        ),
      });
      await page.goto(url);
      for (const theme of ['light', 'dark', 'auto']) {
        await expect(page.locator('#' + theme)).toHaveAttribute('data-state', 'synced');
        const [fg, bg] = await page.locator('#' + theme).evaluate((el) => {
          const s = getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!);
          return [s.color, s.backgroundColor];
        });
        expect(contrast(fg, bg), `${theme} theme: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
      // `auto` follows the visitor; the others are fixed.
      const bgOf = (id: string) => page.locator(id).evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!).backgroundColor);
      expect(await bgOf('#auto')).toBe(await bgOf('#' + scheme));
      expect(await bgOf('#light')).not.toBe(await bgOf('#dark'));
    });
  }

  test("grows with the visitor's default font size, as the page's text does, whatever the page's root font size", async ({ page, widget, host }) => {
    // What a visitor sets in the browser's settings (Chrome: Appearance › Font size), here
    // doubled: 32px for the usual 16px.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
    const url = host.page('/font-size', {
      html: html(
        `<p id="text">Opening hours</p><span data-crossclock id="a"></span><script async src="${widget.url}/v1/crossclock.js"></script>`,
        // A page's own rem scale must not shrink or blow up the badge.
        '<style>html { font-size: 62.5% } body { font-size: 1.6rem }</style>',
      ),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    const size = (selector: string, inner: boolean) =>
      page.locator(selector).evaluate((el, inner) => getComputedStyle(inner ? el.shadowRoot!.querySelector('[role=timer]')! : el).fontSize, inner);
    // The control: the setting took, the page's text is twice its usual 16px.
    expect(await size('#text', false)).toBe('32px');
    expect(await size('#a', true)).toBe('30px');
  });

  test('is a labelled timer that screen readers do not announce every second', async ({ page, widget, host }) => {
    const url = tagPage(host, widget, '/a11y', 'data-label="Tokyo" data-tz="Asia/Tokyo"');
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await expect(page.getByRole('timer', { name: 'Tokyo' })).toBeVisible();
    const live = await page.locator('#a').evaluate((el) => el.shadowRoot!.querySelectorAll('[aria-live], [role=status], [role=alert]').length);
    expect(live).toBe(0);
  });
});
