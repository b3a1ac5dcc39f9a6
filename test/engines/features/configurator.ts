import assert from 'node:assert/strict';
import { waitFor, type Engine } from '../engine.js';
import type { WidgetServer } from '../../support/widget-server.js';
import { readBadge, type Feature } from '../suite.js';

/**
 * The embed configurator at `/` (server/configurator/), driven as a site owner drives it:
 * real clicks and keys through each driver where they reach the control alike in every
 * engine; `evaluate` where they cannot (noted at each use).
 */

const FORMS = ['loader', 'tag', 'sri'] as const;

/** Opens the configurator and waits for its snippets; from then on `window.__errors` records uncaught errors. */
async function open(engine: Engine, widget: WidgetServer) {
  await engine.goto(widget.url + '/');
  // The page serves no recorder of its own (its CSP allows only its own scripts): installed
  // now, it sees every error the controls and copy buttons cause from here on.
  await engine.evaluate(() => {
    const errors: string[] = ((window as any).__errors = []);
    addEventListener('error', (e) => errors.push('error: ' + e.message));
    addEventListener('unhandledrejection', (e) => errors.push('unhandledrejection: ' + String(e.reason)));
  }, null);
  await waitFor(engine, 'the snippets to load', () => document.getElementById('snippet-tag')!.textContent!.includes('<script'), null);
}

const errors = (engine: Engine) => engine.evaluate(() => (window as any).__errors as string[], null);

/** The three snippets as the page shows them. */
const snippets = (engine: Engine) =>
  engine.evaluate((forms) => Object.fromEntries(forms.map((f) => [f, document.getElementById('snippet-' + f)!.textContent!])), FORMS as unknown as string[]);

/** Waits until every snippet holds exactly the badge element `element`, and returns them. */
async function waitForElement(engine: Engine, element: string) {
  await waitFor(
    engine,
    `every snippet to hold ${element}`,
    ([forms, el]) => (forms as string[]).every((f) => document.getElementById('snippet-' + f)!.textContent!.startsWith((el as string) + '\n')),
    [FORMS as unknown as string[], element],
  );
  return snippets(engine);
}

/** Replaces the zone search's text by typing `text` into it. */
async function search(engine: Engine, text: string) {
  await engine.evaluate(() => {
    const filter = document.getElementById('tz-filter') as HTMLInputElement;
    filter.focus();
    filter.select();
  }, null);
  await engine.press(text);
}

/** The zone list's options as shown: `[value, text]`. */
const listed = (engine: Engine) =>
  engine.evaluate(() => [...(document.getElementById('tz') as HTMLSelectElement).options].map((o) => [o.value, o.text]), null);

/**
 * Sets the countdown's date and time. By script: the engines' `datetime-local` fields take
 * keys in different segment orders (and WebKitGTK's by its own rules), so typed keys would
 * test the engine's widget, not the page; an edit fires `input` as this does.
 */
const setUntil = (engine: Engine, value: string) =>
  engine.evaluate((v) => {
    const input = document.getElementById('until') as HTMLInputElement;
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return input.value;
  }, value);

export const feature: Feature = {
  name: 'the embed configurator (zone search, countdown picker, live preview, snippets, copy buttons)',
  tests: [
    {
      title: 'the zone search finds a renamed zone by its current and its former name, and gives it one spelling in every engine',
      async run({ engine, widget }) {
        await open(engine, widget);
        // Chromium and WebKit list `Europe/Kiev`, Firefox `Europe/Kyiv`: either search finds the one entry.
        for (const text of ['kyiv', 'kiev']) {
          await search(engine, text);
          assert.deepEqual(await listed(engine), [['Europe/Kyiv', 'Europe/Kyiv (formerly Kiev)']], `searching "${text}"`);
        }
        await engine.press({ key: 'Enter' });
        await waitForElement(engine, '<span data-crossclock data-tz="Europe/Kyiv"></span>');
        await search(engine, 'calcutta');
        await engine.press({ key: 'Enter' });
        await waitForElement(engine, '<span data-crossclock data-tz="Asia/Kolkata"></span>');
        // One UTC, first, in every engine (Chromium's own list has none).
        await search(engine, 'utc');
        assert.deepEqual((await listed(engine)).map(([v]) => v), ['UTC']);
        assert.deepEqual(await errors(engine), []);
      },
    },
    {
      title: 'Enter in the zone search picks the first match, and the arrow keys move through the list, each choice reaching the snippets',
      async run({ engine, widget }) {
        await open(engine, widget);
        await search(engine, 'asia/t');
        const matches = (await listed(engine)).map(([v]) => v);
        assert.ok(matches.length >= 3 && matches.every((z) => z.startsWith('Asia/T')), `matches: ${matches}`);
        await engine.press({ key: 'Enter' });
        await waitForElement(engine, `<span data-crossclock data-tz="${matches[0]}"></span>`);
        await engine.press({ key: 'ArrowDown' });
        assert.equal(await engine.evaluate(() => document.activeElement?.id, null), 'tz', 'ArrowDown in the search moves to the list');
        await engine.press({ key: 'ArrowDown' });
        await waitForElement(engine, `<span data-crossclock data-tz="${matches[1]}"></span>`);
        await engine.press({ key: 'ArrowUp' });
        await waitForElement(engine, `<span data-crossclock data-tz="${matches[0]}"></span>`);
        assert.deepEqual(await errors(engine), []);
      },
    },
    {
      title: 'the clock options chosen by click and keyboard show in the live preview, and every snippet carries exactly them',
      async run({ engine, widget }) {
        await open(engine, widget);
        await search(engine, 'tokyo');
        await engine.press({ key: 'Enter' });
        await engine.click('input[name=format][value="24h"]');
        await engine.click('#seconds');
        // A drop-down's own popup is the engine's (and under WebDriver not reachable alike): by script.
        await engine.evaluate(() => {
          const theme = document.getElementById('theme') as HTMLSelectElement;
          theme.value = 'dark';
          theme.dispatchEvent(new Event('input', { bubbles: true }));
        }, null);
        await engine.click('#label');
        await engine.press('Tokyo "office" <b> & co');
        const element =
          '<span data-crossclock data-tz="Asia/Tokyo" data-format="24h" data-seconds="false" data-theme="dark" data-label="Tokyo &quot;office&quot; &lt;b> &amp; co"></span>';
        const shown = await waitForElement(engine, element);
        assert.equal(shown.tag, `${element}\n<script async src="${widget.url}/v1/crossclock.js"></script>`);
        assert.match(shown.loader, /^<span [^\n]+\n<script>[\s\S]+<\/script>$/);
        assert.match(shown.sri, new RegExp(`^<span [^\\n]+\\n<script async src="${widget.url}/v1/crossclock\\.[0-9a-f]+\\.js" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous"></script>$`));

        // The preview is the real widget with those options: synced, Tokyo's hours and minutes, no seconds, the label.
        await waitFor(engine, 'the preview to sync with the label', () => {
          const el = document.querySelector('#preview [data-state]');
          return el?.getAttribute('data-state') === 'synced' && el.shadowRoot!.textContent!.includes('Tokyo "office" <b> & co');
        }, null);
        const badge = (await readBadge(engine, '#preview [data-state]'))!;
        assert.match(badge.time, /^\d\d:\d\d$/);
        const tokyo = (t: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
        assert.ok([tokyo(Date.now() - 60_000), tokyo(Date.now())].includes(badge.time), `preview ${badge.time}, Tokyo ${tokyo(Date.now())}`);
        assert.deepEqual(await errors(engine), []);
      },
    },
    {
      title: 'a countdown reads its date and time (with or without seconds) in the chosen zone, points out an empty or past one, and previews the count',
      async run({ engine, widget }) {
        await open(engine, widget);
        await engine.click('input[name=mode][value=countdown]');
        assert.deepEqual(
          await engine.evaluate(() => ({ fields: !document.getElementById('countdown-fields')!.hidden, hours: (document.getElementById('hours') as HTMLFieldSetElement).disabled }), null),
          { fields: true, hours: true },
        );
        await search(engine, 'berlin');
        await engine.press({ key: 'Enter' });
        // Berlin's offset follows its rules on that date; seconds (step="1") are kept, a :00 the engine may drop is restored.
        for (const [value, until] of [
          ['2031-07-01T12:00', '2031-07-01T12:00:00+02:00'],
          ['2031-01-01T12:00:30', '2031-01-01T12:00:30+01:00'],
          ['2031-01-01T12:00:00', '2031-01-01T12:00:00+01:00'],
        ]) {
          await setUntil(engine, value);
          await waitForElement(engine, `<span data-crossclock data-until="${until}"></span>`);
        }
        // An empty field (what every engine's value is while the field is incomplete or invalid): no data-until, no preview.
        assert.equal(await setUntil(engine, 'not a date'), '');
        await waitForElement(engine, '<span data-crossclock></span>');
        assert.match(await engine.evaluate(() => document.getElementById('until-problem')!.textContent!, null), /Choose the date and time/);
        assert.equal(await engine.evaluate(() => document.querySelector('#preview [data-state]'), null), null);
        await setUntil(engine, '2020-01-01T00:00');
        await waitForElement(engine, '<span data-crossclock data-until="2020-01-01T00:00:00+01:00"></span>');
        assert.match(await engine.evaluate(() => document.getElementById('until-problem')!.textContent!, null), /has passed/);

        // Two days and an hour from now on Tokyo's clocks (UTC+9 all year): the preview counts down two days.
        await search(engine, 'tokyo');
        await engine.press({ key: 'Enter' });
        const tokyo = new Date(Date.now() + 2 * 86_400_000 + 3_600_000 + 9 * 3_600_000).toISOString().slice(0, 16);
        await setUntil(engine, tokyo);
        await engine.click('#ended');
        await engine.press('Sold out');
        await waitForElement(engine, `<span data-crossclock data-until="${tokyo}:00+09:00" data-ended="Sold out"></span>`);
        await waitFor(engine, 'the preview to count down about two days', () => {
          const el = document.querySelector('#preview [data-state]');
          return el?.getAttribute('data-state') === 'synced' && /^P2DT0H\d+M\d+S$/.test(el.shadowRoot!.querySelector('time')?.dateTime ?? '');
        }, null);
        assert.deepEqual(await errors(engine), []);
      },
    },
    {
      title: 'with no clipboard permission, or no Clipboard API at all, a copy button selects the snippet and says how to copy it, with no uncaught error',
      async run({ engine, widget }) {
        await open(engine, widget);
        for (const [form, how] of [
          ['loader', 'denied'],
          ['tag', 'absent'],
        ] as const) {
          // The engines grant the clipboard differently (WebKit to no page under WebDriver):
          // both refusals are made alike in every engine, as a browser without permission answers.
          await engine.evaluate((h) => {
            if (h === 'denied') {
              Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) });
              document.execCommand = () => false;
            } else {
              Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
              document.execCommand = () => {
                throw new DOMException('not allowed', 'SecurityError');
              };
            }
          }, how);
          await engine.click(`button[data-copy="snippet-${form}"]`);
          const status = await waitFor(engine, 'the copy status', (f) => document.querySelector(`article[data-form=${f}] .copied`)!.textContent, form);
          assert.match(status, /the snippet is selected, press (⌘|Ctrl\+)C to copy it/, `${how}: ${status}`);
          const selected = await engine.evaluate((f) => [getSelection()!.toString(), document.getElementById('snippet-' + f)!.textContent], form);
          assert.equal(selected[0], selected[1], `${how}: the selection is the snippet`);
        }
        assert.deepEqual(await errors(engine), []);
      },
    },
    {
      title: 'a copy button clicked with the clipboard as the engine grants it says Copied. or selects the snippet, never failing silently',
      async run({ engine, widget }) {
        await open(engine, widget);
        await engine.click('button[data-copy="snippet-sri"]');
        const status = await waitFor(engine, 'the copy status', () => document.querySelector('article[data-form=sri] .copied')!.textContent, null);
        if (status !== 'Copied.') {
          assert.match(status, /the snippet is selected, press (⌘|Ctrl\+)C to copy it/);
          assert.equal(await engine.evaluate(() => getSelection()!.toString() === document.getElementById('snippet-sri')!.textContent, null), true);
        }
        assert.deepEqual(await errors(engine), []);
      },
    },
  ],
};
