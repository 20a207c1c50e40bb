// CI (nvcc, no GPU): CUDA candidates generated for a K with a partial last 128-wide block (K=1008)
// compile for sm_90a (SIMT: sm_80) without local-memory spills or ptxas warnings. A handful only (the
// first and last candidates at M=1, 37 and 4096, and the SIMT kernel): their kernel text is the
// whole-block one (k-tail.test.ts), so the full space's compile test covers the rest. Skipped where
// nvcc is absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAll } from '../../../../harness/cuda/compile.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { candidateConfigs } from '../../../../kernels/fp8-gemm/cuda/candidates.ts';
import type { CudaGemmConfig } from '../../../../kernels/fp8-gemm/cuda/config.ts';
import { gemmCuda } from '../../../../kernels/fp8-gemm/cuda/template.ts';
import { H200_CAPS } from './caps.ts';

const nvcc = findNvcc();

test('candidates for K=1008 compile for sm_90a (SIMT: sm_80) without spills', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async () => {
  if ('missing' in nvcc) return;
  const cases: { problem: { M: number; N: number; K: number }; config: CudaGemmConfig }[] = [1, 37, 4096].flatMap((M) => {
    const problem = { M, N: 1000, K: 1008 };
    const candidates = candidateConfigs(problem, H200_CAPS);
    return [candidates[0], candidates[candidates.length - 1]].map((config) => ({ problem, config }));
  });
  cases.push({ problem: { M: 37, N: 1000, K: 1008 }, config: { kernel: 'simt', out: 'bf16' } });
  const sources = cases.map(({ problem, config }) => gemmCuda(problem, config, H200_CAPS));
  const outcomes = await compileAll(nvcc, sources, cudaCacheDir());
  const problems = outcomes.flatMap((o, i) => {
    const what = `${JSON.stringify(cases[i].problem)} ${JSON.stringify(cases[i].config)}`;
    if (!o.ok) return [`${what}: ${o.error}`];
    const r = o.report;
    const bad = r.spillStoreBytes > 0 || r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0;
    return bad ? [`${what}: stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  assert.deepEqual(problems, []);
  assert.equal(outcomes.length, 7);
});
