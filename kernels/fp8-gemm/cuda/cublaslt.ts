// cuBLASLt's block-scaled FP8 GEMM (1x128 activation scales, 128x128 weight scales, bf16 out) as a
// source the CUDA backend runs and times like ours: one library launch, which the runner turns into
// cublasLtMatmul on the same stream, buffers and timing as the kernels it is compared with
// (harness/cuda/runner/library.h). Its module is an empty kernel, never launched: the backend's
// compile and load steps stay the same for every source.
import type { CudaKernelSource, CudaLaunch, CudaParam } from '../../cuda-source.ts';
import type { BindingSpec } from '../../types.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { sourceHeader } from '../../template.ts';
import type { GemmProblem } from '../problem.ts';
import { scalesOutputSizes } from './params.ts';

export const CUBLASLT_PEER = { library: 'cuBLASLt', via: 'tilesweep runner (cublasLtMatmul)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' } as const;

/**
 * A library call as a source: one launch the runner turns into the named library's call on the same
 * stream, buffers and timing as our kernels, and an empty module (never launched) so that the
 * backend's compile and load steps stay the same for every source.
 */
export function libraryLaunch(problem: GemmProblem, peer: Readonly<Record<string, string>>, library: NonNullable<CudaLaunch['library']>, bindings: readonly BindingSpec[], params: readonly CudaParam[]): CudaKernelSource {
  return {
    language: 'cuda',
    code: [sourceHeader('//', 'fp8-gemm', problem, peer), 'extern "C" __global__ void tilesweep_library_launch() {}'].join('\n'),
    launches: [{ entryPoint: 'tilesweep_library_launch', library, grid: [1, 1, 1], block: [1, 1, 1], bindings, params }],
    flags: ['-gencode=arch=compute_90a,code=sm_90a'],
    outputTypes: { c: 'bf16' },
  };
}

export const gemmCublasLt = (problem: GemmProblem): CudaKernelSource =>
  libraryLaunch(problem, CUBLASLT_PEER, 'cublaslt-fp8-blockscaled', FP8_GEMM_BINDINGS, [{ kind: 'pointer', buffer: 'a' }, { kind: 'pointer', buffer: 'b' }, ...scalesOutputSizes(problem)]);
