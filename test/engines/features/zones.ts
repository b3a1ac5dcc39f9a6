import assert from 'node:assert/strict';
import { tagScript } from '../embeds.js';
import { waitFor } from '../engine.js';
import { startShiftedWidget } from '../site.js';
import { recorded, waitForState, type Feature } from '../suite.js';

/** One badge of the test page: its options and the `Intl` options that spell its text independently. */
interface Case {
  id: string;
  tz?: string;
  locale?: string;
  format?: '12h' | '24h';
  seconds?: boolean;
}

/**
 * The `Etc/GMT…` zone where the hour is now `hour` (0: midnight, 12: noon): the hour-cycle
 * edge cases (`00` vs `24`, `12 AM`), whatever time the suite runs. `Etc/GMT-9` is UTC+9.
 */
export function zoneAtHour(hour: number, utcHour: number): string {
  let offset = (hour - utcHour + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export const feature: Feature = {
  name: 'time zones and hour formats match Intl',
  tests: [
    {
      title: 'each badge shows its zone, locale and hour cycle exactly as Intl spells the instant it shows',
      async run({ engine, host, widget }) {
        const utcHour = new Date().getUTCHours();
        const cases: Case[] = [
          { id: 'tokyo', tz: 'Asia/Tokyo', locale: 'en-US', format: '12h' },
          { id: 'ny', tz: 'America/New_York', locale: 'en-GB', format: '24h' },
          { id: 'kolkata', tz: 'Asia/Kolkata', locale: 'en-GB', format: '24h' },
          { id: 'adelaide', tz: 'Australia/Adelaide', locale: 'de-DE', format: '24h', seconds: false },
          { id: 'midnight24', tz: zoneAtHour(0, utcHour), locale: 'en-US', format: '24h' },
          { id: 'midnight12', tz: zoneAtHour(0, utcHour), locale: 'en-US', format: '12h' },
          { id: 'noon12', tz: zoneAtHour(12, utcHour), locale: 'en-GB', format: '12h' },
          { id: 'visitor' },
        ];
        const attr = (name: string, v: unknown) => (v === undefined ? '' : ` data-${name}="${v}"`);
        const body =
          cases.map((c) => `<span data-crossclock id="${c.id}"${attr('tz', c.tz)}${attr('locale', c.locale)}${attr('format', c.format)}${attr('seconds', c.seconds)}></span>`).join('') +
          tagScript(widget);
        await engine.goto(host.page('/zones', { body }));
        for (const c of cases) await waitForState(engine, '#' + c.id, 'synced');
        const seen = await engine.evaluate(
          (list: Case[]) =>
            list.map((c) => {
              const time = document.getElementById(c.id)!.shadowRoot!.querySelector('time')!;
              const t = Date.parse(time.dateTime);
              // Spelled out field by field, not `timeStyle`: the widget's own spelling is what is checked.
              const expected = c.format
                ? new Intl.DateTimeFormat(c.locale, {
                    timeZone: c.tz,
                    hour: c.format === '12h' ? 'numeric' : '2-digit',
                    minute: '2-digit',
                    second: c.seconds === false ? undefined : '2-digit',
                    hourCycle: c.format === '12h' ? 'h12' : 'h23',
                  }).format(t)
                : new Date(t).toLocaleTimeString();
              return { id: c.id, shown: time.textContent, expected, late: (window as any).crossclock.now() - t, minutes: c.seconds === false };
            }),
          cases,
        );
        for (const s of seen) {
          assert.equal(s.shown, s.expected, `${s.id}: shown ${JSON.stringify(s.shown)}, Intl says ${JSON.stringify(s.expected)}`);
          // The instant shown is the current second; without seconds the text, and with it
          // `datetime`, changes once a minute, so it may be up to a minute old.
          const limit = s.minutes ? 62_000 : 2000;
          assert.ok(s.late >= 0 && s.late < limit, `${s.id}: shows an instant ${s.late} ms before now`);
        }
        // Two zones whose hour differs: the text tells zones apart, not only the locale.
        assert.notEqual(seen[1].shown.split(':')[0], seen[2].shown.split(':')[0]);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: "zone spellings Intl takes (lower case, old links, Etc/GMT signs, offsets) show that zone's time; malformed zones and locales one warning each and the element's own text",
      async run({ engine, host, widget }) {
        // Each accepted spelling beside the zone Intl means by it, spelled independently:
        // `Etc/GMT+5` is five hours *behind* UTC (POSIX signs), as IANA defines it.
        const good = [
          ['europe/paris', 'Europe/Paris'],
          ['Asia/Calcutta', 'Asia/Kolkata'],
          ['US/Eastern', 'America/New_York'],
          ['Etc/GMT+5', '-05:00'],
          ['+05:45', 'Asia/Kathmandu'],
          ['Australia/Eucla', '+08:45'],
        ];
        // Not zones: an offset in words, a zone with a space pasted before it. Not a locale: POSIX's
        // `en_US` (WordPress's get_locale() writes it).
        const bad = [' data-tz="UTC+2"', ' data-tz=" Europe/Paris"', ' data-locale="en_US"'];
        const body =
          good.map(([tz], i) => `<span data-crossclock id="good${i}" data-tz="${tz}" data-locale="en-GB"></span>`).join('') +
          bad.map((attrs, i) => `<span data-crossclock id="bad${i}"${attrs}>own text</span>`).join('') +
          // Empty is unset: the visitor's zone and language; a well-formed locale no engine has, the engine's fallback.
          '<span data-crossclock id="empty" data-tz="" data-locale=""></span><span data-crossclock id="unknown" data-locale="xx-invalid"></span>' +
          tagScript(widget);
        await engine.goto(host.page('/zone-spellings', { body }));
        for (let i = 0; i < good.length; i++) await waitForState(engine, '#good' + i, 'synced');
        await waitForState(engine, '#empty', 'synced');
        await waitForState(engine, '#unknown', 'synced');
        const seen = await engine.evaluate(
          (zones: string[][]) => {
            const time = (id: string) => document.getElementById(id)!.shadowRoot!.querySelector('time')!;
            const spell = (t: number, tz?: string, locale?: string) => new Intl.DateTimeFormat(locale, { timeZone: tz, timeStyle: 'medium' }).format(t);
            return {
              good: zones.map(([, tz], i) => {
                const el = time('good' + i);
                return [el.textContent, spell(Date.parse(el.dateTime), tz, 'en-GB')];
              }),
              fallback: Array.from({ length: 3 }, (_, i) => {
                const el = document.getElementById('bad' + i)!;
                const range = document.createRange();
                range.selectNodeContents(el);
                return [range.getClientRects().length > 0, el.getAttribute('data-state')];
              }),
              own: ['empty', 'unknown'].map((id) => {
                const el = time(id);
                return [el.textContent, spell(Date.parse(el.dateTime)), el.lang];
              }),
              lang: new Intl.DateTimeFormat().resolvedOptions().locale,
            };
          },
          good,
        );
        for (const [i, [shown, expected]] of seen.good.entries()) assert.equal(shown, expected, `data-tz="${good[i][0]}"`);
        assert.deepEqual(seen.fallback, [[true, null], [true, null], [true, null]]);
        assert.deepEqual(seen.own.map(([shown, expected]) => shown === expected), [true, true], JSON.stringify(seen.own));
        assert.deepEqual(seen.own.map(([, , lang]) => lang), [seen.lang, seen.lang]);
        const rec = await recorded(engine);
        assert.deepEqual(rec.errors, []);
        // One each, naming the value (the wording is the engine's).
        assert.deepEqual(
          rec.warnings.map((w) => /^crossclock: RangeError: /.test(w) && ['UTC+2', ' Europe/Paris', 'en_US'].findIndex((v) => w.includes(v))).sort(),
          [0, 1, 2],
          rec.warnings.join('; '),
        );
      },
    },
    {
      title: 'a page left open across a DST change shows the new offset from that second on; a zone 45 minutes off the hour beside it stays right',
      async run({ engine, host }) {
        // Europe's clocks go forward at 01:00 UTC on 28 March 2027: Berlin 01:59:59 → 03:00:00,
        // London 00:59:59 → 02:00:00. A server whose clock reaches that instant 8 s from now
        // (the browser learns the time only from it), each zone spelled independently as the
        // fixed offset in force on either side.
        const change = Date.parse('2027-03-28T01:00:00Z');
        const zones = [
          ['Europe/Berlin', '+01:00', '+02:00'],
          ['Europe/London', '+00:00', '+01:00'],
          ['Asia/Kathmandu', '+05:45', '+05:45'],
        ];
        const server = await startShiftedWidget(change - 8000 - Date.now());
        try {
          const body = zones.map(([tz], i) => `<span data-crossclock id="z${i}" data-tz="${tz}" data-locale="en-GB"></span>`).join('') + tagScript(server);
          await engine.goto(host.page('/dst', { body }));
          for (let i = 0; i < zones.length; i++) await waitForState(engine, '#z' + i, 'synced');
          // Every text each badge shows from now on, with its datetime, as the page sees it change.
          const before = await engine.evaluate((n) => {
            const seen: [number, string, string][] = ((window as any).__seen = []);
            for (let i = 0; i < n; i++) {
              const time = document.getElementById('z' + i)!.shadowRoot!.querySelector('time')!;
              new MutationObserver(() => seen.push([i, time.textContent!, time.dateTime])).observe(time, { childList: true, characterData: true, subtree: true });
            }
            return Date.parse(document.getElementById('z0')!.shadowRoot!.querySelector('time')!.dateTime);
          }, zones.length);
          assert.ok(before < change - 1000, `synced only ${new Date(before).toISOString()}, too late to see the change`);
          await waitFor(engine, 'the change to pass', (c) => Date.parse(document.getElementById('z0')!.shadowRoot!.querySelector('time')!.dateTime) >= c + 1000, change, 15_000);
          const seen = await engine.evaluate(
            ([list, c]) =>
              ((window as any).__seen as [number, string, string][]).map(([i, text, datetime]): [number, string, string] => {
                const t = Date.parse(datetime);
                return [i, text, new Intl.DateTimeFormat('en-GB', { timeZone: list[i][t < c ? 1 : 2], timeStyle: 'medium' }).format(t)];
              }),
            [zones, change] as const,
          );
          for (const [i, shown, expected] of seen) assert.equal(shown, expected, zones[i][0]);
          const berlin = seen.filter(([i]) => i === 0).map(([, text]) => text);
          assert.ok(berlin.some((t) => t.startsWith('01:59:')) && berlin.includes('03:00:00'), berlin.join(' '));
          assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
        } finally {
          await server.kill();
        }
      },
    },
    {
      // `12h` is `hour12: true`, which ECMA-402 resolves per locale: Japanese counts its 12-hour
      // clock from 0 (`午前0時`, CLDR's `K`), and Firefox and WebKit follow; Chromium 156 writes
      // 12. `ar` without a region has Latin digits in current CLDR, Arabic-Indic in WebKitGTK's
      // ICU 72. Neither is a wrong time; forcing one hour cycle would override Japanese usage.
      // This fails once an engine changes: docs/browsers.md must then be revisited.
      title: "limitation: locale data is the engine's: 12h Japanese midnight and noon read 午前12/午後12 in Chromium, 午前0/午後0 elsewhere; plain ar has Arabic-Indic digits in WebKit only",
      async run({ engine, host, widget }) {
        const utcHour = new Date().getUTCHours();
        const body =
          `<span data-crossclock id="midnight" data-tz="${zoneAtHour(0, utcHour)}" data-locale="ja" data-format="12h"></span>` +
          `<span data-crossclock id="noon" data-tz="${zoneAtHour(12, utcHour)}" data-locale="ja" data-format="12h"></span>` +
          '<span data-crossclock id="ar" data-locale="ar" data-format="24h"></span>' +
          tagScript(widget);
        await engine.goto(host.page('/locale-data', { body }));
        for (const id of ['midnight', 'noon', 'ar']) await waitForState(engine, '#' + id, 'synced');
        const text = await engine.evaluate(() => ['midnight', 'noon', 'ar'].map((id) => document.getElementById(id)!.shadowRoot!.querySelector('time')!.textContent!), null);
        const twelve = engine.name === 'chromium' ? '12' : '0';
        assert.match(text[0], new RegExp(`^午前${twelve}:\\d\\d:\\d\\d$`));
        assert.match(text[1], new RegExp(`^午後${twelve}:\\d\\d:\\d\\d$`));
        assert.match(text[2], engine.name === 'webkit' ? /^[٠-٩]{2}:[٠-٩]{2}:[٠-٩]{2}$/ : /^\d\d:\d\d:\d\d$/);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      // The widget has no zone rules of its own (they would cost kilobytes): it shows what the
      // engine's Intl says. WebKitGTK uses the system's ICU, on Debian 12 ICU 72 (2022 zone
      // data); Chromium and Firefox ship their own, current one. See docs/browsers.md. This
      // fails once WebKit's data is current: the page must then be revisited.
      title: "limitation: zone rules are the engine's own, and WebKitGTK's predate 2023 (Asia/Almaty an hour off, America/Ciudad_Juarez unknown)",
      async run({ engine, host, widget }) {
        const stale = engine.name === 'webkit';
        const body =
          '<span data-crossclock id="almaty" data-tz="Asia/Almaty" data-locale="en-GB" data-format="24h"></span>' +
          '<span data-crossclock id="juarez" data-tz="America/Ciudad_Juarez"></span><span data-crossclock id="clock"></span>' +
          tagScript(widget);
        await engine.goto(host.page('/zone-data', { body }));
        await waitForState(engine, '#clock', 'synced');
        const almaty = await engine.evaluate(() => {
          const time = document.getElementById('almaty')!.shadowRoot!.querySelector('time')!;
          return { text: time.textContent!, utcHour: new Date(time.dateTime).getUTCHours() };
        }, null);
        // Kazakhstan moved Almaty from UTC+6 to UTC+5 on 1 March 2024 (tz 2024a).
        const offset = (Number(almaty.text.split(':')[0]) - almaty.utcHour + 24) % 24;
        assert.equal(offset, stale ? 6 : 5, `Asia/Almaty shows ${almaty.text} at ${almaty.utcHour}:xx UTC`);
        // Ciudad Juárez got a zone of its own in 2022 (tz 2022g); an engine without it refuses it like any unknown zone.
        const juarez = await engine.evaluate(() => document.getElementById('juarez')!.getAttribute('data-state'), null);
        const rec = await recorded(engine);
        if (stale) {
          assert.equal(juarez, null);
          assert.deepEqual(rec.warnings.map((w) => /^crossclock: RangeError: .*America\/Ciudad_Juarez/.test(w)), [true], rec.warnings.join('; '));
        } else {
          assert.equal(juarez, 'synced');
          assert.deepEqual(rec.warnings, []);
        }
        assert.deepEqual(rec.errors, []);
      },
    },
  ],
};
