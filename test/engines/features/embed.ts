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
