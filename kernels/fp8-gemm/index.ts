// The fp8-gemm kernel family: DeepSeek-V3's block-scaled FP8 GEMM, tunable on WebGPU.
import type { Verification } from '../../core/results.ts';
import { createRng } from '../../core/rng.ts';
import { compareElements, sampleMatrix } from '../../harness/verify.ts';
import type { HostArray, KernelFamily, Workload } from '../types.ts';
import { checkGemmProblem, DIMENSIONS, gemmBytes, gemmFlops, gemmProblem, type GemmProblem } from './problem.ts';
import { defaultGemmProblem, presets } from './presets.ts';
import { gemmReference, type GemmOperands } from './reference.ts';
import { gemmSpace, type GemmConfig } from './space.ts';
import { gemmWgsl } from './wgsl.ts';
import { gemmWorkload } from './workload.ts';

/**
 * Allowed error per element, relative to sum(|a*b|)*|scales|. f32 accumulation of 128 products
 * and of the K/128 promoted blocks errs by far less than 2^-12 of that sum; the f16 path rounds
 * partial sums of up to 16 exact products to 11 bits (<= 15 * 2^-11 worst case, ~2^-9 typical),
 * so one bound of 2^-8 admits both while a kernel that drops or doubles a K block (an error of
 * about 1/(K/128) of the sum) or misplaces a scale is far outside it.
 */
export const GEMM_TOLERANCE = 2 ** -8;

/** Problems up to this many multiply-adds are checked whole; larger ones by a seeded sample. */
export const FULL_CHECK_MACS = 2 ** 27;

export function verifyGemm(problem: GemmProblem, workload: Workload, outputs: Readonly<Record<string, HostArray>>): Verification {
  const { M, N, K } = problem;
  const operands = Object.fromEntries(['a', 'b', 'scaleA', 'scaleB'].map((name) => [name, workload.buffers[name].data])) as unknown as GemmOperands;
  const indices =
    M * N * K <= FULL_CHECK_MACS ? Array.from({ length: M * N }, (_, i) => i) : sampleMatrix(M, N, createRng(workload.seed ^ 0x5eed)).indices;
  const reference = gemmReference(problem, operands, indices);
  const c = outputs.c;
  return compareElements({
    expected: reference.value,
    actual: indices.map((i) => c[i]),
    allowed: reference.absSum.map((s) => s * GEMM_TOLERANCE + 1e-30),
    total: M * N,
  });
}

export const fp8Gemm: KernelFamily<GemmProblem, GemmConfig> = {
  name: 'fp8-gemm',
  description: 'C = A * B^T, e4m3 operands, 1x128 activation and 128x128 weight scales, f32 promotion per 128-wide K block',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: gemmProblem,
  defaultProblem: defaultGemmProblem,
  checkProblem: checkGemmProblem,
  space: gemmSpace,
  workload: gemmWorkload,
  verify: verifyGemm,
  flops: gemmFlops,
  bytes: gemmBytes,
  wgsl: gemmWgsl,
};
