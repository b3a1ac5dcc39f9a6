import assert from 'node:assert/strict';
import { waitFor } from '../engine.js';
import { deviceSleeps, SLEEPS } from '../../support/visibility.js';
import { tagScript } from '../embeds.js';
import { readBadge, recorded, waitForState, type Feature } from '../suite.js';

export const feature: Feature = {
  name: 'offline then recovery',
  tests: [
    {
      title: 'server killed mid-session: marked unsynced and still ticking, then synced again once it is back',
      async run({ engine, host, ownWidget }) {
        const server = await ownWidget();
        const body =
          `${SLEEPS}<span data-crossclock id="a"></span>${tagScript(server)}` +
          `<script>window.events = []; for (const n of ['sync', 'offline']) document.querySelector('#a').addEventListener('crossclock:' + n, () => events.push(n));</script>`;
        await engine.goto(host.page('/offline', { body }));
        await waitForState(engine, '#a', 'synced');
        await server.kill();
        // A device sleep resyncs at once (no ten-minute wait): the sync finds no server.
        await engine.evaluate(deviceSleeps, 60_000);
        await waitForState(engine, '#a', 'offline', 20_000);
        const offline = (await readBadge(engine, '#a'))!;
        assert.match(offline.text, /\d:\d\d:\d\d( [AP]M)? \u26a0 unsynced$/);
        await waitFor(engine, 'the offline badge to tick', (shown) => document.querySelector('#a')!.shadowRoot!.querySelector('time')!.dateTime !== shown, offline.datetime);

        await server.restart();
        // The capped backoff retries within seconds.
        await waitForState(engine, '#a', 'synced', 20_000);
        const back = (await readBadge(engine, '#a'))!;
        assert.doesNotMatch(back.text, /unsynced/);
        const events = await engine.evaluate(() => (window as any).events as string[], null);
        assert.deepEqual(events.slice(events.indexOf('offline')).filter((e, i, a) => e !== a[i - 1]), ['offline', 'sync']);
        // A failed script load is the browser's own report; the widget throws and logs nothing.
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
  ],
};
