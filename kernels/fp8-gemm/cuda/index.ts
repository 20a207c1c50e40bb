// The fp8-gemm family as the CUDA backend sweeps it: the family's problem, reference, flops and
// bytes, with the sm_90a template, the CUDA config space, GPU-sized inputs and a cached reference.
// Until the family itself dispatches on caps.backend, scripts and tests use this view.
import type { KernelFamily } from '../../types.ts';
import { fp8Gemm } from '../index.ts';
import type { GemmProblem } from '../problem.ts';
import { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
import { gemmCuda } from './template.ts';
import { verifyGemmCached } from './verify.ts';
import { fastGemmWorkload } from './workload.ts';

export { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
export { gemmCuda } from './template.ts';

export const fp8GemmCuda: KernelFamily<GemmProblem, CudaGemmConfig> = {
  ...(fp8Gemm as unknown as KernelFamily<GemmProblem, CudaGemmConfig>),
  space: cudaGemmSpace,
  workload: fastGemmWorkload,
  verify: verifyGemmCached,
  wgsl: undefined,
  cuda: gemmCuda,
};
