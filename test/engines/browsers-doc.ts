import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineName } from './engine.js';
import type { Feature } from './suite.js';

/** What one engine did in this run: the version its driver reported and the features whose tests all passed. */
export interface EngineRun {
  engine: EngineName;
  version: string;
  features: string[];
}

// Run from dist/test/engines/: the repository root is three levels up.
const DOC = fileURLToPath(new URL('../../../docs/browsers.md', import.meta.url));
const BEGIN = '<!-- engines table: checked by `npm run test:engines`; `UPDATE_BROWSERS_DOC=1 npm run test:engines` rewrites it -->';
const END = '<!-- end of engines table -->';

const LABEL: Record<EngineName, string> = {
  chromium: '| Chromium | Playwright |',
  firefox: '| Firefox ESR | puppeteer-core, WebDriver BiDi |',
  webkit: '| WebKitGTK (MiniBrowser; the engine of Safari) | selenium-webdriver, WebDriver |',
};

/**
 * The release line a full version belongs to: Chromium 156, Firefox ESR 153, WebKitGTK 2.50
 * (WebKitGTK's stable series are major.minor). Debian's security updates move the last
 * digits every few weeks; a new line is worth a new look at the table.
 */
export function releaseLine(engine: EngineName, version: string): string {
  return version.split('.').slice(0, engine === 'webkit' ? 2 : 1).join('.');
}

/** The table row for one engine's run. */
export function engineRow(run: EngineRun): string {
  return `${LABEL[run.engine]} ${releaseLine(run.engine, run.version)} | ${run.features.join('; ')} |`;
}

/** The generated block: header, one row per engine (from `rows`), and the pending tests. */
export function renderBlock(rows: Record<EngineName, string>, features: Feature[]): string {
  const pending = features.flatMap((f) => f.tests.filter((t) => t.todo).map((t) => `- pending in every engine: ${f.name}: ${t.title}: ${t.todo}`));
  return [
    BEGIN,
    '| Engine | Driven by | Version tested (release line) | Covered (every test of the feature passes) |',
    '| --- | --- | --- | --- |',
    rows.chromium,
    rows.firefox,
    rows.webkit,
    '',
    ...pending,
    END,
  ].join('\n');
}

/** The engine rows currently in `doc`, by engine. */
export function rowsIn(doc: string): Partial<Record<EngineName, string>> {
  const rows: Partial<Record<EngineName, string>> = {};
  for (const line of doc.split('\n')) {
    for (const [engine, label] of Object.entries(LABEL) as [EngineName, string][]) if (line.startsWith(label)) rows[engine] = line;
  }
  return rows;
}

/**
 * Fails if docs/browsers.md disagrees with this run about an engine that ran (its version
 * or what passed); an engine not run here keeps its row. With `update`, rewrites the
 * block instead.
 */
export function checkBrowsersDoc(runs: EngineRun[], features: Feature[], update: boolean): void {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, `${DOC} has no engines table between its markers`);
  const current = rowsIn(doc);
  const rows = { ...current } as Record<EngineName, string>;
  for (const run of runs) rows[run.engine] = engineRow(run);
  for (const engine of Object.keys(LABEL) as EngineName[]) rows[engine] ??= `${LABEL[engine]} not yet run | |`;
  const block = renderBlock(rows, features);
  const wanted = doc.slice(0, start) + block + doc.slice(end + END.length);
  if (update) writeFileSync(DOC, wanted);
  else assert.equal(doc, wanted, 'docs/browsers.md disagrees with this run: run `UPDATE_BROWSERS_DOC=1 npm run test:engines` after checking why');
}
