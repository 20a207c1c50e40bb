// Bars against the roofs of the same call (gate --roof-share): our rate over the roof's, never a time
// ratio (the roof did other work); a memory roof holds bytes/s (all compulsory bytes, or the KV cache
// alone), a compute roof FLOP/s; only rows of one call are compared; a bar that matches nothing fails.
// Fixtures named by outcome, with figures chosen so each share is known by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../core/results.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import { COPY_ROOF_PEER } from '../../../kernels/roofs/copy.ts';
import { CUBLAS_BF16_ROOF_PEER } from '../../../kernels/roofs/cublas-bf16.ts';
import { peerRatios } from '../../../reports/compare/peer-ratios.ts';
import { judgeRoofBars, parseRoofBar, renderRoofBars } from '../../../reports/gate/roof-bars.ts';

const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
const memoryBound: MlaProblem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
const computeBound: MlaProblem = { ...memoryBound, H: 128 };
const tokens = 128 * 4096;
const latent = tokens * 1152;

const ours = (problem: MlaProblem, ms: number, cache: 'bf16' | 'fp8' = 'bf16', runId = 'a'): ResultRow => ({
  kernel: 'mla-decode', problem: { ...problem }, config: { kernel: 'mma-sync', headsPerCta: 16, cache }, role: 'candidate', status: 'ok',
  samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event', flops: mlaDecode.flops(problem),
  // As a file before the FP8 fix would have it: 1152 bytes a token whatever the cache.
  bytes: mlaDecode.bytes(problem), runId,
});
/** The copy of the latent cache at 3.3554 TB/s read plus write: 2 x 603,979,776 bytes in 0.36 ms. */
const copy = (problem: MlaProblem, ms = 0.36, runId = 'a'): ResultRow => ({
  kernel: 'mla-decode', problem: { ...problem }, config: COPY_ROOF_PEER, role: 'peer', peer: 'copy', status: 'ok',
  samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event', flops: 0, bytes: 2 * latent, runId,
});
/** cuBLAS BF16 at 8192 cubed in 1.5 ms: 733.0 TFLOP/s. */
const gemmFlops = 2 * 8192 ** 3;
const cublas = (problem: MlaProblem, ms = 1.5, runId = 'a'): ResultRow => ({
  kernel: 'mla-decode', problem: { ...problem }, config: CUBLAS_BF16_ROOF_PEER, role: 'peer', peer: 'cublas-bf16-8192', status: 'ok',
  samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event', flops: gemmFlops, bytes: 2 * 3 * 8192 ** 2, runId,
});

const memoryBar = parseRoofBar('copy:kv-bytes@sq=1>=0.85');
const computeBar = parseRoofBar('cublas-bf16-8192:flops@H=128>=0.75');

test('latent bytes/s at 90% of the copy\'s passes 0.85; at 72% fails it', () => {
  // 603,979,776 latent bytes in 0.2 ms against 1,207,959,552 copied bytes in 0.36 ms: 0.36 / (2 x 0.2) = 0.9.
  const [pass] = judgeRoofBars([ours(memoryBound, 0.2), copy(memoryBound)], [memoryBar]);
  assert.equal(pass.pass, true);
  assert.equal(pass.value!.toFixed(6), '0.900000');
  assert.equal(pass.shares[0].roofRate.toPrecision(12), ((2 * latent) / 0.36e-3).toPrecision(12));
  const [fail] = judgeRoofBars([ours(memoryBound, 0.25), copy(memoryBound)], [memoryBar]);
  assert.deepEqual([fail.pass, fail.value!.toFixed(3)], [false, '0.720']);
  assert.match(renderRoofBars([fail]), /^FAIL roof copy:kv-bytes@sq=1>=0\.85 \(call a\): least share 0\.720[^]*below the bar/);
});

test('an FP8 cache row is held to its 656 bytes a token: the same time is a smaller share than bf16\'s', () => {
  const [bf16] = judgeRoofBars([ours(memoryBound, 0.2), copy(memoryBound)], [memoryBar]);
  const [fp8] = judgeRoofBars([ours(memoryBound, 0.2, 'fp8'), copy(memoryBound)], [memoryBar]);
  assert.equal(fp8.shares[0].oursRate, (tokens * 656) / 0.2e-3);
  assert.equal((fp8.value! / bf16.value!).toFixed(6), (656 / 1152).toFixed(6));
  assert.equal(fp8.pass, false);
  // The FP8 kernel must be faster in proportion to pass: 656/1152 of the bf16 time reaches the same 0.9.
  const [fast] = judgeRoofBars([ours(memoryBound, (0.2 * 656) / 1152, 'fp8'), copy(memoryBound)], [memoryBar]);
  assert.deepEqual([fast.pass, fast.value!.toFixed(6)], [true, '0.900000']);
});

test('bytes (every compulsory byte) is a measure of its own, a little above the latent share', () => {
  const [all] = judgeRoofBars([ours(memoryBound, 0.2), copy(memoryBound)], [parseRoofBar('copy:bytes>=0.85')]);
  assert.equal(all.shares[0].oursRate, mlaDecode.bytes(memoryBound) / 0.2e-3);
  assert.ok(all.value! > 0.9 && all.value! < 0.92, String(all.value));
});

test('FLOP/s at 80% of cuBLAS BF16\'s passes 0.75; at 70% fails it, for s_q 1 and 2 alike', () => {
  const at = (problem: MlaProblem, share: number) => mlaDecode.flops(problem) / (share * (gemmFlops / 1.5e-3)) * 1e3;
  const mtp = { ...computeBound, sq: 2 };
  const rows = [ours(computeBound, at(computeBound, 0.8)), cublas(computeBound), ours(mtp, at(mtp, 0.8)), cublas(mtp)];
  const [pass] = judgeRoofBars(rows, [computeBar]);
  assert.deepEqual([pass.pass, pass.shares.length, pass.value!.toFixed(6)], [true, 2, '0.800000']);
  const [fail] = judgeRoofBars([...rows.slice(0, 2), ours(mtp, at(mtp, 0.7)), cublas(mtp)], [computeBar]);
  assert.deepEqual([fail.pass, fail.value!.toFixed(6)], [false, '0.700000']);
  assert.match(renderRoofBars([fail]), /TFLOP\/s[^]*below the bar/);
});

test('a roof from another call is never compared; a measure the roof does not hold matches nothing and fails', () => {
  const [other] = judgeRoofBars([ours(memoryBound, 0.2, 'bf16', 'a'), copy(memoryBound, 0.36, 'b')], [memoryBar]);
  assert.deepEqual([other.pass, other.value, other.shares.length], [false, undefined, 0]);
  const [wrong] = judgeRoofBars([ours(memoryBound, 0.2), copy(memoryBound)], [parseRoofBar('copy:flops>=0.5')]);
  assert.equal(wrong.pass, false);
  assert.match(renderRoofBars([wrong]), /no problem was measured beside this roof/);
});

test('a file of several calls is judged call by call; the table name of a roof matches too', () => {
  const rows = [ours(memoryBound, 0.2, 'bf16', 'a'), copy(memoryBound, 0.36, 'a'), ours(memoryBound, 0.25, 'bf16', 'b'), copy(memoryBound, 0.36, 'b')];
  const verdicts = judgeRoofBars(rows, [parseRoofBar('COPY:kv-bytes>=0.85')]);
  assert.deepEqual(verdicts.map((v) => [v.runId, v.pass]), [['a', true], ['b', false]]);
  const [byLabel] = judgeRoofBars([ours(computeBound, 1), cublas(computeBound)], [parseRoofBar('cuBLAS BF16:flops>=0.01')]);
  assert.equal(byLabel.pass, true);
});

test('roofs are not peers: no time ratio is taken against a copy or a fixed GEMM', () => {
  assert.deepEqual(peerRatios([ours(memoryBound, 0.2), copy(memoryBound), cublas(memoryBound)]), []);
});

test('malformed roof bars are bad usage', () => {
  for (const text of ['copy>=0.85', 'copy:bandwidth>=0.85', 'copy:kv-bytes>=', ':flops>=0.7', 'copy:kv-bytes@sq>=0.8', 'copy:kv-bytes>=0']) {
    assert.throws(() => parseRoofBar(text), /bad roof bar/, text);
  }
  assert.deepEqual(parseRoofBar(' cuBLAS BF16 : flops @ H=128,sq=2 >= 0.75 '), { text: 'cuBLAS BF16 : flops @ H=128,sq=2 >= 0.75', roof: 'cuBLAS BF16', measure: 'flops', where: { H: '128', sq: '2' }, min: 0.75 });
});

test('a small-M GEMM is held to the copy by its weight bytes: B and its scales over the copy of as many bytes', () => {
  const problem = { M: 4, N: 4096, K: 7168 };
  const weights = 4096 * 7168 + 4 * 32 * 56; // e4m3 codes, then 32 x 56 f32 block scales
  const gemm = (ms: number): ResultRow => ({
    kernel: 'fp8-gemm', problem, config: { kernel: 'gemv' }, role: 'candidate', status: 'ok', samplesMs: [ms], medianMs: ms, verified,
    timer: 'cuda-event', flops: 2 * 4 * 4096 * 7168, bytes: 0, runId: 'g',
  });
  // The copy of 4096 x 7168 bytes at 3.0 TB/s read plus write: 2 x 29,360,128 bytes in 0.019573 ms.
  const copyRow: ResultRow = {
    kernel: 'fp8-gemm', problem, config: COPY_ROOF_PEER, role: 'peer', peer: 'copy', status: 'ok', samplesMs: [0.0195734], medianMs: 0.0195734,
    verified, timer: 'cuda-event', flops: 0, bytes: 2 * 4096 * 7168, runId: 'g',
  };
  const bar = parseRoofBar('copy:weight-bytes@M=4>=0.5');
  // Ours reads the weights in 0.02 ms: 1.4743 TB/s, 0.491 of the copy's rate: below the bar; in 0.0195 ms: above.
  const [slow] = judgeRoofBars([gemm(0.02), copyRow], [bar]);
  assert.equal(slow.pass, false);
  assert.ok(Math.abs(slow.value! - weights / 0.02e-3 / 3.0e12) < 1e-3, String(slow.value));
  const [fast] = judgeRoofBars([gemm(0.0195), copyRow], [bar]);
  assert.equal(fast.pass, true);
  // A decode measure on a GEMM matches nothing: the bar fails rather than passing unseen.
  assert.equal(judgeRoofBars([gemm(0.0195), copyRow], [parseRoofBar('copy:kv-bytes>=0.5')])[0].pass, false);
});
