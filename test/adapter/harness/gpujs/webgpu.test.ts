// Needs a WebGPU adapter: gpu.js's webgpu mode, given navigator.gpu from the npm webgpu package,
// runs the fp8-gemm and mla-decode baselines and they verify.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureGpuJsBaseline } from '../../../../harness/gpujs/baseline.ts';
import { openGpuJs } from '../../../../harness/gpujs/runtime.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import { mlaDecode } from '../../../../kernels/mla-decode/index.ts';

test('gpu.js webgpu mode: fp8-gemm and mla-decode baselines verify', async () => {
  const runtime = await openGpuJs('webgpu');
  try {
    assert.equal(runtime.mode, 'webgpu');
    const timing = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };
    for (const [family, problem] of [[fp8Gemm, fp8Gemm.presets.tiny], [mlaDecode, mlaDecode.presets.tiny]] as const) {
      const row = await measureGpuJsBaseline({ family, problem, runtime, timing });
      assert.equal(row.status, 'ok', row.error);
      assert.equal(row.config.mode, 'webgpu');
    }
  } finally {
    runtime.dispose();
  }
});
