import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build, type BuildOptions } from 'esbuild';
import type { HostSite } from '../support/host-pages.js';
import type { WidgetServer } from '../support/widget-server.js';
import { expect, html, test } from './widget-fixtures.js';

declare global {
  interface Window {
    hydrate?: (suppress: boolean) => unknown;
    hydrated?: boolean;
  }
}

// A development build: React reports hydration mismatches only there (and Next.js shows them
// in its development overlay), which is where a site owner would meet one.
const options: BuildOptions = {
  entryPoints: [fileURLToPath(new URL('./apps/react-ssr-app.jsx', import.meta.url))],
  bundle: true,
  write: false,
  format: 'esm',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"development"' },
  logLevel: 'silent',
};

test.describe('in a server-rendered React 19 page', () => {
  let render: (suppress: boolean) => string;
  test.beforeAll(async ({ host }) => {
    // The server half runs here, as a CommonJS module whose Node built-ins come from this process.
    const server = (await build({ ...options, platform: 'node', format: 'cjs' })).outputFiles![0].text;
    const mod = { exports: {} as { render: typeof render } };
    new Function('module', 'exports', 'require', server)(mod, mod.exports, createRequire(import.meta.url));
    ({ render } = mod.exports);
    const client = (await build({ ...options, platform: 'browser' })).outputFiles![0].text;
    host.page('/ssr-app.js', { html: client, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
  });

  /**
   * Opens the page rendered with `suppress`, waits until the widget has made its element a
   * badge (as an async tag loaded before the app's code does), then hydrates; returns what
   * the page logged as errors meanwhile.
   */
  async function hydrate(page: Page, host: HostSite, widget: WidgetServer, suppress: boolean): Promise<string[]> {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const body = `<div id="root">${render(suppress)}</div><script async src="${widget.url}/v1/crossclock.js"></script><script type="module" src="/ssr-app.js"></script>`;
    await page.goto(host.page(`/ssr-${suppress}`, { html: html(body) }));
    await expect(page.locator('#ssr')).toHaveAttribute('data-state', 'synced');
    await page.waitForFunction(() => typeof window.hydrate === 'function');
    await page.evaluate((s) => {
      window.hydrate!(s);
    }, suppress);
    await page.waitForFunction(() => window.hydrated);
    return errors;
  }

  test('the badge reports a hydration mismatch without suppressHydrationWarning (the control)', async ({ page, host, widget }) => {
    const errors = await hydrate(page, host, widget, false);
    expect(errors.join('\n')).toContain('data-state');
  });

  test('with suppressHydrationWarning on the badge element, hydration reports nothing and the badge keeps ticking', async ({ page, host, widget }) => {
    const errors = await hydrate(page, host, widget, true);
    expect(errors).toEqual([]);
    await expect(page.locator('#ssr')).toHaveAttribute('data-state', 'synced');
    const shown = await page.locator('#ssr time').textContent();
    await expect(page.locator('#ssr time')).not.toHaveText(shown ?? '');
  });
});
