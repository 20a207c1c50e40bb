// The analytic fp8-gemm models rank configs for the reasons they claim: waves of tiles over the SMs,
// pipeline depth against load latency, register tiles, decode cost. And on recorded sweeps they order
// configs better than chance (tuner/model-error.ts gives the figures); where the HBM bounds them all
// (decode-sized M) they still tell configs apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capabilities } from '../../../../core/capabilities.ts';
import { readResults } from '../../../../core/results-file.ts';
import { replayCapabilities } from '../../../../harness/replay/backend.ts';
import { cudaTile } from '../../../../kernels/fp8-gemm/model/cuda-tile.ts';
import { estimateCudaGemm } from '../../../../kernels/fp8-gemm/model/cuda.ts';
import { estimateWgslGemm } from '../../../../kernels/fp8-gemm/model/wgsl.ts';
import type { GemmConfig } from '../../../../kernels/fp8-gemm/space.ts';
import { modelError } from '../../../../tuner/model-error.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { H200_CAPS } from '../cuda/caps.ts';

const h200 = { backend: 'cuda', isCpu: false, cuda: { smCount: 132 } } as Capabilities;
const tile = (blockM: number, blockN: number, stages = 4, cluster = 1) => ({ blockM, blockN, stages, cluster, mathWarpgroups: 2, out: 'bf16' });

test('cuda: the accessor reads the tile in the problem frame (swapped A/B: blockM walks N)', () => {
  assert.deepEqual(cudaTile(tile(128, 64)), { rows: 128, cols: 64, stages: 4, cluster: 1, splitTail: false });
  assert.deepEqual(cudaTile({ ...tile(128, 64), swapAB: true }), { rows: 64, cols: 128, stages: 4, cluster: 1, splitTail: false });
  assert.equal(cudaTile({ kernel: 'simt' }), undefined);
  assert.equal(estimateCudaGemm({ M: 64, N: 64, K: 128 }, { kernel: 'simt' }, h200).time, Infinity);
});

test('cuda: a tile whose last wave leaves most SMs idle loses to one whose waves are nearly full', () => {
  // N=2112, M=4096: 128x128 tiles -> 32 x 17 = 544 tiles = 4.1 waves of 132; 128x176: 32 x 12 = 384 = 2.9 waves.
  const problem = { M: 4096, N: 2112, K: 7168 };
  const a = estimateCudaGemm(problem, tile(128, 128), h200);
  const b = estimateCudaGemm(problem, tile(128, 176), h200);
  assert.equal(a.terms.waves, 5);
  assert.equal(b.terms.waves, 3);
  assert.ok(b.time < a.time);
});

test('cuda: too few stages leave the pipeline latency-bound; more stages lift it', () => {
  const problem = { M: 4096, N: 7168, K: 16384 };
  const shallow = estimateCudaGemm(problem, tile(64, 64, 1), h200);
  const deep = estimateCudaGemm(problem, tile(64, 64, 6), h200);
  assert.equal(shallow.bound, 'latency');
  assert.ok(deep.time < shallow.time);
});

test('cuda: at M=1 the weights dominate: memory-bound whatever the tile', () => {
  const e = estimateCudaGemm({ M: 1, N: 7168, K: 2048 }, { ...tile(128, 16), swapAB: true }, h200);
  assert.equal(e.bound, 'memory');
});

test('cuda: at decode-sized M the HBM bounds every tile, yet the configs do not tie: the last block and the store set them apart', () => {
  // M=8, N=4608, K=7168: 33 MB of weights, every tile config bound by the HBM; before, all priced at the same time.
  const problem = { M: 8, N: 4608, K: 7168 };
  const price = (c: object) => estimateCudaGemm(problem, c, h200);
  const order = [{ ...tile(64, 8, 10), swapAB: true }, { ...tile(128, 8, 10), swapAB: true }, tile(64, 64, 10), tile(64, 96, 10)].map(price);
  for (const e of order) assert.equal(e.bound, 'memory');
  for (let i = 1; i < order.length; i++) assert.ok(order[i - 1].time < order[i].time, `${i}: ${order[i - 1].time} vs ${order[i].time}`);
  // The split tail's partial totals come after the last block: it is priced above its whole-tile twin.
  assert.ok(price({ ...tile(64, 96, 10), grid: 'split-tail' }).time > order[3].time);
});

test('cuda: an HBM-bound wave still pays its pipeline fill and store, so two waves cost more than one', () => {
  // M=64, N=7168, K=16384: 64x64 tiles are 112 (one wave), 64x32 are 224 (two), 64x16 448 (four).
  const problem = { M: 64, N: 7168, K: 16384 };
  const [one, two, four] = [tile(64, 64, 10), tile(64, 32, 10), tile(64, 16, 10)].map((c) => estimateCudaGemm(problem, c, h200));
  assert.deepEqual([one.terms.waves, two.terms.waves, four.terms.waves], [1, 2, 4]);
  assert.ok(one.time < two.time && two.time < four.time);
});

test('cuda: the accessor reads the sum-type configs the target generates today: every candidate at DeepSeek-V3 and other shapes gets a finite estimate', () => {
  const config: HopperGemmConfig = { blockM: 128, blockN: 144, mathWarpgroups: 2, stages: 5, raster: 'along-m', out: 'bf16', loop: 'two-sets', grid: 'full', cluster: 2, clusterAlong: 'n', epilogue: 'tma' };
  assert.deepEqual(cudaTile(config), { rows: 128, cols: 144, stages: 5, cluster: 2, splitTail: false });
  for (const problem of [{ M: 4096, N: 7168, K: 2048 }, { M: 64, N: 2112, K: 7168 }, { M: 1, N: 576, K: 7168 }, { M: 3000, N: 1000, K: 1280 }]) {
    const candidates = candidateConfigs(problem, H200_CAPS);
    assert.ok(candidates.length > 0);
    for (const c of candidates) assert.ok(Number.isFinite(estimateCudaGemm(problem, c, H200_CAPS).time), JSON.stringify(c));
  }
});

const lavapipe = { backend: 'webgpu', isCpu: true } as Capabilities;
const wg = (over: Partial<GemmConfig>): GemmConfig => ({ BM: 32, BN: 32, TM: 4, TN: 4, BK: 128, vec: 1, stage: 'none', decode: 'bits', arith: 'f32', ...over });

test('wgsl: a register tile beats one output per invocation; table decode costs more than bits', () => {
  const problem = { M: 128, N: 128, K: 512 };
  assert.ok(estimateWgslGemm(problem, wg({}), lavapipe).time < estimateWgslGemm(problem, wg({ TM: 1, TN: 1 }), lavapipe).time);
  assert.ok(estimateWgslGemm(problem, wg({}), lavapipe).time < estimateWgslGemm(problem, wg({ decode: 'table' }), lavapipe).time);
});

test('wgsl on a CPU: staging through workgroup memory costs more than reading storage (the same memory, plus a copy and barriers)', () => {
  const problem = { M: 128, N: 128, K: 512 };
  for (const vec of [1, 4]) {
    const none = estimateWgslGemm(problem, wg({ vec }), lavapipe);
    const staged = estimateWgslGemm(problem, wg({ vec, stage: 'workgroup' }), lavapipe);
    assert.equal(none.terms.barriers, 0);
    assert.equal(staged.terms.barriers, 2 * 512 / 128);
    assert.ok(none.time < staged.time, `vec ${vec}`);
  }
});

test('on recorded sweeps the models order configs better than chance (Spearman > 0.3 on most problems)', () => {
  for (const path of ['results/lavapipe/fp8-gemm.json', 'results/h200/fp8-gemm.json.br']) {
    const file = readResults(path);
    const caps = replayCapabilities(file.device);
    const model = (caps.backend === 'cuda' ? fp8Gemm.targets.cuda!.model : fp8Gemm.targets.wgsl!.model)!;
    // Times compare within a call: the error is taken per call.
    const errors = [...new Set(file.runs.map((r) => r.runId))].flatMap((call) => modelError(model as never, caps, file.runs.filter((r) => r.runId === call)));
    assert.ok(errors.length > 0, path);
    const good = errors.filter((e) => e.spearman > 0.3).length;
    assert.ok(good >= errors.length * 0.6, `${path}: ${good} of ${errors.length} problems with Spearman > 0.3`);
  }
});
