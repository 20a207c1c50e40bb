// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc; not run on the CPU-only CI. K not a multiple of 128
// (a partial last scale block, zero-filled by TMA past the true K): the candidates generated for
// M=37, N=1000, K=1008 and K=272, the split tail, A and B swapped and the SIMT kernel verify against the
// CPU reference; dropping the partial block is a mismatch; cuBLASLt either verifies or is `unavailable`
// with its reason; the grouped GEMM verifies in both layouts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../../../core/results.ts';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { CudaGemmConfig, HopperGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { FP8_GEMM_PEERS, fp8GemmCudaTarget } from '../../../../kernels/fp8-gemm/cuda/index.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import type { GroupedCudaConfig } from '../../../../kernels/grouped-gemm/cuda/config.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import { peerSide, type Side } from '../../../../tuner/side-by-side.ts';
import { sweep } from '../../sweep.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };
const tile = { blockM: 128, blockN: 128, stages: 4, mathWarpgroups: 2, raster: 'along-m', cluster: 1, out: 'bf16', epilogue: 'tma', grid: 'full' } as const;
const oneSet = { ...tile, loop: 'one-set', scales: 'ring' } as const satisfies HopperGemmConfig;

test('sm_90a FP8 GEMM with K=1008 and K=272: candidates, split tail, swapped, SIMT verify; a dropped tail block is caught', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    for (const K of [1008, 272]) {
      const problem = { M: 37, N: 1000, K };
      const extra: CudaGemmConfig[] = [
        { ...oneSet, grid: 'split-tail' },
        { ...tile, loop: 'two-sets' },
        { ...tile, blockM: 256, stages: 3, loop: 'in-turn', turnUnroll: 2, scales: 'tma' },
        { kernel: 'simt', out: 'bf16' },
      ];
      const configs = [...candidateConfigs(problem, backend.caps), ...candidateConfigs({ ...problem, M: 2048 }, backend.caps).slice(0, 4), ...extra];
      for (const p of [problem, { ...problem, M: 2048 }]) {
        const rows = await sweep({ family: fp8Gemm, problem: p, backend, configs, timing });
        for (const row of rows) {
          if (row.status === 'invalid') continue;
          assert.equal(row.status, 'ok', `K=${K} M=${p.M} ${JSON.stringify(row.config)}: ${row.error}`);
          assert.equal(row.verified?.ok, true);
        }
      }
      const dropped = await sweep({ family: fp8Gemm, problem, backend, timing, configs: [oneSet, { ...oneSet, fault: 'skip-last-k-block' }] });
      assert.deepEqual(dropped.map((r) => r.status), ['ok', 'mismatch']);
      const lt = await peerSide({ family: fp8Gemm, target: fp8GemmCudaTarget, problem, backend, timing }, FP8_GEMM_PEERS.find((p) => p.name === 'cublaslt')!);
      if ('time' in lt) {
        assert.equal((lt as Side).row.verified?.ok, true);
        await (lt as Side).dispose();
      } else assert.equal((lt as ResultRow).status, 'unavailable', `cuBLASLt at K=${K}: ${(lt as ResultRow).error}`);
    }
  } finally {
    await backend.dispose();
  }
});

test('sm_90a grouped GEMM with K=1008: both layouts verify', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    const groupTile = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 4, raster: 'along-m', out: 'bf16' } as const;
    const configs: GroupedCudaConfig[] = [{ ...groupTile, loop: 'one-set', scales: 'ring' }, { ...groupTile, loop: 'two-sets' }];
    for (const layout of ['contiguous', 'masked'] as const) {
      const problem = { G: 8, M: 40, N: 200, K: 1008, layout, routing: 'zipf', align: 64 } as const;
      const rows = await sweep({ family: groupedGemm, problem, backend, timing, configs });
      for (const row of rows) assert.equal(row.status, 'ok', `${layout} ${JSON.stringify(row.config)}: ${row.error}`);
    }
  } finally {
    await backend.dispose();
  }
});
