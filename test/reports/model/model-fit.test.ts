// The report's model fit: on the recorded H200 FP8 GEMM sweeps the CUDA model's ranking is judged per
// call (Spearman, error, first-choice loss), and a model that orders configs backwards shows as such.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { loadResults } from '../../../reports/model/load.ts';
import { sweepModelFit } from '../../../reports/model/model-fit.ts';
import { buildReportModel } from '../../../reports/model/report.ts';
import { collectSweeps } from '../../../reports/model/sweeps.ts';

test('every recorded H200 FP8 GEMM sweep gets a fit from its largest call, and the model orders most of them better than chance', () => {
  const model = buildReportModel(loadResults(['results/h200/fp8-gemm.json.br']));
  // The 18 DeepSeek-V3 shapes of runs 51-53 (later calls add shapes of their own).
  const sweeps = model.sweeps.filter((s) => s.kernel === 'fp8-gemm' && s.rows.some((r) => String(r.runId).startsWith('h200-run5')));
  assert.equal(sweeps.length, 18);
  const fits = sweeps.map((s) => model.modelFit.get(s));
  assert.ok(fits.every((f) => f !== undefined && f.configs >= 2 && f.firstChoiceLossPct >= 0));
  assert.ok(fits.filter((f) => f!.spearman > 0.3).length >= 12, fits.map((f) => f!.spearman.toFixed(2)).join(' '));
});

test('a model that ranks backwards gets a negative rho and the first-choice loss of the slowest config', () => {
  // WGSL fp8-gemm model: a larger register tile is cheaper per output. Measured the other way round here.
  const row = (TM: number, medianMs: number): ResultRow & { call: string } => ({
    kernel: 'fp8-gemm', problem: { M: 128, N: 128, K: 512 }, role: 'candidate', status: 'ok', flops: 1, bytes: 1, medianMs, samplesMs: [medianMs], call: 'c1',
    config: { BM: 32, BN: 32, TM, TN: TM, BK: 128, vec: 1, stage: 'none', decode: 'bits', arith: 'f32' },
    verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 },
  });
  const device = { backend: 'webgpu' as const, name: 'lavapipe', vendor: 'mesa', driver: 'd', architecture: 'software', fingerprint: 'f' };
  const runs = [row(1, 1), row(2, 2), row(4, 4)];
  const [sweep] = collectSweeps(collectDevices([{ path: 'x.json', file: { schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0' }, device, createdAt: '', runs } }]));
  const fit = sweepModelFit(sweep)!;
  assert.equal(fit.configs, 3);
  assert.ok(fit.spearman < 0, String(fit.spearman));
  assert.equal(Math.round(fit.firstChoiceLossPct), 300);
});
