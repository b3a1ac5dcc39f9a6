/**
 * Leaks: 10,000 JSONP round trips in one page with the standalone client
 * (`dist/widget/jsonp.mjs`); what is left behind in the DOM, on `window` and on the heap.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { createApp } from '../../server/app.js';
import { serve } from '../support/http.js';
import { BLANK_PAGE, testOrigin, type HostSite } from './pages.js';
import type { Figures } from './report.js';

/** Round trips measured, after a warm-up that is not. */
export const CALLS = 10_000;
const WARM_UP = 200;
/** Calls in flight at once, as a busy page might have. */
const CONCURRENCY = 10;

type Win = { __jsonp: (url: string, o: object) => Promise<unknown> };

/** What the page holds that a leak would grow. */
interface Footprint {
  scripts: number;
  windowProps: number;
  heap: number;
}

async function footprint(page: Page, cdp: CDPSession): Promise<Footprint> {
  // Two collections: the first may only schedule finalisation of what the second frees.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const dom = await page.evaluate(() => ({
    scripts: document.getElementsByTagName('script').length,
    windowProps: Object.getOwnPropertyNames(window).length,
  }));
  return { ...dom, heap: usedSize };
}

/** Runs `count` calls, `CONCURRENCY` at a time; resolves with how many failed. */
function calls(page: Page, url: string, count: number): Promise<number> {
  return page.evaluate(
    async ({ url, count, concurrency }) => {
      const jsonp = (window as unknown as Win).__jsonp;
      let next = 0;
      let failed = 0;
      const lane = async () => {
        while (next < count) {
          next++;
          await jsonp(url, { doc: document, win: window, timeout: 10_000 }).catch(() => failed++);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return failed;
    },
    { url, count, concurrency: CONCURRENCY },
  );
}

/** Measures leftovers of `CALLS` round trips; throws when `jsonp.mjs` is not in `widgetDir`. */
export async function benchLeaks(browser: Browser, host: HostSite, widgetDir: string, log: (line: string) => void): Promise<Figures> {
  const module = await readFile(`${widgetDir}/jsonp.mjs`);
  const server = await serve(createApp());
  const context = await browser.newContext();
  try {
    host.set('/jsonp.mjs', module, 'text/javascript; charset=utf-8');
    host.set('/leak.html', BLANK_PAGE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${host.origin}/leak.html`);
    await page.evaluate(async () => {
      (window as unknown as Win).__jsonp = (await import('/jsonp.mjs' as string)).jsonp;
    });
    const url = `${testOrigin(server.url, 'widget')}/v1/time`;
    let failed = await calls(page, url, WARM_UP);
    const before = await footprint(page, cdp);
    const started = Date.now();
    for (let done = 0; done < CALLS; done += 1000) failed += await calls(page, url, 1000);
    const after = await footprint(page, cdp);
    log(`leaks: ${CALLS} calls in ${Date.now() - started} ms, ${failed} failed; heap ${before.heap} → ${after.heap} B`);
    return {
      'leaks.script_tags': after.scripts - before.scripts,
      'leaks.window_props': after.windowProps - before.windowProps,
      'leaks.heap_growth_bytes': after.heap - before.heap,
      'leaks.failed_calls': failed,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
