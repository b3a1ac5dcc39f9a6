import assert from 'node:assert/strict';
import { htmxMorph, turbo, type HostLibrary } from '../../support/host-libraries.js';
import { tagScript } from '../embeds.js';
import { waitFor, type Engine } from '../engine.js';
import type { HostSite } from '../site.js';
import { readBadge, recorded, waitForState, type Feature } from '../suite.js';
import { showsZone } from './lifecycle.js';

/**
 * Pages that update by morphing (htmx 2 with idiomorph, Turbo 8's page refresh): the new
 * HTML is merged into the live DOM, so a badge element the new HTML also has is kept, moved
 * if need be, and given the new HTML's attributes. Those never carry the widget's
 * `data-state`: the morph removes it, and the badge must put it back by its next tick.
 */

/** A clock, and a countdown that ended long ago, as the page's server renders them: no `data-state`. */
const clock = (id: string, tz: string) => `<span data-crossclock id="${id}" data-tz="${tz}" data-locale="en-US">${tz}</span>`;
const ENDED = '<span data-crossclock id="cd" data-until="2020-01-01T00:00:00Z"></span>';
const BADGES = ['#a', '#b', '#cd'];

/** The library's scripts in the head, and a count of `crossclock:end` events from the start. */
function head(host: HostSite, library: HostLibrary, more = '') {
  const scripts = library
    .scripts()
    .map(([path, source]) => (host.script(path, source), `<script src="${path}"></script>`))
    .join('');
  return `${scripts}${more}<script>window.ends = 0; document.addEventListener('crossclock:end', () => window.ends++);</script>`;
}

/** Keeps each badge element as `window.kept[selector]`, to tell the morph kept them. */
const keep = (engine: Engine) =>
  engine.evaluate((sels) => ((window as any).kept = Object.fromEntries(sels.map((s) => [s, document.querySelector(s)]))), BADGES);

/**
 * After the morph, by the badges' next tick: the same elements, `#b` in its new zone, each
 * badge's `data-state` back, the countdown's end announced once only, and `#a` ticking on.
 */
async function checkMorphed(engine: Engine) {
  await showsZone(engine, '#b', 'Asia/Tokyo');
  assert.deepEqual(await engine.evaluate((sels) => sels.filter((s) => (window as any).kept[s] !== document.querySelector(s)), BADGES), [], 'elements replaced');
  await waitForState(engine, '#a', 'synced', 2000);
  await waitForState(engine, '#cd', 'ended', 2000);
  await showsZone(engine, '#a', 'UTC');
  const shown = (await readBadge(engine, '#a'))!.datetime;
  await waitFor(engine, '#a to tick', (t) => document.querySelector('#a')!.shadowRoot!.querySelector('time')!.dateTime !== t, shown);
  assert.equal(await engine.evaluate(() => (window as any).ends, null), 1, 'crossclock:end events');
  assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
}

export const feature: Feature = {
  name: 'DOM morphing (htmx 2 with idiomorph, Turbo 8 page refresh)',
  tests: [
    {
      title: 'htmx 2 with idiomorph: badges morphed in place (attributes replaced, elements moved) keep ticking with their data-state, an option changed by the morph is shown',
      async run({ engine, host, widget }) {
        // The response has the same badges, `#b` moved first and in another zone.
        host.page('/morph/htmx-next', { body: clock('b', 'Asia/Tokyo') + clock('a', 'UTC') + ENDED });
        const zone = `<div id="zone" hx-get="/morph/htmx-next" hx-trigger="go" hx-swap="morph:innerHTML">${clock('a', 'UTC') + clock('b', 'Europe/Paris') + ENDED}</div>`;
        await engine.goto(host.page('/morph/htmx', { head: head(host, htmxMorph), body: `<div hx-ext="morph">${zone}</div>${tagScript(widget)}` }));
        for (const s of BADGES) await waitForState(engine, s, s === '#cd' ? 'ended' : 'synced');
        await keep(engine);
        await engine.evaluate(() => (window as any).htmx.trigger('#zone', 'go'), null);
        await checkMorphed(engine);
      },
    },
    {
      title: 'Turbo 8 page refresh by morphing: badges morphed in place keep ticking with their data-state, an option changed by the morph is shown',
      async run({ engine, host, widget }) {
        // As Turbo advises, the embed is in the head, which Turbo keeps.
        const meta = '<meta name="turbo-refresh-method" content="morph">' + tagScript(widget);
        const page = (bTz: string) => ({ head: head(host, turbo, meta), body: `${clock('a', 'UTC') + clock('b', bTz) + ENDED}` });
        const url = host.page('/morph/turbo', page('Europe/Paris'));
        await engine.goto(url);
        for (const s of BADGES) await waitForState(engine, s, s === '#cd' ? 'ended' : 'synced');
        await keep(engine);
        // The server now renders `#b` in another zone; the page refreshes itself, as on a broadcast.
        host.page('/morph/turbo', page('Asia/Tokyo'));
        await engine.evaluate(() => (window as any).Turbo.visit(location.href, { action: 'replace' }), null);
        await checkMorphed(engine);
      },
    },
    {
      title: 'htmx 2 with idiomorph: a badge element the new HTML reuses for other content shows that content, styled by the page; given data-crossclock back, it is a badge again',
      async run({ engine, host, widget }) {
        // A lot's countdown, until the lot closes: the server then renders a plain span in the
        // same place, which the morph makes of the badge's element (same tag, no id).
        const until = new Date(Date.now() + 86_400_000).toISOString();
        const row = (cell: string) => `<table><tr id="lot"><td>Lot 1</td><td>${cell}</td></tr></table>`;
        host.page('/morph/htmx-open', { body: row(`<span data-crossclock data-until="${until}" data-label="Closes in" data-locale="en-US"></span>`) });
        host.page('/morph/htmx-closed', { body: row('<span class="closed">Closed</span>') });
        const style = '<style>.closed { color: rgb(200, 0, 0); }</style>';
        const zone = `<div hx-ext="morph"><div id="zone">${row(`<span data-crossclock data-until="${until}" data-label="Closes in" data-locale="en-US"></span>`)}</div></div>`;
        await engine.goto(host.page('/morph/htmx-reused', { head: head(host, htmxMorph, style), body: zone + clock('a', 'UTC') + tagScript(widget) }));
        await waitForState(engine, '#lot span', 'synced');
        await engine.evaluate(() => ((window as any).kept = document.querySelector('#lot span')), null);
        const swap = (path: string) => engine.evaluate((p) => (window as any).htmx.ajax('GET', p, { source: '#zone', target: '#zone', swap: 'morph:innerHTML' }), path);
        /** What a visitor sees of the lot's span: its own text laid out, in the page's colour, or a badge. */
        const lot = () =>
          engine.evaluate(() => {
            const span = document.querySelector<HTMLElement>('#lot span')!;
            const text = document.createRange();
            text.selectNodeContents(span);
            return {
              same: span === (window as any).kept,
              text: span.textContent,
              laidOut: text.getBoundingClientRect().width > 0,
              color: getComputedStyle(span).color,
              badge: span.shadowRoot!.textContent,
            };
          }, null);

        await swap('/morph/htmx-closed');
        await waitFor(engine, 'the closed lot', () => document.querySelector('#lot span')!.textContent === 'Closed', null);
        assert.deepEqual(await lot(), { same: true, text: 'Closed', laidOut: true, color: 'rgb(200, 0, 0)', badge: '' });
        // A second on the clock: the lot's span is rendered no more.
        const shown = (await readBadge(engine, '#a'))!.datetime;
        await waitFor(engine, '#a to tick', (t) => document.querySelector('#a')!.shadowRoot!.querySelector('time')!.dateTime !== t, shown);
        assert.equal((await lot()).badge, '');

        await swap('/morph/htmx-open');
        await waitForState(engine, '#lot span', 'synced');
        const again = await lot();
        assert.ok(again.same && again.badge.startsWith('Closes in'), JSON.stringify(again));
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'a morph that changes an option of a countdown that had already ended does not announce crossclock:end again',
      async run({ engine, host, widget }) {
        // The morph renders the badge again with the new label and takes its `data-state`
        // away: the end is remembered per badge and instant, not read from that attribute.
        const meta = '<meta name="turbo-refresh-method" content="morph">' + tagScript(widget);
        const page = (label: string) => ({ head: head(host, turbo, meta), body: clock('a', 'UTC') + ENDED.replace('<span ', `<span data-label="${label}" `) });
        await engine.goto(host.page('/morph/turbo-ended', page('Sale ends in')));
        await waitForState(engine, '#cd', 'ended');
        host.page('/morph/turbo-ended', page('Sale over'));
        await engine.evaluate(() => (window as any).Turbo.visit(location.href, { action: 'replace' }), null);
        await waitFor(engine, 'the new label', () => document.querySelector('#cd')!.shadowRoot!.textContent!.startsWith('Sale over'), null);
        await waitForState(engine, '#cd', 'ended', 2000);
        assert.equal(await engine.evaluate(() => (window as any).ends, null), 1, 'crossclock:end events');
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
  ],
};
