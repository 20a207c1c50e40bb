// The parameters both CUDA fp8-gemm kernels (sm_90a and SIMT) end their lists with, in their C
// signatures' order: the scale pointers, the output pointer and the problem's sizes.
import type { CudaParam } from '../../cuda-source.ts';
import type { GemmProblem } from '../problem.ts';

export const scalesOutputSizes = (problem: GemmProblem): CudaParam[] => [
  { kind: 'pointer', buffer: 'scaleA' },
  { kind: 'pointer', buffer: 'scaleB' },
  { kind: 'pointer', buffer: 'c' },
  { kind: 'i32', value: problem.M },
  { kind: 'i32', value: problem.N },
  { kind: 'i32', value: problem.K },
];

/** The same for the kernel that computes C^T = B x A^T (swapAB): B's scales first, then the sizes N, M, K. */
export const swappedScalesOutputSizes = (problem: GemmProblem): CudaParam[] => {
  const [scaleA, scaleB, c, M, N, K] = scalesOutputSizes(problem);
  return [scaleB, scaleA, c, N, M, K];
};
