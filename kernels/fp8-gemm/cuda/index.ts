// The fp8-gemm family as the H200 scripts sweep it: the family itself (which picks the CUDA space
// and template on a CUDA backend) with inputs drawn straight as e4m3 codes, which GPU-sized problems
// need (quantizing real-valued data of 4096x7168x2048 takes ~10 s on the host).
import type { KernelFamily } from '../../types.ts';
import { fp8Gemm } from '../index.ts';
import type { GemmProblem } from '../problem.ts';
import { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
import { gemmCuda } from './template.ts';
import { fastGemmWorkload } from './workload.ts';

export { cudaGemmSpace, type CudaGemmConfig } from './space.ts';
export { gemmCuda } from './template.ts';

export const fp8GemmCuda: KernelFamily<GemmProblem, CudaGemmConfig> = {
  ...(fp8Gemm as unknown as KernelFamily<GemmProblem, CudaGemmConfig>),
  space: cudaGemmSpace,
  workload: fastGemmWorkload,
  wgsl: undefined,
  cuda: gemmCuda,
};
