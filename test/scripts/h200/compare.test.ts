// The bar of issue 4 as computed from an H200 sweep: ratios against cuBLASLt, the geometric means and
// the thresholds; a peer measured twice counts at its fastest verified time, with the spread kept;
// rejudging a results file with later peer measurements adds their rows once and recomputes the bar.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults, resultsFile, writeResults } from '../../../core/results-file.ts';
import type { ResultRow } from '../../../core/results.ts';
import { DEEPSEEK_V3_M, DEEPSEEK_V3_NK } from '../../../kernels/fp8-gemm/presets.ts';
import { againstFastestPeers, compareWithPeers, fastestPeerMs, type Comparison } from '../../../scripts/h200/compare.ts';
import { rejudgeFile } from '../../../scripts/h200/rejudge.ts';

const device = { backend: 'cuda' as const, name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200' };
const shapes = DEEPSEEK_V3_M.flatMap((M) => DEEPSEEK_V3_NK.map(([N, K]) => ({ M, N, K })));

function peer(problem: { M: number; N: number; K: number }, library: string, medianMs: number, status: ResultRow['status'] = 'ok'): ResultRow {
  return {
    kernel: 'fp8-gemm', problem, config: { library }, role: 'peer', status, samplesMs: [medianMs, medianMs * 1.01], medianMs,
    timer: 'cuda-event', flops: 2 * problem.M * problem.N * problem.K, bytes: 1,
    ...(status === 'ok' ? { verified: { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 } } : { error: 'failed' }),
  };
}

test('the bar needs all 18 shapes, a geometric mean of at least 1.0, and at least 1.15 at M=4096', () => {
  const at = (small: number, large: number): Comparison[] =>
    shapes.map((problem) => ({ problem, bestMs: 1, cublasLtMs: problem.M === 4096 ? large : small }));
  assert.equal(compareWithPeers(at(1.0, 1.15)).meetsBar, true);
  assert.equal(compareWithPeers(at(1.0, 1.14)).meetsBar, false);
  assert.equal(compareWithPeers(at(0.9, 1.2)).meetsBar, false);
  assert.equal(compareWithPeers(at(1.0, 1.15).slice(1)).meetsBar, false);
  const mixed = compareWithPeers(at(2, 1.2));
  assert.ok(Math.abs(mixed.geomeanVsCublasLtM4096! - 1.2) < 1e-12);
  assert.ok(Math.abs(mixed.geomeanVsCublasLt! - Math.exp((12 * Math.log(2) + 6 * Math.log(1.2)) / 18)) < 1e-12);
});

test('a peer measured twice counts at its fastest verified median, and the spread is kept', () => {
  const problem = { M: 4096, N: 7168, K: 2048 };
  const rows = [peer(problem, 'cuBLASLt', 0.12), peer(problem, 'cuBLASLt', 0.1), peer(problem, 'cuBLASLt', 0.05, 'mismatch'), peer(problem, 'cuBLAS', 0.2)];
  assert.equal(fastestPeerMs(rows, problem, 'cuBLASLt'), 0.1);
  assert.equal(fastestPeerMs(rows, { ...problem, K: 4096 }, 'cuBLASLt'), undefined);
  const [judged] = againstFastestPeers([{ problem, bestMs: 0.09, cublasLtMs: 0.12 }], rows);
  assert.equal(judged.cublasLtMs, 0.1);
  assert.equal(judged.cublasBf16Ms, 0.2);
  assert.ok(Math.abs(judged.cublasLtSpread! - 1.2) < 1e-12);
  const [once] = againstFastestPeers([{ problem, bestMs: 0.09 }], [peer(problem, 'cuBLASLt', 0.1)]);
  assert.equal(once.cublasLtSpread, undefined);
  assert.ok(Math.abs(compareWithPeers([judged]).ratios[0].vsCublasLt! - 0.1 / 0.09) < 1e-12);
});

test('interleaved rounds give a ratio of medians per shape and their geometric means, kept through rejudging', () => {
  const large = { M: 4096, N: 7168, K: 2048 };
  const small = { M: 64, N: 7168, K: 2048 };
  const comparisons: Comparison[] = [
    // Medians: ours 1.0, cuBLASLt 1.2 (the odd round out does not move them).
    { problem: large, bestMs: 1, cublasLtMs: 1.1, interleaved: { oursMs: [1.0, 0.9, 1.5], cublasLtMs: [1.2, 1.3, 1.1] } },
    // Even count: the middle two averaged, ours 2.0, cuBLASLt 1.5.
    { problem: small, bestMs: 2, cublasLtMs: 2, interleaved: { oursMs: [1.9, 2.1, 2.0, 2.0], cublasLtMs: [1.4, 1.6, 1.5, 1.5] } },
    { problem: { ...large, N: 4096 }, bestMs: 1, cublasLtMs: 1 },
  ];
  const summary = compareWithPeers(comparisons);
  assert.ok(Math.abs(summary.ratios[0].interleaved! - 1.2) < 1e-12);
  assert.ok(Math.abs(summary.ratios[1].interleaved! - 0.75) < 1e-12);
  assert.equal(summary.ratios[2].interleaved, undefined);
  assert.ok(Math.abs(summary.geomeanInterleavedM4096! - 1.2) < 1e-12);
  assert.ok(Math.abs(summary.geomeanInterleaved! - Math.sqrt(1.2 * 0.75)) < 1e-12);
  assert.deepEqual(againstFastestPeers(comparisons, [])[0].interleaved, comparisons[0].interleaved);
  assert.equal(compareWithPeers([comparisons[2]]).geomeanInterleaved, undefined);
});

test('with every shape interleaved the bar is judged on the interleaved ratios, not on the fastest peer', () => {
  const at = (vsPeer: number, interleaved: number): Comparison[] =>
    shapes.map((problem) => ({ problem, bestMs: 1, cublasLtMs: vsPeer, interleaved: { oursMs: [1], cublasLtMs: [interleaved] } }));
  const fair = compareWithPeers(at(1.2, 1.1));
  assert.deepEqual([fair.judgedOn, fair.meetsBar], ['interleaved', false]);
  const both = compareWithPeers(at(1.0, 1.2));
  assert.deepEqual([both.judgedOn, both.meetsBar], ['interleaved', true]);
  // One shape without rounds: the whole bar falls back to the fastest-peer ratios.
  const partial = at(1.2, 1.0);
  delete partial[0].interleaved;
  assert.deepEqual([compareWithPeers(partial).judgedOn, compareWithPeers(partial).meetsBar], ['fastest-peer', true]);
});

test('rejudging adds the later peer rows once and recomputes the bar against the faster peer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tilesweep-rejudge-'));
  const before = shapes.map((problem) => peer(problem, 'cuBLASLt', 1.2));
  const comparisons: Comparison[] = shapes.map((problem) => ({ problem, bestMs: 1, cublasLtMs: 1.2 }));
  const path = join(dir, 'results.json');
  writeResults(path, resultsFile(device, before, '0.0.0', { summary: compareWithPeers(comparisons), comparisons }));
  assert.equal(compareWithPeers(comparisons).meetsBar, true);

  // After our sweep the peer ran faster on one M=4096 shape: the bar is judged against that time.
  const after = join(dir, 'peers-after.json');
  const faster = peer(shapes[17], 'cuBLASLt', 0.9);
  writeFileSync(after, JSON.stringify({ runs: [faster, before[0]] }));
  const summary = rejudgeFile(path, [after]);
  const file = readResults(path) as ReturnType<typeof readResults> & { comparisons: Comparison[] };
  assert.equal(file.runs.length, before.length + 1, 'a row already in the results is not added again');
  assert.equal(file.comparisons[17].cublasLtMs, 0.9);
  assert.ok(Math.abs(file.comparisons[17].cublasLtSpread! - 1.2 / 0.9) < 1e-12);
  assert.ok(Math.abs(summary.geomeanVsCublasLtM4096! - Math.exp((5 * Math.log(1.2) + Math.log(0.9)) / 6)) < 1e-12);
  assert.equal(summary.meetsBar, false);
  // Idempotent: the same peers again change nothing.
  assert.deepEqual(rejudgeFile(path, [after]), summary);
  assert.equal(readResults(path).runs.length, before.length + 1);
});

test('energy rounds give cuBLASLt joules over ours per shape (medians) and their geometric means', () => {
  const joules = (j: number) => ({ launches: 100, spanMs: 100, msPerLaunch: 1, joulesPerLaunch: j, watts: 700, method: 'counter-steps' as const, cyclesPerLaunch: 1.6e6, smMHz: 1600, smMHzMin: 1500, smMHzMax: 1700, boardWatts: 700, powerCappedShare: 1, samples: 20 });
  const large = { M: 4096, N: 7168, K: 2048 };
  const small = { M: 64, N: 7168, K: 2048 };
  const summary = compareWithPeers([
    { problem: large, bestMs: 1, cublasLtMs: 1, interleaved: { oursMs: [1], cublasLtMs: [1], energy: { ours: [joules(0.5), joules(0.4), joules(9)], cublasLt: [joules(0.6), joules(0.6)] } } },
    { problem: small, bestMs: 1, cublasLtMs: 1, interleaved: { oursMs: [1], cublasLtMs: [1], energy: { ours: [joules(0.2)], cublasLt: [joules(0.1)] } } },
    { problem: { M: 128, N: 7168, K: 2048 }, bestMs: 1, cublasLtMs: 1, interleaved: { oursMs: [1], cublasLtMs: [1], energyError: 'no NVML' } },
  ]);
  assert.equal(summary.ratios[0].joulesVsCublasLt, 0.6 / 0.5);
  assert.equal(summary.ratios[1].joulesVsCublasLt, 0.5);
  assert.equal(summary.ratios[2].joulesVsCublasLt, undefined);
  assert.ok(Math.abs(summary.geomeanJoulesVsCublasLtM4096! - 1.2) < 1e-12);
  assert.ok(Math.abs(summary.geomeanJoulesVsCublasLt! - Math.sqrt(1.2 * 0.5)) < 1e-12);
  assert.equal(compareWithPeers([{ problem: large, bestMs: 1, cublasLtMs: 1 }]).geomeanJoulesVsCublasLt, undefined);
});
