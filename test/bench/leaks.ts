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
// Chromium queues beyond 6 connections per host; more in flight keeps those 6 busy.
const CONCURRENCY = 30;

type Jsonp = (url: string, o: object) => Promise<unknown>;
type Win = { __jsonp: Jsonp };

/**
 * The control: the least a JSONP call can be (a global callback, a script tag, both removed
 * on answer). Whatever it leaves on the heap is the browser's own cost per script load,
 * which no client can avoid; ours is judged by what it adds beyond that.
 */
const CONTROL_CLIENT = `window.__jsonp = (() => {
  let n = 0;
  return (url) => new Promise((resolve, reject) => {
    const id = '__k' + n++;
    const s = document.createElement('script');
    const done = () => { delete window[id]; s.remove(); };
    window[id] = (data) => { done(); resolve(data); };
    s.onerror = () => { done(); reject(new Error('network')); };
    s.src = url + '?callback=' + id;
    document.head.appendChild(s);
  });
})();`;

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

/** The page's leftovers from `CALLS` round trips by one client, after a warm-up. */
interface Leftovers {
  scripts: number;
  windowProps: number;
  heap: number;
  failed: number;
}

async function roundTrips(browser: Browser, pageUrl: string, install: (page: Page) => Promise<void>, timeUrl: string): Promise<Leftovers> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(pageUrl);
    await install(page);
    let failed = await calls(page, timeUrl, WARM_UP);
    const before = await footprint(page, cdp);
    for (let done = 0; done < CALLS; done += 1000) failed += await calls(page, timeUrl, 1000);
    const after = await footprint(page, cdp);
    return {
      scripts: after.scripts - before.scripts,
      windowProps: after.windowProps - before.windowProps,
      heap: after.heap - before.heap,
      failed,
    };
  } finally {
    await context.close();
  }
}

/** Measures leftovers of `CALLS` round trips with `jsonp.mjs` from `widgetDir` and with the control. */
export async function benchLeaks(browser: Browser, host: HostSite, widgetDir: string, log: (line: string) => void): Promise<Figures> {
  const module = await readFile(`${widgetDir}/jsonp.mjs`);
  const server = await serve(createApp());
  try {
    host.set('/jsonp.mjs', module, 'text/javascript; charset=utf-8');
    host.set('/leak.html', BLANK_PAGE);
    const pageUrl = `${host.origin}/leak.html`;
    const timeUrl = `${testOrigin(server.url, 'widget')}/v1/time`;
    const started = Date.now();
    const ours = await roundTrips(browser, pageUrl, (page) => page.evaluate(async () => {
      (window as unknown as Win).__jsonp = (await import('/jsonp.mjs' as string)).jsonp;
    }), timeUrl);
    log(`leaks: jsonp.mjs: ${CALLS} calls in ${Date.now() - started} ms: ${JSON.stringify(ours)}`);
    const control = await roundTrips(browser, pageUrl, (page) => page.evaluate(CONTROL_CLIENT), timeUrl);
    log(`leaks: control: ${JSON.stringify(control)}`);
    return {
      'leaks.script_tags': ours.scripts,
      'leaks.window_props': ours.windowProps,
      'leaks.heap_growth_bytes': ours.heap,
      'leaks.control_heap_growth_bytes': control.heap,
      'leaks.heap_growth_vs_control_bytes': ours.heap - control.heap,
      'leaks.failed_calls': ours.failed + control.failed,
    };
  } finally {
    await server.close();
  }
}
