// The report model built from the synthetic fixtures (test/fixtures/reports/make-fixtures.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadResults } from '../../../reports/model/load.ts';
import { buildReportModel } from '../../../reports/model/report.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'reports', name);
const model = buildReportModel(loadResults([fixture('h200-fixture.json'), fixture('llvmpipe-fixture.json')]));
const h200 = model.devices.find((d) => d.info.name.startsWith('NVIDIA H200'))!;
const cpu = model.devices.find((d) => d.info.name.startsWith('llvmpipe'))!;

test('devices: datasheet match for the GPU, measured ceilings only for the CPU adapter', () => {
  assert.equal(h200.datasheet?.id, 'H200');
  assert.ok(h200.copy && h200.copy.row.kernel === 'copy');
  assert.equal(h200.matmul?.row.kernel, 'fp8-gemm');
  assert.equal(cpu.isCpu, true);
  assert.equal(cpu.datasheet, undefined);
  assert.equal(cpu.copy, undefined);
  assert.ok(cpu.matmul);
});

test('sweeps: one per kernel and problem, best first, the best always tied with itself, failures counted', () => {
  const gemm = model.sweeps.find((s) => s.device === h200 && s.problemLabel === 'K=2048 M=4096 N=7168')!;
  assert.equal(gemm.measured.length, 18);
  assert.deepEqual(gemm.failures, { 'compile-error': 1 });
  assert.ok(gemm.measured.every((m, i) => i === 0 || m.row.medianMs >= gemm.measured[i - 1].row.medianMs));
  assert.equal(gemm.measured[0].tiedWithBest, true);
  // The 3- and 4-stage variants of the best tile differ by 0.4%, inside the 2% sample spread: tied.
  assert.equal(gemm.measured[1].tiedWithBest, true);
  assert.equal(gemm.measured.at(-1)!.tiedWithBest, false);
  assert.deepEqual(gemm.mainParams, ['BM', 'BN']);
  assert.ok(!model.sweeps.some((s) => s.kernel === 'copy'));
});

test('roofline: the CPU adapter is judged only against its own measured roof', () => {
  const cpuBest = model.points.filter((p) => p.deviceKey === cpu.key && p.best);
  assert.ok(cpuBest.length >= 2);
  for (const p of cpuBest) {
    assert.equal(p.datasheet, undefined);
    assert.equal(p.measured?.bound, 'compute'); // no copy bandwidth: only the compute roof is known
  }
  const best = model.points.find((p) => p.deviceKey === h200.key && p.best && p.problemLabel === 'K=2048 M=4096 N=7168')!;
  assert.equal(best.precision, 'fp8');
  assert.equal(best.datasheet?.bound, 'compute');
  assert.ok(Math.abs(best.datasheet!.fraction - best.achieved / 1979e12) < 1e-12);
});

test('cost: GEMMs on an H200 are projected to an H800, CPU rows are not', () => {
  assert.equal(model.gemms.length, 2);
  assert.ok(model.gemms.every((g) => g.basis === 'projected' && g.sweep.device === h200));
  const small = model.gemms.find((g) => g.sweep.problemLabel === 'K=2048 M=64 N=7168')!;
  assert.equal(small.bound, 'memory');
  assert.ok(Math.abs(small.h800Rate / small.sourceRate - 3.35 / 4.8) < 1e-12);
});

test('decode: MLA and MHA rows with their per-step economics', () => {
  const kernels = model.decode.map((d) => `${d.sweep.kernel}@${d.sweep.device.isCpu ? 'cpu' : 'gpu'}`).sort();
  assert.deepEqual(kernels, ['mha-decode@gpu', 'mla-decode@cpu', 'mla-decode@gpu']);
  const mla = model.decode.find((d) => d.sweep.kernel === 'mla-decode' && !d.sweep.device.isCpu)!;
  assert.equal(mla.economics.stepMs, mla.layerMs * 61);
});

test('baselines and peers are compared with the best tuned candidate of their call, never ranked with them', () => {
  const gemm = model.headline.find((t) => t.device === h200 && t.kernel === 'fp8-gemm')!;
  const cell = gemm.shapes.flatMap((s) => s.cells).find((c) => c.same)!;
  // The fixture's tuned best (1099 TFLOP/s) beats its 1000 TFLOP/s peer, both in the fixture's one call.
  assert.ok(cell.same!.ratio > 1);
  assert.ok(Math.abs(cell.same!.ratio - cell.same!.peerMs / cell.same!.oursMs) < 1e-15);
  assert.equal(cell.same!.basis, 'medians');
  assert.ok(model.peers.some((p) => p.device === h200));
  assert.ok(!model.sweeps.some((s) => s.measured.some((m) => m.row.role !== 'candidate')));
});
