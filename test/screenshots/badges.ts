#!/usr/bin/env node
/**
 * `npm run screenshots`: the README's pictures, made from the real thing. Starts the demo,
 * shows a gallery of badges (zones, formats, themes, locales) on a host origin of its own and
 * the embed configurator, waits until every badge is synced, and writes
 * `sites/badges.png` and `sites/configurator.png`.
 */
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createSiteServer } from '../../sites/site-server.js';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER, playwrightChromium } from '../support/browser.js';
import { startDemo } from '../support/demo.js';
import { serve } from '../support/http.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// Compiled to dist/test/screenshots/: the sources and the pictures' home are three levels up.
const SOURCE = here('../../../test/screenshots');
const OUT = here('../../../sites/');

async function main() {
  const executablePath = findChromium(process.env, playwrightChromium());
  if (!executablePath) throw new Error(NO_BROWSER);
  const demo = await startDemo();
  const gallery = await serve(createSiteServer(SOURCE, { WIDGET_URL: demo.urls['widget server'] }));
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2, colorScheme: 'light', locale: 'en-GB' });
    await page.goto(gallery.url.replace('127.0.0.1', 'gallery.test') + '/gallery.html');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-crossclock]')].every((b) => b.getAttribute('data-state') === 'synced'));
    await page.locator('#gallery').screenshot({ path: OUT + 'badges.png' });

    // A whole page at 1x: readable, and a fraction of the bytes.
    const configurator = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: 'light', locale: 'en-GB' });
    await configurator.goto(demo.urls['widget server'] + '/');
    await configurator.locator('#tz-filter').fill('tokyo');
    await configurator.keyboard.press('Enter');
    await configurator.getByLabel('Label').fill('Tokyo office');
    await configurator.waitForFunction(() => document.querySelector('#preview [data-state]')?.getAttribute('data-state') === 'synced');
    await configurator.screenshot({ path: OUT + 'configurator.png' });
    console.log(`wrote ${OUT}badges.png and ${OUT}configurator.png`);
  } finally {
    await browser.close();
    await gallery.close();
    await demo.stop();
  }
}

main().catch((err) => {
  console.error(`screenshots: ${err.message}`);
  process.exit(1);
});
