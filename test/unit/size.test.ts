import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

/** What a host page pays, enforced here so a byte over fails `npm test`. */
export const SNIPPET_BUDGET = 300;
/** Everything, countdown badges included (issue 13). */
export const BUNDLE_GZIP_BUDGET = 2600;
/** The same bundle built without countdown badges (issue 10's budget for the rest). */
export const NO_COUNTDOWN_GZIP_BUDGET = 2300;

const built = (name: string) => readFileSync(new URL(`../../../dist/widget/${name}`, import.meta.url));
const variant = (name: string) => readFileSync(new URL(`../../../dist/variants/${name}`, import.meta.url));

describe('size budgets', () => {
  it(`the loader snippet is at most ${SNIPPET_BUDGET} B minified, not counting the server URL`, () => {
    const body = built('snippet.js').toString().trim();
    assert.ok(body.includes('CROSSCLOCK_URL'), 'the snippet carries the URL placeholder');
    const size = Buffer.byteLength(body.replace('CROSSCLOCK_URL', ''));
    assert.ok(size <= SNIPPET_BUDGET, `snippet is ${size} B`);
  });

  it(`the whole bundle, as served, is at most ${BUNDLE_GZIP_BUDGET} B gzipped`, () => {
    const size = gzipSync(built('crossclock.js'), { level: 9 }).length;
    assert.ok(size <= BUNDLE_GZIP_BUDGET, `bundle is ${size} B gzip`);
  });

  it(`the bundle without countdown badges is at most ${NO_COUNTDOWN_GZIP_BUDGET} B gzipped`, () => {
    const size = gzipSync(variant('crossclock-no-countdown.js'), { level: 9 }).length;
    assert.ok(size <= NO_COUNTDOWN_GZIP_BUDGET, `bundle without countdowns is ${size} B gzip`);
  });

  it('measures a variant that really has no countdown code, against a bundle that has it', () => {
    // The bench prints the difference as what countdowns cost: both sides must be what they claim.
    assert.match(built('crossclock.js').toString(), /crossclock:end/);
    assert.doesNotMatch(variant('crossclock-no-countdown.js').toString(), /crossclock:end|DurationFormat|until/);
  });

  it('ships no debug-only code', () => {
    assert.doesNotMatch(built('crossclock.js').toString(), /DEBUG|console\.debug/);
  });
});
