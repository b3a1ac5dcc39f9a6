import assert from 'node:assert/strict';
import { snippet } from '../../support/host-pages.js';
import type { WidgetServer } from '../../support/widget-server.js';
import { embedBadge, loaderScript, tagScript } from '../embeds.js';
import { waitFor } from '../engine.js';
import { startAttacker, type Attacker } from '../site.js';
import { readBadge, recorded, waitForState, type Context, type EngineTest, type Feature } from '../suite.js';

/**
 * User-generated markup above the embed (comments, profiles, CMS blocks) that tries to
 * steer the widget: elements named `currentScript` pointing at an attacker's origin, an
 * element named `crossclock`, a `<base>` that moves a relative `src`, a document without `<head>`.
 */

/** What the markup itself fetches from the attacker: the image's own load, marked so it is told apart from an attack. */
const IMAGE_PATH = '/x/crossclock.js?markup';
const clobber = (evil: Attacker) => `<img name="currentScript" src="${evil.origin}${IMAGE_PATH}" alt="">`;

/**
 * Runs in the page: where the labelled badge `#a` draws the first and last characters of its
 * time, and how far apart its label and time are, read in one go (the text changes each second).
 */
const timeLayout = () => {
  const root = document.getElementById('a')!.shadowRoot!;
  const time = root.querySelector('time')!;
  const range = document.createRange();
  const left = (i: number) => {
    range.setStart(time.firstChild!, i);
    range.setEnd(time.firstChild!, i + 1);
    return range.getBoundingClientRect().left;
  };
  const label = root.querySelector('bdi')!.getBoundingClientRect();
  const box = time.getBoundingClientRect();
  return { text: time.textContent!, first: left(0), last: left(time.textContent!.length - 1), gap: Math.max(label.left - box.right, box.left - label.right) };
};

/** Runs `fn` with an attacker's site of its own, closed after. */
async function withAttacker(fn: (evil: Attacker) => Promise<void>): Promise<void> {
  const evil = await startAttacker();
  try {
    await fn(evil);
  } finally {
    await evil.close();
  }
}

/** The host's requests since `from`, but for the recorder and the favicon: any other is a relative URL the widget made up. */
const hostRequests = (ctx: Context, from: number) => ctx.host.requests.slice(from).filter((r) => !/^GET \/(record\.js|favicon\.ico)$/.test(r));

/** The attacker got the image's own load (it is reachable and recording) and nothing else. */
function assertOnlyTheImageReached(evil: Attacker) {
  assert.ok(evil.requests.length > 0, 'the markup’s own image load reached the attacker');
  assert.deepEqual(evil.requests.filter((r) => r !== `GET ${IMAGE_PATH}`), []);
}

/** Clobbered by `images` images: the embed `embed(server)` still syncs from the real server. */
function clobberedSyncs(title: string, images: number, embed: (ctx: Context) => Promise<[WidgetServer, string]>): EngineTest {
  return {
    title,
    run: (ctx) =>
      withAttacker(async (evil) => {
        const [server, markup] = await embed(ctx);
        const from = ctx.host.requests.length;
        const path = '/' + title.replace(/\W+/g, '-').slice(0, 60);
        await ctx.engine.goto(ctx.host.page(path, { body: clobber(evil).repeat(images) + markup }));
        // Markup really did clobber it here, in this engine.
        const clobbered = await ctx.engine.evaluate((n) => (n === 1 ? document.currentScript instanceof HTMLImageElement : document.currentScript instanceof HTMLCollection), images);
        assert.equal(clobbered, true);
        await waitForState(ctx.engine, '#a', 'synced');
        const fromServer = await ctx.engine.evaluate((url) => performance.getEntriesByType('resource').some((e) => e.name.startsWith(url + '/v1/time?')), server.url);
        assert.equal(fromServer, true, `no request to ${server.url}/v1/time`);
        assertOnlyTheImageReached(evil);
        assert.deepEqual(hostRequests(ctx, from), [`GET ${path}`]);
        assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      }),
  };
}

const loader = async (ctx: Context): Promise<[WidgetServer, string]> => [ctx.widget, '<span data-crossclock id="a"></span>' + loaderScript(ctx.widget, '')];
const plainTag = async (ctx: Context): Promise<[WidgetServer, string]> => [ctx.widget, '<span data-crossclock id="a"></span>' + tagScript(ctx.widget)];
const bakedTag = async (ctx: Context): Promise<[WidgetServer, string]> => {
  const baked = await ctx.baked();
  return [baked, '<span data-crossclock id="a"></span>' + tagScript(baked)];
};

export const feature: Feature = {
  name: 'hostile markup (named elements shadowing document properties, an element named crossclock, a <base> after the tag, no head element)',
  tests: [
    clobberedSyncs('<img name="currentScript"> at an attacker, loader: syncs from the real server, no request to the attacker', 1, loader),
    clobberedSyncs('two such images (a collection), loader: syncs, no request to the attacker or a relative URL', 2, loader),
    clobberedSyncs('<img name="currentScript"> at an attacker, tag from the production server: syncs from its baked-in URL', 1, bakedTag),
    clobberedSyncs('<img name="currentScript"> at an attacker, tag from a server without --public-url: syncs from its own <script>, read past the image', 1, plainTag),
    ...(['loader', 'tag'] as const).map(
      (form): EngineTest => ({
        title: `<div id="crossclock"> before the ${form}: still loads and syncs, no warning`,
        async run(ctx) {
          const embed = form === 'loader' ? loaderScript(ctx.widget, '') : tagScript(ctx.widget);
          await ctx.engine.goto(ctx.host.page(`/div-crossclock-${form}`, { body: `<div id="crossclock"></div><span data-crossclock id="a"></span>${embed}` }));
          await waitForState(ctx.engine, '#a', 'synced');
          assert.equal(await ctx.engine.evaluate(() => typeof (window as any).crossclock.now, null), 'function');
          assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
        },
      }),
    ),
    ...(['loader', 'tag'] as const).map(
      (form): EngineTest => ({
        title: `elements named after every document property the widget uses, before the ${form}: syncs and ticks, no error`,
        async run(ctx) {
          // A named <img> or <form> shadows any property of `document` but `location`.
          const names = ['hidden', 'readyState', 'addEventListener', 'querySelector', 'querySelectorAll', 'createElement', 'documentElement', 'head', 'body', 'defaultView'];
          const markup = names.map((n, i) => (i % 2 ? `<form name="${n}"></form>` : `<img name="${n}" alt="">`)).join('');
          // The loader asks for its badge by selector, through the shadowed `querySelector`.
          await ctx.engine.goto(ctx.host.page(`/named-${form}`, { body: markup + (await embedBadge(ctx.widget, form)) }));
          // Markup really did shadow them here, in this engine.
          const shadowed = await ctx.engine.evaluate((n) => n.filter((k) => (document as any)[k] instanceof HTMLElement), names);
          assert.deepEqual(shadowed, names);
          await waitForState(ctx.engine, '#a', 'synced');
          const first = (await readBadge(ctx.engine, '#a'))!;
          await waitFor(ctx.engine, 'the badge to tick', (shown) => document.getElementById('a')!.shadowRoot!.querySelector('time')!.dateTime !== shown, first.datetime);
          // A badge added later is found too: the observer watches this document.
          await ctx.engine.evaluate(() => document.getElementById('a')!.insertAdjacentHTML('afterend', '<span data-crossclock id="b"></span>'), null);
          await waitForState(ctx.engine, '#b', 'synced');
          assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
        },
      }),
    ),
    {
      title: 'a <form> whose controls shadow its own methods, inserted after load beside a badge: the badge syncs, one warning, no error',
      async run(ctx) {
        await ctx.engine.goto(ctx.host.page('/shadowing-form', { body: '<div id="comments"></div>' + tagScript(ctx.widget) }));
        await waitFor(ctx.engine, 'the bundle', () => typeof (window as any).crossclock?.now === 'function', null);
        const shadowed = await ctx.engine.evaluate(() => {
          // Both nodes in one insertion: the form first, so a throw would lose the badge too.
          const comments = document.getElementById('comments')!;
          comments.insertAdjacentHTML('beforeend', '<form><input name="querySelectorAll"><input name="matches"></form><span data-crossclock id="a"></span>');
          const form = comments.querySelector('form')!;
          return form.querySelectorAll instanceof HTMLInputElement && form.matches instanceof HTMLInputElement;
        }, null);
        assert.equal(shadowed, true);
        await waitForState(ctx.engine, '#a', 'synced');
        const seen = await recorded(ctx.engine);
        assert.deepEqual(seen.errors, []);
        assert.equal(seen.warnings.length, 1);
        assert.match(seen.warnings[0], /^crossclock: TypeError/);
      },
    },
    {
      title: 'a <base href> at an attacker after a tag with a relative src (the widget under the site’s own origin): nothing asked of the attacker, one warning',
      run: (ctx) =>
        withAttacker(async (evil) => {
          const unproxy = ctx.host.proxy('/v1/', ctx.widget.url);
          try {
            // `defer`: the bundle runs once the whole page is parsed, the <base> included, as an
            // `async` one does whenever it arrives after the HTML.
            const body = `<span data-crossclock id="a"></span><script defer src="/v1/crossclock.js"></script><p>A comment <base href="${evil.origin}/"></p>`;
            await ctx.engine.goto(ctx.host.page('/base-after-tag', { body }));
            await waitFor(ctx.engine, 'a warning', () => (window as any).__rec.warnings.length > 0, null);
            // Markup really did move the tag's src to the attacker here, in this engine.
            const src = await ctx.engine.evaluate(() => document.querySelector<HTMLScriptElement>('script[defer]')!.src, null);
            assert.equal(src, `${evil.origin}/v1/crossclock.js`);
            // The page's own favicon request follows the <base> too; nothing else may.
            assert.deepEqual(evil.requests.filter((r) => r !== 'GET /favicon.ico'), []);
            assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: ['crossclock: unknown server'] });
          } finally {
            unproxy();
          }
        }),
    },
    {
      title: 'the site’s own <base href> before a tag with a relative src: syncs from the URL the tag was fetched from',
      async run(ctx) {
        const unproxy = ctx.host.proxy('/v1/', ctx.widget.url);
        try {
          // Without the <base> the src would name /pages/v1/crossclock.js, which is not there.
          const head = `<base href="${ctx.host.origin}/">`;
          await ctx.engine.goto(ctx.host.page('/pages/base-before-tag', { head, body: '<span data-crossclock id="a"></span><script async src="v1/crossclock.js"></script>' }));
          await waitForState(ctx.engine, '#a', 'synced');
          const timeRequests = await ctx.engine.evaluate((url) => performance.getEntriesByType('resource').filter((e) => e.name.startsWith(url + '/v1/time?')).length, ctx.host.origin);
          assert.ok(timeRequests > 0, `no request to ${ctx.host.origin}/v1/time`);
          assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
        } finally {
          unproxy();
        }
      },
    },
    {
      title: 'a label ending in an unclosed right-to-left override (U+202E): the time still reads left to right',
      async run(ctx) {
        const body = `<span data-crossclock id="a" data-tz="UTC" data-locale="en-US" data-label="UTC now&#x202E;"></span>${tagScript(ctx.widget)}`;
        await ctx.engine.goto(ctx.host.page('/bidi-label', { body }));
        await waitForState(ctx.engine, '#a', 'synced');
        const seen = await ctx.engine.evaluate(timeLayout, null);
        assert.ok(seen.first < seen.last, `"${seen.text}" drawn right to left: ${JSON.stringify(seen)}`);
        assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'in a right-to-left page, an English 12-hour time keeps AM after its digits, a space apart from its label',
      async run(ctx) {
        const body = `<div dir="rtl"><span data-crossclock id="a" data-tz="UTC" data-locale="en-US" data-format="12h" data-label="Cairo"></span></div>${tagScript(ctx.widget)}`;
        await ctx.engine.goto(ctx.host.page('/rtl-page', { body }));
        await waitForState(ctx.engine, '#a', 'synced');
        const seen = await ctx.engine.evaluate(timeLayout, null);
        assert.ok(seen.first < seen.last, `"${seen.text}" drawn right to left: ${JSON.stringify(seen)}`);
        assert.ok(seen.gap > 1, `label and time ${seen.gap} px apart`);
        assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'XHTML page without <head>: the loader syncs',
      async run(ctx) {
        // CDATA, so the snippet's code is XML-safe whatever characters it holds.
        const body = `<span data-crossclock="" id="a"></span><script>//<![CDATA[\n${snippet(ctx.widget.url)}\n//]]></script>`;
        await ctx.engine.goto(ctx.host.page('/no-head.xhtml', { xhtml: true, body }));
        assert.equal(await ctx.engine.evaluate(() => document.head === null && document.contentType, null), 'application/xhtml+xml');
        await waitForState(ctx.engine, '#a', 'synced');
        assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      },
    },
    ...(['loader', 'tag'] as const).map(
      (form): EngineTest => ({
        title: `<head> removed by a script before the ${form}: syncs`,
        async run(ctx) {
          const embed = form === 'loader' ? loaderScript(ctx.widget, '') : tagScript(ctx.widget);
          await ctx.engine.goto(ctx.host.page(`/head-removed-${form}`, { body: `<script>document.head.remove()</script><span data-crossclock id="a"></span>${embed}` }));
          await waitForState(ctx.engine, '#a', 'synced');
          assert.equal(await ctx.engine.evaluate(() => document.head, null), null);
          assert.equal((await readBadge(ctx.engine, '#a'))?.state, 'synced');
          assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
        },
      }),
    ),
  ],
};
