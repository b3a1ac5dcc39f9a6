import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTicker } from '../../widget/src/ticker.js';

/** A ticker over a fake synchronised clock and fake timers. */
function fakeTicker(start: number, next = () => Infinity) {
  const s = { now: start, delays: [] as number[], pending: null as (() => void) | null, ticks: [] as number[], live: new Set<number>() };
  let ids = 0;
  const ticker = createTicker(
    () => s.now,
    () => {
      s.ticks.push(s.now);
      return next();
    },
    (fn, ms) => {
      s.delays.push(ms);
      s.pending = fn;
      s.live.add(++ids);
      return ids;
    },
    (id) => {
      s.live.delete(id);
      s.pending = null;
    },
  );
  return { s, ticker };
}

describe('shared ticker', () => {
  it('wakes just after each second boundary of synchronised time, without drift', () => {
    const { s, ticker } = fakeTicker(10_250);
    ticker(true);
    assert.deepEqual(s.delays, [752]);
    // The timer fires 30 ms late: the next wake-up is shortened, not pushed back.
    s.now = 11_032;
    s.pending!();
    assert.deepEqual(s.delays, [752, 970]);
    assert.deepEqual(s.ticks, [10_250, 11_032]);
  });

  it('stops waking once stopped (the page was hidden)', () => {
    const { s, ticker } = fakeTicker(0);
    ticker(true);
    ticker(false);
    assert.equal(s.pending, null);
    assert.deepEqual(s.ticks, [0]);
  });

  it('keeps a single timer when restarted on a corrected clock', () => {
    const { s, ticker } = fakeTicker(500);
    ticker(true);
    s.now = 900;
    ticker(true);
    assert.deepEqual(s.delays, [502, 102]);
    assert.equal(s.live.size, 1);
    assert.deepEqual(s.ticks, [500, 900]);
  });

  it('wakes at an instant a tick asks for when it comes before the next boundary', () => {
    // A countdown ending at 12.437 s must not wait for the 13 s boundary.
    const { s, ticker } = fakeTicker(12_100, () => 12_437);
    ticker(true);
    assert.deepEqual(s.delays, [339]);
  });

  it('keeps the boundary when the asked-for instant lies beyond it, or none is given', () => {
    const later = fakeTicker(12_100, () => 14_000);
    later.ticker(true);
    assert.deepEqual(later.s.delays, [902]);
    const none = fakeTicker(12_100, () => Infinity);
    none.ticker(true);
    assert.deepEqual(none.s.delays, [902]);
  });
});

describe('shared ticker set again after a change to the page (keep)', () => {
  it('sets the timer again for the same instant without a tick', () => {
    // A page whose DOM changes every frame must not render every badge each time.
    const { s, ticker } = fakeTicker(10_250);
    ticker(true);
    s.now = 10_600;
    ticker(true, 1);
    assert.deepEqual(s.ticks, [10_250]);
    assert.deepEqual(s.delays, [752, 402]);
    assert.equal(s.live.size, 1);
  });

  it('keeps an early instant a countdown asked for', () => {
    const { s, ticker } = fakeTicker(12_100, () => 12_437);
    ticker(true);
    s.now = 12_300;
    ticker(true, 1);
    assert.deepEqual(s.delays, [339, 139]);
  });

  it('fires at once when the change came after the instant, before the timer ran', () => {
    // Setting it for the next boundary instead would skip a whole second.
    const { s, ticker } = fakeTicker(10_250);
    ticker(true);
    s.now = 11_003;
    ticker(true, 1);
    assert.ok(s.delays[1] <= 0, `set again for ${s.delays[1]} ms`);
    s.pending!();
    assert.deepEqual(s.ticks, [10_250, 11_003]);
  });

  it('ticks when no timer was running (no badge was left: one may be back)', () => {
    let left = 0;
    const { s, ticker } = fakeTicker(10_250, () => (left ? Infinity : 0));
    ticker(true);
    left = 1;
    ticker(true, 1);
    assert.deepEqual(s.ticks, [10_250, 10_250]);
    assert.deepEqual(s.delays, [752]);
  });
});

describe('shared ticker with no badge left', () => {
  it('sets no timer once tick reports that no badge is left', () => {
    const s = { delays: [] as number[] };
    let left = 2;
    const ticker = createTicker(
      () => 0,
      // Badges left and no countdown needing an early wake: Infinity; none left: 0.
      () => (left ? Infinity : 0),
      (_, ms) => s.delays.push(ms),
      () => {},
    );
    ticker(true);
    left = 0;
    ticker(true);
    assert.deepEqual(s.delays, [1002]);
  });
});
