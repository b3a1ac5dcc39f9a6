import assert from 'node:assert/strict';
import { loaderScript, tagScript } from '../embeds.js';
import { waitFor, type Engine } from '../engine.js';
import { deviceSleeps, setHidden, SLEEPS } from '../../support/visibility.js';
import { recorded, waitForState, type Feature } from '../suite.js';

/**
 * Badges in pages that change after load, as single-page apps and Turbo/pjax make them:
 * elements that appear later, a body swapped wholesale, options changed on a live badge,
 * and elements removed (released: nothing rendered into them any more).
 */

/** True once the badge at `selector` is synced and its text is its own instant in `tz`, as Intl spells it in en-US. */
export const showsZone = (engine: Engine, selector: string, tz: string) =>
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
      title: 'a page rewritten after load (document.open, document.write): its badges sync, and hidden it stops ticking',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/rewritten', { body: `<span data-crossclock id="a"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        // `document.open()` erases every listener of the document and the window, the
        // recorder's too: the new page loads it again.
        await engine.evaluate(() => {
          document.open();
          document.write('<!doctype html><script src="/record.js"></script><p>next page</p><span data-crossclock id="b" data-tz="Asia/Kolkata" data-locale="en-US"></span>');
          document.close();
        }, null);
        await showsZone(engine, '#b', 'Asia/Kolkata');
        await engine.evaluate(setHidden, true);
        const hiddenAt = await engine.evaluate(() => {
          const w = window as any;
          w.renders = 0;
          new MutationObserver(() => w.renders++).observe(document.querySelector('#b')!.shadowRoot!, { subtree: true, childList: true, characterData: true });
          return w.crossclock.now() as number;
        }, null);
        await waitFor(engine, 'two seconds to pass', (t) => (window as any).crossclock.now() > t + 2000, hiddenAt, 5000);
        assert.equal(await engine.evaluate(() => (window as any).renders, null), 0, 'the hidden page still renders its badge');
        // Shown again: the current second at once (the listener runs within dispatchEvent).
        const behind = await engine.evaluate((source) => {
          new Function(`(${source})(false)`)();
          const second = Math.floor((window as any).crossclock.now() / 1000) * 1000;
          return second - Date.parse(document.querySelector('#b')!.shadowRoot!.querySelector('time')!.dateTime);
        }, setHidden.toString());
        assert.equal(behind, 0);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'a custom element whose own members throw: released with one warning, the other badges sync, hear their events and finish the burst',
      async run({ engine, host, widget }) {
        const define =
          '<script>' +
          "customElements.define('x-unreadable', class extends HTMLElement { get isConnected() { throw new Error('isConnected refused'); } });" +
          "customElements.define('x-own-dispatch', class extends HTMLElement { dispatchEvent() { throw new Error('dispatchEvent refused'); } });" +
          '</script>';
        const listen = "<script>for (const id of ['a', 'mine']) document.getElementById(id).addEventListener('crossclock:sync', () => (window[id + 'Heard'] = true));</script>";
        const badges = '<x-unreadable data-crossclock id="bad"></x-unreadable><span data-crossclock id="a"></span><x-own-dispatch data-crossclock id="mine"></x-own-dispatch>';
        await engine.goto(host.page('/throwing-members', { body: define + badges + listen + tagScript(widget) }));
        await waitForState(engine, '#a', 'synced');
        await waitForState(engine, '#mine', 'synced');
        // Every request of the start-up burst went out: a throw on the first sample ended it.
        await waitFor(engine, 'the whole burst', () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/time?callback=crossclock.t&')).length >= 4, null);
        // Events reach a host whatever its own dispatchEvent does.
        assert.deepEqual(await engine.evaluate(() => [(window as any).aHeard, (window as any).mineHeard], null), [true, true]);
        const seen = await recorded(engine);
        assert.deepEqual([seen.errors, seen.violations], [[], []]);
        assert.equal(seen.warnings.length, 1, seen.warnings.join('; '));
        assert.match(seen.warnings[0], /^crossclock: Error: isConnected refused/);
      },
    },
    {
      title: 'options whose string conversion throws, queued before the bundle and given after it: one warning each, nothing thrown, the other badges sync',
      async run({ engine, host, widget }) {
        // Throws itself: reporting it as a string would throw again.
        const calls = "const evil = { toString() { throw evil; } }; crossclock('badge', { target: '#b', tz: evil }); crossclock('badge', { target: '#c' });";
        await engine.goto(host.page('/unprintable', { body: '<span data-crossclock id="a"></span><span id="b"></span><span id="c"></span><span id="d"></span>' + loaderScript(widget, calls) }));
        await waitForState(engine, '#a', 'synced');
        await waitForState(engine, '#c', 'synced');
        const threw = await engine.evaluate(() => {
          const evil: object = { toString: () => { throw evil; } };
          try {
            (window as any).crossclock('badge', { target: '#d', label: evil });
            return null;
          } catch (e) {
            return String(typeof e);
          }
        }, null);
        assert.equal(threw, null);
        const seen = await recorded(engine);
        assert.deepEqual([seen.errors, seen.violations], [[], []]);
        assert.deepEqual(seen.warnings, ['crossclock: (unprintable)', 'crossclock: (unprintable)']);
      },
    },
    {
      title: 'a page whose console.warn throws: a bad option and a missing target are skipped quietly, every badge syncs, nothing thrown',
      async run({ engine, host, widget }) {
        // After the recorder, which then records nothing: the page's own console is the point.
        const breakConsole = "<script>console.warn = () => { throw new Error('console.warn refused'); };</script>";
        const badges = '<span data-crossclock id="a" data-format="25h"></span><span data-crossclock id="b" data-tz="Asia/Tokyo"></span><span id="c"></span>';
        const calls = "crossclock('badge', { target: '#missing' }); crossclock('badge', { target: '#c' });";
        await engine.goto(host.page('/console-throws', { body: breakConsole + badges + loaderScript(widget, calls) }));
        for (const id of ['#a', '#b', '#c']) await waitForState(engine, id, 'synced');
        // Added later, beside another bad one, in one insertion: both are adopted.
        await engine.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<span data-crossclock id="d" data-theme="plaid"></span><span data-crossclock id="e"></span>'), null);
        await waitForState(engine, '#d', 'synced');
        await waitForState(engine, '#e', 'synced');
        const seen = await recorded(engine);
        assert.deepEqual([seen.errors, seen.violations], [[], []]);
      },
    },
    {
      title: 'events bubble out of shadow roots: one listener on the document hears every badge, once each',
      async run({ engine, host, widget }) {
        // A component with a badge in its own shadow root, counting down to an instant already past.
        const setup =
          '<x-panel id="panel"></x-panel><span data-crossclock id="a"></span><script>' +
          "window.heard = []; document.addEventListener('crossclock:sync', (e) => heard.push('sync ' + e.target.id)); document.addEventListener('crossclock:end', (e) => heard.push('end ' + e.target.id));" +
          "const panel = document.getElementById('panel'); panel.attachShadow({ mode: 'open' }).innerHTML = '<span id=\"inner\"></span>';" +
          '</script>';
        const calls = "crossclock('badge', { target: document.getElementById('panel').shadowRoot.getElementById('inner'), until: '2020-01-01T00:00:00Z' });";
        await engine.goto(host.page('/bubbling', { body: setup + loaderScript(widget, calls) }));
        await waitForState(engine, '#a', 'synced');
        await waitFor(engine, 'the end event at the document', () => (window as any).heard.includes('end panel'), null);
        const heard: string[] = await engine.evaluate(() => (window as any).heard, null);
        // Every sync reaches both badges; the countdown ends once, seen as its component.
        assert.ok(heard.includes('sync a') && heard.includes('sync panel'), heard.join(', '));
        assert.equal(heard.filter((h) => h.startsWith('sync a')).length, heard.filter((h) => h.startsWith('sync panel')).length, heard.join(', '));
        assert.deepEqual(heard.filter((h) => h.startsWith('end')), ['end panel']);
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
      title: "badges made through the API, put back after a while inside a web component's shadow root or a re-inserted panel, show the current second at the next tick",
      async run({ engine, host, widget }) {
        // A web component whose shadow tree holds the badge's element (as a Lit component
        // renders it), and a tab panel holding one without `data-crossclock`: the app makes
        // both badges with the API, as docs/api.md says for shadow trees.
        const body =
          `<world-clock id="wc"></world-clock><div id="panel"><p><span id="c"></span></p></div><span data-crossclock id="b"></span>` +
          `<script>customElements.define('world-clock', class extends HTMLElement {
            constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<p><span class="clock"></span></p>'; }
          });</script>` +
          loaderScript(widget, "crossclock('badge', {target: document.querySelector('#wc').shadowRoot.querySelector('.clock')}); crossclock('badge', {target: '#c'});");
        await engine.goto(host.page('/api-badges-put-back', { body }));
        await waitForState(engine, '#b', 'synced');
        await engine.evaluate(() => {
          const w = window as any;
          w.apiBadges = [document.querySelector('#wc')!.shadowRoot!.querySelector('.clock'), document.querySelector('#c')];
        }, null);
        /** How far behind the synchronised second each API badge is, in ms (NaN before it shows a time). */
        const behind = () =>
          engine.evaluate(() => {
            const second = Math.floor((window as any).crossclock.now() / 1000) * 1000;
            return ((window as any).apiBadges as Element[]).map((el) => second - Date.parse(el.shadowRoot?.querySelector('time')?.dateTime ?? ''));
          }, null);
        await waitFor(engine, 'both API badges to be synced', () => ((window as any).apiBadges as HTMLElement[]).every((el) => el.dataset.state === 'synced'), null);
        // The component and the panel leave the page (a tab switched away) for two seconds.
        await engine.evaluate(() => {
          const w = window as any;
          w.away = [document.querySelector('#wc'), document.querySelector('#panel')];
          w.away.forEach((el: Element) => el.remove());
        }, null);
        await twoSecondsPass(engine, '#b');
        // The control: while away they were released, so now they are behind.
        const away = await behind();
        assert.ok(away.every((ms) => ms >= 1000), `while away, the badges are ${away} ms behind`);
        // Put back (the tab shown again): no query finds either element, yet both show the current
        // second at the next tick of #b (a change to the page only sets the timer again).
        await engine.evaluate(() => document.body.prepend(...(window as any).away), null);
        await waitFor(engine, 'the badges put back to show the current second', () => {
          const second = Math.floor((window as any).crossclock.now() / 1000) * 1000;
          return ((window as any).apiBadges as Element[]).every((el) => second - Date.parse(el.shadowRoot!.querySelector('time')!.dateTime) <= 1000);
        }, null, 3000);
        // And they tick on.
        const shown = await engine.evaluate(() => (window as any).apiBadges[0].shadowRoot.querySelector('time').dateTime, null);
        await waitFor(engine, 'the badge in the shadow tree to tick', (t) => (window as any).apiBadges[0].shadowRoot.querySelector('time').dateTime !== t, shown);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: "crossclock('remove', el) stops the badge, and the element shows its own text again; put back, it stays released until crossclock('badge', …)",
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/remove', { body: `<span data-crossclock id="a">Tokyo time</span><span data-crossclock id="b"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        await engine.evaluate(() => {
          const a = ((window as any).watched = document.querySelector('#a')!);
          (window as any).crossclock('remove', a);
        }, null);
        // No badge left in the shadow root, and the element's own text is laid out again.
        const released = await engine.evaluate(() => {
          const a = document.querySelector('#a')!;
          const text = document.createRange();
          text.selectNodeContents(a);
          return { badge: a.shadowRoot!.textContent, laidOut: text.getBoundingClientRect().width > 0 };
        }, null);
        assert.deepEqual(released, { badge: '', laidOut: true });
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
