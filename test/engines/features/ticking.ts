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
        const { changes, control } = await engine.evaluate(
          () =>
            new Promise<{ changes: Change[]; control: Record<number, number> }>((resolve) => {
              const clock = (window as any).crossclock;
              const time = document.querySelector('#a')!.shadowRoot!.querySelector('time')!;
              const changes: Change[] = [];
              // The control: a timer of the page's own, aimed like the widget's at 2 ms past each
              // boundary of synchronised time. How late it wakes is what the engine adds now.
              const control: Record<number, number> = {};
              let timer: ReturnType<typeof setTimeout>;
              const aim = () => (timer = setTimeout(wake, 1002 - (clock.now() % 1000)));
              const wake = () => {
                const t = clock.now();
                control[t - (t % 1000)] = t % 1000;
                aim();
              };
              aim();
              // One callback per render: the text and `datetime` change in the same task.
              const observer = new MutationObserver(() => {
                changes.push({ now: clock.now(), shown: Date.parse(time.dateTime) });
                if (changes.length === 5) {
                  observer.disconnect();
                  clearTimeout(timer);
                  resolve({ changes, control });
                }
              });
              observer.observe(time, { subtree: true, childList: true, characterData: true, attributes: true });
            }),
          null,
        );
        const seen = `changes ${JSON.stringify(changes)}, control ${JSON.stringify(control)}`;
        const late = changes.map((c) => c.now - c.shown);
        // Never early (it would show the next second before it starts), never a stale second.
        for (const ms of late) assert.ok(ms >= 0 && ms < 1000, `changed ${ms} ms after the boundary it shows: ${seen}`);
        // One second per change: none skipped, none shown twice.
        for (let i = 1; i < changes.length; i++) assert.equal(changes[i].shown - changes[i - 1].shown, 1000, seen);
        // Just after the boundary, not somewhere in the second. A loaded machine makes every timer
        // late, so each change is measured against the control's wake-up at the same boundary;
        // the median forgives a stall that fell between the two.
        const behind = changes.filter((c) => c.shown in control).map((c) => c.now - c.shown - control[c.shown]);
        assert.ok(behind.length >= 3, `the control woke at too few of the same boundaries: ${seen}`);
        const median = [...behind].sort((a, b) => a - b)[behind.length >> 1];
        assert.ok(median < 50, `median ${median} ms behind a timer aimed at the same boundaries: ${seen}`);
        assert.deepEqual(await recorded(engine), { errors: [], violations: [], warnings: [] });
      },
    },
  ],
};
