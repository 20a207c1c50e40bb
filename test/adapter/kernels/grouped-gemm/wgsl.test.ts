// Needs a WebGPU adapter. Both layouts, both routings verify across the tile parameters (padding
// rows and rows past masked_m stay untouched), and the broken variant is a mismatch.
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
const configs: GroupedConfig[] = [
  base,
  { ...base, stage: 'workgroup', BK: 32 },
  { BM: 16, BN: 64, TM: 1, TN: 4, BK: 128, stage: 'workgroup' },
  { BM: 32, BN: 128, TM: 4, TN: 4, BK: 128, stage: 'none' },
];

for (const preset of ['tiny-contiguous', 'tiny-contiguous-zipf', 'tiny-masked', 'tiny-masked-zipf']) {
  test(`${preset}: every config verifies, all rows checked`, async () => {
    const rows = await runSweep({ family: groupedGemm, problem: groupedGemm.presets[preset], backend, configs, timing: quick });
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
      assert.equal(row.verified?.checked, row.verified?.total);
    }
  });
}

test('a deliberately wrong kernel (last K block skipped) is reported as mismatch', async () => {
  const rows = await runSweep({
    family: groupedGemm, problem: groupedGemm.presets['tiny-masked-zipf'], backend, timing: quick,
    configs: [base, { ...base, fault: 'skip-last-k-block' }],
  });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
});
