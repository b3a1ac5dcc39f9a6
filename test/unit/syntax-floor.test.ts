import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { transformSync } from 'esbuild';
import { builtPath } from '../support/built.js';
import { readDoc } from '../support/docs.js';

// The oldest engines that can parse what ships, by esbuild's compatibility data (which also
// knows engines' bugs, such as Chromium's before 91 in optional chaining): an engine parses a
// file when esbuild, printing it for that engine, lowers nothing, so prints it as for the
// newest one; where esbuild cannot lower it at all, the engine is older still.
const printsAsIs = (code: string, target: string) => {
  try {
    return transformSync(code, { target }).code === transformSync(code, { target: 'esnext' }).code;
  } catch {
    return false;
  }
};

/** `[engine, its oldest version that parses the file, the version before]`, as docs/browsers.md names them. */
type Floor = [engine: string, name: string, oldest: string, before: string][];

const FLOORS: [file: string, floor: Floor][] = [
  [
    'widget/crossclock.js',
    [
      ['chrome', 'Chromium', '91', '90'],
      ['firefox', 'Firefox', '79', '78'],
      ['safari', 'Safari', '14.1', '14'],
    ],
  ],
  [
    'widget/snippet.js',
    [
      ['chrome', 'Chromium', '63', '62'],
      ['firefox', 'Firefox', '67', '66'],
      ['safari', 'Safari', '11.1', '11'],
    ],
  ],
];

describe('the oldest engines that parse what ships', () => {
  const browsers = readDoc('docs/browsers.md').replace(/\s+/g, ' ');
  for (const [file, floor] of FLOORS) {
    it(`${file}: ${floor.map(([, name, oldest]) => `${name} ${oldest}`).join(', ')}, as docs/browsers.md says`, () => {
      const code = readFileSync(builtPath(file), 'utf8');
      for (const [engine, , oldest, before] of floor) {
        assert.ok(printsAsIs(code, engine + oldest), `${engine} ${oldest} parses ${file}`);
        assert.ok(!printsAsIs(code, engine + before), `${engine} ${before} cannot parse ${file}`);
      }
      const stated = floor.map(([, name, oldest]) => `${name} ${oldest}`).join(', ');
      assert.ok(browsers.includes(stated), `docs/browsers.md names ${stated}`);
    });
  }
});
