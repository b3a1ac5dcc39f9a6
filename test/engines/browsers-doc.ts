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
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const CHECKED = 'checked by `npm run test:engines`; `UPDATE_BROWSERS_DOC=1 npm run test:engines` rewrites it';
const BEGIN = `<!-- engines table: ${CHECKED} -->`;
const END = '<!-- end of engines table -->';
const SUMMARY_BEGIN = `<!-- browser support: ${CHECKED} -->`;
const SUMMARY_END = '<!-- end of browser support -->';

/** How each engine's row starts in docs/browsers.md, and in the README's summary. */
type Labels = Record<EngineName, string>;
const LABEL: Labels = {
  chromium: '| Chromium | Playwright |',
  firefox: '| Firefox ESR | puppeteer-core, WebDriver BiDi |',
  webkit: '| WebKitGTK (MiniBrowser; the engine of Safari) | selenium-webdriver, WebDriver |',
};
const SUMMARY_LABEL: Labels = {
  chromium: '| Chromium (Chrome, Edge) |',
  firefox: '| Firefox ESR |',
  webkit: '| WebKitGTK (the engine of Safari) |',
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

/** The README's row for one engine's run: its release line and how many of the `total` features passed. */
export function summaryRow(run: EngineRun, total: number): string {
  const covered = run.features.length === total ? `all ${total} features` : `${run.features.length} of ${total} features`;
  return `${SUMMARY_LABEL[run.engine]} ${releaseLine(run.engine, run.version)} | ${covered} of the cross-engine suite |`;
}

/** The README's generated block: a short table, the details being in docs/browsers.md. */
export function renderSummary(rows: Record<EngineName, string>): string {
  return [SUMMARY_BEGIN, '| Engine | Version tested | Covered |', '| --- | --- | --- |', rows.chromium, rows.firefox, rows.webkit, SUMMARY_END].join('\n');
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

/** The engine rows currently in `doc` (rows starting with `labels`), by engine. */
export function rowsIn(doc: string, labels: Labels = LABEL): Partial<Record<EngineName, string>> {
  const rows: Partial<Record<EngineName, string>> = {};
  for (const line of doc.split('\n')) {
    for (const [engine, label] of Object.entries(labels) as [EngineName, string][]) if (line.startsWith(label)) rows[engine] = line;
  }
  return rows;
}

/**
 * Fails if the block of `file` between `begin` and `end` is not what `render` makes of its
 * rows: those of the engines in `runs` made anew by `row`, the others kept (an engine not run
 * here keeps its row). With `update`, rewrites the block instead.
 */
function checkBlock(file: string, begin: string, end: string, labels: Labels, runs: EngineRun[], row: (run: EngineRun) => string, render: (rows: Labels) => string, update: boolean) {
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  assert.ok(start >= 0 && stop > start, `${file} has no engines table between its markers`);
  const rows = { ...rowsIn(doc.slice(start, stop), labels) } as Labels;
  for (const run of runs) rows[run.engine] = row(run);
  for (const engine of Object.keys(labels) as EngineName[]) rows[engine] ??= `${labels[engine]} not yet run | |`;
  const wanted = doc.slice(0, start) + render(rows) + doc.slice(stop + end.length);
  if (update) writeFileSync(file, wanted);
  else assert.equal(doc, wanted, `${file} disagrees with this run: run \`UPDATE_BROWSERS_DOC=1 npm run test:engines\` after checking why`);
}

/**
 * Fails if docs/browsers.md or the README's browser-support table disagrees with this run
 * about an engine that ran (its version or what passed). With `update`, rewrites them instead.
 */
export function checkBrowsersDoc(runs: EngineRun[], features: Feature[], update: boolean): void {
  checkBlock(DOC, BEGIN, END, LABEL, runs, engineRow, (rows) => renderBlock(rows, features), update);
  const total = features.length;
  checkBlock(README, SUMMARY_BEGIN, SUMMARY_END, SUMMARY_LABEL, runs, (run) => summaryRow(run, total), renderSummary, update);
}
