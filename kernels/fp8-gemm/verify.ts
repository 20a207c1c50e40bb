// Verification of any FP8 GEMM's C (ours in either language, a peer's) against one float64
// reference per workload, computed once and shared by every config and peer of a call.
import type { Verification } from '../../core/results.ts';
import { createRng } from '../../core/rng.ts';
import { compareElements, sampleMatrix } from '../../core/verify.ts';
import type { Outputs, Workload } from '../types.ts';
import type { GemmProblem } from './problem.ts';
import { gemmReference, type GemmOperands, type ReferenceValues } from './reference.ts';

/** Problems up to this many multiply-adds are checked whole; larger ones by a seeded sample. */
export const FULL_CHECK_MACS = 2 ** 27;

/** Per-element bound: a share of sum|a*b|*|scales| (the arithmetic's rounding) plus a share of |value| (output rounding). */
export interface GemmTolerance {
  ofAbsSum: number;
  ofValue: number;
}

/** Reference values per workload: every config of a sweep is checked against the same ones, computed once. */
const references = new WeakMap<Workload, { indices: number[]; reference: ReferenceValues }>();

function referenceOf(problem: GemmProblem, workload: Workload): { indices: number[]; reference: ReferenceValues } {
  let entry = references.get(workload);
  if (!entry) {
    const { M, N, K } = problem;
    const operands = Object.fromEntries(['a', 'b', 'scaleA', 'scaleB'].map((name) => [name, workload.buffers[name].data])) as unknown as GemmOperands;
    const indices =
      M * N * K <= FULL_CHECK_MACS ? Array.from({ length: M * N }, (_, i) => i) : sampleMatrix(M, N, createRng(workload.seed ^ 0x5eed)).indices;
    entry = { indices, reference: gemmReference(problem, operands, indices) };
    references.set(workload, entry);
  }
  return entry;
}

export function verifyGemm(problem: GemmProblem, workload: Workload, outputs: Outputs, tolerance: GemmTolerance): Verification {
  const { indices, reference } = referenceOf(problem, workload);
  const c = outputs.c;
  return compareElements({
    expected: reference.value,
    actual: indices.map((i) => c[i]),
    allowed: Array.from(reference.absSum, (s, i) => s * tolerance.ofAbsSum + Math.abs(reference.value[i]) * tolerance.ofValue + 1e-30),
    total: problem.M * problem.N,
  });
}
