import assert from 'node:assert/strict';
import { loaderScript, sriScript, tagScript } from '../embeds.js';
import { recorded, readBadge, waitForState, type Context, type Feature } from '../suite.js';

/** Waits for `#a` to sync and checks it shows the current time, with nothing thrown or warned. */
async function showsSyncedBadge({ engine }: Context, label?: string) {
  await waitForState(engine, '#a', 'synced');
  const badge = (await readBadge(engine, '#a'))!;
  const now = await engine.evaluate(() => Date.now(), null);
  assert.ok(Math.abs(Date.parse(badge.datetime) - now) < 2000, `shows ${badge.datetime}, page time ${new Date(now).toISOString()}`);
  assert.match(badge.text, new RegExp(`^${label ? label + ' ' : ''}\\d{1,2}:\\d{2}:\\d{2}`));
  assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
}

export const feature: Feature = {
  name: 'embed forms (single tag, loader, SRI-pinned, pasted twice)',
  tests: [
    {
      title: 'single tag: turns a data-crossclock element into a synced badge',
      async run(ctx) {
        await ctx.engine.goto(ctx.host.page('/tag', { body: `<span data-crossclock id="a" data-label="Here"></span>${tagScript(ctx.widget)}` }));
        await showsSyncedBadge(ctx, 'Here');
      },
    },
    {
      title: 'loader snippet: the queued call becomes a synced badge',
      async run(ctx) {
        const body = `<span id="a"></span>${loaderScript(ctx.widget, "crossclock('badge', {target: '#a', label: 'Here'});")}`;
        await ctx.engine.goto(ctx.host.page('/loader', { body }));
        await showsSyncedBadge(ctx, 'Here');
      },
    },
    {
      title: 'SRI-pinned tag: the browser checks the integrity and runs the bundle',
      async run(ctx) {
        await ctx.engine.goto(ctx.host.page('/sri', { body: `<span data-crossclock id="a"></span>${await sriScript(ctx.widget)}` }));
        await showsSyncedBadge(ctx);
      },
    },
    {
      title: 'SRI-pinned tag with a wrong integrity: the browser refuses the bundle',
      async run({ engine, host, widget }) {
        // The control for the test above: this engine really enforces `integrity`.
        const good = await sriScript(widget);
        const bad = good.replace(/integrity="sha384-[^"]+"/, `integrity="sha384-${'A'.repeat(64)}"`);
        const body = `<span data-crossclock id="a"></span>${bad.replace('<script ', '<script onerror="window.refused = true" ')}`;
        await engine.goto(host.page('/sri-bad', { body }));
        // The load event waits for the async script: it has been refused (or run) by now.
        const seen = await engine.evaluate(() => ({ refused: (window as any).refused === true, ran: 'crossclock' in window }), null);
        assert.deepEqual(seen, { refused: true, ran: false });
      },
    },
    {
      title: 'loader pasted twice: one bundle load, one badge, one warning',
      async run({ engine, host, widget }) {
        const paste = loaderScript(widget, "crossclock('badge', {target: '#a'});");
        await engine.goto(host.page('/twice', { body: `<span id="a"></span>${paste}${paste}` }));
        await waitForState(engine, '#a', 'synced');
        const seen = await engine.evaluate(
          () => ({
            bundleLoads: performance.getEntriesByType('resource').filter((e) => /\/v1\/crossclock[^/]*\.js$/.test(e.name)).length,
            times: document.querySelector('#a')!.shadowRoot!.querySelectorAll('time').length,
          }),
          null,
        );
        assert.deepEqual(seen, { bundleLoads: 1, times: 1 });
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: ['crossclock: pasted twice'] });
      },
    },
    {
      title: 'single tag as a module script (type="module"), from the production server: syncs from the baked-in URL',
      async run(ctx) {
        const server = await ctx.baked();
        const body = `<span data-crossclock id="a"></span><script type="module" src="${server.url}/v1/crossclock.js"></script>`;
        await ctx.engine.goto(ctx.host.page('/module-baked', { body }));
        await showsSyncedBadge(ctx);
      },
    },
    {
      // A module script has no `document.currentScript`, and its URL (`import.meta.url`) cannot
      // be read by a classic script's code: nothing tells the bundle where it came from.
      title: 'limitation: single tag as a module script from a server without --public-url: one warning, no time request, the fallback text stays',
      async run({ engine, host, widget }) {
        const body = `<span data-crossclock id="a">Tokyo time</span><script type="module" src="${widget.url}/v1/crossclock.js"></script>`;
        // A module script runs before DOMContentLoaded, and a time request made then would hold `load` back.
        await engine.goto(host.page('/module-plain', { body }));
        const seen = await engine.evaluate(
          () => ({
            ran: typeof (window as any).crossclock,
            times: performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/time')).length,
            shadow: !!document.querySelector('#a')!.shadowRoot,
          }),
          null,
        );
        assert.deepEqual(seen, { ran: 'undefined', times: 0, shadow: false });
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: ['crossclock: unknown server'] });
      },
    },
    {
      // RequireJS, curl.js and many CMS themes define `define.amd`; webpack-era pages leave
      // `module`, `exports` and `process` globals. A UMD bundle would hand itself to `define`
      // and never run: the bundle is an IIFE that looks at none of them.
      title: 'single tag on a page with AMD, CommonJS and Node globals (define.amd, module, exports, process): syncs and calls none of them',
      async run(ctx) {
        const globals = `<script>
          window.defined = 0;
          window.define = function () { defined++; };
          define.amd = { jQuery: true };
          window.module = { exports: {} };
          window.exports = module.exports;
          window.process = { env: { NODE_ENV: 'development' } };
        </script>`;
        await ctx.engine.goto(ctx.host.page('/amd-page', { body: `${globals}<span data-crossclock id="a"></span>${tagScript(ctx.widget)}` }));
        await showsSyncedBadge(ctx);
        const seen = await ctx.engine.evaluate(() => ({ defined: (window as any).defined, exports: Object.keys((window as any).module.exports) }), null);
        assert.deepEqual(seen, { defined: 0, exports: [] });
      },
    },
    {
      title: 'single tag loaded twice: the second copy stays inert and says so',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/tag-twice', { body: `<span data-crossclock id="a"></span>${tagScript(widget)}${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        assert.equal(await engine.evaluate(() => document.querySelector('#a')!.shadowRoot!.querySelectorAll('time').length, null), 1);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: ['crossclock: loaded twice'] });
      },
    },
  ],
};
