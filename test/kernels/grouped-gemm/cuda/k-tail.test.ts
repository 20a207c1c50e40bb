// The CUDA grouped GEMM with K not a multiple of 128, without a GPU: its launch carries K in whole
// 128-wide blocks while its A and B tensor maps carry the true K (TMA zero-fills the tail), its
// source is the whole-block one but for its header, and the per-group baseline launches the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CudaParam, TensorMapParam } from '../../../../kernels/cuda-source.ts';
import { groupedCandidates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import { densePerGroup } from '../../../../kernels/grouped-gemm/cuda/peers.ts';
import { groupedGemmCuda } from '../../../../kernels/grouped-gemm/cuda/template.ts';
import type { GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const problem: GroupedProblem = { G: 8, M: 64, N: 512, K: 1008, layout: 'contiguous', routing: 'zipf', align: 64 };
const i32s = (params: readonly CudaParam[]): number[] => params.flatMap((p) => (p.kind === 'i32' ? [p.value] : []));
const maps = (params: readonly CudaParam[]): TensorMapParam[] => params.filter((p): p is TensorMapParam => p.kind === 'tensor-map');

test('grouped launches take K=1024 as their size and K=1008 in their A and B maps', () => {
  const candidates = [problem, { ...problem, layout: 'masked' as const }].flatMap((p) => groupedCandidates(p, H200_CAPS).map((c) => ({ p, c })));
  assert.ok(candidates.length > 0);
  for (const { p, c } of candidates) {
    const source = groupedGemmCuda(p, c, H200_CAPS);
    const [launch] = source.launches;
    assert.deepEqual(maps(launch.params).map((m) => m.cols), [1008, 1008], JSON.stringify(c));
    assert.equal(i32s(launch.params)[2], 1024, JSON.stringify(c));
    const body = (K: number) => groupedGemmCuda({ ...p, K }, c, H200_CAPS).code.split('\n').slice(1).join('\n');
    assert.equal(body(1008), body(1024), JSON.stringify(c));
  }
});

test('the per-group baseline launches the dense kernel with K in whole blocks and maps over the true K', () => {
  const baseline = densePerGroup(problem, H200_CAPS);
  assert.ok(baseline.launches.length > 1);
  for (const launch of baseline.launches) {
    assert.ok(maps(launch.params).filter((m) => m.buffer === 'a' || m.buffer === 'b').every((m) => m.cols === 1008));
    assert.equal(i32s(launch.params)[2], 1024);
  }
});
