// Needs a WebGPU adapter. The grouped GEMM with K not a multiple of 128 (a partial last scale
// block): both layouts verify across staging and K steps, and dropping the partial block is caught.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import { groupedGemm } from '../../../../kernels/grouped-gemm/index.ts';
import type { GroupedConfig } from '../../../../kernels/grouped-gemm/space.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
const base: GroupedConfig = { BM: 32, BN: 32, TM: 2, TN: 2, BK: 128, stage: 'none' };
const configs: GroupedConfig[] = [base, { ...base, stage: 'workgroup', BK: 32 }, { BM: 16, BN: 64, TM: 1, TN: 4, BK: 128, stage: 'workgroup' }];

for (const preset of ['tiny-contiguous-zipf', 'tiny-masked']) {
  test(`${preset} with K=272: every config verifies, all rows checked`, async () => {
    const problem = { ...groupedGemm.presets[preset], K: 272 };
    const rows = await runSweep({ family: groupedGemm, problem, backend, configs, timing: quick });
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
      assert.equal(row.verified?.checked, row.verified?.total);
    }
  });
}

test('K=272: a kernel that skips the partial last block is a mismatch', async () => {
  const problem = { ...groupedGemm.presets['tiny-masked'], K: 272 };
  const rows = await runSweep({ family: groupedGemm, problem, backend, timing: quick, configs: [base, { ...base, fault: 'skip-last-k-block' }] });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
});
