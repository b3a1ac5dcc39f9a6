import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonpBody, safeJson } from '../../server/jsonp.js';

describe('JSONP bodies', () => {
  it('escape U+2028 and U+2029, which end a line in older JavaScript parsers', () => {
    assert.equal(safeJson({ s: '\u2028\u2029' }), '{"s":"\\u2028\\u2029"}');
  });

  it('escape < > & so the text cannot close or open a tag when inlined', () => {
    assert.equal(safeJson({ s: '</script><!--&' }), '{"s":"\\u003c/script\\u003e\\u003c!--\\u0026"}');
  });

  it('still parse back to the same data', () => {
    const data = { s: '<a>&\u2028' };
    assert.deepEqual(JSON.parse(safeJson(data)), data);
  });

  it('wrap the data in the prologue and the typeof guard', () => {
    assert.equal(jsonpBody('a.b', { x: 1 }), `/**/ typeof a.b === 'function' && a.b({"x":1});`);
  });
});
