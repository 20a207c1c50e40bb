// CI (nvcc, no GPU): every candidate of the DeepSeek-V3 shapes the issue measures (MLA at 16, 32 and
// 128 heads, s_q 1 and 2, both caches, fixed and varied lengths, and the WGMMA kernel's configs; the
// MHA and GQA baselines) compiles for sm_90a, and ptxas
// reports no local-memory spills, no stack frame and no warnings. Skipped with a message where nvcc
// is absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAll } from '../../../../harness/cuda/compile.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { mhaDecodeCudaTarget } from '../../../../kernels/mha-decode/cuda/index.ts';
import type { MhaProblem } from '../../../../kernels/mha-decode/problem.ts';
import { mlaDecodeCudaTarget } from '../../../../kernels/mla-decode/cuda/index.ts';
import type { MlaProblem } from '../../../../kernels/mla-decode/problem.ts';
import { compiledText, type CudaKernelSource } from '../../../../kernels/cuda-source.ts';
import type { CudaDecodeConfig } from '../../../../kernels/attention/cuda/space.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const nvcc = findNvcc();

test('every decode candidate of the DeepSeek-V3 shapes compiles for sm_90a without spills', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async () => {
  if ('missing' in nvcc) return;
  // Fixed lengths (the shapes) and varied ones (whose candidates add the balanced plan).
  const mla: MlaProblem[] = [[16, 1], [32, 1], [128, 1], [128, 2], [16, 2]].flatMap(([H, sq]) =>
    (['fixed', 'varied'] as const).map((lengths) => ({ B: 128, sq, H, L: 8192, lengths, dtype: 'f16' }) as const));
  const mha: MhaProblem[] = [[128, 128], [32, 4], [16, 16]].flatMap(([H, Hkv]) =>
    [1, 2].flatMap((sq) => (['fixed', 'varied'] as const).map((lengths) => ({ B: 128, sq, H, Hkv, L: 4096, lengths, dtype: 'f16' }) as const)));
  // The WGMMA kernel (in the space, not yet a candidate): 64 query rows or all of a shard's, both
  // depths, both plans.
  const wgmma = (p: MlaProblem): CudaDecodeConfig[] => [1, 2].flatMap((stages) => (['even', 'balanced'] as const).map((schedule) => ({
    kernel: 'wgmma', headsPerCta: Math.min(p.H, 64 / p.sq), tokensPerTile: 64, warps: 8, stages, schedule, splits: schedule === 'even' ? 1 : 132, cache: 'bf16',
  }) as const));
  const sources: CudaKernelSource[] = [
    ...mla.flatMap((p) => [...mlaDecodeCudaTarget.candidates!(p, H200_CAPS), ...wgmma(p)].map((c) => mlaDecodeCudaTarget.source(p, c, H200_CAPS) as CudaKernelSource)),
    ...mha.flatMap((p) => mhaDecodeCudaTarget.candidates!(p, H200_CAPS).map((c) => mhaDecodeCudaTarget.source(p, c, H200_CAPS) as CudaKernelSource)),
  ];
  // One compile per distinct binary (the split count, H and the batch are launch arguments).
  const distinct = [...new Map(sources.map((s) => [compiledText(s.code), s])).values()];
  assert.ok(sources.length > 100 && distinct.length >= 20, `${sources.length} candidates, ${distinct.length} binaries`);
  const outcomes = await compileAll(nvcc, distinct, cudaCacheDir());
  const problems = outcomes.flatMap((o, i) => {
    const header = distinct[i].code.split('\n')[0];
    if (!o.ok) return [`${header}: ${o.error}`];
    const r = o.report;
    const bad = r.spillStoreBytes > 0 || r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0;
    return bad ? [`${header}: ${r.registers} registers, stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  assert.deepEqual(problems, []);
});
