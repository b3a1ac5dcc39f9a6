import assert from 'node:assert/strict';
import { durationSeconds } from '../../support/duration.js';
import { datejs, mooTools, ses, type HostLibrary } from '../../support/host-libraries.js';
import { loaderScript, tagScript } from '../embeds.js';
import { waitFor } from '../engine.js';
import { readBadge, recorded, waitForState, type EngineTest, type Feature } from '../suite.js';

/**
 * Pages that still run old libraries which replace built-ins: MooTools (Joomla 1.6 to 3
 * shipped it) replaces the `Document` global, and with More `Date.parse`; Datejs replaces
 * `Date.now` (answering a Date) and `Date.parse` (answering null for ISO instants). And
 * pages that freeze them: SES's `lockdown()` freezes every JavaScript built-in. Against
 * a server whose clock is hours off the device's, so a badge going by the device's clock,
 * or counting down from a misread instant, shows it.
 */

/** The device's clock in ms, read past the library: `Date.now` may be Datejs's. */
const deviceNow = () => +new Date();

/** In the page: what the library replaced really is replaced there (the control). */
const replaced = () => ({
  document: typeof Document.prototype.addEventListener !== 'function',
  now: typeof Date.now() !== 'number',
  parse: typeof Date.parse('2030-01-01T00:00:00Z') !== 'number',
  frozen: Object.isFrozen(Object.prototype) && Object.isFrozen(Function.prototype),
});

function syncsBeside(library: HostLibrary, form: 'tag' | 'loader', expected: Partial<ReturnType<typeof replaced>>): EngineTest {
  return {
    title: `${library.name}, ${form}: a clock and a countdown by the server's clock, no error`,
    missing: library.missing,
    async run({ engine, host, shifted }) {
      const server = await shifted();
      const head = library
        .scripts()
        .map(([path, source]) => (host.script(path, source), `<script src="${path}"></script>`))
        .join('');
      // An hour ahead by the server, hours past by the device: a misread instant shows.
      const until = Math.ceil((deviceNow() + server.shiftMs) / 1000) * 1000 + 3_600_000;
      const badges = `<span data-crossclock id="clock"></span><span data-crossclock id="cd" data-until="${new Date(until).toISOString().replace('Z', '+00:00')}"></span>`;
      const body = badges + (form === 'tag' ? tagScript(server) : loaderScript(server, ''));
      await engine.goto(host.page(`/libraries/${library.name}/${form}`, { head, body }));
      const control = await engine.evaluate(replaced, null);
      for (const [what, value] of Object.entries(expected)) assert.equal(control[what as keyof typeof control], value, `${library.name} replaced ${what}`);

      await waitForState(engine, '#clock', 'synced');
      await waitForState(engine, '#cd', 'synced');
      const { offset, now } = await engine.evaluate(() => ({ offset: (window as any).crossclock.now() - +new Date(), now: +new Date() }), null);
      const cd = (await readBadge(engine, '#cd'))!;
      assert.ok(Math.abs(offset - server.shiftMs) < 2000, `synchronised ${offset} ms off the device, the server is ${server.shiftMs} ms`);
      const left = (until - (now + server.shiftMs)) / 1000;
      assert.ok(Math.abs(durationSeconds(cd.datetime) - left) <= 2, `${cd.datetime} shown with ${left} s left by the server's clock`);
      // And it ticks: the clock's second moves on.
      const shown = (await readBadge(engine, '#clock'))!.datetime;
      await waitFor(engine, '#clock to tick', (t) => document.querySelector('#clock')!.shadowRoot!.querySelector('time')!.dateTime !== t, shown);
      assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
    },
  };
}

export const feature: Feature = {
  name: 'pages running MooTools or Datejs, or locked down by SES',
  tests: [
    syncsBeside(mooTools, 'tag', { document: true, parse: true }),
    syncsBeside(mooTools, 'loader', { document: true, parse: true }),
    syncsBeside(datejs, 'tag', { now: true, parse: true }),
    syncsBeside(datejs, 'loader', { now: true, parse: true }),
    syncsBeside(ses, 'tag', { frozen: true, now: false }),
    syncsBeside(ses, 'loader', { frozen: true, now: false }),
  ],
};
