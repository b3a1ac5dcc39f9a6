import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTicker } from '../../widget/src/ticker.js';

describe('shared ticker', () => {
  it('wakes just after each second boundary of synchronised time, without drift', () => {
    let now = 10_250;
    const delays: number[] = [];
    let pending: (() => void) | null = null;
    const ticks: number[] = [];
    const ticker = createTicker(
      {
        now: () => now,
        setTimeout: (fn, ms) => {
          delays.push(ms);
          pending = fn;
          return 1;
        },
        clearTimeout: () => (pending = null),
      },
      () => ticks.push(now),
    );
    ticker.start();
    assert.equal(delays[0], 752);
    // The timer fires 30 ms late: the next wake-up is shortened, not pushed back.
    now = 11_032;
    pending!();
    assert.equal(delays[1], 970);
    assert.deepEqual(ticks, [10_250, 11_032]);
  });

  it('stops waking once stopped', () => {
    let cleared = 0;
    const ticker = createTicker({ now: () => 0, setTimeout: () => 7, clearTimeout: () => cleared++ }, () => {});
    ticker.start();
    ticker.stop();
    assert.equal(cleared, 1);
  });
});
