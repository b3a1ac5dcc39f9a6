import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { hasFont, NO_PROPORTIONAL_DIGITS, PROPORTIONAL_DIGITS, systemUiAs } from '../support/fonts.js';
import { expect, openPaused, test } from './widget-fixtures.js';

const found = hasFont(PROPORTIONAL_DIGITS);

test.describe('digits', () => {
  // Skipped with one line on a machine without the font; CI installs it and must run this.
  test.skip(!found && !process.env.CI, NO_PROPORTIONAL_DIGITS);

  test('the badge keeps its width as the seconds tick, where the system font has proportional digits', async ({ playwright, launchOptions, widget, host }) => {
    expect(found, NO_PROPORTIONAL_DIGITS).toBe(true);
    // A browser whose system-ui is that font, as Apple's platforms have San Francisco.
    const fonts = systemUiAs(PROPORTIONAL_DIGITS);
    const browser = await playwright.chromium.launch({ ...launchOptions, env: { ...process.env, FONTCONFIG_FILE: fonts } });
    try {
      const page = await browser.newPage();
      await openPaused(page, widget, host, '/digits', 'data-label="Tokyo" data-tz="Asia/Tokyo"');
      // The control: in this browser a 1 is narrower than a 0 in the badge's font, so
      // proportional digits would make the badge change width with the time it shows.
      const [one, zero] = await page.evaluate(() => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = '600 15px system-ui';
        return [ctx.measureText('1').width, ctx.measureText('0').width];
      });
      expect(zero - one).toBeGreaterThan(1);
      // Ten seconds in a row: the last digit takes every value once.
      const seen: { text: string; width: number }[] = [];
      for (let i = 0; i < 10; i++) {
        await page.clock.runFor(1000);
        seen.push(
          await page.locator('#a').evaluate((el) => ({ text: el.shadowRoot!.textContent!, width: el.getBoundingClientRect().width })),
        );
      }
      expect(new Set(seen.map((s) => s.text)).size).toBe(10);
      // Kerning next to a digit may still move a glyph by a hundredth of a pixel; a digit of
      // another width moves the text after the badge by pixels.
      const widths = seen.map((s) => s.width);
      expect(Math.max(...widths) - Math.min(...widths), JSON.stringify(seen)).toBeLessThan(0.5);
    } finally {
      await browser.close();
      rmSync(dirname(fonts), { recursive: true, force: true });
    }
  });
});
