// The verification tolerance of the CUDA kernels (no imports from the family's index, so the family
// can import it without a cycle).
import type { CudaGemmConfig } from './space.ts';

/**
 * Allowed error per element. Hopper's FP8 WGMMA keeps about 14 bits while it accumulates (DeepSeek-V3
 * technical report, section 3.3.2: the reason for promoting to f32 every 128 K): a worst-case bound of
 * a few 2^-13 steps per 128-wide block gives 2^-10 of sum(|a*b|)*|scales|. A bf16 output adds its
 * rounding, 2^-9 of |value| (2^-8 with margin). A dropped K block or a misplaced scale errs by about
 * the block's share of the value and also moves the cosine difference far past its 1e-4 bound.
 */
export function cudaGemmTolerance(config?: Pick<CudaGemmConfig, 'out'>): { ofAbsSum: number; ofValue: number } {
  return { ofAbsSum: 2 ** -10, ofValue: config?.out === 'bf16' ? 2 ** -8 : 0 };
}
