import assert from 'node:assert/strict';
import { BURST } from '../../../widget/src/sync.js';
import { waitFor } from '../engine.js';
import { tagScript } from '../embeds.js';
import { recorded, waitForState, type Feature } from '../suite.js';

/** One change of the badge's text, as a MutationObserver saw it. */
interface Change {
  /** Synchronised time (`crossclock.now()`) when the text changed. */
  now: number;
  /** The instant the badge shows (`<time datetime>`). */
  shown: number;
}

// Records the server time of every answer to the bundle's own requests: wraps `crossclock.t`
// (which each answer looks up when it runs) as soon as the bundle's first time tag appears,
// a task before any answer can arrive.
const RECORD_ANSWERS = `<script>window.__answers = [];
new MutationObserver((_, o) => {
  const c = window.crossclock, t = c && c.t;
  if (!t) return;
  o.disconnect();
  c.t = (data) => { __answers.push(data.t); t(data); };
}).observe(document.documentElement, { childList: true });</script>`;

export const feature: Feature = {
  name: 'ticking aligned to the second',
  tests: [
    {
      title: 'every sample of a burst is a fresh answer from the server, although the callback URL never changes',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/fresh', { body: `<span data-crossclock id="a"></span>${RECORD_ANSWERS}${tagScript(widget)}` }));
        const answers = (await waitFor(engine, 'a whole burst of answers', (n) => ((window as any).__answers.length >= n ? ((window as any).__answers as number[]) : null), BURST))!;
        // A cached or reused answer would repeat its time and pass for the lowest round trip.
        for (let i = 1; i < BURST; i++) assert.ok(answers[i] >= answers[i - 1], answers.join(', '));
        assert.ok(answers[BURST - 1] > answers[0], `the same server time ${BURST} times: ${answers.join(', ')}`);
        // Every tag is removed once its answer ran.
        assert.equal(await engine.evaluate(() => document.querySelectorAll('script[src*="/v1/time"]').length, null), 0);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
    {
      title: 'the text changes once per second, just after each second boundary of synchronised time',
      async run({ engine, host, widget }) {
        await engine.goto(host.page('/tick', { body: `<span data-crossclock id="a"></span>${tagScript(widget)}` }));
        await waitForState(engine, '#a', 'synced');
        // A sample landing mid-test would move the clock: wait for the whole first burst.
        await waitFor(
          engine,
          'the first burst of time requests',
          (n) => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/time')).length >= n,
          BURST,
        );
        const changes = await engine.evaluate(
          () =>
            new Promise<Change[]>((resolve) => {
              const time = document.querySelector('#a')!.shadowRoot!.querySelector('time')!;
              const seen: Change[] = [];
              // One callback per render: the text and `datetime` change in the same task.
              const observer = new MutationObserver(() => {
                seen.push({ now: (window as any).crossclock.now(), shown: Date.parse(time.dateTime) });
                if (seen.length === 5) {
                  observer.disconnect();
                  resolve(seen);
                }
              });
              observer.observe(time, { subtree: true, childList: true, characterData: true, attributes: true });
            }),
          null,
        );
        const late = changes.map((c) => c.now - c.shown);
        // Never early (it would show the next second before it starts), never a stale second.
        for (const ms of late) assert.ok(ms >= 0 && ms < 1000, `changed ${ms} ms after the boundary it shows: ${JSON.stringify(changes)}`);
        // One second per change: none skipped, none shown twice.
        for (let i = 1; i < changes.length; i++) assert.equal(changes[i].shown - changes[i - 1].shown, 1000, JSON.stringify(changes));
        // Just after the boundary, not somewhere in the second: the median allows for a loaded machine.
        const median = [...late].sort((a, b) => a - b)[2];
        assert.ok(median < 100, `median ${median} ms after the boundary: ${late.join(', ')}`);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
  ],
};
