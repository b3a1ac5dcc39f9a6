import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
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
    assert.equal(jsonpBody('cb', { x: 1 }), `/**/ typeof cb === 'function' && cb({"x":1});`);
  });

  it('call a dotted callback with the data', () => {
    const got: unknown[] = [];
    runInNewContext(jsonpBody('a.b.c', { x: 1 }), { a: { b: { c: (d: unknown) => got.push(JSON.stringify(d)) } } });
    assert.deepEqual(got, ['{"x":1}']);
  });

  it('arrive late without an error, whatever part of a dotted callback the page removed', () => {
    // The widget's `crossclock.t` and the standalone client's `crossclock.j.<id>`, answered
    // after the page deleted the global, replaced it, or dropped the registry.
    const pages: Record<string, unknown>[] = [{}, { crossclock: undefined }, { crossclock: null }, { crossclock: {} }, { crossclock: 0 }];
    for (const callback of ['crossclock.t', 'crossclock.j.k1']) {
      for (const page of pages) {
        assert.doesNotThrow(() => runInNewContext(jsonpBody(callback, { x: 1 }), { ...page }), `${callback} on ${JSON.stringify(page)}`);
      }
    }
    assert.doesNotThrow(() => runInNewContext(jsonpBody('crossclock.j.k1', {}), { crossclock: { j: {} } }));
  });

  it('call an indexed callback, and arrive late without an error whatever part of it the page removed', () => {
    const got: unknown[] = [];
    runInNewContext(jsonpBody('Y.ds.callbacks[1].cb', { x: 1 }), { Y: { ds: { callbacks: [null, { cb: (d: unknown) => got.push(JSON.stringify(d)) }] } } });
    assert.deepEqual(got, ['{"x":1}']);
    // YUI 2's ScriptNodeDataSource deletes `callbacks[0]` once answered or timed out.
    for (const page of [{}, { Y: null }, { Y: {} }, { Y: { ds: {} } }, { Y: { ds: { callbacks: [] } } }, { Y: { ds: { callbacks: [null] } } }, { Y: { ds: { callbacks: [{}] } } }]) {
      assert.doesNotThrow(() => runInNewContext(jsonpBody('Y.ds.callbacks[0].cb', { x: 1 }), { ...page }), JSON.stringify(page));
    }
  });

  it('still let an error thrown by the callback itself reach the page', () => {
    const thrower = () => {
      throw new Error('host bug');
    };
    assert.throws(() => runInNewContext(jsonpBody('a.b', {}), { a: { b: thrower } }), /host bug/);
  });
});
