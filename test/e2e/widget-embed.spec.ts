/// <reference path="../../widget/crossclock.d.ts" />
import { snippet } from '../support/host-pages.js';
import { installSleep } from '../support/visibility.js';
import { badgeText, expect, html, instant, tagPage, test } from './widget-fixtures.js';

test.describe('loader snippet (analytics-style)', () => {
  test('shows a synced badge on a page of another origin, from the queued call', async ({ page, widget, host, errors }) => {
    const url = host.page(
      '/loader',
      {
        html: html(
          `<span id="clock"></span>
           <script>${snippet(widget.url)}
           crossclock('badge', {target: '#clock', tz: 'Asia/Tokyo', format: '12h'});</script>`,
        ),
      },
    );
    await page.goto(url);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    await expect(page.locator('#clock time')).toHaveText(/^\d{1,2}:\d{2}:\d{2}\s?(AM|PM)$/);
    expect(Math.abs((await instant(page, '#clock')) - Date.now())).toBeLessThan(2000);
    // Tokyo is UTC+9 without DST.
    const shownHour = Number((await page.locator('#clock time').textContent())!.split(':')[0]) % 12;
    expect(shownHour).toBe((new Date().getUTCHours() + 9) % 12);
    expect(errors).toEqual([]);
  });

  test("syncs from the answer to the snippet's own request: one round trip", async ({ page, widget, host }) => {
    const url = host.page('/loader-first', {
      html: html(`<span id="clock"></span><script>${snippet(widget.url)}crossclock('badge', {target: '#clock'});</script>`),
    });
    // Hold back every time request the bundle makes itself: only the snippet's can answer.
    const held: (() => Promise<void>)[] = [];
    await page.route(/\/v1\/time\?callback=crossclock\.t&id=[\w-]+$/, (route) => {
      held.push(() => route.continue());
    });
    const snippetRequest = page.waitForRequest(/\/v1\/time\?callback=crossclock&id=[\w-]+$/);
    // Held scripts delay the load event: do not wait for it.
    await page.goto(url, { waitUntil: 'commit' });
    await snippetRequest;
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    await expect.poll(() => held.length).toBeGreaterThan(0);
    // The snippet's tag is removed like every JSONP tag; only the held ones remain.
    await expect(page.locator('script[src*="/v1/time"]')).toHaveCount(held.length);
    await Promise.all(held.map((go) => go()));
  });

  test('pasted twice: one bundle load, one badge per target, one warning', async ({ page, widget, host, errors, warnings }) => {
    const paste = `<script>${snippet(widget.url)}crossclock('badge', {target: '#clock'});</script>`;
    const url = host.page('/twice', { html: html(`<span id="clock"></span>${paste}${paste}`) });
    const bundleLoads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/crossclock')) bundleLoads.push(r.url());
    });
    await page.goto(url);
    await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
    expect(bundleLoads).toHaveLength(1);
    expect(await page.locator('#clock').evaluate((el) => el.shadowRoot!.querySelectorAll('time').length)).toBe(1);
    expect(warnings).toEqual(['crossclock: pasted twice']);
    expect(errors).toEqual([]);
  });
});

test.describe('single-tag embed', () => {
  test('turns each data-crossclock element into a badge with its own options', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/tag', {
      html: html(
        `<div data-crossclock id="a" data-tz="Europe/London" data-format="24h" data-locale="en-GB" data-label="London"></div>
         <div data-crossclock id="b" data-tz="America/New_York" data-format="12h" data-seconds="false" data-locale="en-US" data-theme="dark"></div>
         <div data-crossclock id="c" data-theme="light"></div>
         <script async src="${widget.url}/v1/crossclock.js"></script>`,
      ),
    });
    await page.goto(url);
    for (const id of ['#a', '#b', '#c']) await expect(page.locator(id)).toHaveAttribute('data-state', 'synced');
    await expect(page.locator('#a time')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    expect(await badgeText(page, '#a')).toMatch(/^London \d{2}:\d{2}:\d{2}$/);
    await expect(page.locator('#b time')).toHaveText(/^\d{1,2}:\d{2}\s?(AM|PM)$/);
    // The instant is the same for every zone; only the text differs. A badge without seconds
    // carries the start of its shown minute. Both are read in one task: every badge is
    // rendered in the same tick, so no tick can fall between the two reads.
    const [a, b] = await page.evaluate(() =>
      ['a', 'b'].map((id) => Date.parse(document.getElementById(id)!.shadowRoot!.querySelector('time')!.dateTime)),
    );
    expect(b).toBe(a - (a % 60_000));
    const [london, newYork] = await page.evaluate(() =>
      ['Europe/London', 'America/New_York'].map((timeZone) =>
        new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()),
      ),
    );
    await expect(page.locator('#a time')).toHaveText(new RegExp(`^${london}:`));
    const nyHour = Number(newYork) % 12 || 12;
    await expect(page.locator('#b time')).toHaveText(new RegExp(`^${nyHour}:`));
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('warns about a bad option and still shows a working badge', async ({ page, widget, host, warnings }) => {
    const url = tagPage(host, widget, '/tag-typo', 'data-format="25h"');
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    expect(warnings).toEqual(['crossclock: bad format 25h']);
  });

  test('loaded twice: the second copy stays inert and says so', async ({ page, widget, host, errors, warnings }) => {
    const tag = `<script async src="${widget.url}/v1/crossclock.js"></script>`;
    const url = host.page('/tag-twice', { html: html(`<span data-crossclock id="a"></span>${tag}${tag}`) });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await expect.poll(() => warnings).toEqual(['crossclock: loaded twice']);
    expect(errors).toEqual([]);
  });
});

test.describe('API', () => {
  test('adds badges later, fires sync events with details, and tells synchronised time', async ({ page, widget, host, errors }) => {
    // The visitor's clock is an hour slow: the badge must still show the right time.
    const realStart = Date.now();
    await page.clock.install({ time: realStart - 3_600_000 });
    await page.addInitScript(installSleep);
    const url = tagPage(host, widget, '/api');
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    const detail = await page.evaluate(
      () =>
        new Promise<{ offset: number; rtt: number; uncertainty: number }>((resolve) => {
          const el = document.createElement('span');
          el.id = 'later';
          document.body.append(el);
          el.addEventListener('crossclock:sync', (e) => resolve((e as CustomEvent).detail), { once: true });
          crossclock('badge', { target: el, label: 'Later' });
          // After a device sleep the page resyncs: the new badge hears about it.
          (window as any).__sleep(60_000);
        }),
    );
    await expect(page.locator('#later')).toHaveAttribute('data-state', 'synced');
    expect(detail.rtt).toBeGreaterThanOrEqual(0);
    expect(detail.uncertainty).toBe(detail.rtt / 2);
    expect(Math.abs(detail.offset - 3_600_000)).toBeLessThan(2000);
    const now = await page.evaluate(() => crossclock.now!());
    expect(Math.abs(now - Date.now())).toBeLessThan(2000);
    expect(Math.abs((await instant(page, '#later')) - Date.now())).toBeLessThan(2000);
    expect(errors).toEqual([]);
  });

  test('warns, without throwing, about an unknown command or a missing target', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/api-bad', { html: html(`<script async src="${widget.url}/v1/crossclock.js"></script>`) });
    await page.goto(url);
    await page.waitForFunction(() => typeof crossclock?.now === 'function');
    await page.evaluate(() => {
      (crossclock as any)('dance');
      crossclock('badge', { target: '#nowhere' });
      crossclock('badge', { target: document.body, tz: 'Mars/Olympus' });
    });
    expect(warnings).toEqual([
      'crossclock: bad command dance',
      'crossclock: bad target #nowhere',
      expect.stringMatching(/^crossclock: RangeError: .*Mars\/Olympus/),
    ]);
    expect(errors).toEqual([]);
  });

  test('on an element that cannot hold a shadow root, warns as the README says; a <span> inside it works', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/not-a-host', {
      html: html(
        `<table><tr><td data-crossclock id="cell"></td><td><span data-crossclock id="a"></span></td></tr></table>` +
          `<ul><li data-crossclock>x</li></ul><p><time data-crossclock></time></p>` +
          `<script async src="${widget.url}/v1/crossclock.js"></script>`,
      ),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    expect(warnings).toHaveLength(3);
    for (const w of warnings) expect(w).toMatch(/^crossclock: NotSupportedError: .*attachShadow/);
    expect(await page.locator('#cell').getAttribute('data-state')).toBeNull();
    expect(errors).toEqual([]);
  });

  test('adds no global but crossclock', async ({ page, widget, host }) => {
    const url = host.page('/globals', {
      html: html(`<span data-crossclock id="a"></span><script>window.before = Object.getOwnPropertyNames(window);</script>
        <script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    const added = await page.evaluate(() =>
      Object.getOwnPropertyNames(window).filter((k) => !(window as any).before.includes(k) && k !== 'before'),
    );
    expect(added).toEqual(['crossclock']);
  });
});
