import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restartPolicy, RESTART_DEFAULTS } from '../../server/restart-policy.js';

describe('restartPolicy', () => {
  const at = (times: number[], options = RESTART_DEFAULTS) => {
    let t = 0;
    const policy = restartPolicy(options, () => t);
    return times.map((time) => ((t = time), policy.onDeath()));
  };

  it('doubles the delay with each death within the window, up to the cap', () => {
    const decisions = at([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(decisions.map((d) => (d.restart ? d.delayMs : null)), [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it('gives up at the tenth death within a minute', () => {
    const decisions = at(Array.from({ length: 10 }, (_, i) => i * 1000));
    assert.deepEqual(decisions.at(-1), { restart: false, deaths: 10 });
  });

  it('forgets deaths older than the window: a worker dying once an hour is replaced at once, forever', () => {
    const decisions = at(Array.from({ length: 30 }, (_, i) => i * 3_600_000));
    assert.ok(decisions.every((d) => d.restart && d.delayMs === 100));
  });
});
