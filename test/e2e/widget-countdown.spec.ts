/// <reference path="../../widget/crossclock.d.ts" />
import type { Page } from '@playwright/test';
import { durationSeconds } from '../support/duration.js';
import { SHIFT_MS, startShiftedWidget, type ShiftedWidget } from '../support/shifted-widget.js';
import { BURST } from '../../widget/src/sync.js';
import { test as base, expect, html, setHidden } from './widget-fixtures.js';

/** A widget server on its own origin whose clock is `SHIFT_MS` off this machine's (see shifted-main.ts). */
const test = base.extend<{}, { shifted: ShiftedWidget & { origin: string } }>({
  shifted: [
    async ({}, use) => {
      const server = await startShiftedWidget(SHIFT_MS);
      await use({ ...server, origin: `http://widget.test:${server.port}` });
      await server.kill();
    },
    { scope: 'worker' },
  ],
});

/** The server's time now, by this machine's clock (the browser's clock is the same one). */
const serverNow = () => Date.now() + SHIFT_MS;
const iso = (t: number) => new Date(t).toISOString();

/** The `HH:MM[:SS]` a duration's text must end with, from its `datetime`. */
function clockPart(d: string): string {
  const m = /T(\d+)H(\d+)M(?:(\d+)S)?$/.exec(d)!;
  return [m[2], m[3], m[4]].filter((x) => x !== undefined).map((x) => x.padStart(2, '0')).join(':');
}

/** The badge's text, `datetime` and host state, and the synchronised time, read in one go. */
function read(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const time = el.shadowRoot!.querySelector('time')!;
    return { text: time.textContent ?? '', datetime: time.getAttribute('datetime') ?? '', state: el.getAttribute('data-state'), now: window.crossclock.now!(), device: Date.now() };
  });
}

/** Every `crossclock:end` on the page, stamped with the synchronised time it arrived at. */
const RECORD_ENDS = () => {
  const w = window as unknown as { __ends: { id: string; at: number }[] };
  w.__ends = [];
  document.addEventListener('crossclock:end', (e) => w.__ends.push({ id: (e.target as Element).id, at: window.crossclock.now!() }), true);
};
const ends = (page: Page) => page.evaluate(() => (window as unknown as { __ends: { id: string; at: number }[] }).__ends);

/**
 * Opens `body` under Playwright's clock with a clock badge `#clock` beside it, waits for the
 * whole first burst of samples, then pauses the page's clock: from then on time moves only
 * when the test says.
 */
async function openPaused(page: Page, host: { page: (p: string, o: { html: string }) => string }, origin: string, path: string, body = '') {
  let answered = 0;
  page.on('requestfinished', (r) => {
    if (r.url().includes('/v1/time')) answered++;
  });
  await page.addInitScript(RECORD_ENDS);
  await page.clock.install();
  await page.goto(host.page(path, { html: html(`<span data-crossclock id="clock"></span>${body}<script async src="${origin}/v1/crossclock.js"></script>`) }));
  await expect(page.locator('#clock')).toHaveAttribute('data-state', 'synced');
  await expect.poll(() => answered).toBe(BURST);
  await page.clock.pauseAt(Date.now() + 5000);
}

/** Makes `#cd` a countdown to `offsetMs` after the page's synchronised now (+ `frac` ms past a whole second), by the API. */
function countdownIn(page: Page, seconds: number, frac = 0, extra: Record<string, unknown> = {}) {
  return page.evaluate(
    ([seconds, frac, extra]) => {
      const until = Math.floor(window.crossclock.now!() / 1000) * 1000 + seconds * 1000 + frac;
      const target = document.createElement('span');
      target.id = 'cd';
      document.body.append(target);
      window.crossclock('badge', { target, until: new Date(until).toISOString(), locale: 'en-US', ...extra });
      return until;
    },
    [seconds, frac, extra] as const,
  );
}

test.describe('countdown badges against a server whose clock is hours off the device’s', () => {
  test('count down to the instant by the server’s clock; text and datetime agree', async ({ page, host, shifted, errors, warnings }) => {
    const t = Math.ceil(serverNow() / 1000) * 1000;
    const targets = {
      '#short': t + (2 * 3600 + 3 * 60 + 4) * 1000,
      '#days': t + (((2 * 24 + 3) * 60 + 4) * 60 + 5) * 1000,
      '#minutes': t + (5 * 60 + 30) * 1000,
    };
    const body =
      `<span data-crossclock id="short" data-until="${iso(targets['#short'])}" data-locale="en-US" data-label="Sale ends in"></span>` +
      `<span data-crossclock id="days" data-until="${iso(targets['#days'])}" data-locale="en-US"></span>` +
      // The same kind of instant written with an offset instead of Z.
      `<span data-crossclock id="minutes" data-until="${iso(targets['#minutes']).replace('Z', '+00:00')}" data-locale="en-US" data-seconds="false"></span>` +
      `<script async src="${shifted.origin}/v1/crossclock.js"></script>`;
    await page.goto(host.page('/countdown', { html: html(body) }));
    for (const [selector, until] of Object.entries(targets)) {
      await expect(page.locator(selector)).toHaveAttribute('data-state', 'synced');
      const seconds = selector !== '#minutes';
      // Read again until it holds: on a loaded machine one tick may come late; a count by the device's clock is hours off.
      await expect(async () => {
        const r = await read(page, selector);
        const left = (until - (r.device + SHIFT_MS)) / 1000;
        const shown = durationSeconds(r.datetime);
        if (seconds) expect(Math.abs(shown - Math.ceil(left)), `${r.datetime} for ${left} s left`).toBeLessThanOrEqual(1);
        else expect(Math.abs(shown - Math.ceil(left / 60) * 60), `${r.datetime} for ${left} s left`).toBeLessThanOrEqual(60);
        expect(r.text.endsWith(clockPart(r.datetime)), `"${r.text}" matches ${r.datetime}`).toBe(true);
      }).toPass({ timeout: 5000 });
    }
    const short = await read(page, '#short');
    expect(short.text).toMatch(/^\d\d:\d\d:\d\d$/);
    await expect(page.locator('#short')).toContainText('Sale ends in');
    expect((await read(page, '#days')).text).toMatch(/^2 days, 03:0\d:\d\d$/);
    expect((await read(page, '#days')).datetime).toMatch(/^P2DT3H\d+M\d+S$/);
    expect((await read(page, '#minutes')).text).toMatch(/^00:0[56]$/);
    expect((await read(page, '#minutes')).datetime).toMatch(/^PT0H[56]M$/);
    expect(await page.locator('#short').evaluate((el) => el.shadowRoot!.querySelector('[role=timer]')!.ariaLabel)).toBe('Sale ends in');
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('use the compact fallback where the engine has no Intl.DurationFormat', async ({ page, host, shifted, errors }) => {
    await page.addInitScript(() => delete (Intl as { DurationFormat?: unknown }).DurationFormat);
    const until = Math.ceil(serverNow() / 1000) * 1000 + (((2 * 24 + 3) * 60 + 4) * 60 + 5) * 1000;
    await page.goto(host.page('/fallback', { html: html(`<span data-crossclock id="a" data-until="${iso(until)}"></span><script async src="${shifted.origin}/v1/crossclock.js"></script>`) }));
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await expect.poll(async () => (await read(page, '#a')).text).toMatch(/^2d 03:0\d:\d\d$/);
    expect(errors).toEqual([]);
  });

  test('show dashes, never a count by the device’s clock, while the server cannot be reached', async ({ page, host, shifted }) => {
    await page.route(/\/v1\/time/, (route) => route.abort());
    await page.goto(host.page('/unreachable', { html: html(`<span data-crossclock id="a" data-until="${iso(serverNow() + 3_600_000)}"></span><script async src="${shifted.origin}/v1/crossclock.js"></script>`) }));
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'offline');
    const r = await read(page, '#a');
    expect(r.text).toBe('--:--');
    expect(r.datetime).toBe('');
    await expect(page.locator('#a')).toContainText('unsynced');
  });

  test('change the text within 25 ms after each second boundary of synchronised time', async ({ page, host, shifted }) => {
    await openPaused(page, host, shifted.origin, '/cd-boundary');
    await countdownIn(page, 600);
    for (let i = 0; i < 3; i++) {
      const { now, datetime } = await read(page, '#cd');
      const toBoundary = Math.floor(1000 - (now % 1000));
      if (toBoundary < 2) {
        await page.clock.runFor(50);
        continue;
      }
      const before = durationSeconds(datetime);
      await page.clock.runFor(toBoundary - 1);
      expect(durationSeconds((await read(page, '#cd')).datetime)).toBe(before);
      await page.clock.runFor(26);
      expect(durationSeconds((await read(page, '#cd')).datetime)).toBe(before - 1);
    }
  });

  test('end at the instant: zero, data-state="ended" and one crossclock:end within 100 ms, also between two seconds', async ({ page, host, shifted }) => {
    await openPaused(page, host, shifted.origin, '/cd-end');
    // 437 ms past a second: a ticker waking only on second boundaries would be 563 ms late.
    const until = await countdownIn(page, 3, 437);
    const now = (await read(page, '#cd')).now;
    await page.clock.runFor(until - now - 60);
    expect(await ends(page)).toEqual([]);
    expect((await read(page, '#cd')).text).toBe('00:00:01');
    await page.clock.runFor(100);
    const fired = await ends(page);
    expect(fired.map((e) => e.id)).toEqual(['cd']);
    expect(fired[0].at - until).toBeGreaterThanOrEqual(0);
    expect(fired[0].at - until).toBeLessThanOrEqual(100);
    expect(await read(page, '#cd')).toMatchObject({ text: '00:00:00', datetime: 'PT0H0M0S', state: 'ended' });
    // Later ticks (the clock badge keeps ticking) fire nothing more.
    const clockBefore = await page.locator('#clock time').getAttribute('datetime');
    await page.clock.runFor(3000);
    expect(await page.locator('#clock time').getAttribute('datetime')).not.toBe(clockBefore);
    expect((await ends(page)).length).toBe(1);
  });

  test('show the host’s ended text at the end', async ({ page, host, shifted }) => {
    await openPaused(page, host, shifted.origin, '/cd-ended-text');
    const until = await countdownIn(page, 2, 0, { ended: 'The sale is over' });
    await page.clock.runFor(until - (await read(page, '#cd')).now + 30);
    expect(await read(page, '#cd')).toMatchObject({ text: 'The sale is over', state: 'ended' });
  });

  test('when hidden at the instant, fire nothing while hidden and once, with the ended state, on becoming visible', async ({ page, host, shifted }) => {
    await openPaused(page, host, shifted.origin, '/cd-hidden-end');
    const until = await countdownIn(page, 2);
    await page.evaluate(setHidden, true);
    await page.clock.runFor(until - (await read(page, '#cd')).now + 5000);
    expect(await ends(page)).toEqual([]);
    const shown = await page.evaluate(async (setHiddenSource) => {
      new Function(`(${setHiddenSource})(false)`)();
      // The end event is dispatched in a microtask; nothing else (no timer, no network) may run before reading.
      await Promise.resolve();
      const el = document.getElementById('cd')!;
      return { ends: (window as unknown as { __ends: unknown[] }).__ends.length, state: el.dataset.state, text: el.shadowRoot!.querySelector('time')!.textContent };
    }, setHidden.toString());
    expect(shown).toEqual({ ends: 1, state: 'ended', text: '00:00:00' });
    await page.clock.runFor(3000);
    expect((await ends(page)).length).toBe(1);
  });

  test('are right at once when the page is shown again', async ({ page, host, shifted }) => {
    await openPaused(page, host, shifted.origin, '/cd-hidden-show');
    const until = await countdownIn(page, 600);
    await page.evaluate(setHidden, true);
    await page.clock.runFor(10_000);
    // Shown and read in one go: before any resync answer or timer could help.
    const r = await page.evaluate((setHiddenSource) => {
      new Function(`(${setHiddenSource})(false)`)();
      return { datetime: document.getElementById('cd')!.shadowRoot!.querySelector('time')!.getAttribute('datetime')!, now: window.crossclock.now!() };
    }, setHidden.toString());
    expect(durationSeconds(r.datetime)).toBe(Math.ceil((until - r.now) / 1000));
  });

  test('with an instant already past at mount, show the ended state and fire the event once', async ({ page, host, shifted }) => {
    await page.addInitScript(RECORD_ENDS);
    const past = iso(serverNow() - 3_600_000);
    await page.goto(
      host.page('/cd-past', {
        html: html(`<span data-crossclock id="clock"></span><span data-crossclock id="past" data-until="${past}"></span><span id="api"></span><script async src="${shifted.origin}/v1/crossclock.js"></script>`),
      }),
    );
    await expect(page.locator('#past')).toHaveAttribute('data-state', 'ended');
    expect((await read(page, '#past')).text).toBe('00:00:00');
    // An API badge to a past instant, with the listener added right after the call, hears it too.
    const heard = await page.evaluate(async (past) => {
      const target = document.getElementById('api')!;
      let count = 0;
      window.crossclock('badge', { target, until: past });
      target.addEventListener('crossclock:end', () => count++);
      await new Promise((r) => setTimeout(r, 0));
      return count;
    }, past);
    expect(heard).toBe(1);
    // Two more seconds of ticks: still one event per badge.
    const clockBefore = Date.parse((await read(page, '#clock')).datetime);
    await expect.poll(async () => Date.parse((await read(page, '#clock')).datetime) - clockBefore, { timeout: 5000 }).toBeGreaterThanOrEqual(2000);
    expect((await ends(page)).map((e) => e.id).sort()).toEqual(['api', 'past']);
  });

  test('bad until values are warned about once each and make no badge', async ({ page, host, shifted, errors, warnings }) => {
    const bad = ['2026-12-31T23:00:00', '2026-12-31', 'tomorrow', '2026-02-30T00:00:00Z', '1798758000000', '2026-12-31T23:00:00+0100', ''];
    const good = iso(serverNow() + 3_600_000);
    const body =
      bad.map((v, i) => `<span data-crossclock id="bad${i}" data-until="${v}"></span>`).join('') +
      `<span data-crossclock id="good" data-until="${good}" data-ended="${'x'.repeat(81)}"></span>` +
      `<script async src="${shifted.origin}/v1/crossclock.js"></script>`;
    await page.goto(host.page('/cd-bad', { html: html(body) }));
    await expect(page.locator('#good')).toHaveAttribute('data-state', 'synced');
    // No badge: no text in the shadow root (it holds only the `<slot>` that shows the element's
    // own content, as for any rejected option), no state.
    for (let i = 0; i < bad.length; i++) expect(await page.locator(`#bad${i}`).evaluate((el) => !el.shadowRoot?.textContent && !el.hasAttribute('data-state'))).toBe(true);
    expect(warnings.sort()).toEqual([...bad.map((v) => `crossclock: bad until ${v}`), `crossclock: bad ended ${'x'.repeat(81)}`].sort());
    expect(errors).toEqual([]);
  });

  test('follow a changed data-until, and never announce the same end twice when rendered again', async ({ page, host, shifted }) => {
    await page.addInitScript(RECORD_ENDS);
    await page.goto(
      host.page('/cd-changed', {
        html: html(`<span data-crossclock id="clock"></span><span data-crossclock id="cd" data-until="${iso(serverNow() - 60_000)}"></span><script async src="${shifted.origin}/v1/crossclock.js"></script>`),
      }),
    );
    await expect(page.locator('#cd')).toHaveAttribute('data-state', 'ended');
    // Another option changes: the badge is rendered again, still ended, and stays quiet.
    await page.locator('#cd').evaluate((el) => el.setAttribute('data-label', 'Doors closed'));
    await expect(page.locator('#cd')).toContainText('Doors closed');
    const clockBefore = Date.parse((await read(page, '#clock')).datetime);
    await expect.poll(async () => Date.parse((await read(page, '#clock')).datetime) - clockBefore, { timeout: 5000 }).toBeGreaterThanOrEqual(2000);
    expect((await ends(page)).length).toBe(1);
    // A new deadline an hour away: counting again, by the server's clock.
    const until = serverNow() + 3_600_000;
    await page.locator('#cd').evaluate((el, v) => el.setAttribute('data-until', v), iso(until));
    await expect(page.locator('#cd')).toHaveAttribute('data-state', 'synced');
    const r = await read(page, '#cd');
    expect(Math.abs(durationSeconds(r.datetime) - (until - (r.device + SHIFT_MS)) / 1000)).toBeLessThanOrEqual(2);
  });
});
