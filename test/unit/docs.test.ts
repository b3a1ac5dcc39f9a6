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

/** Every link target in `text` that names a heading: `#anchor` or `page.md#anchor`. */
function anchorTargets(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t) && /^([^#]*\.md)?#/.test(t));
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
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

    it(`${doc}: every link to a heading names one that exists`, () => {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const target of anchorTargets(text)) {
        const [page, anchor] = target.split('#');
        const linked = page ? readFileSync(join(ROOT, dirname(doc), page), 'utf8') : text;
        assert.ok(headingAnchors(linked).has(anchor), `${doc} links ${target}, but ${page || doc} has no heading with that anchor`);
      }
    });
  }

  it('gives headings the anchors GitHub gives them', () => {
    const anchors = headingAnchors('# Crossclock\n## Removing a badge: `crossclock(\'remove\', target)`\n```sh\n# not a heading\n```\n## Why JSONP, and never an IFRAME\n## Why JSONP, and never an IFRAME\n');
    assert.deepEqual([...anchors], ['crossclock', 'removing-a-badge-crossclockremove-target', 'why-jsonp-and-never-an-iframe', 'why-jsonp-and-never-an-iframe-1']);
  });
});
