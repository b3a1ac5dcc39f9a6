import assert from 'node:assert/strict';
import { embedBadge, loaderScript, tagScript, type Form } from '../embeds.js';
import { waitFor } from '../engine.js';
import { readBadge, recorded, type Context, type EngineTest, type Feature } from '../suite.js';

/** The one directive pair a host adds for us: script URLs must be Trusted Types, and `crossclock` may make them. */
const ALLOWED = "require-trusted-types-for 'script'; trusted-types crossclock";
/** Trusted Types enforced, but only another library's policy allowed. */
const FORBIDDEN = "require-trusted-types-for 'script'; trusted-types other";

/** Waits until `#a` is synced, or the page recorded a violation or an error (the failure to report). */
const syncedOrFailed = (ctx: Context) =>
  waitFor(ctx.engine, 'a synced badge, a violation or an error', () => {
    const rec = (window as any).__rec;
    return document.querySelector('#a')?.getAttribute('data-state') === 'synced' || rec.violations.length > 0 || rec.errors.length > 0;
  }, null);

function allowed(form: Form): EngineTest {
  return {
    title: `${form}: syncs with no violation where the page allows the crossclock policy`,
    async run(ctx) {
      await ctx.engine.goto(ctx.host.page('/tt-' + form.replace(/\W+/g, '-'), { csp: ALLOWED, body: await embedBadge(ctx.widget, form) }));
      await syncedOrFailed(ctx);
      assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      assert.equal((await readBadge(ctx.engine, '#a'))?.state, 'synced');
      // Our policy exists: the page cannot make a second one by that name (Chromium and
      // WebKit say it exists; Firefox's CSP refuses the duplicate name).
      const again = await ctx.engine.evaluate(() => {
        try {
          (window as any).trustedTypes.createPolicy('crossclock', {});
          return 'created';
        } catch (e) {
          return String(e);
        }
      }, null);
      assert.match(again, /already exists|blocked creating policy named 'crossclock'/);
    },
  };
}

export const feature: Feature = {
  name: 'Trusted Types (policy crossclock)',
  tests: [
    {
      title: "the engine enforces require-trusted-types-for 'script' (the control for every test below)",
      async run({ engine, host }) {
        await engine.goto(host.page('/tt-control', { csp: ALLOWED, body: '' }));
        const seen = await engine.evaluate(() => {
          try {
            document.createElement('script').src = '/x.js';
            return 'a string was accepted as a script URL';
          } catch (e) {
            return String(e);
          }
        }, null);
        assert.match(seen, /^TypeError: /);
        assert.equal(await engine.evaluate(() => typeof (window as any).trustedTypes?.createPolicy, null), 'function');
      },
    },
    allowed('loader'),
    allowed('tag'),
    allowed('SRI-pinned tag'),
    {
      title: 'loader and tag each pasted twice: one policy, no "policy already exists", no violation',
      async run(ctx) {
        const loader = loaderScript(ctx.widget, '');
        const tag = tagScript(ctx.widget);
        await ctx.engine.goto(ctx.host.page('/tt-twice', { csp: ALLOWED, body: `<span data-crossclock id="a"></span>${loader}${loader}${tag}${tag}` }));
        await syncedOrFailed(ctx);
        // The loader's import and the two tags: one bundle takes over, the two others stay inert.
        await waitFor(ctx.engine, 'three warnings', () => (window as any).__rec.warnings.length >= 3, null);
        const rec = await recorded(ctx.engine);
        assert.deepEqual({ ...rec, warnings: rec.warnings.sort() }, {
          errors: [],
          violations: [],
          warnings: ['crossclock: loaded twice', 'crossclock: loaded twice', 'crossclock: pasted twice'],
        });
        assert.equal((await readBadge(ctx.engine, '#a'))?.state, 'synced');
      },
    },
    {
      title: 'nonce-only CSP with Trusted Types, tag from the production server: syncs with no violation',
      async run(ctx) {
        const baked = await ctx.baked();
        const csp = `default-src 'none'; script-src 'nonce-n0nce'; img-src 'self'; ${ALLOWED}`;
        await ctx.engine.goto(ctx.host.page('/tt-nonce-baked', { csp, nonce: 'n0nce', body: `<span data-crossclock id="a"></span>${tagScript(baked, 'n0nce')}` }));
        await syncedOrFailed(ctx);
        assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      },
    },
    ...(['loader', 'tag'] as const).map(
      (form): EngineTest => ({
        title: `${form}: where the page does not allow our policy, one warning, no error, no badge`,
        async run(ctx) {
          await ctx.engine.goto(ctx.host.page(`/tt-forbidden-${form}`, { csp: FORBIDDEN, body: await embedBadge(ctx.widget, form) }));
          await waitFor(ctx.engine, 'a warning', () => (window as any).__rec.warnings.length > 0, null);
          const rec = await recorded(ctx.engine);
          // Each engine words the refusal its own way; all name our policy.
          assert.equal(rec.warnings.length, 1, JSON.stringify(rec.warnings));
          assert.match(rec.warnings[0], /^crossclock: TypeError: .*crossclock/);
          // The browser reports the refused policy; nothing ever assigned a string to a script URL.
          assert.deepEqual({ errors: rec.errors, violations: rec.violations }, { errors: [], violations: ['trusted-types trusted-types-policy'] });
          assert.equal(await ctx.engine.evaluate(() => document.querySelector('#a')!.getAttribute('data-state'), null), null);
        },
      }),
    ),
  ],
};
