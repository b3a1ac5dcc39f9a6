import type { Page } from '@playwright/test';
import { startHostSite, type HostSite } from '../support/host-pages.js';
import { startWidgetServer, type WidgetServer } from '../support/widget-server.js';
export { setHidden } from '../support/visibility.js';
import { BURST } from '../../widget/src/sync.js';
import { test as base, expect } from './fixtures.js';

/**
 * Fixtures for the widget specs: a widget server process and a host site on another
 * origin (`http://host.test:…`) for the worker, plus the widget's console warnings
 * (`errors` comes from fixtures.ts).
 */
export const test = base.extend<{ warnings: string[] }, { widget: WidgetServer; host: HostSite }>({
  widget: [
    async ({}, use) => {
      const server = await startWidgetServer();
      await use(server);
      await server.kill();
    },
    { scope: 'worker' },
  ],
  host: [
    async ({}, use) => {
      const site = await startHostSite('host');
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  // The widget's console warnings.
  warnings: async ({ page }, use) => {
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('crossclock')) warnings.push(m.text());
    });
    await use(warnings);
  },
});

export { expect };

/** A host page body: `body` inside a minimal HTML document. */
export const html = (body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>${head}</head><body>${body}</body></html>`;

/** The instant a badge's `<time datetime>` carries, in epoch ms. */
export async function instant(page: Page, selector: string): Promise<number> {
  return Date.parse((await page.locator(selector).locator('time').getAttribute('datetime')) ?? '');
}

/** The badge's visible text (label, time and any mark), read from its shadow root. */
export async function badgeText(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => el.shadowRoot?.textContent ?? '');
}

/** Serves a single-tag page with one badge `#a` (attributes `attrs`) and returns its URL. */
export function tagPage(host: HostSite, widget: { url: string }, path: string, attrs = ''): string {
  return host.page(path, {
    html: html(`<span data-crossclock id="a" ${attrs}></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
  });
}

/**
 * True when the badge at `selector` is synced and its text is its own instant formatted in
 * `tz`, the way the widget formats it (default locale, hours to seconds): read in one go so
 * the text cannot move on between the two readings.
 */
export function showsZone(page: Page, selector: string, tz: string): Promise<boolean> {
  return page.evaluate(
    ([selector, tz]) => {
      const host = document.querySelector<HTMLElement>(selector);
      const time = host?.shadowRoot?.querySelector('time');
      if (!time || host!.dataset.state !== 'synced') return false;
      return time.textContent === new Intl.DateTimeFormat(undefined, { timeZone: tz, timeStyle: 'medium' }).format(Date.parse(time.dateTime));
    },
    [selector, tz],
  );
}

/**
 * Opens a badge page under Playwright's clock, waits for the whole first burst of samples
 * (a sample landing later would move the estimate mid-test), then pauses the page clock.
 * The badge is `#a`, with the attributes `attrs`.
 */
export async function openPaused(page: Page, widget: WidgetServer, host: HostSite, path: string, attrs = '') {
  let answered = 0;
  page.on('requestfinished', (r) => {
    if (r.url().includes('/v1/time')) answered++;
  });
  await page.clock.install();
  await page.goto(tagPage(host, widget, path, attrs));
  await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
  await expect.poll(() => answered).toBe(BURST);
  await page.clock.pauseAt(Date.now() + 5000);
}
