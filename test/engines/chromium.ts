import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER, playwrightChromium } from '../support/browser.js';
import { backFromPage, type Engine, type EngineLauncher } from './engine.js';

/** Chromium through Playwright, found the way the Playwright specs find it. */
export const chromiumEngine: EngineLauncher = {
  name: 'chromium',
  missing: (env) => (findChromium(env, playwrightChromium()) ? null : NO_BROWSER),
  async launch(env) {
    // Playwright turns the back/forward cache off by default; visitors have it on.
    const browser = await chromium.launch({ executablePath: findChromium(env, playwrightChromium())!, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
    const page = await browser.newPage();
    const engine: Engine = {
      name: 'chromium',
      version: browser.version(),
      async goto(url) {
        await page.goto(url);
      },
      evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => any, arg),
      click: (selector) => page.click(selector),
      press: (keys) => (typeof keys === 'string' ? page.keyboard.type(keys) : page.keyboard.press(keys.key)),
      back: () => backFromPage(engine),
      close: () => browser.close(),
    };
    return engine;
  },
};
