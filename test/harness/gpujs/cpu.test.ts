// gpu.js baselines in cpu mode (plain JavaScript, no adapter needed): each verifies against its
// family's reference and comes back as a measured row with role "baseline".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { measureGpuJsBaseline, hasGpuJsBaseline } from '../../../harness/gpujs/baseline.ts';
import { openGpuJs, type GpuJsRuntime } from '../../../harness/gpujs/runtime.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import { fp8Gemm } from '../../../kernels/fp8-gemm/index.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import { groupedGemm } from '../../../kernels/grouped-gemm/index.ts';

const mlaDecodeBaseline = mlaDecode.targets.gpujs!.build;

let runtime: GpuJsRuntime;
before(async () => (runtime = await openGpuJs('cpu')));
after(() => runtime.dispose());

const quick = { warmupIterations: 0, timeMs: 1, minSamples: 2, maxSamples: 2 };

test('fp8-gemm (K a multiple of 128 or not), mla-decode and GQA mha-decode (edge-case lengths, NaN tails, two query tokens) verify as gpu.js baselines', async () => {
  const cases = [
    [fp8Gemm, fp8Gemm.presets.tiny],
    // K ending in a partial 128-wide scale block (the host zero-pads the decoded rows).
    [fp8Gemm, { M: 9, N: 140, K: 272 }],
    [mlaDecode, { ...mlaDecode.presets.edges, H: 4 }],
    [mhaDecode, { ...mhaDecode.presets['edges-gqa'], H: 4, Hkv: 2 }],
  ] as const;
  for (const [family, problem] of cases) {
    const row = await measureGpuJsBaseline({ family, problem, runtime, timing: quick });
    assert.equal(row.status, 'ok', row.error);
    assert.equal(row.role, 'baseline');
    assert.deepEqual(row.config, { implementation: 'gpu.js', mode: 'cpu' });
    assert.equal(row.timer, 'wall-clock');
    assert.equal(row.verified?.checked, row.verified?.total);
    assert.ok(row.samplesMs!.length >= 2 && row.medianMs! > 0);
  }
});

test('the gpu.js decode is checked, not trusted: a cache read past the sequence (NaN) fails verification', async () => {
  const problem = { ...mlaDecode.presets.edges, H: 2 };
  const workload = mlaDecode.workload(problem, 1);
  // Claim every sequence is one token longer than its cache: the extra token is an unused (NaN) slot
  // or a missing page; the reference keeps the true lengths.
  const lengths = Int32Array.from(workload.buffers.lengths.data as Int32Array, (x) => x + 1);
  const lying = { ...workload, buffers: { ...workload.buffers, lengths: { ...workload.buffers.lengths, data: lengths } } };
  const outputs = await mlaDecodeBaseline(runtime, problem, lying).run();
  assert.equal(mlaDecode.verify(problem, workload, outputs).ok, false);
});

test('a DeepSeek-V3-sized problem is not handed to gpu.js: an invalid row says why', async () => {
  const row = await measureGpuJsBaseline({ family: mlaDecode, problem: mlaDecode.presets['dsv3-h128-b128-l8192-sq1'], runtime, timing: quick });
  assert.equal(row.status, 'invalid');
  assert.match(row.error ?? '', /gpu.js baseline not run/);
});

test('families without a gpu.js version give an invalid row, not an exception', async () => {
  assert.equal(hasGpuJsBaseline(groupedGemm), false);
  const row = await measureGpuJsBaseline({ family: groupedGemm, problem: groupedGemm.presets['tiny-masked'], runtime, timing: quick });
  assert.equal(row.status, 'invalid');
});
