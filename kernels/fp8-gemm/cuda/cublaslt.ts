// cuBLASLt's block-scaled FP8 GEMM (1x128 activation scales, 128x128 weight scales, bf16 out) as a
// source the CUDA backend runs and times like ours: one library launch, which the runner turns into
// cublasLtMatmul on the same stream, buffers and timing as the kernels it is compared with
// (harness/cuda/runner/library.h). Its module is an empty kernel, never launched: the backend's
// compile and load steps stay the same for every source.
import type { CudaKernelSource } from '../../cuda-source.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { sourceHeader } from '../../template.ts';
import type { GemmProblem } from '../problem.ts';
import { scalesOutputSizes } from './params.ts';

export const CUBLASLT_PEER = { library: 'cuBLASLt', via: 'tilesweep runner (cublasLtMatmul)', scaleA: '1x128', scaleB: '128x128', out: 'bf16' } as const;

export function gemmCublasLt(problem: GemmProblem): CudaKernelSource {
  return {
    language: 'cuda',
    code: [sourceHeader('//', 'fp8-gemm', problem, CUBLASLT_PEER), 'extern "C" __global__ void tilesweep_library_launch() {}'].join('\n'),
    launches: [
      {
        entryPoint: 'tilesweep_library_launch',
        library: 'cublaslt-fp8-blockscaled',
        grid: [1, 1, 1],
        block: [1, 1, 1],
        bindings: FP8_GEMM_BINDINGS,
        params: [{ kind: 'pointer', buffer: 'a' }, { kind: 'pointer', buffer: 'b' }, ...scalesOutputSizes(problem)],
      },
    ],
    flags: ['-gencode=arch=compute_90a,code=sm_90a'],
    outputTypes: { c: 'bf16' },
  };
}
