import assert from 'node:assert/strict';
import { tagScript } from '../embeds.js';
import { waitFor, type Engine } from '../engine.js';
import type { ShiftedWidget } from '../site.js';
import { durationSeconds } from '../../support/duration.js';
import { deviceSleeps, setHidden, SLEEPS } from '../../support/visibility.js';
import { readBadge, recorded, waitForState, type Feature } from '../suite.js';

/**
 * Countdown badges (`data-until`) against a server whose clock is hours behind the
 * device's: a count by the device's clock would be hours off, or ended already.
 */

const iso = (t: number) => new Date(t).toISOString();
/** The server's time now, by this machine's clock (the browser's clock is the same one). */
const serverNow = (server: ShiftedWidget) => Date.now() + server.shiftMs;

/** The `HH:MM:SS` text a duration under a day shows, from its `datetime`. */
export function clockText(d: string): string {
  const m = /^PT(\d+)H(\d+)M(\d+)S$/.exec(d);
  if (!m) throw new Error(`not a duration under a day with seconds: "${d}"`);
  return m.slice(1).map((x) => x.padStart(2, '0')).join(':');
}

/** Installed before the bundle: every `crossclock:end` with the badge's id, when it came by the synchronised and the device clock. */
const RECORD_ENDS = `<script>window.__ends = []; document.addEventListener('crossclock:end', (e) => __ends.push({ id: e.target.id, at: window.crossclock.now(), device: Date.now() }), true);</script>`;
interface End {
  id: string;
  at: number;
  device: number;
}
const ends = (engine: Engine) => engine.evaluate(() => (window as any).__ends as End[], null);

/** Resolves once the clock badge `#clock` has shown two more seconds: ticks in which no second end may fire. */
async function twoSecondsPass(engine: Engine) {
  const read = () => engine.evaluate(() => Date.parse(document.querySelector('#clock')!.shadowRoot!.querySelector('time')!.dateTime), null);
  const start = await read();
  await waitFor(engine, '#clock to tick two seconds', (t) => Date.parse(document.querySelector('#clock')!.shadowRoot!.querySelector('time')!.dateTime) - t >= 2000, start, 5000);
}

/** One change of a countdown's text, as the page saw it: what it showed, and when by both clocks. */
interface Change {
  text: string;
  datetime: string;
  state: string | null;
  device: number;
}

/** From now on, records every change of the countdown `#cd` into `window.__changes`, stamped in the page as it happens. */
const recordChanges = (engine: Engine) =>
  engine.evaluate(() => {
    const el = document.querySelector('#cd')!;
    const time = el.shadowRoot!.querySelector('time')!;
    const seen: Change[] = ((window as any).__changes = []);
    new MutationObserver(() => seen.push({ text: time.textContent!, datetime: time.dateTime, state: el.getAttribute('data-state'), device: Date.now() })).observe(el.shadowRoot!, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, null);

export const feature: Feature = {
  name: 'countdowns (data-until) by the server clock',
  tests: [
    {
      title: "counts down to an instant seconds ahead by the server's clock, hours off the device's, then ends once",
      async run({ engine, host, shifted }) {
        const server = await shifted();
        // On a whole second, so each change of the text falls on a tick.
        const until = Math.ceil(serverNow(server) / 1000) * 1000 + 3000;
        // An hour ahead by the server, over two hours past by the device: it must be counting.
        const hour = serverNow(server) + 3_600_000;
        // Over a day: days first, then the time of day; spelled by Intl.DurationFormat where the engine has it.
        const days = serverNow(server) + (((2 * 24 + 3) * 60 + 4) * 60 + 5) * 1000;
        const body =
          RECORD_ENDS +
          `<span data-crossclock id="clock"></span>` +
          `<span data-crossclock id="cd" data-until="${iso(until)}" data-locale="en-US" data-label="Sale ends in"></span>` +
          `<span data-crossclock id="hour" data-until="${iso(hour).replace('Z', '+00:00')}" data-locale="en-US"></span>` +
          `<span data-crossclock id="days" data-until="${iso(days)}" data-locale="en-US"></span>` +
          tagScript(server);
        await engine.goto(host.page('/countdown', { body }));
        await waitForState(engine, '#cd', 'synced');
        await recordChanges(engine);
        // The control: a timer of the page's own aimed at the instant. How late it wakes is what
        // a loaded machine adds to any timer, the widget's included.
        await engine.evaluate((u) => {
          const clock = (window as any).crossclock;
          setTimeout(() => ((window as any).__control = { late: clock.now() - u }), u - clock.now());
        }, until);

        const h = (await readBadge(engine, '#hour'))!;
        const now = await engine.evaluate(() => Date.now(), null);
        assert.equal(h.state, 'synced');
        assert.ok(Math.abs(durationSeconds(h.datetime) - (hour - (now + server.shiftMs)) / 1000) <= 2, `${h.datetime} for an hour by the server's clock`);
        assert.equal(h.time, clockText(h.datetime));
        const d = (await readBadge(engine, '#days'))!;
        assert.match(d.datetime, /^P2DT3H\d+M\d+S$/);
        assert.ok(d.time.startsWith('2') && d.time.endsWith(clockText(d.datetime.replace(/^P2D/, 'P'))), `"${d.time}" for ${d.datetime}`);

        await waitForState(engine, '#cd', 'ended');
        const changes = await engine.evaluate(() => (window as any).__changes as Change[], null);
        assert.ok(changes.length >= 2, JSON.stringify(changes));
        for (const c of changes) {
          // Text and datetime agree, and both agree with the server's clock when the change happened.
          assert.equal(c.text, clockText(c.datetime));
          const left = (until - (c.device + server.shiftMs)) / 1000;
          assert.ok(Math.abs(durationSeconds(c.datetime) - Math.ceil(left)) <= 1, `${c.datetime} shown with ${left} s left by the server's clock`);
        }
        const shown = changes.map((c) => durationSeconds(c.datetime));
        assert.ok(shown.every((s, i) => i === 0 || s < shown[i - 1]), `counted down: ${shown}`);
        const last = changes[changes.length - 1];
        assert.deepEqual({ text: last.text, datetime: last.datetime, state: last.state }, { text: '00:00:00', datetime: 'PT0H0M0S', state: 'ended' });

        const fired = await ends(engine);
        assert.deepEqual(fired.map((e) => e.id), ['cd']);
        const control = (await waitFor(engine, 'the control timer', () => (window as any).__control as { late: number } | undefined, null))!.late;
        assert.ok(fired[0].at >= until, `crossclock:end ${until - fired[0].at} ms before the instant`);
        assert.ok(fired[0].at - until <= Math.max(100, control + 50), `crossclock:end ${fired[0].at - until} ms after the instant, a timer aimed at it ${control} ms`);
        // By the device's own clock the instant was hours earlier.
        assert.ok(Math.abs(fired[0].device + server.shiftMs - until) < 1000);
        await twoSecondsPass(engine);
        assert.equal((await ends(engine)).length, 1);
        assert.match((await readBadge(engine, '#cd'))!.text, /^Sale ends in 00:00:00$/);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'hidden at the instant: nothing fires while hidden, then the ended state and one event on being shown',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const until = Math.ceil(serverNow(server) / 1000) * 1000 + 3000;
        await engine.goto(host.page('/countdown-hidden', { body: RECORD_ENDS + `<span data-crossclock id="cd" data-until="${iso(until)}"></span>` + tagScript(server) }));
        await waitForState(engine, '#cd', 'synced');
        await engine.evaluate(setHidden, true);
        await waitFor(engine, 'the instant to pass', (u) => (window as any).crossclock.now() > u + 500, until);
        assert.deepEqual(await ends(engine), []);
        const shown = await engine.evaluate(async (source) => {
          new Function(`(${source})(false)`)();
          // The end event is dispatched in a microtask: read before any timer or answer could help.
          await Promise.resolve();
          const el = document.getElementById('cd')!;
          return { ends: (window as any).__ends.length, state: el.getAttribute('data-state'), text: el.shadowRoot!.querySelector('time')!.textContent };
        }, setHidden.toString());
        assert.deepEqual(shown, { ends: 1, state: 'ended', text: '00:00:00' });
      },
    },
    {
      title: 'after the device slept: right at the first tick, before any resync answers',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const until = serverNow(server) + 600_000;
        await engine.goto(host.page('/countdown-sleep', { body: SLEEPS + `<span data-crossclock id="cd" data-until="${iso(until)}"></span>` + tagScript(server) }));
        await waitForState(engine, '#cd', 'synced');
        // Every change from the sleep on, read in the same task as the render that made it (a
        // mutation observer's callback runs before the next task): a resync answer, a round
        // trip later, cannot have corrected it yet.
        await recordChanges(engine);
        await engine.evaluate(deviceSleeps, 120_000);
        const changes = (await waitFor(engine, 'two ticks after the sleep', () => {
          const seen = (window as any).__changes as Change[];
          return seen.length >= 2 ? seen : undefined;
        }, null))!;
        for (const c of changes) {
          const left = (until - (c.device + server.shiftMs)) / 1000;
          // Two minutes off (the sleep) without the fix, until the resync answered.
          assert.ok(Math.abs(durationSeconds(c.datetime) - Math.ceil(left)) <= 1, `${c.datetime} shown with ${left} s left by the server's clock`);
          assert.equal(c.text, clockText(c.datetime));
        }
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'an instant already past at mount: the ended state, and the event once per badge (markup and API)',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const past = iso(serverNow(server) - 3_600_000);
        const body = RECORD_ENDS + `<span data-crossclock id="clock"></span><span data-crossclock id="past" data-until="${past}"></span><span id="api"></span>` + tagScript(server);
        await engine.goto(host.page('/countdown-past', { body }));
        await waitForState(engine, '#past', 'ended');
        assert.equal((await readBadge(engine, '#past'))!.time, '00:00:00');
        // A listener added right after `crossclock('badge', …)` still hears a past instant.
        const heard = await engine.evaluate(async (until) => {
          const target = document.getElementById('api')!;
          let count = 0;
          (window as any).crossclock('badge', { target, until });
          target.addEventListener('crossclock:end', () => count++);
          await new Promise((r) => setTimeout(r, 0));
          return count;
        }, past);
        assert.equal(heard, 1);
        await twoSecondsPass(engine);
        assert.deepEqual((await ends(engine)).map((e) => e.id).sort(), ['api', 'past']);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'an ended countdown rendered again (an option changed, turned off and on, removed and made again) announces its instant once, a new instant once more',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const first = iso(serverNow(server) - 3_600_000);
        const second = iso(serverNow(server) - 60_000);
        await engine.goto(host.page('/countdown-again', { body: RECORD_ENDS + `<span data-crossclock id="cd" data-until="${first}"></span>` + tagScript(server) }));
        await waitForState(engine, '#cd', 'ended');
        const count = async () => (await ends(engine)).length;
        assert.equal(await count(), 1);
        // Each step waits for the render it causes; the event would be dispatched in a
        // microtask right after that render, before the page's next task reads the count.
        await engine.evaluate(() => document.getElementById('cd')!.setAttribute('data-label', 'Sale over'), null);
        await waitFor(engine, 'the new label', () => document.getElementById('cd')!.shadowRoot!.textContent!.startsWith('Sale over'), null);
        await engine.evaluate(() => document.getElementById('cd')!.removeAttribute('data-crossclock'), null);
        await waitFor(engine, 'the release', () => !document.getElementById('cd')!.hasAttribute('data-state'), null);
        await engine.evaluate(() => document.getElementById('cd')!.setAttribute('data-crossclock', ''), null);
        await waitForState(engine, '#cd', 'ended');
        assert.equal(await count(), 1, 'after an option changed and the badge was turned off and on');
        await engine.evaluate((until) => document.getElementById('cd')!.setAttribute('data-until', until), second);
        await waitFor(engine, 'the second end', () => (window as any).__ends.length === 2, null);
        await engine.evaluate((until) => {
          const target = document.getElementById('cd')!;
          (window as any).crossclock('remove', target);
          (window as any).crossclock('badge', { target, until });
        }, second);
        await waitForState(engine, '#cd', 'ended');
        assert.deepEqual((await ends(engine)).map((e) => e.id), ['cd', 'cd'], 'after remove, then badge');
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'a copy of an ended countdown (cloneNode) is a badge of its own and announces its end once',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const past = iso(serverNow(server) - 3_600_000);
        await engine.goto(host.page('/countdown-copy', { body: RECORD_ENDS + `<span data-crossclock id="cd" data-until="${past}"></span>` + tagScript(server) }));
        await waitForState(engine, '#cd', 'ended');
        // The copy carries `data-state="ended"` over, but no shadow root: wait for its render.
        await engine.evaluate(() => {
          const copy = document.getElementById('cd')!.cloneNode(true) as HTMLElement;
          copy.id = 'copy';
          document.body.append(copy);
        }, null);
        await waitFor(engine, 'the copy rendered', () => document.getElementById('copy')!.shadowRoot?.querySelector('time')?.textContent === '00:00:00', null);
        assert.deepEqual((await ends(engine)).map((e) => e.id), ['cd', 'copy']);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: "a countdown's text and datetime agree in every locale's digits and separators, above 99 days, right to left where the language is",
      async run({ engine, host, shifted }) {
        const server = await shifted();
        // 150 days: a count every locale writes in digits (Arabic and Hebrew spell 2 days as a word).
        const until = iso(serverNow(server) + (((150 * 24 + 3) * 60 + 4) * 60 + 5) * 1000);
        const cases = [
          { locale: 'fi', rtl: false },
          { locale: 'ar-EG', rtl: true },
          { locale: 'fa', rtl: true },
          { locale: 'he', rtl: true },
          { locale: 'hi-IN-u-nu-deva', rtl: false },
          { locale: 'ja', rtl: false },
          { locale: 'ar-EG', rtl: true, seconds: false },
        ];
        const body =
          cases.map((c, i) => `<span data-crossclock id="l${i}" data-locale="${c.locale}" data-until="${until}"${c.seconds === false ? ' data-seconds="false"' : ''}></span>`).join('') +
          tagScript(server);
        await engine.goto(host.page('/countdown-locales', { body }));
        for (let i = 0; i < cases.length; i++) await waitForState(engine, '#l' + i, 'synced');
        const seen = await engine.evaluate(
          (n) =>
            Array.from({ length: n }, (_, i) => {
              const time = document.getElementById('l' + i)!.shadowRoot!.querySelector('time')!;
              // Text and datetime are written together: read both in one go.
              const text = time.textContent!;
              // Arabic-Indic, Persian and Devanagari digits as Latin ones.
              const latin = text.replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/g, (d) => {
                const c = d.charCodeAt(0);
                return String(c - (c < 0x6f0 ? 0x660 : c < 0x966 ? 0x6f0 : 0x966));
              });
              return { text, numbers: (latin.match(/\d+/g) ?? []).map(Number), datetime: time.dateTime, rtl: time.matches(':dir(rtl)') };
            }),
          cases.length,
        );
        for (const [i, s] of seen.entries()) {
          const [, d, h, m, sec] = /^P(\d+)DT(\d+)H(\d+)M(?:(\d+)S)?$/.exec(s.datetime)!.map(Number);
          const parts = cases[i].seconds === false ? [d, h, m] : [d, h, m, sec];
          assert.deepEqual(s.numbers, parts, `${cases[i].locale}: "${s.text}" for ${s.datetime}`);
          assert.equal(d, 150);
          assert.equal(s.rtl, cases[i].rtl, `${cases[i].locale}: "${s.text}"`);
        }
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'data-seconds in any case of false hides the seconds; another word keeps them with one warning, on a clock and a countdown alike',
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const until = iso(serverNow(server) + 3_600_000);
        const body =
          `<span data-crossclock id="clock-off" data-seconds="off" data-locale="en-GB"></span><span data-crossclock id="clock-False" data-seconds="False" data-locale="en-GB"></span>` +
          `<span data-crossclock id="cd-off" data-seconds="off" data-until="${until}"></span><span data-crossclock id="cd-False" data-seconds="False" data-until="${until}"></span>` +
          tagScript(server);
        await engine.goto(host.page('/seconds-spellings', { body }));
        const ids = ['clock-off', 'clock-False', 'cd-off', 'cd-False'];
        for (const id of ids) await waitForState(engine, '#' + id, 'synced');
        const seen: Record<string, string> = {};
        for (const id of ids) seen[id] = (await readBadge(engine, '#' + id))!.time;
        assert.match(seen['clock-off'], /^\d\d:\d\d:\d\d$/);
        assert.match(seen['clock-False'], /^\d\d:\d\d$/);
        assert.match(seen['cd-off'], /^\d\d:\d\d:\d\d$/);
        assert.match(seen['cd-False'], /^\d\d:\d\d$/);
        const rec = await recorded(engine);
        assert.deepEqual(rec, { errors: [], violations: [], warnings: ['crossclock: bad seconds off', 'crossclock: bad seconds off'] });
      },
    },
    {
      title: "bad data-until values: one warning each, no badge; good ones beside them count, one with a server's microseconds too",
      async run({ engine, host, shifted }) {
        const server = await shifted();
        const until = iso(serverNow(server) + 3_600_000);
        // No zone (read in the device's zone: refused), a date alone, words, a day February lacks, epoch ms, an offset without its colon, empty.
        // A leap second (`:60`) is refused too: WebKit's Date would take it as the next minute.
        const bad = ['2026-12-31T23:00:00', '2026-12-31', 'tomorrow', '2026-02-30T00:00:00Z', '1798758000000', '2026-12-31T23:00:00+0100', '2026-12-31T23:59:60Z', ''];
        const body =
          bad.map((v, i) => `<span data-crossclock id="bad${i}" data-until="${v}"></span>`).join('') +
          `<span data-crossclock id="good" data-until="${until}"></span>` +
          // The same instant as Python's isoformat() writes it: microseconds and `+00:00`.
          `<span data-crossclock id="micro" data-until="${until.replace('Z', '456+00:00')}"></span>` +
          tagScript(server);
        await engine.goto(host.page('/countdown-bad', { body }));
        await waitForState(engine, '#good', 'synced');
        await waitForState(engine, '#micro', 'synced');
        // Read in one go: both count down to the same millisecond, so they show the same.
        const [good, micro] = await engine.evaluate(() => ['good', 'micro'].map((id) => document.getElementById(id)!.shadowRoot!.querySelector('time')!.dateTime), null);
        const left = durationSeconds(good);
        assert.ok(left > 3500 && left <= 3600, `${good} left of an hour`);
        assert.equal(micro, good);
        const rec = await recorded(engine);
        assert.deepEqual({ ...rec, warnings: rec.warnings.sort() }, { errors: [], violations: [], warnings: bad.map((v) => `crossclock: bad until ${v}`).sort() });
        // No badge: no text in the shadow root (it holds only the `<slot>` that shows the
        // element's own content, as for any refused option), no state.
        const shown = await engine.evaluate((n) => Array.from({ length: n }, (_, i) => document.getElementById('bad' + i)!).filter((el) => el.shadowRoot?.textContent || el.hasAttribute('data-state')).map((el) => el.id), bad.length);
        assert.deepEqual(shown, []);
      },
    },
    {
      title: "a countdown whose formatter throws (a polyfill forced without its data) shows the element's own text, with one warning",
      async run({ engine, host, widget }) {
        // As formatjs's `Intl.DurationFormat` polyfill forced without its locale data does.
        const head = `<script>Intl.DurationFormat = class { format() { throw new RangeError('Missing locale data'); } };</script>`;
        const until = iso(Date.now() + 3_600_000);
        const body = `<span data-crossclock id="cd" data-until="${until}"><b id="fallback">Sale ends at noon</b></span><span data-crossclock id="clock"></span>${tagScript(widget)}`;
        await engine.goto(host.page('/countdown-formatter-throws', { head, body }));
        // The clock beside it syncs and ticks: the countdown has been rendered by now, had it been made.
        await waitForState(engine, '#clock', 'synced');
        await twoSecondsPass(engine);
        const seen = await engine.evaluate(() => {
          const el = document.getElementById('cd')!;
          return { state: el.getAttribute('data-state'), time: !!el.shadowRoot!.querySelector('time'), fallbackShown: document.getElementById('fallback')!.getClientRects().length > 0 };
        }, null);
        assert.deepEqual(seen, { state: null, time: false, fallbackShown: true });
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: ['crossclock: RangeError: Missing locale data'] });
      },
    },
  ],
};
