import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { deviceRoofs, roofPolyline, rooflineSpec } from '../../../reports/charts/roofline.ts';
import { specToSvg } from '../../../reports/html/charts.ts';
import { collectDevices } from '../../../reports/model/devices.ts';
import { collectPoints } from '../../../reports/model/points.ts';
import { collectSweeps } from '../../../reports/model/sweeps.ts';

const ok = { verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 }, samplesMs: [1] };
const row = (kernel: string, flops: number, bytes: number, medianMs: number, config = {}): ResultRow => ({
  kernel, problem: { n: 1 }, config, role: 'candidate', status: 'ok', flops, bytes, medianMs, ...ok,
});
const device = (name: string, runs: ResultRow[]) => collectDevices([{ path: 'x', file: {
  schema: 'tilesweep.results/1', tool: { name: 'tilesweep', version: '0' }, createdAt: '', runs,
  device: { backend: 'cuda', name, vendor: 'v', driver: 'd', fingerprint: name },
} }])[0];

test('a roof is sampled at the axis ends and its ridge', () => {
  const line = roofPolyline({ name: 'r', short: 'r', kind: 'datasheet', roof: { peakFlops: 100e12, bandwidth: 1e12 } }, 1, 1000);
  assert.deepEqual(line.map((p) => [p.intensity, p.tflops]), [[1, 1], [100, 100], [1000, 100]]);
});

test('rows that a log-log plot cannot place are left out of the chart, not drawn at infinity', async () => {
  const d = device('NVIDIA H200', [row('fp8-gemm', 1e12, 1e9, 1, { a: 1 }), row('fp8-gemm', 1e12, 0, 2, { a: 2 })]);
  const points = collectPoints(collectSweeps([d]));
  assert.equal(points.length, 2);
  const spec = rooflineSpec(d, points) as { layer: { data: { values: { library?: string }[] } }[] };
  assert.equal(spec.layer[2].data.values.length, 1);
  const svg = await specToSvg(rooflineSpec(d, points));
  assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'));
});

test('every precision its points use gets its datasheet roof, and a measured roof says where its memory side comes from', () => {
  const bf16Peer: ResultRow = { ...row('fp8-gemm', 1e12, 2e9, 2, { library: 'cuBLAS', dtype: 'bf16' }), role: 'peer' };
  const d = device('NVIDIA H200', [row('fp8-gemm', 1e12, 1e9, 1, { a: 1 }), bf16Peer]);
  const roofs = deviceRoofs(d, ['fp8', 'bf16']);
  assert.deepEqual(roofs.map((r) => r.name), [
    'H200 datasheet BF16',
    'H200 datasheet FP8',
    'measured: best matmul (memory side: datasheet, no copy measured)',
  ]);
  // Without a copy run the measured roof takes the datasheet bandwidth, not an infinite one.
  assert.equal(roofs[2].roof.bandwidth, 4.8e12);
});

test('a CPU adapter with no copy run says its measured memory side is absent', () => {
  const cpu = device('llvmpipe (LLVM 15)', [row('fp8-gemm', 1e9, 1e6, 1, { a: 1 })]);
  assert.deepEqual(deviceRoofs(cpu, ['fp32']).map((r) => r.name), ['measured: best matmul (memory side absent: no copy measured)']);
});
