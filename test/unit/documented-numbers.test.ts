import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JUMP_MS } from '../../widget/src/clock.js';
import { TIMEOUT_MS } from '../../widget/src/jsonp.js';
import { MAX_LABEL } from '../../widget/src/options.js';
import { BURST, RESYNC_MS, RETRY_CAP_MS, RETRY_MS, SHOWN_RESYNC_MS } from '../../widget/src/sync.js';
import { readDoc } from '../support/docs.js';

// The README and docs/ state these numbers; the behaviour tests use the constants. This pins
// their values and checks that the docs say the same, so neither can change alone.
const text = (path: string) => readDoc(path).replace(/\s+/g, ' ');
const api = text('docs/api.md');

describe('numbers the docs state', () => {
  it('samples a burst of 4 and resyncs every 10 minutes, or when shown again a minute after the last burst', () => {
    assert.equal(BURST, 4);
    assert.equal(RESYNC_MS, 10 * 60_000);
    assert.equal(SHOWN_RESYNC_MS, 60_000);
    assert.ok(api.includes(`a burst of ${BURST} JSONP samples`));
    assert.ok(api.includes(`Resync: every ${RESYNC_MS / 60_000} minutes, when the page becomes visible again a minute or more after the last burst began`));
    assert.ok(api.includes(`cost ${BURST} requests each time`));
  });

  it('retries from 1 s, doubling to a cap of 60 s', () => {
    assert.equal(RETRY_MS, 1000);
    assert.equal(RETRY_CAP_MS, 60_000);
    assert.ok(api.includes(`exponential backoff from ${RETRY_MS / 1000} s, doubling to a cap of ${RETRY_CAP_MS / 1000} s`));
  });

  it('takes a wall-clock jump over 2 s for a sleep, gives up a request after 10 s, keeps labels to 80 characters', () => {
    assert.equal(JUMP_MS, 2000);
    assert.equal(TIMEOUT_MS, 10_000);
    assert.equal(MAX_LABEL, 80);
    assert.ok(api.includes(`the wall clock jumps more than ${JUMP_MS / 1000} s`));
    assert.ok(api.includes(`A JSONP request gives up after ${TIMEOUT_MS / 1000} s.`));
    const limits = (doc: string) => doc.split(`at most ${MAX_LABEL} characters`).length - 1;
    // The label and the ended text, in the README's options table and api.md's countdown table.
    assert.equal(limits(text('README.md')), 2);
    assert.equal(limits(api), 1);
  });
});
