import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, percentile, ratio, secondPhase, sequentialRoundTrips } from './stats.js';

describe('median', () => {
  it('takes the middle of an odd count, in any input order', () => {
    assert.equal(median([9, 1, 5]), 5);
  });
  it('averages the two middle values of an even count', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
  it('is null when nothing was measured', () => {
    assert.equal(median([]), null);
  });
});

describe('percentile', () => {
  const oneToTwenty = Array.from({ length: 20 }, (_, i) => 20 - i);
  it('takes the nearest rank: p95 of twenty ticks is the 19th smallest', () => {
    assert.equal(percentile(oneToTwenty, 95), 19);
  });
  it('gives the extremes at 0 and 100', () => {
    assert.equal(percentile(oneToTwenty, 0), 1);
    assert.equal(percentile(oneToTwenty, 100), 20);
  });
  it('refuses a percentile outside 0..100', () => {
    assert.throws(() => percentile([1], 101), /within 0..100/);
  });
});

describe('ratio', () => {
  it('divides two measured figures', () => {
    assert.equal(ratio(3000, 12000), 0.25);
  });
  it('is null when either side did not run or the base is zero', () => {
    assert.equal(ratio(null, 1), null);
    assert.equal(ratio(1, null), null);
    assert.equal(ratio(1, 0), null);
  });
});

describe('secondPhase', () => {
  it('is positive just after a whole second', () => {
    assert.equal(secondPhase(1_700_000_000_003), 3);
  });
  it('is negative just before one, instead of wrapping to 997', () => {
    assert.equal(secondPhase(1_699_999_999_997), -3);
  });
  it('handles instants before 1970', () => {
    assert.equal(secondPhase(-1_002), -2);
  });
});

describe('sequentialRoundTrips', () => {
  it('counts two requests made at once as one round trip', () => {
    assert.equal(sequentialRoundTrips([{ start: 0, end: 200 }, { start: 1, end: 205 }]), 1);
  });
  it('counts a request made after another answered as a second round trip', () => {
    assert.equal(sequentialRoundTrips([{ start: 210, end: 410 }, { start: 0, end: 200 }]), 2);
  });
  it('follows the longest chain when short and long chains mix', () => {
    const spans = [
      { start: 0, end: 100 },
      { start: 0, end: 300 },
      { start: 110, end: 200 },
      { start: 205, end: 250 },
    ];
    assert.equal(sequentialRoundTrips(spans), 3);
  });
  it('is zero without requests', () => {
    assert.equal(sequentialRoundTrips([]), 0);
  });
});
