// The fp8-gemm kernel family: DeepSeek-V3's block-scaled FP8 GEMM, tunable on WebGPU (WGSL) and CUDA (sm_90a).
import type { KernelFamily } from '../types.ts';
import { fp8GemmCudaTarget } from './cuda/index.ts';
import type { CudaGemmConfig } from './cuda/space.ts';
import { bufferBytes, checkGemmProblem, DIMENSIONS, gemmBytes, gemmFlops, gemmProblem, type GemmProblem } from './problem.ts';
import { defaultGemmProblem, presets } from './presets.ts';
import { gemmSpace, type GemmConfig } from './space.ts';
import { verifyGemm } from './verify.ts';
import { fp8GemmBaseline } from './gpujs.ts';
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

/** One family on both backends: the WGSL space and template on WebGPU, the sm_90a ones on CUDA. */
export const fp8Gemm: KernelFamily<GemmProblem, GemmConfig, CudaGemmConfig> = {
  name: 'fp8-gemm',
  description: 'C = A * B^T, e4m3 operands, 1x128 activation and 128x128 weight scales, f32 promotion per 128-wide K block',
  dimensions: DIMENSIONS,
  presets,
  problemFromShape: gemmProblem,
  defaultProblem: defaultGemmProblem,
  checkProblem: checkGemmProblem,
  workload: gemmWorkload,
  verify: (problem, workload, outputs) => verifyGemm(problem, workload, outputs, { ofAbsSum: gemmTolerance(), ofValue: 0 }),
  flops: gemmFlops,
  bytes: gemmBytes,
  weightBytes: (problem, types) => {
    const b = bufferBytes(problem, types);
    return b.b + b.scaleB;
  },
  targets: {
    gpujs: { build: fp8GemmBaseline },
    wgsl: {
      space: gemmSpace,
      source: gemmWgsl,
      verify: (problem, workload, outputs, config) => verifyGemm(problem, workload, outputs, { ofAbsSum: gemmTolerance(config), ofValue: 0 }),
      model: wgslGemmModel,
    },
    cuda: { ...fp8GemmCudaTarget, model: cudaGemmModel },
  },
};
