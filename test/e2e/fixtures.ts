import { test as base, expect, type Page } from '@playwright/test';
import { startDemo, type Demo } from '../support/demo.js';

/** Tests that get the demo (`npm start` on free ports, `*.test` origins) for their worker. */
export const test = base.extend<{ errors: string[] }, { demo: Demo }>({
  demo: [
    async ({}, use) => {
      const demo = await startDemo();
      await use(demo);
      await demo.stop();
    },
    { scope: 'worker' },
  ],
  // Every console error and uncaught exception on the host page: the widget must cause none.
  errors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await use(errors);
  },
});

export { expect };

/** The instant a badge's `<time datetime>` carries, in epoch ms. */
export async function badgeInstant(page: Page, selector: string): Promise<number> {
  const iso = await page.locator(selector).locator('time').getAttribute('datetime');
  return Date.parse(iso ?? '');
}

/**
 * Collects Content-Security-Policy violations the page reports, from its first script on
 * (init scripts are exempt from CSP).
 */
export async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}
