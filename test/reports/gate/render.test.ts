// The renderings only present the report's decisions: worst first, notable pairs in the open,
// footnotes and units only where they apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareRuns } from '../../../reports/gate/compare.ts';
import { loadResults } from '../../../reports/gate/load.ts';
import { renderBenchmarkAction } from '../../../reports/gate/render-benchmark-action.ts';
import { renderMarkdown } from '../../../reports/gate/render-markdown.ts';
import { renderTable } from '../../../reports/gate/render-table.ts';
import { DEFAULT_GATE_OPTIONS, type GateOptions } from '../../../reports/gate/types.ts';
import { FIXTURE_DIR } from '../../fixtures/gate/make-fixtures.ts';

function report(name: string, options: Partial<GateOptions> = {}) {
  const input = (side: string) => {
    const path = join(FIXTURE_DIR, name, `${side}.json`);
    return { path, results: loadResults(path) };
  };
  return compareRuns(input('baseline'), input('current'), { ...DEFAULT_GATE_OPTIONS, ...options });
}

test('the table lists the worst label first and ends with the verdict', () => {
  const lines = renderTable(report('2x-slower')).trimEnd().split('\n');
  assert.match(lines[1], /^SLOWER /);
  assert.match(lines[2], /^SAME /);
  assert.match(lines.at(-1) ?? '', /^gate FAIL: 1 confirmed slower \(1 slower, 1 same; 2 compared as ratios/);
});

test('markdown: notable pairs in the open, same pairs folded, footnote only on compared ratios', () => {
  const md = renderMarkdown(report('missing-pair', { pairing: 'config' }));
  const [open, folded] = md.split('<details>');
  assert.equal((open.match(/\*\*missing\*\*/g) ?? []).length, 2);
  assert.match(folded, /\*\*same\*\*/);
  assert.ok(!/\*\*missing\*\*[^\n]*¹/.test(md), 'a missing pair has no ratio to footnote');
  assert.match(md, /\*\*same\*\*[^\n]*¹/);
});

test('benchmark-action: ms per measured pair, plus multiples of the reference when normalized', () => {
  const normalized = renderBenchmarkAction(report('a-a-noise'));
  assert.deepEqual(normalized.map((e) => e.unit), ['ms', 'x reference', 'ms', 'x reference']);
  const raw = renderBenchmarkAction(report('a-a-noise', { normalize: false }));
  assert.deepEqual(raw.map((e) => e.unit), ['ms', 'ms']);
  assert.match(raw[0].extra ?? '', /^gate: same/);
  // A broken pair has no current samples: nothing to chart.
  assert.equal(renderBenchmarkAction(report('broken-now')).filter((e) => e.unit === 'ms').length, 1);
});

test('markdown escapes results strings: no HTML, no broken table, no code span to break out of', () => {
  const hostile = (side: string) => {
    const path = join(FIXTURE_DIR, 'a-a-noise', `${side}.json`);
    const results = loadResults(path);
    results.device = { ...results.device, name: '<img src=x onerror=alert(1)>' };
    results.runs = results.runs.map((r) => ({ ...r, kernel: '<script>alert(1)</script>`|', config: { ...r.config, tag: '</details><b>x</b>' } }));
    return { path: `${path}<svg onload=alert(2)>`, results };
  };
  const md = renderMarkdown(compareRuns(hostile('baseline'), hostile('current'), { ...DEFAULT_GATE_OPTIONS, pairing: 'config' }));
  for (const markup of ['<img', '<script', '<svg', '<b>', '</details><b>']) assert.ok(!md.includes(markup), `${markup} in\n${md}`);
  assert.ok(md.includes('&lt;script'), md);
  // Every table row keeps its ten cells: a pipe in a results string is escaped.
  for (const line of md.split('\n').filter((l) => l.startsWith('| **'))) assert.equal(line.split(/(?<!\\)\|/).length, 12, line);
});

test('the terminal table strips control characters from results strings', () => {
  const path = join(FIXTURE_DIR, 'a-a-noise', 'current.json');
  const results = loadResults(path);
  results.runs = results.runs.map((r) => ({ ...r, kernel: 'k\u001b[2J\u001b]0;pwned\u0007\r\nFAKE' }));
  const table = renderTable(compareRuns({ path, results }, { path, results }, { ...DEFAULT_GATE_OPTIONS, allowOtherDevice: true }));
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(table), JSON.stringify(table));
  assert.ok(!table.split('\n').some((l) => l.startsWith('FAKE')));
});
