// The family's verification (same sample and reference as verifyGemm) with the tolerance of
// Hopper's FP8 tensor cores, and the CPU reference computed once per workload: a sweep verifies
// every config of a problem against the same reference values, which for DeepSeek-V3's shapes
// cost seconds to compute.
import type { Verification } from '../../../core/results.ts';
import { createRng } from '../../../core/rng.ts';
import { compareElements, sampleMatrix } from '../../../harness/verify.ts';
import type { HostArray, Workload } from '../../types.ts';
import { FULL_CHECK_MACS } from '../index.ts';
import type { GemmProblem } from '../problem.ts';
import type { GemmOperands, ReferenceValues } from '../reference.ts';
import { sampledReference } from './reference.ts';
import type { CudaGemmConfig } from './space.ts';

const references = new WeakMap<Workload, { indices: number[]; reference: ReferenceValues }>();

function referenceOf(problem: GemmProblem, workload: Workload): { indices: number[]; reference: ReferenceValues } {
  let entry = references.get(workload);
  if (!entry) {
    const { M, N, K } = problem;
    const operands = Object.fromEntries(['a', 'b', 'scaleA', 'scaleB'].map((name) => [name, workload.buffers[name].data])) as unknown as GemmOperands;
    const indices =
      M * N * K <= FULL_CHECK_MACS ? Array.from({ length: M * N }, (_, i) => i) : sampleMatrix(M, N, createRng(workload.seed ^ 0x5eed)).indices;
    entry = { indices, reference: sampledReference(problem, operands, indices) };
    references.set(workload, entry);
  }
  return entry;
}

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

export function verifyGemmCached(
  problem: GemmProblem,
  workload: Workload,
  outputs: Readonly<Record<string, HostArray>>,
  config?: CudaGemmConfig,
): Verification {
  const { indices, reference } = referenceOf(problem, workload);
  const tolerance = cudaGemmTolerance(config);
  const c = outputs.c;
  return compareElements({
    expected: reference.value,
    actual: indices.map((i) => c[i]),
    allowed: Array.from(reference.absSum, (s, i) => s * tolerance.ofAbsSum + Math.abs(reference.value[i]) * tolerance.ofValue + 1e-30),
    total: problem.M * problem.N,
  });
}
