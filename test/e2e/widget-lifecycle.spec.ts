/// <reference path="../../widget/crossclock.d.ts" />
import type { Page } from '@playwright/test';
import { BURST } from '../../widget/src/sync.js';
import { deviceSleeps, installSleep } from '../support/visibility.js';
import { badgeText, expect, html, instant, showsZone, test } from './widget-fixtures.js';

declare global {
  interface Window {
    kept?: HTMLElement;
    oldBody?: HTMLElement;
    events?: string[];
    fired?: number;
    pip?: Window;
  }
}


/** The instant `window.kept` shows (NaN when it shows none). */
const keptInstant = (page: Page) => page.evaluate(() => Date.parse(window.kept?.shadowRoot?.querySelector('time')?.dateTime ?? ''));

/** Waits until the badge at `selector` has shown two more seconds. */
async function twoSecondsPass(page: Page, selector: string) {
  const start = await instant(page, selector);
  await expect.poll(async () => (await instant(page, selector)) - start, { timeout: 5000 }).toBeGreaterThanOrEqual(2000);
}

test.describe('badges that appear after load', () => {
  test('a body swapped wholesale, as Turbo and pjax do: the new body’s badges sync, the old ones stop', async ({ page, widget, host, errors }) => {
    const url = host.page('/swap', {
      html: html(`<span data-crossclock id="a" data-tz="UTC"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect.poll(() => showsZone(page, '#a', 'UTC')).toBe(true);
    await page.evaluate(() => {
      window.kept = document.querySelector<HTMLElement>('#a')!;
      window.oldBody = document.body;
      const next = document.createElement('body');
      next.innerHTML = '<p>next page</p><div><span data-crossclock id="b" data-tz="Asia/Kolkata"></span></div>';
      document.documentElement.replaceChild(next, document.body);
    });
    await expect.poll(() => showsZone(page, '#b', 'Asia/Kolkata')).toBe(true);
    const frozen = await keptInstant(page);
    await twoSecondsPass(page, '#b');
    expect(await keptInstant(page)).toBe(frozen);
    expect(errors).toEqual([]);
  });

  test('a body restored from a snapshot brings its badges back in their own shadow roots', async ({ page, widget, host, errors }) => {
    const url = host.page('/swap-back', {
      html: html(`<span data-crossclock id="a" data-tz="UTC"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect.poll(() => showsZone(page, '#a', 'UTC')).toBe(true);
    await page.evaluate(() => {
      window.oldBody = document.body;
      document.body = document.createElement('body');
    });
    await expect(page.locator('#a')).toHaveCount(0);
    await page.evaluate(() => (document.body = window.oldBody!));
    await twoSecondsPass(page, '#a');
    expect(await page.locator('#a').evaluate((el) => el.shadowRoot!.querySelectorAll('time').length)).toBe(1);
    expect(errors).toEqual([]);
  });

  test('markup inserted with innerHTML, and an element given data-crossclock later, become badges', async ({ page, widget, host, errors }) => {
    const url = host.page('/inserted', {
      html: html(`<div id="slot"></div><span id="late"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await page.waitForFunction(() => window.crossclock?.now);
    await page.evaluate(() => {
      document.querySelector('#slot')!.innerHTML = '<span data-crossclock id="c" data-tz="Australia/Sydney"></span>';
      document.querySelector('#late')!.setAttribute('data-tz', 'Europe/Berlin');
      document.querySelector('#late')!.setAttribute('data-crossclock', '');
    });
    await expect.poll(() => showsZone(page, '#c', 'Australia/Sydney')).toBe(true);
    await expect.poll(() => showsZone(page, '#late', 'Europe/Berlin')).toBe(true);
    expect(errors).toEqual([]);
  });
});

test.describe('changing a data- option of a live badge', () => {
  test('shows the new label, zone and theme within one tick', async ({ page, widget, host, errors }) => {
    const url = host.page('/options', {
      html: html(`<span data-crossclock id="a" data-label="Here" data-theme="light"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await page.evaluate(() => {
      const a = document.querySelector<HTMLElement>('#a')!;
      a.dataset.label = 'Tokyo';
      a.dataset.tz = 'Asia/Tokyo';
      a.dataset.theme = 'dark';
    });
    await expect.poll(() => showsZone(page, '#a', 'Asia/Tokyo'), { timeout: 1000 }).toBe(true);
    expect(await badgeText(page, '#a')).toMatch(/^Tokyo \d/);
    await expect(page.locator('#a [role=timer]')).toHaveClass('d');
    expect(errors).toEqual([]);
  });

  test('a zone the browser does not know keeps the badge as it was, with a warning', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/bad-option', {
      html: html(`<span data-crossclock id="a" data-tz="UTC"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect.poll(() => showsZone(page, '#a', 'UTC')).toBe(true);
    await page.evaluate(() => (document.querySelector<HTMLElement>('#a')!.dataset.tz = 'Mars/Olympus_Mons'));
    await expect.poll(() => warnings).toEqual([expect.stringContaining('Mars/Olympus_Mons')]);
    await twoSecondsPass(page, '#a');
    expect(await showsZone(page, '#a', 'UTC')).toBe(true);
    expect(errors).toEqual([]);
  });
});

test.describe('an element that loses data-crossclock (React or a morph reusing it for other content)', () => {
  test('shows its new content, also when its options never made a badge', async ({ page, widget, host, errors, warnings }) => {
    // A countdown whose instant has no offset: one warning, and no badge.
    const url = host.page('/lost-attribute', {
      html: html(`<span data-crossclock id="a" data-until="2030-01-01 12:00"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect.poll(() => warnings).toEqual([expect.stringContaining('bad until')]);
    // The lot closed: the page renders other content in the same element.
    await page.locator('#a').evaluate((el) => {
      el.removeAttribute('data-crossclock');
      el.removeAttribute('data-until');
      el.textContent = 'Closed';
    });
    await expect(page.locator('#a')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("keeps no data-state, so the page's rules for badges no longer style the new content", async ({ page, widget, host, errors }) => {
    const url = host.page('/lost-attribute-state', {
      html: html(
        `<style>[data-state=ended] { text-decoration: line-through }</style><span data-crossclock id="a" data-until="2020-01-01T00:00:00Z"></span><script async src="${widget.url}/v1/crossclock.js"></script>`,
      ),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'ended');
    // React renders other content in the same element: it removes only the attributes it set.
    await page.locator('#a').evaluate((el) => {
      el.removeAttribute('data-crossclock');
      el.removeAttribute('data-until');
      el.textContent = 'Sold out';
    });
    await expect(page.locator('#a')).not.toHaveAttribute('data-state');
    expect(await page.locator('#a').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('none');
    expect(errors).toEqual([]);
  });
});

test.describe("crossclock('remove', target)", () => {
  test('leaves none of the badge\'s text and stops it; put back in the page it stays released until crossclock(\'badge\', …)', async ({ page, widget, host, errors }) => {
    const url = host.page('/remove', {
      html: html(`<span data-crossclock id="a"></span><span data-crossclock id="b"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await page.evaluate(() => crossclock('remove', '#a'));
    expect(await badgeText(page, '#a')).toBe('');
    await expect(page.locator('#a')).not.toHaveAttribute('data-state');
    await page.evaluate(() => {
      const a = document.querySelector('#a')!;
      a.remove();
      document.body.append(a);
    });
    await twoSecondsPass(page, '#b');
    expect(await badgeText(page, '#a')).toBe('');
    await page.evaluate(() => crossclock('badge', { target: document.querySelector('#a')!, tz: 'UTC' }));
    await expect.poll(() => showsZone(page, '#a', 'UTC')).toBe(true);
    expect(errors).toEqual([]);
  });

  test('warns about a target that matches nothing, and throws nothing', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/remove-bad', { html: html(`<script async src="${widget.url}/v1/crossclock.js"></script>`) });
    await page.goto(url);
    await page.waitForFunction(() => window.crossclock?.now);
    await page.evaluate(() => crossclock('remove', '#nothing'));
    expect(warnings).toEqual(['crossclock: bad target #nothing']);
    expect(errors).toEqual([]);
  });
});

test.describe("inside another component's shadow root", () => {
  const COMPONENT = `<world-clock id="wc"></world-clock><script>
    customElements.define('world-clock', class extends HTMLElement {
      constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<span data-crossclock></span>'; }
    });</script>`;

  test("is reached through the API, and released with its component, receiving no more events", async ({ page, widget, host, errors }) => {
    const url = host.page('/shadow', {
      html: html(`${COMPONENT}<span data-crossclock id="b"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.addInitScript(installSleep);
    await page.goto(url);
    await expect(page.locator('#b')).toHaveAttribute('data-state', 'synced');
    // The observer does not see into other shadow trees: the API does.
    expect(await page.locator('#wc span').getAttribute('data-state')).toBe(null);
    await page.evaluate(() => {
      window.kept = document.querySelector('#wc')!.shadowRoot!.querySelector('span')!;
      crossclock('badge', { target: window.kept, tz: 'UTC' });
    });
    await expect(page.locator('#wc span')).toHaveAttribute('data-state', 'synced');
    await page.evaluate(() => {
      window.events = [];
      for (const id of ['kept', 'b']) {
        const el = id === 'kept' ? window.kept! : document.querySelector('#b')!;
        el.addEventListener('crossclock:sync', () => window.events!.push(id));
      }
      document.querySelector('#wc')!.remove();
    });
    const frozen = await keptInstant(page);
    await twoSecondsPass(page, '#b');
    expect(await keptInstant(page)).toBe(frozen);
    // After a device sleep the page syncs again: only the badge still in it hears of it.
    await page.evaluate(deviceSleeps, 60_000);
    await expect.poll(() => page.evaluate(() => window.events)).toContain('b');
    expect(await page.evaluate(() => window.events)).not.toContain('kept');
    expect(errors).toEqual([]);
  });
});

test.describe('timers', () => {
  /** Counts timer callbacks that run (installed after Playwright's clock, so it wraps the fake timers). */
  const COUNT_TIMERS = () => {
    window.fired = 0;
    const original = window.setTimeout;
    window.setTimeout = ((fn: () => void, ms?: number) => original(() => (window.fired!++, fn()), ms)) as typeof setTimeout;
  };

  test('with no badge left, no timer runs', async ({ page, widget, host }) => {
    let answered = 0;
    page.on('requestfinished', (r) => {
      if (r.url().includes('/v1/time')) answered++;
    });
    await page.clock.install();
    await page.addInitScript(COUNT_TIMERS);
    const url = host.page('/no-badge-left', {
      html: html(`<span data-crossclock id="a"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    await page.goto(url);
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    await expect.poll(() => answered).toBe(BURST);
    const count = async (ms: number) => {
      const before = await page.evaluate(() => window.fired!);
      await page.clock.runFor(ms);
      return (await page.evaluate(() => window.fired!)) - before;
    };
    // The control: one badge wakes the page about once a second.
    expect(await count(5000)).toBeGreaterThanOrEqual(4);
    await page.evaluate(() => document.querySelector('#a')!.remove());
    await page.clock.runFor(1000);
    expect(await count(10_000)).toBe(0);
  });
});

test.describe('in a Document Picture-in-Picture window', () => {
  test('a live badge moved there, and one made there with the API, are styled and tick, under a strict CSP, and stop when the window closes', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/pip', {
      // Constructed sheets only: no <style>, no style attribute.
      headers: { 'content-security-policy': `default-src 'none'; script-src ${widget.url}; style-src 'none'` },
      html: html(`<button id="open">Keep watching</button><span data-crossclock id="ref" data-label="A"></span><span data-crossclock id="a" data-label="A"></span><script async src="${widget.url}/v1/crossclock.js"></script>`),
    });
    // Picture-in-Picture needs a secure context: http://localhost is one, http://host.test is not.
    await page.goto(url.replace('//host.test:', '//localhost:'));
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');
    // What an auction site does: open the window on a click, move its countdown there, and
    // render another element there (a React portal), made a badge with the API.
    await page.evaluate(() =>
      document.querySelector('#open')!.addEventListener('click', async () => {
        const pip: Window = await (window as any).documentPictureInPicture.requestWindow({ width: 320, height: 200 });
        pip.document.addEventListener('securitypolicyviolation', (e) => console.error('violation ' + e.violatedDirective));
        pip.document.body.append(document.querySelector('#a')!, pip.document.createElement('span'));
        crossclock('badge', { target: pip.document.body.lastElementChild!, label: 'A' });
        window.pip = pip;
      }),
    );
    await page.click('#open');
    await expect.poll(() => page.evaluate(() => !!window.pip)).toBe(true);
    const look = () =>
      page.evaluate(() =>
        [document.querySelector('#ref')!, ...window.pip!.document.body.children].map((el) => {
          const box = el.shadowRoot?.querySelector('[role=timer]');
          const style = el.ownerDocument.defaultView!.getComputedStyle;
          return [style(el).display, box && style(box).padding, box && style(box).borderTopWidth, el.getAttribute('data-state')];
        }),
      );
    const styled = ['inline-block', '3px 8px', '1px', 'synced'];
    await expect.poll(look).toEqual([styled, styled, styled]);
    // Both go on ticking there.
    const times = () => page.evaluate(() => [...window.pip!.document.body.children].map((el) => Date.parse(el.shadowRoot!.querySelector('time')!.dateTime)));
    const start = await times();
    await expect.poll(async () => Math.min(...(await times()).map((t, i) => t - start[i])), { timeout: 5000 }).toBeGreaterThanOrEqual(2000);
    // Closed with its badges still in it (no pagehide handler moving them back), the window
    // keeps its document, without a window: they stop, while the page's badge ticks on.
    const closed = await page.evaluate(() => {
      const badges = [...window.pip!.document.body.children];
      window.pip!.close();
      return badges.map((el) => Date.parse(el.shadowRoot!.querySelector('time')!.dateTime));
    });
    await twoSecondsPass(page, '#ref');
    expect(await times()).toEqual(closed);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });
});
