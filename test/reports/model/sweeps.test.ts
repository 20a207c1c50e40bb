import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paramField, paramSpec } from '../../../reports/charts/sweep.ts';
import type { ResultRow } from '../../../core/results.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { collectSweeps, configLabel, problemLabel } from '../../../reports/model/sweeps.ts';

const row = (config: ResultRow['config'], medianMs: number, status: ResultRow['status'] = 'ok'): ResultRow => ({
  kernel: 'fp8-gemm', problem: { M: 64, N: 64, K: 64 }, config, role: 'candidate', status, flops: 1e6, bytes: 1e4,
  ...(status === 'ok' ? { medianMs, samplesMs: [medianMs], verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 } } : { error: 'x' }),
});

const device = { backend: 'webgpu' as const, name: 'test adapter', vendor: 'v', driver: 'd', fingerprint: 'f' };
const results = (runs: ResultRow[]) => [{ path: 'x.json', file: { schema: 'tilesweep.results/1' as const, tool: { name: 'tilesweep' as const, version: '0' }, device, createdAt: '', runs } }];

test('labels list fields in name order', () => {
  assert.equal(problemLabel({ N: 2, M: 1, K: 3 }), 'K=3 M=1 N=2');
  assert.equal(configLabel({ stage: 'none', BM: 16 }), 'BM=16 stage=none');
});

test('main parameters: numeric tile sizes first, then the most distinct values', () => {
  const runs = [
    row({ BM: 16, BN: 16, stage: 'none', decode: 'bits' }, 3),
    row({ BM: 32, BN: 16, stage: 'workgroup', decode: 'table' }, 2),
    row({ BM: 128, BN: 32, stage: 'none', decode: 'bits' }, 1),
    row({ BM: 64, BN: 32, stage: 'none', decode: 'bits' }, 9, 'compile-error'),
  ];
  const [sweep] = collectSweeps(collectDevices(results(runs)));
  assert.deepEqual(sweep.mainParams, ['BM', 'BN']);
  assert.deepEqual(sweep.measured.map((m) => m.row.medianMs), [1, 2, 3]);
  assert.deepEqual(sweep.failures, { 'compile-error': 1 });
  // Tile sizes reach the heatmap as numbers, so its ordinal axis sorts 16 < 32 < 128.
  const values = (paramSpec(sweep) as { data: { values: Record<string, unknown>[] } }).data.values;
  assert.deepEqual(values.map((v) => v[paramField('BM')]), [128, 32, 16]);
});

test('rows marked wrong by verification are not ranked', () => {
  const wrong = { ...row({ BM: 8 }, 0.5), verified: { ok: false, maxAbsErr: 1, maxRelErr: 1, cosineDiff: 1 } };
  const [sweep] = collectSweeps(collectDevices(results([wrong, row({ BM: 16 }, 1)])));
  assert.deepEqual(sweep.measured.map((m) => m.row.config.BM), [16]);
  assert.deepEqual(sweep.failures, { 'unmeasured or unverified': 1 });
});

test('a config key with dots, brackets or quotes is a heatmap title, never a vega-lite field path', async () => {
  const { specToSvg } = await import('../../../reports/html/charts.ts');
  const key = 'tile.m["x"]';
  const runs = [row({ [key]: 16, BN: 8 }, 2), row({ [key]: 32, BN: 16 }, 1), row({ [key]: 64, BN: 8 }, 3)];
  const [sweep] = collectSweeps(collectDevices(results(runs)));
  const spec = paramSpec(sweep)!;
  const fields = JSON.stringify(spec).match(/"field":"[^"]*"/g) ?? [];
  assert.ok(fields.every((f) => !f.includes('tile.m')), fields.join(' '));
  const svg = await specToSvg(spec);
  assert.ok(svg.includes('tile.m[&quot;x&quot;]') || svg.includes('tile.m["x"]'), 'the key is the axis title');
});

test('convergence: per call, the steps at which the best fell, and the last config measured', async () => {
  const { convergence } = await import('../../../reports/model/sweeps.ts');
  const runs = [row({ BM: 16 }, 5), row({ BM: 32 }, 7), row({ BM: 64 }, 3), row({ BM: 8 }, 9, 'compile-error'), row({ BM: 128 }, 4)];
  assert.deepEqual(convergence(runs.map((r) => ({ ...r, call: 'c1' }))), [
    { call: 'c1', measured: 5, points: [{ configs: 1, bestMs: 5 }, { configs: 3, bestMs: 3 }, { configs: 5, bestMs: 3 }] },
  ]);
});

test('a config measured in two calls is one ranked row, at its faster call', () => {
  const a = { ...row({ BM: 16 }, 2), runId: 'a' };
  const b = { ...row({ BM: 16 }, 1.5), runId: 'b' };
  const [sweep] = collectSweeps(collectDevices(results([a, b, row({ BM: 32 }, 3)])));
  assert.deepEqual(sweep.measured.map((m) => [m.row.config.BM, m.row.medianMs, m.calls]), [[16, 1.5, 2], [32, 3, 1]]);
});

test('sensitivity: the best with a value held over the best of the sweep, geomean over sweeps', async () => {
  const { sensitivity } = await import('../../../reports/model/sensitivity.ts');
  const runs = [row({ BM: 16, stage: 'none' }, 2), row({ BM: 32, stage: 'none' }, 1), row({ BM: 32, stage: 'workgroup' }, 4)];
  const rows = sensitivity(collectSweeps(collectDevices(results(runs))));
  const of = (param: string, value: string) => rows.find((r) => r.param === param && r.value === value)?.slowdown;
  assert.equal(of('BM', '32'), 1);
  assert.equal(of('BM', '16'), 2);
  assert.equal(of('stage', 'workgroup'), 4);
  // The parameter that can cost most comes first.
  assert.equal(rows[0].param, 'stage');
});
