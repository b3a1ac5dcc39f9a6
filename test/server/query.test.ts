import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTimeQuery } from '../../server/query.js';

describe('readTimeQuery', () => {
  it('reads callback, tz and id and ignores everything else', () => {
    assert.deepEqual(readTimeQuery('_=1&callback=cb&tz=Asia%2FTokyo&id=r1&x=y'), {
      callback: 'cb', repeatedCallback: false, tz: 'Asia/Tokyo', id: 'r1',
    });
  });

  it('gives nulls for an empty query', () => {
    assert.deepEqual(readTimeQuery(''), { callback: null, repeatedCallback: false, tz: null, id: null });
  });

  it('reads a name without "=" as an empty value', () => {
    assert.equal(readTimeQuery('callback').callback, '');
  });

  it('decodes "+" as a space, like URLSearchParams', () => {
    assert.equal(readTimeQuery('tz=a+b').tz, new URLSearchParams('tz=a+b').get('tz'));
  });

  it('keeps a malformed escape raw instead of throwing', () => {
    assert.equal(readTimeQuery('callback=%E0%A4%A').callback, '%E0%A4%A');
  });

  it("reads callback=? (jQuery's placeholder left in place), encoded or not, as no callback", () => {
    assert.deepEqual(readTimeQuery('callback=?&_=1'), { callback: null, repeatedCallback: false, tz: null, id: null });
    assert.deepEqual(readTimeQuery('callback=a&callback=%3F&callback=?'), { callback: 'a', repeatedCallback: false, tz: null, id: null });
  });

  it('flags a repeated callback, also when the name is percent-encoded', () => {
    assert.equal(readTimeQuery('callback=a&callback=b').repeatedCallback, true);
    assert.equal(readTimeQuery('callback=a&c%61llback=b').repeatedCallback, true);
  });

  it('does not take a longer or shorter name for a wanted one', () => {
    assert.deepEqual(readTimeQuery('callbacks=a&tzz=b&i=c&d=e'), { callback: null, repeatedCallback: false, tz: null, id: null });
  });

  it('keeps the first of repeated tz and id values', () => {
    assert.deepEqual(readTimeQuery('tz=UTC&tz=Asia/Tokyo&id=a&id=b'), { callback: null, repeatedCallback: false, tz: 'UTC', id: 'a' });
  });
});
