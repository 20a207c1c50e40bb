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
