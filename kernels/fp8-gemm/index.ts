// The fp8-gemm kernel family: DeepSeek-V3's block-scaled FP8 GEMM, tunable on WebGPU (WGSL) and CUDA (sm_90a).
import type { Verification } from '../../core/results.ts';
import { createRng } from '../../core/rng.ts';
import { compareElements, sampleMatrix } from '../../core/verify.ts';
import type { HostArray, KernelFamily, Space, Workload } from '../types.ts';
import { cudaGemmSpace, type CudaGemmConfig } from './cuda/space.ts';
import { gemmCuda } from './cuda/template.ts';
import { cudaGemmTolerance } from './cuda/tolerance.ts';
import { checkGemmProblem, DIMENSIONS, gemmBytes, gemmFlops, gemmProblem, type GemmProblem } from './problem.ts';
import { defaultGemmProblem, presets } from './presets.ts';
import { gemmReference, type GemmOperands, type ReferenceValues } from './reference.ts';
import { gemmSpace, type GemmConfig } from './space.ts';
import { gemmWgsl } from './wgsl.ts';
import { gemmWorkload } from './workload.ts';
import { cudaGemmModel } from './model/cuda.ts';
import { wgslGemmModel } from './model/wgsl.ts';

/**
 * Allowed error per element, relative to sum(|a*b|)*|scales| (the reference's absSum), from the
 * worst-case rounding bound of each arithmetic. f32: at most ~(128 + K/128) additions with a
 * relative error of 2^-24 each, under 2^-16 for any K up to 2^15 (a kernel that mixes one block's
 * sum into another's scales errs by ~1e-2 of the sum and is caught). f16: e4m3 products are exact
 * in f16 (8 significant bits of 11); each dot of 4 rounds three additions to 11 bits, at most
 * 3 * 2^-11 of the sum, under 2^-9.
 */
export function gemmTolerance(config?: Pick<GemmConfig, 'arith'>): number {
  return config?.arith === 'f16' ? 2 ** -9 : 2 ** -16;
}

/** Problems up to this many multiply-adds are checked whole; larger ones by a seeded sample. */
export const FULL_CHECK_MACS = 2 ** 27;

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

/** Per-element bound: a share of sum|a*b|*|scales| (the arithmetic's rounding) plus a share of |value| (output rounding). */
function toleranceOf(config?: GemmConfig | CudaGemmConfig): { ofAbsSum: number; ofValue: number } {
  // CUDA configs carry `out`: FP8 tensor-core accumulation and bf16 rounding (kernels/fp8-gemm/cuda/tolerance.ts).
  if (config && 'out' in config) return cudaGemmTolerance(config);
  return { ofAbsSum: gemmTolerance(config as GemmConfig | undefined), ofValue: 0 };
}

export function verifyGemm(
  problem: GemmProblem,
  workload: Workload,
  outputs: Readonly<Record<string, HostArray>>,
  config?: GemmConfig | CudaGemmConfig,
): Verification {
  const { indices, reference } = referenceOf(problem, workload);
  const tolerance = toleranceOf(config);
  const c = outputs.c;
  return compareElements({
    expected: reference.value,
    actual: indices.map((i) => c[i]),
    allowed: Array.from(reference.absSum, (s, i) => s * tolerance.ofAbsSum + Math.abs(reference.value[i]) * tolerance.ofValue + 1e-30),
    total: problem.M * problem.N,
  });
}

/** One family on both backends: the WGSL space and template on WebGPU, the sm_90a ones on CUDA. */
export const fp8Gemm: KernelFamily<GemmProblem, GemmConfig | CudaGemmConfig> = {
  name: 'fp8-gemm',
  description: 'C = A * B^T, e4m3 operands, 1x128 activation and 128x128 weight scales, f32 promotion per 128-wide K block',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: gemmProblem,
  defaultProblem: defaultGemmProblem,
  checkProblem: checkGemmProblem,
  space: (problem, caps) => (caps.backend === 'cuda' ? cudaGemmSpace(problem, caps) : gemmSpace(problem, caps)) as Space<GemmConfig | CudaGemmConfig>,
  workload: gemmWorkload,
  verify: verifyGemm,
  flops: gemmFlops,
  bytes: gemmBytes,
  wgsl: (problem, config, caps) => gemmWgsl(problem, config as GemmConfig, caps),
  cuda: (problem, config, caps) => gemmCuda(problem, config as CudaGemmConfig, caps),
  models: {
    wgsl: { estimate: (problem, config, caps) => wgslGemmModel.estimate(problem, config as GemmConfig, caps) },
    cuda: cudaGemmModel,
  },
};
