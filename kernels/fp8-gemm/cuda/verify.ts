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
import { cudaGemmTolerance } from './tolerance.ts';

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
