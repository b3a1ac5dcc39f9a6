import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { contrast } from '../support/contrast.js';
import { serve } from '../support/http.js';
import { expect, test } from './fixtures.js';

// axe-core's own source, evaluated in every frame through the DevTools protocol: the pages'
// Content-Security-Policies (the configurator's `script-src 'self'`, the strict site's nonce)
// would refuse it as an inline <script>, and evaluation is not subject to them.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 A and AA, plus axe's best practices for landmarks and headings. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe on the page as it stands, every frame (cross-origin ones too) and every open
 * shadow root included, and returns one line per violating element: `rule: target (summary)`.
 */
async function audit(page: Page): Promise<string[]> {
  for (const frame of page.frames()) {
    await frame.evaluate(AXE);
    // axe talks to the copies in other frames by postMessage, by default only to its own origin's:
    // the iframe demo's frame is on another origin by design.
    await frame.evaluate(() => (window as unknown as { axe: { configure(o: object): void } }).axe.configure({ allowedOrigins: ['<unsafe_all_origins>'] }));
  }
  return page.evaluate(async (values) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} (${(n.failureSummary ?? '').replace(/\s+/g, ' ')})`));
  }, TAGS);
}

/** Every badge (`selector`) on the page in `state` (`synced` by default). */
async function badgesIn(page: Page, state = 'synced', selector = '[data-crossclock]') {
  const badges = page.locator(selector);
  await expect(badges.first()).toBeAttached();
  for (const badge of await badges.all()) await expect(badge).toHaveAttribute('data-state', state);
}

const SCHEMES = ['light', 'dark'] as const;
/** The configurator's preview badge, made through the API (no `data-crossclock`). */
const PREVIEW = '#preview [data-state]';

test.describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const colorScheme of SCHEMES) {
    test(`the configurator has no WCAG 2.2 AA violations in either mode, after filtering, picking and copying (${colorScheme} scheme)`, async ({ page, demo }) => {
      await page.emulateMedia({ colorScheme });
      await page.goto(demo.urls['widget server'] + '/');
      await expect(page.locator('#snippet-tag')).toContainText('<script');
      await badgesIn(page, 'synced', PREVIEW);
      expect(await audit(page), 'clock mode, as opened').toEqual([]);

      // Filter the zones, walk the list by keyboard, copy a snippet.
      await page.locator('#tz-filter').focus();
      await page.keyboard.type('new');
      await page.keyboard.press('ArrowDown');
      await expect(page.locator('#tz')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await page.locator('button[data-copy="snippet-tag"]').focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('article[data-form=tag] [role=status]')).toHaveText('Copied.');
      await badgesIn(page, 'synced', PREVIEW);
      expect(await audit(page), 'clock mode, after filtering and copying').toEqual([]);

      // Countdown mode: before a date is given (its problem shown), then with one.
      await page.getByLabel('Countdown to…').check();
      await expect(page.getByLabel('24-hour')).toBeDisabled();
      expect(await audit(page), 'countdown mode, no date yet').toEqual([]);
      await page.getByLabel('Date and time, in the time zone below').fill('2031-07-01T12:00');
      await page.getByLabel('Label').fill('Sale\u2029ends');
      await expect(page.locator('#label-problem')).toContainText('left out');
      await expect(page.locator('#snippet-tag')).toContainText('data-until="2031-07-01T12:00:00');
      await badgesIn(page, 'synced', PREVIEW);
      await page.locator('button[data-copy="snippet-loader"]').click();
      await expect(page.locator('article[data-form=loader] [role=status]')).toHaveText('Copied.');
      expect(await audit(page), 'countdown mode, with a date, a refused label, copied').toEqual([]);
    });
  }

  test('the configurator\'s zone list and copy buttons work by keyboard alone, with a visible focus ring, and each copy is announced politely', async ({ page, demo }) => {
    await page.goto(demo.urls['widget server'] + '/');
    await expect(page.locator('#snippet-tag')).toContainText('<script');
    /** The focused element's id or copy target, and whether it draws a focus ring. */
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return { id: el.id || el.dataset.copy || el.tagName, ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
      });
    await page.locator('#tz-filter').focus();
    await page.keyboard.type('tokyo');
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'tz', ring: true });
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#snippet-tag')).toContainText('data-tz="Asia/Tokyo"');

    // Tab on to the first copy button; every stop on the way shows where focus is.
    const stops: { id: string; ring: boolean }[] = [];
    while (stops.length < 40 && stops.at(-1)?.id !== 'snippet-loader') {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    expect(stops.at(-1)?.id).toBe('snippet-loader');
    expect(stops.filter((s) => !s.ring)).toEqual([]);

    // Space copies; the status beside the button is a polite live region and says so, again on a second copy.
    const status = page.locator('article[data-form=loader] .copied');
    await expect(status).toHaveAttribute('role', 'status');
    await page.keyboard.press('Space');
    await expect(status).toHaveText('Copied.');
    await status.evaluate((el) => {
      const seen: string[] = ((window as unknown as { __said: string[] }).__said = []);
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __said: string[] }).__said)).toEqual(['', 'Copied.']);
    // Copying another snippet leaves only that one marked as copied.
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('snippet-tag');
    await page.keyboard.press('Enter');
    await expect(page.locator('article[data-form=tag] .copied')).toHaveText('Copied.');
    await expect(status).toHaveText('');
  });

  // The frame site is a document shown only inside the iframe demo's frame: axe audits it there,
  // as its visitors meet it (page-level rules such as one main landmark do not apply to a frame).
  for (const site of ['news', 'shop', 'strict', 'seed', 'iframe']) {
    test(`the ${site} demo site${site === 'iframe' ? ' and the cross-origin frame in it' : ''}, with its badges live, has no WCAG 2.2 AA violations in either scheme`, async ({ page, demo }) => {
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        await page.goto(demo.urls[site] + '/');
        if (await page.locator('[data-crossclock]').count()) await badgesIn(page);
        if (site === 'iframe') await expect(page.frameLocator('#frame').locator('#error')).toContainText('SecurityError');
        if (site === 'seed') {
          await page.getByRole('button', { name: 'Get the server time' }).click();
          await expect(page.locator('#time')).not.toHaveText('(press the button)');
        }
        expect(await audit(page), `${site}, ${colorScheme} scheme`).toEqual([]);
      }
    });
  }

  for (const path of ['/allowlist.html', '/jquery.html']) {
    test(`the demo page ${path} has no WCAG 2.2 AA violations`, async ({ page, demo }) => {
      await page.goto(demo.urls[path === '/jquery.html' ? 'seed' : 'strict'] + path);
      if (await page.locator('[data-crossclock]').count()) await badgesIn(page);
      expect(await audit(page)).toEqual([]);
    });
  }

  test.describe('the badge itself, in every theme and both schemes', () => {
    let url = '';
    let close = async () => {};
    test.beforeAll(async ({ demo }) => {
      const widget = demo.urls['widget server'];
      // Clocks and countdowns, with and without labels, in each theme, on a page of their own.
      const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const badges = ['light', 'dark', 'auto']
        .map(
          (theme) =>
            `<p>${theme}: <span data-crossclock data-theme="${theme}" data-label="London" data-tz="Europe/London"></span> ` +
            `<span data-crossclock data-theme="${theme}" data-format="12h"></span> ` +
            `<span data-crossclock data-theme="${theme}" data-until="${until}" data-label="Ends in"></span></p>`,
        )
        .join('\n');
      const served = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>badges</title></head><body><main><h1>Badges</h1>\n${badges}\n<script async src="${widget}/v1/crossclock.js"></script></main></body></html>`);
      });
      url = `http://badges.test:${new URL(served.url).port}/`;
      close = served.close;
    });
    test.afterAll(() => close());

    for (const colorScheme of SCHEMES) {
      test(`synced badges have no WCAG 2.2 AA violations, contrast included (${colorScheme} scheme)`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.goto(url);
        await badgesIn(page);
        expect(await audit(page)).toEqual([]);
      });

      test(`unsynced badges, their "⚠ unsynced" mark and a countdown's --:--, have no WCAG 2.2 AA violations (${colorScheme} scheme)`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.route('**/v1/time?*', (route) => route.abort());
        await page.goto(url);
        await badgesIn(page, 'offline');
        await expect(page.locator('[data-until]').first().locator('time')).toHaveText('--:--');
        expect(await page.locator('[data-crossclock]').first().evaluate((el) => el.shadowRoot!.textContent)).toContain('\u26a0 unsynced');
        expect(await audit(page)).toEqual([]);
      });

      // Windows' contrast themes (forced colours) replace every colour with the visitor's
      // own few: a badge must take them too, its border included (a shadow or an image
      // drawn instead would vanish), whatever theme the page chose for it.
      test(`in forced colours, every badge, in every theme, has the visitor's text, background and border colours (${colorScheme} palette)`, async ({ page }) => {
        await page.emulateMedia({ colorScheme, forcedColors: 'active' });
        await page.goto(url);
        await badgesIn(page);
        const seen = await page.evaluate(() => {
          const probe = document.body.appendChild(document.createElement('div'));
          probe.style.cssText = 'color: CanvasText; background: Canvas';
          const palette = getComputedStyle(probe);
          const forced = { text: palette.color, background: palette.backgroundColor };
          const badges = [...document.querySelectorAll('[data-crossclock]')].map((el) => {
            const box = getComputedStyle(el.shadowRoot!.querySelector('[role=timer]')!);
            return { text: box.color, background: box.backgroundColor, border: `${box.borderTopWidth} ${box.borderTopStyle} ${box.borderTopColor}` };
          });
          return { forced, badges, active: matchMedia('(forced-colors: active)').matches };
        });
        expect(seen.active).toBe(true);
        expect(seen.badges).toHaveLength(9);
        for (const badge of seen.badges)
          expect(badge).toEqual({ ...seen.forced, border: `1px solid ${seen.forced.text}` });
        expect(contrast(seen.forced.text, seen.forced.background)).toBeGreaterThanOrEqual(7);
      });
    }
  });
});
