import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

/** What a host page pays, enforced here so a byte over fails `npm test`. */
export const SNIPPET_BUDGET = 300;
export const BUNDLE_GZIP_BUDGET = 2300;

const built = (name: string) => readFileSync(new URL(`../../../dist/widget/${name}`, import.meta.url));

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

  it('ships no debug-only code', () => {
    assert.doesNotMatch(built('crossclock.js').toString(), /DEBUG|console\.debug/);
  });
});
