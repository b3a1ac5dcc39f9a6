import assert from 'node:assert/strict';
import { CACHE_NAME, cachedTimeAnswers, cachingWorker, workboxFiles } from '../../support/service-worker.js';
import { loaderScript, tagScript } from '../embeds.js';
import { waitFor } from '../engine.js';
import { SHIFT_MS, startShiftedWidget, type ShiftedWidget } from '../site.js';
import { recorded, waitForState, type EngineTest, type Feature } from '../suite.js';

/** Synchronised time minus the device's clock is within 2 s of `expected` (ms). */
const offsetNear = (expected: number) => Math.abs((window as any).crossclock.now() - Date.now() - expected) < 2000;

/** The badge `#a` embedded by `form` from `server`. */
const embed = (form: 'tag' | 'loader', server: ShiftedWidget) =>
  form === 'tag'
    ? `<span data-crossclock id="a"></span>${tagScript(server)}`
    : `<span id="a"></span>${loaderScript(server, "crossclock('badge', {target: '#a'});")}`;

/** A Workbox worker caching every script; a server hours off, then the right one on the same URL. */
function cachedScripts(form: 'tag' | 'loader'): EngineTest {
  return {
    title: `${form}: syncs from the server, never from a time answer the worker kept`,
    async run({ engine, host }) {
      const scope = `/sw-${form}/`;
      for (const [path, source] of workboxFiles()) host.script(path, source);
      host.script(scope + 'sw.js', cachingWorker());
      let server = await startShiftedWidget(SHIFT_MS);
      try {
        const url = host.page(scope, { body: `${embed(form, server)}<script>navigator.serviceWorker.register('sw.js');</script>` });
        await engine.goto(url);
        await waitFor(engine, 'the worker to control the page', () => navigator.serviceWorker.controller !== null, null);
        // Opened again under the worker: every request now goes through it.
        await engine.goto(url);
        await waitForState(engine, '#a', 'synced');
        await waitFor(engine, "the shifted server's time", offsetNear, SHIFT_MS);
        // The control: the worker really keeps our time answers (it stores each after
        // answering with it, so the store may land after the badge synced; a count of 0 waits on).
        await waitFor(engine, 'the worker to cache a time answer', cachedTimeAnswers, CACHE_NAME);

        await server.kill();
        server = await startShiftedWidget(0, server.port);
        await engine.goto(url);
        await waitForState(engine, '#a', 'synced');
        await waitFor(engine, 'the true time', offsetNear, 0);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      } finally {
        await server.kill();
      }
    },
  };
}

export const feature: Feature = {
  name: "a site's service worker caching every script",
  tests: [cachedScripts('tag'), cachedScripts('loader')],
};
