// Needs a WebGPU adapter (lavapipe on CI). K not a multiple of 128 (a partial last scale block):
// configs covering every parameter value verify against the CPU reference, every element checked,
// and a kernel that drops the partial block is caught.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import type { GemmConfig } from '../../../../kernels/fp8-gemm/space.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
const base: GemmConfig = { BM: 32, BN: 32, TM: 2, TN: 2, BK: 64, vec: 1, stage: 'workgroup', decode: 'bits', arith: 'f32' };

// K=272: two whole blocks and 16 columns (one vec4 word, part of a K step); K=1008: seven and 112.
for (const K of [272, 1008]) {
  test(`K=${K}: configs covering every parameter value verify, every element checked`, async () => {
    const configs: GemmConfig[] = [
      base,
      { ...base, stage: 'none', BK: 128 },
      { ...base, decode: 'table' },
      { ...base, vec: 4, BK: 32 },
      { ...base, BM: 64, BN: 16, TM: 4, TN: 1, BK: 128, stage: 'none', decode: 'table', vec: 4 },
      ...(backend.caps.shaderF16 ? [{ ...base, arith: 'f16' as const }, { ...base, arith: 'f16' as const, vec: 4, stage: 'none' as const, BK: 128 }] : []),
    ];
    const problem = { M: 37, N: 150, K };
    const rows = await runSweep({ family: fp8Gemm, problem, backend, configs, timing: quick });
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
      assert.equal(row.verified?.ok, true);
      assert.equal(row.verified?.checked, problem.M * problem.N);
    }
  });
}

test('K=272: a kernel that drops the partial last block is a mismatch', async () => {
  const rows = await runSweep({ family: fp8Gemm, problem: { M: 24, N: 40, K: 272 }, backend, timing: quick, configs: [base, { ...base, fault: 'skip-last-k-block' }] });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
});
