import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/unit/: the repository is three folders up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => 'docs/' + f)];

/** Every Markdown link or image target in `text` that points inside the repository. */
function localTargets(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'));
}

describe('the documentation', () => {
  it('README stays a first read: at most about 200 lines, its first lines giving the two commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.split('\n').length <= 220, `README has ${readme.split('\n').length} lines`);
    const head = readme.split('\n').slice(0, 6).join('\n');
    assert.match(head, /npm install && npm start/);
    assert.match(head, /npm test/);
  });

  it('links every docs/ page from the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const page of DOCS.filter((d) => d.startsWith('docs/'))) assert.ok(readme.includes(`](${page})`), `README does not link ${page}`);
  });

  for (const doc of DOCS) {
    it(`${doc}: every link to a file in the repository resolves`, () => {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const target of localTargets(text)) {
        const path = join(ROOT, dirname(doc), target.split('#')[0]);
        assert.ok(existsSync(path), `${doc} links ${target}, which does not exist`);
      }
    });
  }
});
