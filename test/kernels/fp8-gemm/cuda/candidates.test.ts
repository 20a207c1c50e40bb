// The candidates are generated from the problem and the device: for any DeepSeek-V3-family shape
// (M from 1 to 8192, N from 256 up and not always a multiple of 128) at most 64 valid configs whose
// tiles follow the SM count; the split tail and swapped operands only where the problem calls for
// them; and on the 18 shapes the H200 sessions measured every candidate of, the list still holds
// each shape's measured best (a new generator must not lose what was measured).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readResults } from '../../../../core/results-file.ts';
import { CANDIDATE_BUDGET, candidateConfigs, chosenShapes, cudaGemmCandidates } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import { parseCudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/parse.ts';
import { cudaGemmConstraints, superTiles } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gridClusters } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import type { GemmProblem } from '../../../../kernels/fp8-gemm/problem.ts';
import { H200_CAPS } from './caps.ts';

const SMS = H200_CAPS.cuda!.smCount;
const Ms = [1, 5, 16, 37, 64, 100, 128, 256, 511, 1000, 2048, 4096, 8192];
const NKs = [[576, 7168], [1000, 1280], [1000, 1008], [7168, 576], [2112, 7168], [2304, 7168], [3072, 1536], [4096, 512], [7168, 2304], [18432, 7168], [32768, 512]];
const shapes: GemmProblem[] = Ms.flatMap((M) => NKs.map(([N, K]) => ({ M, N, K })));
const key = (c: object): string => JSON.stringify(Object.entries(c).sort());

test('every shape gets at most 64 candidates, all distinct and all valid; the GEMV kernel leads them at M <= 16 only', () => {
  for (const problem of shapes) {
    const list = cudaGemmCandidates(problem, H200_CAPS);
    const gemv = list.filter((c) => c.kernel === 'gemv');
    assert.equal(gemv.length > 0, problem.M <= 16, JSON.stringify(problem));
    assert.ok(list.slice(0, gemv.length).every((c) => c.kernel === 'gemv'));
    const constraints = cudaGemmConstraints(problem, H200_CAPS);
    assert.ok(list.length >= 8 && list.length <= CANDIDATE_BUDGET, `${JSON.stringify(problem)}: ${list.length}`);
    assert.equal(new Set(list.map(key)).size, list.length);
    for (const c of list) assert.deepEqual(constraints.filter((k) => !k.ok(c)).map((k) => k.name), [], JSON.stringify(c));
  }
});

test('a smaller budget keeps the head of the same list', () => {
  const problem = { M: 512, N: 2112, K: 7168 };
  assert.deepEqual(candidateConfigs(problem, H200_CAPS, 'bf16', 16), candidateConfigs(problem, H200_CAPS).slice(0, 16));
});

test('the tiles follow the SMs: where a few big tiles would leave most SMs idle, the candidates fill them', () => {
  // M=512, N=2112: 128x192 tiles are 4 x 11 = 44 tiles for 132 SMs (the kind of shape that ran at
  // 0.79x cuBLASLt with lists chosen on the preset shapes).
  for (const problem of [{ M: 512, N: 2112, K: 7168 }, { M: 256, N: 1536, K: 7168 }, { M: 1000, N: 1000, K: 1280 }]) {
    const list = candidateConfigs(problem, H200_CAPS);
    const busy = (c: (typeof list)[number]): number => gridClusters(problem, c, SMS) * c.cluster;
    const first = list[0];
    assert.ok(busy(first) >= SMS * 0.75, `${JSON.stringify(problem)}: the first candidate keeps ${busy(first)} of ${SMS} SMs busy`);
    // The split tail lost every H200 sweep it was in (candidates.ts): not a candidate, whatever the shape.
    assert.ok(list.every((c) => c.grid !== 'split-tail'));
  }
  assert.ok(candidateConfigs({ M: 4096, N: 7168, K: 2048 }, H200_CAPS).every((c) => c.grid !== 'split-tail'));
});

test('swapped operands only where the tokens fit one WGMMA n tile; tile widths come from the shape', () => {
  for (const problem of shapes) {
    const list = candidateConfigs(problem, H200_CAPS);
    if (problem.M > 64) assert.ok(list.every((c) => !c.swapAB), JSON.stringify(problem));
    for (const c of list.filter((c) => c.swapAB)) assert.ok(c.blockN <= Math.ceil(problem.M / 8) * 8, JSON.stringify(c));
    // No tile computes mostly padding: a tile's rows never exceed M rounded up to 64 (N when swapped).
    for (const c of list) assert.ok(c.blockM <= Math.max(64, Math.ceil((c.swapAB ? problem.N : problem.M) / 64) * 64));
  }
  // Narrow problems get narrow tiles, wide ones wide tiles.
  const widest = (p: GemmProblem): number => Math.max(...chosenShapes(p, H200_CAPS).chosen.map((r) => r.shape.blockM * r.shape.blockN));
  assert.ok(widest({ M: 128, N: 576, K: 7168 }) < widest({ M: 4096, N: 18432, K: 7168 }));
});

test('the split tail and the model: whole tiles lead the order, each class priced within reach is measured', () => {
  const { chosen } = chosenShapes({ M: 64, N: 2112, K: 7168 }, H200_CAPS);
  assert.equal(chosen[0].shape.splitTail, false);
  assert.ok(chosen.some((r) => r.shape.kind === 'swapped') && chosen.some((r) => r.shape.kind === 'narrow'));
  for (const r of chosen.filter((r) => r.shape.splitTail)) assert.ok(r.tiles === SMS);
  // Every chosen whole-tile shape's tile count is what the space counts.
  for (const r of chosen.filter((r) => !r.shape.splitTail)) {
    const list = candidateConfigs({ M: 64, N: 2112, K: 7168 }, H200_CAPS);
    const c = list.find((c) => c.blockM === r.shape.blockM && c.blockN === r.shape.blockN && c.cluster === 1 && c.grid === 'full');
    if (c) assert.equal(superTiles({ M: 64, N: 2112, K: 7168 }, c), r.tiles);
  }
});

test('on the 18 shapes whose every candidate the H200 measured (run 51), each measured best is a candidate', () => {
  const file = readResults('results/h200/fp8-gemm.json.br');
  const rows = file.runs.filter((r) => r.runId === 'h200-run51' && r.role === 'candidate' && r.status === 'ok' && r.medianMs !== undefined);
  const byShape = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = JSON.stringify(r.problem);
    byShape.set(k, [...(byShape.get(k) ?? []), r]);
  }
  assert.equal(byShape.size, 18);
  for (const [shape, list] of byShape) {
    const best = list.reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a));
    const candidates = new Set(candidateConfigs(JSON.parse(shape) as GemmProblem, H200_CAPS).map(key));
    assert.ok(candidates.has(key(parseCudaGemmConfig(best.config) as object)), `${shape}: ${JSON.stringify(best.config)}`);
  }
});

test('a swapped config with the TMA epilogue is refused before it is compiled (the kernel stores swapped tiles by threads)', () => {
  const problem = { M: 64, N: 2112, K: 7168 };
  const swappedTma = { blockM: 64, blockN: 64, mathWarpgroups: 1, stages: 8, raster: 'along-m', out: 'bf16', cluster: 1, grid: 'split-tail', loop: 'one-set', scales: 'ring', swapAB: true, epilogue: 'tma' } as never;
  assert.deepEqual(cudaGemmConstraints(problem, H200_CAPS).filter((k) => !k.ok(swappedTma)).map((k) => k.name), ['swapped-threads-epilogue']);
  assert.ok(candidateConfigs(problem, H200_CAPS).every((c) => !c.swapAB || c.epilogue === 'threads'));
});
