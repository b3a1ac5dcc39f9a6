import assert from 'node:assert/strict';
import { tagScript } from '../embeds.js';
import { waitFor, type Engine } from '../engine.js';
import { deviceSleeps, SLEEPS } from '../../support/visibility.js';
import { recorded, waitForState, type Feature } from '../suite.js';

/**
 * Badges in pages that change after load, as single-page apps and Turbo/pjax make them:
 * elements that appear later, a body swapped wholesale, options changed on a live badge,
 * and elements removed (released: nothing rendered into them any more).
 */

/** True once the badge at `selector` is synced and its text is its own instant in `tz`, as Intl spells it in en-US. */
const showsZone = (engine: Engine, selector: string, tz: string) =>
  waitFor(engine, `${selector} to show ${tz}`, ([sel, zone]) => {
    const host = document.querySelector<HTMLElement>(sel);
    const time = host?.shadowRoot?.querySelector('time');
    if (!time || host!.dataset.state !== 'synced') return false;
    return time.textContent === new Intl.DateTimeFormat('en-US', { timeZone: zone, timeStyle: 'medium' }).format(Date.parse(time.dateTime));
  }, [selector, tz]);

/** The instant the badge at `selector` shows, in epoch ms. */
const shownInstant = (engine: Engine, selector: string) =>
  engine.evaluate((sel) => Date.parse(document.querySelector(sel)!.shadowRoot!.querySelector('time')!.dateTime), selector);

/** Resolves once the badge at `selector` has shown two more seconds: two ticks a released badge must not get. */
async function twoSecondsPass(engine: Engine, selector: string) {
  const start = await shownInstant(engine, selector);
  await waitFor(engine, `${selector} to tick two seconds`, ([sel, t]) => Date.parse(document.querySelector(sel)!.shadowRoot!.querySelector('time')!.dateTime) - t >= 2000, [selector, start] as const, 5000);
}

/**
 * Starts counting every change to the element `window.watched`: its attributes, and
 * anything in its shadow root. A released badge gets none.
 */
const watchReleased = (engine: Engine) =>
  engine.evaluate(() => {
    const w = window as any;
    w.changes = [];
    const el: HTMLElement = w.watched;
    const note = (records: MutationRecord[]) => records.forEach((r) => w.changes.push(r.type + ' ' + (r.attributeName ?? '')));
    new MutationObserver(note).observe(el, { attributes: true });
    new MutationObserver(note).observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    el.addEventListener('crossclock:sync', () => w.changes.push('event sync'));
  }, null);
const changes = (engine: Engine) => engine.evaluate(() => (window as any).changes as string[], null);

export const feature: Feature = {
  name: 'elements added after load, changed and removed',
  tests: [
    {
      title: 'elements added after load by innerHTML and appendChild become synced badges',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/later', { body: `<div id="slot"></div>${tagScript(widget)}` }));
        await waitFor(engine, 'the bundle', () => typeof (window as any).crossclock?.now === 'function', null);
        await engine.evaluate(() => {
          document.querySelector('#slot')!.innerHTML = '<p><span data-crossclock id="b" data-tz="Australia/Sydney" data-locale="en-US"></span></p>';
          const c = document.createElement('span');
          c.id = 'c';
          c.dataset.crossclock = '';
          c.dataset.tz = 'America/Sao_Paulo';
          c.dataset.locale = 'en-US';
          document.body.appendChild(c);
        }, null);
        await showsZone(engine, '#b', 'Australia/Sydney');
        await showsZone(engine, '#c', 'America/Sao_Paulo');
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: "a body swapped wholesale (Turbo, pjax): the new body's badges sync, the old ones stop",
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/swap', { body: `<span data-crossclock id="a" data-tz="UTC" data-locale="en-US"></span>${tagScript(widget)}` }));
        await showsZone(engine, '#a', 'UTC');
        await engine.evaluate(() => {
          (window as any).watched = document.querySelector('#a');
          const next = document.createElement('body');
          next.innerHTML = '<p>next page</p><div><span data-crossclock id="b" data-tz="Asia/Kolkata" data-locale="en-US"></span></div>';
          document.documentElement.replaceChild(next, document.body);
        }, null);
        await watchReleased(engine);
        await showsZone(engine, '#b', 'Asia/Kolkata');
        await twoSecondsPass(engine, '#b');
        assert.deepEqual(await changes(engine), []);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'a changed data-tz (and label) is shown within one tick',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/changed', { body: `<span data-crossclock id="a" data-tz="UTC" data-locale="en-US"></span>${tagScript(widget)}` }));
        await showsZone(engine, '#a', 'UTC');
        // Timed in the page: from the change to the first render that shows the new zone.
        const tookMs = await engine.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const el = document.querySelector<HTMLElement>('#a')!;
              const start = performance.now();
              const check = () => {
                const time = el.shadowRoot!.querySelector('time');
                const tokyo = time && time.textContent === new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', timeStyle: 'medium' }).format(Date.parse(time.dateTime));
                if (tokyo && el.shadowRoot!.textContent!.startsWith('Tokyo ')) resolve(performance.now() - start);
                else if (performance.now() - start > 3000) resolve(Infinity);
                else setTimeout(check, 10);
              };
              el.dataset.tz = 'Asia/Tokyo';
              el.dataset.label = 'Tokyo';
              check();
            }),
          null,
        );
        assert.ok(tookMs <= 1000, `shown ${tookMs} ms after the change`);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'an element removed from the page is released (no render, no event), and ticks again when put back',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/removed', { body: `${SLEEPS}<span data-crossclock id="a"></span><span data-crossclock id="b"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        await waitForState(engine, '#b', 'synced');
        await engine.evaluate(() => {
          const a = ((window as any).watched = document.querySelector('#a')!);
          a.remove();
        }, null);
        await watchReleased(engine);
        // A sync tells every live badge: the released one hears nothing.
        await engine.evaluate(() => document.querySelector('#b')!.addEventListener('crossclock:sync', () => ((window as any).bSynced = true)), null);
        // After a device sleep the widget syncs again.
        await engine.evaluate(deviceSleeps, 60_000);
        await waitFor(engine, 'the live badge to hear the sync', () => (window as any).bSynced === true, null);
        await twoSecondsPass(engine, '#b');
        assert.deepEqual(await changes(engine), []);
        // React keeps nodes across re-renders: the same element put back is a badge again.
        const before = await shownInstant(engine, '#b');
        await engine.evaluate(() => document.body.append((window as any).watched), null);
        await waitFor(engine, 'the element put back to tick', (t) => Date.parse(document.querySelector('#a')!.shadowRoot!.querySelector('time')!.dateTime) > t, before, 3000);
        // The control for the empty list above: the same watch sees a live badge's renders.
        assert.ok((await changes(engine)).length > 0);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: "crossclock('remove', el) empties and stops the badge; put back, it stays released until crossclock('badge', …)",
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/remove', { body: `<span data-crossclock id="a"></span><span data-crossclock id="b"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        await engine.evaluate(() => {
          const a = ((window as any).watched = document.querySelector('#a')!);
          (window as any).crossclock('remove', a);
        }, null);
        assert.equal(await engine.evaluate(() => document.querySelector('#a')!.shadowRoot!.childNodes.length, null), 0);
        await watchReleased(engine);
        await engine.evaluate(() => {
          const a = document.querySelector('#a')!;
          a.remove();
          document.body.append(a);
        }, null);
        await twoSecondsPass(engine, '#b');
        assert.deepEqual(await changes(engine), []);
        await engine.evaluate(() => (window as any).crossclock('badge', { target: document.querySelector('#a'), tz: 'UTC', locale: 'en-US' }), null);
        await showsZone(engine, '#a', 'UTC');
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
  ],
};
