import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { backFromPage, type Engine, type EngineLauncher } from './engine.js';

/** The Firefox to test with: `FIREFOX_PATH`, else Debian's `firefox-esr`, else `firefox`, else `null`. */
export function findFirefox(env: Record<string, string | undefined>, exists: (path: string) => boolean = existsSync): string | null {
  return [env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p): p is string => !!p && exists(p)) ?? null;
}

/** The one line printed when the Firefox tests are skipped. */
export const NO_FIREFOX =
  'no Firefox found: install it (Debian: apt-get install -y firefox-esr, as .ci/run does) or set FIREFOX_PATH';

/**
 * Firefox through puppeteer-core over WebDriver BiDi: Playwright drives only its own
 * patched Firefox build, never Debian's.
 */
export const firefoxEngine: EngineLauncher = {
  name: 'firefox',
  missing: (env) => (findFirefox(env) ? null : NO_FIREFOX),
  async launch(env) {
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: findFirefox(env)!, headless: true });
    const [page] = await browser.pages();
    const engine: Engine = {
      name: 'firefox',
      // `firefox/153.7.0`
      version: (await browser.version()).replace(/^\D+\//, ''),
      async goto(url) {
        await page.goto(url, { waitUntil: 'load' });
      },
      evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => any, arg),
      click: (selector) => page.click(selector),
      press: (keys) => (typeof keys === 'string' ? page.keyboard.type(keys) : page.keyboard.press(keys.key)),
      // Not puppeteer's `goBack`: over BiDi it waits for a `load` a page restored from the
      // back/forward cache never fires.
      back: () => backFromPage(engine),
      close: () => browser.close(),
    };
    return engine;
  },
};
