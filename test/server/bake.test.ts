import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bakeBundle, decodeLine, encodeLine } from '../../server/bake.js';

// A one-line bundle and a map with a segment for each token, as terser writes them.
const BUNDLE = '(()=>{const u=CROSSCLOCK_URL;go(u)})();\n';
const TOKENS = ['(()=>{', 'const u=', 'CROSSCLOCK_URL', ';go(u)', '})();'];
const columns = TOKENS.map((_, i) => TOKENS.slice(0, i).join('').length);
// Segment i maps generated column columns[i] to source line 0, column 10 * i.
const MAP = JSON.stringify({
  version: 3,
  sources: ['a.ts'],
  names: [],
  mappings: encodeLine(columns.map((c, i) => [c - (columns[i - 1] ?? 0), 0, 0, i ? 10 : 0])),
});

/** Generated column → original column, from a map's first line. */
function mapping(map: string): Map<number, number> {
  let gen = 0;
  let orig = 0;
  const out = new Map<number, number>();
  for (const [g, , , o] of decodeLine(JSON.parse(map).mappings.split(';')[0])) {
    out.set((gen += g), (orig += o));
  }
  return out;
}

describe('baking the public URL into the bundle', () => {
  it('writes the URL\'s /v1/, where the bundle requests from, as a string literal in place of the placeholder', () => {
    const { bundle } = bakeBundle(BUNDLE, null, 'https://clock.example');
    assert.equal(bundle, '(()=>{const u="https://clock.example/v1/";go(u)})();\n');
  });

  it('writes an empty string when no public URL is configured', () => {
    assert.equal(bakeBundle(BUNDLE, null, null).bundle, '(()=>{const u="";go(u)})();\n');
  });

  it('shifts the source map so code after the URL still maps to its source', () => {
    const { bundle, map } = bakeBundle(BUNDLE, MAP, 'https://clock.example');
    const before = mapping(MAP);
    const after = mapping(map!);
    assert.equal(bundle.indexOf(';go(u)'), [...after.keys()][3]);
    assert.equal(after.get(bundle.indexOf(';go(u)')), before.get(BUNDLE.indexOf(';go(u)')));
    assert.equal(after.get(bundle.indexOf('})();')), before.get(BUNDLE.indexOf('})();')));
    // Code before it is untouched.
    assert.equal(after.get(bundle.indexOf('const')), before.get(BUNDLE.indexOf('const')));
  });

  it('leaves a bundle without the placeholder as it is', () => {
    assert.deepEqual(bakeBundle('x()', MAP, 'https://clock.example'), { bundle: 'x()', map: MAP });
  });

  it('refuses a bundle naming the placeholder twice, which could not be baked safely', () => {
    assert.throws(() => bakeBundle('CROSSCLOCK_URL+CROSSCLOCK_URL', null, 'https://a.example'), /twice/);
  });

  it('round-trips VLQ fields, negative and large ones included', () => {
    const segments = [[0, 0, 0, 0], [15, -3, 1024, -70000, 5], [1]];
    assert.deepEqual(decodeLine(encodeLine(segments)), segments);
  });
});
