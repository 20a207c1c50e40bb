// Needs a WebGPU adapter (lavapipe on CI). The MLA decode template verifies across its parameter
// values on the edge-case batch (lengths 0, 1, 63, 64, 65, 129, shuffled pages, NaN in every unused
// slot, two query tokens with causal masking), and the deliberately broken variant is a mismatch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import type { DecodeConfig } from '../../../../kernels/attention/space.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
const base: DecodeConfig = { headsPerWorkgroup: 4, tokensPerStep: 8, splits: 4, workgroupSize: 64, stage: 'global', arithmetic: 'f32', reduce: 'serial' };

test('configs covering every parameter value verify on the edge-case batch, every output row checked', async () => {
  const f16 = backend.caps.shaderF16;
  const problem = { ...mlaDecode.presets.edges, B: 8, H: 8, dtype: f16 ? ('f16' as const) : ('f32' as const) };
  const configs: DecodeConfig[] = [
    base,
    { ...base, stage: 'workgroup', tokensPerStep: 4 },
    { ...base, headsPerWorkgroup: 1, splits: 1, tokensPerStep: 16, workgroupSize: 32 },
    { ...base, headsPerWorkgroup: 8, splits: 2, workgroupSize: 128 },
    { ...base, splits: 8, stage: 'workgroup' },
    ...(backend.caps.subgroups ? [{ ...base, reduce: 'subgroup' as const }] : []),
    ...(f16 ? [{ ...base, arithmetic: 'f16' as const, stage: 'workgroup' as const }] : []),
  ];
  const rows = await runSweep({ family: mlaDecode, problem, backend, configs, timing: quick });
  for (const row of rows) {
    assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
    assert.equal(row.verified?.ok, true);
    assert.equal(row.verified?.checked, row.verified?.total);
    assert.ok(row.medianMs! > 0);
  }
});

test('a deliberately wrong kernel (each split skips its last step) is reported as mismatch', async () => {
  const rows = await runSweep({
    family: mlaDecode, problem: mlaDecode.presets.tiny, backend, timing: quick,
    configs: [base, { ...base, fault: 'drop-last-step' }],
  });
  assert.deepEqual(rows.map((r) => r.status), ['ok', 'mismatch']);
  assert.equal(rows[1].verified?.ok, false);
  assert.equal(rows[1].samplesMs, undefined);
});
