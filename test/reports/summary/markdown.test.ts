import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadResults } from '../../../reports/model/load.ts';
import { buildReportModel } from '../../../reports/model/report.ts';
import { escapeMarkdown, summaryMarkdown } from '../../../reports/summary/markdown.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'reports', name);

test('markdown and HTML syntax in results strings is escaped', () => {
  assert.equal(escapeMarkdown('a|b'), 'a\\|b');
  assert.equal(escapeMarkdown('<script>'), '&lt;script\\>');
  assert.equal(escapeMarkdown('`x` *y*\nz'), '\\`x\\` \\*y\\* z');
});

test('summary of the fixtures: tables whose rows keep their column count', () => {
  const md = summaryMarkdown(buildReportModel(loadResults([fixture('h200-fixture.json'), fixture('hostile-strings-fixture.json')])));
  assert.ok(md.includes('MLA 70,272 B vs MHA 3,997,696 B (56.9x)'));
  assert.ok(md.includes('$5.576M at $2/GPU-hour'));
  assert.ok(!md.includes('<script>'));
  // Escaped pipes in results strings must not add cells: every row of a table has its header's cells.
  const pipes = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  const blocks = md.split(/\n(?!\|)/).map((b) => b.split('\n').filter((l) => l.startsWith('|'))).filter((b) => b.length > 0);
  // The headline (the fixture's H200 peer), the devices, the best configs.
  assert.equal(blocks.length, 3);
  assert.ok(md.indexOf('#### NVIDIA H200') < md.indexOf('| device | backend |'), 'the headline comes first');
  for (const block of blocks) assert.ok(block.every((l) => pipes(l) === pipes(block[0])), block.join('\n'));
});
