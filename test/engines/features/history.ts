import assert from 'node:assert/strict';
import { BURST } from '../../../widget/src/sync.js';
import { waitFor, waitThroughNavigation } from '../engine.js';
import { tagScript } from '../embeds.js';
import { recorded, waitForState, type Feature } from '../suite.js';

/** What the first frame after a restore from the back/forward cache showed. */
interface Restore {
  /** The instant the badge showed (`<time datetime>`), epoch ms. */
  shown: number;
  /** Synchronised time (`crossclock.now()`) at that frame. */
  now: number;
}

// On a restore from the back/forward cache (the page's own scripts and timers, frozen while
// away, resume), reads the badge in the first animation frame: what the visitor first sees.
const RECORD_RESTORES = `<script>window.__restores = [];
addEventListener('pageshow', (e) => e.persisted && requestAnimationFrame(() => {
  const time = document.getElementById('a').shadowRoot.querySelector('time');
  __restores.push({ shown: Date.parse(time.dateTime), now: crossclock.now() });
}));</script>`;

/** How long the visitor stays on the other page: a badge not brought up to date would be this far behind. */
const AWAY_MS = 3000;

export const feature: Feature = {
  name: 'back/forward cache',
  tests: [
    {
      title: 'restored by the back button: the first frame shows the right second, then it ticks, no error',
      async run({ engine, host, widget }) {
        // The host site's pages are `no-store`, which Firefox never keeps in the cache; `no-cache` it keeps.
        const headers = { 'cache-control': 'no-cache' };
        const elsewhere = host.page('/bfcache-elsewhere', { body: '<p>another page</p>', headers });
        await engine.goto(host.page('/bfcache', { body: `<span data-crossclock id="a"></span>${tagScript(widget)}${RECORD_RESTORES}`, headers }));
        await waitForState(engine, '#a', 'synced');
        // The badge is synced at the burst's first answer; the rest follow at once. Firefox
        // keeps no page with a request still loading, so the visitor leaves once every answer
        // of the burst has arrived (each is a resource entry once loaded), as one who read the
        // badge for a moment does.
        await waitFor(
          engine,
          'the whole first burst of time requests to finish',
          (n) => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/time?')).length >= n,
          BURST,
        );
        const left = Date.now();
        await engine.goto(elsewhere);
        await waitFor(engine, `${AWAY_MS} ms on the other page`, (until) => Date.now() >= until, left + AWAY_MS);
        await engine.back();
        // Only a restored page (the same document, its scripts kept) records anything: the control.
        const first = (await waitThroughNavigation(engine, 'a restore from the back/forward cache', () => ((window as any).__restores as Restore[] | undefined)?.[0] ?? null, null))!;
        // The second it shows is the current one (or the one before, when a boundary passed
        // between the render and the frame), never the one it showed when the visitor left.
        const behind = Math.floor(first.now / 1000) * 1000 - first.shown;
        assert.ok(behind === 0 || behind === 1000, `the first frame after the restore is ${behind} ms behind`);
        const shown = await engine.evaluate(() => document.getElementById('a')!.shadowRoot!.querySelector('time')!.dateTime, null);
        await waitFor(engine, 'the restored badge to tick', (was) => document.getElementById('a')!.shadowRoot!.querySelector('time')!.dateTime !== was, shown);
        assert.equal((await engine.evaluate(() => document.getElementById('a')!.getAttribute('data-state'), null)), 'synced');
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
        // Leave by the page's own navigation: puppeteer-core 24 over BiDi never sees the first
        // navigation it starts itself after a restore finish, which would stall the next test.
        await engine.evaluate((url) => void setTimeout(() => location.replace(url)), elsewhere);
        await waitThroughNavigation(engine, 'the page to leave', () => location.pathname === '/bfcache-elsewhere', null);
      },
    },
  ],
};
