import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaSnippetBytes, sizesOf, snippetBytes } from './sizes.js';

describe('snippet bytes', () => {
  it('leave out the URL placeholder, which the host replaces with its own URL', () => {
    assert.equal(snippetBytes('s.src="CROSSCLOCK_URL/v1/crossclock.js"\n'), 's.src="/v1/crossclock.js"'.length);
  });

  it('count UTF-8 bytes, not characters', () => {
    assert.equal(snippetBytes('"…"'), 5);
  });
});

describe('sizesOf', () => {
  it('reports raw bytes and smaller gzip and brotli sizes for compressible code', () => {
    const s = sizesOf('function f(){return 1}'.repeat(50));
    assert.equal(s.raw, 1100);
    assert.ok(s.gzip < s.raw && s.brotli < s.raw, JSON.stringify(s));
  });
});

describe("Google Analytics' snippet, the loader size we compare with", () => {
  it('is measured from the fixture, minified, without the URL it loads', async () => {
    const bytes = await gaSnippetBytes();
    // Well under the 379 B of its pasted text, well over the queue alone.
    assert.ok(bytes > 200 && bytes < 379, String(bytes));
  });
});
