import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable, formatValue, REQUIRED_KEYS, ROWS, toJson } from './report.js';

describe('--json output', () => {
  it('has every key other tools read, as null when nothing ran', () => {
    const json = toJson({});
    for (const key of REQUIRED_KEYS) {
      const [section, name] = key.split('.');
      assert.ok(name in json[section], `${key} missing`);
      assert.equal(json[section][name], null);
    }
  });

  it('nests measured figures by section and keeps them as numbers', () => {
    const json = toJson({ 'server.ours_rps': 14485.5, 'sizes.bundle_gzip': 1890, 'leaks.script_tags': 0 });
    assert.equal(json.server.ours_rps, 14485.5);
    assert.equal(json.sizes.bundle_gzip, 1890);
    assert.equal(json.leaks.script_tags, 0);
    assert.equal(json.server.raw_rps, null);
  });

  it('refuses a figure that is not a finite number, so a broken part cannot pass as data', () => {
    assert.throws(() => toJson({ 'clock.error_ms': NaN }), /clock\.error_ms is not a finite number/);
  });

  it('refuses a key without a section', () => {
    assert.throws(() => toJson({ ours_rps: 1 }), /section\.name/);
  });
});

describe('the printed table', () => {
  const lines = (figures = {}) => formatTable(figures).split('\n');
  const rowOf = (table: string[], label: string) => table.find((l) => l.startsWith(`| ${label} |`));

  it('has one row per figure, each with its goal', () => {
    const table = lines();
    for (const row of ROWS) assert.ok(rowOf(table, row.label)?.includes(row.goal.text.replaceAll('|', '\\|')), row.key);
  });

  it('marks a figure within its goal ✓ and one beyond it ✗', () => {
    const table = lines({ 'sizes.bundle_gzip': 2599, 'sizes.snippet_min': 401 });
    assert.match(rowOf(table, 'bundle, gzip -9')!, /\| 2,599 B \| ≤ 2600 B \| ✓ \|$/);
    assert.match(rowOf(table, 'snippet, minified (without its URL)')!, /\| 401 B \| ≤ 400 B \| ✗ \|$/);
  });

  it('says "not run", with no verdict, for a part that could not run', () => {
    assert.match(rowOf(lines(), 'bundle, gzip -9')!, /\| not run \| ≤ 2600 B \|  \|$/);
  });

  it('judges the clock error by its size, whichever side it falls on', () => {
    const row = rowOf(lines({ 'clock.error_ms': -25 }), 'crossclock.now() − shifted server clock')!;
    assert.match(row, /✗ \|$/);
  });

  it('keeps four columns on every line, escaping pipes inside cells', () => {
    for (const line of lines({ 'clock.error_ms': 1 })) {
      assert.equal(line.replaceAll('\\|', '').split('|').length, 6, line);
    }
  });
});

describe('formatValue', () => {
  it('prints each unit the way the table reads', () => {
    assert.equal(formatValue(14485.4, 'req/s'), '14,485 req/s');
    assert.equal(formatValue(0.4321, 'ratio'), '0.43×');
    assert.equal(formatValue(2.104, 'delays'), '2.10 × delay');
    assert.equal(formatValue(1.25, 'ms'), '1.3 ms');
    assert.equal(formatValue(0, 'whole ms'), '< 1 ms');
    assert.equal(formatValue(7, 'whole ms'), '7 ms');
    assert.equal(formatValue(27433, 'B'), '27,433 B');
  });
});
