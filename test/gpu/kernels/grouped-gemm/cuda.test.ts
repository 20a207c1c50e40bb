// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The sm_90a grouped GEMM verifies against the CPU
// reference in both layouts under skewed routing with empty groups (every valid row checked, padding
// rows and rows past masked_m never written), with each main loop, 64- and 128-row tiles, N not a multiple of
// the tile nor of 128, fewer tiles than SMs and many waves; the DeepSeek-V3 shapes' candidates verify
// by sampled rows; the broken variants (padding rows stored, the last K block skipped) come back as
// `mismatch`; the dense-per-group baseline runs and verifies beside ours (offsetBytes in the runner).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import { groupedCandidates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import { groupedGemmCudaTarget } from '../../../../kernels/grouped-gemm/cuda/index.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';
import { groupLayout } from '../../../../kernels/grouped-gemm/problem.ts';
import { peerSide } from '../../../../tuner/side-by-side.ts';
import { sweep } from '../../sweep.ts';
import { baselineProblems, faultConfigs, loopConfigs, presetNames, skewed } from './cases.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };

test('sm_90a grouped GEMM: both layouts, skewed routing with empty groups, every loop; faults caught', { timeout: 600_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    for (const layout of ['contiguous', 'masked'] as const) {
      for (const K of [512, 384]) {
        const problem = skewed(layout, K);
        assert.ok(groupLayout(problem).counts.some((c) => c === 0), 'an empty group');
        const rows = await sweep({ family: groupedGemm, problem, backend, configs: loopConfigs, timing });
        for (const row of rows) assert.equal(row.status, 'ok', `${layout} K=${K} ${JSON.stringify(row.config)}: ${row.error}`);
      }
      const faults = await sweep({ family: groupedGemm, problem: skewed(layout, 512), backend, configs: faultConfigs, timing });
      assert.deepEqual(faults.map((r) => r.status), ['mismatch', 'mismatch'], layout);
    }
    // Many waves over the 256-expert Zipf layer (contiguous) and an EP=8 masked decode slice: the candidates, rows sampled.
    for (const name of presetNames) {
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
    for (const problem of baselineProblems()) {
      const side = await peerSide({ family: groupedGemm, target: groupedGemmCudaTarget, problem, backend, timing }, peer);
      if ('status' in side) assert.fail(`${JSON.stringify(problem)}: ${side.status} ${side.error}`);
      assert.ok(side.row.verified?.ok);
      await side.dispose();
    }
  } finally {
    await backend.dispose();
  }
});
