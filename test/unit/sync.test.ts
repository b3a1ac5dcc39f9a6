import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BURST, createSync, RESYNC_MS, RETRY_CAP_MS, RETRY_MS, SHOWN_RESYNC_MS, type Sample } from '../../widget/src/sync.js';

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A sync loop over a scripted server and fake timers. `answers` says, per exchange, whether
 * the server answers; `random` is the jitter source.
 */
function fakeSync(answers: boolean[], random = () => 0.5) {
  const s = {
    exchanges: 0,
    /** The monotonic clock, in ms: moved by the test. */
    now: 0,
    added: [] as { x: Sample; fresh: boolean }[],
    events: [] as string[],
    timers: [] as { fn: () => void; ms: number; cleared?: boolean }[],
  };
  const run = createSync(
    async () => {
      const ok = answers[s.exchanges++] ?? true;
      if (!ok) throw new Error('network');
      return [s.exchanges * 10, s.exchanges * 10 + 5, Date.UTC(2026, 0, 1)];
    },
    (sent, received, server, fresh) => {
      s.added.push({ x: [sent, received, server], fresh });
      return true;
    },
    () => s.events.push('sync'),
    () => s.events.push('offline'),
    random,
    () => s.now,
    (fn, ms) => s.timers.push({ fn, ms }),
    (id) => {
      if (id) s.timers[(id as number) - 1].cleared = true;
    },
  );
  /** The one timer still armed. */
  const armed = () => {
    const live = s.timers.filter((t) => !t.cleared);
    return live[live.length - 1];
  };
  return { s, run, armed };
}

describe('sync loop', () => {
  it('takes a burst of samples, the first one fresh, then resyncs periodically', async () => {
    const { s, run, armed } = fakeSync([]);
    run();
    await settle();
    assert.equal(s.exchanges, BURST);
    assert.deepEqual(
      s.added.map((a) => a.fresh),
      [true, false, false, false],
    );
    assert.equal(s.events.filter((e) => e === 'sync').length, BURST);
    assert.equal(armed().ms, RESYNC_MS);
    armed().fn();
    await settle();
    assert.equal(s.exchanges, 2 * BURST);
  });

  describe('when the server cannot be reached', () => {
    it('reports offline and retries with capped exponential backoff and jitter', async () => {
      const { s, run, armed } = fakeSync(Array(12).fill(false), () => 0);
      run();
      const delays: number[] = [];
      for (let i = 0; i < 9; i++) {
        await settle();
        delays.push(armed().ms);
        armed().fn();
      }
      // With no jitter (random 0) each delay is half its ceiling: 1 s, 2 s, 4 s … up to the cap.
      assert.deepEqual(
        delays,
        [1, 2, 4, 8, 16, 32, 60, 60, 60].map((c) => (Math.min(RETRY_CAP_MS, c * RETRY_MS) * 1) / 2),
      );
      assert.equal(s.events.filter((e) => e === 'offline').length, 9);
    });

    it('spreads retries over the upper half of the ceiling', async () => {
      const { run, armed } = fakeSync([false], () => 0.999);
      run();
      await settle();
      assert.ok(armed().ms > RETRY_MS * 0.99 && armed().ms <= RETRY_MS);
    });

    it('recovers by itself and starts the backoff over', async () => {
      const { s, run, armed } = fakeSync([false, false, true, true, true, true, false]);
      run();
      await settle();
      armed().fn();
      await settle();
      armed().fn();
      await settle();
      assert.deepEqual(s.events, ['offline', 'offline', 'sync', 'sync', 'sync', 'sync']);
      assert.equal(armed().ms, RESYNC_MS);
      armed().fn();
      await settle();
      // Back to the first delay: a success reset the failure count.
      assert.equal(armed().ms, (RETRY_MS * 1.5) / 2);
    });

    it('stays synced when a later sample of a burst fails, and retries soon', async () => {
      const { s, run, armed } = fakeSync([true, false]);
      run();
      await settle();
      assert.deepEqual(s.events, ['sync']);
      assert.ok(armed().ms <= RETRY_MS);
    });
  });

  describe('when the page is shown again', () => {
    it('keeps its clock within a minute of the last burst, then takes a burst', async () => {
      const { s, run } = fakeSync([]);
      run();
      await settle();
      s.now = SHOWN_RESYNC_MS - 1;
      run(SHOWN_RESYNC_MS);
      await settle();
      assert.equal(s.exchanges, BURST);
      s.now = SHOWN_RESYNC_MS;
      run(SHOWN_RESYNC_MS);
      await settle();
      assert.equal(s.exchanges, 2 * BURST);
    });

    it('counts the minute from the last burst of any kind: a periodic resync, a retry', async () => {
      const { s, run, armed } = fakeSync([false]);
      run();
      await settle();
      s.now = 50_000;
      armed().fn();
      await settle();
      assert.equal(s.exchanges, 1 + BURST);
      s.now = 50_000 + SHOWN_RESYNC_MS - 1;
      run(SHOWN_RESYNC_MS);
      await settle();
      assert.equal(s.exchanges, 1 + BURST);
    });

    it('never holds back a burst asked for without a minimum age (start, a sleep), whatever the clock did', async () => {
      const { s, run } = fakeSync([]);
      s.now = 100_000;
      run();
      await settle();
      run();
      await settle();
      // A clock that went back (a simulated sleep lags performance.now()) holds nothing back either.
      s.now = 40_000;
      run();
      await settle();
      assert.equal(s.exchanges, 3 * BURST);
    });
  });

  it('lets a newer burst take over from one still in flight', async () => {
    const { s, run } = fakeSync([]);
    run();
    run();
    await settle();
    // The first burst stops after its pending exchange; only the second takes all its samples.
    assert.equal(s.exchanges, BURST + 1);
    assert.equal(s.added.length, BURST);
  });
});
