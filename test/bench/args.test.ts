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
});
