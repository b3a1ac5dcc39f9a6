import type { Page } from '@playwright/test';
import { snippet, startHostSite, type HostSite } from '../support/host-pages.js';
import { manifest, startWidgetServer, type WidgetServer } from '../support/widget-server.js';
import { recordViolations } from './fixtures.js';
import { expect, html, test as base } from './widget-fixtures.js';

/**
 * The pages hosts really run (issue 10): Trusted Types, nonce-only CSPs and hostile markup
 * above the embed. `widget` is a server without --public-url (the bundle then trusts only
 * its own verified tag), `baked` one run as production is, with its public URL baked into
 * the bundle. `evil` is an attacker's origin that records every request it gets.
 */
const test = base.extend<{ violations: () => Promise<string[]> }, { baked: WidgetServer; evil: HostSite; shell: HostSite }>({
  baked: [
    async ({}, use) => {
      const server = await startWidgetServer({ publicUrl: true });
      await use(server);
      await server.kill();
    },
    { scope: 'worker' },
  ],
  evil: [
    async ({}, use) => {
      const site = await startHostSite('evil');
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  // A host whose unknown paths answer its HTML shell, where a relative script URL would
  // come back as HTML: "Unexpected token '<'".
  shell: [
    async ({}, use) => {
      const site = await startHostSite('shell', { shell: true });
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  // CSP violations from the first moment of the page (init scripts are exempt from CSP).
  violations: async ({ page }, use) => {
    await use(await recordViolations(page));
  },
});

type Form = 'loader' | 'tag' | 'sri';
const FORMS: Form[] = ['loader', 'tag', 'sri'];

/** One embed form for `server`, its script tags carrying `nonce` if given; the badge is `#a`. */
async function embed(form: Form, server: WidgetServer, nonce = ''): Promise<string> {
  const n = nonce && ` nonce="${nonce}"`;
  if (form === 'loader') return `<span data-crossclock id="a"></span><script${n}>${snippet(server.url)}</script>`;
  if (form === 'tag') return `<span data-crossclock id="a"></span><script${n} async src="${server.url}/v1/crossclock.js"></script>`;
  const m = await manifest(server);
  return `<span data-crossclock id="a"></span><script${n} async src="${server.url}${m.bundle}" integrity="${m.integrity}" crossorigin="anonymous"></script>`;
}

/** What `site` was asked after its first `from` requests, but for the favicon. */
const hostRequests = (site: HostSite, from: number) => site.requests.slice(from).filter((r) => r !== 'GET /favicon.ico');

const synced = (page: Page) => expect(page.locator('#a')).toHaveAttribute('data-state', 'synced');

test.describe('Trusted Types', () => {
  const ALLOWED = "require-trusted-types-for 'script'; trusted-types crossclock";

  for (const form of FORMS) {
    test(`${form}: syncs with no violation where the page allows the crossclock policy`, async ({ page, widget, host, errors, violations }) => {
      const url = host.page(`/tt-${form}`, { headers: { 'content-security-policy': ALLOWED }, html: html(await embed(form, widget)) });
      await page.goto(url);
      await synced(page);
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      // Our policy exists: the page could not make another one by that name.
      const again = await page.evaluate(() => {
        try {
          (window as any).trustedTypes.createPolicy('crossclock', {});
          return 'created';
        } catch (e) {
          return String(e);
        }
      });
      expect(again).toMatch(/already exists/);
    });
  }

  test('a second copy of the loader and of the bundle: no "policy already exists", no violation', async ({ page, widget, host, errors, warnings, violations }) => {
    const loader = `<script>${snippet(widget.url)}</script>`;
    const tag = `<script async src="${widget.url}/v1/crossclock.js"></script>`;
    const url = host.page('/tt-twice', {
      headers: { 'content-security-policy': ALLOWED },
      html: html(`<span data-crossclock id="a"></span>${loader}${loader}${tag}${tag}`),
    });
    await page.goto(url);
    await synced(page);
    // The loader's import and two tags: one bundle takes over, the two others stay inert.
    await expect.poll(() => [...warnings].sort()).toEqual(['crossclock: loaded twice', 'crossclock: loaded twice', 'crossclock: pasted twice']);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  for (const form of ['loader', 'tag'] as const) {
    test(`${form}: where the page does not allow our policy, one warning and no error`, async ({ page, widget, host, errors, warnings, violations }) => {
      const url = host.page(`/tt-forbidden-${form}`, {
        headers: { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types other" },
        html: html(await embed(form, widget)),
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(url);
      await expect.poll(() => warnings).toEqual([expect.stringMatching(/^crossclock: TypeError: .*"crossclock" disallowed/)]);
      expect(pageErrors).toEqual([]);
      // The browser reports the refused policy; nothing ever assigned a string to script.src.
      expect(await violations()).toEqual(['trusted-types trusted-types-policy']);
      expect(errors.filter((e) => !/TrustedTypePolicy named 'crossclock'/.test(e))).toEqual([]);
      await expect(page.locator('#a')).not.toHaveAttribute('data-state');
    });
  }
});

test.describe("nonce-only CSP (script-src 'nonce-…' alone)", () => {
  for (const form of FORMS) {
    test(`${form}: syncs with no violation`, async ({ page, widget, host, errors, violations }) => {
      const url = host.page(`/nonce-${form}`, {
        headers: { 'content-security-policy': "default-src 'none'; script-src 'nonce-n0nce'; style-src 'none'" },
        html: html(await embed(form, widget, 'n0nce')),
      });
      await page.goto(url);
      await synced(page);
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  for (const form of FORMS) {
    test(`${form}, below an <img name="currentScript">: its own time requests carry the nonce too`, async ({ page, widget, host, errors, violations }) => {
      const url = host.page(`/nonce-clobbered-${form}`, {
        headers: { 'content-security-policy': "default-src 'none'; script-src 'nonce-n0nce'; style-src 'none'" },
        html: html('<img name="currentScript" alt="">' + (await embed(form, widget, 'n0nce'))),
      });
      await page.goto(url);
      expect(await page.evaluate(() => document.currentScript instanceof HTMLImageElement)).toBe(true);
      await synced(page);
      // The loader's first answer syncs by itself: wait for one of the bundle's own requests,
      // which the nonce (read from the real <script>, past the image) lets through.
      await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('callback=crossclock.t')))).toBe(true);
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  test('with Trusted Types too, on the production server', async ({ page, baked, host, errors, violations }) => {
    const url = host.page('/nonce-tt', {
      headers: {
        'content-security-policy': "default-src 'none'; script-src 'nonce-n0nce'; require-trusted-types-for 'script'; trusted-types crossclock",
      },
      html: html(await embed('tag', baked, 'n0nce')),
    });
    await page.goto(url);
    await synced(page);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('hostile markup above the embed', () => {
  /** Markup that clobbers `document.currentScript`, pointing at the attacker's origin. */
  const CLOBBERS = (evil: HostSite): [string, string][] => [
    ['an <img name="currentScript" src>', `<img name="currentScript" src="${evil.origin}/x/crossclock.js" alt="">`],
    ['two of them (a collection)', `<img name="currentScript" src="${evil.origin}/x/crossclock.js" alt=""><img name="currentScript" src="${evil.origin}/x/crossclock.js" alt="">`],
    ['a cross-origin <iframe name="currentScript">', `<iframe name="currentScript" sandbox srcdoc="x"></iframe>`],
  ];
  /** Requests the attacker got beyond the image's own fetch, after the first `from`: the attack's requests. */
  const attackRequests = (evil: HostSite, from: number) => evil.requests.slice(from).filter((r) => r !== 'GET /x/crossclock.js');

  for (let i = 0; i < 3; i++) {
    test.describe(`document.currentScript clobbered by ${['an image', 'two images', 'a cross-origin frame'][i]}`, () => {
      test('loader: syncs from the real server, no request to the attacker', async ({ page, widget, shell, evil, errors }) => {
        const [, markup] = CLOBBERS(evil)[i];
        const [fromShell, fromEvil] = [shell.requests.length, evil.requests.length];
        // The image itself loads (as markup does); the attacker answers it like a page.
        evil.page('/x/crossclock.js', { html: '' });
        const url = shell.page(`/clobber-loader-${i}`, { html: html(markup + (await embed('loader', widget))) });
        await page.goto(url);
        await synced(page);
        expect(attackRequests(evil, fromEvil)).toEqual([]);
        expect(hostRequests(shell, fromShell)).toEqual([`GET /clobber-loader-${i}`]);
        expect(errors).toEqual([]);
      });

      test('tag, from the production server: syncs from its baked-in URL, no request to the attacker', async ({ page, baked, shell, evil, errors }) => {
        const [, markup] = CLOBBERS(evil)[i];
        const [fromShell, fromEvil] = [shell.requests.length, evil.requests.length];
        // The image itself loads (as markup does); the attacker answers it like a page.
        evil.page('/x/crossclock.js', { html: '' });
        const url = shell.page(`/clobber-baked-${i}`, { html: html(markup + (await embed('tag', baked))) });
        await page.goto(url);
        await synced(page);
        expect(attackRequests(evil, fromEvil)).toEqual([]);
        expect(hostRequests(shell, fromShell)).toEqual([`GET /clobber-baked-${i}`]);
        expect(errors).toEqual([]);
      });

      test('tag, from a server without --public-url: syncs from its own <script>, read past the markup, no request to the attacker', async ({ page, widget, shell, evil, errors, warnings }) => {
        const [, markup] = CLOBBERS(evil)[i];
        const [fromShell, fromEvil] = [shell.requests.length, evil.requests.length];
        // The image itself loads (as markup does); the attacker answers it like a page.
        evil.page('/x/crossclock.js', { html: '' });
        const url = shell.page(`/clobber-plain-${i}`, { html: html(markup + (await embed('tag', widget))) });
        await page.goto(url);
        expect(await page.evaluate(() => !(document.currentScript === null || document.currentScript instanceof HTMLScriptElement))).toBe(true);
        await synced(page);
        expect(warnings).toEqual([]);
        expect(attackRequests(evil, fromEvil)).toEqual([]);
        expect(hostRequests(shell, fromShell)).toEqual([`GET /clobber-plain-${i}`]);
        expect(errors).toEqual([]);
      });
    });
  }

  test.describe('window.crossclock that is not ours', () => {
    const NOT_OURS: [string, string][] = [
      ['<div id="crossclock">', '<div id="crossclock"></div>'],
      ['a cross-origin <iframe name="crossclock">', '<iframe name="crossclock" sandbox srcdoc="x"></iframe>'],
      ["another library's object", '<script>window.crossclock = { version: "1.0", q: [] }</script>'],
    ];
    for (const [i, [what, markup]] of NOT_OURS.entries()) {
      for (const form of ['loader', 'tag'] as const) {
        test(`${what} before the ${form}: still loads and syncs, no warning`, async ({ page, widget, host, errors, warnings }) => {
          const url = host.page(`/not-ours-${form}-${i}`, { html: html(markup + (await embed(form, widget))) });
          await page.goto(url);
          await synced(page);
          expect(await page.evaluate(() => typeof crossclock.now)).toBe('function');
          expect(warnings).toEqual([]);
          expect(errors).toEqual([]);
        });
      }
    }
  });
});

test.describe('a page requiring integrity metadata on every script (Integrity-Policy)', () => {
  // `Integrity-Policy: blocked-destinations=(script)` (Chromium 138+, Firefox 145+) refuses
  // every script without an `integrity` hash. A time answer cannot have one: each is made when
  // it is asked for. So only the SRI-pinned bundle loads, and its time requests are refused
  // in the browser, as if the server could not be reached.
  const headers = { 'integrity-policy': 'blocked-destinations=(script)' };

  test('limitation: the SRI form shows the device time marked unsynced, the tag and loader forms load nothing, and nothing is thrown', async ({ page, widget, host, errors, warnings }) => {
    await page.goto(host.page('/integrity-policy/sri', { html: html(await embed('sri', widget)), headers }));
    await expect(page.locator('#a')).toHaveAttribute('data-state', 'offline');
    expect(await page.locator('#a').evaluate((el) => el.shadowRoot!.textContent)).toMatch(/^\d{1,2}:\d\d:\d\d( [AP]M)? \u26a0 unsynced$/);
    expect(await page.evaluate(() => Math.abs(window.crossclock!.now!() - Date.now()))).toBeLessThan(1000);

    // The single tag is refused before it runs: `load` waits for it to fail.
    await page.goto(host.page('/integrity-policy/tag', { html: html(await embed('tag', widget)), headers }));
    expect(await page.evaluate(() => [typeof window.crossclock, !!document.querySelector('#a')!.shadowRoot])).toEqual(['undefined', false]);

    // The loader's two imports are refused: a warning each.
    await page.goto(host.page('/integrity-policy/loader', { html: html(await embed('loader', widget)), headers }));
    await expect.poll(() => warnings.length).toBe(2);
    for (const w of warnings) expect(w).toMatch(/^crossclock: TypeError: Failed to fetch dynamically imported module: /);
    expect(await page.evaluate(() => !!document.querySelector('#a')!.shadowRoot)).toBe(false);
    expect(errors).toEqual([]);
  });
});

test.describe('the bundle run with no current script (a tag manager evaluating fetched code)', () => {
  const evaluated = (server: WidgetServer) =>
    `<span data-crossclock id="a"></span><script>
      fetch('${server.url}/v1/crossclock.js').then((r) => r.text()).then((code) => new Function(code)());
    </script>`;

  test('from the production server: syncs from the baked-in URL', async ({ page, baked, host, errors, warnings }) => {
    const url = host.page('/evaluated-baked', { html: html(evaluated(baked)) });
    await page.goto(url);
    await synced(page);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('from a server without --public-url: one warning, no error', async ({ page, widget, host, errors, warnings }) => {
    const from = host.requests.length;
    const url = host.page('/evaluated-plain', { html: html(evaluated(widget)) });
    await page.goto(url);
    await expect.poll(() => warnings).toEqual(['crossclock: unknown server']);
    expect(hostRequests(host, from)).toEqual(['GET /evaluated-plain']);
    expect(errors).toEqual([]);
  });
});

test.describe('a friendly iframe: the tag created by the parent page, appended into a same-origin iframe', () => {
  test('from a server without --public-url: syncs from its own <script>, which belongs to the parent', async ({ page, widget, host, errors, warnings }) => {
    const url = host.page('/friendly-iframe', {
      html: html(`<iframe id="slot"></iframe><script>
        const doc = document.getElementById('slot').contentDocument;
        doc.body.innerHTML = '<span data-crossclock id="a"></span>';
        const tag = document.createElement('script');
        tag.src = '${widget.url}/v1/crossclock.js';
        doc.body.append(tag);
      </script>`),
    });
    await page.goto(url);
    const badge = page.frameLocator('#slot').locator('#a');
    await expect(badge).toHaveAttribute('data-state', 'synced');
    // The bundle ran in the iframe, where the tag is not an instance of its HTMLScriptElement.
    // Found by its src: the burst's time requests, still loading, are scripts of the iframe too.
    const tagOfParent = () => {
      const tags = Array.from(document.scripts).filter((s) => s.src.endsWith('/v1/crossclock.js'));
      return tags.length === 1 && !(tags[0] instanceof HTMLScriptElement);
    };
    expect(await page.frames()[1].evaluate(tagOfParent)).toBe(true);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('a document without <head>', () => {
  test('XHTML without <head>: the loader syncs', async ({ page, widget, host, errors }) => {
    const url = host.page('/no-head.xhtml', {
      headers: { 'content-type': 'application/xhtml+xml; charset=utf-8' },
      html:
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
        `<span data-crossclock="" id="a"></span><script>//<![CDATA[\n${snippet(widget.url)}\n//]]></script></body></html>`,
    });
    await page.goto(url);
    expect(await page.evaluate(() => document.head)).toBeNull();
    await synced(page);
    expect(errors).toEqual([]);
  });

  for (const form of ['loader', 'tag'] as const) {
    test(`${form}: head removed by a script before the embed: syncs`, async ({ page, widget, host, errors }) => {
      const url = host.page(`/head-removed-${form}`, { html: html(`<script>document.head.remove()</script>${await embed(form, widget)}`) });
      await page.goto(url);
      await synced(page);
      expect(await page.evaluate(() => document.head)).toBeNull();
      expect(errors).toEqual([]);
    });
  }
});
