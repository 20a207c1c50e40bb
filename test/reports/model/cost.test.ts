import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasheetById, type DatasheetDevice } from '../../../reports/devices/peaks.ts';
import {
  deepseekV3Training,
  dollars,
  gpuHoursAt,
  impliedUtilization,
  projectTime,
  trainingFlops,
} from '../../../reports/model/cost.ts';
import { trainingReference } from '../../../reports/model/training.ts';

const close = (a: number, b: number, rel = 1e-6) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);
const h200 = datasheetById('H200');
const h800 = datasheetById('H800');

test('2,788K H800 GPU-hours at $2 is $5.576M', () => {
  assert.equal(dollars(deepseekV3Training.totalGpuHours, 2), 5_576_000);
  assert.equal(trainingReference().totalDollars, 5_576_000);
  // The circulating 278.8k figure is exactly a tenth of the report's.
  assert.equal(deepseekV3Training.totalGpuHours / deepseekV3Training.misquotedGpuHours, 10);
  // 180K GPU-hours per trillion tokens x 14.8T tokens = the pre-training budget.
  assert.equal(180_000 * 14.8, deepseekV3Training.pretrainGpuHours);
});

test('pre-training implies 17.3% of the H800 FP8 peak by 6ND', () => {
  const flops = trainingFlops(37e9, 14.8e12);
  close(flops, 3.2856e24);
  // 3.2856e24 / (2.664e6 h x 3600 s x 1.979e15) = 0.17311
  close(impliedUtilization(flops, 2_664_000, 1979e12), 0.173114, 1e-5);
  close(trainingReference().utilizationBf16, 0.346403, 1e-5);
  // At 1,000 TFLOP/s sustained the same FLOPs take 912,667 GPU-hours.
  close(gpuHoursAt(flops, 1000e12), 912_666.67, 1e-6);
});

test('a compute-bound kernel projects at the compute-peak ratio', () => {
  // 1 TFLOP over 100 MB: intensity 10,000 FLOP/B, far above the H200 ridge (412).
  const p = projectTime({ ms: 2, flops: 1e12, bytes: 1e8, precision: 'fp8', source: h200, target: h800 });
  assert.deepEqual({ basis: p.basis, bound: p.bound, targetMs: p.targetMs }, { basis: 'projected', bound: 'compute', targetMs: 2 });
  const half: DatasheetDevice = { ...h800, fp8: { value: h800.fp8.value / 2, source: 'test: half the FP8 rate' } };
  const slower = projectTime({ ms: 2, flops: 1e12, bytes: 1e8, precision: 'fp8', source: h200, target: half });
  assert.equal(slower.targetMs, 4);
});

test('a memory-bound kernel projects at the bandwidth ratio', () => {
  // 1 FLOP/B: memory-bound; H200 4.8 TB/s -> H800 3.35 TB/s makes 1 ms into 1.43284 ms.
  const p = projectTime({ ms: 1, flops: 1e9, bytes: 1e9, precision: 'bf16', source: h200, target: h800 });
  assert.equal(p.bound, 'memory');
  assert.equal(p.basis, 'projected');
  close(p.targetMs, 4.8 / 3.35);
});

test('a kernel measured on an H800 stays measured', () => {
  const p = projectTime({ ms: 3, flops: 1e9, bytes: 1e9, precision: 'bf16', source: h800, target: h800 });
  assert.deepEqual({ basis: p.basis, targetMs: p.targetMs, factor: p.factor }, { basis: 'measured', targetMs: 3, factor: 1 });
});

// 4096x32768x512 measured at 0.141696 ms on the H200 (970 TFLOP/s, results/h200 run 53's best). At its
// true intensity (478 FLOP/byte, BF16 output) it is compute-bound on the H200 (ridge 1979/4.8 = 412)
// and projects to an H800 at the FP8 peak ratio (1): 3.2856e24 FLOP / 970 TFLOP/s = 941K GPU-hours.
// Counted with a 4-byte output (247 FLOP/byte) it read as memory-bound and was scaled by 4.8/3.35:
// 1,348K, the figure the report showed before.
test('4096x32768x512 projects to about 941K H800 GPU-hours, not 1,348K', async () => {
  const { collectDevices } = await import('../../../reports/model/devices.ts');
  const { collectSweeps } = await import('../../../reports/model/sweeps.ts');
  const { projectGemms } = await import('../../../reports/model/training.ts');
  const flops = 137_438_953_472;
  const ms = 0.141696;
  const devices = collectDevices([{ path: 'h200.json', file: {
    schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0' }, createdAt: '2026-12-04T00:00:00Z',
    device: { backend: 'cuda', name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200' },
    runs: [{ kernel: 'fp8-gemm', problem: { M: 4096, N: 32768, K: 512 }, config: { out: 'bf16' }, role: 'candidate', status: 'ok', flops, bytes: 555_814_912, medianMs: ms }],
  } }]);
  const [g] = projectGemms(collectSweeps(devices));
  assert.equal(g.bound, 'compute');
  assert.equal(g.basis, 'projected');
  close(g.sourceRate, 970.0e12, 1e-3);
  close(g.pretrainGpuHours, 940_900, 1e-3);
  assert.equal(Math.round(g.pretrainGpuHours / 1e3), 941);
  // The old count: the same time through the f32-counted bytes.
  const old = projectTime({ ms, flops, bytes: 555_814_912, precision: 'fp8', source: h200, target: h800 });
  assert.equal(old.bound, 'memory');
  const oldHours = gpuHoursAt(trainingFlops(37e9, 14.8e12), flops / (old.targetMs / 1e3));
  assert.equal(Math.round(oldHours / 1e3), 1348);
});
