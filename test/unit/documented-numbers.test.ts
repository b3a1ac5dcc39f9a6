import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JUMP_MS } from '../../widget/src/clock.js';
import { TIMEOUT_MS } from '../../widget/src/jsonp.js';
import { MAX_LABEL } from '../../widget/src/options.js';
import { BURST, RESYNC_MS, RETRY_CAP_MS, RETRY_MS } from '../../widget/src/sync.js';

// The README and docs/ state these numbers; the behaviour tests use the constants, this pins their
// values so a change cannot leave the docs behind.
describe('numbers the docs state', () => {
  it('samples a burst of 4 and resyncs every 10 minutes', () => {
    assert.equal(BURST, 4);
    assert.equal(RESYNC_MS, 10 * 60_000);
  });

  it('retries from 1 s, doubling to a cap of 60 s', () => {
    assert.equal(RETRY_MS, 1000);
    assert.equal(RETRY_CAP_MS, 60_000);
  });

  it('takes a wall-clock jump over 2 s for a sleep, gives up a request after 10 s, keeps labels to 80 characters', () => {
    assert.equal(JUMP_MS, 2000);
    assert.equal(TIMEOUT_MS, 10_000);
    assert.equal(MAX_LABEL, 80);
  });
});
