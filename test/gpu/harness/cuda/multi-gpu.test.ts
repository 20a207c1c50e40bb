// Needs a host with two or more CUDA GPUs with sm_90a and nvcc (skipped on fewer). One runner per GPU:
// a sweep of FP8 GEMM configs over every GPU verifies the same configs as the same sweep on GPU 0
// alone, measures on every GPU (each row says which), and the GPUs share one fingerprint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import { openCudaGpus } from '../../../../harness/cuda/gpus.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import { fromFlat } from '../../../../kernels/fp8-gemm/cuda/parse.ts';
import { sweep } from '../../sweep.ts';
import { resolveGpus } from '../../../../tuner/gpus.ts';

const base = { blockM: 128, blockN: 128, stages: 4, mathWarpgroups: 2, accBuffers: 1, overlapStore: false, stagger: false, raster: 'along-m', cluster: 1, clusterAlong: 'n', out: 'bf16' };
const configs = [base, { ...base, out: 'f32' }, { ...base, blockN: 112, accBuffers: 2 }, { ...base, cluster: 2, clusterAlong: 'm', raster: 'along-n' }, { ...base, stagger: true }, { ...base, blockN: 176 }].map(fromFlat);
const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };
const problem = { M: 300, N: 200, K: 512 };

test('a sweep over every GPU verifies what one GPU does, measuring on each', { timeout: 600_000 }, async (t) => {
  const probe = await openCuda();
  const count = probe.device.gpusOnHost as number;
  await probe.dispose();
  if (count < 2) return t.skip(`this host has ${count} GPU`);
  const gpus = await openCudaGpus({ first: 0, resolve: (n) => resolveGpus({ kind: 'all' }, n) });
  try {
    assert.equal(new Set(gpus.map((g) => g.backend.device.fingerprint)).size, 1);
    const slots = gpus.map(({ gpu, backend }) => ({ gpu, backend, lost: () => backend.lost() }));
    const all = await sweep({ family: fp8Gemm, problem, backend: gpus[0].backend, gpus: slots, configs, timing });
    const one = await sweep({ family: fp8Gemm, problem, backend: gpus[0].backend, configs, timing });
    const verified = (rows: typeof all) => rows.filter((r) => r.status === 'ok' && r.verified?.ok).map((r) => JSON.stringify(r.config)).sort();
    assert.deepEqual(verified(all), verified(one));
    assert.equal(verified(all).length, configs.length, all.map((r) => `${r.status} ${r.error ?? ''}`).join('; '));
    assert.deepEqual(new Set(all.map((r) => r.gpu)), new Set(gpus.map((g) => g.gpu)), 'every GPU measured configs');
  } finally {
    await Promise.all(gpus.map((g) => g.backend.dispose()));
  }
});
