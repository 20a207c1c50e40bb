// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The sm_90a grouped GEMM verifies against the CPU
// reference in both layouts under skewed routing with empty groups (every valid row checked, padding
// rows and rows past masked_m zero), with each main loop, 64- and 128-row tiles, N not a multiple of
// the tile nor of 128, fewer tiles than SMs and many waves; the DeepSeek-V3 shapes' candidates verify
// by sampled rows; the broken variants (padding rows stored, the last K block skipped) come back as
// `mismatch`; the dense-per-group baseline runs and verifies beside ours (offsetBytes in the runner).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import { groupedCandidates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import type { GroupedCudaConfig } from '../../../../kernels/grouped-gemm/cuda/config.ts';
import { groupedGemmCudaTarget } from '../../../../kernels/grouped-gemm/cuda/index.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';
import { groupLayout, type GroupedProblem } from '../../../../kernels/grouped-gemm/problem.ts';
import { peerSide } from '../../../../tuner/side-by-side.ts';
import { sweep } from '../../sweep.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };
const tile = { blockM: 128, blockN: 128, mathWarpgroups: 2, stages: 4, raster: 'along-m', out: 'bf16' } as const;
const one: GroupedCudaConfig = { ...tile, loop: 'one-set', scales: 'ring' };
const configs: GroupedCudaConfig[] = [
  one,
  { ...one, out: 'f32', stages: 3 },
  { ...tile, loop: 'two-sets' },
  { ...tile, loop: 'two-sets', overlapStore: true, raster: 'along-n' },
  { ...one, blockM: 64, mathWarpgroups: 1, blockN: 112, stages: 8 },
  { ...tile, blockM: 64, mathWarpgroups: 1, blockN: 64, stages: 8, loop: 'two-sets', overlapStore: true },
];

/** Zipf routing, 48 experts with 0..137 rows (three empty, one past a 128-row tile); N=200 (a partial tile and scale block); K even and odd in blocks. */
const skewed = (layout: GroupedProblem['layout'], K: number): GroupedProblem => ({ G: 48, M: 12, N: 200, K, layout, routing: 'zipf', align: 32 });

test('sm_90a grouped GEMM: both layouts, skewed routing with empty groups, every loop; faults caught', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    for (const layout of ['contiguous', 'masked'] as const) {
      for (const K of [512, 384]) {
        const problem = skewed(layout, K);
        assert.ok(groupLayout(problem).counts.some((c) => c === 0), 'an empty group');
        const rows = await sweep({ family: groupedGemm, problem, backend, configs, timing });
        for (const row of rows) assert.equal(row.status, 'ok', `${layout} K=${K} ${JSON.stringify(row.config)}: ${row.error}`);
      }
      const faults = await sweep({ family: groupedGemm, problem: skewed(layout, 512), backend, configs: [{ ...one, fault: 'store-padding' }, { ...one, fault: 'skip-last-k-block' }], timing });
      assert.deepEqual(faults.map((r) => r.status), ['mismatch', 'mismatch'], layout);
    }
    // Many waves over the 256-expert Zipf layer (contiguous) and an EP=8 masked decode slice: the candidates, rows sampled.
    for (const name of ['dsv3-layer-top8-g256-m128-n7168-k2048-zipf', 'dsv3-ep8-masked-g32-m64-n7168-k2048-zipf', 'dsv3-contiguous-g8-m4096-n7168-k2048-uniform']) {
      const problem = presets[name];
      const rows = await sweep({ family: groupedGemm, problem, backend, configs: groupedCandidates(problem, backend.caps), timing });
      for (const row of rows) assert.equal(row.status, 'ok', `${name} ${JSON.stringify(row.config)}: ${row.error}`);
    }
  } finally {
    await backend.dispose();
  }
});

test('the dense-per-group baseline runs one launch per group over the groups\' slices and verifies', { timeout: 300_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    const peer = groupedGemmCudaTarget.peers!.find((p) => p.name === 'dense-per-group')!;
    for (const problem of [skewed('contiguous', 512), skewed('masked', 512), presets['dsv3-ep8-masked-g32-m64-n7168-k2048-uniform']]) {
      const side = await peerSide({ family: groupedGemm, target: groupedGemmCudaTarget, problem, backend, timing }, peer);
      if ('status' in side) assert.fail(`${JSON.stringify(problem)}: ${side.status} ${side.error}`);
      assert.ok(side.row.verified?.ok);
      await side.dispose();
    }
  } finally {
    await backend.dispose();
  }
});
