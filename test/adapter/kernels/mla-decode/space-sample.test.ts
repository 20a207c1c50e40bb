// Needs a WebGPU adapter. A seeded random sample of the whole MLA decode space (combinations the
// per-value test does not pick) verifies on the edge-case batch, with both query-token counts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Backend } from '../../../../harness/backend.ts';
import { openWebGpu } from '../../../../harness/webgpu/dawn.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';
import { runSweep } from '../../../../tuner/sweep.ts';

let backend: Backend;
before(async () => (backend = await openWebGpu()));
after(async () => backend.dispose());

for (const sq of [1, 2]) {
  test(`6 random configs of the space verify on the edge-case batch (s_q=${sq})`, async () => {
    const problem = { ...mlaDecode.presets.edges, H: 8, sq, dtype: backend.caps.shaderF16 ? ('f16' as const) : ('f32' as const) };
    const rows = await runSweep({
      family: mlaDecode, problem, backend, strategy: 'random', budget: 6, seed: 11 + sq,
      timing: { warmupIterations: 0, timeMs: 1, minSamples: 1, maxSamples: 1 },
    });
    const measured = rows.filter((r) => r.status !== 'invalid');
    assert.equal(measured.length, 6);
    for (const row of measured) assert.equal(row.status, 'ok', `${JSON.stringify(row.config)}: ${row.error}`);
  });
}
