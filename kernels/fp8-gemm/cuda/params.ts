// The parameters the CUDA fp8-gemm kernels (sm_90a and SIMT) and the cuBLASLt peer end their lists
// with, in their C signatures' order: the scale pointers, the output pointer and the problem's sizes.
import type { CudaParam } from '../../cuda-source.ts';
import { wholeBlocksK } from '../../fp8/k-length.ts';
import type { GemmProblem } from '../problem.ts';

/** With the true K: what the SIMT kernel (it bounds its loads by K) and cuBLASLt take. */
export const scalesOutputSizes = (problem: GemmProblem): CudaParam[] => [
  { kind: 'pointer', buffer: 'scaleA' },
  { kind: 'pointer', buffer: 'scaleB' },
  { kind: 'pointer', buffer: 'c' },
  { kind: 'i32', value: problem.M },
  { kind: 'i32', value: problem.N },
  { kind: 'i32', value: problem.K },
];

/**
 * The same for the sm_90a kernel, with K rounded up to whole 128-wide blocks: it walks K / 128 blocks,
 * and its TMA tensor maps, built over the true K, fill the columns past K with zeros, so a partial last
 * block adds only the columns that exist (its scales were taken over them).
 */
export const wholeBlockScalesOutputSizes = (problem: GemmProblem): CudaParam[] => scalesOutputSizes({ ...problem, K: wholeBlocksK(problem.K) });

/** The sm_90a kernel that computes C^T = B x A^T (swapAB): B's scales first, then the sizes N, M, K (K in whole blocks). */
export const swappedScalesOutputSizes = (problem: GemmProblem): CudaParam[] => {
  const [scaleA, scaleB, c, M, N, K] = wholeBlockScalesOutputSizes(problem);
  return [scaleB, scaleA, c, N, M, K];
};
