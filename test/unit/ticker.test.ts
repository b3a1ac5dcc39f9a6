import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTicker } from '../../widget/src/ticker.js';

/** A ticker over a fake synchronised clock and fake timers. */
function fakeTicker(start: number) {
  const s = { now: start, delays: [] as number[], pending: null as (() => void) | null, ticks: [] as number[], live: new Set<number>() };
  let ids = 0;
  const ticker = createTicker(
    () => s.now,
    () => s.ticks.push(s.now),
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
});

describe('shared ticker with no badge left', () => {
  it('sets no timer once tick reports that no badge is left', () => {
    const s = { delays: [] as number[] };
    let left = 2;
    const ticker = createTicker(
      () => 0,
      () => left,
      (_, ms) => s.delays.push(ms),
      () => {},
    );
    ticker(true);
    left = 0;
    ticker(true);
    assert.deepEqual(s.delays, [1002]);
  });
});
