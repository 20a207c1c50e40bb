// The grouped GEMM's sm_90a source: the FP8 GEMM's template (fp8-gemm/cuda/template.ts: producer,
// main loops, promotion per 128-wide K block with 1x128 / 128x128 scales, threads epilogue) with the
// group walk of schedule.ts in place of the one product's, and its launch: A [rows][K] and B [G*N][K]
// through one 2D tensor map each (a group's weights are rows group*N.. of B's), the scales, C, and the
// per-group counts the schedule is built from.
import type { Capabilities } from '../../../core/capabilities.ts';
import type { CudaKernelSource, CudaLaunch } from '../../cuda-source.ts';
import { ENTRY_POINT, gemmCudaCode, rasterArgument, SM90A_FLAGS } from '../../fp8-gemm/cuda/template.ts';
import { BLOCK_K, cudaCaps, sharedBytes, threadsPerCta } from '../../fp8-gemm/cuda/space.ts';
import type { GemmProblem } from '../../fp8-gemm/problem.ts';
import { FP8_GEMM_BINDINGS } from '../../fp8/bindings.ts';
import { wholeBlocksK } from '../../fp8/k-length.ts';
import { sourceHeader } from '../../template.ts';
import { groupLayout, type GroupedProblem } from '../problem.ts';
import { denseConfig, type GroupedCudaConfig } from './config.ts';
import { groupWalk, rowTileBound } from './schedule.ts';

/** The product the template sees: all rows of A and C, one group's N, K. */
export const templateProblem = (problem: GroupedProblem): GemmProblem => ({ M: groupLayout(problem).rows, N: problem.N, K: problem.K });

/** Persistent CTAs: one per SM, never more than the row tiles the buffers can hold times the column tiles. */
export function groupedCtas(problem: GroupedProblem, config: GroupedCudaConfig, smCount: number): number {
  return Math.max(1, Math.min(smCount, rowTileBound(problem, config.blockM) * Math.ceil(problem.N / config.blockN)));
}

export function groupedGemmCuda(problem: GroupedProblem, config: GroupedCudaConfig, caps: Capabilities): CudaKernelSource {
  const dense = denseConfig(config);
  const rows = groupLayout(problem).rows;
  const launch: CudaLaunch = {
    entryPoint: ENTRY_POINT,
    grid: [groupedCtas(problem, config, cudaCaps(caps).smCount), 1, 1],
    block: [threadsPerCta(dense), 1, 1],
    sharedBytes: sharedBytes(dense),
    bindings: [...FP8_GEMM_BINDINGS, { binding: 6, buffer: 'counts', access: 'read' }],
    params: [
      { kind: 'tensor-map', buffer: 'a', rows, cols: problem.K, boxRows: config.blockM, boxCols: BLOCK_K },
      { kind: 'tensor-map', buffer: 'b', rows: problem.G * problem.N, cols: problem.K, boxRows: config.blockN, boxCols: BLOCK_K },
      { kind: 'pointer', buffer: 'scaleA' },
      { kind: 'pointer', buffer: 'scaleB' },
      { kind: 'pointer', buffer: 'c' },
      { kind: 'i32', value: rows },
      { kind: 'i32', value: problem.N },
      // K in whole 128-wide blocks (the kernel walks K / 128 of them); the maps above carry the true K
      // and TMA zero-fills a partial last block past it (fp8-gemm/cuda/params.ts).
      { kind: 'i32', value: wholeBlocksK(problem.K) },
      { kind: 'i32', value: rasterArgument(config) },
      { kind: 'pointer', buffer: 'counts' },
    ],
  };
  return {
    language: 'cuda',
    code: gemmCudaCode(templateProblem(problem), dense, groupWalk(problem, config), sourceHeader('//', 'grouped-gemm', problem, config)),
    launches: [launch],
    flags: SM90A_FLAGS,
    outputTypes: { c: config.out },
  };
}
