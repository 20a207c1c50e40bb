// A K that ends in a partial 128-wide block on CUDA: the sm_90a kernel's size argument is K rounded up
// to whole blocks while its tensor maps (A, B, the activation scales' copy) carry the true K, so TMA
// zero-fills the tail and the kernel's source does not change; the SIMT kernel and cuBLASLt get the true K.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CudaParam, TensorMapParam } from '../../../../kernels/cuda-source.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { gemmCublasLt } from '../../../../kernels/fp8-gemm/cuda/cublaslt.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { H200_CAPS } from './caps.ts';

const tile = { blockM: 128, blockN: 128, stages: 5, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'tma', grid: 'full' } as const;
const oneSet = { ...tile, loop: 'one-set', scales: 'ring' } as const satisfies HopperGemmConfig;
const configs: readonly HopperGemmConfig[] = [
  oneSet,
  { ...tile, loop: 'two-sets' },
  { ...oneSet, grid: 'split-tail' },
  { ...tile, blockM: 256, stages: 3, loop: 'in-turn', turnUnroll: 2, scales: 'tma' },
  { ...oneSet, blockM: 64, blockN: 48, mathWarpgroups: 1, epilogue: 'threads', swapAB: true },
];
const problem = { M: 200, N: 1000, K: 1008 };

const i32s = (params: readonly CudaParam[]): number[] => params.flatMap((p) => (p.kind === 'i32' ? [p.value] : []));
const maps = (params: readonly CudaParam[]): TensorMapParam[] => params.filter((p): p is TensorMapParam => p.kind === 'tensor-map');

test('the sm_90a kernel takes K in whole blocks, its tensor maps the true K', () => {
  for (const config of configs) {
    const [launch] = gemmCuda(problem, config, H200_CAPS).launches;
    const [a, b] = maps(launch.params);
    assert.deepEqual([a.buffer, b.buffer].sort(), ['a', 'b']);
    assert.equal(a.cols, 1008, JSON.stringify(config));
    assert.equal(b.cols, 1008);
    // Sizes M, N, K (swapped: N, M, K), then the raster argument.
    const [first, second, K] = i32s(launch.params);
    assert.deepEqual([first, second].sort((x, y) => x - y), [200, 1000]);
    assert.equal(K, 1024, JSON.stringify(config));
    const scales = maps(launch.params).find((m) => m.buffer === 'scaleA');
    if (config.loop !== 'two-sets' && config.scales === 'tma') assert.equal(scales?.rows, 8, 'the activation scales copy holds ceil(1008/128) rows');
  }
});

test('the sm_90a source of a K with a tail is that of K in whole blocks, its header aside', () => {
  for (const config of configs) {
    const body = (K: number) => gemmCuda({ ...problem, K }, config, H200_CAPS).code.split('\n').slice(1).join('\n');
    assert.equal(body(1008), body(1024), JSON.stringify(config));
  }
});

test('the generated candidates for K=1008 all carry the true K in their maps and whole blocks in their sizes', () => {
  const candidates = [1, 64, 4096].flatMap((M) => candidateConfigs({ ...problem, M }, H200_CAPS).map((c) => ({ M, c })));
  assert.ok(candidates.length > 0);
  for (const { M, c } of candidates) {
    const [launch] = gemmCuda({ ...problem, M }, c, H200_CAPS).launches;
    if (c.kernel === 'simt') {
      assert.equal(i32s(launch.params)[2], 1008);
      continue;
    }
    assert.ok(maps(launch.params).filter((m) => m.buffer === 'a' || m.buffer === 'b').every((m) => m.cols === 1008), JSON.stringify(c));
    assert.equal(i32s(launch.params)[2], 1024, JSON.stringify(c));
  }
});

test('the SIMT kernel takes the true K and stages zeros past it; whole-block K keeps its source', () => {
  const simt = { kernel: 'simt', out: 'bf16' } as const;
  const tail = gemmCuda(problem, simt, H200_CAPS);
  assert.equal(i32s(tail.launches[0].params)[2], 1008);
  assert.match(tail.code, /const int KB = \(K \+ 127\) \/ 128, rowWords = K \/ 4;/);
  assert.match(tail.code, /m0 \+ r < M && kb \* WORDS \+ c < rowWords \?/);
  const whole = gemmCuda({ ...problem, K: 1024 }, simt, H200_CAPS).code;
  assert.match(whole, /const int KB = K \/ 128, rowWords = K \/ 4;/);
  assert.doesNotMatch(whole, /rowWords \?/);
});

test('cuBLASLt is handed the true K', () => {
  assert.deepEqual(i32s(gemmCublasLt(problem).launches[0].params), [200, 1000, 1008]);
});
