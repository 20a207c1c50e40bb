// The GEMV kernel's logic, built for the host (gemv-host.ts: its CUDA text with the PTX emulated),
// verifies against the CPU reference: tokens below 8, 8 and above (the MMA's rows 8-15 off and on),
// N with a tail, K of an odd number of K blocks and K with a partial last block, one split and several, the partials added by the
// last CTA and by the combine launch, both outputs, each CTA shape of the candidates; the last CTA's
// counters put themselves back (a second pass without zeroing the scratch stores every element); the
// broken variants do not verify. Skipped where g++ is absent.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GemvGemmConfig } from '../../../../kernels/fp8-gemm/cuda/gemv.ts';
import { cudaGemmConstraints } from '../../../../kernels/fp8-gemm/cuda/space.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { cudaGemmTolerance } from '../../../../kernels/fp8-gemm/cuda/tolerance.ts';
import { fastGemmWorkload } from '../../../../kernels/fp8-gemm/cuda/workload.ts';
import type { GemmProblem } from '../../../../kernels/fp8-gemm/problem.ts';
import { verifyGemm } from '../../../../kernels/fp8-gemm/verify.ts';
import { H200_CAPS } from './caps.ts';
import { findGxx, runOnHost } from './gemv-host.ts';

const gxx = await findGxx();
const cacheDir = join(tmpdir(), 'tilesweep-gemv-host');
const base: GemvGemmConfig = { kernel: 'gemv', out: 'bf16', warps: 4, rowGroups: 2, unroll: 2, splits: 1, combine: 'last-cta' };

async function verified(problem: GemmProblem, config: GemvGemmConfig, repeat = 0) {
  assert.deepEqual(cudaGemmConstraints(problem, H200_CAPS).filter((k) => !k.ok(config)).map((k) => k.name), [], JSON.stringify(config));
  const workload = fastGemmWorkload(problem, 7);
  const c = await runOnHost(problem, gemmCuda(problem, config, H200_CAPS), workload, cacheDir, repeat);
  return verifyGemm(problem, workload, { c }, cudaGemmTolerance(config));
}

test('the GEMV kernel\'s logic verifies on the host: M 1..16, N tails, odd K blocks, partial K blocks, splits combined both ways, both outputs, every CTA shape', { skip: gxx ? false : 'skipped: no g++' }, async () => {
  mkdirSync(cacheDir, { recursive: true });
  // N=200: 12.5 column blocks of 16 rows (6.25 of 32); K=640: 5 K blocks.
  const cases: [GemmProblem, GemvGemmConfig][] = [
    [{ M: 1, N: 200, K: 640 }, base],
    [{ M: 7, N: 200, K: 640 }, { ...base, splits: 5 }],
    [{ M: 8, N: 104, K: 640 }, { ...base, splits: 2, combine: 'launch', out: 'f32' }],
    [{ M: 9, N: 200, K: 640 }, { ...base, splits: 3 }],
    [{ M: 16, N: 200, K: 640 }, { ...base, splits: 2, combine: 'launch' }],
    [{ M: 16, N: 136, K: 384 }, { ...base, warps: 8, rowGroups: 2, unroll: 1, splits: 1 }],
    [{ M: 3, N: 200, K: 1152 }, { ...base, warps: 4, rowGroups: 1, unroll: 4, splits: 2 }],
    [{ M: 5, N: 200, K: 640 }, { ...base, warps: 4, rowGroups: 4, unroll: 1, splits: 2, out: 'f32' }],
    [{ M: 12, N: 72, K: 640 }, { ...base, warps: 2, rowGroups: 2, unroll: 2, splits: 2 }],
    [{ M: 16, N: 200, K: 640 }, { ...base, warps: 8, rowGroups: 1, unroll: 2, splits: 1 }],
    // K with a partial last block: 16 bytes of it (K=272), 112 (K=1008); the chunks past K load zeros.
    [{ M: 9, N: 200, K: 272 }, { ...base, splits: 3 }],
    [{ M: 2, N: 136, K: 1008 }, { ...base, warps: 4, rowGroups: 1, unroll: 4, splits: 2, combine: 'launch' }],
  ];
  for (const [problem, config] of cases) {
    const result = await verified(problem, config);
    assert.ok(result.ok, `${JSON.stringify(problem)} ${JSON.stringify(config)}: ${JSON.stringify(result)}`);
  }
});

test('on the host: the last CTA\'s counters reset themselves, and the broken variants do not verify', { skip: gxx ? false : 'skipped: no g++' }, async () => {
  mkdirSync(cacheDir, { recursive: true });
  const problem = { M: 9, N: 200, K: 640 };
  // A second pass over C poisoned, the scratch as the first left it.
  assert.ok((await verified(problem, { ...base, splits: 5 }, 1)).ok);
  for (const config of [
    { ...base, fault: 'skip-last-k-block' },
    { ...base, fault: 'wrong-b-scale' },
    { ...base, splits: 5, fault: 'skip-partials' },
    { ...base, splits: 5, combine: 'launch', fault: 'skip-partials' },
  ] as const) {
    assert.equal((await verified(problem, config)).ok, false, JSON.stringify(config));
  }
});
