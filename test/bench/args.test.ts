import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArgs, PARTS } from './args.js';

describe('the bench command line', () => {
  it('runs every part, five rounds of two seconds, writing no file by default', () => {
    assert.deepEqual(parseArgs([]), { json: null, parts: [...PARTS], rounds: 5, seconds: 2 });
  });

  it('takes --json FILE and --json=FILE', () => {
    assert.equal(parseArgs(['--json', 'out.json']).json, 'out.json');
    assert.equal(parseArgs(['--json=out.json']).json, 'out.json');
  });

  it('runs the --only parts in the usual order', () => {
    assert.deepEqual(parseArgs(['--only', 'idle,sizes']).parts, ['sizes', 'idle']);
  });

  it('names an unknown part and lists the real ones', () => {
    assert.throws(() => parseArgs(['--only', 'sizes,speed']), /unknown part speed; parts are sizes, server/);
  });

  it('refuses unknown flags, missing values and rounds out of bounds', () => {
    assert.throws(() => parseArgs(['--fast']), /unknown flag --fast/);
    assert.throws(() => parseArgs(['--fast', 'yes']), /unknown flag --fast/);
    assert.throws(() => parseArgs(['--json']), /--json needs a value/);
    assert.throws(() => parseArgs(['--rounds', '0']), /--rounds must be a whole number from 1 to 10/);
  });
});

describe('the bench command line as docs/performance.md gives it', () => {
  it('lists every part --only takes, in the order they run', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/performance.md', import.meta.url)), 'utf8');
    const listed = /--only [\w,]+ +# some parts: ([\w, ]+)\n/.exec(doc);
    assert.ok(listed, 'docs/performance.md shows `npm run bench -- --only …  # some parts: …`');
    assert.deepEqual(listed[1].split(', '), [...PARTS]);
  });

  it('gives the default and the bounds of --rounds and --seconds', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/performance.md', import.meta.url)), 'utf8');
    const stated = /--rounds \d+ --seconds \d+ +#.*\(default (\d+) of (\d+) s; (\d+) to (\d+) each\)\n/.exec(doc);
    assert.ok(stated, 'docs/performance.md shows `npm run bench -- --rounds N --seconds S  # … (default R of S s; MIN to MAX each)`');
    const [rounds, seconds, min, max] = stated.slice(1).map(Number);
    assert.deepEqual([parseArgs([]).rounds, parseArgs([]).seconds], [rounds, seconds]);
    for (const flag of ['--rounds', '--seconds']) {
      assert.doesNotThrow(() => parseArgs([flag, String(min)]));
      assert.doesNotThrow(() => parseArgs([flag, String(max)]));
      assert.throws(() => parseArgs([flag, String(min - 1)]));
      assert.throws(() => parseArgs([flag, String(max + 1)]));
    }
  });
});
