import assert from 'node:assert/strict';
import { embedBadge, tagScript, type Form } from '../embeds.js';
import { waitFor } from '../engine.js';
import { readBadge, recorded, waitForState, type Context, type EngineTest, type Feature } from '../suite.js';

const NONCE = 'r4nd0m';
// Nothing but scripts, by nonce: any other kind of request the widget made would be a
// violation. `img-src 'self'` only lets Firefox fetch the host's own favicon.
const STRICT_DYNAMIC = `default-src 'none'; script-src 'nonce-${NONCE}' 'strict-dynamic'; style-src 'none'; img-src 'self'; base-uri 'none'`;
const NONCE_ONLY = `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'none'; img-src 'self'; base-uri 'none'`;
const allowlist = (ctx: Context) => `default-src 'self'; script-src 'self' ${ctx.widget.url}; style-src 'self'`;

/** The badge syncs under `csp` and the page records no violation and no error. */
function worksUnder(policy: string, csp: (ctx: Context) => string, form: Form, nonce?: string, todo?: string): EngineTest {
  return {
    title: `${policy}, ${form}: syncs with no violation`,
    todo,
    async run(ctx) {
      const path = '/' + `csp ${policy} ${form}`.replace(/\W+/g, '-');
      await ctx.engine.goto(ctx.host.page(path, { csp: csp(ctx), nonce, body: await embedBadge(ctx.widget, form, nonce) }));
      // A violation ends the wait at once: it is the failure to report.
      await waitFor(ctx.engine, 'a synced badge or a violation', () => document.querySelector('#a')?.getAttribute('data-state') === 'synced' || (window as any).__rec.violations.length > 0, null);
      assert.deepEqual(await recorded(ctx.engine), { errors: [], violations: [], warnings: [] });
      assert.equal((await readBadge(ctx.engine, '#a'))?.state, 'synced');
    },
  };
}

export const feature: Feature = {
  name: "strict CSP (nonce + 'strict-dynamic', nonce only, allowlist)",
  tests: [
    {
      title: 'the page records a violation when one happens (the control for every "no violation" below)',
      async run({ engine, host }) {
        await engine.goto(host.page('/csp-control', { csp: NONCE_ONLY, nonce: NONCE, body: '<script>window.ran = true</script>' }));
        const { violations } = await recorded(engine);
        assert.equal(violations.length, 1, JSON.stringify(violations));
        assert.match(violations[0], /^script-src/);
        assert.equal(await engine.evaluate(() => (window as any).ran === true, null), false);
      },
    },
    worksUnder("nonce + 'strict-dynamic'", () => STRICT_DYNAMIC, 'loader', NONCE),
    worksUnder("nonce + 'strict-dynamic'", () => STRICT_DYNAMIC, 'tag', NONCE),
    worksUnder("nonce + 'strict-dynamic'", () => STRICT_DYNAMIC, 'SRI-pinned tag', NONCE),
    worksUnder('nonce only', () => NONCE_ONLY, 'tag', NONCE),
    worksUnder('nonce only', () => NONCE_ONLY, 'SRI-pinned tag', NONCE),
    worksUnder('nonce only', () => NONCE_ONLY, 'loader', NONCE),
    worksUnder("allowlist with style-src 'self'", allowlist, 'tag'),
    worksUnder("allowlist with style-src 'self'", allowlist, 'SRI-pinned tag'),
    {
      title: 'uses no <style> element and no style attribute, in the page or the badge',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/no-inline-style', { body: `<span data-crossclock id="a" data-label="A"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        const inline = await engine.evaluate(() => {
          const roots: ParentNode[] = [document, ...[...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))];
          return roots.flatMap((r) => [...r.querySelectorAll('style, [style]')].map((e) => e.outerHTML));
        }, null);
        assert.deepEqual(inline, []);
      },
    },
  ],
};
