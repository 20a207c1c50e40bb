// Config keys are results-file input: a key holding a quote, a dot, brackets or a backslash (each
// special in a vega-lite field name) must chart like any other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResultsFile } from '../../../core/results.ts';
import { specToSvg } from '../../../reports/html/charts.ts';
import { paramSpec } from '../../../reports/charts/sweep.ts';
import { sensitivitySpec } from '../../../reports/charts/tuning.ts';
import { sensitivityKey } from '../../../reports/model/report.ts';
import { buildReportModel } from '../../../reports/model/report.ts';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'reports', 'llvmpipe-fixture.json');

test('config keys with quotes, dots, brackets and backslashes chart without error', async () => {
  const file = JSON.parse(readFileSync(fixture, 'utf8')) as ResultsFile;
  const rename: Record<string, string> = { BM: 'tile"M', BN: 'tile.N[0]\\' };
  file.runs = file.runs.map((r) => ({ ...r, config: Object.fromEntries(Object.entries(r.config).map(([k, v]) => [rename[k] ?? k, v])) }));
  const model = buildReportModel([{ path: fixture, file }]);
  const sweep = model.sweeps.find((s) => s.mainParams.includes('tile"M'));
  assert.ok(sweep, 'the renamed parameters are the sweep\'s main ones');
  const heatmap = paramSpec(sweep)!;
  const svg = await specToSvg(heatmap);
  assert.match(svg, /<svg/);
  // Every pair of the two keys' values measured is a cell: the quoted key's values reach the chart.
  const pairs = new Set(sweep.measured.map((m) => JSON.stringify([m.row.config['tile"M'], m.row.config['tile.N[0]\\']])));
  assert.equal((heatmap.data as { values: unknown[] }).values.length, pairs.size);
  // The sensitivity view names parameters only in its data, never in a field or an expression.
  const sensitivity = model.sensitivity.get(sensitivityKey(sweep.device.key, sweep.kernel))!;
  assert.ok(sensitivity.some((r) => r.param === 'tile"M'));
  assert.match(await specToSvg(sensitivitySpec(sensitivity)), /<svg/);
});
