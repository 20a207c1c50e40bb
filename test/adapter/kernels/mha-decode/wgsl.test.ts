// Needs a WebGPU adapter. MHA, GQA and MQA decode verify through the same template on the edge-case
// batch and a varlen batch; the broken variant is a mismatch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import type { DecodeConfig } from '../../../../kernels/attention/space.ts';
import { mhaDecode } from '../../../../kernels/mha-decode/index.ts';
import type { MhaProblem } from '../../../../kernels/mha-decode/problem.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
const base: DecodeConfig = { headsPerWorkgroup: 1, tokensPerStep: 8, splits: 2, workgroupSize: 32, stage: 'global', arithmetic: 'f32', reduce: 'serial' };

for (const Hkv of [8, 2, 1]) {
  test(`H=8, H_kv=${Hkv}: configs verify on the edge-case batch (lengths 0..129, NaN tails, two query tokens)`, async () => {
    const dtype = backend.caps.shaderF16 ? 'f16' : 'f32';
    const problem: MhaProblem = { B: 8, sq: 2, H: 8, Hkv, L: 150, lengths: 'edges', dtype };
    const group = 8 / Hkv;
    const configs: DecodeConfig[] = [
      base,
      { ...base, headsPerWorkgroup: group, stage: 'workgroup', splits: 4, workgroupSize: 64 },
      ...(backend.caps.subgroups ? [{ ...base, headsPerWorkgroup: group, reduce: 'subgroup' as const, workgroupSize: 64 }] : []),
      ...(dtype === 'f16' ? [{ ...base, arithmetic: 'f16' as const }] : []),
    ];
    const rows = await runSweep({ family: mhaDecode, problem, backend, configs, timing: quick });
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
      assert.equal(row.verified?.checked, row.verified?.total);
    }
  });
}

test('a deliberately wrong kernel (each split skips its last step) is reported as mismatch', async () => {
  const rows = await runSweep({
    family: mhaDecode, problem: mhaDecode.presets['tiny-gqa'], backend, timing: quick,
    configs: [base, { ...base, fault: 'drop-last-step' }],
  });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
});
