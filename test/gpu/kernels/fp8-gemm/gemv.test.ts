// Needs a CUDA GPU with sm_90a (H200/H100) and nvcc. The FP8 GEMV kernel for M <= 16 verifies against
// the CPU reference at M=1, 7, 8, 9 and 16 (the MMA's token rows 8-15 off and on, tokens past M), N
// with a tail (column blocks past N), K of an odd number of blocks and with a partial last block, one
// split and several, the split partials added by the last CTA and by a second launch, bf16 and f32
// out, and every candidate of DeepSeek-V3 decode shapes; its counters put themselves back to zero (a
// second launch in the same request, after C is poisoned, still stores every element); the broken
// variants (the last K block skipped, a wrong weight scale, the other splits' partials dropped) come
// back as `mismatch`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCuda } from '../../../../harness/cuda/backend.ts';
import type { CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import type { GemvGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { gemvCandidates } from '../../../../kernels/fp8-gemm/cuda/gemv.ts';
import { fp8GemmCudaTarget } from '../../../../kernels/fp8-gemm/cuda/index.ts';
import { cudaGemmConstraints } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { fp8Gemm } from '../../../../kernels/fp8-gemm/index.ts';
import type { GemmProblem } from '../../../../kernels/fp8-gemm/problem.ts';
import { sweep } from '../../sweep.ts';

const timing = { warmupIterations: 1, timeMs: 5, minSamples: 3, maxSamples: 5 };
const base: GemvGemmConfig = { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 1, combine: 'last-cta' };

function assertVerified(rows: Awaited<ReturnType<typeof sweep>>): void {
  for (const row of rows) {
    assert.equal(row.status, 'ok', `${JSON.stringify(row.problem)} ${JSON.stringify(row.config)}: ${row.error}`);
    assert.ok(row.verified?.ok && (row.medianMs ?? 0) > 0, `${JSON.stringify(row.problem)} ${JSON.stringify(row.config)}`);
  }
}

test('sm_90a FP8 GEMV: M 1..16, N tails, odd K blocks, splits combined both ways, both outputs verify; broken variants do not', { timeout: 900_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    // N=200: 12.5 column blocks of 16 rows, 6.25 of 32; 2104: a partial 16-row block; K=640: 5 K blocks.
    const shapes: GemmProblem[] = [
      { M: 1, N: 2112, K: 7168 }, { M: 7, N: 200, K: 640 }, { M: 8, N: 2104, K: 1536 },
      { M: 9, N: 200, K: 640 }, { M: 16, N: 576, K: 7168 }, { M: 16, N: 2104, K: 512 },
      // K with a partial last block (16 and 112 bytes of it).
      { M: 3, N: 200, K: 272 }, { M: 16, N: 2104, K: 1008 },
    ];
    const configs: GemvGemmConfig[] = [
      base,
      { ...base, out: 'f32' },
      { ...base, splits: 2 },
      { ...base, splits: 4, combine: 'launch' },
      { ...base, splits: 4, out: 'f32' },
      { ...base, warps: 8, rowGroups: 1, unroll: 1, splits: 3 },
      { ...base, warps: 2, rowGroups: 1, unroll: 4, splits: 2, combine: 'launch' },
      { ...base, warps: 4, rowGroups: 4, unroll: 1, splits: 5 },
    ];
    for (const problem of shapes) {
      // Those the problem allows: splits no more than its K blocks, long trips only at M <= 8 (registers).
      const constraints = cudaGemmConstraints(problem, backend.caps);
      const fit = configs.filter((c) => constraints.every((k) => k.ok(c)));
      assert.ok(fit.length >= 4, `${JSON.stringify(problem)}: ${fit.length} configs`);
      assertVerified(await sweep({ family: fp8Gemm, problem, backend, configs: fit, timing }));
    }
    // Every candidate of decode shapes (M=1, 4 and 16; N of DeepSeek-V3's projections).
    for (const problem of [{ M: 1, N: 7168, K: 2048 }, { M: 4, N: 576, K: 7168 }, { M: 16, N: 24576, K: 1536 }, { M: 16, N: 2112, K: 7168 }]) {
      assertVerified(await sweep({ family: fp8Gemm, problem, backend, configs: gemvCandidates(problem, backend.caps), timing }));
    }
    // The broken variants: the problem's last K block skipped, block 0's weight scale for every
    // block, the last CTA (or the combine launch) adding only one split's partials.
    const problem = { M: 9, N: 200, K: 640 };
    const faults: GemvGemmConfig[] = [
      { ...base, fault: 'skip-last-k-block' },
      { ...base, fault: 'wrong-b-scale' },
      { ...base, splits: 5, fault: 'skip-partials' },
      { ...base, splits: 5, combine: 'launch', fault: 'skip-partials' },
    ];
    const rows = await sweep({ family: fp8Gemm, problem, backend, configs: faults, timing });
    assert.deepEqual(rows.map((r) => r.status), ['mismatch', 'mismatch', 'mismatch', 'mismatch']);
  } finally {
    await backend.dispose();
  }
});

test('the last CTA\'s counters reset themselves: a second GEMV in the same request, after C is poisoned, stores it all', { timeout: 300_000 }, async () => {
  const backend = await openCuda({ launchLimitMs: 2000 });
  try {
    const problem = { M: 5, N: 2104, K: 1536 };
    const config: GemvGemmConfig = { ...base, splits: 6 };
    const source = gemmCuda(problem, config, backend.caps);
    const words = Math.ceil((problem.M * problem.N * 2) / 4);
    // The scratch is zeroed once per request, before its launches: only the kernel resets the counters.
    const poisoned: CudaKernelSource = {
      ...source,
      code: `${source.code}\nextern "C" __global__ void poison_c(uint32_t* c, int words) {\n  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < words; i += gridDim.x * blockDim.x) c[i] = 0x7fc07fc0u;\n}\n`,
      launches: [
        ...source.launches,
        { entryPoint: 'poison_c', grid: [64, 1, 1], block: [256, 1, 1], bindings: [], params: [{ kind: 'pointer', buffer: 'c' }, { kind: 'i32', value: words }] },
        ...source.launches,
      ],
    };
    const workload = fp8GemmCudaTarget.workload!(problem, 5);
    const buffers = await backend.upload(workload);
    await backend.run(await backend.compile(poisoned), buffers);
    const verified = fp8GemmCudaTarget.verify(problem, workload, { c: await backend.read(buffers, 'c') }, config);
    assert.ok(verified.ok, JSON.stringify(verified));
    backend.release(buffers);
  } finally {
    await backend.dispose();
  }
});
