/// <reference path="../../widget/crossclock.d.ts" />
// The JSONP transport alone (dist/widget/jsonp.mjs), in a real page across origins. Its own
// file, named to be scheduled early: the 10,000-call check is the longest e2e test, and
// started first it runs beside the others instead of after them.
import { expect, html, tagPage, test } from './widget-fixtures.js';

test.describe('JSONP client (dist/widget/jsonp.mjs) in a real page', () => {
  test('tells failures apart and swallows late answers without a trace', async ({ page, host, errors }) => {
    const url = host.page('/jsonp', { html: html('<p>host</p>') });
    await page.goto(url);
    const lateAnswer = page.waitForEvent('requestfinished', (r) => r.url().includes('ms=1500'));
    const lateAbort = page.waitForEvent('requestfinished', (r) => r.url().includes('ms=1200'));
    const outcome = await page.evaluate(async (origin) => {
      const { jsonp } = await import(origin + '/jsonp.mjs');
      const o = { doc: document, win: window };
      const why = (p: Promise<unknown>) => p.then(
        (data) => ({ data }),
        (e) => e.reason,
      );
      const ac = new AbortController();
      const aborted = why(jsonp(origin + '/slow?ms=1200', { ...o, signal: ac.signal }));
      ac.abort();
      return {
        ok: await why(jsonp(origin + '/slow?ms=0', o)),
        timeout: await why(jsonp(origin + '/slow?ms=1500', { ...o, timeout: 100 })),
        network: await why(jsonp(origin + '/missing', o)),
        nocallback: await why(jsonp(origin + '/slow?ms=0&callback=self.nothing', o)),
        abort: await aborted,
      };
    }, host.origin);
    expect(outcome).toEqual({ ok: { data: { late: true } }, timeout: 'timeout', network: 'network', nocallback: 'nocallback', abort: 'abort' });
    // The late answers arrive and run, finding no callback.
    await lateAnswer;
    await lateAbort;
    const after = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      registry: Object.keys((window as any).crossclock.j),
    }));
    expect(after).toEqual({ scripts: 0, registry: [] });
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });

  test('10,000 calls leave no script tag and no new window property', async ({ page, widget, host, errors }) => {
    test.setTimeout(180_000);
    const url = tagPage(host, widget, '/leak');
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    const result = await page.evaluate(
      async ({ origin, widgetUrl }) => {
        const { jsonp } = await import(origin + '/jsonp.mjs');
        const before = new Set(Object.getOwnPropertyNames(window));
        const scriptsBefore = document.scripts.length;
        let ok = 0;
        let failed = 0;
        // 100 at a time; every tenth call is aborted mid-flight.
        for (let batch = 0; batch < 100; batch++) {
          await Promise.all(
            Array.from({ length: 100 }, (_, i) => {
              const ac = new AbortController();
              const p = jsonp(widgetUrl + '/v1/time', { doc: document, win: window, signal: ac.signal }).then(
                () => ok++,
                () => failed++,
              );
              if (i % 10 === 0) ac.abort();
              return p;
            }),
          );
        }
        return {
          ok,
          failed,
          newScripts: document.scripts.length - scriptsBefore,
          newGlobals: Object.getOwnPropertyNames(window).filter((k) => !before.has(k)),
          registry: Object.keys((window as any).crossclock.j),
        };
      },
      { origin: host.origin, widgetUrl: widget.url },
    );
    expect(result).toEqual({ ok: 9000, failed: 1000, newScripts: 0, newGlobals: [], registry: [] });
    expect(errors).toEqual([]);
  });
});
